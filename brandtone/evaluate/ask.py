"""`06_evaluate.py --prompt` and `--write`: every system answers the same prompts with the configured
decoding, printed side by side in the terminal; nothing is written."""

from __future__ import annotations

import shutil

from brandtone.evaluate.models import ModelPair, on_each_model
from brandtone.evaluate.tables import side_by_side
from brandtone.generation import Decoding, auto_batch_tokens, generate
from brandtone.textformat import end_ids

ON_THE_BASE_MODEL = ("base", "prompted")  # systems the base model's weights answer for; "tuned" is the tuned model


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
