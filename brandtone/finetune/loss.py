"""Stage 4's per-token log-probabilities on a GPU: TRL's chunked LM head, every position scored.

TRL's fused LM head (`model(..., fused_lm_head=True)`, which SFTTrainer installs) first compacts the
hidden states to the positions that have a label (`hidden_states[mask]`, `labels[mask]`). A boolean
index has a size only the device knows, so the host waits for the GPU twice per forward pass, after
all the decoder layers have run, and the GPU then idles while the host queues the LM head and the
backward pass. In stage 4's packed, padding-free rows nearly every position has a label (only each
text's first token does not), so the compaction saves ~1% of the LM head's work and costs two waits.

`packed_log_probs` runs the same chunked kernel (trl.kernels.ChunkedLogProbFunction) on every position
with the missing labels clamped to a valid id, then zeroes those positions, as TRL itself does on
devices without Triton: the same numbers, no wait. Models whose LM head scales or soft-caps its logits
keep TRL's forward, which knows how (`applies`).
"""

from __future__ import annotations

from typing import NamedTuple, Optional

import torch

OUTPUTS = ("log_probs", "entropy", "is_top1")  # what SFTTrainer asks TRL's head for (loss, and its two logged metrics)
# TRL's vocabulary tile for the chunked head (trl.trainer.utils._CHUNKED_LOGPROB_CHUNK_SIZE)
VOCAB_CHUNK = 32768
LOGIT_SCALES = ("final_logit_softcapping", "logit_scale", "output_multiplier", "lm_head_multiplier", "logits_scaling")


class PerToken(NamedTuple):
    """Per next-token position of the batch (batch, tokens - 1), zero where the label is -100."""

    log_probs: torch.Tensor
    entropy: torch.Tensor
    is_top1: torch.Tensor
    mask: torch.Tensor  # True where the label counts


def causal_lm(model):
    """The transformers causal LM inside a PEFT model (or the model itself)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def applies(model) -> bool:
    """True for an LM head that is a plain product (Llama, Mistral, Qwen...): no logit scale or soft-cap."""
    text_config = causal_lm(model).config.get_text_config()
    return all(getattr(text_config, name, None) is None for name in LOGIT_SCALES)


def packed_log_probs(model, inputs: dict) -> PerToken:
    """The backbone on `inputs` (stage 4's padding-free batch), then the chunked LM head over every position."""
    lm = causal_lm(model)
    features = {name: value for name, value in inputs.items() if name != "labels"}
    hidden = lm.base_model(**features, use_cache=False).last_hidden_state
    return head_log_probs(lm.get_output_embeddings(), hidden[:, :-1], inputs["labels"][:, 1:].to(hidden.device))


def head_log_probs(head: torch.nn.Linear, hidden: torch.Tensor, labels: torch.Tensor) -> PerToken:
    """Each position's next-token log-probability (and entropy, top-1 hit) through `head` in vocabulary
    tiles; positions labelled -100 are scored against token 0 and then zeroed, so no shape depends on
    the labels and the host never waits for the device."""
    from trl.kernels import ChunkedLogProbFunction

    mask = labels != -100
    log_probs, entropy, _, _, is_top1 = ChunkedLogProbFunction.apply(
        hidden.reshape(-1, hidden.shape[-1]), head.weight, head.bias, labels.clamp(min=0).reshape(-1), 1.0, VOCAB_CHUNK, None, 1.0, OUTPUTS
    )
    unmasked = [value.view(mask.shape).masked_fill(~mask, 0) for value in (log_probs, entropy, is_top1)]
    return PerToken(*unmasked, mask)


def nll_loss(per_token: PerToken, num_items_in_batch: Optional[torch.Tensor | int]) -> torch.Tensor:
    """Summed negative log-likelihood over the counted tokens, divided as SFTTrainer divides it."""
    tokens = per_token.mask.sum() if num_items_in_batch is None else num_items_in_batch
    return -per_token.log_probs.sum() / torch.as_tensor(tokens).clamp(min=1)
