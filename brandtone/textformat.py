"""The one text format used for training (stage 4), the dataset summary (stage 3)
and evaluation (stage 6), so the three can never drift apart.

A document is raw continuation text: the tokenizer's own leading special tokens
(Llama-2's `<s>`; none for SmolLM2), the text's tokens, then the end-of-text
token, so a trained model learns where a brand's post ends. Evaluation cuts the
same token sequence in two at a word boundary near the middle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


def leading_special_ids(tokenizer) -> list[int]:
    """Special tokens the tokenizer puts before any text (e.g. BOS), never end-of-text."""
    ids = tokenizer("", add_special_tokens=True)["input_ids"]
    return [i for i in ids if i != tokenizer.eos_token_id]


def text_ids(tokenizer, text: str) -> list[int]:
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def encode_document(tokenizer, text: str) -> list[int]:
    """Token ids of one training document: leading specials + text + end-of-text."""
    return leading_special_ids(tokenizer) + text_ids(tokenizer, text) + [tokenizer.eos_token_id]


def document_text(tokenizer, text: str) -> str:
    """The same document as a string, for tools that tokenise themselves."""
    prefix = tokenizer.bos_token if leading_special_ids(tokenizer) else ""
    return f"{prefix}{text}{tokenizer.eos_token}"


@dataclass(frozen=True)
class ContinuationSplit:
    """A held-out text cut in two: the model sees `prompt_ids`, is scored on `truth_ids`."""

    prompt_text: str
    truth_text: str
    prompt_ids: list[int]  # leading specials + first-half text tokens
    truth_ids: list[int]  # second-half text tokens (no end-of-text)


def split_for_continuation(tokenizer, text: str, min_tokens: int) -> Optional[ContinuationSplit]:
    """Cut `text` at the word boundary nearest to half its token length.

    Returns None for texts shorter than `min_tokens` tokens or with no word
    boundary to cut at. Both halves come from one tokenisation of the whole
    text, so prompt + truth is exactly the document the model was trained on.
    """
    encoding = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, offsets = encoding["input_ids"], encoding["offset_mapping"]
    if len(ids) < max(min_tokens, 2):
        return None
    cuts = [k for k in range(1, len(ids)) if _starts_word(text, offsets[k][0])]
    if not cuts:
        return None
    middle = len(ids) / 2
    k = min(cuts, key=lambda cut: (abs(cut - middle), cut))
    char = offsets[k][0]
    return ContinuationSplit(
        prompt_text=text[:char],
        truth_text=text[char:],
        prompt_ids=leading_special_ids(tokenizer) + ids[:k],
        truth_ids=ids[k:],
    )


def _starts_word(text: str, char: int) -> bool:
    """A token starting at `char` begins a word if it or the character before is whitespace."""
    return 0 < char < len(text) and (text[char].isspace() or text[char - 1].isspace())


def conversation(request: str, answer: str) -> list[dict[str, str]]:
    """A writing request and its answer in Hugging Face's conversational format (stage 3's `messages` column)."""
    return [{"role": "user", "content": request}, {"role": "assistant", "content": answer}]
