"""Stage 3's train and test splits as stages 4, 5 and 6 read them back."""

from __future__ import annotations

from pathlib import Path

from brandtone.errors import StageError
from brandtone.manifest import read_manifest

SPLITS = ("train", "test")


CHAT_COLUMNS = ("text", "messages")  # what chat training (stage 4) and the writing test (stage 6) need


def load_splits(dataset_dir: Path, columns: tuple[str, ...] = ("text",)) -> dict:
    """Stage 3's `train` and `test` splits; a StageError naming what to do when they are missing, empty,
    or lack one of `columns` (`load_splits(folder, CHAT_COLUMNS)` for the `messages` requests)."""
    from datasets import Dataset

    dataset_dir = Path(dataset_dir)
    read_manifest(dataset_dir, produced_by="dataset")  # "run 03_build_dataset.py first" when missing
    splits = {}
    for split in SPLITS:
        folder = dataset_dir / split
        if not (folder / "state.json").is_file():
            raise StageError(f"{dataset_dir} has no '{split}' split (no {folder}/state.json): rerun 03_build_dataset.py")
        try:
            dataset = Dataset.load_from_disk(str(folder))
        except IndexError:  # datasets cannot load a split saved with no rows
            dataset = None
        except (OSError, ValueError) as exc:
            raise StageError(f"{folder} is not a readable dataset split ({exc}): rerun 03_build_dataset.py") from None
        missing = [column for column in columns if dataset is not None and column not in dataset.column_names]
        if missing:
            raise StageError(f"{folder} has no '{missing[0]}' column (an older stage 3 made it): rerun 03_build_dataset.py")
        if dataset is None or not any(text.strip() for text in dataset["text"]):
            raise StageError(
                f"{dataset_dir} split '{split}' is empty: no texts to {'train on' if split == 'train' else 'evaluate on'};"
                " check the brand sources in config.yaml and rerun 01_scrape.py to 03_build_dataset.py"
            )
        splits[split] = dataset
    return splits


def carve_validation(train, share: float, seed: int) -> tuple:
    """(train, validation): about `share` of the training rows held out to select a model on, whole duplicate
    groups (stage 3's `cluster` column) at a time, so no near-copy of a validation text stays in training.
    Seeded; at least one group goes each way. Stage 6's test split is never used for selection."""
    from collections import Counter

    import numpy as np

    groups = list(train["cluster"]) if "cluster" in train.column_names else list(range(len(train)))
    sizes = Counter(groups)
    order = np.random.default_rng(seed).permutation(sorted(sizes))
    held, count = set(), 0
    for group in order.tolist()[:-1]:  # the last group always stays in training
        if held and count >= share * len(groups):
            break
        held.add(group)
        count += sizes[group]
    validation = [i for i, g in enumerate(groups) if g in held]
    kept = [i for i, g in enumerate(groups) if g not in held]
    return train.select(kept), train.select(validation)
