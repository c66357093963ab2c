"""Stage 6's outputs: the verdict sentence, the metric table, report.md, the
plots, and the blind pairwise rating sheet with its scoring.

report.md is rendered from report.json alone, so `06_evaluate.py
--score-ratings` can add the human ratings to an existing report and render it
again without rerunning the models.
"""

from __future__ import annotations

import csv
import io
import math
import shutil
import textwrap
from pathlib import Path
from typing import Optional

import numpy as np

from brandtone import atomic
from brandtone.errors import StageError
from brandtone.evaluate_metrics import METRICS, wilson_interval

SYSTEMS = {  # column -> what it is
    "base": "base model",
    "tuned": "fine-tuned model",
    "echo": "floor: the first half again",
    "random": "floor: a random training text",
    "retrieval": "floor: the nearest training text (TF-IDF)",
    "truth": "the true second halves",
}
PLOTS = {"metrics": "metrics.png", "perplexity": "perplexity_per_text.png"}


def number(x: Optional[float]) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    magnitude = abs(x)
    return f"{x:.0f}" if magnitude >= 100 else f"{x:.1f}" if magnitude >= 10 else f"{x:.2f}"


def with_interval(value: float, ci) -> str:
    return f"{number(value)} [{number(ci[0])}, {number(ci[1])}]"


def signed(value: float, ci) -> str:
    plus = lambda x: ("+" if x > 0 else "") + number(x)  # noqa: E731
    return f"{plus(value)} [{plus(ci[0])}, {plus(ci[1])}]"


# --------------------------------------------------------------------------- verdict and table


def verdict(perplexity: dict, confidence: float, n_texts: int, *, subject: str = "Tuned model's conditional perplexity",
            texts: str = "held-out texts", what: str = "the brand's held-out text") -> str:
    """One sentence on a perplexity comparison, every word of it derived from the numbers."""
    base, tuned, paired = perplexity["systems"]["base"], perplexity["systems"]["tuned"], perplexity["paired"]
    direction = "lower" if tuned["value"] < base["value"] else "higher" if tuned["value"] > base["value"] else "equal"
    overlap = tuned["ci"][0] <= base["ci"][1] and base["ci"][0] <= tuned["ci"][1]
    low, high = paired["ci"]
    excludes_zero = low > 0 or high < 0
    if excludes_zero and paired["difference"] < 0:
        conclusion = f"fine-tuning made {what} more predictable"
    elif excludes_zero and paired["difference"] > 0:
        conclusion = f"fine-tuning made {what} less predictable"
    else:
        conclusion = f"these {n_texts} {texts.removeprefix('held-out ')} do not show a difference"
    return (
        f"{subject} {with_interval(tuned['value'], tuned['ci'])} vs base "
        f"{with_interval(base['value'], base['ci'])} ({confidence:.0%} bootstrap CIs, {n_texts} {texts}): "
        f"{direction}, CIs {'overlap' if overlap else 'do not overlap'}, and the paired difference "
        f"{signed(paired['difference'], paired['ci'])} {'excludes' if excludes_zero else 'includes'} zero, "
        f"so {conclusion}."
    )


FLOOR_NAMES = {"echo": "first-half echo", "random": "random training text", "retrieval": "nearest training text"}
FLOOR_METRICS = ("bleu", "chrf", "rouge_l")  # the text-overlap metrics a floor can win


def floor_sentence(metrics: dict, test: str) -> str:
    """Which floor scores above both models on which text-overlap metric (point values), or that none does."""
    wins: dict[str, list[str]] = {}
    for name in FLOOR_METRICS:
        systems = metrics[name]["systems"]
        best = max(systems["base"]["value"], systems["tuned"]["value"])
        for floor in FLOOR_NAMES:
            if floor in systems and systems[floor]["value"] > best:
                wins.setdefault(floor, []).append(
                    f"{METRICS[name][0]} ({number(systems[floor]['value'])} vs base {number(systems['base']['value'])}, "
                    f"tuned {number(systems['tuned']['value'])})"
                )
    if not wins:
        floors = ", ".join(FLOOR_NAMES[f] for f in FLOOR_NAMES if f in metrics[FLOOR_METRICS[0]]["systems"])
        return f"{test}: no floor ({floors}) scores above both models on BLEU, chrF or ROUGE-L."
    def listed(items: list[str]) -> str:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    parts = [f"the {FLOOR_NAMES[floor]} floor scores above both models on {listed(found)}" for floor, found in wins.items()]
    return (f"{test}: {'; '.join(parts)}, so on {'that metric' if sum(map(len, wins.values())) == 1 else 'those metrics'} "
            "copying text beats both models' writing.")


