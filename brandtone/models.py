"""Model and tokenizer loading shared by fine-tuning, merging and evaluation.

One place decides the device, the compute dtype, how the base model is
quantised, and which token pads, so training and evaluation can never disagree.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from pathlib import Path
from typing import Optional

import torch

from brandtone.config import ConfigError, ModelConfig
from brandtone.errors import StageError
from brandtone.secrets import get_secret

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


def resolve_dtype(setting: str, device: str) -> torch.dtype:
    """'auto' -> bf16 on a GPU that supports it, else fp16 on GPU, fp32 on CPU."""
    if setting != "auto":
        return DTYPES[setting]
    if device == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


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


def load_tokenizer(source: str, model: Optional[ModelConfig] = None):
    """The tokenizer, with a pad token that is not the end-of-text token.

    Padding with end-of-text (the original recipe's choice) masks every
    end-of-text label too, so the model never learns to stop. We pad with an
    existing token that is neither end-of-text nor beginning-of-text.
    """
    from transformers import AutoTokenizer

    kwargs = hub_kwargs(model) if model else {}
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
    except (OSError, ValueError) as exc:  # a folder without tokenizer files raises ValueError
        raise _load_error(source, exc, "tokenizer") from None
    if tokenizer.eos_token_id is None:
        raise StageError(f"tokenizer of {source} has no end-of-text token: pick a causal LM that defines eos_token")
    if tokenizer.pad_token_id is None or tokenizer.pad_token_id == tokenizer.eos_token_id:
        special = {tokenizer.eos_token_id, tokenizer.bos_token_id}
        if tokenizer.unk_token_id is not None and tokenizer.unk_token_id not in special:
            tokenizer.pad_token = tokenizer.unk_token
        else:
            raise StageError(f"tokenizer of {source} has no spare token to pad with (pad would equal end-of-text): set tokenizer.pad_token in the model folder")
    return tokenizer


def load_model_config(source: str, model: Optional[ModelConfig] = None):
    """The model's config.json (AutoConfig), with the same errors as loading the model."""
    from transformers import AutoConfig

    kwargs = hub_kwargs(model) if model else {}
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
            return StageError(f"cannot load the {part} from folder {source}: it has no {described}; copy them in from the model it came from")
        return StageError(f"cannot load the {part} from folder {source}: {first}")
    if HUB_GATED.search(text) or (HUB_AUTH.search(text) and not HUB_NOT_FOUND.search(text)):
        if get_secret("HF_TOKEN"):
            return StageError(f"cannot load {source}: HF_TOKEN is set but gives no access to it; accept its licence on huggingface.co/{source} or use a token that has access")
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

    kwargs = hub_kwargs(model) if model else {}
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
