"""Model and tokenizer loading shared by fine-tuning, merging and evaluation.

One place decides the device, the compute dtype, how the base model is
quantised, and which token pads, so training and evaluation can never disagree.
"""

from __future__ import annotations

import difflib
import gc
import logging
import os
import re
from pathlib import Path
from typing import Optional

import torch

from brandtone.config import ConfigError
from brandtone.config_schema import ModelConfig
from brandtone.credentials import get_secret
from brandtone.errors import StageError

log = logging.getLogger(__name__)

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}


def resolve_device(setting: str, key: str = "finetune.device") -> str:
    """'auto' -> 'cuda' when a GPU is visible, else 'cpu'. 'cuda' without a GPU is an error naming `key`."""
    has_gpu = torch.cuda.is_available()
    if setting == "cuda" and not has_gpu:
        raise ConfigError(f"{key} is 'cuda' but no GPU is visible: set {key}=auto or cpu, or check CUDA_VISIBLE_DEVICES and the driver")
    if setting == "auto":
        return "cuda" if has_gpu else "cpu"
    return setting


# bf16 arithmetic in hardware: compute capability 8.0 (Ampere) and newer. torch.cuda.is_bf16_supported() also
# says yes on a T4 or V100, where bf16 is emulated (slowly); those cards train in fp16 with loss scaling.
BF16_MIN_CAPABILITY = (8, 0)


def resolve_dtype(setting: str, device: str, cpu: torch.dtype = torch.float32, capability: Optional[tuple[int, int]] = None) -> torch.dtype:
    """'auto' -> bf16 on a GPU whose hardware has it (`capability`, by default the current GPU's), else fp16
    on a GPU, `cpu` on the CPU."""
    if setting != "auto":
        return DTYPES[setting]
    if device == "cuda":
        capability = capability or torch.cuda.get_device_capability()
        return torch.bfloat16 if tuple(capability) >= BF16_MIN_CAPABILITY else torch.float16
    return cpu


def hub_kwargs(model: ModelConfig) -> dict:
    """from_pretrained arguments for the base model; the token comes from HF_TOKEN only."""
    return {"revision": model.revision, "trust_remote_code": model.trust_remote_code, "token": get_secret("HF_TOKEN")}


def looks_local(source: str) -> bool:
    """A path, not a Hub id: it starts with '.', '/' or '~', its first part is an existing folder,
    or it has more parts than a Hub id's owner/name."""
    first = Path(source).parts[0] if source else ""
    return source.startswith((".", "/", "~")) or Path(first).is_dir() or source.count("/") > 1


def check_model_source(source: str, what: str = "model.base") -> None:
    """A model path is checked here, at once and offline (a typo never goes to the Hub); a Hub id is
    left to from_pretrained. A ConfigError: it is found before any work starts."""
    if not looks_local(source):
        return
    path = Path(source).expanduser()
    if (path / "config.json").is_file():
        return
    hint = ""
    if path.is_dir():
        reason = "no config.json in it"
    elif path.exists():
        reason = "it is a file"
    else:
        reason = "it does not exist"
        try:
            siblings = [item.name for item in path.parent.iterdir() if (item / "config.json").is_file()]
        except OSError:  # no parent folder, or an unreadable one
            siblings = []
        close = difflib.get_close_matches(path.name, siblings, n=1)
        hint = f"; did you mean {path.parent / close[0]}?" if close else ""
    raise ConfigError(f"{what}: {source} is not a model folder ({reason}{hint}): fix the path, or use a Hugging Face model id")


_HUB_CHECKED: set[tuple[str, Optional[str]]] = set()  # Hub ids already checked in this process
_CACHE_ONLY: set[str] = set()  # Hub ids loaded from the local cache only: the Hub cannot be reached


