"""Stage 6's model side: which two models are compared, loading them one at a
time, conditional perplexity, and batched generation.

Both models are decoded with one `GenerationConfig` built from our config, and
each model's own `generation_config.json` defaults are replaced by neutral ones
first: a merged model's saved sampling settings must not make its decoding
differ from the base model's.
"""

from __future__ import annotations

import gc
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, TypeVar, Union

import numpy as np
import torch
from transformers import StoppingCriteria, StoppingCriteriaList, set_seed

from brandtone.config import Config, EvaluateConfig
from brandtone.errors import StageError
from brandtone.manifest import read_manifest
from brandtone.models import check_model_source, fit_embeddings, hub_kwargs, load_causal_lm, load_tokenizer
from brandtone.textformat import end_ids, end_of_text_id, leading_special_ids

log = logging.getLogger(__name__)

T = TypeVar("T")


# --------------------------------------------------------------------------- which models


@dataclass(frozen=True)
class ModelPair:
    """The base model, the tuned model (merged folder or adapter), and their shared tokenizer."""

    base: str
    tuned_kind: str  # "merged" | "adapter"
    tuned_folder: Path
    tokenizer: object
    max_positions: Optional[int]

    def describe(self) -> dict:
        return {"base": self.base, "tuned": {"kind": self.tuned_kind, "path": str(self.tuned_folder)}}


def resolve_models(config: Config) -> ModelPair:
    """Check every model input before any weights load; raise StageError naming what to fix."""
    from transformers import AutoConfig

    base = config.model.base
    check_model_source(base)
    kind = config.evaluate.tuned_model
    folder = Path(config.paths.merged_dir if kind == "merged" else config.paths.adapter_dir)
    if not folder.is_dir():
        other = "adapter" if kind == "merged" else "merged"
        maker = "05_merge.py" if kind == "merged" else "04_finetune.py"
        raise StageError(
            f"tuned model folder {folder} not found (evaluate.tuned_model={kind}): run {maker} first, "
            f"or set evaluate.tuned_model={other}"
        )
    manifest = read_manifest(folder, "merge" if kind == "merged" else "finetune")
    if kind == "adapter":
        check_adapter_base(folder, manifest, base)
    elif not (folder / "config.json").is_file():
        raise StageError(f"{folder} has no config.json, so it is not a merged model: rerun 05_merge.py")
    tokenizer = load_tokenizer(base, config.model)
    check_same_tokenizer(tokenizer, folder, base)
    try:
        max_positions = getattr(AutoConfig.from_pretrained(base, **hub_kwargs(config.model)), "max_position_embeddings", None)
    except OSError:
        max_positions = None
    return ModelPair(base, kind, folder, tokenizer, max_positions)


def check_adapter_base(folder: Path, manifest: dict, base: str) -> None:
    """The adapter must have been trained on `base`: its manifest and adapter_config.json both say which."""
    config_path = folder / "adapter_config.json"
    if not config_path.is_file():
        raise StageError(f"{config_path} not found: {folder} is not a PEFT adapter; rerun 04_finetune.py")
    recorded = {
        "manifest.json": (manifest.get("config") or {}).get("model", {}).get("base"),
        "adapter_config.json": json.loads(config_path.read_text(encoding="utf-8")).get("base_model_name_or_path"),
    }
    for where, source in recorded.items():
        if source and not same_model_source(source, base):
            raise StageError(
                f"the adapter in {folder} was trained on {source} (its {where}) but model.base is {base}: "
                f"set model.base={source}, or retrain the adapter with 04_finetune.py"
            )


