"""Stage 6's numbers: corpus metrics that can be recomputed on any bootstrap
resample, paired comparisons, interval arithmetic, the leakage check and the
retrieval behind the "nearest training text" floor.

Every corpus metric is a scorer built once from per-text statistics; its score
on a resample comes from those statistics weighted by how often each text was
drawn. This is how sacrebleu's own paired bootstrap works (it sums sentence
statistics, then scores), so BLEU and chrF on a resample are true corpus scores,
not averages of sentence scores. One set of resamples is shared by every system,
which makes the base-vs-tuned comparison paired.

Metric libraries are called directly: sacrebleu for BLEU and chrF, rouge-score
for ROUGE-L. (`evaluate.load` would fetch their wrapper scripts from the Hub at
run time, which fails offline.)
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from typing import Callable, Optional, Sequence

import numpy as np

# Words in any script (hashtags and mentions kept whole) and every other symbol
# (emoji, punctuation) as a token of its own.
_TOKEN = re.compile(r"[#@]?\w+|[^\w\s]")
# Emoji presentation selectors and joiners change how an emoji renders, not what it says.
_RENDER_ONLY = dict.fromkeys(map(ord, "\ufe0e\ufe0f\u200d"))


def metric_tokens(text: str) -> list[str]:
    """Lower-cased tokens of `text` for n-gram statistics, ROUGE-L and retrieval.

    Unlike rouge-score's default tokenizer (which keeps only [a-z0-9]), Urdu
    script, Roman Urdu, emoji and hashtags all survive.
    """
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).translate(_RENDER_ONLY).casefold())


class UnicodeWords:
    """The tokenizer object rouge-score accepts in place of its ASCII-only default."""

    def tokenize(self, text: str) -> list[str]:
        return metric_tokens(text)


# --------------------------------------------------------------------------- scorers


class Scorer:
    """A corpus metric from additive per-text statistics.

    `stats` is (texts x k); the corpus score is `reduce(sum of the rows)`, and a
    resample's score is `reduce(weights @ stats)` with weights = draw counts.
    """

    def __init__(self, stats: Sequence[Sequence[float]], reduce: Callable[[np.ndarray], float]):
        self.stats = np.asarray(stats, dtype=float)
        self.reduce = reduce

    def score(self) -> float:
        return self.reduce(self.stats.sum(axis=0))

    def resampled(self, weights: np.ndarray) -> np.ndarray:
        return np.array([self.reduce(row) for row in weights @ self.stats])


def distinct_scorer(token_lists: list[list[list[str]]], n: int) -> Scorer:
    """distinct-n: unique n-grams over all n-grams, pooled across every text's continuations.

    Each n-gram occurrence counts 1/c, c being how often that n-gram occurs in
    the whole corpus, so a text's share is additive and the shares of all texts
    sum to exactly the number of unique n-grams. A resample reweights these
    shares (the corpus-wide counts held fixed); counting a resample's own unique
    n-grams instead would be biased by its duplicated draws.
    """
    grams = [[g for tokens in continuations for g in ngrams(tokens, n)] for continuations in token_lists]
    counts = Counter(g for text in grams for g in text)
    stats = [[sum(1.0 / counts[g] for g in text), len(text)] for text in grams]
    return Scorer(stats, lambda s: 100.0 * s[0] / s[1] if s[1] else math.nan)


def ngrams(tokens: Sequence[str], n: int) -> list[tuple]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def perplexity_scorer(nll_sums: Sequence[float], token_counts: Sequence[int]) -> Scorer:
    """Token-weighted corpus perplexity: exp(total negative log-likelihood / total tokens)."""
    return Scorer(np.column_stack([nll_sums, token_counts]), lambda s: math.exp(s[0] / s[1]) if s[1] else math.nan)


def mean_scorer(values: list[list[float]]) -> Scorer:
    """The mean over every (text, continuation) value; a text's continuations move together."""
    return Scorer([[sum(v), len(v)] for v in values], lambda s: s[0] / s[1] if s[1] else math.nan)