def check_hub_reachable(source: str, revision: Optional[str] = None) -> None:
    """One request to the Hub, without retries, before a Hub id loads. When the Hub cannot be reached,
    huggingface_hub retries every file it looks for (49 s and 45 warnings for a model it never finds;
    minutes for a cached one, whose optional files are not in the cache): instead, a model that is not
    in the local cache is one line at once, and a cached one loads from the cache only, after one
    warning. The Hub's own answers (gated, not found) are left to from_pretrained, reported as before."""
    import huggingface_hub
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    if looks_local(source) or (source, revision) in _HUB_CHECKED or huggingface_hub.constants.HF_HUB_OFFLINE:
        return
    try:
        url = huggingface_hub.hf_hub_url(source, "config.json", revision=revision)
        huggingface_hub.get_hf_file_metadata(url, token=get_secret("HF_TOKEN"), timeout=10)
    except (HfHubHTTPError, OfflineModeIsEnabled, ValueError):
        pass  # the Hub answered (or the id is malformed): from_pretrained says what was wrong
    except Exception as exc:  # no answer: connection refused, DNS, timeout, TLS (the HTTP client's own types)
        text = str(exc).strip()
        reason = f"{huggingface_hub.constants.ENDPOINT} ({text.splitlines()[0] if text else type(exc).__name__})"
        if not isinstance(huggingface_hub.try_to_load_from_cache(source, "config.json", revision=revision), str):
            raise StageError(
                f"cannot reach the Hugging Face Hub at {reason} to download {source}: check the connection"
                " (and HF_ENDPOINT or proxy settings), or point model.base at a local model folder"
            ) from None
        log.warning("cannot reach the Hugging Face Hub at %s: loading %s from the local cache only", reason, source)
        _CACHE_ONLY.add(source)
    _HUB_CHECKED.add((source, revision))


def _load_kwargs(source: str, model: Optional[ModelConfig]) -> dict:
    """from_pretrained arguments: the base model's (`hub_kwargs`), and the cache only when the Hub is out of reach."""
    check_hub_reachable(source, model.revision if model else None)
    kwargs = hub_kwargs(model) if model else {}
    return {**kwargs, "local_files_only": True} if source in _CACHE_ONLY else kwargs


def load_tokenizer(source: str, model: Optional[ModelConfig] = None):
    """The tokenizer, with a pad token that no text contains and that ends nothing (`choose_pad_token`)."""
    from transformers import AutoTokenizer

    kwargs = _load_kwargs(source, model)
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
    except (OSError, ValueError) as exc:  # a folder without tokenizer files raises ValueError
        raise _load_error(source, exc, "tokenizer") from None
    if tokenizer.eos_token_id is None:
        raise StageError(f"tokenizer of {source} has no end-of-text token: pick a causal LM that defines eos_token")
    choose_pad_token(tokenizer)
    return tokenizer


def choose_pad_token(tokenizer) -> None:
    """Set a pad token that is neither a sequence boundary nor a token any text encodes to.

    Padding with end-of-text (the original recipe's choice) masks every
    end-of-text label too, so the model never learns to stop; padding with a
    word would hide that word. In order: the tokenizer's own pad when it is such
    a spare special token; a reserved one (Llama-3's `<|finetune_right_pad_id|>`,
    `<|reserved_special_token_N|>`, Qwen's `<|..._pad|>`, Gemma's `<unusedN>`);
    the unknown token (Llama-2's `<unk>`, which byte fallback never produces);
    else a new `<|pad|>`, for which `fit_embeddings` grows the model.
    """
    from brandtone.textformat import end_of_text_id, end_of_turn_id, special_token_ids

    boundaries = {tokenizer.bos_token_id, tokenizer.eos_token_id, end_of_text_id(tokenizer), end_of_turn_id(tokenizer)}
    spare = {name: index for name, index in special_token_ids(tokenizer).items() if index not in boundaries}
    if tokenizer.pad_token in spare:
        return
    for kind in ("pad", "reserved", "unused"):
        reserved = sorted((index, name) for name, index in spare.items() if kind in name.lower())
        if reserved:
            tokenizer.pad_token = reserved[0][1]
            return
    if tokenizer.unk_token in spare:
        tokenizer.pad_token = tokenizer.unk_token
        return
    tokenizer.add_special_tokens({"pad_token": ADDED_PAD_TOKEN})


ADDED_PAD_TOKEN = "<|pad|>"
EMBEDDING_ROW_MULTIPLE = 64  # a grown embedding keeps matrix shapes the GPU's tensor cores like


