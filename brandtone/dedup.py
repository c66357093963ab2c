"""Exact and near-duplicate detection, shared by stage 2 (clustering) and stage 3 (leakage check).

Near-duplicates are found with MinHash over character 5-grams of a reduced
form of the text: lower case, hashtags, @mentions, punctuation and emoji
removed. Reposts differ from the original by exactly those things ("!!",
"Link in bio", two more hashtags, another emoji); with word trigrams of the
full text such a pair scored a Jaccard of 0.48, on the reduced form 1.0.
"""

from __future__ import annotations

import re
import zlib
from typing import Hashable, Iterable, Optional

from datasketch import MinHash, MinHashLSH

SHINGLE_CHARS = 5
NUM_PERM = 128
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1).permutations  # shared by every sketch

_TAGS = re.compile(r"[#@][^\s#@]+")
_NOT_WORD = re.compile(r"[\W_]+")


def exact_key(text: str) -> str:
    """Texts with the same key are exact duplicates: case and spacing do not count."""
    return " ".join(text.split()).casefold()


def near_duplicate_form(text: str) -> str:
    """The text as near-duplicate detection sees it: words only, lower case, single spaces."""
    return " ".join(_NOT_WORD.sub(" ", _TAGS.sub(" ", text.casefold())).split())


def shingles(text: str) -> set[str]:
    """Character 5-grams of the reduced form (the whole form when shorter)."""
    form = near_duplicate_form(text)
    if len(form) <= SHINGLE_CHARS:
        return {form} if form else set()
    return {form[i : i + SHINGLE_CHARS] for i in range(len(form) - SHINGLE_CHARS + 1)}


def _crc32(shingle: str) -> int:
    return zlib.crc32(shingle.encode("utf-8"))


def minhash(shingle_set: Iterable[str]) -> MinHash:
    """A MinHash with fixed permutations and a deterministic hash, so runs are reproducible."""
    sketch = MinHash(num_perm=NUM_PERM, permutations=_PERMUTATIONS, scheme="affine32", hashfunc=_crc32)
    sketch.update_batch(shingle_set)
    return sketch


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


class NearDuplicateIndex:
    """MinHashLSH over representatives: `match` returns the most similar one at or above the threshold.

    Keys must be comparable (ties go to the smaller key, i.e. the one added first).

    Candidates from the LSH bands are confirmed with the MinHash Jaccard
    estimate, so a doc joins a representative only when the two really are
    that similar; the representative kept is whichever was added first.
    """

    def __init__(self, threshold: float):
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sketches: dict[Hashable, MinHash] = {}

    def match(self, sketch: MinHash) -> Optional[tuple[Hashable, float]]:
        best = None
        for key in self._lsh.query(sketch):
            similarity = sketch.jaccard(self._sketches[key])
            if similarity >= self.threshold and (best is None or similarity > best[1] or (similarity == best[1] and key < best[0])):
                best = (key, similarity)
        return best

    def add(self, key: Hashable, sketch: MinHash) -> None:
        self._lsh.insert(key, sketch)
        self._sketches[key] = sketch


def similar_pairs(texts: dict[Hashable, str], threshold: float, candidate_threshold: float = 0.5) -> list[tuple[Hashable, Hashable, float]]:
    """All pairs of texts whose exact shingle Jaccard is >= threshold.

    An independent check of stage 2's clustering: candidates come from an LSH
    at a lower threshold (so borderline pairs are not missed), and each is
    confirmed with the exact Jaccard of the shingle sets, not an estimate.
    Exact duplicates (same `exact_key`) are pairs with similarity 1.0.
    """
    shingle_sets = {key: shingles(text) for key, text in texts.items()}
    lsh = MinHashLSH(threshold=min(candidate_threshold, threshold), num_perm=NUM_PERM)
    sketches = {}
    pairs, seen = [], set()
    by_exact: dict[str, Hashable] = {}
    for key, text in texts.items():
        first = by_exact.setdefault(exact_key(text), key)
        if first != key:
            pairs.append((first, key, 1.0))
            seen.add((first, key))
        sketches[key] = minhash(shingle_sets[key])
        for other in lsh.query(sketches[key]):
            if (other, key) in seen:
                continue
            similarity = jaccard(shingle_sets[key], shingle_sets[other])
            if similarity >= threshold:
                pairs.append((other, key, similarity))
                seen.add((other, key))
        lsh.insert(key, sketches[key])
    return pairs
