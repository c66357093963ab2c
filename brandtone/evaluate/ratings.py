"""Stage 6's blind pairwise rating sheet and its key, read back as `Rating`s (brandtone.evaluate.human_scores).

One sheet item is one prompt (a first half, or a writing request) and the answers of two systems to it, in a
seeded random order. Every pair of the systems a test evaluated gets its own items, so a third system (the
prompted baseline) adds pairs without any change here. The key (item -> which system is A and B) stays apart
from the sheet; the rating page (brandtone.evaluate.serve) reads both and never sends the key to the browser.

Raters fill the sheet in a spreadsheet program, which may save it in another encoding or with another
delimiter: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (Excel's "Unicode Text",
tab-separated) and Windows-1252 (Excel's plain "CSV" on a Western machine) are read; anything else is one line
asking for "CSV UTF-8".
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from brandtone import atomic
from brandtone.errors import StageError
from brandtone.evaluate.human_scores import CRITERIA, Rating

SHEET_COLUMNS = ["item", "task", "prompt", "continuation_a", "continuation_b", "brand_voice_winner", "fluency_winner", "on_request_winner"]
KEY_COLUMNS = ["item", "task", "a", "b", "text_index"]
TASKS = {  # task -> the criteria its rows are rated on; "write" rows pair two answers to one request
    "continue": ("brand_voice_winner", "fluency_winner"),
    "write": ("brand_voice_winner", "fluency_winner", "on_request_winner"),
}
SHEET_NAME, KEY_NAME = "human_ratings.csv", "human_ratings_key.csv"
VOTES_NAME = "votes.jsonl"  # the rating page's votes (brandtone.evaluate.votes), kept beside the sheet
SHEET_ANSWERS = {"a": "A", "b": "B", "tie": "tie", "both bad": "both_bad", "both_bad": "both_bad", "bad": "both_bad"}
SAVE_AS_UTF8 = 'save it from your spreadsheet program as "CSV UTF-8 (Comma delimited)" and run --score-ratings again'


@dataclass(frozen=True)
class RatingTask:
    """One test's prompts and each system's answer to every prompt ({system: [answer per prompt]})."""

    name: str  # a key of TASKS
    prompts: list[str]
    answers: dict[str, list[str]]


def rating_sheet(tasks: list[RatingTask], seed: int) -> tuple[list[dict], list[dict]]:
    """Blind pairwise rows, one per prompt and pair of systems (A and B in a seeded random order), and the key."""
    rng = np.random.default_rng(seed)
    sheet, key = [], []
    for task in tasks:
        pairs = list(itertools.combinations(task.answers, 2))
        for index, prompt in enumerate(task.prompts):
            for first, second in pairs:
                item = len(sheet) + 1
                a, b = (first, second) if rng.random() < 0.5 else (second, first)
                sheet.append(
                    {
                        "item": item,
                        "task": task.name,
                        "prompt": prompt,
                        "continuation_a": task.answers[a][index],
                        "continuation_b": task.answers[b][index],
                        **{c: "" if c in TASKS[task.name] else "n/a" for c in CRITERIA},
                    }
                )
                key.append({"item": item, "task": task.name, "a": a, "b": b, "text_index": index})
    return sheet, key


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    """UTF-8 with a byte-order mark, so spreadsheet programs show Urdu and emoji correctly."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    atomic.write_text(path, "\ufeff" + buffer.getvalue())


# Complete UTF-8 sequences of two to four bytes: Windows-1252 text practically never contains one.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def sheet_text(path: Path) -> str:
    """The sheet's text, whichever of the encodings spreadsheet programs write it is in."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif b"\x00" in data or _UTF8_MULTIBYTE.search(data):  # UTF-16 without its mark, or UTF-8 with a stray byte
        encodings = ["utf-8"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            problem = f"byte {exc.start} is not {'UTF-8' if encoding.startswith('utf-8') else encoding.upper()}"
    raise StageError(f"{path}: not readable as UTF-8, UTF-16 or Windows-1252 text ({problem}): {SAVE_AS_UTF8}")


def read_csv(path: Path, columns: list[str]) -> list[dict]:
    """Rows of a sheet or key; the delimiter is the one (comma, tab, semicolon) that gives the expected header."""
    if not path.is_file():
        raise StageError(f"{path} not found")
    text = sheet_text(path)
    header = text.splitlines()[0] if text.strip() else ""
    for delimiter in (",", "\t", ";"):
        names = next(csv.reader([header], delimiter=delimiter), [])
        if all(c in names for c in columns):
            return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    missing = [c for c in columns if c not in next(csv.reader([header]), [])]
    raise StageError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)} (or {SAVE_AS_UTF8})")


def read_key(key_path: Path) -> dict[int, dict]:
    """item number -> its key row."""
    return {int(row["item"]): row for row in read_csv(key_path, KEY_COLUMNS)}


def sheet_ratings(sheet_path: Path, key_path: Path) -> list[Rating]:
    """Every filled cell of a sheet as a Rating by the rater "<sheet file name>"."""
    key = read_key(key_path)
    ratings = []
    for line, row in enumerate(read_csv(sheet_path, SHEET_COLUMNS), start=2):
        item = int(row["item"]) if (row["item"] or "").strip().isdigit() else None
        if item not in key:
            raise StageError(f"{sheet_path} line {line}: item {row['item']!r} is not in {key_path}; use the key written with this sheet")
        task = key[item]["task"]
        for criterion in TASKS[task]:
            cell = (row[criterion] or "").strip()
            if not cell:
                continue
            if cell.lower() not in SHEET_ANSWERS:
                raise StageError(f"{sheet_path} line {line}, {criterion}: {cell!r} is not A, B, tie or both bad (or empty)")
            ratings.append(Rating(sheet_path.name, item, task, criterion, key[item]["a"], key[item]["b"], SHEET_ANSWERS[cell.lower()]))
    if not ratings:
        raise StageError(f"{sheet_path} has no ratings yet: fill {', '.join(CRITERIA)} with A, B, tie or both bad")
    return ratings


def carry_over_ratings(eval_dir: Path, new_folder: Path, stamp: str) -> Optional[Path]:
    """A rerun replaces eval/; a filled-in sheet and the page's votes move into the new folder's
    previous_ratings/STAMP/ (with the key that unblinds them) instead of vanishing."""
    archive = new_folder / "previous_ratings"
    if (eval_dir / "previous_ratings").is_dir():
        shutil.copytree(eval_dir / "previous_ratings", archive)
    sheet, votes = eval_dir / SHEET_NAME, eval_dir / VOTES_NAME
    filled = votes.is_file() and votes.stat().st_size > 0
    if sheet.is_file() and not filled:
        try:
            filled = any((row.get(c) or "").strip() not in ("", "n/a") for row in read_csv(sheet, SHEET_COLUMNS) for c in CRITERIA)
        except StageError:
            filled = True  # unreadable as a sheet: keep it rather than guess
    if not filled:
        return None
    target = archive / stamp
    target.mkdir(parents=True)
    for name in (SHEET_NAME, KEY_NAME, VOTES_NAME):
        if (eval_dir / name).is_file():
            shutil.copy2(eval_dir / name, target / name)
    return target
