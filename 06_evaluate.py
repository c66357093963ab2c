"""Stage 6: does the fine-tuned model continue the brand's own held-out text, and write a post on request,
better than the base model?

Reads   paths.dataset_dir (stage 3: DatasetDict with splits train and test, columns text and messages),
        model.base, and the tuned model per evaluate.tuned_model: paths.merged_dir
        (stage 5, a standalone model) or paths.adapter_dir (stage 4, a LoRA adapter on model.base).
Writes  paths.eval_dir, replaced whole on success: report.json, report.md, metrics.png,
        perplexity_per_text.png, generations.jsonl, writing.jsonl, human_ratings.csv (blind sheet),
        human_ratings_key.csv (its key: keep it from the raters), manifest.json.

Method. Each test text is cut at the word boundary nearest half its tokens (the shared
text format, one tokenisation with the base tokenizer, which the tuned model must share).
Both models continue every first half with the same decoding (greedy by default), at
most as many new tokens as the true second half has. The primary metric is the
conditional perplexity of the true second half given the first; BLEU and chrF
(sacrebleu), ROUGE-L (rouge-score), repetition and distinct-n describe the generated
text. Reference floors sit in the same table: the first half echoed, a random training
text, the nearest training text by TF-IDF. Paired bootstrap resamples of the texts
give every interval. A leakage check (test texts duplicated in train) heads the report.

The writing test (brandtone/evaluate_writing.py) runs beside it: each test document's request
(stage 3's messages) goes to both models in the trained chat format with the same sampling
(evaluate.write_*); scored are the conditional perplexity of the true document given its request,
BLEU/chrF/ROUGE-L against it with a random and a nearest-training-text floor, a brand-voice
classifier (brandtone/evaluate_voice.py) and style statistics (brandtone/evaluate_style.py).
The verdict gives one sentence per finding, each derived from its numbers, and says when a
floor scores above both models.

Other modes (no report is written):
    python 06_evaluate.py --prompt "Baarish ho rahi hai" [--prompt ...] [--prompts FILE]
        prints the base and tuned continuations side by side, with the configured decoding.
    python 06_evaluate.py --write "an Instagram caption for our monsoon pakora offer" [--write ...]
        prints both models' answers to a writing request side by side (the writing test's chat format and decoding).
    python 06_evaluate.py --score-ratings eval/human_ratings.csv [--key FILE]
        scores a filled rating sheet and adds the win rates to eval/report.json and report.md.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from brandtone import atomic, cli, ownership
from brandtone.config import ConfigError
from brandtone.errors import StageError
from brandtone.dedup import NearDuplicateRule, duplicates_in
from brandtone.evaluate_metrics import METRICS, TfidfIndex, bootstrap_weights, build_scorers, compare
from brandtone.evaluate_report import (
    KEY_COLUMNS, KEY_NAME, PLOTS, SHEET_COLUMNS, SHEET_NAME, carry_over_ratings, floor_sentence, leakage_line, rating_sheet,
    ratings_summary, render_markdown, score_ratings, side_by_side, table_rows, text_table, verdict, write_csv,
    write_plots,
)
from brandtone.finetune_data import CHAT_COLUMNS, load_splits
from brandtone.manifest import build_manifest, fingerprint, write_manifest
from brandtone.model_card import refresh_evaluation
from brandtone.models import check_model_source
from brandtone.textformat import end_ids, leading_special_ids, split_for_continuation, text_ids

STAGE = "evaluate"
SECTIONS = ("brand", "model", "paths", "clean", "evaluate")  # clean: the near-duplicate rule of the leakage line


def add_arguments(parser) -> None:
    parser.add_argument("--prompt", action="append", default=[], metavar="TEXT", help="continue TEXT with both models and print them side by side (repeatable)")
    parser.add_argument("--prompts", type=Path, metavar="FILE", help="like --prompt, one prompt per line of FILE")
    parser.add_argument("--write", action="append", default=[], metavar="REQUEST", help="answer the writing REQUEST with both models, side by side (repeatable)")
    parser.add_argument("--score-ratings", type=Path, metavar="FILE", help="score a filled human_ratings.csv and add the result to the report")
    parser.add_argument("--key", type=Path, metavar="FILE", help=f"the sheet's unblinding key (default: {KEY_NAME} beside the sheet)")


@dataclass
class HeldOut:
    """One test text cut in two, as the models see it and as it is scored."""

    index: int  # row in the test split
    source: str
    url: str
    prompt_text: str
    first_half_ids: list[int]  # the first half's text tokens
    prompt_ids: list[int]  # leading specials + first half, shortened on the left only to fit the context
    truth_text: str  # the reference: the true second half (its first max_new_tokens_cap tokens)
    truth_ids: list[int]


def main(argv=None) -> int:
    config, args, log = cli.start(STAGE, __doc__, add_arguments, argv, sections=SECTIONS)
    ev, eval_dir = config.evaluate, Path(config.paths.eval_dir)
    if args.score_ratings:
        ownership.check_paths(reads={"paths.eval_dir": (eval_dir, STAGE)})
        return add_human_ratings(config, args.score_ratings, args.key)
    check_model_source(config.model.base)
    tuned_key, tuned_dir, tuned_by = tuned_model_input(config)
    if args.write:
        from brandtone.evaluate_writing import print_answers

        check_requests(args.write)
        ownership.check_paths(reads={tuned_key: (tuned_dir, tuned_by)})
        return print_answers(config, args.write)
    if args.prompt or args.prompts:
        ownership.check_paths(reads={tuned_key: (tuned_dir, tuned_by)})
        return try_prompts(config, args.prompt, args.prompts)
    ownership.check_paths(
        reads={"paths.dataset_dir": (Path(config.paths.dataset_dir), "dataset"), tuned_key: (tuned_dir, tuned_by)},
        writes={"paths.eval_dir": (eval_dir, STAGE)}, dry_run=args.dry_run,
    )
    if args.dry_run:
        cli.print_plan(
            config, SECTIONS,
            reads={"dataset": config.paths.dataset_dir, "base model": config.model.base, f"tuned model ({ev.tuned_model})": tuned_dir},
            writes={"evaluation": eval_dir},
        )
        return 0
    started = time.time()

    # 1. Held-out texts (with their writing requests) and the leakage check
    splits = load_splits(Path(config.paths.dataset_dir), CHAT_COLUMNS)
    train, test = splits["train"], splits["test"]
    train_texts = list(train["text"])
    rule = NearDuplicateRule.of(config.clean)  # the rule stage 3's zero-leakage gate applied
    leaks = duplicates_in(list(test["text"]), train_texts, rule)
    leaked = sum(leak is not None for leak in leaks)
    (log.warning if leaked else log.info)("leakage: %d of %d test texts have a duplicate in train", leaked, len(test))

    # 2. Models (checked before any weights load), the half-split with their tokenizer, the writing requests
    from brandtone.evaluate_models import Decoding, on_each_model, resolve_models
    from brandtone.evaluate_writing import WritingTest

    pair = resolve_models(config)
    tokenizer = pair.tokenizer
    texts, split_counts = split_texts(test, tokenizer, config, pair.max_positions)
    log.info("evaluating %d of %d test texts (%d under evaluate.min_tokens)", len(texts), len(test), split_counts["too_short"])
    writing = WritingTest(config, pair, train, test)
    log.info("writing test: %d held-out requests; the classifier's contrast: %d training requests", len(writing.items), len(writing.classifier_prompts))

    # 3. Reference floors: what copying text, rather than modelling it, scores
    floors = reference_floors(texts, train_texts, tokenizer, ev.seed)

    # 4. Each model: perplexity of the true second halves, then the continuations; then the writing test
    decoding = Decoding.from_config(ev)
    both = on_each_model(pair, config, lambda name, model: (run_model(name, model, texts, decoding, ev, tokenizer, log),
                                                            writing.run(name, model, log)))
    outputs, written = {m: both[m][0] for m in both}, {m: both[m][1] for m in both}

    # 5. Metrics with paired bootstrap intervals
    models = ("base", "tuned")
    decoded = {m: [[tokenizer.decode(outputs[m]["ids"][s][i]) for s in range(len(decoding.seeds))] for i in range(len(texts))] for m in models}
    continuations = {**decoded, **{f: [[c] for c in floors[f]["texts"]] for f in ("echo", "random", "retrieval")},
                     "truth": [[t.truth_text] for t in texts]}
    lengths = {**{m: [[len(outputs[m]["ids"][s][i]) for s in range(len(decoding.seeds))] for i in range(len(texts))] for m in models},
               **{f: [[n] for n in floors[f]["lengths"]] for f in ("echo", "random", "retrieval")},
               "truth": [[len(t.truth_ids)] for t in texts]}
    references = [t.truth_text for t in texts]
    token_counts = [len(t.truth_ids) for t in texts]
    scorers, signatures = build_scorers(continuations, lengths, references, {m: outputs[m]["nll"] for m in models}, token_counts)
    weights = bootstrap_weights(len(texts), ev.bootstrap_samples, ev.seed)
    metrics = {name: compare(scorers[name], weights, ev.confidence, METRICS[name][1]) for name in METRICS}
    per_seed = spread_over_seeds(decoded, lengths, references, token_counts) if len(decoding.seeds) > 1 else None
    per_text_perplexity = {m: np.exp(outputs[m]["nll"] / np.array(token_counts)) for m in models}
    half_split = [verdict(metrics["perplexity"], ev.confidence, len(texts)), floor_sentence(metrics, "Half-split test")]
    writing_section = writing.report(written)

    # 6. Report, plots, generations, rating sheet
    rng = np.random.default_rng(ev.seed)
    shown = sorted(rng.choice(len(texts), size=min(ev.samples_in_report, len(texts)), replace=False).tolist())
    report = {
        "brand": config.brand.name,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "models": pair.describe(),
        "decoding": {**decoding.describe(), "max_new_tokens": f"length of the true second half, at most {ev.max_new_tokens_cap}"},
        "texts": {"test": len(test), "evaluated": len(texts), "min_tokens": ev.min_tokens, "max_texts": ev.max_texts,
                  "max_new_tokens_cap": ev.max_new_tokens_cap, **split_counts},
        "leakage": {"rule": rule.describe(), "test_texts": len(test), "leaked": leaked, "share": leaked / len(test),
                    "examples": [{"test_index": i, **leak, "test_text": test[i]["text"][:200], "train_text": train_texts[leak["corpus_index"]][:200]}
                                 for i, leak in enumerate(leaks) if leak][:20]},
        "verdict": " ".join(half_split + writing_section["verdict"]),
        "verdicts": {"half_split": half_split, "writing": writing_section["verdict"]},
        "metrics": metrics,
        "signatures": signatures,
        "bootstrap": {"samples": ev.bootstrap_samples, "confidence": ev.confidence, "seed": ev.seed,
                      "method": "paired percentile bootstrap over texts; corpus metrics recomputed per resample"},
        "per_seed": per_seed,
        "seconds": {m: outputs[m]["seconds"] for m in models},
        "samples": [{"source": texts[i].source, "url": texts[i].url, "prompt": texts[i].prompt_text, "truth": texts[i].truth_text,
                     "base": decoded["base"][i][0], "tuned": decoded["tuned"][i][0]} for i in shown],
        "writing": writing_section,
        "human_ratings": None,
        "plots": PLOTS,
    }
    generations = [
        {"test_index": t.index, "seed": seed, "source": t.source, "url": t.url, "prompt": t.prompt_text, "truth": t.truth_text,
         "base": decoded["base"][i][s], "tuned": decoded["tuned"][i][s],
         **{f: floors[f]["texts"][i] for f in ("echo", "random", "retrieval")},
         "random_train_index": floors["random"]["train_index"][i], "retrieval_train_index": floors["retrieval"]["train_index"][i],
         "truth_tokens": len(t.truth_ids), "base_tokens": lengths["base"][i][s], "tuned_tokens": lengths["tuned"][i][s],
         "perplexity": {m: float(per_text_perplexity[m][i]) for m in models}, "leaked_from_train": leaks[t.index]}
        for i, t in enumerate(texts) for s, seed in enumerate(decoding.seeds)
    ]
    writing_rows = writing.rows(written)
    sheet, key = rating_sheet([t.prompt_text for t in texts], [c[0] for c in decoded["base"]], [c[0] for c in decoded["tuned"]], ev.seed,
                              requests=([r["request"] for r in writing_rows], [r["base"] for r in writing_rows], [r["tuned"] for r in writing_rows]))

    with atomic.output_dir(eval_dir, owner=STAGE) as folder:
        kept = carry_over_ratings(eval_dir, folder, datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
        if kept:
            log.warning("the filled rating sheet from the previous run is kept in %s", eval_dir / kept.relative_to(folder))
        write_csv(folder / SHEET_NAME, SHEET_COLUMNS, sheet)
        write_csv(folder / KEY_NAME, KEY_COLUMNS, key)
        report["human_ratings_key"] = fingerprint(folder / KEY_NAME)
        atomic.write_jsonl(folder / "generations.jsonl", generations)
        atomic.write_jsonl(folder / "writing.jsonl", writing_rows)
        write_plots(report, per_text_perplexity, folder)
        atomic.write_json(folder / "report.json", report)
        atomic.write_text(folder / "report.md", render_markdown(report))
        write_manifest(folder, build_manifest(
            stage=STAGE, config=config, sections=SECTIONS,
            inputs={"dataset": Path(config.paths.dataset_dir), "tuned_model": pair.tuned_folder, "base_model": Path(pair.base)},
            counts={"test_texts": len(test), "evaluated": len(texts), "leaked": leaked, "generations": len(generations),
                    "writing_requests": len(writing_rows), "classifier_requests": writing_section["classifier_requests"],
                    "rating_items": len(sheet)},
            started_at=started, extra={"verdict": report["verdict"], "seconds": report["seconds"], "writing_seconds": writing_section["seconds"]},
        ))

    print(f"\nleakage: {leakage_line(report['leakage'])}\n")
    print(text_table(table_rows(metrics, floor_intervals=False)))
    print("\nwriting test:\n" + text_table(table_rows(writing_section["metrics"], floor_intervals=False, floors=("random", "retrieval"))))
    print(f"\n{report['verdict']}\nreport: {eval_dir / 'report.md'}")
    for card in refresh_evaluation(config, report):  # the model cards of 04 and 05 carry the verdict too
        log.info("evaluation section of %s updated", card)
    return 0


def tuned_model_input(config) -> tuple[str, Path, str]:
    """The config key (with the setting that chose it), folder and producing stage of the tuned model."""
    kind = config.evaluate.tuned_model
    key, produced_by = ("merged_dir", "merge") if kind == "merged" else ("adapter_dir", "finetune")
    return f"paths.{key} (evaluate.tuned_model={kind})", Path(getattr(config.paths, key)), produced_by


def check_requests(requests: list[str]) -> None:
    if not all(r.strip() for r in requests):
        raise ConfigError('--write: the request is empty; say what to write, e.g. --write "an Instagram caption for our monsoon pakora offer"')


def split_texts(test, tokenizer, config, max_positions) -> tuple[list[HeldOut], dict]:
    """Cut every test text in two; cap the scored half; keep prompt + continuation inside the model's context."""
    ev = config.evaluate
    specials = leading_special_ids(tokenizer)
    texts, counts = [], {"too_short": 0, "truth_capped": 0, "prompt_shortened": 0}
    for index, row in enumerate(test):
        split = split_for_continuation(tokenizer, row["text"], ev.min_tokens)
        if split is None:
            counts["too_short"] += 1
            continue
        truth_ids = split.truth_ids[: ev.max_new_tokens_cap]
        capped = len(truth_ids) < len(split.truth_ids)
        counts["truth_capped"] += capped
        first_half = split.prompt_ids[len(specials) :]
        room = max(1, (max_positions or 10**9) - len(truth_ids) - len(specials))
        counts["prompt_shortened"] += len(first_half) > room
        texts.append(HeldOut(
            index=index, source=row.get("source") or "", url=row.get("url") or "", prompt_text=split.prompt_text,
            first_half_ids=first_half, prompt_ids=specials + first_half[-room:],
            truth_text=tokenizer.decode(truth_ids) if capped else split.truth_text, truth_ids=truth_ids,
        ))
    if not texts:
        raise StageError(
            f"all {len(test)} test texts in {config.paths.dataset_dir} are shorter than evaluate.min_tokens={ev.min_tokens} "
            f"tokens (or have no word boundary to cut at): lower evaluate.min_tokens or add longer texts"
        )
    return texts[: ev.max_texts], counts


