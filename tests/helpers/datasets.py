"""Stage 3's output made directly, for tests of the stages after it."""

from __future__ import annotations

import time
from pathlib import Path

from tests.helpers.paths import REPO


def save_dataset(folder: Path, train_texts: list[str], test_texts: list[str], config=None, messages: bool = True) -> Path:
    """Save texts as stage 3 would: DatasetDict(train, test) with the contract's columns, plus manifest.json
    (`messages=False`: as a stage 3 from before the writing requests saved them)."""
    from datasets import Dataset, DatasetDict, Features, Value

    from brandtone import manifest
    from brandtone.config import load_config
    from brandtone.dataset.requests import build_requests
    from brandtone.textformat import conversation

    config = config or load_config(REPO / "config.yaml")
    texts = train_texts + test_texts
    docs = [{"id": str(i), "text": text, "source": "instagram"} for i, text in enumerate(texts)]
    requests = build_requests(
        docs, seed=config.dataset.seed, max_shared_words=config.dataset.request_max_shared_words, brand_name="Nukkar Chai Co."
    ).by_id

    def split(texts: list[str], offset: int) -> Dataset:
        dataset = Dataset.from_dict(
            {  # the features keep an empty split's column types
                "text": texts,
                "source": ["instagram"] * len(texts),
                "url": [f"https://www.instagram.com/p/{offset + i}/" for i in range(len(texts))],
                "date": ["2026-11-01"] * len(texts),
                "lang": ["mixed"] * len(texts),
                "cluster": list(range(offset, offset + len(texts))),
                "messages": [conversation(requests[str(offset + i)], text) for i, text in enumerate(texts)],  # typed by FEATURES when empty
            },
            features=FEATURES,
        )
        return dataset if messages else dataset.remove_columns("messages")

    FEATURES = Features(
        {name: Value("int64" if name == "cluster" else "string") for name in ("text", "source", "url", "date", "lang", "cluster")}
    )
    FEATURES["messages"] = [{"role": Value("string"), "content": Value("string")}]

    folder = Path(folder)
    DatasetDict({"train": split(train_texts, 0), "test": split(test_texts, len(train_texts))}).save_to_disk(str(folder))
    manifest.write_manifest(
        folder,
        manifest.build_manifest(
            stage="dataset",
            config=config,
            sections=("brand", "dataset"),
            inputs={},
            counts={"train": len(train_texts), "test": len(test_texts)},
            started_at=time.time(),
        ),
    )
    return folder
