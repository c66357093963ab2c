"""Stage 6's human assessment: the blind pairwise rating sheet, its key, and scoring a filled sheet."""

from __future__ import annotations

import csv
import io
import itertools
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from brandtone import atomic
from brandtone.errors import StageError
from brandtone.evaluate.metrics import wilson_interval

SHEET_COLUMNS = ["item", "task", "prompt", "continuation_a", "continuation_b", "brand_voice_winner", "fluency_winner", "on_request_winner"]
KEY_COLUMNS = ["item", "task", "a", "b", "text_index"]
CRITERIA = {"brand_voice_winner": "reads more like the brand", "fluency_winner": "is more fluent",
            "on_request_winner": "does what the request asks"}
TASKS = {  # task -> the criteria its rows are rated on; "write" rows pair two systems' answers to one request
    "continue": ("brand_voice_winner", "fluency_winner"),
    "write": ("brand_voice_winner", "fluency_winner", "on_request_winner"),
}
SHEET_NAME, KEY_NAME = "human_ratings.csv", "human_ratings_key.csv"


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
                sheet.append({"item": item, "task": task.name, "prompt": prompt, "continuation_a": task.answers[a][index],
                              "continuation_b": task.answers[b][index],
                              **{c: "" if c in TASKS[task.name] else "n/a" for c in CRITERIA}})
                key.append({"item": item, "task": task.name, "a": a, "b": b, "text_index": index})
    return sheet, key


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    """UTF-8 with a byte-order mark, so spreadsheet programs show Urdu and emoji correctly."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    atomic.write_text(path, "\ufeff" + buffer.getvalue())


def read_csv(path: Path, columns: list[str]) -> list[dict]:
    if not path.is_file():
        raise StageError(f"{path} not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise StageError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}")
        return list(reader)


SUBJECTS = ("tuned", "prompted", "base")  # whose win rate a comparison reports: the first of its two systems in this order


def score_ratings(sheet_path: Path, key_path: Path, confidence: float) -> dict:
    """Win rates per task, system pair and criterion, with Wilson intervals over the decisive (non-tie) ratings:
    `comparisons`, one per (task, pair): the tuned model's win rate against the other system, and the prompted
    baseline's against the base model."""
    sheet = read_csv(sheet_path, SHEET_COLUMNS)
    key = {row["item"]: row for row in read_csv(key_path, KEY_COLUMNS)}
    comparisons: dict[tuple, dict] = {}
    for line, row in enumerate(sheet, start=2):
        if row["item"] not in key:
            raise StageError(f"{sheet_path} line {line}: item {row['item']!r} is not in {key_path}; use the key written with this sheet")
        task, a, b = key[row["item"]]["task"], key[row["item"]]["a"], key[row["item"]]["b"]
        subject, other = sorted((a, b), key=lambda s: (SUBJECTS.index(s) if s in SUBJECTS else len(SUBJECTS), s))
        found = comparisons.setdefault((task, subject, other), {
            "task": task, "systems": [subject, other], "rows": 0,
            "counts": {c: {subject: 0, other: 0, "tie": 0, "unrated": 0} for c in TASKS[task]}})
        found["rows"] += 1
        for criterion in TASKS[task]:
            answer = (row[criterion] or "").strip().lower()
            if answer in ("a", "b"):
                found["counts"][criterion][key[row["item"]][answer]] += 1
            elif answer in ("tie", ""):
                found["counts"][criterion]["tie" if answer else "unrated"] += 1
            else:
                raise StageError(f"{sheet_path} line {line}, {criterion}: {row[criterion]!r} is not A, B or tie (or empty)")
    if all(c["unrated"] == found["rows"] for found in comparisons.values() for c in found["counts"].values()):
        raise StageError(f"{sheet_path} has no ratings yet: fill {', '.join(CRITERIA)} with A, B or tie")
    result = []
    for found in comparisons.values():
        subject, other = found["systems"]
        criteria = {}
        for criterion, c in found["counts"].items():
            decisive = c[subject] + c[other]
            criteria[criterion] = {"question": CRITERIA[criterion], **c, "win_rate": c[subject] / decisive if decisive else None,
                                   "ci": list(wilson_interval(c[subject], decisive, confidence)) if decisive else None}
        result.append({"task": found["task"], "systems": found["systems"], "criteria": criteria})
    return {"sheet": str(sheet_path), "key": str(key_path), "confidence": confidence, "comparisons": result}


TASK_TITLES = {"continue": "Continuations", "write": "Answers to writing requests"}


def ratings_summary(ratings: dict) -> str:
    lines = []
    for comparison in ratings["comparisons"]:
        subject, other = comparison["systems"]
        lines.append(f"{TASK_TITLES[comparison['task']]}, {subject} vs {other}:")
        for c in comparison["criteria"].values():
            decisive = c[subject] + c[other]
            rate = (
                f"{c['win_rate']:.0%} [{c['ci'][0]:.0%}, {c['ci'][1]:.0%}] (Wilson {ratings['confidence']:.0%})"
                if decisive else "no decisive ratings"
            )
            lines.append(
                f"- Which {c['question']}: {subject} won {c[subject]} of {decisive} decisive ratings against {other}, {rate}; "
                f"{c['tie']} ties, {c['unrated']} unrated."
            )
    return "\n".join(lines) + f"\n\nFrom `{ratings['sheet']}` unblinded with `{ratings['key']}`."


def carry_over_ratings(eval_dir: Path, new_folder: Path, stamp: str) -> Optional[Path]:
    """A rerun replaces eval/; filled-in sheets move into the new folder's previous_ratings/ instead of vanishing."""
    archive = new_folder / "previous_ratings"
    if (eval_dir / "previous_ratings").is_dir():
        shutil.copytree(eval_dir / "previous_ratings", archive)
    sheet = eval_dir / SHEET_NAME
    if not sheet.is_file():
        return None
    try:
        filled = any((row.get(c) or "").strip() not in ("", "n/a") for row in read_csv(sheet, SHEET_COLUMNS) for c in CRITERIA)
    except StageError:
        filled = True  # unreadable as a sheet: keep it rather than guess
    if not filled:
        return None
    target = archive / stamp
    target.mkdir(parents=True)
    for name in (SHEET_NAME, KEY_NAME):
        if (eval_dir / name).is_file():
            shutil.copy2(eval_dir / name, target / name)
    return target
