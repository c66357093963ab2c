"""Batched generation and scoring of token sequences, shared by stage 3 (the base model writes requests)
and stage 6 (both models continue texts and answer requests).

Every model is decoded with one `GenerationConfig` built from our config, and its own
`generation_config.json` defaults are replaced by neutral ones first: a merged model's saved
sampling settings must not make its decoding differ from the base model's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

import numpy as np
import torch
from transformers import StoppingCriteria, StoppingCriteriaList, set_seed

from brandtone.config_schema import EvaluateConfig


def neutral_generation_defaults(model, eos: Union[int, list[int]], pad: int) -> None:
    from transformers import GenerationConfig

    inner = model.get_base_model() if hasattr(model, "get_base_model") else model
    inner.generation_config = GenerationConfig(bos_token_id=inner.generation_config.bos_token_id, eos_token_id=eos, pad_token_id=pad)


# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True)
class Decoding:
    """How both models continue a prompt: greedy (one pass) or sampling (one pass per seed)."""

    do_sample: bool
    temperature: float
    top_p: float
    seeds: tuple[int, ...]
    repetition_penalty: float = 1.0  # 1 = off (the half-split test); the writing test's answers may set it

    @classmethod
    def from_config(cls, evaluate: EvaluateConfig) -> "Decoding":
        seeds = tuple(evaluate.sample_seeds) if evaluate.do_sample else (evaluate.seed,)
        return cls(evaluate.do_sample, evaluate.temperature, evaluate.top_p, seeds)

    @classmethod
    def for_writing(cls, evaluate: EvaluateConfig) -> "Decoding":
        """The writing test's decoding (evaluate.write_*): one pass with evaluate.seed."""
        return cls(
            evaluate.write_do_sample, evaluate.write_temperature, evaluate.write_top_p, (evaluate.seed,), evaluate.write_repetition_penalty
        )

    def describe(self) -> dict:
        penalty = {"repetition_penalty": self.repetition_penalty} if self.repetition_penalty != 1.0 else {}
        if not self.do_sample:
            return {"mode": "greedy", "seed": self.seeds[0], **penalty}
        return {"mode": "sampling", "temperature": self.temperature, "top_p": self.top_p, "seeds": list(self.seeds), **penalty}

    def generation_config(self, max_new_tokens: int, eos: Union[int, list[int]], pad: int, cache_implementation: Optional[str] = None):
        from transformers import GenerationConfig

        sampling = {"temperature": self.temperature, "top_p": self.top_p, "top_k": 0} if self.do_sample else {}
        return GenerationConfig(
            max_new_tokens=max_new_tokens,
            do_sample=self.do_sample,
            num_beams=1,
            repetition_penalty=self.repetition_penalty,
            eos_token_id=eos,
            pad_token_id=pad,
            cache_implementation=cache_implementation,
            disable_compile=True,
            **sampling,
        )


class RowLimits(StoppingCriteria):
    """Row i is done after limits[i] new tokens; generate() stops once every row is done or hit end-of-text."""

    def __init__(self, prompt_width: int, limits: torch.Tensor):
        self.prompt_width, self.limits = prompt_width, limits

    def __call__(self, input_ids, scores, **kwargs):
        return (input_ids.shape[1] - self.prompt_width) >= self.limits


