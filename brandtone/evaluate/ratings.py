"""Stage 6's human assessment: the blind pairwise rating sheet, its key, and scoring a filled sheet."""

from __future__ import annotations

import csv
import io
import shutil
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
TASKS = {  # task -> the criteria its rows are rated on; "write" rows pair the two answers to one request
    "continue": ("brand_voice_winner", "fluency_winner"),
    "write": ("brand_voice_winner", "fluency_winner", "on_request_winner"),
}
SHEET_NAME, KEY_NAME = "human_ratings.csv", "human_ratings_key.csv"


def rating_sheet(prompts: list[str], base: list[str], tuned: list[str], seed: int,
                 requests: Optional[tuple[list[str], list[str], list[str]]] = None) -> tuple[list[dict], list[dict]]:
    """Blind pairwise rows (A and B in a seeded random order per item) and the key that unblinds them:
    the continuation pairs, then the writing test's (request, base answer, tuned answer) pairs."""
    rng = np.random.default_rng(seed)
    sheet, key = [], []
    tasks = [("continue", prompts, base, tuned)] + ([("write", *requests)] if requests else [])
    for task, task_prompts, task_base, task_tuned in tasks:
        for index, (prompt, b, t) in enumerate(zip(task_prompts, task_base, task_tuned)):
            item = len(sheet) + 1
            a_is_base = bool(rng.random() < 0.5)
            sheet.append({"item": item, "task": task, "prompt": prompt, "continuation_a": b if a_is_base else t,
                          "continuation_b": t if a_is_base else b,
                          **{c: "" if c in TASKS[task] else "n/a" for c in CRITERIA}})
            key.append({"item": item, "task": task, "a": "base" if a_is_base else "tuned", "b": "tuned" if a_is_base else "base",
                        "text_index": index})
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


def score_ratings(sheet_path: Path, key_path: Path, confidence: float) -> dict:
    """Win rates of the tuned model per task and criterion, with Wilson intervals over the decisive (non-tie) ratings:
    `criteria` for the continuation pairs, `writing` for the request pairs (when the sheet has them)."""
    sheet = read_csv(sheet_path, SHEET_COLUMNS)
    key = {row["item"]: row for row in read_csv(key_path, KEY_COLUMNS)}
    counts = {task: {c: {"tuned": 0, "base": 0, "tie": 0, "unrated": 0} for c in criteria} for task, criteria in TASKS.items()}
    rows = {task: 0 for task in TASKS}
    for line, row in enumerate(sheet, start=2):
        if row["item"] not in key:
            raise StageError(f"{sheet_path} line {line}: item {row['item']!r} is not in {key_path}; use the key written with this sheet")
        task = key[row["item"]]["task"]
        rows[task] += 1
        for criterion in TASKS[task]:
            answer = (row[criterion] or "").strip().lower()
            if answer in ("a", "b"):
                counts[task][criterion][key[row["item"]][answer]] += 1
            elif answer in ("tie", ""):
                counts[task][criterion]["tie" if answer else "unrated"] += 1
            else:
                raise StageError(f"{sheet_path} line {line}, {criterion}: {row[criterion]!r} is not A, B or tie (or empty)")
    if all(c["unrated"] == rows[task] for task in TASKS for c in counts[task].values()):
        raise StageError(f"{sheet_path} has no ratings yet: fill {', '.join(CRITERIA)} with A, B or tie")

    def rates(task: str) -> dict:
        result = {}
        for criterion, c in counts[task].items():
            decisive = c["tuned"] + c["base"]
            result[criterion] = {
                "question": CRITERIA[criterion], **c,
                "tuned_win_rate": c["tuned"] / decisive if decisive else None,
                "ci": list(wilson_interval(c["tuned"], decisive, confidence)) if decisive else None,
            }
        return result

    return {"sheet": str(sheet_path), "key": str(key_path), "confidence": confidence,
            "criteria": rates("continue"), "writing": rates("write") if rows["write"] else None}


def ratings_summary(ratings: dict) -> str:
    lines = []
    for title, criteria in (("Continuations", ratings["criteria"]), ("Answers to writing requests", ratings.get("writing"))):
        if not criteria:
            continue
        lines.append(f"{title}:")
        for c in criteria.values():
            decisive = c["tuned"] + c["base"]
            rate = (
                f"{c['tuned_win_rate']:.0%} [{c['ci'][0]:.0%}, {c['ci'][1]:.0%}] (Wilson {ratings['confidence']:.0%})"
                if decisive else "no decisive ratings"
            )
            lines.append(
                f"- Which {c['question']}: the tuned model won {c['tuned']} of {decisive} decisive ratings, {rate}; "
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
