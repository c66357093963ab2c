"""`06_evaluate.py --prompt` and `--write`: every system answers the same prompts with the configured
decoding, printed side by side in the terminal; nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

from brandtone.config import ConfigError
from brandtone.evaluate.models import ModelPair, on_each_model, resolve_models
from brandtone.evaluate.prompted import FewShotPrompts
from brandtone.evaluate.tables import side_by_side
from brandtone.evaluate.writing import chat_tokenizer, training_examples
from brandtone.generation import Decoding, auto_batch_tokens, generate
from brandtone.textformat import chat_prompt_ids, end_ids, leading_special_ids, text_ids

ON_THE_BASE_MODEL = ("base", "prompted")  # systems the base model's weights answer for; "tuned" is the tuned model


def continue_prompts(config, prompts: list[str], prompts_file: Path | None) -> int:
    """--prompt / --prompts: both models continue each prompt with the configured decoding, side by side."""
    if prompts_file is not None:
        if not prompts_file.is_file():
            raise ConfigError(f"--prompts {prompts_file}: file not found")
        prompts = prompts + [line.strip() for line in prompts_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not prompts or not all(p.strip() for p in prompts):
        raise ConfigError("--prompt/--prompts: give at least one non-empty prompt")
    pair = resolve_models(config)
    tokenizer, decoding = pair.tokenizer, Decoding.from_config(config.evaluate)
    ids = [leading_special_ids(tokenizer) + text_ids(tokenizer, p) for p in prompts]
    answers = ask_systems(
        pair, config, tokenizer, {"base": ids, "tuned": ids}, config.evaluate.max_new_tokens_cap, decoding, skip_special_tokens=False
    )
    print_side_by_side("prompt", prompts, answers, decoding)
    return 0


def answer_requests(config, requests: list[str]) -> int:
    """--write: the base model, the prompted baseline (with evaluate.fewshot_examples) and the tuned model answer each
    request with the writing test's chat prompts and decoding, side by side."""
    ev = config.evaluate
    pair = resolve_models(config)
    tokenizer, decoding = chat_tokenizer(pair), Decoding.for_writing(ev)
    prompts = {system: [chat_prompt_ids(tokenizer, r) for r in requests] for system in ("base", "tuned")}
    if ev.fewshot_examples:  # the base model shown the brand's training posts nearest to each request
        texts, their_requests = training_examples(Path(config.paths.dataset_dir))
        prompts["prompted"] = FewShotPrompts(
            tokenizer, requests, texts, their_requests, ev.fewshot_examples, ev.write_max_new_tokens, pair.max_positions, pair.base
        ).prompt_ids
    answers = ask_systems(pair, config, tokenizer, prompts, ev.write_max_new_tokens, decoding, skip_special_tokens=True)
    print_side_by_side("request", requests, answers, decoding)
    return 0


def ask_systems(
    pair: ModelPair,
    config,
    tokenizer,
    prompts: dict[str, list[list[int]]],
    max_new_tokens: int,
    decoding: Decoding,
    skip_special_tokens: bool,
) -> dict[str, list[list[str]]]:
    """{system: [seed][prompt] -> text} for each system's own prompts, one model in memory at a time."""
    batch_tokens = config.evaluate.batch_tokens

    def answers(model, ids: list[list[int]]) -> list[list[str]]:
        return [
            [
                tokenizer.decode(new, skip_special_tokens=skip_special_tokens)
                for new in generate(
                    model,
                    ids,
                    [max_new_tokens] * len(ids),
                    decoding=decoding,
                    seed=seed,
                    batch_tokens=batch_tokens or auto_batch_tokens(model),
                    eos=end_ids(tokenizer),
                    pad=tokenizer.pad_token_id,
                )
            ]
            for seed in decoding.seeds
        ]

    def on_model(name: str, model) -> dict[str, list[list[str]]]:
        mine = ON_THE_BASE_MODEL if name == "base" else ("tuned",)
        return {system: answers(model, ids) for system, ids in prompts.items() if system in mine}

    return {system: texts for by_system in on_each_model(pair, config, on_model).values() for system, texts in by_system.items()}


def print_side_by_side(kind: str, prompts: list[str], answers: dict[str, list[list[str]]], decoding: Decoding) -> None:
    width = shutil.get_terminal_size((160, 40)).columns
    for i, prompt in enumerate(prompts):
        print(f"\n=== {kind} {i + 1}: {prompt}")
        for s, seed in enumerate(decoding.seeds):
            label = f" (seed {seed})" if decoding.do_sample else ""
            print(side_by_side([(f"--- {system}{label}", texts[s][i]) for system, texts in answers.items()], width))