def _padded(sequences: list[list[int]], pad: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    """Left-padded ids and attention mask: every row ends at the right edge."""
    width = max(len(s) for s in sequences)
    ids = torch.full((len(sequences), width), pad, dtype=torch.long)
    mask = torch.zeros((len(sequences), width), dtype=torch.long)
    for row, seq in enumerate(sequences):
        ids[row, width - len(seq) :] = torch.tensor(seq, dtype=torch.long)
        mask[row, width - len(seq) :] = 1
    return ids.to(device), mask.to(device)


def token_batches(prompt_lengths: list[int], new_lengths: list[int], batch_tokens: int) -> list[list[int]]:
    """Rows sorted longest first (an out-of-memory error shows at once), cut into batches of similar length
    whose padded size (rows x (widest prompt + most new tokens)) stays within `batch_tokens`."""
    order = sorted(range(len(prompt_lengths)), key=lambda i: (-(prompt_lengths[i] + new_lengths[i]), i))
    batches: list[list[int]] = []
    widest = longest = 0
    for i in order:
        wider, longer = max(widest, prompt_lengths[i]), max(longest, new_lengths[i])
        if batches and batches[-1] and (len(batches[-1]) + 1) * (wider + longer) <= batch_tokens:
            batches[-1].append(i)
            widest, longest = wider, longer
        else:
            batches.append([i])
            widest, longest = prompt_lengths[i], new_lengths[i]
    return batches


def auto_batch_tokens(model) -> int:
    """Padded tokens per batch: fixed on the CPU; on a GPU, what a third of the free memory holds as KV cache."""
    if model.device.type != "cuda":
        return CPU_BATCH_TOKENS
    config = model.config
    heads = getattr(config, "num_key_value_heads", None) or config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    bytes_per_token = 2 * config.num_hidden_layers * heads * head_dim * model.dtype.itemsize
    free, _ = torch.cuda.mem_get_info(model.device)
    return max(CPU_BATCH_TOKENS, int(free / 3 / bytes_per_token))


CPU_BATCH_TOKENS = 2048  # compute-bound: small length-sorted batches waste fewer steps on finished rows


@torch.inference_mode()
def generate(
    model,
    prompts: list[list[int]],
    limits: list[int],
    *,
    decoding: Decoding,
    seed: int,
    batch_tokens: int,
    eos: Union[int, list[int]],
    pad: int,
    cache_implementation: Optional[str] = "static",
    streamer=None,
) -> list[list[int]]:
    """Continue every prompt by at most its own limit of new tokens; return the new ids up to the first
    `eos` token (one id, or several: an Instruct base model may end a text with its end-of-turn).

    Prompts are sorted by length and left-padded in batches; each batch
    generates up to its longest limit and stops as soon as every row has
    reached its own limit or end-of-text. The KV cache is allocated once per
    batch ("static"): a cache grown token by token cost a first run on an H100
    more than twice the time (bench/NOTES_evaluate.md), and it was slower on the CPU too.
    A `streamer` (transformers' TextIteratorStreamer: the rating page's Write view) gets the new
    tokens as they come; it takes one prompt at a time.
    """
    if streamer is not None and len(prompts) != 1:
        raise ValueError("a streamer follows one prompt at a time")
    set_seed(seed)
    stops = {eos} if isinstance(eos, int) else set(eos)
    results: list[list[int]] = [[] for _ in prompts]
    for rows in token_batches([len(p) for p in prompts], limits, batch_tokens):
        input_ids, attention_mask = _padded([prompts[i] for i in rows], pad, model.device)
        row_limits = torch.tensor([limits[i] for i in rows], device=model.device)
        width = input_ids.shape[1]
        output = model.generate(
            input_ids=input_ids,
            attention_mask=attention_mask,
            generation_config=decoding.generation_config(int(row_limits.max()), eos, pad, cache_implementation),
            stopping_criteria=StoppingCriteriaList([RowLimits(width, row_limits)]),
            streamer=streamer,
        )
        for i, new in zip(rows, output[:, width:].tolist()):
            new = new[: limits[i]]
            results[i] = new[: next((k for k, token in enumerate(new) if token in stops), len(new))]
    return results


@torch.inference_mode()
def truth_token_nll(model, prompts: list[list[int]], truths: list[list[int]], *, batch_tokens: int, pad: int) -> list[np.ndarray]:
    """Per text, the negative log-likelihood (nats) of each truth token given the prompt and the truth before it.

    Left padding puts every row's truth at the right edge, so logits are kept
    only for the last (longest truth + 1) positions; positions are counted from
    each row's first real token. Neither padding nor the prompt is scored.
    """
    nll: list[np.ndarray] = [np.zeros(0) for _ in prompts]
    for rows in token_batches([len(p) for p in prompts], [len(t) for t in truths], batch_tokens):
        input_ids, attention_mask = _padded([prompts[i] + truths[i] for i in rows], pad, model.device)
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        keep = max(len(truths[i]) for i in rows) + 1
        logits = model(
            input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids, use_cache=False, logits_to_keep=keep
        ).logits
        for row, i in enumerate(rows):
            m = len(truths[i])
            log_probs = torch.log_softmax(logits[row, keep - m - 1 : keep - 1].float(), dim=-1)
            nll[i] = -log_probs.gather(1, input_ids[row, -m:, None])[:, 0].cpu().numpy().astype(np.float64)
    return nll


def truth_nll(model, prompts: list[list[int]], truths: list[list[int]], *, batch_tokens: int, pad: int) -> np.ndarray:
    """Per text, the summed negative log-likelihood (nats) of the truth tokens given the prompt."""
    return np.array([tokens.sum() for tokens in truth_token_nll(model, prompts, truths, batch_tokens=batch_tokens, pad=pad)])
