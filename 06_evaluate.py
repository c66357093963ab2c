"""Stage 6: does the fine-tuned model write in the brand's voice: closer to the brand's own held-out texts than
the base model, than the base model prompted with the brand's own posts, and without copying its training texts?

Reads   paths.dataset_dir (stage 3: DatasetDict with splits train and test, columns text and messages),
        model.base, the tuned model per evaluate.tuned_model: paths.merged_dir (stage 5, a standalone
        model) or paths.adapter_dir (stage 4, a LoRA adapter on model.base), and optionally
        evaluate.control_dataset (another brand's stage-3 dataset: the voice test's control).
Writes  paths.eval_dir, replaced whole on success: report.json, report.md, metrics.png,
        perplexity_per_text.png, generations.jsonl, writing.jsonl, human_ratings.csv (blind sheet),
        human_ratings_key.csv (its key: keep it from the raters), manifest.json; and the evaluation
        section of the evaluated model's card (README.md), when that folder still holds that very model.

Method. The half-split test (brandtone/evaluate/halfsplit.py): each test text is cut at the word
boundary nearest half its tokens; the base and the tuned model continue every first half with the
same decoding, scored by the conditional perplexity of the true second half and by BLEU, chrF and
ROUGE-L beside reference floors (the first half echoed, a random training text, the nearest one).

The writing test (brandtone/evaluate/writing.py): each test document's request (stage 3's messages)
goes to the base model, the prompted baseline (the base model with the evaluate.fewshot_examples
training posts nearest to the request in its prompt: brandtone/evaluate/prompted.py) and the tuned
model in the trained chat format with the same sampling (evaluate.write_*). Scored: the perplexity of
the true document given its request (without and with the end-of-turn), BLEU/chrF/ROUGE-L, a
two-sample voice test of every system against the brand's own texts with the control brand's texts
beside them (brandtone/evaluate/voice.py), the share of texts that copy a training text
(brandtone/evaluate/copying.py) and style statistics. Paired bootstrap resamples of the texts give
every interval; the verdict gives one sentence per finding, each derived from its numbers. A
leakage check (test texts duplicated in train) and how the tuned model's step was selected head
the report.

Other modes (no report is written):
    python 06_evaluate.py --prompt "Baarish ho rahi hai" [--prompt ...] [--prompts FILE]
        prints the base and tuned continuations side by side, with the configured decoding.
    python 06_evaluate.py --write "an Instagram caption for our monsoon pakora offer" [--write ...]
        prints the base, prompted and tuned answers to a writing request side by side (the writing test's prompts and decoding).
    python 06_evaluate.py --serve
        the rating page and the Write view in the browser (brandtone/evaluate/serve.py), at
        http://evaluate.serve_host:evaluate.serve_port/; votes go to eval/votes.jsonl as they are cast.
    python 06_evaluate.py --score-ratings [FILE ...] [--key FILE]
        scores the rating page's votes (no FILE: eval/votes.jsonl) and/or filled rating sheets (.csv), all
        together, and adds win rates per pair of systems, per rater and the raters' agreement to
        eval/report.json and report.md.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

from brandtone import atomic, cli, ownership
from brandtone.config import ConfigError
from brandtone.evaluate.leakage import leakage_check
from brandtone.evaluate.plots import PLOTS, write_plots
from brandtone.evaluate.ratings import (
    KEY_COLUMNS,
    KEY_NAME,
    SHEET_COLUMNS,
    SHEET_NAME,
    VOTES_NAME,
    RatingTask,
    carry_over_ratings,
    rating_sheet,
    write_csv,
)
from brandtone.evaluate.report import render_markdown, render_terminal
from brandtone.evaluate.score_ratings import add_human_ratings, scored_ratings
from brandtone.manifest import build_manifest, fingerprint, write_manifest
from brandtone.model_card import refresh_evaluation
from brandtone.models import check_model_source
from brandtone.splits import CHAT_COLUMNS, load_splits

STAGE = "evaluate"
SECTIONS = ("brand", "model", "paths", "clean", "evaluate")  # clean: the near-duplicate rule of the leakage line


def add_arguments(parser) -> None:
    parser.add_argument(
        "--prompt",
        action="append",
        default=[],
        metavar="TEXT",
        help="continue TEXT with both models and print them side by side (repeatable)",
    )
    parser.add_argument("--prompts", type=Path, metavar="FILE", help="like --prompt, one prompt per line of FILE")
    parser.add_argument(
        "--write",
        action="append",
        default=[],
        metavar="REQUEST",
        help="answer the writing REQUEST with the base, prompted and tuned systems, side by side (repeatable)",
    )
    parser.add_argument(
        "--serve", action="store_true", help="the rating page and the Write view in the browser (evaluate.serve_host/serve_port)"
    )
    parser.add_argument(
        "--score-ratings",
        type=Path,
        nargs="*",
        action=cli.OptionalValue,
        metavar="FILE",
        help=f"score the rating page's votes (no FILE: {VOTES_NAME} in paths.eval_dir) and/or filled rating sheets, "
        "and add the result to the report",
    )
    parser.add_argument("--key", type=Path, metavar="FILE", help=f"the sheets' unblinding key (default: {KEY_NAME} beside each sheet)")


def main(argv=None) -> int:
    config, args, log = cli.start(STAGE, __doc__, add_arguments, argv, sections=SECTIONS)
    eval_dir = Path(config.paths.eval_dir)
    if args.score_ratings is not None:
        ownership.check_paths(reads={"paths.eval_dir": (eval_dir, STAGE)})
        return add_human_ratings(config, args.score_ratings or [eval_dir / VOTES_NAME], args.key)
    if args.serve:
        ownership.check_paths(reads={"paths.eval_dir": (eval_dir, STAGE)}, dry_run=args.dry_run)
        if args.dry_run:
            cli.print_plan(
                config,
                SECTIONS,
                reads={"rating sheet": eval_dir / SHEET_NAME, "its key": eval_dir / KEY_NAME},
                writes={f"votes (http://{config.evaluate.serve_host}:{config.evaluate.serve_port}/)": eval_dir / VOTES_NAME},
            )
            return 0
        return serve_pages(config)
    check_model_source(config.model.base)
    tuned_key, tuned_dir, tuned_by = tuned_model_input(config)
    control_dir = config.evaluate.control_dataset
    if control_dir and Path(control_dir).resolve() == Path(config.paths.dataset_dir).resolve():
        raise ConfigError(
            f"evaluate.control_dataset: {control_dir} is paths.dataset_dir itself; a control is another brand's dataset "
            "(set evaluate.control_dataset=null to evaluate without one)"
        )
    controls = {"evaluate.control_dataset": (Path(control_dir), "dataset")} if control_dir else {}
    if args.write or args.prompt or args.prompts:
        check_requests(args.write)
        examples = (
            {"paths.dataset_dir": (Path(config.paths.dataset_dir), "dataset")} if args.write and config.evaluate.fewshot_examples else {}
        )
        ownership.check_paths(reads={tuned_key: (tuned_dir, tuned_by), **examples})  # the prompted baseline's posts: the training split
        from brandtone.evaluate.ask import answer_requests, continue_prompts

        return answer_requests(config, args.write) if args.write else continue_prompts(config, args.prompt, args.prompts)
    ownership.check_paths(
        reads={"paths.dataset_dir": (Path(config.paths.dataset_dir), "dataset"), tuned_key: (tuned_dir, tuned_by), **controls},
        writes={"paths.eval_dir": (eval_dir, STAGE)},
        dry_run=args.dry_run,
    )
    if args.dry_run:
        cli.print_plan(
            config,
            SECTIONS,
            reads={
                "dataset": config.paths.dataset_dir,
                "base model": config.model.base,
                f"tuned model ({config.evaluate.tuned_model})": tuned_dir,
                **({"control brand's dataset": control_dir} if control_dir else {}),
            },
            writes={"evaluation": eval_dir},
        )
        return 0
    # The tests and the model side load torch: imported once the config and paths are known to be good.
    from brandtone.evaluate.halfsplit import HalfSplitTest
    from brandtone.evaluate.models import on_each_model, resolve_models
    from brandtone.evaluate.writing import Control, WritingTest

    started = time.time()

    # 1. Held-out texts (with their writing requests), the leakage check, and the control brand's texts
    splits = load_splits(Path(config.paths.dataset_dir), CHAT_COLUMNS)
    train, test = splits["train"], splits["test"]
    leakage, leaks = leakage_check(config, list(test["text"]), list(train["text"]))
    (log.warning if leakage["leaked"] else log.info)("leakage: %d of %d test texts have a duplicate in train", leakage["leaked"], len(test))
    control = Control.of_dataset(Path(control_dir)) if control_dir else None

    # 2. Models (checked before any weights load) and the two tests, prepared once (the prompted baseline's
    #    prompts too: examples that do not fit the context are a config error before any generation)
    pair = resolve_models(config)
    half_split = HalfSplitTest(config, pair, train, test)
    log.info(
        "evaluating %d of %d test texts (%d under evaluate.min_tokens)", len(half_split.items), len(test), half_split.counts["too_short"]
    )
    writing = WritingTest(config, pair, train, test, control)
    log.info(
        "writing test: %d held-out requests; systems %s%s",
        len(writing.items),
        ", ".join(writing.systems),
        f"; control: {len(writing.control.texts)} texts of {control.brand}" if control else "",
    )

    # 3. Each model runs each test, one model in memory at a time (the prompted baseline runs on the base model)
    runs = on_each_model(pair, config, lambda name, model: (half_split.run(name, model, log), writing.run(name, model, log)))
    half_outputs = {m: runs[m][0] for m in runs}
    writing_outputs = {system: output for m in runs for system, output in runs[m][1].items()}

    # 4. Scores with paired bootstrap intervals, and the report's sections
    half_section, writing_section = half_split.report(half_outputs), writing.report(writing_outputs)
    verdicts = {"half_split": half_section.pop("verdict"), "writing": writing_section["verdict"]}
    report = {
        "brand": config.brand.name,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "models": pair.describe(),
        "systems": {"half_split": list(half_outputs), "writing": writing.systems},
        "leakage": leakage,
        "verdict": " ".join(verdicts["half_split"] + verdicts["writing"]),
        "verdicts": verdicts,
        **half_section,
        "writing": writing_section,
        "human_ratings": None,
        "plots": PLOTS,
    }
    generations, writing_rows = half_split.rows(half_outputs, leaks), writing.rows(writing_outputs)
    continuations = half_split.continuations(half_outputs)
    sheet, key = rating_sheet(
        [
            RatingTask("continue", [t.prompt_text for t in half_split.items], {m: [c[0] for c in continuations[m]] for m in continuations}),
            RatingTask(
                "write", [r["request"] for r in writing_rows], {m: [r["answers"][m] for r in writing_rows] for m in writing.systems}
            ),
        ],
        config.evaluate.seed,
    )

    # 5. Write the folder: report, plots, generations, rating sheet and its key, manifest
    with atomic.output_dir(eval_dir, owner=STAGE) as folder:
        kept = carry_over_ratings(eval_dir, folder, datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
        if kept:
            log.warning("the filled rating sheet from the previous run is kept in %s", eval_dir / kept.relative_to(folder))
        write_csv(folder / SHEET_NAME, SHEET_COLUMNS, sheet)
        write_csv(folder / KEY_NAME, KEY_COLUMNS, key)
        report["human_ratings_key"] = fingerprint(folder / KEY_NAME)
        atomic.write_jsonl(folder / "generations.jsonl", generations)
        atomic.write_jsonl(folder / "writing.jsonl", writing_rows)
        write_plots(report, half_split.per_text_perplexity(half_outputs), folder)
        atomic.write_json(folder / "report.json", report)
        atomic.write_text(folder / "report.md", render_markdown(report))
        write_manifest(
            folder,
            build_manifest(
                stage=STAGE,
                config=config,
                sections=SECTIONS,
                inputs={
                    "dataset": Path(config.paths.dataset_dir),
                    "tuned_model": pair.tuned_folder,
                    "base_model": Path(pair.base),
                    **({"control_dataset": Path(control_dir)} if control_dir else {}),
                },
                counts={
                    "test_texts": len(test),
                    "evaluated": len(half_split.items),
                    "leaked": leakage["leaked"],
                    "generations": len(generations),
                    "writing_requests": len(writing_rows),
                    "control_texts": len(writing.control.texts) if control else 0,
                    "rating_items": len(sheet),
                },
                started_at=started,
                extra={"verdict": report["verdict"], "seconds": report["seconds"], "writing_seconds": writing_section["seconds"]},
            ),
        )

    print(render_terminal(report))
    print(f"\n{report['verdict']}\nreport: {eval_dir / 'report.md'}")
    for card in refresh_evaluation(report, eval_dir):  # the evaluated model's card carries the verdict too
        log.info("evaluation section of %s updated", card)
    return 0


def tuned_model_input(config) -> tuple[str, Path, str]:
    """The config key (with the setting that chose it), folder and producing stage of the tuned model."""
    kind = config.evaluate.tuned_model
    key, produced_by = ("merged_dir", "merge") if kind == "merged" else ("adapter_dir", "finetune")
    return f"paths.{key} (evaluate.tuned_model={kind})", Path(getattr(config.paths, key)), produced_by


def check_requests(requests: list[str]) -> None:
    if not all(r.strip() for r in requests):
        raise ConfigError(
            '--write: the request is empty; say what to write, e.g. --write "an Instagram caption for our monsoon pakora offer"'
        )


def serve_pages(config) -> int:
    """--serve: the rating page over paths.eval_dir, and the Write view on the tuned model."""
    from brandtone.evaluate.serve import check_rating_sheet, serve

    eval_dir = Path(config.paths.eval_dir)
    check_rating_sheet(eval_dir)  # before torch loads: a folder without a sheet is one line at once

    def writer():
        from brandtone.evaluate.writer import Writer

        return Writer.for_config(config)

    return serve(config, eval_dir, writer, lambda: scored_ratings(config, [eval_dir / VOTES_NAME], None))


if __name__ == "__main__":
    cli.run(main)