def table_rows(metrics: dict, floor_intervals: bool, labels: Optional[dict] = None,
               floors: tuple[str, ...] = ("echo", "random", "retrieval")) -> list[list[str]]:
    """Header plus one row per metric: base, tuned, tuned - base (paired), floors, truth."""
    labels = labels or {name: label for name, (label, _) in METRICS.items()}
    header = ["metric", "better", "base", "tuned", "tuned − base", *floors, "truth"]
    rows = [header]
    for name, result in metrics.items():
        systems = result["systems"]

        def cell(system: str, interval: bool = True) -> str:
            if system not in systems:
                return "—"
            value = systems[system]
            return with_interval(value["value"], value["ci"]) if interval else number(value["value"])

        paired = result.get("paired")
        better = {"higher": "higher", "lower": "lower", "truth": "near truth"}[result["better"]]
        rows.append([
            labels[name], better, cell("base"), cell("tuned"),
            signed(paired["difference"], paired["ci"]) if paired else "—",
            *(cell(s, floor_intervals) for s in (*floors, "truth")),
        ])
    return rows


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def leakage_line(leakage: dict) -> str:
    line = (
        f"{leakage['leaked']} of {leakage['test_texts']} test texts ({leakage['share']:.1%}) have an exact or near "
        f"duplicate ({leakage['rule']}) in the training split"
    )
    return line + ("." if leakage["leaked"] == 0 else ": their scores overstate what the model learned; rebuild the split with 03_build_dataset.py.")


# --------------------------------------------------------------------------- report.md


def render_markdown(report: dict) -> str:
    texts, decoding = report["texts"], report["decoding"]
    mode = "greedy" if decoding["mode"] == "greedy" else (
        f"sampling (temperature {decoding['temperature']}, top-p {decoding['top_p']}, seeds {decoding['seeds']})"
    )
    parts = [
        f"# Evaluation: {report['brand']}",
        f"**Leakage check.** {leakage_line(report['leakage'])}",
        f"**Verdict.** {report['verdict']}",
        (
            f"Each of {texts['evaluated']} held-out texts (of {texts['test']} in the test split; {texts['too_short']} under "
            f"{texts['min_tokens']} tokens skipped) is cut at the word boundary nearest half its tokens; both models continue "
            f"the first half ({mode}, at most as many new tokens as the true second half has, capped at "
            f"{texts['max_new_tokens_cap']}; {texts['truth_capped']} second halves were capped) and are scored against the true "
            f"second half. Base: `{report['models']['base']}`; tuned: `{report['models']['tuned']['path']}` "
            f"({report['models']['tuned']['kind']})."
        ),
        "## Metrics",
        markdown_table(table_rows(report["metrics"], floor_intervals=True)),
        (
            f"Cells: value [{report['bootstrap']['confidence']:.0%} CI] from {report['bootstrap']['samples']} paired "
            "bootstrap resamples of the texts (corpus metrics recomputed on each). \"tuned − base\" is the paired "
            "difference. Perplexity is token-weighted over the true second halves given the first halves. "
            "Floors: echo = the first half again, random = a random training text's second half, retrieval = the "
            "second half of the training text nearest to the first half by TF-IDF; each cut to the truth's length "
            "in tokens. \"near truth\": closer to the true halves' own value is better. BLEU, chrF and ROUGE-L are 0-100."
        ),
        f"sacrebleu signatures: BLEU `{report['signatures']['bleu']}`, chrF `{report['signatures']['chrf']}`. "
        "ROUGE-L: rouge-score with a Unicode word tokenizer (keeps Urdu script, emoji and hashtags).",
    ]
    if report.get("per_seed"):
        parts.append("Spread over sampling seeds (mean ± sd of each seed's corpus score):")
        parts.append(markdown_table(per_seed_rows(report["per_seed"])))
    if report.get("writing"):
        from brandtone.evaluate_writing import render_writing  # it renders with this module's tables

        parts.append(render_writing(report["writing"]))
    parts.append("## Human ratings")
    parts.append(ratings_summary(report["human_ratings"]) if report.get("human_ratings") else (
        "Not scored yet. Fill `human_ratings.csv` (A, B or tie in `brand_voice_winner` and `fluency_winner`, and for the "
        "`write` rows, pairs of answers to one writing request, in `on_request_winner` too; the raters must not see "
        "`human_ratings_key.csv`), then run `06_evaluate.py --score-ratings eval/human_ratings.csv`."
    ))
    parts.append("## Plots")
    parts.append(f"![metrics with confidence intervals]({PLOTS['metrics']})\n\n![per-text perplexity]({PLOTS['perplexity']})")
    parts.append("## Samples")
    for number_, sample in enumerate(report["samples"], 1):
        block = [f"### {number_}. {sample['source']} {sample['url'] or ''}".rstrip()]
        for label, key in (("Prompt", "prompt"), ("Truth", "truth"), ("Base", "base"), ("Tuned", "tuned")):
            block.append(f"**{label}:**\n\n" + quote(sample[key]))
        parts.append("\n\n".join(block))
    return "\n\n".join(parts) + "\n"


