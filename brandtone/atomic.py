"""Atomic writes: a temporary file or folder beside the target, then one rename.

An interrupted stage therefore never leaves a half-written artifact that looks
complete: either the old output is still there, or the new one is, whole. A
folder is replaced only when it is its owner's own earlier output (the rule in
`brandtone.ownership`), so a path pointed at the user's files never loses them.

Temporary names carry their writer (`.NAME.tmp-HOST-PID-XXXX`), and a temporary
folder holds a claim manifest from its first moment, so what a killed writer
leaves (SIGKILL runs no cleanup) is recognised and removed by the next write
(`ownership.remove_dead_leftovers`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator

from brandtone.errors import StageError
from brandtone.ownership import MANIFEST_NAME, claim_record, remove_dead_leftovers, write_problem, writer_tag


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes) -> None:
    with output_file(path) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)


@contextlib.contextmanager
def output_file(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside `final` for a writer that wants a file name; on success it is
    synced and renamed onto `final`, on any exception removed."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.tmp-{writer_tag()}-")
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def write_jsonl(path: Path, rows: list[dict]) -> None:
    write_text(path, "".join(json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in rows))


@contextlib.contextmanager
def output_dir(final: Path, owner: str) -> Iterator[Path]:
    """Yield a temporary folder, holding only `owner`'s claim manifest (which the writer
    replaces with its own manifest); on success it replaces `final` whole.

    `final` must be missing, empty, or `owner`'s own earlier output (its manifest
    says so); anything else is refused before and again just before the swap.
    What killed writes of `final` left beside it is removed first. On any exception
    the temporary folder is removed and `final` is untouched.
    """
    final = Path(final)
    _check_replaceable(final, owner)
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_dead_leftovers(final, owner, inside=False)
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.tmp-{writer_tag()}-"))
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700
        write_json(tmp / MANIFEST_NAME, claim_record(owner, writer=writer_tag()))
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for path in tmp.rglob("*"):  # some writers (safetensors) leave 0600 files: give the usual permissions
        if path.is_file() and path.stat().st_mode & 0o777 == 0o600:
            os.chmod(path, 0o666 & ~_umask())
    try:
        _check_replaceable(final, owner)
    except StageError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = final.parent / f".{final.name}.old-{writer_tag()}"
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)


def _check_replaceable(final: Path, owner: str) -> None:
    problem = write_problem(final, owner)
    if problem:
        raise StageError(f"not replacing {final}: {problem}")
