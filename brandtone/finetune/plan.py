"""Stage 4's automatic choices, decided before any weight is loaded.

From the model's shape (brandtone.finetune.shape counts it on the meta device) we estimate peak
memory (brandtone/finetune/memory.py) and resolve the `auto` settings: tokens per batch, gradient
checkpointing, optimiser, the fused 4-bit LoRA layers, the trackers and, once the data is counted,
whether to compile the decoder layers; the card's own choices (compute dtype, attention, Liger
kernels) come from brandtone.finetune.card. The device enters only as a `Device` (its compute
capability and memory), so the plan for any card is a pure function of it (tests/finetune/test_plan.py
plans for T4 to H200). `--dry-run` prints the result and why.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import asdict, dataclass, replace
from typing import Optional

import torch

from brandtone.config_schema import Config, FinetuneConfig
from brandtone.errors import StageError
from brandtone.finetune.card import card_choices, card_name
from brandtone.finetune.memory import MAX_AUTO_TOKENS, OPTIMIZER_STATE_BYTES, ModelShape, estimate_peak_bytes
from brandtone.memory import GIB, MEMORY_HEADROOM, Device, budget_bytes

# On a GPU, fused AdamW (a few multi-tensor kernels for all adapter tensors) measured 9% faster steps than
# bitsandbytes' paged 8-bit AdamW (one kernel per tensor), for 6 more bytes of optimizer state per trainable
# parameter (bench/NOTES.md). Worth it while those states are a small share of the memory budget: r=16 on
# every linear layer of a 7B model keeps 0.3 GiB of them. Large ranks on small cards keep the 8-bit states.
FUSED_ADAMW_MAX_BUDGET_SHARE = 0.05
MEMORY_SHARE_WORDS = {kind: f"{share:.0%} of" for kind, share in MEMORY_HEADROOM.items()}


def resolve_optim(setting: str, device: str, trainable_params: int, budget_bytes: float) -> str:
    if setting != "auto":
        return setting
    if device != "cuda":
        return "adamw_torch"
    fused_states = trainable_params * OPTIMIZER_STATE_BYTES["adamw_torch_fused"]
    return "adamw_torch_fused" if fused_states <= FUSED_ADAMW_MAX_BUDGET_SHARE * budget_bytes else "paged_adamw_8bit"


def resolve_fused_lora(finetune: FinetuneConfig) -> bool:
    """`auto`: brandtone.finetune.fused_lora for every LoRA layer over a 4-bit base layer (all of them under QLoRA)."""
    if finetune.fused_lora is True and not finetune.load_in_4bit:
        raise StageError(
            "finetune.fused_lora=true fuses LoRA into 4-bit layers, but finetune.load_in_4bit is false: set fused_lora to auto or false"
        )
    return finetune.load_in_4bit and finetune.fused_lora is not False


# torch.compile of the decoder layers, measured on one H100 on 2026-12-07 with the 7B-shaped bench model (bench/NOTES.md,
# bench/measured/*2026-12-07-b*): the first compiled step took 7.7 s longer than the eager one with Inductor's cache
# empty (3.1 s with it warm); over the 20x corpus the steps after it ran at 16,068 real tokens/s against 16,247 eager,
# on the device's clock. The eager path (Liger's kernels, fused LoRA, no per-step read-backs) keeps this GPU busy, so
# compiling saves host time the GPU no longer waits for: `auto` keeps the layers eager until a measurement shows a gain.
COMPILE_WARMUP_SECONDS = 7.7
COMPILE_SPEEDUP = 16_068 / 16_247
EAGER_TOKENS_PER_SECOND_7B = 16_247
BENCH_MODEL_PARAMS = 6.74e9


def compile_pays_back(tokens: int, total_params: int) -> bool:
    """Whether compiling saves more time than it costs over `tokens` training tokens: the measured eager
    speed scaled by model size (time per token grows with the parameters), the measured speed-up and
    warm-up. A speed-up under 1 never pays back."""
    eager_seconds = tokens / (EAGER_TOKENS_PER_SECOND_7B * BENCH_MODEL_PARAMS / total_params)
    return eager_seconds * (1 - 1 / COMPILE_SPEEDUP) > COMPILE_WARMUP_SECONDS


def resolve_compile(finetune: FinetuneConfig, device: str, planned_tokens: Optional[int], total_params: int) -> Optional[bool]:
    """`auto`: on a GPU, when the run trains enough tokens to repay the warm-up (None until the data is
    counted). Compiling needs fixed row shapes, which only packing gives."""
    if finetune.compile is True:
        if not finetune.packing:
            raise StageError("finetune.compile=true needs finetune.packing=true (fixed row shapes): set compile to auto or false")
        if finetune.use_liger_kernel is True:
            raise StageError(
                "finetune.compile=true and finetune.use_liger_kernel=true: Liger's RMSNorm kernel does not compile"
                " under torch.compile; set use_liger_kernel to auto (off when compiling) or compile to false"
            )
        return True
    if finetune.compile is False or device != "cuda" or not finetune.packing or finetune.use_liger_kernel is True:
        return False
    if planned_tokens is None:
        return None
    return compile_pays_back(planned_tokens, total_params)


TRACKER_PACKAGES = {"tensorboard": "tensorboard", "wandb": "wandb", "mlflow": "mlflow", "trackio": "trackio"}


def resolve_trackers(report_to: list[str]) -> list[str]:
    """finetune.report_to without `none`; a StageError naming any tracker whose package is not installed
    (transformers would only fail when its callback starts, after the model has loaded)."""
    missing = [TRACKER_PACKAGES[name] for name in report_to if name != "none" and importlib.util.find_spec(TRACKER_PACKAGES[name]) is None]
    if missing:
        raise StageError(
            f"finetune.report_to names {', '.join(missing)}, not installed: pip install {' '.join(missing)},"
            " or remove it from finetune.report_to"
        )
    return [name for name in report_to if name != "none"]


@dataclass(frozen=True)
class Plan:
    device: str  # "cuda" or "cpu"
    card: str  # the device's name (and compute capability)
    dtype: str
    optim: str
    attn_implementation: str
    varlen_kernel: Optional[str]  # CardChoices.varlen_kernel
    use_liger_kernel: bool
    tokens_per_batch: int
    rows_per_batch: int
    gradient_checkpointing: bool
    memory_budget_gib: float
    estimate_gib: dict[str, float]
    total_params: int
    trainable_params: int
    trackers: list[str]  # finetune.report_to, each installed
    fused_lora: bool  # brandtone.finetune.fused_lora on the 4-bit LoRA layers
    fused_lora_groups: bool  # ... with q/k/v and gate/up as one product each (finetune.fused_lora_groups)
    compile: Optional[bool]  # torch.compile of the decoder layers; None (auto) until the data is counted
    reasons: tuple[str, ...] = ()  # why the device-dependent choices are what they are (describe prints them)
    warnings: tuple[str, ...] = ()  # logged as warnings by stage 4 (a kernel package this GPU would use is missing)
    optimizer_steps: Optional[int] = None  # known once the training data is tokenised (with_steps)

    @property
    def torch_dtype(self) -> torch.dtype:
        return getattr(torch, self.dtype)

    @property
    def peak_estimate_gib(self) -> float:
        return round(sum(self.estimate_gib.values()), 2)

    def as_dict(self) -> dict:
        return {**asdict(self), "peak_estimate_gib": self.peak_estimate_gib}


def make_plan(config: Config, shape: ModelShape, device: Device, installed: Optional[frozenset[str]] = None) -> Plan:
    """Resolve every `auto` in the finetune section for `device` (its compute capability and memory) and the
    installed kernel packages (brandtone.finetune.card.installed_kernels() when not given). Pure given those."""
    finetune = config.finetune
    card = card_choices(finetune, device, installed)
    dtype = card.dtype
    budget = budget_bytes(device, finetune.memory_limit_gib)
    optim = resolve_optim(finetune.optim, device.kind, shape.lora_params, budget)

    def peak(tokens: int, checkpointing: bool) -> float:
        return sum(estimate_peak_bytes(shape, finetune, dtype, tokens, checkpointing, optim, device.kind).values())

    options = [False, True] if finetune.gradient_checkpointing == "auto" else [bool(finetune.gradient_checkpointing)]
    if finetune.tokens_per_batch is not None:
        tokens = finetune.tokens_per_batch
        checkpointing = next((c for c in options if peak(tokens, c) <= budget), options[-1])
    else:
        # the most rows of max_length that fit, preferring no checkpointing (about a third faster)
        cap = max(finetune.max_length, MAX_AUTO_TOKENS[device.kind])
        tokens, checkpointing = finetune.max_length, options[-1]
        for candidate in options:
            rows = cap // finetune.max_length
            while rows > 1 and peak(rows * finetune.max_length, candidate) > budget:
                rows -= 1
            if peak(rows * finetune.max_length, candidate) <= budget:
                tokens, checkpointing = rows * finetune.max_length, candidate
                break
    rows = max(1, tokens // finetune.max_length)
    parts = estimate_peak_bytes(shape, finetune, dtype, rows * finetune.max_length, checkpointing, optim, device.kind)
    compile_layers = resolve_compile(finetune, device.kind, None, shape.total_params)
    memory_why = (
        f"batch {rows} x {finetune.max_length} tokens, checkpointing {'on' if checkpointing else 'off'}:"
        f" the most that fits {budget / GIB:.1f} GiB"
        + (
            " (finetune.memory_limit_gib)"
            if finetune.memory_limit_gib
            else f" ({MEMORY_SHARE_WORDS[device.kind]} {device.memory_bytes / GIB:.1f} GiB)"
        )
    )
    return Plan(
        device=device.kind,
        card=card_name(device),
        dtype=str(dtype).removeprefix("torch."),
        optim=optim,
        attn_implementation=card.attn_implementation,
        varlen_kernel=card.varlen_kernel,
        use_liger_kernel=card.use_liger_kernel and not compile_layers,
        tokens_per_batch=rows * finetune.max_length,
        rows_per_batch=rows,
        gradient_checkpointing=checkpointing,
        memory_budget_gib=round(budget / GIB, 2),
        estimate_gib={name: round(value / GIB, 3) for name, value in parts.items()},
        total_params=shape.total_params + shape.lora_params,
        trainable_params=shape.lora_params,
        trackers=resolve_trackers(finetune.report_to),
        fused_lora=resolve_fused_lora(finetune),
        fused_lora_groups=resolve_fused_lora(finetune) and finetune.fused_lora_groups and not compile_layers,
        compile=compile_layers,
        reasons=(*card.reasons, memory_why),
        warnings=card.warnings,
    )


def with_steps(plan: Plan, finetune: FinetuneConfig, rows_per_epoch: int, processes: int = 1) -> Plan:
    """The plan with the run's optimizer steps, counted as the Trainer counts them
    (brandtone.finetune.data.rows_per_epoch gives the rows), and the compile decision they allow."""
    batches = math.ceil(rows_per_epoch / (plan.rows_per_batch * processes))
    per_epoch = max(1, math.ceil(batches / finetune.gradient_accumulation_steps))
    steps = math.ceil(per_epoch * finetune.num_train_epochs)
    if plan.compile is not None:
        return replace(plan, optimizer_steps=steps)
    planned_tokens = steps * finetune.gradient_accumulation_steps * plan.tokens_per_batch
    compile_layers = resolve_compile(finetune, plan.device, planned_tokens, plan.total_params)
    return replace(
        plan,
        optimizer_steps=steps,
        compile=compile_layers,
        use_liger_kernel=plan.use_liger_kernel and not compile_layers,
        fused_lora_groups=plan.fused_lora_groups and not compile_layers,
    )


def warmup_problem(plan: Plan, finetune: FinetuneConfig) -> Optional[str]:
    """A warm-up as long as the run keeps the learning rate rising to the end (from 0 at step 0):
    the loss barely moves and nothing says why. Refused before training."""
    steps = plan.optimizer_steps
    if steps is None or finetune.warmup_steps < steps:
        return None
    return (
        f"finetune.warmup_steps={finetune.warmup_steps} is at or beyond the run's {steps} optimizer steps"
        f" (finetune.num_train_epochs={finetune.num_train_epochs:g}): the learning rate would never finish warming up;"
        f" lower finetune.warmup_steps (e.g. {steps // 10}) or train for longer"
    )


def oom_error(config: Config, plan: Plan) -> StageError:
    """What to turn down when the card ran out of memory anyway: the plan's batch is sized by an estimate."""
    finetune = config.finetune
    return StageError(
        f"CUDA out of memory with {plan.tokens_per_batch} tokens per micro-step"
        f" (estimated peak {plan.peak_estimate_gib} GiB): lower finetune.tokens_per_batch"
        f" (now {finetune.tokens_per_batch if finetune.tokens_per_batch is not None else f'auto = {plan.tokens_per_batch}'}),"
        f" finetune.max_length (now {finetune.max_length}),"
        f" set finetune.gradient_checkpointing=true (now {finetune.gradient_checkpointing}),"
        f" or lower finetune.lora_r (now {finetune.lora_r})"
    )


