"""Exact and near-duplicate detection, shared by stage 2 (clustering) and stage 3 (leakage check).

Two texts are near-duplicates when the Jaccard similarity of their character
5-grams is at least the threshold, computed on a reduced form of the text:
lower case, hashtags, @mentions, punctuation and emoji removed. Reposts differ
from the original by exactly those things ("!!", "Link in bio", two more
hashtags, another emoji); with word trigrams of the full text such a pair
scored a Jaccard of 0.48, on the reduced form 1.0.

datasketch's MinHash LSH finds the candidate pairs without comparing every
pair; each candidate is then confirmed with the exact Jaccard of the two
5-gram sets, so the decision itself is exact and reproducible.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Hashable, Optional

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
    codes = np.frombuffer(near_duplicate_form(text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
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


@dataclass
class Sketch:
    """What near-duplicate detection keeps of a text: its 5-gram hashes and their MinHash values.

    Plain arrays, so a sketch made in a worker process travels cheaply (a
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


class NearDuplicateIndex:
    """Texts added so far (by key and sketch); `similar` finds those at or above the threshold."""

    def __init__(self, threshold: float, candidate_threshold: Optional[float] = None):
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=candidate_threshold or threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        self._hashes: dict[Hashable, np.ndarray] = {}

    def similar(self, sketch: Sketch) -> list[tuple[Hashable, float]]:
        """Every added text at or above the threshold, with its exact similarity."""
        found = []
        for key in self._lsh.query(sketch.minhash):
            similarity = jaccard(sketch.hashes, self._hashes[key])
            if similarity >= self.threshold:
                found.append((key, similarity))
        return found

    def add(self, key: Hashable, sketch: Sketch) -> None:
        self._lsh.insert(key, sketch.minhash, check_duplication=False)
        self._hashes[key] = sketch.hashes


def similar_pairs(texts: dict[Hashable, str], threshold: float) -> list[tuple[Hashable, Hashable, float]]:
    """All pairs of texts at or above the threshold, exact duplicates (similarity 1.0) included.

    Stage 3's independent check of stage 2's clustering: its LSH bands are
    tuned for a threshold 0.1 lower, so a pair exactly at a 0.8 threshold is a
    candidate with probability 0.99 (stage 2: 0.88), at the price of more
    candidates to compare exactly.
    """
    index = NearDuplicateIndex(threshold, candidate_threshold=threshold - 0.1)
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
