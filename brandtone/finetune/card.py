"""Stage 4's choices the card makes: the compute dtype, the attention implementation (and, for packed
rows, its kernel) and Liger's kernels.

Only the device's kind and compute capability (a `Device`) and the optional kernel packages installed
decide them, so the choices for any card are a pure function of those: tests/finetune/test_card.py
makes them for cards this machine does not have. brandtone.finetune.plan takes them into the plan, with
the batch that fits the card's memory; `--dry-run` prints them and why.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Optional

import torch

from brandtone.config_schema import FinetuneConfig
from brandtone.errors import StageError
from brandtone.finetune.packed_attention import FLASH_MIN_CAPABILITY, VARLEN_ATTN
from brandtone.memory import Device
from brandtone.models import resolve_dtype

FLASH3_CAPABILITY = (9, 0)  # FlashAttention 3 is written for Hopper
# Liger's kernels are Triton kernels; Triton's README lists NVIDIA GPUs of compute capability 8.0+. Older
# cards (T4, V100) train without them unless finetune.use_liger_kernel=true says otherwise.
LIGER_MIN_CAPABILITY = (8, 0)
# What liger-kernel buys, measured on one H100 (bench/NOTES.md, issue 27): the 7B-shaped bench model's
# default plan without it ran 19% slower and peaked 9.5 GiB higher (12,365 vs 15,269 steady tokens/s).
LIGER_MISSING = (
    "liger-kernel is not installed: this GPU trains without its fused RMSNorm/SwiGLU/RoPE kernels, measured 19% slower"
    " and 9.5 GiB more memory on an H100 (7B model, bench/NOTES.md); pip install 'liger-kernel>=0.8.5'"
)
OPTIONAL_KERNELS = ("liger_kernel", "flash_attn", "flash_attn_interface")


def installed_kernels() -> frozenset[str]:
    """Which of the optional kernel packages this environment has (card_choices takes them as an argument)."""
    return frozenset(name for name in OPTIONAL_KERNELS if importlib.util.find_spec(name) is not None)


@dataclass(frozen=True)
class CardChoices:
    """What the device decides: compute dtype, attention (and, for `varlen`, its kernel), Liger; with the reasons."""

    dtype: torch.dtype
    attn_implementation: str
    varlen_kernel: Optional[str]  # "flash" (FlashAttention's variable-length kernel) or "batched_sdpa"; None without varlen
    use_liger_kernel: bool
    reasons: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def card_name(device: Device) -> str:
    """The device's name with its compute capability, where it has one (the plan's `card`)."""
    return f"{device.name}, compute capability {device.capability[0]}.{device.capability[1]}" if device.capability else device.name


def _below(device: Device) -> str:
    return f"{device.name} is {device.capability[0]}.{device.capability[1]}" if device.capability else device.name


def card_choices(finetune: FinetuneConfig, device: Device, installed: Optional[frozenset[str]] = None) -> CardChoices:
    """Resolve compute_dtype, attn_implementation and use_liger_kernel for `device` (pure: its kind,
    compute capability and the installed kernel packages decide; `installed_kernels()` when not given)."""
    installed = installed_kernels() if installed is None else installed
    on_gpu, capability = device.kind == "cuda", device.capability or (0, 0)
    dtype = resolve_dtype(finetune.compute_dtype, device.kind, capability=capability if on_gpu else None)
    reasons = [
        f"compute dtype {str(dtype).removeprefix('torch.')}: "
        + (
            "finetune.compute_dtype"
            if finetune.compute_dtype != "auto"
            else "bf16 in hardware"
            if dtype == torch.bfloat16
            else f"bf16 needs compute capability 8.0+ ({_below(device)}): fp16 with loss scaling"
            if on_gpu
            else "fp32 on the CPU"
        )
    ]
    flash_ok = on_gpu and capability >= FLASH_MIN_CAPABILITY and dtype in (torch.float16, torch.bfloat16)

    setting = finetune.attn_implementation
    if setting.startswith("flash_attention") and not on_gpu:
        raise StageError(f"finetune.attn_implementation={setting} needs a GPU: use auto or varlen on the CPU")
    if setting == "varlen" and not finetune.packing:
        raise StageError("finetune.attn_implementation=varlen needs finetune.packing=true: use auto or sdpa without packing")
    if setting != "auto":
        attention, why = setting, "finetune.attn_implementation"
    elif flash_ok and capability >= FLASH3_CAPABILITY and "flash_attn_interface" in installed:
        attention, why = "flash_attention_3", "FlashAttention 3 is installed and this is a Hopper GPU"
    elif flash_ok and "flash_attn" in installed:
        attention, why = "flash_attention_2", "FlashAttention 2 is installed"
    elif finetune.packing:
        attention, why = "varlen", "packed rows: each text attends only to itself"
    else:
        attention, why = "sdpa", "no packing"
    kernel = None
    if attention == "varlen":
        kernel = "flash" if flash_ok and VARLEN_ATTN is not None else "batched_sdpa" if on_gpu else "per_text_sdpa"
        if kernel == "flash":
            why += ", FlashAttention's variable-length kernel"
        elif not on_gpu:
            why += ", one SDPA call per text (the CPU)"
        else:
            no_flash = (
                f"FlashAttention needs compute capability 8.0+ and 16-bit; {_below(device)}, {str(dtype).removeprefix('torch.')}"
                if not flash_ok
                else "this torch has no varlen FlashAttention (2.10+)"
            )
            why += f", texts of similar length batched into padded SDPA calls ({no_flash})"
    reasons.append(f"attention {attention}: {why}")

    liger_setting, liger_installed = finetune.use_liger_kernel, "liger_kernel" in installed
    warnings = []
    if liger_setting is True and not liger_installed:
        raise StageError("finetune.use_liger_kernel is true but liger-kernel is not installed: pip install liger-kernel, or set it to auto")
    if liger_setting != "auto":
        liger, why = bool(liger_setting), "finetune.use_liger_kernel"
    elif not on_gpu:
        liger, why = False, "its kernels are for GPUs"
    elif capability < LIGER_MIN_CAPABILITY:
        liger, why = False, f"Triton supports compute capability 8.0+ ({_below(device)})"
    elif not liger_installed:
        liger, why = False, "liger-kernel is not installed"
        warnings.append(LIGER_MISSING)
    else:
        liger, why = True, "installed, and this GPU runs Triton kernels"
    reasons.append(f"Liger kernels {'on' if liger else 'off'}: {why}")
    return CardChoices(dtype, attention, kernel, liger, tuple(reasons), tuple(warnings))
