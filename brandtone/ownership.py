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

What a killed writer leaves behind falls under the same rule. Every temporary
file or folder `brandtone.atomic` makes carries its writer in its name
(`.NAME.tmp-HOST-PID-XXXX`, `.NAME.old-HOST-PID`), and a temporary folder also
carries a claim manifest naming its stage. Before a stage writes (`check_paths`,
and `atomic.output_dir` again), `remove_dead_leftovers` removes such leftovers
of its own outputs whose writer ran on this machine and is gone; a folder only
when it is empty or its manifest names the same stage. Anything else, a hidden
folder of the user's with a similar name included, is never touched.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import socket
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

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
        whose = (
            f"holds the output of {describe_owner(found)}"
            if found
            else f"is a folder that {writer} did not write (no manifest.json of its own)"
        )
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
    Then what killed runs left of the outputs is removed (a dry run only says what would go).

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
    for path, owner in writes.values():
        remove_dead_leftovers(path, owner, dry_run=dry_run)
    return not_there


# --------------------------------------------------------------------------- what killed writers leave


HOST = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname())[:64] or "localhost"  # no "-": names split on it
# .NAME.tmp-HOST-PID-XXXXXXXX (tempfile's random part) or .NAME.old-HOST-PID
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?:tmp-(?P<tmp>[A-Za-z0-9._]+-\d+)-[a-z0-9_]+|old-(?P<old>[A-Za-z0-9._]+-\d+))$")


def writer_tag() -> str:
    """This process as temporary names carry it: HOST-PID."""
    return f"{HOST}-{os.getpid()}"


def writer_gone(tag: str) -> bool:
    """Whether the HOST-PID writer is known to be gone: it ran on this machine and no process has its
    id. A writer on another machine (a shared disk) may still run, so it never counts as gone."""
    host, _, pid = tag.rpartition("-")
    if host != HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):  # another user's process (alive), or not a process id
        pass
    return False


def claim_record(owner: str, writer: Optional[str] = None) -> dict:
    """The manifest that marks a folder as `owner`'s before it is complete (`manifest.claim`,
    `atomic.output_dir`'s temporary folders, which also name their `writer`)."""
    stage, _, part = owner.partition("/")
    doing = (
        f"claimed by {describe_owner(owner)} (process {writer}) for the folder it writes"
        if writer
        else f"written into by {describe_owner(owner)} as it works"
    )
    return {
        "stage": stage,
        **({"part": part} if part else {}),
        "script": STAGE_SCRIPTS.get(stage, stage),
        "complete": False,
        "claimed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **({"writer": writer} if writer else {}),
        "note": doing,
    }


def dead_leftovers(path: Path, owner: str, inside: bool = True) -> Iterator[tuple[Path, str]]:
    """(leftover, its writer) for the temporary siblings of `path` (`.NAME.tmp-*`, `.NAME.old-*`) and,
    with `inside`, the temporaries at any depth in `path` when it is the stage's own folder, whose
    writer is gone; a folder only when it is empty or its manifest names `owner`'s stage."""
    path = Path(path)
    stage = owner.partition("/")[0]
    candidates = []
    try:
        if path.parent.is_dir():
            candidates += [item for item in path.parent.iterdir() if item.name.startswith((f".{path.name}.tmp-", f".{path.name}.old-"))]
    except OSError:  # an unreadable parent: nothing of ours can be told apart there
        pass
    if inside and path.is_dir() and (owner_of(path) or "").partition("/")[0] == stage:
        for folder, subfolders, files in os.walk(path):
            candidates += [Path(folder, name) for name in [*subfolders, *files] if _LEFTOVER.match(name)]
            subfolders[:] = [name for name in subfolders if not _LEFTOVER.match(name)]  # a leftover goes whole
    for item in candidates:
        match = _LEFTOVER.match(item.name)
        writer = match and (match["tmp"] or match["old"])
        if not writer or not writer_gone(writer) or item.is_symlink():
            continue
        try:
            foreign = item.is_dir() and any(item.iterdir()) and (owner_of(item) or "").partition("/")[0] != stage
        except OSError:  # unreadable: not recognisably ours
            foreign = True
        if not foreign:
            yield item, writer


def remove_dead_leftovers(path: Path, owner: str, inside: bool = True, dry_run: bool = False) -> None:
    """Remove (log) what killed writes of `owner`'s output `path` left behind: see `dead_leftovers`."""
    for item, writer in list(dead_leftovers(path, owner, inside)):
        remove_leftover(item, f"a killed {describe_owner(owner)}", writer, dry_run)


def remove_leftover(item: Path, left_by: str, writer: str, dry_run: bool = False) -> None:
    """Remove a dead writer's file or folder, logging who left it and the space freed."""
    size = _size(item)
    if dry_run:
        log.info("would remove %s, left by %s (process %s, gone): %s", item, left_by, writer, _human(size))
        return
    if item.is_dir():
        shutil.rmtree(item, ignore_errors=True)
    else:
        item.unlink(missing_ok=True)
    if not item.exists():
        log.info("removed %s, left by %s (process %s, gone): %s freed", item, left_by, writer, _human(size))


def _size(path: Path) -> int:
    """Bytes in a file or folder; what vanishes meanwhile (another process of the stage removing it) counts 0."""
    files = [path] if not path.is_dir() else [Path(folder, name) for folder, _, names in os.walk(path) for name in names]
    total = 0
    for item in files:
        try:
            total += item.lstat().st_size
        except FileNotFoundError:
            pass
    return total


def _human(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    exponent = min(len(str(size)) - 1, 12) // 3  # KB, MB, GB, TB
    return f"{size / 1000**exponent:.1f} {' KMGT'[exponent]}B"
