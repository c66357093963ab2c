"""brandtone.finetune.packed_attention: which kernel it takes, and each kernel (FlashAttention's varlen on a GPU
that has it, texts of similar length batched into padded SDPA calls on other GPUs, one SDPA call per text on the
CPU) against each text attended alone in fp64: the batched and per-text kernels on the CPU, all on a GPU."""

from __future__ import annotations

import math
from itertools import accumulate

import pytest
import torch

from brandtone.finetune import packed_attention

SCALE = 0.125


def packed_batch(device, dtype, kv_heads: int, lengths: list[int], generator):
    """Texts of `lengths` packed into one row: query (1, 8 heads, tokens, 64), key/value with `kv_heads` heads."""
    edges = [0, *accumulate(lengths)]
    tokens = edges[-1]
    query, key, value = (
        torch.randn(1, heads, tokens, 64, generator=generator).to(device, dtype).requires_grad_() for heads in (8, kv_heads, kv_heads)
    )
    return query, key, value, torch.tensor(edges, dtype=torch.int32, device=device)


def attention_and_grads(query, key, value, boundaries, flash: bool):
    module = torch.nn.Module()
    longest = int((boundaries[1:] - boundaries[:-1]).max())
    output, _ = packed_attention.packed_attention(
        module, query, key, value, None, scaling=SCALE, flash=flash, cu_seq_lens_q=boundaries, max_length_q=longest
    )
    return output.float(), grads_of(output, (query, key, value))


def grads_of(output, inputs):
    weights = torch.linspace(-1, 1, output.numel(), device=output.device).view_as(output)
    return [g.float() for g in torch.autograd.grad((output.double() * weights.double()).sum(), inputs)]


def reference(query, key, value, boundaries):
    """Each text's causal attention alone, written out in fp64 on the CPU: (1, tokens, heads, dim), and grads."""
    q, k, v = (t.detach().double().cpu().requires_grad_() for t in (query, key, value))
    groups = q.shape[1] // k.shape[1]
    edges = boundaries.tolist()
    pieces = []
    for start, end in zip(edges, edges[1:]):
        qs, ks, vs = q[0, :, start:end], k[0, :, start:end].repeat_interleave(groups, 0), v[0, :, start:end].repeat_interleave(groups, 0)
        scores = qs @ ks.transpose(1, 2) * SCALE
        scores = scores.masked_fill(torch.ones(end - start, end - start, dtype=torch.bool).triu(1), -math.inf)
        pieces.append((scores.softmax(-1) @ vs).transpose(0, 1))  # (tokens, heads, dim)
    output = torch.cat(pieces).unsqueeze(0)
    return output.float(), grads_of(output, (q, k, v))


def assert_close(got, want, tolerance: float):
    output, grads = got
    expected, expected_grads = want
    for name, a, b in [("output", output, expected), *zip(("query", "key", "value"), grads, expected_grads)]:
        error = ((a.cpu().double() - b.double()).norm() / b.double().norm()).item()
        assert error < tolerance, (name, error)


# one token, short posts, both sides of the short-text limit, and longer pages two length classes apart
LENGTHS = [1, 37, 64, 65, 100, 3, 130, 300, 2]


def test_packed_attention_takes_flash_only_on_a_gpu_that_has_it():
    query = torch.zeros(1, 2, 4, 8, dtype=torch.bfloat16)
    assert packed_attention._flash_varlen_usable(query) is False  # the CPU
    if torch.cuda.is_available():
        on_gpu = query.cuda()
        expected = torch.cuda.get_device_capability() >= (8, 0) and packed_attention.VARLEN_ATTN is not None
        assert packed_attention._flash_varlen_usable(on_gpu) is expected
        assert packed_attention._flash_varlen_usable(on_gpu.float()) is False  # FlashAttention is 16-bit only


@pytest.mark.parametrize("kv_heads", [8, 2], ids=["mha", "gqa"])
def test_per_text_attention_on_the_cpu_matches_each_text_alone(kv_heads):
    """What packed_attention runs on the CPU: one SDPA call per text, fp32."""
    query, key, value, boundaries = packed_batch("cpu", torch.float32, kv_heads, LENGTHS, torch.Generator().manual_seed(kv_heads))
    assert_close(attention_and_grads(query, key, value, boundaries, flash=True), reference(query, key, value, boundaries), 1e-5)


@pytest.mark.parametrize("kv_heads", [8, 2], ids=["mha", "gqa"])
def test_batched_attention_matches_each_text_alone(kv_heads):
    """A T4's or V100's kernel, run here on the CPU: texts of similar length padded into one SDPA call per length
    class, fp32."""
    query, key, value, boundaries = packed_batch("cpu", torch.float32, kv_heads, LENGTHS, torch.Generator().manual_seed(kv_heads))
    output = packed_attention.batched_sdpa(query, key, value, boundaries, SCALE, 0.0).unsqueeze(0)
    got = (output.float(), grads_of(output, (query, key, value)))
    assert_close(got, reference(query, key, value, boundaries), 1e-5)


def test_length_classes_pad_each_text_at_most_to_twice_its_length_beyond_short_texts():
    edges = [0, *accumulate(LENGTHS)]
    groups, restore = packed_attention._length_groups(edges, "cpu")
    assert [tuple(gather.shape) for gather, _ in groups] == [(5, 64), (2, 100), (1, 130), (1, 300)]
    assert sum(len(keep) for _, keep in groups) == edges[-1] == len(restore)
    assert sorted(restore.tolist()) == list(range(edges[-1]))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
@pytest.mark.parametrize("kv_heads", [8, 2], ids=["mha", "gqa"])
@pytest.mark.parametrize("flash", [True, False], ids=["flash", "batched-sdpa"])
def test_packed_attention_on_the_gpu_matches_each_text_alone(dtype, kv_heads, flash):
    """Both kernels a plan can pick on a GPU (FlashAttention's varlen on 8.0+, batched SDPA on a T4 or V100
    plan), with and without grouped-query heads, against fp64: outputs and input gradients."""
    if flash and not packed_attention._flash_varlen_usable(torch.zeros(1, device="cuda", dtype=dtype)):
        pytest.skip("this GPU or torch has no varlen FlashAttention")
    query, key, value, boundaries = packed_batch("cuda", dtype, kv_heads, LENGTHS, torch.Generator().manual_seed(kv_heads))
    tolerance = 2e-2 if dtype == torch.bfloat16 else 4e-3
    assert_close(attention_and_grads(query, key, value, boundaries, flash), reference(query, key, value, boundaries), tolerance)
