"""Stage 6's report.md, rendered from report.json alone, so `06_evaluate.py --score-ratings` can add the
human ratings to an existing report and render it again without rerunning the models."""

from __future__ import annotations

from brandtone.evaluate.findings import leakage_line
from brandtone.evaluate.plots import PLOTS
from brandtone.evaluate.floors import COPY_FLOORS
from brandtone.evaluate.human_scores import ratings_summary
from brandtone.evaluate.style import LABELS
from brandtone.evaluate.tables import markdown_table, per_seed_rows, quote, table_rows


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
        parts.append(render_writing(report["writing"]))
    parts.append("## Human ratings")
    parts.append(ratings_summary(report["human_ratings"]) if report.get("human_ratings") else (
        "Not scored yet. Open the rating page with `06_evaluate.py --serve` (each rater votes A, B, tie or both bad on every "
        "blind pair), or fill `human_ratings.csv` (A, B, tie or both bad in `brand_voice_winner` and `fluency_winner`, and for "
        "the `write` rows, pairs of answers to one writing request, in `on_request_winner` too; the raters must not see "
        "`human_ratings_key.csv`); then run `06_evaluate.py --score-ratings` (the page's votes) or "
        "`06_evaluate.py --score-ratings eval/human_ratings.csv`."
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


def render_writing(section: dict) -> str:
    """report.md's "Writing test" section, from report.json's `writing` section alone."""
    decoding = section["decoding"]
    mode = "greedy" if decoding["mode"] == "greedy" else (
        f"sampling (temperature {decoding['temperature']}, top-p {decoding['top_p']}, seed {decoding['seeds'][0]})")
    classifier = section["classifier"]
    parts = [
        "## Writing test",
        "**Verdict.** " + " ".join(section["verdict"]),
        (f"Each of {section['requests']} held-out documents' writing requests (stage 3's `messages`) goes to both models "
         f"through the trained chat template ({mode}, repetition penalty {decoding.get('repetition_penalty', 1.0)}, "
         f"at most {decoding['max_new_tokens']} new tokens); answers are scored against the document the brand wrote. "
         "Perplexity: of the true document and its end-of-turn given the request. Floors: a random training text, and the "
         "training text nearest to the request by TF-IDF, each cut to the same cap."),
        markdown_table(table_rows(section["metrics"], floor_intervals=True, floors=COPY_FLOORS)),
        "### Brand-voice classifier",
        (f"{classifier['features']}, trained on {classifier['trained_on']['brand']} training-split brand texts vs the base "
         f"model's answers to the same {section['classifier_requests']} training-split requests; held-out accuracy from "
         f"{classifier['folds']}-fold cross-validation. Its share of true held-out texts called brand is its recall."
         + ("" if classifier["reliable"] else " **It cannot tell the classes apart, so its shares below mean nothing.**")),
    ]
    if classifier["shares"]:
        rows = [["called brand", "share [CI]"]]
        accuracy = classifier["accuracy"]
        rows.append(["held-out accuracy", f"{accuracy['value']:.0%} [{accuracy['ci'][0]:.0%}, {accuracy['ci'][1]:.0%}]"])
        for system, label in (("tuned", "tuned answers"), ("base", "base answers"), ("truth", "true held-out texts (recall)")):
            value = classifier["shares"]["systems"][system]
            rows.append([label, f"{value['value']:.0%} [{value['ci'][0]:.0%}, {value['ci'][1]:.0%}]"])
        parts.append(markdown_table(rows))
    parts += [
        "### Style against the true texts",
        markdown_table(table_rows(section["style"], floor_intervals=True, labels=LABELS, floors=())),
        "Closer to the true texts' value (\"near truth\") is better. Roman-Urdu share and emoji as defined in "
        "`brandtone/evaluate/style.py`.",
        "### Samples",
    ]
    for n, sample in enumerate(section["samples"], 1):
        parts.append("\n\n".join([f"#### {n}. {sample['request']}",
                                  *(f"**{label}:**\n\n" + quote(sample[key]) for label, key in (("Truth", "truth"), ("Base", "base"), ("Tuned", "tuned")))]))
    return "\n\n".join(parts)
