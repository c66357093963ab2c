"""Stage 6's numbers as text: cells with intervals, the metric tables (Markdown and terminal), quotes,
and answers side by side in a terminal."""

from __future__ import annotations

import math
import textwrap
from typing import Optional

import numpy as np

from brandtone.evaluate.metrics import METRICS


def number(x: Optional[float]) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    magnitude = abs(x)
    return f"{x:.0f}" if magnitude >= 100 else f"{x:.1f}" if magnitude >= 10 else f"{x:.2f}"


def with_interval(value: float, ci) -> str:
    return f"{number(value)} [{number(ci[0])}, {number(ci[1])}]"


def percent(value: dict) -> str:
    """A share in percent with its interval: "56% [44, 67]"."""
    low, high = value["ci"]
    return f"{value['value']:.0f}% [{low:.0f}, {high:.0f}]"


def signed(value: float, ci) -> str:
    plus = lambda x: ("+" if x > 0 else "") + number(x)  # noqa: E731
    return f"{plus(value)} [{plus(ci[0])}, {plus(ci[1])}]"


def table_rows(
    metrics: dict,
    floor_intervals: bool,
    labels: Optional[dict] = None,
    floors: tuple[str, ...] = ("echo", "random", "retrieval"),
    models: tuple[str, ...] = ("base", "tuned"),
) -> list[list[str]]:
    """Header plus one row per metric: the model systems, tuned − each other model (paired), floors, truth."""
    labels = labels or {name: label for name, (label, _) in METRICS.items()}
    opponents = [m for m in models if m != "tuned"]
    header = ["metric", "better", *models, *(f"tuned − {m}" for m in opponents), *floors, "truth"]
    rows = [header]
    for name, result in metrics.items():
        systems = result["systems"]

        def cell(system: str, interval: bool = True) -> str:
            if system not in systems:
                return "—"
            value = systems[system]
            return with_interval(value["value"], value["ci"]) if interval else number(value["value"])

        paired = result.get("paired") or {}
        better = {"higher": "higher", "lower": "lower", "truth": "near truth"}[result["better"]]
        rows.append(
            [
                labels[name],
                better,
                *(cell(m) for m in models),
                *(signed(paired[m]["difference"], paired[m]["ci"]) if m in paired else "—" for m in opponents),
                *(cell(s, floor_intervals) for s in (*floors, "truth")),
            ]
        )
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


def side_by_side(columns: list[tuple[str, str]], width: int) -> str:
    """(title, text) columns wrapped side by side, for --prompt and --write in a terminal."""
    column = max(20, (width - 3 * (len(columns) - 1)) // len(columns))

    def wrapped(title: str, text: str) -> list[str]:
        return [title, *(piece for line in (text.splitlines() or [""]) for piece in (textwrap.wrap(line, column) or [""]))]

    blocks = [wrapped(title, text) for title, text in columns]
    height = max(len(b) for b in blocks)
    blocks = [b + [""] * (height - len(b)) for b in blocks]
    return "\n".join(" | ".join(f"{cell:<{column}}" for cell in row).rstrip() for row in zip(*blocks))