def reference_floors(texts: list[HeldOut], train_texts: list[str], tokenizer, seed: int) -> dict:
    """Echo, random and retrieval continuations, each cut to the truth's length in tokens."""
    index = TfidfIndex(train_texts)
    rng = np.random.default_rng(seed)
    second_halves: dict[int, list[int]] = {}

    def second_half(i: int) -> list[int]:  # a training text's continuation part, as a test text's truth is
        if i not in second_halves:
            split = split_for_continuation(tokenizer, train_texts[i], 2)
            second_halves[i] = split.truth_ids if split else text_ids(tokenizer, train_texts[i])
        return second_halves[i]

    floors = {name: {"texts": [], "lengths": [], "train_index": []} for name in ("echo", "random", "retrieval")}
    for t in texts:
        picks = {"random": int(rng.integers(len(train_texts))), "retrieval": index.nearest(t.prompt_text)}
        sources = {"echo": t.first_half_ids, **{name: second_half(i) if i is not None else [] for name, i in picks.items()}}
        for name, ids in sources.items():
            cut = ids[: len(t.truth_ids)]
            floors[name]["texts"].append(tokenizer.decode(cut))
            floors[name]["lengths"].append(len(cut))
            floors[name]["train_index"].append(picks.get(name))
    return floors


def run_model(name: str, model, texts: list[HeldOut], decoding, ev, tokenizer, log) -> dict:
    from brandtone.evaluate_models import auto_batch_tokens, generate, truth_nll

    prompts, truths = [t.prompt_ids for t in texts], [t.truth_ids for t in texts]
    batch_tokens = ev.batch_tokens or auto_batch_tokens(model)
    started = time.time()
    nll = truth_nll(model, prompts, truths, batch_tokens=batch_tokens, pad=tokenizer.pad_token_id)
    scored = time.time()
    ids = [
        generate(model, prompts, [len(t) for t in truths], decoding=decoding, seed=seed, batch_tokens=batch_tokens,
                 eos=end_ids(tokenizer), pad=tokenizer.pad_token_id)
        for seed in decoding.seeds
    ]
    finished = time.time()
    new_tokens = sum(len(c) for run in ids for c in run)
    log.info("%s: perplexity pass %.1f s; %d continuations, %d new tokens, in %.1f s",
             name, scored - started, len(texts) * len(ids), new_tokens, finished - scored)
    return {"nll": nll, "ids": ids, "seconds": {"perplexity": round(scored - started, 2), "generation": round(finished - scored, 2)}}


