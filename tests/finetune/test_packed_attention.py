"""brandtone.finetune.packed_attention: which kernel it takes and, on a machine with a GPU, both kernels
a card's choices can pick there (brandtone.finetune.card: FlashAttention's varlen, one SDPA call per text)
against each text attended alone in fp64."""

from __future__ import annotations

import pytest
import torch

from brandtone.finetune import packed_attention


def packed_batch(device, dtype, kv_heads: int, generator):
    """Three texts packed into one row: query (1, 8 heads, tokens, 64), key/value with `kv_heads` heads."""
    edges = [0, 37, 38, 141]
    tokens = edges[-1]
    query = torch.randn(1, 8, tokens, 64, generator=generator).to(device, dtype).requires_grad_()
    key = torch.randn(1, kv_heads, tokens, 64, generator=generator).to(device, dtype).requires_grad_()
    value = torch.randn(1, kv_heads, tokens, 64, generator=generator).to(device, dtype).requires_grad_()
    return query, key, value, torch.tensor(edges, dtype=torch.int32, device=device)


def attention_and_grads(query, key, value, boundaries, flash: bool):
    module = torch.nn.Module()
    longest = int((boundaries[1:] - boundaries[:-1]).max())
    output, _ = packed_attention.packed_attention(
        module, query, key, value, None, scaling=0.125, flash=flash, cu_seq_lens_q=boundaries, max_length_q=longest
    )
    weights = torch.linspace(-1, 1, output.numel(), device=output.device).view_as(output)
    grads = torch.autograd.grad((output.float() * weights).sum(), (query, key, value))
    return output.float(), [g.float() for g in grads]


def reference(query, key, value, boundaries):
    """Each text's causal attention alone, in fp64 on the CPU."""
    q, k, v = (t.detach().double().cpu().requires_grad_() for t in (query, key, value))
    return attention_and_grads(q, k, v, boundaries.cpu(), flash=False)


def test_packed_attention_takes_flash_only_on_a_gpu_that_has_it():
    query = torch.zeros(1, 2, 4, 8, dtype=torch.bfloat16)
    assert packed_attention._flash_varlen_usable(query) is False  # the CPU
    if torch.cuda.is_available():
        on_gpu = query.cuda()
        expected = torch.cuda.get_device_capability() >= (8, 0) and packed_attention.VARLEN_ATTN is not None
        assert packed_attention._flash_varlen_usable(on_gpu) is expected
        assert packed_attention._flash_varlen_usable(on_gpu.float()) is False  # FlashAttention is 16-bit only


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
@pytest.mark.parametrize("kv_heads", [8, 2], ids=["mha", "gqa"])
@pytest.mark.parametrize("flash", [True, False], ids=["flash", "per-text-sdpa"])
def test_packed_attention_on_the_gpu_matches_each_text_alone(dtype, kv_heads, flash):
    """Both kernels a plan can pick on a GPU (FlashAttention's varlen on 8.0+, one SDPA call per text on a T4
    or V100 plan), with and without grouped-query heads, against fp64: outputs and input gradients."""
    if flash and not packed_attention._flash_varlen_usable(torch.zeros(1, device="cuda", dtype=dtype)):
        pytest.skip("this GPU or torch has no varlen FlashAttention")
    query, key, value, boundaries = packed_batch("cuda", dtype, kv_heads, torch.Generator().manual_seed(kv_heads))
    output, grads = attention_and_grads(query, key, value, boundaries, flash)
    expected, expected_grads = reference(query, key, value, boundaries)
    tolerance = 2e-2 if dtype == torch.bfloat16 else 4e-3
    for got, want in [(output, expected), *zip(grads, expected_grads)]:
        error = ((got.cpu().double() - want).norm() / want.norm()).item()
        assert error < tolerance, error
