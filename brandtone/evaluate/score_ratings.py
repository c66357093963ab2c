"""`06_evaluate.py --score-ratings`: the human ratings (the rating page's votes, filled rating sheets, or both)
scored into win rates with intervals, per rater and the raters' agreement, and added to the report."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from brandtone import atomic
from brandtone.config import ConfigError
from brandtone.errors import StageError
from brandtone.evaluate.human_scores import ratings_summary, score
from brandtone.evaluate.ratings import KEY_NAME, SHEET_NAME, sheet_ratings
from brandtone.evaluate.report import render_markdown
from brandtone.evaluate.votes import read_votes, vote_ratings
from brandtone.manifest import fingerprint

log = logging.getLogger("brandtone")


def scored_ratings(config, sources: list[Path], key: Path | None) -> tuple[dict | None, list[str]]:
    """The human_ratings section from the page's votes (.jsonl) and filled sheets (.csv), or None when none is
    filled yet; and the lines skipped as damaged."""
    ratings, skipped = [], []
    for source in sources:
        if source.suffix == ".jsonl":
            votes, problems = read_votes(source)
            ratings += vote_ratings(votes)
            skipped += problems
        else:
            ratings += sheet_ratings(source, key or source.parent / KEY_NAME)
    if not ratings:
        return None, skipped
    ev = config.evaluate
    section = score(
        ratings, confidence=ev.confidence, bootstrap_samples=ev.bootstrap_samples, seed=ev.seed, sources=[str(s) for s in sources]
    )
    return {**section, "skipped": skipped}, skipped


def add_human_ratings(config, sources: list[Path], key: Path | None) -> int:
    """Score `sources` and write the section into report.json and report.md; every source and key is checked first."""
    eval_dir = Path(config.paths.eval_dir)
    report_path = eval_dir / "report.json"
    if not report_path.is_file():
        raise ConfigError(f"{report_path} not found: run 06_evaluate.py first")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    for source in sources:
        if source.suffix == ".jsonl":
            if not source.is_file():
                raise StageError(
                    f"{source} not found: no votes yet; open the rating page with 06_evaluate.py --serve, "
                    f"or score a filled sheet with --score-ratings {eval_dir / SHEET_NAME}"
                )
            continue
        sheet_key = key or source.parent / KEY_NAME
        if not sheet_key.is_file():
            raise ConfigError(f"unblinding key {sheet_key} not found: pass --key FILE (06_evaluate.py wrote it as {eval_dir / KEY_NAME})")
        if report.get("human_ratings_key") != fingerprint(sheet_key):
            raise StageError(
                f"{sheet_key} is not the key of the report in {eval_dir} (another run wrote it): score that run's sheet, "
                f"or rerate the sheet in {eval_dir}"
            )
    section, skipped = scored_ratings(config, sources, key)
    for problem in skipped:
        log.warning("%s", problem)
    if section is None:
        raise StageError(
            f"no ratings yet in {', '.join(map(str, sources))}: vote on the rating page (06_evaluate.py --serve) or fill the sheet"
        )
    report["human_ratings"] = section
    atomic.write_json(report_path, report)
    atomic.write_text(eval_dir / "report.md", render_markdown(report))
    print(ratings_summary(section))
    print(f"added to {report_path} and {eval_dir / 'report.md'}")
    return 0
