"""Stage 6's report.md, rendered from report.json alone, so `06_evaluate.py --score-ratings` can add the
human ratings to an existing report and render it again without rerunning the models."""

from __future__ import annotations

from brandtone.evaluate.findings import listed, selection_line
from brandtone.evaluate.human_scores import ratings_summary
from brandtone.evaluate.leakage import leakage_line
from brandtone.evaluate.plots import PLOTS
from brandtone.evaluate.style import LABELS
from brandtone.evaluate.tables import markdown_table, per_seed_rows, percent, quote, signed, table_rows, text_table, with_interval


def render_markdown(report: dict) -> str:
    texts, decoding = report["texts"], report["decoding"]
    mode = (
        "greedy"
        if decoding["mode"] == "greedy"
        else (f"sampling (temperature {decoding['temperature']}, top-p {decoding['top_p']}, seeds {decoding['seeds']})")
    )
    parts = [
        f"# Evaluation: {report['brand']}",
        f"**Leakage check.** {leakage_line(report['leakage'])}",
        f"**Model selection.** {selection_line(report['models'].get('selection'))}",
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
            'bootstrap resamples of the texts (corpus metrics recomputed on each). "tuned − base" is the paired '
            "difference. Perplexity is token-weighted over the true second halves given the first halves. "
            "Floors: echo = the first half again, random = a random training text's second half, retrieval = the "
            "second half of the training text nearest to the first half by TF-IDF; each cut to the truth's length "
            'in tokens. "near truth": closer to the true halves\' own value is better. BLEU, chrF and ROUGE-L are 0-100.'
        ),
        f"sacrebleu signatures: BLEU `{report['signatures']['bleu']}`, chrF `{report['signatures']['chrf']}`. "
        "ROUGE-L: rouge-score with a Unicode word tokenizer (keeps Urdu script, emoji and hashtags).",
    ]
    if report.get("per_seed"):
        parts.append("Spread over sampling seeds (mean ± sd of each seed's corpus score):")
        parts.append(markdown_table(per_seed_rows(report["per_seed"])))
    if report.get("writing"):
        parts.append(render_writing(report["writing"]))
    parts.append("## Human ratings")
    parts.append(
        ratings_summary(report["human_ratings"])
        if report.get("human_ratings")
        else (
            "Not scored yet. Open the rating page with `06_evaluate.py --serve` (each rater votes A, B, tie or both bad on every "
            "blind pair), or fill `human_ratings.csv` (A, B, tie or both bad in `brand_voice_winner` and `fluency_winner`, and for "
            "the `write` rows, pairs of answers to one writing request, in `on_request_winner` too; the raters must not see "
            "`human_ratings_key.csv`); then run `06_evaluate.py --score-ratings` (the page's votes) or "
            "`06_evaluate.py --score-ratings eval/human_ratings.csv`."
        )
    )
    parts.append("## Plots")
    parts.append(f"![metrics with confidence intervals]({PLOTS['metrics']})\n\n![per-text perplexity]({PLOTS['perplexity']})")
    parts.append("## Samples")
    for number_, sample in enumerate(report["samples"], 1):
        block = [f"### {number_}. {sample['source']} {sample['url'] or ''}".rstrip()]
        for label, key in (("Prompt", "prompt"), ("Truth", "truth"), ("Base", "base"), ("Tuned", "tuned")):
            block.append(f"**{label}:**\n\n" + quote(sample[key]))
        parts.append("\n\n".join(block))
    return "\n\n".join(parts) + "\n"


