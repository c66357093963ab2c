"""Stage 6's numbers on small hand-checked inputs: BLEU/chrF, ROUGE-L, the echo
floor, bootstrap intervals, paired comparisons and the verdict, n-gram
statistics and retrieval (leakage: tests/test_dedup.py; the rating sheet: tests/evaluate/test_ratings.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from brandtone.evaluate.findings import verdict
from brandtone.evaluate.metrics import (
    TfidfIndex,
    UnicodeWords,
    bootstrap_weights,
    compare,
    distinct_scorer,
    metric_tokens,
    perplexity_scorer,
    repetition_scorer,
    rouge_l_values,
    sacrebleu_scorer,
)

# Hand-written posts in the demo brand's voice, different enough that one's halves do not predict another's.
POSTS = [
    "A winter evening at Gulberg: fog outside, windows steamed up, Chacha Rafiq humming at the pateela, Bilal bhai "
    "explaining cricket to a tourist from Korea who does not understand Urdu but is nodding anyway. ☕🌫️",
    "Smog season again, sadly 😷 Same drill as every year: purifiers on at all 3 branches, sealed delivery, and a "
    "free mask with every flask order this week. Take care of your lungs, Lahore. We'll take care of the chai.",
    "Our Model Town book club, Kitaab aur Chai, just finished its 50th book! 📚 It started in 2022 with 6 people on "
    "the rooftop and now has 40 members and a waiting list. Come find out the next one, Sunday 11 am.",
    "Our 10th birthday is on 3 August 2026 🎂 All day at all 3 branches: chai at the 2016 price of Rs. 30, a free "
    "samosa with every cup, and cake at Gulberg at 8 pm. Ten years, one pateela, countless cups. #NukkarChai",
]


def test_bleu_and_chrf_from_sentence_statistics_reproduce_sacrebleus_documented_example():
    from sacrebleu.metrics import BLEU, CHRF

    # sacrebleu's README example: BLEU = 48.53, chrF2 = 59.73
    hypotheses = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]
    references = [
        ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
        ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
    ]
    per_text_refs = [list(r) for r in zip(*references)]
    bleu, chrf = BLEU(), CHRF()
    bleu_scorer = sacrebleu_scorer(bleu, [[h] for h in hypotheses], per_text_refs)
    chrf_scorer = sacrebleu_scorer(chrf, [[h] for h in hypotheses], per_text_refs)
    assert bleu_scorer.score() == pytest.approx(48.53, abs=0.005)
    assert chrf_scorer.score() == pytest.approx(59.73, abs=0.005)
    assert str(bleu.get_signature()).startswith("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp")
    # a resample that draws every text once is the corpus itself; one that draws only text 0 is its sentence score
    weights = np.array([[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    assert bleu_scorer.resampled(weights) == pytest.approx([48.53, 100.0], abs=0.005)


def test_rouge_l_keeps_urdu_script_emoji_and_hashtags():
    from rouge_score import rouge_scorer

    text = "چائے پیجیے ☕ #NukkarChai"
    assert metric_tokens(text) == ["چائے", "پیجیے", "☕", "#nukkarchai"]
    assert metric_tokens("Chai☕️ time!!") == ["chai", "☕", "time", "!", "!"]  # the emoji presentation selector is dropped
    assert rouge_l_values([[text]], [text]) == [[100.0]]
    assert rouge_l_values([["پیجیے چائے"]], ["چائے پیجیے"])[0][0] == pytest.approx(50.0)
    # the library's default tokenizer sees nothing in Urdu script and emoji at all
    assert rouge_scorer.RougeScorer(["rougeL"]).score("چائے پیجیے ☕", "چائے پیجیے ☕")["rougeL"].fmeasure == 0.0
    assert UnicodeWords().tokenize("Baarish ☕") == ["baarish", "☕"]


def test_echo_floor_scores_low_where_whole_text_metrics_called_it_good(demo_model_dir):
    """The original workflow compared the whole text with prompt + output, so echoing the prompt looked good."""
    from rouge_score import rouge_scorer
    from sacrebleu.metrics import BLEU, CHRF

    from brandtone.models import load_tokenizer
    from brandtone.textformat import split_for_continuation

    tokenizer = load_tokenizer(str(demo_model_dir))
    splits = [split_for_continuation(tokenizer, post, 16) for post in POSTS]
    echoes = [tokenizer.decode(s.prompt_ids[: len(s.truth_ids)]) for s in splits]
    truths = [s.truth_text for s in splits]
    old_rouge1 = np.mean(
        [
            rouge_scorer.RougeScorer(["rouge1"]).score(post, s.prompt_text + echo)["rouge1"].fmeasure
            for post, s, echo in zip(POSTS, splits, echoes)
        ]
    )
    echo_bleu = sacrebleu_scorer(BLEU(), [[e] for e in echoes], [[t] for t in truths]).score()
    echo_chrf = sacrebleu_scorer(CHRF(), [[e] for e in echoes], [[t] for t in truths]).score()
    perfect_chrf = sacrebleu_scorer(CHRF(), [[t] for t in truths], [[t] for t in truths]).score()
    assert old_rouge1 > 0.4  # the old metric gave copying the prompt a substantial score
    assert echo_bleu < 5
    assert echo_chrf < 20 and echo_chrf < 100 * old_rouge1 - 25
    assert perfect_chrf == pytest.approx(100.0)  # while a true continuation scores the top


def _perplexity_stats(n_texts: int, seed: int):
    rng = np.random.default_rng(seed)
    counts = rng.integers(10, 80, size=n_texts)
    nll = counts * rng.normal(3.0, 0.6, size=n_texts).clip(0.5)
    return nll, counts


def test_bootstrap_interval_contains_the_estimate_and_narrows_with_more_texts():
    widths = {}
    for n_texts in (20, 400):
        scorer = perplexity_scorer(*_perplexity_stats(n_texts, seed=n_texts))
        result = compare({"base": scorer}, bootstrap_weights(n_texts, 500, seed=0), 0.95, "lower")
        value, (low, high) = result["systems"]["base"]["value"], result["systems"]["base"]["ci"]
        assert low < value < high
        assert value == pytest.approx(math.exp(scorer.stats[:, 0].sum() / scorer.stats[:, 1].sum()))
        widths[n_texts] = high - low
    assert widths[400] < widths[20] / 2.5  # ~sqrt(20) narrower in theory
    # seeded: the same seed gives the same interval
    assert np.array_equal(bootstrap_weights(30, 100, seed=3), bootstrap_weights(30, 100, seed=3))


def test_paired_comparison_and_verdict_follow_the_numbers():
    nll, counts = _perplexity_stats(60, seed=1)
    base = perplexity_scorer(nll, counts)
    better = perplexity_scorer(nll * 0.8, counts)  # every text more predictable
    weights = bootstrap_weights(60, 400, seed=0)
    result = compare({"base": base, "tuned": better}, weights, 0.95, "lower")
    assert result["paired"]["base"]["difference"] < 0 and result["paired"]["base"]["ci"][1] < 0
    assert result["paired"]["base"]["tuned_better_share"] == 1.0
    sentence = verdict(result, 0.95, 60)
    assert "lower, CIs do not overlap" in sentence and "excludes zero" in sentence and "more predictable" in sentence

    same = compare({"base": base, "tuned": perplexity_scorer(nll, counts)}, weights, 0.95, "lower")
    sentence = verdict(same, 0.95, 60)
    assert "equal, CIs overlap" in sentence and "includes zero" in sentence and "do not show a difference" in sentence

    worse = compare({"base": base, "tuned": perplexity_scorer(nll * 1.3, counts)}, weights, 0.95, "lower")
    assert "higher" in verdict(worse, 0.95, 60) and "less predictable" in verdict(worse, 0.95, 60)


def test_closer_to_truth_wins_for_descriptive_statistics():
    truth = repetition_scorer([[["a", "b", "c", "d", "e", "f"]]] * 4, 2)  # 0% repeated
    loops = repetition_scorer([[["a", "b"] * 3]] * 4, 2)  # 2 of 5 bigrams repeat
    varied = repetition_scorer([[["a", "b", "c", "a", "b", "x"]]] * 4, 2)  # 1 of 5
    assert loops.score() == pytest.approx(60.0) and varied.score() == pytest.approx(20.0) and truth.score() == 0.0
    result = compare({"base": loops, "tuned": varied, "truth": truth}, bootstrap_weights(4, 100, 0), 0.95, "truth")
    assert result["paired"]["base"]["tuned_better_share"] == 1.0


def test_distinct_n_is_pooled_over_texts_and_resamples_without_bias():
    scorer = distinct_scorer([[["chai", "chai", "time"]], [["chai", "time", "now"]]], n=1)
    assert scorer.score() == pytest.approx(100 * 3 / 6)  # chai, time, now out of six words
    # text 0 holds 2/3 of "chai" and 1/2 of "time"; text 1 the rest and all of "now"
    assert scorer.resampled(np.array([[2.0, 0.0], [0.0, 2.0]])) == pytest.approx([100 * (2 / 3 + 1 / 2) / 3, 100 * (1 / 3 + 1 / 2 + 1) / 3])
    assert distinct_scorer([[["a", "b", "a", "b"]]], n=2).score() == pytest.approx(100 * 2 / 3)
    varied = [[[f"w{i}"] * (i % 3 + 1) + ["chai"] * (i % 4)] for i in range(30)]  # texts differ in diversity
    result = compare({"truth": distinct_scorer(varied, 1)}, bootstrap_weights(30, 300, 0), 0.95, "truth")
    low, high = result["systems"]["truth"]["ci"]
    assert low < result["systems"]["truth"]["value"] < high


def test_tfidf_retrieval_finds_the_text_about_the_same_thing():
    index = TfidfIndex(POSTS)
    assert index.nearest("smog season, purifiers on, sealed delivery") == 1
    assert index.nearest("Kitaab aur Chai book club") == 2
    assert index.nearest("zzz qqq") is None


def test_sacrebleu_private_statistics_api_is_what_stage_6_relies_on():
    """sacrebleu_scorer resamples texts through two private methods (pinned by requirements.txt's
    sacrebleu<3): per-sentence statistics, and a score from summed statistics. If their signature or
    layout changes, this fails before any report is wrong."""
    import inspect

    from sacrebleu.metrics import BLEU, CHRF

    for metric in (BLEU, CHRF):
        assert list(inspect.signature(metric._extract_corpus_statistics).parameters) == ["self", "hypotheses", "references"]
        assert list(inspect.signature(metric._compute_score_from_stats).parameters) == ["self", "stats"]
    bleu = BLEU()
    # one row per sentence: hypothesis length, reference length, n-gram matches (1-4), n-gram totals (1-4)
    assert bleu._extract_corpus_statistics(["the cat sat"], [["the cat sat down"]]) == [[3, 4, 3, 2, 1, 0, 3, 2, 1, 0]]
    hypotheses = ["chai at the nukkar tonight", "baarish and pakoray again"]
    references = [["chai at the nukkar at night", "baarish, pakoray and chai again"]]
    for metric in (bleu, CHRF()):
        rows = np.asarray(metric._extract_corpus_statistics(hypotheses, references))
        assert rows.shape[0] == len(hypotheses)
        from_sum = metric._compute_score_from_stats(rows.sum(axis=0).tolist()).score
        assert from_sum == pytest.approx(metric.corpus_score(hypotheses, references).score, abs=1e-9)
