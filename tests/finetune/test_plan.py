"""Stage 4's plan for the cards people fine-tune on, decided from compute capability and memory alone.

make_plan is a pure function of the model's shape, the config, the `Device` and the installed kernel
packages, so every card is planned here on the CPU. The model is the Llama-2-7B shape the GPU bench
trains (bench/synthetic.py), with the default config (4-bit, LoRA r=16 on every linear layer, rows of
2,048 tokens). On a machine with a GPU, the attention kernel each plan picks is also run there.
"""

from __future__ import annotations

import pytest
import torch

from brandtone.config import load_config
from brandtone.errors import StageError
from brandtone.finetune import packed_attention
from brandtone.finetune.memory import ModelShape
from brandtone.finetune.plan import LIGER_MISSING, describe, make_plan
from brandtone.memory import GIB, Device
from tests.helpers.paths import REPO

# Llama-2-7B with LoRA r=16 on q, k, v, o, gate, up, down (the counts model_shape gives for it)
LLAMA2_7B = ModelShape(
    hidden=4096,
    intermediate=11008,
    layers=32,
    kv_width=4096,
    vocab=32000,
    total_params=6_738_415_616,
    quantizable_params=6_476_005_376,
    lora_params=39_976_960,
    lora_modules_per_layer=7,
    lora_input_width_per_layer=6 * 4096 + 11008,
)
LIGER = frozenset({"liger_kernel"})
FLASH_VARLEN = "flash" if packed_attention.VARLEN_ATTN is not None else "per_text_sdpa"  # torch 2.10+ has it

# card, compute capability, memory as the driver reports it (GiB), then what the plan must choose:
# compute dtype, the packed attention's kernel, Liger (when installed), gradient checkpointing
CARDS = [
    ("Tesla T4", (7, 5), 14.6, "float16", "per_text_sdpa", False, True),
    ("Tesla V100-SXM2-16GB", (7, 0), 15.8, "float16", "per_text_sdpa", False, True),
    ("Tesla V100-SXM2-32GB", (7, 0), 31.7, "float16", "per_text_sdpa", False, False),
    ("NVIDIA A10G", (8, 6), 22.1, "bfloat16", FLASH_VARLEN, True, False),
    ("NVIDIA L4", (8, 9), 22.0, "bfloat16", FLASH_VARLEN, True, False),
    ("NVIDIA GeForce RTX 4090", (8, 9), 23.6, "bfloat16", FLASH_VARLEN, True, False),
    ("NVIDIA A100-SXM4-40GB", (8, 0), 39.4, "bfloat16", FLASH_VARLEN, True, False),
    ("NVIDIA A100-SXM4-80GB", (8, 0), 79.1, "bfloat16", FLASH_VARLEN, True, False),
    ("NVIDIA H100 80GB HBM3", (9, 0), 79.2, "bfloat16", FLASH_VARLEN, True, False),
    ("NVIDIA H200", (9, 0), 139.8, "bfloat16", FLASH_VARLEN, True, False),
]


@pytest.fixture(scope="module")
def config():
    return load_config(REPO / "config.yaml", ["model.base=unused"])


@pytest.mark.parametrize("name, capability, memory_gib, dtype, kernel, liger, checkpointing", CARDS, ids=[c[0] for c in CARDS])
def test_every_card_gets_a_dtype_attention_and_batch_it_can_run(config, name, capability, memory_gib, dtype, kernel, liger, checkpointing):
    device = Device("cuda", name, memory_gib * GIB, capability)
    plan = make_plan(config, LLAMA2_7B, device, installed=LIGER)
    assert (plan.dtype, plan.attn_implementation, plan.varlen_kernel) == (dtype, "varlen", kernel)
    assert plan.use_liger_kernel is liger and plan.gradient_checkpointing is checkpointing
    assert plan.peak_estimate_gib <= plan.memory_budget_gib <= 0.9 * memory_gib  # the batch fits the card
    assert plan.rows_per_batch >= 1 and plan.optim == "adamw_torch_fused" and plan.warnings == ()
    if memory_gib > 60:
        assert plan.rows_per_batch == 4  # the large cards take the measured best batch, 4 x 2,048 tokens
    text = describe(plan)
    assert f"{name}, compute capability {capability[0]}.{capability[1]}" in text and "why:" in text
    if dtype == "float16":  # the reasons name what the card lacks
        assert "bf16 needs compute capability 8.0+" in text and "fp16 with loss scaling" in text
        assert "FlashAttention needs compute capability 8.0+" in text and "Triton supports compute capability 8.0+" in text


def test_a_gpu_that_could_use_liger_without_it_installed_gets_one_warning_with_the_pip_line(config):
    h100 = Device("cuda", "NVIDIA H100 80GB HBM3", 79.2 * GIB, (9, 0))
    plan = make_plan(config, LLAMA2_7B, h100, installed=frozenset())
    assert plan.use_liger_kernel is False and plan.warnings == (LIGER_MISSING,)
    assert "pip install 'liger-kernel" in LIGER_MISSING and "19% slower" in LIGER_MISSING and "9.5 GiB" in LIGER_MISSING
    t4 = Device("cuda", "Tesla T4", 14.6 * GIB, (7, 5))
    assert make_plan(config, LLAMA2_7B, t4, installed=frozenset()).warnings == ()  # Liger would not run there anyway
    cpu = Device("cpu", "cpu", 20 * GIB)
    plan = make_plan(config, LLAMA2_7B, cpu, installed=frozenset())
    assert (plan.dtype, plan.varlen_kernel, plan.use_liger_kernel, plan.warnings) == ("float32", "per_text_sdpa", False, ())


def test_settings_override_the_card_and_impossible_ones_are_refused(config):
    t4 = Device("cuda", "Tesla T4", 14.6 * GIB, (7, 5))
    forced = config.model_copy(update={"finetune": config.finetune.model_copy(update={"compute_dtype": "fp32", "use_liger_kernel": True})})
    plan = make_plan(forced, LLAMA2_7B, t4, installed=LIGER)
    assert plan.dtype == "float32" and plan.varlen_kernel == "per_text_sdpa" and plan.use_liger_kernel is True
    with pytest.raises(StageError, match="liger-kernel is not installed"):
        make_plan(forced, LLAMA2_7B, t4, installed=frozenset())
    limited = config.model_copy(update={"finetune": config.finetune.model_copy(update={"memory_limit_gib": 15})})
    h100 = Device("cuda", "NVIDIA H100 80GB HBM3", 79.2 * GIB, (9, 0))
    plan = make_plan(limited, LLAMA2_7B, h100, installed=LIGER)
    assert plan.memory_budget_gib == 15 and plan.peak_estimate_gib <= 15 and plan.gradient_checkpointing


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
