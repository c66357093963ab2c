"""Exact and near-duplicate detection: the one implementation behind stage 2 (clustering),
stage 3 (grouping and its zero-leakage gate) and stage 6 (its leakage line).

Two texts are near-duplicates (`NearDuplicateRule`) when, on a reduced form of
each (lower case, hashtags, @mentions, punctuation and emoji removed), their
character 5-grams have a Jaccard similarity of at least the threshold, or when
nearly all the shorter one's 5-grams are in the longer one (containment) and
what they share holds enough *distinctive* content: 5-grams that are not
frequent across the texts being compared. Reposts differ from the original by
exactly what the reduced form drops ("!!", "Link in bio", two more hashtags,
another emoji): with word trigrams of the full text such a pair scored a
Jaccard of 0.48, on the reduced form 1.0. A post repeated with a call to action
appended ("... Hurry up and shop NOW!!") scores a Jaccard of about 0.78 but a
containment of 1.0. Short templates ("Happy Eid! #Brand") are contained in many
longer posts too; what sets them apart is not their length but that their
5-grams are few and recur in many texts, so a template shares no distinctive
content with the posts that start with it, while a 60-character post shares
all of its own with its repost.

Candidates come from two places, and the rule decides each exactly on the
5-gram sets, so the decision is reproducible: datasketch's MinHash LSH for
Jaccard, and an inverted index of every text's 5-grams (`ShingleIndex`) for
containment, which finds a short text anywhere inside a long one (a post in
the middle of a listing page has a Jaccard of 0.04 with it, so no LSH proposes
that pair).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Hashable, Optional, Sequence

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

SHINGLE_CHARS = 5
# 64 permutations: the MinHash only proposes candidates (each is then compared
# exactly), and with recall-tuned bands 64 find as many as 128 did, at 11% less
# CPU for the stage at 100,000 posts.
NUM_PERM = 64
SEED = 1
# LSH bands tuned for recall: a pair exactly at a 0.8 threshold becomes a
# candidate with probability 0.88, at 0.85 with 0.97, at 0.9 with 0.997
# (datasketch's default weights give 0.36, 0.60, 0.85). Extra candidates only
# cost an exact comparison each.
LSH_WEIGHTS = (0.1, 0.9)
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED).permutations  # shared by every sketch

# Looked up beyond the one 5-gram a container must hold: it must then hold this many more of
# them, which random texts sharing one common 5-gram do not.
EXTRA_PROBES = 8

_TAGS = re.compile(r"[#@][^\s#@]+")
_NOT_WORD = re.compile(r"[\W_]+")
_PRIME = np.uint64(0x100000001B3)


def exact_key(text: str) -> str:
    """Texts with the same key are exact duplicates: case and spacing do not count."""
    return " ".join(text.split()).casefold()


def near_duplicate_form(text: str) -> str:
    """The text as near-duplicate detection sees it: words only, lower case, single spaces."""
    return " ".join(_NOT_WORD.sub(" ", _TAGS.sub(" ", text.casefold())).split())


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the character 5-grams of the reduced form (of the whole form when
    shorter), sorted and unique.

    Computed for all windows at once with numpy (a polynomial over the code
    points, then a 64-bit mixer): hashing 5-gram strings one by one in Python
    was a third of the stage's time at 100,000 posts.
    """
    form = near_duplicate_form(text)
    codes = np.frombuffer(form.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    windows = max(1, codes.size - SHINGLE_CHARS + 1) if codes.size else 0
    hashes = codes[:windows].copy()
    for offset in range(1, min(SHINGLE_CHARS, codes.size)):
        hashes *= _PRIME
        hashes += codes[offset : offset + windows]
    hashes ^= hashes >> np.uint64(31)
    hashes *= np.uint64(0xBF58476D1CE4E5B9)
    hashes ^= hashes >> np.uint64(32)
    hashes = np.sort(hashes.astype(np.uint32))  # the low 32 bits; then unique without np.unique's overhead
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))] if hashes.size else hashes


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique shingle-hash arrays."""
    if a.size == 0 and b.size == 0:
        return 1.0
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common)


@dataclass(frozen=True)
class NearDuplicateRule:
    """When two texts are one (module docstring): Jaccard >= `threshold`, or containment >=
    `containment` where the 5-grams they share include `containment_min_distinctive` or more
    that are not frequent (held by `frequent_texts` or more of the texts compared).

    A count of texts, not a share of them: distinctive content is content that few texts
    hold (a post and its reposts: a post reposted three times with different calls to
    action has its own 5-grams in 4 texts), whether the feed has 300 posts or 100,000. At
    100,000 synthetic posts, a share (0.5%) made 5-grams held by 400 texts distinctive,
    so nearly every text needed a containment look-up (8 s more for the stage)."""

    threshold: float = 0.8
    containment: float = 0.9
    containment_min_distinctive: int = 15
    frequent_texts: int = 5

    @classmethod
    def of(cls, clean_settings) -> "NearDuplicateRule":
        """The rule of the config's clean section (stages 2, 3 and 6 all build it here)."""
        return cls(
            clean_settings.near_duplicate_threshold,
            clean_settings.near_duplicate_containment,
            clean_settings.near_duplicate_containment_min_distinctive,
            clean_settings.near_duplicate_frequent_texts,
        )

    def allowed_missing(self, size: int) -> int:
        """How many of a text's `size` 5-grams a text containing it may lack."""
        return size - math.ceil(self.containment * size - 1e-9)

    def similarity(
        self, a: np.ndarray, b: np.ndarray, distinctive_a: Optional[np.ndarray] = None, distinctive_b: Optional[np.ndarray] = None
    ) -> Optional[float]:
        """The pair's score (the larger of Jaccard and, where it applies, containment) when it
        meets the rule, else None. `distinctive_a`/`_b`: the text's 5-grams that are not
        frequent in the corpus compared (`ShingleIndex.distinctive`); None counts all of them,
        as for a pair on its own."""
        if a.size == 0 and b.size == 0:
            return 1.0
        common = np.intersect1d(a, b, assume_unique=True).size
        score = common / (a.size + b.size - common)
        shorter = min(a.size, b.size)
        if shorter and common / shorter >= self.containment and self._shares_distinctive(a, b, distinctive_a, distinctive_b):
            return max(score, common / shorter)
        return score if score >= self.threshold else None

    def _shares_distinctive(self, a, b, distinctive_a, distinctive_b) -> bool:
        """Whether the shorter text (either, at equal sizes) shares enough distinctive 5-grams with the other."""
        for short, long, distinctive in ((a, b, distinctive_a), (b, a, distinctive_b)):
            if short.size <= long.size:
                distinctive = short if distinctive is None else distinctive
                if (
                    distinctive.size >= self.containment_min_distinctive
                    and np.intersect1d(distinctive, long, assume_unique=True).size >= self.containment_min_distinctive
                ):
                    return True
        return False

    def describe(self) -> str:
        return (
            f"character 5-gram Jaccard >= {self.threshold}, or containment >= {self.containment} where the "
            f"texts share {self.containment_min_distinctive}+ 5-grams held by fewer than {self.frequent_texts} texts"
        )