def quote(text: str) -> str:
    return "\n".join("> " + line for line in (text.strip() or "(empty)").splitlines())


def per_seed_rows(per_seed: dict) -> list[list[str]]:
    rows = [["metric", "base", "tuned"]]
    for name in per_seed["base"]:
        cells = []
        for model in ("base", "tuned"):
            values = np.array(per_seed[model][name], dtype=float)
            cells.append(f"{number(float(np.nanmean(values)))} ± {number(float(np.nanstd(values)))}")
        rows.append([METRICS[name][0], *cells])
    return rows


# --------------------------------------------------------------------------- plots


def write_plots(report: dict, per_text: dict[str, np.ndarray], folder: Path) -> None:
    """metrics.png: every metric with its intervals; perplexity_per_text.png: base vs tuned per text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = report["metrics"]
    columns = 4
    rows = math.ceil(len(metrics) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4 * columns, 3.2 * rows), squeeze=False)
    colours = dict(zip(SYSTEMS, plt.get_cmap("tab10").colors))
    for axis, (name, result) in zip(axes.flat, metrics.items()):
        names = list(result["systems"])
        values = np.array([result["systems"][s]["value"] for s in names])
        cis = np.array([result["systems"][s]["ci"] for s in names])
        errors = np.clip(np.vstack([values - cis[:, 0], cis[:, 1] - values]), 0, None)
        for x, system in enumerate(names):
            axis.errorbar([x], [values[x]], yerr=errors[:, x : x + 1], fmt="o", capsize=4, color=colours[system])
        if values.min() > 0 and values.max() / values.min() > 20:  # e.g. a random base model's perplexity
            axis.set_yscale("log")
        axis.set_xticks(range(len(names)), names, rotation=30, fontsize=8)
        axis.set_title(f"{METRICS[name][0]} ({'near truth' if result['better'] == 'truth' else result['better']} is better)", fontsize=9)
        axis.grid(axis="y", alpha=0.3)
    for axis in list(axes.flat)[len(metrics) :]:
        axis.axis("off")
    figure.suptitle(f"{report['brand']}: {report['texts']['evaluated']} held-out texts, {report['bootstrap']['confidence']:.0%} bootstrap CIs")
    figure.tight_layout()
    figure.savefig(folder / PLOTS["metrics"], dpi=110)
    plt.close(figure)

    base, tuned = per_text["base"], per_text["tuned"]
    figure, axis = plt.subplots(figsize=(5.5, 5.5))
    axis.scatter(base, tuned, s=14, alpha=0.7)
    low, high = float(min(base.min(), tuned.min())), float(max(base.max(), tuned.max()))
    axis.plot([low, high], [low, high], color="grey", linewidth=1, label="equal")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("base model perplexity")
    axis.set_ylabel("tuned model perplexity")
    below = float(np.mean(tuned < base))
    axis.set_title(f"per-text conditional perplexity: tuned lower on {below:.0%} of texts", fontsize=10)
    axis.legend()
    figure.tight_layout()
    figure.savefig(folder / PLOTS["perplexity"], dpi=110)
    plt.close(figure)


# --------------------------------------------------------------------------- human ratings

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


def side_by_side(left_title: str, left: str, right_title: str, right: str, width: int) -> str:
    """Two wrapped columns, for --prompt mode in a terminal."""
    column = max(20, (width - 3) // 2)

    def wrapped(text: str) -> list[str]:
        return [piece for line in (text.splitlines() or [""]) for piece in (textwrap.wrap(line, column) or [""])]

    lines_left, lines_right = [left_title, *wrapped(left)], [right_title, *wrapped(right)]
    height = max(len(lines_left), len(lines_right))
    lines_left += [""] * (height - len(lines_left))
    lines_right += [""] * (height - len(lines_right))
    return "\n".join(f"{a:<{column}} | {b}".rstrip() for a, b in zip(lines_left, lines_right))
