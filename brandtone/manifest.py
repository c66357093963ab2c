"""Self-describing artifact folders: every stage writes `manifest.json` beside its output.

A manifest records the resolved config sections the stage used, fingerprints of
its inputs, counts, library versions and wall time. A stage reading another
stage's output first checks that output's manifest, so a missing or unfinished
upstream stage is reported as "run NN_stage.py first" instead of a crash. The
manifest's `stage` is also what lets a stage replace its own earlier output and
nothing else (`brandtone.ownership`).
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
from brandtone.config_schema import Config
from brandtone.credentials import redact
from brandtone.errors import StageError
from brandtone.ownership import MANIFEST_NAME, STAGE_SCRIPTS, claim_record, manifest_problem

_TRACKED_PACKAGES = (
    "torch",
    "transformers",
    "tokenizers",
    "peft",
    "trl",
    "bitsandbytes",
    "accelerate",
    "datasets",
    "pyppeteer",
    "apify-client",
    "trafilatura",
    "ftfy",
    "phonenumbers",
    "datasketch",
    "yake",
    "sacrebleu",
    "rouge-score",
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
    """The manifest of `produced_by`'s finished output folder, or a StageError saying which stage to run."""
    problem = manifest_problem(folder, produced_by)
    if problem:
        raise StageError(problem)
    return json.loads((Path(folder) / MANIFEST_NAME).read_text(encoding="utf-8"))


def claim(folder: Path, owner: str) -> None:
    """Mark `folder` as `owner`'s before writing into it piece by piece (a crawl, checkpoints).

    The claim is a manifest marked incomplete, so a later run of the same stage
    may continue in the folder while readers see it is unfinished; a finished
    stage overwrites it with its full manifest. A folder with a manifest keeps it
    (the up-front check has made sure it is `owner`'s).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / MANIFEST_NAME).is_file():
        return
    atomic.write_json(folder / MANIFEST_NAME, claim_record(owner))