@dataclass
class Sketch:
    """What near-duplicate detection keeps of a text: its 5-gram hashes and their MinHash values.

    Plain values, so a sketch made in a worker process travels cheaply (a
    pickled LeanMinHash cost 4x as much); `minhash` rebuilds the object.
    """

    hashes: np.ndarray
    signature: np.ndarray

    @classmethod
    def of(cls, text: str) -> "Sketch":
        hashes = shingle_hashes(text)
        minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS, scheme="affine32", hashfunc=int)
        minhash.update_batch(hashes.tolist())
        return cls(hashes, minhash.hashvalues)

    @functools.cached_property
    def minhash(self) -> LeanMinHash:
        return LeanMinHash(seed=SEED, hashvalues=self.signature, scheme="affine32")


class ShingleIndex:
    """An inverted index of many texts' 5-grams, as numpy arrays: which texts hold each 5-gram
    (`holders`) and how many (`holding`).

    Built with one sort of every text's hashes: at 100,000 posts, 14 million
    hashes, about 2 s on one core.
    """

    def __init__(self, hash_sets: Sequence[np.ndarray]):
        self.hash_sets = list(hash_sets)
        self.sizes = np.fromiter((h.size for h in self.hash_sets), dtype=np.int64, count=len(self.hash_sets))
        self.starts = np.concatenate(([0], np.cumsum(self.sizes)))
        every = np.concatenate(self.hash_sets) if self.hash_sets else np.empty(0, np.uint32)
        self.owner = np.repeat(np.arange(len(self.hash_sets), dtype=np.int32), self.sizes)
        order = np.argsort(every, kind="stable")
        sorted_hashes = every[order]
        self._holders = self.owner[order]  # text numbers, grouped by 5-gram
        first = np.flatnonzero(np.concatenate(([True], sorted_hashes[1:] != sorted_hashes[:-1]))) if every.size else np.empty(0, np.int64)
        self._unique = sorted_hashes[first]
        self._run_start = first
        self._run_length = np.diff(np.concatenate((first, [every.size])))
        self._holding = np.empty(every.size, dtype=np.int32)  # for each text's each 5-gram: texts holding it
        self._holding[order] = np.repeat(self._run_length, self._run_length)

    def __len__(self) -> int:
        return len(self.hash_sets)

    def holding(self, text: int) -> np.ndarray:
        """For each of the text's 5-grams (in its sorted order), how many texts hold it (itself included)."""
        return self._holding[self.starts[text] : self.starts[text + 1]]

    def _runs_of(self, hashes: np.ndarray) -> np.ndarray:
        """For each hash the index holds, the number of its run in the sorted index (others left out)."""
        at = np.searchsorted(self._unique, hashes)
        inside = at < self._unique.size
        at, hashes = at[inside], hashes[inside]
        return at[self._unique[at] == hashes]

    def holders(self, hashes: np.ndarray, at_least: int = 1) -> np.ndarray:
        """The texts holding at least `at_least` of these (distinct) hashes."""
        runs = self._runs_of(hashes)
        if not runs.size or runs.size < at_least:
            return np.empty(0, np.int32)
        texts, hits = np.unique(
            np.concatenate([self._holders[s : s + n] for s, n in zip(self._run_start[runs], self._run_length[runs])]), return_counts=True
        )
        return texts[hits >= at_least]

    def holding_of(self, hashes: np.ndarray) -> np.ndarray:
        """For each hash, how many texts hold it (0 where none)."""
        at = np.searchsorted(self._unique, hashes)
        inside = at < self._unique.size
        counts = np.zeros(hashes.size, dtype=np.int64)
        held = np.flatnonzero(inside)[self._unique[at[inside]] == hashes[inside]]
        counts[held] = self._run_length[at[held]]
        return counts

    def distinctive(self, text: int, frequent_from: int) -> np.ndarray:
        """The text's 5-grams held by fewer than `frequent_from` texts."""
        return self.hash_sets[text][self.holding(text) < frequent_from]

    @staticmethod
    def probes(hashes: np.ndarray, holding: np.ndarray, pool: np.ndarray, may_miss: int) -> tuple[np.ndarray, int, int]:
        """What to look up to find the texts that hold all but `may_miss` of the hashes in `pool`
        (a mask): the pool's rarest may_miss + 1 + EXTRA_PROBES hashes, how many of them such a
        text holds at least, and the look-up's cost (the texts holding them, in all)."""
        candidates = np.flatnonzero(pool)
        chosen = candidates[np.argsort(holding[candidates], kind="stable")[: may_miss + 1 + EXTRA_PROBES]]
        return hashes[chosen], chosen.size - may_miss, int(holding[chosen].sum())

    def containment_candidates(self, rule: NearDuplicateRule) -> set[tuple[int, int]]:
        """Pairs (i < j) of indexed texts where the shorter could be contained in the longer under
        `rule`: every pair that meets its containment clause is among them.

        Prefix filtering: a text contained in another misses at most
        `rule.allowed_missing` of its 5-grams, and shares at least
        `containment_min_distinctive` distinctive ones; so of any (missing + k)
        of its 5-grams, or (distinctive - needed + k) of its distinctive ones, the
        container holds k or more (`probes`: the rarest are looked up, with
        EXTRA_PROBES more than one needs, which leaves few candidates). 5-grams no
        other text holds are missed by every container, so a text with too many
        of them is contained in none (most posts: no look-up at all).
        """
        frequent_from = rule.frequent_texts
        own = np.bincount(self.owner, weights=self._holding == 1, minlength=len(self)).astype(np.int64)
        rare = np.bincount(self.owner, weights=self._holding < frequent_from, minlength=len(self)).astype(np.int64)
        missing = self.sizes - np.ceil(rule.containment * self.sizes - 1e-9).astype(np.int64)  # rule.allowed_missing of each
        needed = rule.containment_min_distinctive
        eligible = (self.sizes > 0) & (own <= missing) & (rare - own >= needed)
        pairs: set[tuple[int, int]] = set()
        for text in np.flatnonzero(eligible).tolist():
            hashes, holding = self.hash_sets[text], self.holding(text)
            shared = holding >= 2
            by_containment = self.probes(hashes, holding, shared, int(missing[text] - own[text]))
            by_distinctive = self.probes(hashes, holding, shared & (holding < frequent_from), int(rare[text] - own[text] - needed))
            probes, at_least, _ = min(by_containment, by_distinctive, key=lambda found: found[2])
            for other in self.holders(probes, at_least).tolist():
                if other != text and self.sizes[other] >= self.sizes[text]:
                    pairs.add((min(text, other), max(text, other)))
        return pairs