def render_writing(section: dict) -> str:
    """report.md's "Writing test" section, from report.json's `writing` section alone."""
    decoding = section["decoding"]
    mode = (
        "greedy"
        if decoding["mode"] == "greedy"
        else (f"sampling (temperature {decoding['temperature']}, top-p {decoding['top_p']}, seed {decoding['seeds'][0]})")
    )
    kinds = {s["name"]: s["kind"] for s in section["systems"]}
    labels = {s["name"]: s["label"] for s in section["systems"]}
    models = tuple(name for name, kind in kinds.items() if kind == "model")
    others = tuple(name for name, kind in kinds.items() if kind in ("floor", "control"))
    prompted = section.get("prompted")
    parts = [
        "## Writing test",
        "**Verdict.** " + " ".join(section["verdict"]),
        (
            f"Each of {section['requests']} held-out documents' writing requests (stage 3's `messages`) goes to "
            f"{listed([f'the {labels[m]} (`{m}`)' for m in models])} through the trained chat template ({mode}, repetition penalty "
            f"{decoding.get('repetition_penalty', 1.0)}, at most {decoding['max_new_tokens']} new tokens); answers are scored against the "
            "document the brand wrote."
            + (
                f" The prompted base model sees, before each request, the {prompted['examples']} training posts nearest to it "
                "(TF-IDF) as earlier exchanges, each after its own request and cut to the answers' cap."
                if prompted
                else ""
            )
            + " Perplexity: of the true document given the request, without and with the end-of-turn token after it (the "
            "end-of-turn is format, not voice). Floors: a random training text, and the training text nearest to the request by "
            "TF-IDF, each cut to the same cap" + (f"; control: {labels['control']}, cut to the cap." if "control" in kinds else ".")
        ),
        markdown_table(table_rows(section["metrics"], floor_intervals=True, labels=section["metric_labels"], floors=others, models=models)),
        "### Two-sample voice test",
    ]
    two_sample = section["two_sample"]
    if two_sample["too_small"]:
        parts.append(next(s for s in section["verdict"] if s.startswith("Two-sample voice test:")))
    else:
        parts.append(
            f"{two_sample['features']}, trained to tell each system's texts from the brand's true texts of the same "
            f"{two_sample['pairs']} requests (both cut to {two_sample['cap_tokens']} tokens); accuracy from {two_sample['folds']}-fold "
            "cross-validation in which a request's two texts share a fold. 50% means the classifier cannot tell the system from "
            "the brand (indistinguishable at this sample size); 100% that it tells every text apart; lower is closer."
            + (
                f" Control: {two_sample['control']['texts']} texts of {two_sample['control']['brand']}, another brand, which must be told "
                "apart."
                if two_sample["control"]
                else ""
            )
        )
        rows = [["closest first", "accuracy % [CI]", "reads as", "separated from the next by this sample"]]
        for entry in two_sample["ranking"]:
            after = entry.get("next")
            rows.append(
                [
                    labels[entry["system"]],
                    with_interval(entry["value"], entry["ci"]),
                    "told apart from the brand" if entry["told_apart"] else "indistinguishable from the brand",
                    f"{'yes' if after['separated'] else 'no'} ({signed(after['difference'], after['ci'])} to {labels[after['system']]})"
                    if after
                    else "—",
                ]
            )
        parts.append(markdown_table(rows))
    copies = section["metrics"]["copies"]["systems"]
    parts += [
        "### Copying",
        f"A text copies when it is {section['copying']['rule']}. Share of each system's texts that copy: "
        + "; ".join(f"{labels[name]} {percent(v)}" for name, v in copies.items())
        + ".",
    ]
    for name, examples in section["copying"]["examples"].items():
        if examples and kinds.get(name) in ("model", "control", "truth"):
            shown = [
                f"{quote(e['text'])}\n\ncopies ({e['kind']}) training text {e['train_index']}:\n\n" + quote(e["train_text"])
                for e in examples
            ]
            parts.append(f"Copies by the {labels[name]}:\n\n" + "\n\n".join(shown))
    parts += [
        "### Style against the true texts",
        markdown_table(table_rows(section["style"], floor_intervals=True, labels=LABELS, floors=(), models=models)),
        'Closer to the true texts\' value ("near truth") is better. Roman-Urdu share and emoji as defined in '
        "`brandtone/evaluate/style.py`.",
        "### Samples",
    ]
    for n, sample in enumerate(section["samples"], 1):
        parts.append(
            "\n\n".join(
                [
                    f"#### {n}. {sample['request']}",
                    "**Truth:**\n\n" + quote(sample["truth"]),
                    *(f"**{labels[m].capitalize()}:**\n\n" + quote(sample["answers"][m]) for m in models),
                ]
            )
        )
    return "\n\n".join(parts)


def render_terminal(report: dict) -> str:
    """What stage 6 prints when it finishes: the leakage line and both tests' tables (the verdict follows)."""
    writing = report["writing"]
    beside = tuple(s["name"] for s in writing["systems"] if s["kind"] in ("floor", "control"))
    writing_table = table_rows(
        writing["metrics"],
        floor_intervals=False,
        labels=writing["metric_labels"],
        floors=beside,
        models=tuple(report["systems"]["writing"]),
    )
    return (
        f"\nleakage: {leakage_line(report['leakage'])}\n\n"
        + text_table(table_rows(report["metrics"], floor_intervals=False))
        + "\n\nwriting test:\n"
        + text_table(writing_table)
    )