def _compile_words(compile_layers: Optional[bool]) -> str:
    if compile_layers is None:
        return "compiled if the run is long enough (decided once the data is counted)"
    return "compiled (torch.compile)" if compile_layers else "not compiled"


def describe(plan: Plan) -> str:
    parts = ", ".join(f"{name} {value:.2f}" for name, value in plan.estimate_gib.items())
    return "\n".join(
        [
            f"  parameters: {plan.trainable_params:,} trainable of {plan.total_params:,} total"
            f" ({100 * plan.trainable_params / plan.total_params:.2f}%)",
            f"  device: {plan.card}, compute dtype {plan.dtype}, attention {plan.attn_implementation}"
            f"{f' ({plan.varlen_kernel})' if plan.varlen_kernel else ''},"
            f" optimizer {plan.optim}, Liger kernels {'on' if plan.use_liger_kernel else 'off'},"
            f" tracking {', '.join(plan.trackers) or 'off'}",
            f"  LoRA layers: {'fused with the 4-bit base (brandtone.finetune.fused_lora)' if plan.fused_lora else 'PEFT'}"
            f"{', q/k/v and gate/up as one product each' if plan.fused_lora_groups else ''},"
            f" decoder layers {_compile_words(plan.compile)}",
            f"  batch: {plan.rows_per_batch} row(s) of up to {plan.tokens_per_batch // plan.rows_per_batch} tokens"
            f" ({plan.tokens_per_batch} tokens per micro-step per process),"
            f" gradient checkpointing {'on' if plan.gradient_checkpointing else 'off'}",
            f"  estimated peak memory: {plan.peak_estimate_gib:.2f} GiB ({parts}) of a {plan.memory_budget_gib:.2f} GiB budget"
            + (
                " - OVER the budget even at the smallest batch: expect out-of-memory"
                if plan.peak_estimate_gib > plan.memory_budget_gib
                else ""
            ),
            *([f"  optimizer steps: {plan.optimizer_steps} over the whole run"] if plan.optimizer_steps is not None else []),
            "  why:",
            *(f"    {reason}" for reason in plan.reasons),
        ]
    )
