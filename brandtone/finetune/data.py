"""Stage 4's training data: stage 3's splits, tokenised in the shared formats (brandtone.textformat).

`continuation`: every document becomes `encode_document` tokens (leading
specials + text + end-of-text), so the end-of-text token is a label the model
learns to predict. A document longer than `finetune.max_length` tokens is cut
into consecutive chunks; each later chunk starts with the tokenizer's leading
specials again (the model always sees a sequence start where it saw one in
pre-training) and only the last chunk ends with end-of-text. Every token but a
row's first is in the loss.

`chat`: every document's request and the document itself (stage 3's `messages`)
become `encode_chat` tokens; only the answer and its end-of-turn are labels. An
example longer than `max_length` is left out and counted: cut, its answer would
lose its request or its end.

The result is an in-memory dataset with `input_ids` and `labels` (-100 outside
the loss). TRL takes it as already tokenised and keeps a `labels` column as it
is: it adds no second end-of-text, packs `input_ids` and `labels` together
(best-fit decreasing keeps each row whole), restarts `position_ids` at every
example and sets each example's first label to -100 (padding-free collation),
or pads with the pad token (never end-of-text) and -100 labels without packing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Optional

from brandtone.config import ConfigError
from brandtone.errors import StageError
from brandtone.textformat import (
    ChatFormatError,
    check_chat_template,
    chunk_document,
    encode_chat,
    encode_document,
    leading_special_ids,
    request_and_answer,
    use_chat_template,
)

IGNORED = -100  # the label of a token outside the loss


def chat_template_for(tokenizer, formats) -> Optional[str]:
    """With chat in `formats`: give a tokenizer without a chat template the plain one (trainer.save_model
    then saves it with the adapter's tokenizer, for stages 5 and 6) and check that the template renders
    a request and its answer. Says which template it is, for the manifest; None without chat. A template
    that cannot render is a ConfigError: found before any weights load, and fixed in the config."""
    if "chat" not in formats:
        return None
    kind = "plain (brandtone.textformat.PLAIN_CHAT_TEMPLATE)" if use_chat_template(tokenizer) else "the model's own"
    try:
        check_chat_template(tokenizer)
    except ChatFormatError as exc:
        raise ConfigError(str(exc)) from None
    return kind


@dataclass(frozen=True)
class FormatCounts:
    examples: int  # rows trained on (continuation: chunks; chat: request/answer pairs)
    tokens: int
    left_out: int  # chat examples longer than max_length (continuation texts are cut into chunks instead)


@dataclass(frozen=True)
class TokenizedSplit:
    dataset: object  # datasets.Dataset with input_ids and labels
    documents: int  # non-empty texts of the split
    rows: int
    tokens: int
    split_documents: int  # documents longer than max_length, cut into chunks (continuation)
    by_format: dict[str, FormatCounts]

    def format_counts(self) -> dict[str, dict[str, int]]:
        return {name: vars(counts) for name, counts in self.by_format.items()}


def tokenize_split(split, tokenizer, max_length: int, formats=("continuation",)) -> TokenizedSplit:
    """Every non-empty text of a split in each of `formats`: `encode_document` chunked to `max_length`,
    and `encode_chat` of its `messages` (request, answer) when it fits in `max_length`."""
    from datasets import Dataset

    prefix = leading_special_ids(tokenizer)
    if max_length <= len(prefix) + 1:
        raise StageError(f"finetune.max_length={max_length} leaves no room for text: use at least 64")
    ids, labels, documents, long_documents = [], [], 0, 0
    counts = {name: {"examples": 0, "tokens": 0, "left_out": 0} for name in formats}
    messages = split["messages"] if "chat" in formats else None
    for index, text in enumerate(split["text"]):
        if not text.strip():
            continue
        documents += 1
        if "continuation" in formats:
            chunks = chunk_document(encode_document(tokenizer, text), prefix, max_length)
            long_documents += len(chunks) > 1
            ids.extend(chunks)
            labels.extend(chunks)
            _count(counts["continuation"], chunks)
        if "chat" in formats:
            where = f"row {index} of the {getattr(split, 'split', None) or 'dataset'} split"
            example = encode_chat(tokenizer, *request_and_answer(messages[index], where))
            if len(example.ids) > max_length:
                counts["chat"]["left_out"] += 1
                continue
            ids.append(example.ids)
            labels.append([token if in_loss else IGNORED for token, in_loss in zip(example.ids, example.answer_mask)])
            _count(counts["chat"], [example.ids])
    if "chat" in formats and counts["chat"]["left_out"] and not counts["chat"]["examples"]:
        raise StageError(f"every chat example is longer than finetune.max_length={max_length} tokens: raise finetune.max_length")
    return TokenizedSplit(
        dataset=Dataset.from_dict({"input_ids": ids, "labels": labels}),
        documents=documents,
        rows=len(ids),
        tokens=sum(len(row) for row in ids),
        split_documents=long_documents,
        by_format={name: FormatCounts(**values) for name, values in counts.items()},
    )


def _count(counts: dict[str, int], rows: list[list[int]]) -> None:
    counts["examples"] += len(rows)
    counts["tokens"] += sum(len(row) for row in rows)


def rows_per_epoch(split: TokenizedSplit, max_length: int, packing: bool) -> int:
    """The rows one epoch trains on: with packing, what TRL's best-fit-decreasing packing
    (SFTTrainer's own, the same call) makes of the chunks; without, one row per chunk."""
    if not packing:
        return split.rows
    from trl import pack_dataset

    return len(pack_dataset(split.dataset, max_length, "bfd"))


def pad_packed_batch(batch: dict, tokens: int, row_length: int, pad_id: int) -> tuple[dict, int]:
    """A padding-free packed batch (one row of concatenated examples, TRL's collator) padded to exactly
    `tokens` tokens, so that a compiled model sees one shape every step; returns it and the number of
    padding tokens. The padding is made of whole examples of at most `row_length` tokens (positions
    restart, text boundaries added), all outside the loss: each attends only to itself, and the real
    examples' attention and loss are what they were. `max_length_q/k` become `row_length`, an upper bound
    the attention kernel accepts, so that no per-batch number reaches the compiled code. New tensors are
    made where the batch is (the Trainer may already have moved it to the GPU), without reading it back."""
    import torch

    length = batch["input_ids"].shape[1]
    padding = tokens - length
    if padding < 0:
        raise ValueError(f"a packed batch of {length} tokens is longer than the {tokens} it is padded to")
    padded = dict(batch)
    if padding:
        offsets = torch.arange(padding, device=batch["position_ids"].device)
        padded["input_ids"] = torch.cat([batch["input_ids"], batch["input_ids"].new_full((1, padding), pad_id)], dim=1)
        padded["labels"] = torch.cat([batch["labels"], batch["labels"].new_full((1, padding), IGNORED)], dim=1)
        padded["position_ids"] = torch.cat([batch["position_ids"], (offsets % row_length).to(batch["position_ids"].dtype)[None]], dim=1)
        pieces = -(-padding // row_length)
        for key in ("cu_seq_lens_q", "cu_seq_lens_k"):
            if key == "cu_seq_lens_k" and batch[key] is batch["cu_seq_lens_q"]:
                padded[key] = padded["cu_seq_lens_q"]  # one tensor, as in the batch: dynamo guards on the aliasing
                continue
            ends = torch.arange(1, pieces + 1, device=batch[key].device, dtype=batch[key].dtype) * row_length + length
            ends[-1] = tokens  # the last piece holds what is left
            padded[key] = torch.cat([batch[key], ends])
        if "seq_idx" in batch:  # each example's index, from 0: the padding's pieces come after the batch's examples
            first = batch["cu_seq_lens_q"].shape[0] - 1
            padded["seq_idx"] = torch.cat([batch["seq_idx"], (first + offsets // row_length).to(batch["seq_idx"].dtype)[None]], dim=1)
    for key in ("max_length_q", "max_length_k"):
        if key in batch:
            padded[key] = row_length
    for key in ("cu_seq_lens_q", "cu_seq_lens_k"):
        # the number of texts varies from batch to batch: compile it as a dynamic size from the first step
        # rather than once static and again dynamic (each compilation of a 7B decoder layer costs seconds)
        torch._dynamo.maybe_mark_dynamic(padded[key], 0)
    return padded, padding


class BatchFingerprint:
    """sha256 of the token ids of every training batch, in order: the evidence that data-parallel
    processes trained on different data. A batch on a GPU is copied to pinned host memory without
    making the host wait for the device, and hashed at the next `flush` (or `hexdigest`)."""

    def __init__(self):
        self._digest = hashlib.sha256()
        self._copies: list = []  # (host tensor, CUDA event recorded after its copy), oldest first

    def add(self, ids) -> None:
        import torch

        if ids.device.type != "cuda":
            self._digest.update(ids.detach().cpu().numpy().tobytes())
            return
        host = torch.empty(ids.shape, dtype=ids.dtype, pin_memory=True)
        host.copy_(ids, non_blocking=True)
        copied = torch.cuda.Event()
        copied.record()
        self._copies.append((host, copied))

    def flush(self) -> None:
        for host, copied in self._copies:
            copied.synchronize()
            self._digest.update(host.numpy().tobytes())
        self._copies.clear()

    def hexdigest(self) -> str:
        self.flush()
        return self._digest.hexdigest()
