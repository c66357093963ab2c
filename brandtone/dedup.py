"""Exact and near-duplicate detection: the one implementation behind stage 2 (clustering),
stage 3 (grouping and its zero-leakage gate) and stage 6 (its leakage line).

Two texts are near-duplicates (`NearDuplicateRule`) when, on a reduced form of
each (lower case, hashtags, @mentions, punctuation and emoji removed), their
character 5-grams have a Jaccard similarity of at least the threshold, or when
the shorter one is long enough and nearly all its 5-grams are in the longer
one (containment). Reposts differ from the original by exactly what the reduced
form drops ("!!", "Link in bio", two more hashtags, another emoji): with word
trigrams of the full text such a pair scored a Jaccard of 0.48, on the reduced
form 1.0. A post repeated with a call to action appended ("... Hurry up and shop
NOW!!") scores a Jaccard of about 0.78 but a containment of 1.0; the minimum
length keeps short templates ("Happy Eid! #Brand"), contained in many longer
posts, from being merged by containment.

datasketch's MinHash LSH (and, for containment, texts that open or close the
same way: `NearDuplicateIndex`) finds the candidate pairs without comparing
every pair; each candidate is then confirmed with the exact 5-gram sets, so
the decision itself is exact and reproducible.
"""

from __future__ import annotations

import functools
import re
import zlib
from dataclasses import dataclass
from typing import Any, Hashable, Optional

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

# Texts whose reduced forms share their first or last ANCHOR_CHARS characters are compared
# for containment; a feed that opens hundreds of posts the same way compares each new one
# with the first ANCHOR_BUCKET_LIMIT of them only, so the cost stays linear.
ANCHOR_CHARS = 40
ANCHOR_BUCKET_LIMIT = 64

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
    return _hashes_of_form(near_duplicate_form(text))


def _hashes_of_form(form: str) -> np.ndarray:
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
    `containment` where the shorter reduced form has `containment_min_chars` characters or more."""

    threshold: float = 0.8
    containment: float = 0.9
    containment_min_chars: int = 80

    @classmethod
    def of(cls, clean_settings) -> "NearDuplicateRule":
        """The rule of the config's clean section (stages 2, 3 and 6 all build it here)."""
        return cls(clean_settings.near_duplicate_threshold, clean_settings.near_duplicate_containment,
                   clean_settings.near_duplicate_containment_min_chars)

    def similarity(self, a: np.ndarray, b: np.ndarray) -> Optional[float]:
        """The pair's score (the larger of Jaccard and, where it applies, containment) when it
        meets the rule, else None."""
        if a.size == 0 and b.size == 0:
            return 1.0
        common = np.intersect1d(a, b, assume_unique=True).size
        score = common / (a.size + b.size - common)
        shorter = min(a.size, b.size)
        if shorter + SHINGLE_CHARS - 1 >= self.containment_min_chars and common / shorter >= self.containment:
            return max(score, common / shorter)
        return score if score >= self.threshold else None

    def describe(self) -> str:
        return (f"character 5-gram Jaccard >= {self.threshold}, or containment >= {self.containment} "
                f"where the shorter text has {self.containment_min_chars}+ characters")


@dataclass
class Sketch:
    """What near-duplicate detection keeps of a text: its 5-gram hashes and their MinHash values,
    the length of its reduced form and checksums of that form's first and last ANCHOR_CHARS
    (`opening`, `ending`: one int each, as the sketch is pickled once per text).

    Plain values, so a sketch made in a worker process travels cheaply (a
    pickled LeanMinHash cost 4x as much); `minhash` rebuilds the object.
    """

    hashes: np.ndarray
    signature: np.ndarray
    length: int
    opening: int
    ending: int

    @classmethod
    def of(cls, text: str) -> "Sketch":
        form = near_duplicate_form(text)
        hashes = _hashes_of_form(form)
        minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS, scheme="affine32", hashfunc=int)
        minhash.update_batch(hashes.tolist())
        opening, ending = zlib.crc32(form[:ANCHOR_CHARS].encode()), zlib.crc32(form[-ANCHOR_CHARS:].encode())
        return cls(hashes, minhash.hashvalues, len(form), opening, ending)

    @functools.cached_property
    def minhash(self) -> LeanMinHash:
        return LeanMinHash(seed=SEED, hashvalues=self.signature, scheme="affine32")


