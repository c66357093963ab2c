"""Stage 6's two-sample voice test: can a classifier tell a system's texts from the brand's own?

For each system (a model's answers to the held-out requests, a floor, another brand's texts) a
classifier two-sample test (Lopez-Paz and Oquab, 2017): the system's texts (class 1) against the
brand's true texts of the same requests (class 0), both cut to the same number of tokens, so that
length alone cannot tell them apart. Every text is labelled by a classifier that saw neither it nor
the other text of its request (grouped k-fold cross-validation: a request's two texts share a fold).
The accuracy then says how far the system is from the brand's voice: 50% means the classifier cannot
tell the two apart (indistinguishable at this sample size), 100% that it tells every text apart;
lower is closer, and below 50% is chance. A model is in the brand's voice only where its interval
reaches 50%; "closer than the base model" is a paired difference, not a voice.

Features are character 2-5-grams (TF-IDF within word boundaries, so Urdu script, emoji and hashtags
count) and the model a logistic regression (scikit-learn). On the tests' fixtures (tests/evaluate/
test_voice.py) this separated a formal bank's posts from the chai café's at 100% with 12 pairs, kept
two samples of the café's own posts near 50%, and caught the café's posts with hashtags and emoji
stripped from 35 pairs on; adding word n-grams or other settings separated no better.

Per request the score is the mean of its two texts' correctness, so the writing test's paired
bootstrap over requests gives each accuracy an interval, and two systems a paired difference.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from brandtone.dedup import NearDuplicateRule
from brandtone.evaluate.copying import copy_examples, copy_values, find_copies
from brandtone.evaluate.copying import describe as describe_copying
from brandtone.evaluate.findings import listed
from brandtone.evaluate.metrics import Scorer, bootstrap_weights, compare, excludes_zero, mean_scorer, paired_difference
from brandtone.evaluate.tables import percent, signed

FOLDS = 5
FEATURES = "TF-IDF of character 2-5-grams (char_wb, sublinear tf) + logistic regression"
CHANCE = 50.0


def classifier(seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True), LogisticRegression(max_iter=2000, random_state=seed)
    )


def pair_accuracy(system: list[str], truth: list[str], seed: int) -> list[list[float]]:
    """Per request i, in percent: [system text i labelled the system's, true text i labelled the brand's],
    each predicted out of fold. `system` and `truth` are paired by index."""
    from sklearn.model_selection import GroupKFold, cross_val_predict

    n = len(system)
    texts, labels = list(system) + list(truth), np.array([1] * n + [0] * n)
    predicted = cross_val_predict(classifier(seed), texts, labels, groups=np.tile(np.arange(n), 2), cv=GroupKFold(min(FOLDS, n)))
    return [[100.0 * (predicted[i] == 1), 100.0 * (predicted[n + i] == 0)] for i in range(n)]


def voice_scorers(systems: dict[str, list[str]], truth: list[str], seed: int) -> dict[str, Scorer]:
    """The two-sample accuracy of every system against the same true texts, as resamplable scorers."""
    return {name: mean_scorer(pair_accuracy(texts, truth, seed)) for name, texts in systems.items()}


def told_apart(result: dict) -> bool:
    """The classifier tells the system from the brand: its interval lies above chance."""
    return result["ci"][0] > CHANCE


def ranking(result: dict, scorers: dict[str, Scorer], weights: np.ndarray, confidence: float) -> list[dict]:
    """Systems closest to the brand first; each with whether this sample separates it from the next one
    (their paired difference excludes zero). Systems scored on other items (another brand's texts) have no
    paired difference with the rest and are left out."""
    paired_items = [name for name in result["systems"] if name in scorers]
    order = sorted(paired_items, key=lambda name: (result["systems"][name]["value"], name))
    ranked = []
    for place, name in enumerate(order):
        entry = {"system": name, **result["systems"][name], "told_apart": told_apart(result["systems"][name])}
        if place + 1 < len(order):
            gap = paired_difference(scorers[order[place + 1]], scorers[name], weights, confidence)
            entry["next"] = {"system": order[place + 1], **gap, "separated": excludes_zero(gap)}
        ranked.append(entry)
    return ranked


def ranking_sentence(ranked: list[dict], labels: dict[str, str], pairs: int, cap: int, confidence: float) -> str:
    """Every system's accuracy, which are indistinguishable from the brand, and the order with its ties."""
    close = [r for r in ranked if not r["told_apart"]]
    apart = [r for r in ranked if r["told_apart"]]

    def listed_with(entries: list[dict]) -> str:
        return ", ".join(f"{labels[r['system']]} {percent(r)}" for r in entries)

    parts = []
    if close:
        parts.append(f"{listed_with(close)} {'is' if len(close) == 1 else 'are'} indistinguishable from the brand's texts")
    if apart:
        parts.append(f"{listed_with(apart)} {'is' if len(apart) == 1 else 'are'} told apart from them")
    ties = [f"{labels[r['system']]} from {labels[r['next']['system']]}" for r in ranked if "next" in r and not r["next"]["separated"]]
    order = " < ".join(labels[r["system"]] for r in ranked)
    return (
        f"Two-sample voice test (a classifier tells each system's texts from the brand's true texts of the same {pairs} "
        f"held-out requests, both cut to {cap} tokens; 50% = indistinguishable, {confidence:.0%} bootstrap CIs): "
        f"{'; '.join(parts)}. Closest to the brand first: {order}"
        + (f" (this sample is too small to separate {listed(ties)})." if ties else ", each separated from the next by this sample.")
    )


def system_sentence(name: str, label: str, result: dict, copying: Optional[dict]) -> str:
    """One model system's voice: in the brand's voice or not, closer than the base model or not, and
    whether its closeness comes from copying training texts. `result` is the two-sample metric."""
    value = result["systems"][name]
    voice = (
        "told apart from the brand's own texts, so not in the brand's voice"
        if told_apart(value)
        else "indistinguishable from the brand's own texts at this sample size"
    )
    sentence = f"The {label}'s answers ({percent(value)}) are {voice}"
    paired = (result.get("paired") or {}).get("base") if name == "tuned" else None
    if paired is not None:
        if excludes_zero(paired) and paired["difference"] < 0:
            relation = "closer to the brand's than the base model's are"
        elif excludes_zero(paired) and paired["difference"] > 0:
            relation = "further from the brand's than the base model's are"
        else:
            relation = "not shown closer to the brand's than the base model's"
        sentence += f", and {relation} (paired difference {signed(paired['difference'], paired['ci'])} points)"
    if copying and copying.get("copies_more_than_truth"):
        closeness = "what they share with the brand comes" if told_apart(value) else "their closeness comes"
        sentence += (
            f"; {copying['share']:.0f}% of them reproduce a training text (the brand's own held-out texts: "
            f"{copying['truth_share']:.0f}%), so {closeness} at least in part from copying"
        )
    return sentence + "."


def control_sentence(name: str, result: dict) -> str:
    """The control line: another brand's texts must be told apart, or the test cannot see this brand's voice."""
    value = result["systems"]["control"]
    if told_apart(value):
        return (
            f"Control: {name}'s texts (another brand) are told apart from this brand's ({percent(value)}), as they "
            "must be: the test can see this brand's voice."
        )
    return (
        f"Control: {name}'s texts (another brand) are not told apart from this brand's ({percent(value)}): the test "
        "cannot see this brand's voice here, so its results above mean nothing."
    )


def too_small_sentence(pairs: int, minimum: int) -> str:
    return (
        f"Two-sample voice test: {pairs} held-out requests are fewer than evaluate.two_sample_min_requests={minimum}, "
        "too few to tell voices apart, so it gives no verdict."
    )


def _on_its_own(scorer: Scorer, ev) -> dict:
    """The control's value and interval: scored on its own texts, not on the requests, so resampled on its own."""
    weights = bootstrap_weights(len(scorer.stats), ev.bootstrap_samples, ev.seed)
    return compare({"control": scorer}, weights, ev.confidence, "lower")["systems"]["control"]


def closeness(
    texts: dict[str, list[str]],
    truths: list[str],
    control: Optional[tuple[str, list[str]]],
    train_texts: list[str],
    rule: NearDuplicateRule,
    weights: np.ndarray,
    *,
    ev,
    labels: dict[str, str],
    models: list[str],
) -> dict:
    """The writing test's closeness to the brand: the two-sample test and the copy check of every system in
    `texts` (answers and floors, paired with `truths` by request, all cut to the same token cap) and of the
    control brand's texts; their metrics (report.json's writing.metrics.two_sample and .copies), details and
    verdict sentences. `ev` is the evaluate section."""
    seed, confidence = ev.seed, ev.confidence
    control_texts = control[1] if control else []
    checked = {**texts, "truth": truths, **({"control": control_texts} if control else {})}
    copies = find_copies(checked, train_texts, rule)
    copy_scorers = {name: mean_scorer(copy_values(found)) for name, found in copies.items()}
    metrics = {"copies": compare({n: s for n, s in copy_scorers.items() if n != "control"}, weights, confidence, "lower")}
    if control:
        metrics["copies"]["systems"]["control"] = _on_its_own(copy_scorers["control"], ev)
    shares = metrics["copies"]["systems"]
    copying = {
        name: {
            "share": shares[name]["value"],
            "truth_share": shares["truth"]["value"],  # more than the brand's own repeats?
            "copies_more_than_truth": paired_difference(copy_scorers[name], copy_scorers["truth"], weights, confidence)["ci"][0] > 0,
        }
        for name in texts
    }
    details = {
        "features": FEATURES,
        "folds": FOLDS,
        "pairs": len(truths),
        "min_requests": ev.two_sample_min_requests,
        "cap_tokens": ev.write_max_new_tokens,
        "too_small": len(truths) < ev.two_sample_min_requests,
        "control": {"brand": control[0], "texts": len(control_texts)} if control else None,
    }
    copy_details = {
        "rule": describe_copying(),
        "examples": {name: copy_examples(checked[name], found, train_texts) for name, found in copies.items()},
    }
    if details["too_small"]:
        return {
            "metrics": metrics,
            "two_sample": details,
            "copying": copy_details,
            "copies": copies,
            "sentences": [too_small_sentence(len(truths), ev.two_sample_min_requests)],
        }
    scorers = voice_scorers(texts, truths, seed)
    result = metrics["two_sample"] = compare(scorers, weights, confidence, "lower")
    if control:  # paired with as many true texts as it has
        control_scorer = voice_scorers({"control": control_texts}, truths[: len(control_texts)], seed)["control"]
        result["systems"]["control"] = _on_its_own(control_scorer, ev)
    ranked = details["ranking"] = ranking(result, scorers, weights, confidence)
    sentences = [ranking_sentence(ranked, labels, len(truths), ev.write_max_new_tokens, confidence)]
    sentences += [system_sentence(name, labels[name], result, copying[name]) for name in ("tuned", "prompted") if name in models]
    if control:
        sentences.append(control_sentence(control[0], result))
    return {"metrics": metrics, "two_sample": details, "copying": copy_details, "copies": copies, "sentences": sentences}
