"""Stage 3's leak-free train/test split: whole duplicate clusters go to one side.

Stage 2 keeps one representative per duplicate cluster. Before splitting,
stage 3 checks the kept documents again with the same rule (brandtone.dedup)
at a higher LSH recall, and merges any clusters that are still near-duplicates
of each other into one group, so no group can straddle the split. After the split, `leakage` verifies that no exact or near-duplicate
text sits on both sides.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Hashable, Optional

from brandtone.dedup import NearDuplicateRule, exact_key, similar_pairs


def group_documents(docs: list[dict], rule: NearDuplicateRule) -> tuple[dict[str, str], list[tuple[str, str, float]]]:
    """doc id -> group id (a cluster id; merged clusters take the smallest), and the similar pairs found."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    pairs = similar_pairs({doc["id"]: doc["text"] for doc in docs}, rule)
    cluster_of = {doc["id"]: doc["cluster"] for doc in docs}
    for doc in docs:
        find(doc["cluster"])
    for a, b, _ in pairs:
        union(cluster_of[a], cluster_of[b])
    return {doc["id"]: find(doc["cluster"]) for doc in docs}, pairs


def split_groups(docs: list[dict], group_of: dict[str, str], test_size: float, seed: int, stratify_by_source: bool) -> dict[str, str]:
    """doc id -> "train" | "test". Groups are shuffled with `seed`; round(test_size x groups)
    of them go to test, per source when stratified (a group's stratum is its first document's source)."""
    strata: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for doc in docs:
        group = group_of[doc["id"]]
        if group not in seen:
            seen.add(group)
            strata[doc["source"] if stratify_by_source else "all"].append(group)
    rng = random.Random(seed)
    test_groups: set[str] = set()
    for stratum in sorted(strata):
        groups = sorted(strata[stratum])
        rng.shuffle(groups)
        test_groups.update(groups[: int(len(groups) * test_size + 0.5)])
    all_groups = sorted(seen)
    if not test_groups:  # every stratum too small to give one: take one group overall
        test_groups = {rng.choice(all_groups)}
    if test_groups == set(all_groups):
        test_groups.discard(sorted(test_groups)[0])
    return {doc["id"]: "test" if group_of[doc["id"]] in test_groups else "train" for doc in docs}


def leakage(docs: list[dict], split_of: dict[str, str], pairs: list[tuple[Hashable, Hashable, float]]) -> dict:
    """Exact and near-duplicate texts found on both sides of the split (both must be zero)."""
    keys = {"train": set(), "test": set()}
    for doc in docs:
        keys[split_of[doc["id"]]].add(exact_key(doc["text"]))
    crossing = [(a, b, s) for a, b, s in pairs if split_of[a] != split_of[b]]
    return {
        "exact_texts_in_both_splits": len(keys["train"] & keys["test"]),
        "near_duplicate_pairs_across_splits": len(crossing),
        "examples": [{"a": a, "b": b, "similarity": round(s, 3)} for a, b, s in crossing[:5]],
    }


def percentiles(values: list[int], points=(50, 90, 95, 99)) -> Optional[dict]:
    if not values:
        return None
    ordered = sorted(values)

    def at(p: float) -> int:  # nearest-rank percentile: always a real document's length
        return ordered[min(len(ordered) - 1, max(0, -(-p * len(ordered) // 100) - 1))]

    return {
        "count": len(ordered),
        "min": ordered[0],
        **{f"p{p}": at(p) for p in points},
        "max": ordered[-1],
        "mean": round(sum(ordered) / len(ordered), 1),
    }