def embedding_rows(tokenizer_size: int, model_rows: int) -> int:
    """Rows the model's embeddings need for the tokenizer (more only when a pad token was added)."""
    if tokenizer_size <= model_rows:
        return model_rows
    return -(-tokenizer_size // EMBEDDING_ROW_MULTIPLE) * EMBEDDING_ROW_MULTIPLE


def fit_embeddings(model, tokenizer) -> None:
    """Grow the input and output embeddings when `choose_pad_token` added a token.

    New rows are the mean of the existing rows: deterministic, so stages 4, 5 and
    6 all rebuild the same base model (the pad never reaches attention or the
    loss, and a mean output row keeps its logit unremarkable). peft then saves
    the grown embeddings with the adapter, and loading the adapter restores them.
    """
    old_rows = model.get_input_embeddings().weight.shape[0]
    rows = embedding_rows(len(tokenizer), old_rows)
    if rows == old_rows:
        return
    model.resize_token_embeddings(rows, mean_resizing=False)
    log.info("embeddings grown from %d to %d rows for the added pad token %s", old_rows, rows, tokenizer.pad_token)
    layers = [model.get_input_embeddings(), model.get_output_embeddings()]
    weights = {id(layer.weight): layer.weight for layer in layers if layer is not None}  # one when tied
    with torch.no_grad():
        for weight in weights.values():
            weight[old_rows:] = weight[:old_rows].mean(0)


def load_model_config(source: str, model: Optional[ModelConfig] = None):
    """The model's config.json (AutoConfig), with the same errors as loading the model."""
    from transformers import AutoConfig

    kwargs = _load_kwargs(source, model)
    try:
        return AutoConfig.from_pretrained(source, **kwargs)
    except OSError as exc:
        raise _load_error(source, exc, "config") from None


# What each part needs in a local folder, to say which is missing
LOCAL_FILES = {
    "tokenizer": (("tokenizer.json", "tokenizer.model", "vocab.json"), "tokenizer files (tokenizer.json, or tokenizer.model / vocab.json)"),
    "model": (("*.safetensors", "*.bin"), "weights (*.safetensors or *.bin)"),
    "config": (("config.json",), "config.json"),
}
HUB_GATED = re.compile(r"\b(gated|restricted)\b", re.IGNORECASE)
HUB_NOT_FOUND = re.compile(r"\b(404|repository not found|not a valid (model identifier|repository name))\b", re.IGNORECASE)
HUB_AUTH = re.compile(r"\b(401|403|unauthorized|token)\b", re.IGNORECASE)  # "token", not "tokenizer"


def _load_error(source: str, exc: Exception, part: str) -> StageError:
    text = str(exc)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    if Path(source).is_dir():  # a local folder: the Hub and its tokens have nothing to do with it
        patterns, described = LOCAL_FILES[part]
        if not any(any(Path(source).glob(pattern)) for pattern in patterns):
            return StageError(
                f"cannot load the {part} from folder {source}: it has no {described}; copy them in from the model it came from"
            )
        return StageError(f"cannot load the {part} from folder {source}: {first}")
    if HUB_GATED.search(text) or (HUB_AUTH.search(text) and not HUB_NOT_FOUND.search(text)):
        if get_secret("HF_TOKEN"):
            return StageError(
                f"cannot load {source}: HF_TOKEN is set but gives no access to it; accept its licence on huggingface.co/{source} or use a token that has access"
            )
        return StageError(f"cannot load {source}: it needs a Hugging Face token; export HF_TOKEN=... (never put it in config.yaml)")
    if HUB_NOT_FOUND.search(text):
        return StageError(f"cannot load {source}: no such model on the Hugging Face Hub (check the id; a private one also needs HF_TOKEN)")
    return StageError(f"cannot load {source}: {first}")


def bnb_config(quant_type: str, double_quant: bool, compute_dtype: torch.dtype):
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type=quant_type,
        bnb_4bit_use_double_quant=double_quant,
        bnb_4bit_compute_dtype=compute_dtype,
        bnb_4bit_quant_storage=compute_dtype,  # lets FSDP shard the 4-bit weights with the rest
    )


def load_causal_lm(
    source: str,
    *,
    model: Optional[ModelConfig] = None,
    dtype: torch.dtype = torch.float32,
    device: str = "cpu",
    quantization_config=None,
    attn_implementation: Optional[str] = None,
):
    """AutoModelForCausalLM from a folder or Hub id, on `device`, in `dtype` (or 4-bit).

    Under `accelerate launch` / `torchrun` each process loads its copy onto its
    own GPU (LOCAL_RANK), as DDP expects.
    """
    from transformers import AutoModelForCausalLM

    kwargs = _load_kwargs(source, model)
    if kwargs.get("local_files_only"):  # transformers 5.2x does not pass it on to its adapter lookup
        kwargs["adapter_kwargs"] = {"local_files_only": True}
    if quantization_config is not None:
        kwargs["quantization_config"] = quantization_config
    if attn_implementation is not None:
        kwargs["attn_implementation"] = attn_implementation
    if device == "cuda":
        device_map = {"": int(os.environ.get("LOCAL_RANK", torch.cuda.current_device()))}
    else:
        device_map = {"": "cpu"}
    try:
        return AutoModelForCausalLM.from_pretrained(source, dtype=dtype, device_map=device_map, **kwargs)
    except OSError as exc:
        raise _load_error(source, exc, "model") from None


def release_memory() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
