"""Stage 5's parity gate: is the saved model the adapter's model, up to the precision it is saved in?

A bf16 or fp16 model can never equal the adapter exactly: rounding every weight to 16 bits moves the
logits by as much as the merge could ever go wrong, so a fixed tolerance is either below that noise
(and fails every correct merge) or far above it (and passes wrong ones). The gate therefore measures
the noise of the saved dtype on the same texts and judges the merge against it. Four sets of
next-token logits, one per held-out text, the same positions in each:

    base_fp32     the base model in fp32
    base_saved    the base model in the saved dtype: the dtype's own rounding noise is base_saved - base_fp32
    adapter_fp32  the adapter on the fp32 base: the reference, the fine-tuned model at full precision
    merged_fp32   the merged model before it is rounded to the saved dtype
    merged_saved  the merged folder as reloaded from disk, in the saved dtype

and four checks:

    merge      merged_fp32 vs adapter_fp32 within the absolute floors: in fp32 the merge is exact up to
               float arithmetic, so a wrong scaling or a left-out layer shows however small it is
    precision  merged_saved vs adapter_fp32 differs at most `noise_factor` times as much as base_saved vs
               base_fp32 (max |logit diff| and mean KL), or the absolute floors, whichever is larger
    effect     the merged model keeps the fine-tuning's effect: the least-squares share of the adapter's
               logit change (adapter_fp32 - base_fp32) found in the merged model's (merged_saved -
               base_saved) is 1 within `effect_tolerance` (a wrong LoRA scaling or a left-out layer moves it)
    dtype      every floating-point tensor in the saved shards is in the saved dtype

A fault smaller than the saved dtype's own rounding noise passes; such a fault is below what that
dtype can represent anyway (use merge.dtype=fp32 to see it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

import torch

SAFETENSORS_DTYPES = {torch.bfloat16: "BF16", torch.float16: "F16", torch.float32: "F32"}
FLOAT_NAMES = {"BF16", "F16", "F32", "F64", "F8_E4M3", "F8_E5M2"}


@torch.no_grad()
def next_token_logits(model, sequences: list[list[int]]) -> list[torch.Tensor]:
    """fp32 logits on the CPU, one (length, vocab) tensor per sequence, one sequence at a time
    (no padding, so nothing but the weights can differ between two models)."""
    model.eval()
    device = next(model.parameters()).device
    return [model(input_ids=torch.tensor([ids], device=device), use_cache=False).logits[0].float().cpu() for ids in sequences]


@dataclass(frozen=True)
class Distance:
    """How far one model's next-token distributions are from another's on the same positions."""

    max_abs_logit_diff: float
    mean_kl: float  # KL(reference || candidate) per position
    top1_agreement: float


def distance(reference: list[torch.Tensor], candidate: list[torch.Tensor]) -> Distance:
    max_diff, kl_sum, agree, positions = 0.0, 0.0, 0, 0
    for ref, cand in zip(reference, candidate, strict=True):
        max_diff = max(max_diff, (ref - cand).abs().max().item())
        ref_logp, cand_logp = ref.double().log_softmax(-1), cand.double().log_softmax(-1)  # fp32 would add ~1e-7 of its own
        kl = (ref_logp.exp() * (ref_logp - cand_logp)).sum(-1)
        kl_sum += kl.clamp(min=0).sum().item()  # rounding can make a near-zero KL slightly negative
        agree += (ref.argmax(-1) == cand.argmax(-1)).sum().item()
        positions += ref.shape[0]
    return Distance(max_abs_logit_diff=max_diff, mean_kl=kl_sum / positions, top1_agreement=agree / positions)


def effect_share(
    base: list[torch.Tensor], tuned: list[torch.Tensor], merged_base: list[torch.Tensor], merged: list[torch.Tensor]
) -> Optional[float]:
    """Least-squares share of the change tuned - base that reappears as merged - merged_base.

    Logits are centred per position first (softmax ignores a shift). 1.0 = all of the fine-tuning's
    effect is there, 0.5 = half (a LoRA scaling halved, or layers left out), 2.0 = doubled.
    None when the adapter changes nothing (an untrained adapter): there is no effect to keep.
    """
    dot, norm = 0.0, 0.0
    for b, t, mb, m in zip(base, tuned, merged_base, merged, strict=True):
        effect = t - b
        effect -= effect.mean(-1, keepdim=True)
        kept = m - mb
        kept -= kept.mean(-1, keepdim=True)
        dot += (kept * effect).sum().item()
        norm += (effect * effect).sum().item()
    return dot / norm if norm > 0 else None


def saved_dtypes(folder: Path) -> set[str]:
    """The safetensors dtypes of every floating-point tensor in a saved model folder."""
    from safetensors import safe_open

    found = set()
    for shard in sorted(Path(folder).glob("*.safetensors")):
        with safe_open(str(shard), framework="pt") as handle:
            found |= {handle.get_slice(name).get_dtype() for name in handle.keys()}
    return found & FLOAT_NAMES


@dataclass(frozen=True)
class Limits:
    noise_factor: float
    max_abs_logit_diff: float  # the fp32 merge's limits, and floors of the saved copy's (fp32 has no rounding noise)
    mean_kl: float
    effect_tolerance: float


@dataclass(frozen=True)
class Verdict:
    texts: int
    positions: int
    dtype: str
    merge: Distance  # the merged model in fp32, before rounding, vs the adapter on the fp32 base
    noise: Distance  # base in the saved dtype vs base in fp32
    error: Distance  # merged (saved, reloaded) vs the adapter on the fp32 base
    effect: Distance  # the adapter vs the base, both fp32: what the fine-tuning did
    effect_kept: Optional[float]
    saved_dtypes: list[str]
    allowed_logit_diff: float
    allowed_kl: float
    limits: Limits
    failures: list[str]

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        kept = "n/a (the adapter changes nothing)" if self.effect_kept is None else f"{self.effect_kept:.4f}"
        return (
            f"parity on {self.texts} held-out texts ({self.positions} positions), saved in {self.dtype}:"
            f" fp32 merge vs adapter {self.merge.max_abs_logit_diff:.3g} / KL {self.merge.mean_kl:.3g};"
            f" saved merged vs adapter-on-fp32-base max |logit diff| {self.error.max_abs_logit_diff:.3g}"
            f" (allowed {self.allowed_logit_diff:.3g}), mean KL {self.error.mean_kl:.3g} (allowed {self.allowed_kl:.3g}),"
            f" top-1 {self.error.top1_agreement:.4f}; {self.dtype}'s own noise on the base {self.noise.max_abs_logit_diff:.3g}"
            f" / KL {self.noise.mean_kl:.3g}; fine-tuning effect KL {self.effect.mean_kl:.3g}, share kept {kept}"
        )


def judge(
    base_fp32: list[torch.Tensor],
    base_saved: list[torch.Tensor],
    adapter_fp32: list[torch.Tensor],
    merged_fp32: list[torch.Tensor],
    merged_saved: list[torch.Tensor],
    found_dtypes: set[str],
    dtype: torch.dtype,
    limits: Limits,
) -> Verdict:
    merge = distance(adapter_fp32, merged_fp32)
    noise = distance(base_fp32, base_saved)
    error = distance(adapter_fp32, merged_saved)
    effect = distance(base_fp32, adapter_fp32)
    kept = effect_share(base_fp32, adapter_fp32, base_saved, merged_saved)
    allowed_diff = max(limits.max_abs_logit_diff, limits.noise_factor * noise.max_abs_logit_diff)
    allowed_kl = max(limits.mean_kl, limits.noise_factor * noise.mean_kl)
    name = str(dtype).removeprefix("torch.")
    failures = []
    if merge.max_abs_logit_diff > limits.max_abs_logit_diff or merge.mean_kl > limits.mean_kl:
        failures.append(
            f"the fp32 merge differs from the adapter on the fp32 base: max |logit diff| {merge.max_abs_logit_diff:.3g}"
            f" (merge.parity_max_logit_diff={limits.max_abs_logit_diff}), mean KL {merge.mean_kl:.3g}"
            f" (merge.parity_max_mean_kl={limits.mean_kl})"
        )
    if found_dtypes != {SAFETENSORS_DTYPES[dtype]}:
        failures.append(f"the saved shards hold {'/'.join(sorted(found_dtypes)) or 'no floating-point tensors'}, not {name}")
    if error.max_abs_logit_diff > allowed_diff or error.mean_kl > allowed_kl:
        failures.append(
            f"merged vs the adapter on the fp32 base: max |logit diff| {error.max_abs_logit_diff:.3g} (allowed {allowed_diff:.3g}),"
            f" mean KL {error.mean_kl:.3g} (allowed {allowed_kl:.3g}), where {name}'s own noise on the base is"
            f" {noise.max_abs_logit_diff:.3g} / {noise.mean_kl:.3g} (merge.parity_noise_factor={limits.noise_factor})"
        )
    if kept is not None and abs(kept - 1) > limits.effect_tolerance:
        failures.append(
            f"the merged model keeps {kept:.3f} of the fine-tuning's effect on the logits, not 1"
            f" (merge.parity_effect_tolerance={limits.effect_tolerance}): a wrong LoRA scaling or layers left out,"
            f" or {name} rounds away part of a small adapter (merge.dtype=fp32 keeps it)"
        )
    return Verdict(
        texts=len(base_fp32),
        positions=sum(t.shape[0] for t in base_fp32),
        dtype=name,
        merge=merge,
        noise=noise,
        error=error,
        effect=effect,
        effect_kept=kept,
        saved_dtypes=sorted(found_dtypes),
        allowed_logit_diff=allowed_diff,
        allowed_kl=allowed_kl,
        limits=limits,
        failures=failures,
    )
