"""The one JSON Lines reader of every stage: one object a line, blank lines skipped.

A problem is a `BadLine` naming the file and the line ("files/facebook/run1.jsonl: line 7
is not valid JSON (Expecting value)"): `iter_jsonl` hands it over so a stage can count
it and go on, `read_jsonl` stops with it as a one-line StageError that says what to do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Union

from brandtone.errors import StageError


@dataclass(frozen=True)
class BadLine:
    path: Path
    line: Optional[int]  # None: the whole file could not be read
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: line {self.line} {self.problem}" if self.line else f"{self.path}: {self.problem}"


def read_text(path: Path) -> Union[str, BadLine]:
    """UTF-8 text (a byte-order mark allowed), or a BadLine saying why not (missing, binary, not UTF-8)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return BadLine(path, None, str(exc.strerror or exc))
    if b"\x00" in data:
        return BadLine(path, None, "binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return BadLine(path, None, f"not UTF-8 ({exc.reason} at byte {exc.start})")


def iter_jsonl(path: Path) -> Iterator[Union[tuple[int, dict], BadLine]]:
    """(line number, object) for each line; a BadLine for the file, or for each line that is not a JSON object."""
    path = Path(path)
    text = read_text(path)
    if isinstance(text, BadLine):
        yield text
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadLine(path, number, f"is not valid JSON ({exc.msg})")
            continue
        if not isinstance(item, dict):
            yield BadLine(path, number, f"is not a JSON object ({type(item).__name__})")
            continue
        yield number, item


def read_jsonl(path: Path, fix: str) -> list[tuple[int, dict]]:
    """Every (line number, object) of the file; the first problem stops with a StageError ending in `fix`."""
    rows = []
    for entry in iter_jsonl(path):
        if isinstance(entry, BadLine):
            raise StageError(f"{entry}: {fix}")
        rows.append(entry)
    return rows
