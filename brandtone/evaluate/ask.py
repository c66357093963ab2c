"""`06_evaluate.py --prompt` and `--write`: both models answer the same prompts with the configured
decoding, printed side by side in the terminal; nothing is written."""

from __future__ import annotations

import shutil

from brandtone.evaluate.models import ModelPair, on_each_model
from brandtone.evaluate.tables import side_by_side
from brandtone.generation import Decoding, auto_batch_tokens, generate
from brandtone.textformat import end_ids

MODELS = ("base", "tuned")


def ask_both(pair: ModelPair, config, tokenizer, prompts: list[list[int]], max_new_tokens: int, decoding: Decoding,
             skip_special_tokens: bool) -> dict[str, list[list[str]]]:
    """{model: [seed][prompt] -> text}, one model in memory at a time."""
    batch_tokens = config.evaluate.batch_tokens

    def answers(name: str, model) -> list[list[str]]:
        return [
            [tokenizer.decode(ids, skip_special_tokens=skip_special_tokens) for ids in generate(
                model, prompts, [max_new_tokens] * len(prompts), decoding=decoding, seed=seed,
                batch_tokens=batch_tokens or auto_batch_tokens(model), eos=end_ids(tokenizer), pad=tokenizer.pad_token_id)]
            for seed in decoding.seeds
        ]

    return on_each_model(pair, config, answers)


def print_side_by_side(kind: str, prompts: list[str], answers: dict[str, list[list[str]]], decoding: Decoding) -> None:
    width = shutil.get_terminal_size((160, 40)).columns
    for i, prompt in enumerate(prompts):
        print(f"\n=== {kind} {i + 1}: {prompt}")
        for s, seed in enumerate(decoding.seeds):
            label = f" (seed {seed})" if decoding.do_sample else ""
            base, tuned = (answers[m][s][i] for m in MODELS)
            print(side_by_side(f"--- base{label}", base, f"--- tuned{label}", tuned, width))
