"""Reference floors: what copying training text, rather than modelling the brand, scores.

For every query (a first half, a writing request) a seeded random training text and the training
text nearest to the query by TF-IDF, each cut to that query's token limit. The half-split test and
the writing test both put them beside the models in their tables."""

from __future__ import annotations

from typing import Callable

import numpy as np

from brandtone.evaluate.metrics import TfidfIndex

COPY_FLOORS = ("random", "retrieval")


def empty_floor() -> dict:
    return {"texts": [], "lengths": [], "train_index": []}


def add_to_floor(floor: dict, tokenizer, ids: list[int], train_index) -> None:
    floor["texts"].append(tokenizer.decode(ids))
    floor["lengths"].append(len(ids))
    floor["train_index"].append(train_index)


def copy_floors(
    queries: list[str], limits: list[int], train_texts: list[str], train_ids: Callable[[int], list[int]], tokenizer, seed: int
) -> dict:
    """{"random": floor, "retrieval": floor}; `train_ids(i)` is the part of training text i a floor copies."""
    index, rng = TfidfIndex(train_texts), np.random.default_rng(seed)
    floors = {name: empty_floor() for name in COPY_FLOORS}
    for query, limit in zip(queries, limits):
        for name, pick in (("random", int(rng.integers(len(train_texts)))), ("retrieval", index.nearest(query))):
            add_to_floor(floors[name], tokenizer, train_ids(pick)[:limit] if pick is not None else [], pick)
    return floors