# Stages 3 and 6 check stage 2's work independently: their candidate threshold is 0.1
# lower, so a pair exactly at a 0.8 threshold is a candidate with probability 0.99
# (stage 2: 0.88), at the price of more candidates to compare exactly.
CHECK_RECALL_MARGIN = 0.1


def near_duplicate_pairs(sketches: Sequence[Sketch], rule: NearDuplicateRule, recall_margin: float = 0.0) -> list[tuple[int, int, float]]:
    """Every pair (i < j, numbers in `sketches`) that meets the rule, with its score, in order.
    Which 5-grams are frequent is counted over these texts."""
    lsh = MinHashLSH(threshold=max(0.05, rule.threshold - recall_margin), num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    candidates: set[tuple[int, int]] = set()
    for number, sketch in enumerate(sketches):
        candidates.update((other, number) for other in lsh.query(sketch.minhash))
        lsh.insert(number, sketch.minhash, check_duplication=False)
    index = ShingleIndex([sketch.hashes for sketch in sketches])
    candidates |= index.containment_candidates(rule)
    frequent_from = rule.frequent_texts
    distinctive = functools.lru_cache(maxsize=None)(lambda text: index.distinctive(text, frequent_from))
    pairs = []
    for a, b in sorted(candidates):
        similarity = rule.similarity(sketches[a].hashes, sketches[b].hashes, distinctive(a), distinctive(b))
        if similarity is not None:
            pairs.append((a, b, similarity))
    return pairs


def similar_pairs(texts: dict[Hashable, str], rule: NearDuplicateRule) -> list[tuple[Hashable, Hashable, float]]:
    """All pairs of texts that meet the rule, exact duplicates (similarity 1.0) included (stage 3)."""
    keys = list(texts)
    exact_twin: dict[str, int] = {}
    pairs = []
    for number, key in enumerate(keys):
        first = exact_twin.setdefault(exact_key(texts[key]), number)
        if first != number:
            pairs.append((keys[first], key, 1.0))
    for a, b, similarity in near_duplicate_pairs([Sketch.of(texts[key]) for key in keys], rule, CHECK_RECALL_MARGIN):
        if exact_key(texts[keys[a]]) != exact_key(texts[keys[b]]):
            pairs.append((keys[a], keys[b], similarity))
    return pairs


def duplicates_in(queries: list[str], corpus: list[str], rule: NearDuplicateRule) -> list[Optional[dict]]:
    """For each query text, its exact or nearest duplicate in the corpus (or None) (stage 6):
    {"corpus_index", "kind" ("exact" | "near"), "similarity"}; ties go to the earlier corpus text.
    Frequent 5-grams are counted over corpus and queries together, as stage 3 counts them."""
    exact: dict[str, int] = {}
    for number, text in enumerate(corpus):
        exact.setdefault(exact_key(text), number)
    best: dict[int, tuple[float, int]] = {}  # query -> (-similarity, corpus index) of its best match
    for a, b, similarity in near_duplicate_pairs([Sketch.of(text) for text in corpus + queries], rule, CHECK_RECALL_MARGIN):
        if a < len(corpus) <= b:  # a < b in every pair, so the corpus text comes first
            match = (-similarity, a)
            best[b - len(corpus)] = min(best.get(b - len(corpus), match), match)
    found: list[Optional[dict]] = []
    for number, text in enumerate(queries):
        if exact_key(text) in exact:
            found.append({"corpus_index": exact[exact_key(text)], "kind": "exact", "similarity": 1.0})
        elif number in best:
            score, corpus_index = best[number]
            found.append({"corpus_index": corpus_index, "kind": "near", "similarity": round(-score, 4)})
        else:
            found.append(None)
    return found
