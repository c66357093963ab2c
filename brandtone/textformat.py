"""The one text format used for training (stage 4), the dataset summary (stage 3)
and evaluation (stage 6), so the three can never drift apart.

A document is raw continuation text: the tokenizer's own leading special tokens
(Llama-2's `<s>`, Llama-3's `<|begin_of_text|>`; none for SmolLM2), the text's
tokens, then the end-of-text token, so a trained model learns where a brand's
post ends. Evaluation cuts the same token sequence in two at a word boundary
near the middle.

Two tokens can end a sequence, and an Instruct model's `eos_token` is often the
wrong one for raw text: end-of-text ends a document (Llama-3's `<|end_of_text|>`,
SmolLM2's and Qwen's `<|endoftext|>`, Llama-2's `</s>`), end-of-turn ends an
assistant's message in the chat template (Llama-3's `<|eot_id|>`, ChatML's
`<|im_end|>`; Llama-2 ends turns with `</s>` too). Continuation text ends with
end-of-text; `end_of_turn_id` is the end a chat format would use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

# Pre-training document separators by family, for tokenizers whose eos_token is the end of a chat turn:
# Llama-3, GPT-2 style (SmolLM, Qwen), Llama-2/Mistral, Gemma
END_OF_TEXT_TOKENS = ("<|end_of_text|>", "<|endoftext|>", "</s>", "<eos>")
_SENTINEL = "brandtone-end-of-turn-probe"


def special_token_ids(tokenizer) -> dict[str, int]:
    """Every special token the tokenizer defines (added tokens marked special), by text."""
    return {token.content: index for index, token in tokenizer.added_tokens_decoder.items() if token.special}


def end_of_text_id(tokenizer) -> int:
    """The token that ends a document: eos_token when it is an end-of-text token, else the
    family's end-of-text among the special tokens (an Instruct tokenizer's eos_token is
    often its end-of-turn), else eos_token."""
    specials = special_token_ids(tokenizer)
    if tokenizer.eos_token in END_OF_TEXT_TOKENS:
        return tokenizer.eos_token_id
    return next((specials[name] for name in END_OF_TEXT_TOKENS if name in specials), tokenizer.eos_token_id)


def end_of_turn_id(tokenizer) -> int:
    """The token the chat template puts right after an assistant's message; end-of-text
    when the tokenizer has no chat template (or one that cannot render a plain exchange)."""
    from jinja2 import TemplateError

    if not getattr(tokenizer, "chat_template", None):
        return end_of_text_id(tokenizer)
    exchange = [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": _SENTINEL}]
    try:
        rendered = tokenizer.apply_chat_template(exchange, tokenize=False)
    except (TemplateError, ValueError, TypeError, KeyError):
        return end_of_text_id(tokenizer)
    after = rendered[rendered.rindex(_SENTINEL) + len(_SENTINEL):] if _SENTINEL in rendered else ""
    found = [(after.find(name), index) for name, index in special_token_ids(tokenizer).items() if name in after]
    return min(found)[1] if found else end_of_text_id(tokenizer)


def end_ids(tokenizer) -> list[int]:
    """End-of-text, then end-of-turn when it differs: where a served model should stop generating."""
    ends = [end_of_text_id(tokenizer), end_of_turn_id(tokenizer)]
    return ends[:1] if ends[0] == ends[1] else ends


def leading_special_ids(tokenizer) -> list[int]:
    """Special tokens the tokenizer puts before any text (e.g. BOS), never an end token."""
    ids = tokenizer("", add_special_tokens=True)["input_ids"]
    ends = {tokenizer.eos_token_id, end_of_text_id(tokenizer)}
    return [i for i in ids if i not in ends]


def text_ids(tokenizer, text: str) -> list[int]:
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def encode_document(tokenizer, text: str) -> list[int]:
    """Token ids of one training document: leading specials + text + end-of-text."""
    return leading_special_ids(tokenizer) + text_ids(tokenizer, text) + [end_of_text_id(tokenizer)]


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