def same_model_source(a: str, b: str) -> bool:
    """Same Hub id, same folder, or two folders holding the same model (same config and weight files)."""
    if a.rstrip("/") == b.rstrip("/"):
        return True
    pa, pb = Path(a).expanduser(), Path(b).expanduser()
    if not (pa.is_dir() and pb.is_dir()):
        return False
    if pa.resolve() == pb.resolve():
        return True

    def identity(folder: Path):
        files = sorted((p.name, p.stat().st_size) for p in folder.glob("*.safetensors"))
        config = (folder / "config.json").read_text(encoding="utf-8") if (folder / "config.json").is_file() else None
        return config, files

    return identity(pa) == identity(pb) and identity(pa)[1] != []


def check_same_tokenizer(tokenizer, folder: Path, base: str) -> None:
    """Prompts are cut once with the base tokenizer, so the tuned model's must be the same."""
    from transformers import AutoTokenizer

    if not any((folder / name).is_file() for name in ("tokenizer.json", "tokenizer_config.json", "tokenizer.model")):
        log.info("%s has no tokenizer files; using model.base's tokenizer for both models", folder)
        return
    tuned = AutoTokenizer.from_pretrained(folder)
    differences = []
    if tuned.get_vocab() != tokenizer.get_vocab():
        differences.append("vocabulary")
    if end_of_text_id(tuned) != end_of_text_id(tokenizer):
        differences.append("end-of-text token")
    if leading_special_ids(tuned) != leading_special_ids(tokenizer):
        differences.append("leading special tokens")
    if differences:
        raise StageError(
            f"the tokenizer in {folder} differs from model.base {base} ({', '.join(differences)}): "
            f"set model.base to the model the tuned model was trained from"
        )


def on_each_model(pair: ModelPair, config: Config, work: Callable[[str, object], T]) -> dict[str, T]:
    """Run `work(name, model)` for "base" then "tuned", holding one model in memory at a time.

    With an adapter, one copy of the base weights serves both: the base model is
    the same network with the adapter switched off.
    """
    from brandtone.models import resolve_device, resolve_dtype

    device = resolve_device(config.evaluate.device, "evaluate.device")
    dtype = resolve_dtype(config.evaluate.dtype, device)
    eos, pad = end_ids(pair.tokenizer), pair.tokenizer.pad_token_id
    results: dict[str, T] = {}

    def load(source: str, what: str, **kwargs):
        started = time.time()
        model = load_causal_lm(source, dtype=dtype, device=device, **kwargs).eval()
        fit_embeddings(model, pair.tokenizer)  # the base, when the tokenizer needed a new pad token
        neutral_generation_defaults(model, eos, pad)
        log.info("%s model loaded from %s (%s, %s) in %.1f s", what, source, device, str(dtype).removeprefix("torch."), time.time() - started)
        return model

    if pair.tuned_kind == "adapter":
        model = attach_adapter(load(pair.base, "base", model=config.model), pair.tuned_folder, pair.base)
        with model.disable_adapter():
            results["base"] = work("base", model)
        results["tuned"] = work("tuned", model)
    else:
        model = load(pair.base, "base", model=config.model)
        results["base"] = work("base", model)
        del model
        release_memory()
        model = load(str(pair.tuned_folder), "tuned")
        results["tuned"] = work("tuned", model)
    del model
    release_memory()
    return results


def attach_adapter(base_model, folder: Path, base: str):
    from peft import PeftModel

    try:
        return PeftModel.from_pretrained(base_model, str(folder), is_trainable=False).eval()
    except (RuntimeError, ValueError, KeyError) as exc:
        first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise StageError(f"the adapter in {folder} does not fit model.base {base} ({first[:200]}): retrain it with 04_finetune.py on this base") from None


def neutral_generation_defaults(model, eos: Union[int, list[int]], pad: int) -> None:
    from transformers import GenerationConfig

    inner = model.get_base_model() if hasattr(model, "get_base_model") else model
    inner.generation_config = GenerationConfig(
        bos_token_id=inner.generation_config.bos_token_id, eos_token_id=eos, pad_token_id=pad
    )


