"""Stage 6's human judgments scored: from the filled CSV sheet and the rating page's votes alike.

Every judgment is a `Rating` (one rater, one blind pair, one question, A/B/tie/both bad, with the
systems that stood behind A and B), so the sheet and the page are scored by the same code and agree.
Reported per test (continuation, writing request) and question, for every pair of systems that met:
- the win rate of one system over the other among decisive judgments (ties and "both bad" apart), with a
  bootstrap interval that resamples the rated prompts (several raters' judgments of one prompt move together);
- the same per rater;
- inter-rater agreement where two raters judged the same pairs: the share of identical judgments and
  Cohen's kappa (scikit-learn), computed on what each judgment meant (which system won, tie, both bad),
  not on the letters, since each rater saw the sides in a different order.
"""

from __future__ import annotations

import itertools
import warnings
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from brandtone.evaluate.metrics import bootstrap_weights, percentile_interval
from brandtone.evaluate.tables import markdown_table

CHOICES = ("A", "B", "tie", "both_bad")
CRITERIA = {
    "brand_voice_winner": "reads more like the brand",
    "fluency_winner": "is more fluent",
    "on_request_winner": "does what the request asks",
}
TEST_NAMES = {"continue": "continuation", "write": "writing request"}
# Win rates read "the first system over the second": the tuned model against every other, then the rest.
SYSTEM_ORDER = ("tuned", "prompted", "base")


@dataclass(frozen=True)
class Rating:
    """One rater's judgment of one blind pair (a sheet item) on one question."""

    rater: str
    item: int
    task: str  # "continue" | "write"
    criterion: str  # a key of CRITERIA
    a: str  # the system whose answer was shown as A
    b: str
    choice: str  # one of CHOICES

    @property
    def outcome(self) -> str:
        """What the judgment meant, whatever the sides: the winning system, "tie" or "both_bad"."""
        return {"A": self.a, "B": self.b}.get(self.choice, self.choice)

    @property
    def systems(self) -> tuple[str, str]:
        return ordered_pair(self.a, self.b)


def ordered_pair(x: str, y: str) -> tuple[str, str]:
    rank = {name: i for i, name in enumerate(SYSTEM_ORDER)}
    return tuple(sorted((x, y), key=lambda s: (rank.get(s, len(rank)), s)))


def score(ratings: list[Rating], *, confidence: float, bootstrap_samples: int, seed: int, sources: list[str]) -> dict:
    """report.json's `human_ratings` section."""
    groups: dict[tuple, list[Rating]] = defaultdict(list)
    for r in ratings:
        groups[(r.task, r.criterion, r.systems)].append(r)
    raters = sorted({r.rater for r in ratings}, key=str.casefold)
    win_rates = []
    in_report_order = sorted(groups.items(), key=lambda g: (list(TEST_NAMES).index(g[0][0]), list(CRITERIA).index(g[0][1]), g[0][2]))
    for (task, criterion, systems), group in in_report_order:
        for rater in [None, *raters]:
            mine = [r for r in group if rater is None or r.rater == rater]
            if mine:
                win_rates.append(
                    {"task": task, "criterion": criterion, "rater": rater, **win_rate(mine, systems, confidence, bootstrap_samples, seed)}
                )
    return {
        "sources": sources,
        "raters": raters,
        "ratings": len(ratings),
        "confidence": confidence,
        "bootstrap_samples": bootstrap_samples,
        "win_rates": win_rates,
        "agreement": agreement(ratings),
    }


def win_rate(ratings: list[Rating], systems: tuple[str, str], confidence: float, samples: int, seed: int) -> dict:
    """How often systems[0] beat systems[1] among the decisive judgments, with a bootstrap interval over prompts."""
    first, second = systems
    items = sorted({r.item for r in ratings})
    column = {item: i for i, item in enumerate(items)}
    wins, decisive = np.zeros(len(items)), np.zeros(len(items))
    counts = {first: 0, second: 0, "tie": 0, "both_bad": 0}
    for r in ratings:
        counts[r.outcome] += 1
        if r.outcome in systems:
            decisive[column[r.item]] += 1
            wins[column[r.item]] += r.outcome == first
    result = {"systems": [first, second], "counts": counts, "prompts": len(items), "win_rate": None, "ci": None}
    if decisive.sum():
        weights = bootstrap_weights(len(items), samples, seed)
        with np.errstate(invalid="ignore", divide="ignore"):  # a resample without a decisive judgment has no rate
            resampled = (weights @ wins) / (weights @ decisive)
        result["win_rate"] = float(wins.sum() / decisive.sum())
        result["ci"] = list(percentile_interval(resampled, confidence))
    return result


