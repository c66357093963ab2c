"""Which paths a stage may read, write into or replace: one rule, checked before any work.

A stage may replace or write into only a folder it made itself (one whose
`manifest.json` names the stage), an empty folder, or a path that does not
exist yet. A file, a folder of the user's or another stage's output is refused,
so nothing the user owns is ever lost. Each stage checks every path it reads
and writes up front (`check_paths`: a `ConfigError`, exit code 2, one line
naming the config key and the path); `atomic.output_dir` applies the same rule
again when it replaces a folder.

An owner is a stage name ("clean") or a stage and a part of its output
("finetune/checkpoints") for stages with more than one folder. Stages that
write into a folder piece by piece (stage 1's files, stage 4's checkpoints)
claim it first with a manifest marked incomplete (`manifest.claim`).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Optional

from brandtone.config import ConfigError

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"

STAGE_SCRIPTS = {
    "scrape": "01_scrape.py",
    "clean": "02_clean.py",
    "dataset": "03_build_dataset.py",
    "finetune": "04_finetune.py",
    "merge": "05_merge.py",
    "evaluate": "06_evaluate.py",
}


def read_manifest_data(folder: Path) -> Optional[dict]:
    """The folder's manifest.json as a dict, or None when it has none or it is unreadable."""
    try:
        data = json.loads((Path(folder) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def owner_of(folder: Path) -> Optional[str]:
    """The owner its manifest names ("clean", "finetune/checkpoints"), or None."""
    data = read_manifest_data(folder)
    if data is None or not isinstance(data.get("stage"), str):
        return None
    return f"{data['stage']}/{data['part']}" if isinstance(data.get("part"), str) else data["stage"]


def describe_owner(owner: str) -> str:
    """'02_clean.py' or '04_finetune.py (checkpoints)'."""
    stage, _, part = owner.partition("/")
    script = STAGE_SCRIPTS.get(stage, stage)
    return f"{script} ({part})" if part else script


def write_problem(path: Path, owner: str) -> Optional[str]:
    """Why `owner` may not write `path` (replace it whole or write into it), or None when it may.

    A missing path is fine when its parent folders can be created.
    """
    path = Path(path)
    writer = describe_owner(owner)
    if path.is_dir():
        if not any(path.iterdir()):
            return None
        found = owner_of(path)
        if found == owner:
            if not os.access(path, os.W_OK | os.X_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
                return f"{path} is not writable (check its permissions and its parent's)"
            return None
        whose = f"holds the output of {describe_owner(found)}" if found else f"is a folder that {writer} did not write (no manifest.json of its own)"
        return f"{path} {whose}: it would be replaced and its files lost; point it at a new or empty folder, or move that folder away"
    if path.exists() or path.is_symlink():
        return f"{path} is a file (or a broken link), not a folder: {writer} would replace it; point it at a new or empty folder"
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"{path} cannot be created: {ancestor} is a file, not a folder"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"{path} cannot be created: {ancestor} is not writable"
    return None


def read_problem(path: Path, produced_by: Optional[str]) -> Optional[str]:
    """Why `path` cannot be read as `produced_by`'s finished output (any readable folder when None), or None."""
    path = Path(path)
    script = STAGE_SCRIPTS.get(produced_by, produced_by) if produced_by else None
    if not path.exists():
        if script:
            return f"{path / MANIFEST_NAME} not found: run {script} first (its output folder {path} is missing or unfinished)"
        return f"{path} not found"
    if not path.is_dir():
        return f"{path} is a file, not a folder" + (f": point it at {script}'s output folder" if script else "")
    if not os.access(path, os.R_OK | os.X_OK):
        return f"{path} is not readable (check its permissions)"
    return manifest_problem(path, produced_by) if produced_by else None


def manifest_problem(folder: Path, produced_by: str) -> Optional[str]:
    """Why `folder` is not `produced_by`'s finished output, judged by its manifest.json, or None."""
    path = Path(folder) / MANIFEST_NAME
    script = STAGE_SCRIPTS[produced_by]
    if not path.is_file():
        return f"{path} not found: run {script} first (its output folder {folder} is missing or unfinished)"
    data = read_manifest_data(folder)
    if data is None:
        return f"{path} is not valid JSON: rerun {script}"
    if owner_of(folder) != produced_by:
        found = owner_of(folder)
        what = f"the output of {describe_owner(found)}" if found else "a manifest of no stage"
        return f"{folder} holds {what}, not of {script}: point it at {script}'s output folder"
    if data.get("complete") is False:
        return f"{folder} is unfinished (the last {script} run was interrupted): rerun {script}"
    return None


def _overlap(a: Path, b: Path) -> bool:
    a, b = Path(os.path.abspath(a)), Path(os.path.abspath(b))
    return a == b or a in b.parents or b in a.parents


def check_paths(
    reads: Optional[dict[str, tuple[Path, Optional[str]]]] = None,
    writes: Optional[dict[str, tuple[Path, str]]] = None,
    dry_run: bool = False,
) -> list[str]:
    """Every path a stage reads ({key: (path, producing stage or None)}) and writes
    ({key: (path, owner)}), checked before any work; the first problem is a ConfigError naming its key.

    A dry run may plan ahead of the stages before it: an input that does not exist yet is a
    warning, and its key is returned so the stage can leave out what depends on it.
    """
    reads, writes = reads or {}, writes or {}
    not_there = []
    for key, (path, produced_by) in reads.items():
        problem = read_problem(path, produced_by)
        if problem and dry_run and not Path(path).exists():
            log.warning("%s: %s (a real run stops here)", key, problem)
            not_there.append(key)
        elif problem:
            raise ConfigError(f"{key}: {problem}")
    for key, (path, owner) in writes.items():
        problem = write_problem(path, owner)
        if problem:
            raise ConfigError(f"{key}: {problem}")
    for key, (path, _) in writes.items():
        for other, (other_path, _) in {**reads, **writes}.items():
            if other != key and _overlap(path, other_path):
                raise ConfigError(f"{key}: {path} overlaps {other} ({other_path}): give each its own folder")
    return not_there
