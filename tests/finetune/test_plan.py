"""Stage 4's plan for the cards people fine-tune on, decided from compute capability and memory alone.

make_plan is a pure function of the model's shape, the config, the `Device` and the installed kernel
packages, so every card is planned here on the CPU. The model is the Llama-2-7B shape the GPU bench
trains (bench/synthetic.py), with the default config (4-bit, LoRA r=16 on every linear layer, rows of
2,048 tokens). The card's choices on their own, and the settings that override them, are tested in
tests/finetune/test_card.py. The automatic choices behind stage 4's speed paths (the optimizer, compiled
decoder layers, fused LoRA) are checked last, on the tiny random Llama.
"""

from __future__ import annotations

import pytest
import torch

from brandtone.config import load_config
from brandtone.errors import StageError
from brandtone.finetune import packed_attention
from brandtone.finetune.card import LIGER_MISSING
from brandtone.finetune.memory import ModelShape
from brandtone.finetune.plan import describe, make_plan
from brandtone.memory import GIB, Device
from tests.helpers.configs import write_config
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
FLASH_VARLEN = "flash" if packed_attention.VARLEN_ATTN is not None else "batched_sdpa"  # torch 2.10+ has it

# card, compute capability, memory as the driver reports it (GiB), then what the plan must choose:
# compute dtype, the packed attention's kernel, Liger (when installed), gradient checkpointing
CARDS = [
    ("Tesla T4", (7, 5), 14.6, "float16", "batched_sdpa", False, True),
    ("Tesla V100-SXM2-16GB", (7, 0), 15.8, "float16", "batched_sdpa", False, True),
    ("Tesla V100-SXM2-32GB", (7, 0), 31.7, "float16", "batched_sdpa", False, False),
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


def test_the_cards_warning_reaches_the_plan(config):
    h100 = Device("cuda", "NVIDIA H100 80GB HBM3", 79.2 * GIB, (9, 0))
    plan = make_plan(config, LLAMA2_7B, h100, installed=frozenset())
    assert plan.use_liger_kernel is False and plan.warnings == (LIGER_MISSING,)


def test_a_memory_limit_overrides_the_cards_memory(config):
    limited = config.model_copy(update={"finetune": config.finetune.model_copy(update={"memory_limit_gib": 15})})
    h100 = Device("cuda", "NVIDIA H100 80GB HBM3", 79.2 * GIB, (9, 0))
    plan = make_plan(limited, LLAMA2_7B, h100, installed=LIGER)
    assert plan.memory_budget_gib == 15 and plan.peak_estimate_gib <= 15 and plan.gradient_checkpointing


# --------------------------------------------------------------------------- the automatic choices, on the tiny model


def plan_for(tiny_model_dir, tmp_path, device="cpu", **finetune):
    """The plan for the tiny model on `device`: a kind ("cpu", "cuda": this machine's) or a Device (any card)."""
    from brandtone.finetune.shape import model_shape
    from brandtone.memory import detect_device
    from brandtone.models import load_tokenizer

    config = load_config(write_config(tmp_path, tiny_model_dir, finetune))
    device = detect_device(device) if isinstance(device, str) else device
    return config.finetune, make_plan(config, model_shape(config, len(load_tokenizer(str(tiny_model_dir)))), device)


def test_automatic_optimizer_is_fused_adamw_on_a_gpu_while_its_states_are_small(tiny_model_dir, tmp_path):
    from brandtone.finetune.plan import resolve_optim
    from brandtone.memory import GIB, Device

    assert resolve_optim("auto", "cpu", 40_000_000, 100 * GIB) == "adamw_torch"
    assert resolve_optim("auto", "cuda", 40_000_000, 100 * GIB) == "adamw_torch_fused"  # r=16 all-linear on 7B: 0.3 GiB
    assert resolve_optim("auto", "cuda", 160_000_000, 8 * GIB) == "paged_adamw_8bit"  # r=64 on a low-memory plan: 1.2 GiB
    assert resolve_optim("sgd", "cuda", 1, GIB) == "sgd"  # a named optimizer is kept
    _, plan = plan_for(tiny_model_dir, tmp_path)
    assert plan.optim == "adamw_torch" and plan.fused_lora is True and plan.compile is False
    h100 = Device("cuda", "NVIDIA H100 80GB HBM3", 79.2 * GIB, (9, 0))
    for device in [h100] + (["cuda"] if torch.cuda.is_available() else []):  # and this machine's GPU, where there is one
        _, plan = plan_for(tiny_model_dir, tmp_path, device)
        assert plan.device == "cuda" and plan.optim == "adamw_torch_fused" and plan.fused_lora is True


def test_compile_is_decided_from_the_planned_tokens_and_refuses_what_cannot_compile(tiny_model_dir, tmp_path, monkeypatch):
    from brandtone.finetune import plan as finetune_plan
    from brandtone.finetune.plan import compile_pays_back, resolve_compile, with_steps

    finetune, plan = plan_for(tiny_model_dir, tmp_path, compile="auto")
    assert plan.compile is False  # auto never compiles on a CPU
    assert with_steps(plan, finetune, rows_per_epoch=1000).compile is False
    gpu = finetune.model_copy(update={"compile": "auto"})
    assert resolve_compile(gpu, "cuda", None, 6.74e9) is None  # undecided until the data is counted
    # with the measured figures (compiled no faster than eager on the device's clock) nothing repays the warm-up
    assert finetune_plan.COMPILE_SPEEDUP < 1 and resolve_compile(gpu, "cuda", 10**9, 6.74e9) is False
    monkeypatch.setattr(finetune_plan, "COMPILE_SPEEDUP", 1.13)  # a card or model where compiling does pay
    assert resolve_compile(gpu, "cuda", 365_000, 6.74e9) is False  # the bench corpus, 3 epochs: warm-up not repaid
    assert resolve_compile(gpu, "cuda", 20_000_000, 6.74e9) is True
    assert compile_pays_back(1_000_000, 70e9) is True  # a 10x larger model takes 10x longer per token
    assert resolve_compile(gpu.model_copy(update={"use_liger_kernel": True}), "cuda", 20_000_000, 6.74e9) is False

    finetune, plan = plan_for(tiny_model_dir, tmp_path, compile=True, fused_lora_groups=True)
    assert plan.compile is True and plan.use_liger_kernel is False  # Liger's RMSNorm does not compile
    assert plan.fused_lora_groups is False  # the groups keep Python state between calls: not under compile
    assert plan_for(tiny_model_dir, tmp_path, fused_lora_groups=True)[1].fused_lora_groups is True
    assert plan_for(tiny_model_dir, tmp_path)[1].fused_lora_groups is False  # off unless asked for (measured no faster)
    with pytest.raises(StageError, match="needs finetune.packing=true"):
        plan_for(tiny_model_dir, tmp_path, compile=True, packing=False)
    with pytest.raises(StageError, match="use_liger_kernel"):
        plan_for(tiny_model_dir, tmp_path, compile=True, use_liger_kernel=True)
    with pytest.raises(StageError, match="finetune.load_in_4bit is false"):
        plan_for(tiny_model_dir, tmp_path, fused_lora=True, load_in_4bit=False)
    _, plan = plan_for(tiny_model_dir, tmp_path, load_in_4bit=False)
    assert plan.fused_lora is False  # auto: nothing to fuse without a 4-bit base
