"""Stage 6's models: which are compared, checked before any weights load, and loaded one at a time."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, TypeVar

from brandtone.config_schema import Config
from brandtone.errors import StageError
from brandtone.generation import neutral_generation_defaults
from brandtone.manifest import fingerprint, read_manifest
from brandtone.models import check_model_source, fit_embeddings, hub_kwargs, load_causal_lm, load_tokenizer, release_memory
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
    tuned_fingerprint: Optional[str] = None  # of the tuned folder's manifest: which model a report (and a card) speaks of
    selection: Optional[dict] = None  # how stage 4 chose the adapter's step (early stopping), from the manifests

    def describe(self) -> dict:
        return {
            "base": self.base,
            "tuned": {"kind": self.tuned_kind, "path": str(self.tuned_folder), "fingerprint": self.tuned_fingerprint},
            "selection": self.selection,
        }


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
            f"tuned model folder {folder} not found (evaluate.tuned_model={kind}): run {maker} first, or set evaluate.tuned_model={other}"
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
    selection = manifest.get("selection") if kind == "adapter" else (manifest.get("adapter_trained_with") or {}).get("selection")
    if kind == "adapter" and selection is None and ((manifest.get("config") or {}).get("finetune") or {}).get("early_stopping_patience"):
        selection = {
            "method": "early stopping",
            "on": "test",
            "kept_step": manifest.get("early_stopping_best_step"),
        }  # before validation splits
    return ModelPair(base, kind, folder, tokenizer, max_positions, fingerprint(folder), selection)


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
    results: dict[str, T] = {}
    if pair.tuned_kind == "adapter":
        model = load_model(pair, config, "tuned")
        with model.disable_adapter():
            results["base"] = work("base", model)
        results["tuned"] = work("tuned", model)
    else:
        model = load_model(pair, config, "base")
        results["base"] = work("base", model)
        del model
        release_memory()
        model = load_model(pair, config, "tuned")
        results["tuned"] = work("tuned", model)
    del model
    release_memory()
    return results


def load_model(pair: ModelPair, config: Config, which: str):
    """The base model, or the tuned one (with an adapter: the base weights with the adapter attached, which
    `disable_adapter()` turns back into the base), on evaluate.device, with neutral generation defaults."""
    from brandtone.models import resolve_device, resolve_dtype

    device = resolve_device(config.evaluate.device, "evaluate.device")
    dtype = resolve_dtype(config.evaluate.dtype, device)
    from_base = which == "base" or pair.tuned_kind == "adapter"
    source = pair.base if from_base else str(pair.tuned_folder)
    started = time.time()
    model = load_causal_lm(source, dtype=dtype, device=device, **({"model": config.model} if from_base else {})).eval()
    fit_embeddings(model, pair.tokenizer)  # the base, when the tokenizer needed a new pad token
    neutral_generation_defaults(model, end_ids(pair.tokenizer), pair.tokenizer.pad_token_id)
    log.info(
        "%s model loaded from %s (%s, %s) in %.1f s",
        "base" if from_base else which,
        source,
        device,
        str(dtype).removeprefix("torch."),
        time.time() - started,
    )
    return attach_adapter(model, pair.tuned_folder, pair.base) if which == "tuned" and pair.tuned_kind == "adapter" else model


def attach_adapter(base_model, folder: Path, base: str):
    from peft import PeftModel

    try:
        return PeftModel.from_pretrained(base_model, str(folder), is_trainable=False).eval()
    except (RuntimeError, ValueError, KeyError) as exc:
        first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise StageError(
            f"the adapter in {folder} does not fit model.base {base} ({first[:200]}): retrain it with 04_finetune.py on this base"
        ) from None
