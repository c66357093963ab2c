"""Stage 4's training data: stage 3's splits, tokenised in the shared text format.

Every document becomes `encode_document` tokens (leading specials + text +
end-of-text), so the end-of-text token is a label the model learns to predict.
A document longer than `finetune.max_length` tokens is cut into consecutive
chunks; each later chunk starts with the tokenizer's leading specials again (the
model always sees a sequence start where it saw one in pre-training) and only
the last chunk ends with end-of-text. The result is an in-memory dataset with
one `input_ids` column, which TRL takes as already tokenised: it adds no second
end-of-text, pads with the pad token (never end-of-text) and leaves pads out of
the loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from brandtone.errors import StageError
from brandtone.manifest import read_manifest
from brandtone.textformat import encode_document, leading_special_ids

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


def chunk_document(ids: list[int], prefix: list[int], max_length: int) -> list[list[int]]:
    """Cut one encoded document into rows of at most `max_length` tokens.

    `ids` starts with `prefix` (the leading specials); later chunks get the
    prefix again. Chunks are of near-equal length, so no chunk is a stub of a
    few tokens (a lone end-of-text would teach the model nothing).
    """
    if len(ids) <= max_length:
        return [ids]
    body = ids[len(prefix):]
    count = -(-len(body) // (max_length - len(prefix)))
    bounds = [round(i * len(body) / count) for i in range(count + 1)]
    return [prefix + body[start:end] for start, end in zip(bounds, bounds[1:])]


@dataclass(frozen=True)
class TokenizedSplit:
    dataset: object  # datasets.Dataset with one column, input_ids
    documents: int
    rows: int
    tokens: int
    split_documents: int  # documents longer than max_length, cut into chunks


def tokenize_split(split, tokenizer, max_length: int) -> TokenizedSplit:
    """Encode every non-empty text of a split with `encode_document`, chunked to `max_length`."""
    from datasets import Dataset

    prefix = leading_special_ids(tokenizer)
    if max_length <= len(prefix) + 1:
        raise StageError(f"finetune.max_length={max_length} leaves no room for text: use at least 64")
    rows, documents, long_documents = [], 0, 0
    for text in split["text"]:
        if not text.strip():
            continue
        chunks = chunk_document(encode_document(tokenizer, text), prefix, max_length)
        documents += 1
        long_documents += len(chunks) > 1
        rows.extend(chunks)
    return TokenizedSplit(
        dataset=Dataset.from_dict({"input_ids": rows}),
        documents=documents,
        rows=len(rows),
        tokens=sum(len(row) for row in rows),
        split_documents=long_documents,
    )


def rows_per_epoch(split: TokenizedSplit, max_length: int, packing: bool) -> int:
    """The rows one epoch trains on: with packing, what TRL's best-fit-decreasing packing
    (SFTTrainer's own, the same call) makes of the chunks; without, one row per chunk."""
    if not packing:
        return split.rows
    from trl import pack_dataset

    return len(pack_dataset(split.dataset, max_length, "bfd"))
