"""Packed-row attention on one GPU: brandtone.finetune.packed_attention's two kernels (FlashAttention's varlen,
and the batched SDPA a card without it gets) vs one SDPA call per text and SDPA with a block-diagonal mask.

Llama-2-7B attention shape (32 heads of 128), bf16 (or fp16, a T4's dtype), up to 4,096 tokens per step made
of the benchmark corpus's texts packed into 2 rows of 2,048 and flattened, as
04_finetune.py's batches are. Checks that each matches a per-text fp32 reference
(outputs and input gradients), then times forward + backward of one layer's
attention for each.

    python bench/check_packed_attention.py [--dtype fp16]
    python bench/check_packed_attention.py --device cpu --dtype fp32 --heads 9 --dim 64   # the demo model's shape on the CPU
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import corpus_lengths  # noqa: E402
from brandtone.finetune.packed_attention import batched_sdpa, packed_attention  # noqa: E402

ROW, ROWS = 2048, 2


def packed_lengths() -> list[int]:
    """The benchmark corpus's texts in corpus order, first-fit into ROWS rows of ROW tokens, in row order."""
    rows: list[list[int]] = [[] for _ in range(ROWS)]
    for length in corpus_lengths(878, 0):
        for row in rows:
            if sum(row) + length <= ROW:
                row.append(length)
                break
    return [length for row in rows for length in row]


def block_mask(lengths: list[int], device) -> torch.Tensor:
    ids = torch.repeat_interleave(torch.arange(len(lengths), device=device), torch.tensor(lengths, device=device))
    causal = torch.ones(len(ids), len(ids), dtype=torch.bool, device=device).tril()
    return (causal & (ids[:, None] == ids[None, :]))[None, None]


def timed(fn, device: str, repeats: int) -> float:
    sync = torch.cuda.synchronize if device == "cuda" else lambda: None
    for _ in range(3):
        fn()
    sync()
    started = time.perf_counter()
    for _ in range(repeats):
        fn()
    sync()
    return (time.perf_counter() - started) / repeats * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dtype", choices=("bf16", "fp16", "fp32"), default="bf16")
    parser.add_argument("--device", choices=("cuda", "cpu"), default="cuda")
    parser.add_argument("--heads", type=int, default=32, help="query, key and value heads (Llama-2-7B: 32)")
    parser.add_argument("--dim", type=int, default=128, help="per head (Llama-2-7B: 128)")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[args.dtype]
    device, heads, dim = args.device, args.heads, args.dim
    lengths = packed_lengths()
    tokens = sum(lengths)
    edges = torch.tensor([0, *torch.tensor(lengths).cumsum(0).tolist()], dtype=torch.int32, device=device)
    torch.manual_seed(0)
    q, k, v = (torch.randn(1, heads, tokens, dim, device=device, dtype=dtype, requires_grad=True) for _ in range(3))
    grad_out = torch.randn(1, tokens, heads, dim, device=device, dtype=dtype)
    module = SimpleNamespace(training=True)
    scale = dim**-0.5
    mask = block_mask(lengths, device)

    def ours(flash: bool = True):
        return packed_attention(module, q, k, v, None, scaling=scale, flash=flash, cu_seq_lens_q=edges, max_length_q=max(lengths))[0]

    def ours_batched():  # what a GPU without FlashAttention runs (packed_attention picks it only on a GPU)
        return batched_sdpa(q, k, v, edges, scale, 0.0).unsqueeze(0)

    def per_text(cast=lambda t: t):  # what the CPU runs, and GPUs without FlashAttention ran before the batched kernel
        pieces = [
            F.scaled_dot_product_attention(*(cast(t[:, :, a:b]) for t in (q, k, v)), is_causal=True, scale=scale)
            for a, b in zip(edges.tolist(), edges.tolist()[1:])
        ]
        return torch.cat(pieces, dim=2).transpose(1, 2)

    def sdpa_masked():
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale).transpose(1, 2)

    def reference():  # fp32, one text at a time
        return per_text(cast=lambda t: t.float())

    kernels = {
        "packed_attention": ours,
        "packed_attention_batched": ours_batched,
        "per_text_sdpa": per_text,
        "sdpa_block_mask": sdpa_masked,
    }

    card = torch.cuda.get_device_name(0) if device == "cuda" else f"CPU, {torch.get_num_threads()} threads"
    results = {"texts": len(lengths), "tokens": tokens, "heads": heads, "dim": dim, "dtype": str(dtype), "card": card}
    grads = {}
    for name, fn in (("reference", reference), *kernels.items()):
        for t in (q, k, v):
            t.grad = None
        out = fn()
        out.float().backward(grad_out.float())
        grads[name] = (out.float(), *(t.grad.float() for t in (q, k, v)))
    for name in kernels:
        results[f"{name}_max_abs_diff"] = {
            part: round((mine - ref).abs().max().item(), 5)
            for part, mine, ref in zip(("out", "dq", "dk", "dv"), grads[name], grads["reference"])
        }

    def step(fn):
        return lambda: fn().backward(grad_out)

    results["fwd_bwd_ms_per_layer"] = {name: round(timed(step(fn), device, args.repeats), 3) for name, fn in kernels.items()}
    print(json.dumps(results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
