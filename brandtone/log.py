"""Logging for the stage scripts: one format, secrets redacted on every handler, and no
progress bars redrawn into a log file."""

from __future__ import annotations

import logging
import os
import sys
import warnings

from brandtone.credentials import RedactingFilter

# Warnings that libraries raise from their own code, which a user can do nothing about
LIBRARY_WARNINGS = (
    # peft 0.21's PeftModel reads transformers 5.2x's old name
    (FutureWarning, r"`is_gradient_checkpointing` is deprecated"),
    # TRL 1.x deprecates use_liger_kernel (finetune.use_liger_kernel) for Hub kernels fetched at run time;
    # it works throughout trl<2, which requirements.txt pins
    (FutureWarning, r"`use_liger_kernel=True` is deprecated"),
    # at every checkpoint when load_tokenizer added a pad token: intended (brandtone.models.fit_embeddings)
    (UserWarning, r"Setting `save_embedding_layers` to `True` as the embedding layer has been resized"),
)


def setup_logging(stage: str, verbose: bool = False) -> logging.Logger:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"%(asctime)s [{stage}] %(levelname)s %(message)s", "%H:%M:%S"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("urllib3", "httpx", "httpcore", "websockets", "pyppeteer", "filelock", "fsspec", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # bitsandbytes looks for an optional Hub kernel of its CPU inference path, which stage 4 keeps off
    # (finetune.train.keep_4bit_layout_trainable), and warns at import when it is not installed
    logging.getLogger("bitsandbytes.backends.cpu.ops").setLevel(logging.ERROR)
    for category, message in LIBRARY_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=category)
    if not sys.stderr.isatty():
        disable_progress_bars()
    return logging.getLogger(f"brandtone.{stage}")


def disable_progress_bars() -> None:
    """Turn off the progress bars of the libraries the stages call (weight loading, dataset maps,
    downloads, tqdm itself). A bar redraws itself with carriage returns: on a terminal that is one
    line, in `demo.sh > log` it is a line of every refresh. Environment variables reach libraries
    imported later; the helpers, those already imported. Stage 4's Trainer prints a line per
    logging step instead of its bar (finetune.train.training_args)."""
    for variable in ("HF_HUB_DISABLE_PROGRESS_BARS", "HF_DATASETS_DISABLE_PROGRESS_BARS", "TQDM_DISABLE"):
        os.environ.setdefault(variable, "1")
    if "huggingface_hub" in sys.modules:
        sys.modules["huggingface_hub"].utils.disable_progress_bars()
    if "transformers" in sys.modules:
        sys.modules["transformers"].utils.logging.disable_progress_bar()
    if "datasets" in sys.modules:
        sys.modules["datasets"].disable_progress_bars()
