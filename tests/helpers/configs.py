"""A config whose every output lives under one folder, for tests that run stages 3-6 on a small model."""

from __future__ import annotations

from pathlib import Path

import yaml

# Stage 6 on a tiny model in seconds: short answers, few resamples.
FAST_EVALUATE = {
    "tuned_model": "merged",
    "device": "cpu",
    "max_new_tokens_cap": 16,
    "bootstrap_samples": 200,
    "samples_in_report": 3,
    "min_tokens": 8,
    "write_max_new_tokens": 16,
    "two_sample_min_requests": 10,
}


def write_config(folder: Path, base, finetune: dict | None = None, merge: dict | None = None, evaluate: dict | None = None) -> Path:
    """folder/config.yaml, training and evaluating `base` on the CPU, every output under `folder`."""
    folder = Path(folder)
    data = {
        "brand": {"name": "Nukkar Chai Co."},
        "paths": {
            name: str(folder / name.removesuffix("_dir"))
            for name in ("dataset_dir", "checkpoints_dir", "adapter_dir", "merged_dir", "eval_dir")
        },
        "model": {"base": str(base)},
        "finetune": {"device": "cpu", **(finetune or {})},
        "merge": merge or {},
        "evaluate": {**FAST_EVALUATE, **(evaluate or {})},
    }
    path = folder / "config.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
