"""Stage 5's parity check: does the merged model predict what the adapter did?

For each held-out text we take the next-token logits at every position from
the adapter applied to the 16-bit base (the reference) and from the merged
model as reloaded from disk, and report the largest absolute logit difference
and the mean KL divergence KL(reference || merged) per position.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@torch.no_grad()
def next_token_logits(model, sequences: list[list[int]]) -> list[torch.Tensor]:
    """fp32 logits on the CPU, one (length, vocab) tensor per sequence, one sequence at a time
    (no padding, so nothing but the weights can differ between two models)."""
    model.eval()
    device = next(model.parameters()).device
    return [
        model(input_ids=torch.tensor([ids], device=device), use_cache=False).logits[0].float().cpu()
        for ids in sequences
    ]


@dataclass(frozen=True)
class Parity:
    texts: int
    positions: int
    max_abs_logit_diff: float
    mean_kl: float
    top1_agreement: float

    def as_dict(self) -> dict:
        return {
            "texts": self.texts,
            "positions": self.positions,
            "max_abs_logit_diff": self.max_abs_logit_diff,
            "mean_kl": self.mean_kl,
            "top1_agreement": self.top1_agreement,
        }


def compare(reference: list[torch.Tensor], candidate: list[torch.Tensor]) -> Parity:
    max_diff, kl_sum, agree, positions = 0.0, 0.0, 0, 0
    for ref, cand in zip(reference, candidate, strict=True):
        max_diff = max(max_diff, (ref - cand).abs().max().item())
        ref_logp, cand_logp = ref.log_softmax(-1), cand.log_softmax(-1)
        kl = (ref_logp.exp() * (ref_logp - cand_logp)).sum(-1)  # per position
        kl_sum += kl.clamp(min=0).sum().item()  # rounding can make a near-zero KL slightly negative
        agree += (ref.argmax(-1) == cand.argmax(-1)).sum().item()
        positions += ref.shape[0]
    return Parity(
        texts=len(reference),
        positions=positions,
        max_abs_logit_diff=max_diff,
        mean_kl=kl_sum / positions,
        top1_agreement=agree / positions,
    )