def agreement(ratings: list[Rating]) -> list[dict]:
    """Per test, question and pair of raters who judged two or more of the same pairs: identical share and Cohen's kappa."""
    from sklearn.metrics import cohen_kappa_score

    judged: dict[tuple, dict[str, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))
    for r in ratings:
        judged[(r.task, r.criterion)][r.rater][r.item] = r.outcome
    rows = []
    for (task, criterion), by_rater in judged.items():
        for first, second in itertools.combinations(sorted(by_rater, key=str.casefold), 2):
            shared = sorted(set(by_rater[first]) & set(by_rater[second]))
            if len(shared) < 2:
                continue
            x, y = [by_rater[first][i] for i in shared], [by_rater[second][i] for i in shared]
            with warnings.catch_warnings():  # one label used by both raters throughout: kappa is undefined (nan)
                warnings.simplefilter("ignore")
                kappa = float(cohen_kappa_score(x, y))
            rows.append(
                {
                    "task": task,
                    "criterion": criterion,
                    "raters": [first, second],
                    "pairs": len(shared),
                    "identical": sum(a == b for a, b in zip(x, y)) / len(shared),
                    "cohen_kappa": None if np.isnan(kappa) else kappa,
                }
            )
    return sorted(rows, key=lambda row: (list(TEST_NAMES).index(row["task"]), list(CRITERIA).index(row["criterion"]), row["raters"]))


# --------------------------------------------------------------------------- the same tables for report.md and the page


def summary_tables(section: dict) -> list[dict]:
    """[{title, header, rows}] of plain strings: report.md renders them as Markdown, the page as HTML."""
    level = f"{section['confidence']:.0%}"

    def rate_cells(row: dict) -> list[str]:
        first, second = row["systems"]
        c = row["counts"]
        rate = f"{row['win_rate']:.0%} [{row['ci'][0]:.0%}, {row['ci'][1]:.0%}]" if row["win_rate"] is not None else "no decisive judgment"
        return [
            TEST_NAMES.get(row["task"], row["task"]),
            CRITERIA.get(row["criterion"], row["criterion"]),
            f"{first} vs {second}",
            str(c[first]),
            str(c[second]),
            str(c["tie"]),
            str(c["both_bad"]),
            rate,
        ]

    header = [
        "test",
        "question: which answer...",
        "systems",
        "first won",
        "second won",
        "tie",
        "both bad",
        f"first's win rate [{level} CI]",
    ]
    tables = [{"title": "All raters", "header": header, "rows": [rate_cells(r) for r in section["win_rates"] if r["rater"] is None]}]
    if len(section["raters"]) > 1:
        tables.append(
            {
                "title": "Per rater",
                "header": ["rater", *header],
                "rows": [[r["rater"], *rate_cells(r)] for r in section["win_rates"] if r["rater"] is not None],
            }
        )
    if section["agreement"]:
        header = ["test", "question", "raters", "pairs both judged", "identical", "Cohen's kappa"]
        rows = [
            [
                TEST_NAMES.get(a["task"], a["task"]),
                CRITERIA.get(a["criterion"], a["criterion"]),
                " & ".join(a["raters"]),
                str(a["pairs"]),
                f"{a['identical']:.0%}",
                "undefined (one answer throughout)" if a["cohen_kappa"] is None else f"{a['cohen_kappa']:.2f}",
            ]
            for a in section["agreement"]
        ]
        tables.append({"title": "Agreement between raters", "header": header, "rows": rows})
    return tables


def ratings_summary(section: dict) -> str:
    """report.md's "Human ratings" section (and what --score-ratings prints)."""
    parts = [
        f"{section['ratings']} judgments by {len(section['raters'])} rater(s) ({', '.join(section['raters'])}), from "
        f"{', '.join(f'`{s}`' for s in section['sources'])}. Win rates count decisive judgments only; the interval resamples the "
        f"rated prompts ({section['bootstrap_samples']} bootstrap resamples)."
    ]
    for table in summary_tables(section):
        parts += [f"**{table['title']}**", markdown_table([table["header"], *table["rows"]])]
    if not section["agreement"] and len(section["raters"]) > 1:
        parts.append("No two raters judged two or more of the same pairs, so there is no agreement to report.")
    if section.get("skipped"):
        parts.append(f"{len(section['skipped'])} damaged line(s) skipped, the other judgments count: " + "; ".join(section["skipped"][:5]))
    return "\n\n".join(parts)