def release_memory() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


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
        return cls(evaluate.write_do_sample, evaluate.write_temperature, evaluate.write_top_p, (evaluate.seed,),
                   evaluate.write_repetition_penalty)

    def describe(self) -> dict:
        penalty = {"repetition_penalty": self.repetition_penalty} if self.repetition_penalty != 1.0 else {}
        if not self.do_sample:
            return {"mode": "greedy", "seed": self.seeds[0], **penalty}
        return {"mode": "sampling", "temperature": self.temperature, "top_p": self.top_p, "seeds": list(self.seeds), **penalty}

    def generation_config(self, max_new_tokens: int, eos: Union[int, list[int]], pad: int, cache_implementation: Optional[str] = None):
        from transformers import GenerationConfig

        sampling = {"temperature": self.temperature, "top_p": self.top_p, "top_k": 0} if self.do_sample else {}
        return GenerationConfig(
            max_new_tokens=max_new_tokens, do_sample=self.do_sample, num_beams=1, repetition_penalty=self.repetition_penalty,
            eos_token_id=eos, pad_token_id=pad, cache_implementation=cache_implementation, disable_compile=True, **sampling,
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
    model, prompts: list[list[int]], limits: list[int], *, decoding: Decoding, seed: int, batch_tokens: int,
    eos: Union[int, list[int]], pad: int,
    cache_implementation: Optional[str] = "static",
) -> list[list[int]]:
    """Continue every prompt by at most its own limit of new tokens; return the new ids up to the first
    `eos` token (one id, or several: an Instruct base model may end a text with its end-of-turn).

    Prompts are sorted by length and left-padded in batches; each batch
    generates up to its longest limit and stops as soon as every row has
    reached its own limit or end-of-text. The KV cache is allocated once per
    batch ("static"): a cache grown token by token cost a first run on an H100
    more than twice the time (bench/NOTES_evaluate.md), and it was slower on the CPU too.
    """
    set_seed(seed)
    stops = {eos} if isinstance(eos, int) else set(eos)
    results: list[list[int]] = [[] for _ in prompts]
    for rows in token_batches([len(p) for p in prompts], limits, batch_tokens):
        input_ids, attention_mask = _padded([prompts[i] for i in rows], pad, model.device)
        row_limits = torch.tensor([limits[i] for i in rows], device=model.device)
        width = input_ids.shape[1]
        output = model.generate(
            input_ids=input_ids, attention_mask=attention_mask,
            generation_config=decoding.generation_config(int(row_limits.max()), eos, pad, cache_implementation),
            stopping_criteria=StoppingCriteriaList([RowLimits(width, row_limits)]),
        )
        for i, new in zip(rows, output[:, width:].tolist()):
            new = new[: limits[i]]
            results[i] = new[: next((k for k, token in enumerate(new) if token in stops), len(new))]
    return results


@torch.inference_mode()
def truth_nll(model, prompts: list[list[int]], truths: list[list[int]], *, batch_tokens: int, pad: int) -> np.ndarray:
    """Per text, the summed negative log-likelihood (nats) of the truth tokens given the prompt.

    Left padding puts every row's truth at the right edge, so logits are kept
    only for the last (longest truth + 1) positions; positions are counted from
    each row's first real token. Neither padding nor the prompt is scored.
    """
    nll = np.zeros(len(prompts))
    for rows in token_batches([len(p) for p in prompts], [len(t) for t in truths], batch_tokens):
        input_ids, attention_mask = _padded([prompts[i] + truths[i] for i in rows], pad, model.device)
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        keep = max(len(truths[i]) for i in rows) + 1
        logits = model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                       use_cache=False, logits_to_keep=keep).logits
        for row, i in enumerate(rows):
            m = len(truths[i])
            log_probs = torch.log_softmax(logits[row, keep - m - 1 : keep - 1].float(), dim=-1)
            nll[i] = -log_probs.gather(1, input_ids[row, -m:, None]).sum().item()
    return nll
