"""Self-describing artifact folders: every stage writes `manifest.json` beside its output.

A manifest records the resolved config sections the stage used, fingerprints of
its inputs, counts, library versions and wall time. A stage reading another
stage's output first checks that output's manifest, so a missing or unfinished
upstream stage is reported as "run NN_stage.py first" instead of a crash.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Optional

from brandtone import atomic
from brandtone.config import Config
from brandtone.errors import StageError
from brandtone.secrets import redact

MANIFEST_NAME = "manifest.json"

STAGE_SCRIPTS = {
    "scrape": "01_scrape.py",
    "clean": "02_clean.py",
    "dataset": "03_build_dataset.py",
    "finetune": "04_finetune.py",
    "merge": "05_merge.py",
    "evaluate": "06_evaluate.py",
}

_TRACKED_PACKAGES = (
    "torch", "transformers", "tokenizers", "peft", "trl", "bitsandbytes", "accelerate", "datasets",
    "pyppeteer", "apify-client", "trafilatura", "ftfy", "phonenumbers", "datasketch", "yake", "sacrebleu", "rouge-score",
)


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _TRACKED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return versions


def fingerprint(path: Path) -> Optional[str]:
    """sha256 of a file; of a folder's manifest when it has one; else of its file names and sizes."""
    path = Path(path)
    digest = hashlib.sha256()
    if path.is_file():
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    elif (path / MANIFEST_NAME).is_file():
        digest.update((path / MANIFEST_NAME).read_bytes())
    elif path.is_dir():
        for item in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(f"{item.relative_to(path)}:{item.stat().st_size}\n".encode())
    else:
        return None
    return "sha256:" + digest.hexdigest()


def build_manifest(
    *,
    stage: str,
    config: Config,
    sections: tuple[str, ...],
    inputs: dict[str, Path],
    counts: dict[str, Any],
    started_at: float,
    extra: Optional[dict[str, Any]] = None,
) -> dict[str, Any]:
    return {
        "stage": stage,
        "script": STAGE_SCRIPTS.get(stage, stage),
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "wall_seconds": round(time.time() - started_at, 2),
        "command": " ".join(sys.argv),
        "config": config.section_dict(*sections),
        "inputs": {name: {"path": str(path), "fingerprint": fingerprint(path)} for name, path in inputs.items()},
        "counts": counts,
        "versions": library_versions(),
        **(extra or {}),
    }


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n"
    atomic.write_text(Path(folder) / MANIFEST_NAME, redact(text))


def read_manifest(folder: Path, produced_by: str) -> dict[str, Any]:
    """The manifest of `produced_by`'s output folder, or a StageError saying which stage to run."""
    path = Path(folder) / MANIFEST_NAME
    script = STAGE_SCRIPTS[produced_by]
    if not path.is_file():
        raise StageError(f"{path} not found: run {script} first (its output folder {folder} is missing or unfinished)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StageError(f"{path} is not valid JSON ({exc}): rerun {script}") from None
