"""Stage 6 on a GPU: how fast are the 98 half-split continuations of a Llama-2-7B-shaped model?

Issue 7's target: under 10 s per model in fp16 on one H100. The model (random
weights: speed does not depend on their values) and the prompt and reference
lengths are those of ../shared/anchor_generate.py (same seed), so its figures
can be rerun on the same card as a baseline. Cases:

- anchor: the original one-batch approach (all 98 prompts left-padded in one
  batch, greedy, every row generating up to the longest reference);
- stage6:BUDGET: `brandtone.evaluate.models.generate`, the code 06_evaluate.py
  runs (length-sorted batches within a token budget, per-row limits, early
  stop, static cache), BUDGET tokens per batch or "auto"; `:dynamic` grows the
  cache token by token instead, `:compile` lets transformers torch.compile the
  step (experiments);
- drop_rows: experiment, one batch whose finished rows leave it;
- perplexity:BUDGET: the stage's conditional-perplexity pass.

Run one process per case for cold figures (the first run in a process pays
for the CUDA allocator's growth; later runs with the same shapes do not).
Prints one JSON line per run (seconds, new tokens, tokens/s, batches, peak
GiB) and appends them to $OUT/eval_generate.jsonl when OUT is set. Results
and conclusions: bench/NOTES_evaluate.md.

    python bench/eval_generate.py --cases stage6:auto --repeat 2
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandtone.generation import Decoding, auto_batch_tokens, generate, token_batches, truth_nll  # noqa: E402

EOS, PAD, BOS = 2, 0, 1


def anchor_lengths(count: int = 98) -> tuple[list[list[int]], list[int]]:
    """The anchor's prompts (BOS + random ids) and reference lengths, from its seed."""
    rng = np.random.default_rng(1)
    lengths = [int(min(max(rng.lognormal(math.log(70) if rng.random() < 0.85 else math.log(350), 0.6), 10), 1024)) for _ in range(count)]
    prompts = [[BOS] + rng.integers(3, 32000, size=n // 2 - 1).tolist() for n in lengths]
    return prompts, [n - n // 2 for n in lengths]


def build_model(layers: int):
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=32000,
        hidden_size=4096,
        intermediate_size=11008,
        num_hidden_layers=layers,
        num_attention_heads=32,
        num_key_value_heads=32,
        max_position_embeddings=4096,
        pad_token_id=PAD,
        bos_token_id=BOS,
        eos_token_id=EOS,
    )
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float16)
    with torch.device("cuda"):
        model = LlamaForCausalLM(config).eval()
    torch.set_default_dtype(torch.float32)
    return model


@torch.inference_mode()
def anchor(model, prompts, limits):
    width = max(len(p) for p in prompts)
    ids = torch.tensor([[PAD] * (width - len(p)) + p for p in prompts], device="cuda")
    mask = (ids != PAD).long()
    model.generate(
        input_ids=ids, attention_mask=mask, do_sample=False, max_new_tokens=max(limits), min_new_tokens=max(limits), pad_token_id=PAD
    )
    return sum(limits), 1


@torch.inference_mode()
def drop_finished_rows(model, prompts, limits):
    """Experiment, not the stage's code: one greedy batch whose finished rows leave the batch and its KV cache."""
    from transformers import DynamicCache

    width = max(len(p) for p in prompts)
    ids = torch.tensor([[PAD] * (width - len(p)) + p for p in prompts], device="cuda")
    mask = (ids != PAD).long()
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    cache = DynamicCache(config=model.config)
    logits = model(
        input_ids=ids, attention_mask=mask, position_ids=positions, past_key_values=cache, use_cache=True, logits_to_keep=1
    ).logits
    token = logits[:, -1].argmax(-1)
    active = torch.arange(len(prompts), device="cuda")
    remaining = torch.tensor(limits, device="cuda")
    position = positions[:, -1]
    new_tokens = 0
    while True:
        new_tokens += len(active)
        remaining = remaining - 1
        done = (remaining <= 0) | (token == EOS)
        finished = int(done.sum())
        if finished == len(active):
            break
        if finished:
            keep = (~done).nonzero().squeeze(1)
            cache.batch_select_indices(keep)
            mask, token, active, remaining, position = mask[keep], token[keep], active[keep], remaining[keep], position[keep]
        mask = torch.cat([mask, mask.new_ones(len(active), 1)], dim=1)
        position = position + 1
        logits = model(
            input_ids=token[:, None], attention_mask=mask, position_ids=position[:, None], past_key_values=cache, use_cache=True
        ).logits
        token = logits[:, -1].argmax(-1)
    return new_tokens, 1


class CompiledDecoding(Decoding):
    """Experiment: the stage's decoding with transformers' automatic torch.compile of the static-cache forward."""

    def generation_config(self, *args, **kwargs):
        config = super().generation_config(*args, **kwargs)
        config.disable_compile = False
        return config


def timed(name: str, run) -> dict:
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    started = time.time()
    new_tokens, batches = run()
    torch.cuda.synchronize()
    seconds = time.time() - started
    return {
        "case": name,
        "seconds": round(seconds, 2),
        "new_tokens": new_tokens,
        "tokens_per_s": round(new_tokens / seconds),
        "batches": batches,
        "peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layers", type=int, default=32)
    parser.add_argument(
        "--cases",
        nargs="*",
        default=["anchor", "stage6:auto", "stage6:65536", "perplexity:auto"],
        help="anchor | drop_rows | stage6:BUDGET[:dynamic|:compile] | perplexity:BUDGET (BUDGET a number or auto)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="run each case this many times (the first is cold)")
    args = parser.parse_args()

    import transformers

    print(
        json.dumps(
            {
                "device": torch.cuda.get_device_name(),
                "torch": torch.__version__,
                "transformers": transformers.__version__,
                "alloc_conf": os.environ.get("PYTORCH_CUDA_ALLOC_CONF", ""),
            }
        ),
        flush=True,
    )
    model = build_model(args.layers)
    prompts, limits = anchor_lengths()
    greedy = Decoding(do_sample=False, temperature=1.0, top_p=1.0, seeds=(0,))
    budget_of = lambda text: auto_batch_tokens(model) if text == "auto" else int(text)  # noqa: E731
    generate(model, prompts[:4], [8] * 4, decoding=greedy, seed=0, batch_tokens=4096, eos=EOS, pad=PAD)  # CUDA start-up

    def case(spec: str):
        kind, *rest = spec.split(":")
        if kind == "anchor":
            return lambda: anchor(model, prompts, limits)
        if kind == "drop_rows":
            return lambda: drop_finished_rows(model, prompts, limits)
        budget = budget_of(rest[0])
        batches = len(token_batches([len(p) for p in prompts], limits, budget))
        if kind == "perplexity":
            truths = [[5] * n for n in limits]
            return lambda: (truth_nll(model, prompts, truths, batch_tokens=budget, pad=PAD), (sum(limits), batches))[1]
        cache = "dynamic" if "dynamic" in rest else "static"
        decoding = CompiledDecoding(*dataclasses.astuple(greedy)) if "compile" in rest else greedy

        def run():
            out = generate(
                model, prompts, limits, decoding=decoding, seed=0, batch_tokens=budget, eos=EOS, pad=PAD, cache_implementation=cache
            )
            return sum(len(o) for o in out), batches

        return run

    results = []
    for spec in args.cases:
        for attempt in range(args.repeat):
            results.append({**timed(spec, case(spec)), "run": attempt + 1})
            print(json.dumps(results[-1]), flush=True)
    if os.environ.get("OUT"):
        with Path(os.environ["OUT"], "eval_generate.jsonl").open("a") as handle:
            handle.write("".join(json.dumps(r) + "\n" for r in results))


if __name__ == "__main__":
    main()
