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

A writing request and its answer (the chat format) are rendered with the base
model's own chat template (`apply_chat_template`), or, for a tokenizer without
one, with `PLAIN_CHAT_TEMPLATE`, which stage 4 then saves with the adapter so
stages 5 and 6 and every user render exactly what training saw. Training tokens
are the generation prompt's tokens, exactly as `chat_prompt_ids` gives them at
generation time, followed by the answer through its end-of-turn token; only the
answer and that end-of-turn are in the loss (`ChatExample.answer_mask`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from brandtone.errors import StageError

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
    after = rendered[rendered.rindex(_SENTINEL) + len(_SENTINEL) :] if _SENTINEL in rendered else ""
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
        prompt_text=text[:char], truth_text=text[char:], prompt_ids=leading_special_ids(tokenizer) + ids[:k], truth_ids=ids[k:]
    )


def _starts_word(text: str, char: int) -> bool:
    """A token starting at `char` begins a word if it or the character before is whitespace."""
    return 0 < char < len(text) and (text[char].isspace() or text[char - 1].isspace())


def conversation(request: str, answer: str) -> list[dict[str, str]]:
    """A writing request and its answer in Hugging Face's conversational format (stage 3's `messages` column)."""
    return [{"role": "user", "content": request}, {"role": "assistant", "content": answer}]


def request_and_answer(messages, where: str) -> tuple[str, str]:
    """The request and the answer of one `messages` row (the inverse of `conversation`); a StageError
    naming `where` and saying to rerun stage 3 when the row is not a user request and an assistant answer."""
    by_role = {message.get("role"): message.get("content") or "" for message in messages or []}
    if not by_role.get("user", "").strip() or "assistant" not in by_role:
        raise StageError(f"{where}: its messages column has no user request and assistant answer: rerun 03_build_dataset.py")
    return by_role["user"], by_role["assistant"]


# For a base model without a chat template: a request and its answer under two plain headings,
# the answer closed by eos_token. `use_chat_template` prepends the BOS token when the
# tokenizer starts every text with one, so chat text starts the way continuation text does.
PLAIN_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}{{ message['content'] }}\n\n"
    "{% elif message['role'] == 'user' %}### Request:\n{{ message['content'] }}\n\n"
    "{% else %}### Response:\n{{ message['content'] }}{{ eos_token }}\n\n{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}### Response:\n{% endif %}"
)


class ChatFormatError(StageError):
    """A chat template that cannot render a request and its answer the way training needs."""


def use_chat_template(tokenizer) -> Optional[str]:
    """Give a tokenizer without a chat template the plain one (returned); None when it has its own.

    The plain template closes each answer with eos_token, which every stage's generation stops at
    (`end_ids`), so `end_of_turn_id` of the tokenizer is then its eos_token."""
    if getattr(tokenizer, "chat_template", None):
        return None
    bos = "{{ bos_token }}" if tokenizer.bos_token and tokenizer.bos_token_id in leading_special_ids(tokenizer) else ""
    tokenizer.chat_template = bos + PLAIN_CHAT_TEMPLATE
    return tokenizer.chat_template


def chat_prompt_text(tokenizer, request: str, examples: Sequence[tuple[str, str]] = ()) -> str:
    """What the model reads before it writes an answer to `request` (the template's generation prompt);
    `examples`, earlier (request, answer) exchanges, come before it (stage 6's prompted baseline)."""
    earlier = [message for example_request, answer in examples for message in conversation(example_request, answer)]
    return _render(tokenizer, earlier + conversation(request, "")[:1], generation=True)


def chat_prompt_ids(tokenizer, request: str, examples: Sequence[tuple[str, str]] = ()) -> list[int]:
    """Token ids of the generation prompt for `request` (after `examples`): what stages 4 and 6 and a user's model see."""
    return text_ids(tokenizer, chat_prompt_text(tokenizer, request, examples))


@dataclass(frozen=True)
class ChatExample:
    """One request and its answer as training tokens: `ids` = prompt tokens + answer tokens + end-of-turn."""

    ids: list[int]
    answer_mask: list[bool]  # True for the answer's tokens and the end-of-turn after them: the loss

    @property
    def prompt_ids(self) -> list[int]:
        return self.ids[: self.answer_mask.index(True)]

    @property
    def answer_ids(self) -> list[int]:
        return self.ids[self.answer_mask.index(True) :]


def encode_chat(tokenizer, request: str, answer: str) -> ChatExample:
    """Tokens of one request/answer pair rendered by the chat template, with the answer's loss mask.

    The prompt is tokenised alone, exactly as `chat_prompt_ids` does at generation time; the rest of
    the rendered conversation is cut after the first end-of-turn token that follows the answer (a
    template's text after it, such as a newline, is never generated, so never trained)."""
    prompt = chat_prompt_text(tokenizer, request)
    rendered = _render(tokenizer, conversation(request, answer), generation=False)
    if not rendered.startswith(prompt) or answer not in rendered[len(prompt) :]:
        raise ChatFormatError(_template_problem(tokenizer, "does not write the answer right after its generation prompt"))
    prompt_ids = text_ids(tokenizer, prompt)
    rest = text_ids(tokenizer, rendered[len(prompt) :])
    end = end_of_turn_id(tokenizer)
    answer_length = len(text_ids(tokenizer, answer))
    try:
        stop = rest.index(end, max(answer_length - 1, 0)) + 1
    except ValueError:
        raise ChatFormatError(
            _template_problem(tokenizer, f"writes no end-of-turn token ({tokenizer.convert_ids_to_tokens(end)}) after an answer")
        ) from None
    return ChatExample(ids=prompt_ids + rest[:stop], answer_mask=[False] * len(prompt_ids) + [True] * stop)


def check_chat_template(tokenizer) -> None:
    """ChatFormatError naming the model and the way out, unless the template renders a request and its answer."""
    encode_chat(tokenizer, "Write a short post about our new tea.", "Our new tea is here.")


def _render(tokenizer, messages: list[dict], generation: bool) -> str:
    from jinja2 import TemplateError

    try:
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation)
    except (TemplateError, ValueError, TypeError, KeyError) as exc:
        raise ChatFormatError(_template_problem(tokenizer, f"cannot render a user/assistant pair ({exc})")) from None


def _template_problem(tokenizer, what: str) -> str:
    name = getattr(tokenizer, "name_or_path", "") or "the model"
    return f"the chat template of {name} {what}: train without chat examples (finetune.formats=[continuation]) or use a model whose template can"


def chunk_document(ids: list[int], prefix: list[int], max_length: int) -> list[list[int]]:
    """Cut one encoded document into rows of at most `max_length` tokens.

    `ids` starts with `prefix` (the leading specials); later chunks get the
    prefix again. Chunks are of near-equal length, so no chunk is a stub of a
    few tokens (a lone end-of-text would teach the model nothing).
    """
    if len(ids) <= max_length:
        return [ids]
    body = ids[len(prefix) :]
    count = -(-len(body) // (max_length - len(prefix)))
    bounds = [round(i * len(body) / count) for i in range(count + 1)]
    return [prefix + body[start:end] for start, end in zip(bounds, bounds[1:])]