class NearDuplicateIndex:
    """Texts added so far (by key and sketch); `similar` finds those that meet the rule.

    Candidates come from two places, and the rule decides each exactly: MinHash
    LSH at the rule's Jaccard threshold (lowered by `recall_margin`, for more
    recall at the price of more exact comparisons), and, for texts long enough
    for containment, the texts whose reduced form starts or ends the same way
    (ANCHOR_CHARS): that is how a call to action appended, or a greeting
    prepended, shows. An LSH low enough for containment pairs (Jaccard 0.5)
    proposed 40,000 times as many candidates on brand-like posts.
    """

    def __init__(self, rule: NearDuplicateRule, recall_margin: float = 0.0):
        self.rule = rule
        self._lsh = MinHashLSH(threshold=max(0.05, rule.threshold - recall_margin), num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        self._hashes: dict[Hashable, np.ndarray] = {}
        self._min_chars = rule.containment_min_chars
        # opening / ending checksum -> the key of the first text with it, or a list of the first
        # ANCHOR_BUCKET_LIMIT: most texts open and close their own way, so lists are rare
        self._by_opening: dict[int, Any] = {}
        self._by_ending: dict[int, Any] = {}

    def similar(self, sketch: Sketch) -> list[tuple[Hashable, float]]:
        """Every added text that meets the rule, with its score."""
        candidates = self._lsh.query(sketch.minhash)
        if sketch.length >= self._min_chars:
            for found in (self._by_opening.get(sketch.opening), self._by_ending.get(sketch.ending)):
                if found is not None:
                    candidates = candidates + [key for key in (found if type(found) is list else [found]) if key not in candidates]
        matches = []
        for key in candidates:
            similarity = self.rule.similarity(sketch.hashes, self._hashes[key])
            if similarity is not None:
                matches.append((key, similarity))
        return matches

    def add(self, key: Hashable, sketch: Sketch) -> None:
        self._lsh.insert(key, sketch.minhash, check_duplication=False)
        self._hashes[key] = sketch.hashes
        if sketch.length >= self._min_chars:
            for by_anchor, anchor in ((self._by_opening, sketch.opening), (self._by_ending, sketch.ending)):
                first = by_anchor.setdefault(anchor, key)
                if first is not key:
                    if type(first) is not list:
                        by_anchor[anchor] = first = [first]
                    if len(first) < ANCHOR_BUCKET_LIMIT:
                        first.append(key)


# Stages 3 and 6 check stage 2's work independently: their candidate threshold is 0.1
# lower, so a pair exactly at a 0.8 threshold is a candidate with probability 0.99
# (stage 2: 0.88), at the price of more candidates to compare exactly.
CHECK_RECALL_MARGIN = 0.1


def similar_pairs(texts: dict[Hashable, str], rule: NearDuplicateRule) -> list[tuple[Hashable, Hashable, float]]:
    """All pairs of texts that meet the rule, exact duplicates (similarity 1.0) included (stage 3)."""
    index = NearDuplicateIndex(rule, CHECK_RECALL_MARGIN)
    pairs = []
    by_exact: dict[str, Hashable] = {}
    for key, text in texts.items():
        same_text_as = by_exact.setdefault(exact_key(text), key)
        if same_text_as != key:
            pairs.append((same_text_as, key, 1.0))
        sketch = Sketch.of(text)
        pairs += [(other, key, similarity) for other, similarity in index.similar(sketch) if other != same_text_as]
        index.add(key, sketch)
    return pairs


def duplicates_in(queries: list[str], corpus: list[str], rule: NearDuplicateRule) -> list[Optional[dict]]:
    """For each query text, its exact or nearest duplicate in the corpus (or None) (stage 6):
    {"corpus_index", "kind" ("exact" | "near"), "similarity"}; ties go to the earlier corpus text."""
    index = NearDuplicateIndex(rule, CHECK_RECALL_MARGIN)
    exact: dict[str, int] = {}
    for number, text in enumerate(corpus):
        exact.setdefault(exact_key(text), number)
        index.add(number, Sketch.of(text))
    found: list[Optional[dict]] = []
    for text in queries:
        if exact_key(text) in exact:
            found.append({"corpus_index": exact[exact_key(text)], "kind": "exact", "similarity": 1.0})
            continue
        similar = index.similar(Sketch.of(text))
        if not similar:
            found.append(None)
            continue
        number, similarity = min(similar, key=lambda pair: (-pair[1], pair[0]))
        found.append({"corpus_index": number, "kind": "near", "similarity": round(similarity, 4)})
    return found