def sacrebleu_scorer(metric, continuations: list[list[str]], references: list[list[str]]) -> Scorer:
    """BLEU or chrF (a sacrebleu metric object) as a resamplable corpus score.

    continuations[i] are text i's continuations (one per sampling seed),
    references[i] its reference(s); a text's statistics are summed over its
    continuations, each scored against the same references.
    """
    per_text = [len(c) for c in continuations]
    hypotheses = [h for hs in continuations for h in hs]
    rows = [refs for refs, hs in zip(references, continuations) for _ in hs]
    streams = [list(stream) for stream in zip(*rows)]
    sentence_stats = np.asarray(metric._extract_corpus_statistics(hypotheses, streams), dtype=float)
    bounds = np.cumsum([0] + per_text)
    stats = np.stack([sentence_stats[a:b].sum(axis=0) for a, b in zip(bounds[:-1], bounds[1:])])
    return Scorer(stats, lambda s: float(metric._compute_score_from_stats(s).score))


def rouge_l_values(continuations: list[list[str]], references: list[str]) -> list[list[float]]:
    """ROUGE-L F1 (x100) of each continuation against its reference, with a tokenizer that keeps every script."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], tokenizer=UnicodeWords())
    return [[100.0 * scorer.score(ref, hyp)["rougeL"].fmeasure for hyp in hyps] for hyps, ref in zip(continuations, references)]


def repetition_scorer(token_lists: list[list[list[str]]], n: int) -> Scorer:
    """Share (%) of n-grams inside a continuation that repeat an earlier n-gram of it (degenerate loops)."""

    def counts(tokens):
        grams = ngrams(tokens, n)
        return len(grams) - len(set(grams)), len(grams)

    stats = [np.sum([counts(t) for t in texts], axis=0) if texts else [0, 0] for texts in token_lists]
    return Scorer(stats, lambda s: 100.0 * s[0] / s[1] if s[1] else math.nan)


# --------------------------------------------------------------------------- bootstrap and intervals


def bootstrap_weights(n_texts: int, samples: int, seed: int) -> np.ndarray:
    """(samples x n_texts) counts of how often each text is drawn, with replacement, per resample."""
    draws = np.random.default_rng(seed).integers(0, n_texts, size=(samples, n_texts))
    return np.apply_along_axis(np.bincount, 1, draws, minlength=n_texts).astype(float)


def percentile_interval(values: np.ndarray, confidence: float) -> tuple[float, float]:
    if np.isnan(values).all():  # e.g. no 4-grams at all in very short continuations
        return math.nan, math.nan
    tail = 100.0 * (1 - confidence) / 2
    low, high = np.nanpercentile(values, [tail, 100.0 - tail])
    return float(low), float(high)


SUBJECT = "tuned"  # the system every other model system is compared with, pair by pair
OPPONENTS = ("base", "prompted")  # tuned − base, tuned − prompted (the prompted baseline, when evaluated)


def compare(scorers: dict[str, Scorer], weights: np.ndarray, confidence: float, better: str) -> dict:
    """Point estimates and bootstrap intervals for every system, plus tuned against each of OPPONENTS, paired.

    `better` is "higher", "lower", or "truth" (closer to the true texts' own value is better, for
    statistics such as repetition and distinct-n). `paired[opponent]` is tuned − opponent.
    """
    points = {name: scorer.score() for name, scorer in scorers.items()}
    boots = {name: scorer.resampled(weights) for name, scorer in scorers.items()}
    result = {
        "better": better,
        "systems": {name: {"value": points[name], "ci": percentile_interval(boots[name], confidence)} for name in scorers},
    }
    if SUBJECT not in scorers:
        return result
    goodness = {  # per resample, larger = better
        "higher": lambda b: b,
        "lower": lambda b: -b,
        "truth": lambda b: -np.abs(b - boots["truth"]),
    }[better]
    result["paired"] = {}
    for opponent in (o for o in OPPONENTS if o in scorers):
        tuned, other = goodness(boots[SUBJECT]), goodness(boots[opponent])
        wins = (tuned > other) + 0.5 * (tuned == other)
        result["paired"][opponent] = {
            "difference": points[SUBJECT] - points[opponent],
            "ci": percentile_interval(boots[SUBJECT] - boots[opponent], confidence),
            "tuned_better_share": float(np.nanmean(wins)),
        }
    return result


def paired_difference(a: Scorer, b: Scorer, weights: np.ndarray, confidence: float) -> dict:
    """a − b on the same items: the point difference and its paired bootstrap interval."""
    return {"difference": a.score() - b.score(), "ci": percentile_interval(a.resampled(weights) - b.resampled(weights), confidence)}


def excludes_zero(paired: dict) -> bool:
    return paired["ci"][0] > 0 or paired["ci"][1] < 0


# --------------------------------------------------------------------------- retrieval


class TfidfIndex:
    """Cosine similarity over TF-IDF vectors of `words` (sublinear tf, smoothed idf).

    Small on purpose: a few thousand brand texts, searched with an inverted index.
    """

    def __init__(self, documents: list[str]):
        counts = [Counter(metric_tokens(d)) for d in documents]
        self.size = len(documents)
        document_frequency = Counter(term for c in counts for term in c)
        self.idf = {t: math.log((1 + len(documents)) / (1 + f)) + 1 for t, f in document_frequency.items()}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, c in enumerate(counts):
            for term, weight in self._vector(c).items():
                self.postings[term].append((index, weight))

    def _vector(self, counts: Counter) -> dict[str, float]:
        vector = {t: (1 + math.log(c)) * self.idf[t] for t, c in counts.items() if t in self.idf}
        norm = math.sqrt(sum(w * w for w in vector.values()))
        return {t: w / norm for t, w in vector.items()} if norm else {}

    def _scores(self, query: str) -> dict[int, float]:
        scores: dict[int, float] = defaultdict(float)
        for term, weight in self._vector(Counter(metric_tokens(query))).items():
            for index, doc_weight in self.postings[term]:
                scores[index] += weight * doc_weight
        return scores

    def nearest(self, query: str) -> Optional[int]:
        """Index of the most similar document (lowest index on ties), or None when no term is shared."""
        scores = self._scores(query)
        return max(scores, key=lambda i: (scores[i], -i)) if scores else None

    def nearest_k(self, query: str, k: int) -> list[int]:
        """The k most similar documents, most similar first (lowest index on ties); when fewer than k share a
        term with the query, the first documents that do not make up the number."""
        scores = self._scores(query)
        ranked = sorted(scores, key=lambda i: (-scores[i], i))[:k]
        rest = (i for i in range(self.size) if i not in scores)
        return ranked + [next(rest) for _ in range(min(k, self.size) - len(ranked))]


# --------------------------------------------------------------------------- the metric table

# name -> (label in the report, what "better" means)
METRICS = {
    "perplexity": ("conditional perplexity", "lower"),
    "bleu": ("BLEU", "higher"),
    "chrf": ("chrF", "higher"),
    "rouge_l": ("ROUGE-L F1", "higher"),
    "repetition": ("repeated 4-grams %", "truth"),
    "distinct_1": ("distinct-1 %", "truth"),
    "distinct_2": ("distinct-2 %", "truth"),
    "length": ("length (tokens)", "truth"),
}
REPETITION_N = 4  # repeated 4-grams inside one continuation mark a model stuck in a loop


def build_scorers(
    continuations: dict[str, list[list[str]]],
    lengths: dict[str, list[list[int]]],
    references: list[str],
    nll: dict[str, np.ndarray],
    token_counts: Sequence[int],
) -> tuple[dict[str, dict[str, Scorer]], dict[str, str]]:
    """Every metric's scorer for every system that has it, and sacrebleu's signatures.

    continuations[system][i] are text i's continuations (several with sampling
    seeds); the true halves themselves come in as the system "truth", scored
    only on the statistics that describe a text on its own (repetition,
    distinct-n, length).
    """
    from sacrebleu.metrics import BLEU, CHRF

    generated = {name: c for name, c in continuations.items() if name != "truth"}
    tokens = {name: [[metric_tokens(t) for t in texts] for texts in c] for name, c in continuations.items()}
    refs = [[r] for r in references]
    bleu, chrf = BLEU(), CHRF()
    scorers: dict[str, dict[str, Scorer]] = {
        "perplexity": {name: perplexity_scorer(values, token_counts) for name, values in nll.items()},
        "bleu": {name: sacrebleu_scorer(bleu, c, refs) for name, c in generated.items()},
        "chrf": {name: sacrebleu_scorer(chrf, c, refs) for name, c in generated.items()},
        "rouge_l": {name: mean_scorer(rouge_l_values(c, references)) for name, c in generated.items()},
        "repetition": {name: repetition_scorer(t, REPETITION_N) for name, t in tokens.items()},
        "distinct_1": {name: distinct_scorer(t, 1) for name, t in tokens.items()},
        "distinct_2": {name: distinct_scorer(t, 2) for name, t in tokens.items()},
        "length": {name: mean_scorer(values) for name, values in lengths.items()},
    }
    signatures = {"bleu": str(bleu.get_signature()), "chrf": str(chrf.get_signature())}
    return scorers, signatures