def spread_over_seeds(decoded: dict, lengths: dict, references: list[str], token_counts: list[int]) -> dict:
    """Each sampling seed's own corpus score of every generated-text metric, for base and tuned."""
    spread: dict[str, dict[str, list[float]]] = {"base": {}, "tuned": {}}
    for s in range(len(decoded["base"][0])):
        one = {m: [[c[s]] for c in decoded[m]] for m in spread}
        scorers, _ = build_scorers(one, {m: [[n[s]] for n in lengths[m]] for m in spread}, references, {}, token_counts)
        for name, by_system in scorers.items():
            for model, scorer in by_system.items():
                spread[model].setdefault(name, []).append(scorer.score())
    return spread


def try_prompts(config, prompts: list[str], prompts_file: Path | None) -> int:
    """--prompt / --prompts: both models, the configured decoding, side by side; nothing written."""
    from brandtone.evaluate_models import Decoding, auto_batch_tokens, generate, on_each_model, resolve_models

    if prompts_file is not None:
        if not prompts_file.is_file():
            raise ConfigError(f"--prompts {prompts_file}: file not found")
        prompts = prompts + [line.strip() for line in prompts_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not prompts or not all(p.strip() for p in prompts):
        raise ConfigError("--prompt/--prompts: give at least one non-empty prompt")
    ev = config.evaluate
    pair = resolve_models(config)
    tokenizer = pair.tokenizer
    decoding = Decoding.from_config(ev)
    ids = [leading_special_ids(tokenizer) + text_ids(tokenizer, p) for p in prompts]
    limits = [ev.max_new_tokens_cap] * len(prompts)
    outputs = on_each_model(pair, config, lambda name, model: [
        generate(model, ids, limits, decoding=decoding, seed=seed, batch_tokens=ev.batch_tokens or auto_batch_tokens(model),
                 eos=end_ids(tokenizer), pad=tokenizer.pad_token_id)
        for seed in decoding.seeds
    ])
    width = shutil.get_terminal_size((160, 40)).columns
    for i, prompt in enumerate(prompts):
        print(f"\n=== prompt {i + 1}: {prompt}")
        for s, seed in enumerate(decoding.seeds):
            label = "" if not decoding.do_sample else f" (seed {seed})"
            base, tuned = (tokenizer.decode(outputs[m][s][i]) for m in ("base", "tuned"))
            print(side_by_side(f"--- base{label}", base, f"--- tuned{label}", tuned, width))
    return 0


def add_human_ratings(config, sheet: Path, key: Path | None) -> int:
    """--score-ratings: win rates with intervals from a filled sheet, added to report.json and report.md."""
    eval_dir = Path(config.paths.eval_dir)
    key = key or sheet.parent / KEY_NAME
    if not key.is_file():
        raise ConfigError(f"unblinding key {key} not found: pass --key FILE (06_evaluate.py wrote it as {eval_dir / KEY_NAME})")
    report_path = eval_dir / "report.json"
    if not report_path.is_file():
        raise ConfigError(f"{report_path} not found: run 06_evaluate.py first")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    if report.get("human_ratings_key") != fingerprint(key):
        raise StageError(f"{key} is not the key of the report in {eval_dir} (another run wrote it): score that run's sheet, or rerate the sheet in {eval_dir}")
    report["human_ratings"] = score_ratings(sheet, key, config.evaluate.confidence)
    atomic.write_json(report_path, report)
    atomic.write_text(eval_dir / "report.md", render_markdown(report))
    print(ratings_summary(report["human_ratings"]))
    print(f"added to {report_path} and {eval_dir / 'report.md'}")
    return 0


if __name__ == "__main__":
    cli.run(main)
