"""An Ollama `Modelfile` for the GGUF file: the trained chat template as a Go TEMPLATE, and stops.

Ollama renders prompts with Go templates, not Jinja, so the merged folder's chat template (the one
stage 4 trained with) is translated by example rather than by parsing: conversations of marker
strings are rendered with `apply_chat_template`, and the pieces between the markers are what the
template writes around a system prompt, before the first request, before and after each user and
assistant message, and where generation starts. The Go template re-assembles those pieces; every
probe conversation is rendered both ways and must come out identical, or no Modelfile is written
(the stage says which conversation differed).

The GGUF file says whether a prompt starts with BOS; llama.cpp adds it, so a leading BOS that the
Jinja template writes itself is left out of the Go one (else the model would see it twice).
Ollama passes system messages as `.System` and, on the last assistant message, continues it
rather than closing it, so neither is rendered again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from brandtone import atomic
from brandtone.errors import StageError

SYSTEM, USER, ASSISTANT = "BRANDTONEMARKERSYSTEM", "BRANDTONEMARKERUSER", "BRANDTONEMARKERASSISTANT"


@dataclass(frozen=True)
class ChatPieces:
    """What the chat template writes around each message (found by rendering marker conversations)."""

    start: str  # before the first user message, no system prompt
    system_start: str | None  # before the system prompt (None: the template has no system prompt)
    system_end: str  # between the system prompt and the first user message
    user_start: str  # before every later user message
    user_end: str
    assistant_start: str
    assistant_end: str
    generation_start: str  # after the last user message, where the answer begins
    bos: str  # left to llama.cpp, which adds it to every prompt


def _render(tokenizer, messages: list[dict], generation: bool) -> str:
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation)


def _between(text: str, before: str | None, after: str | None) -> str:
    start = text.index(before) + len(before) if before else 0
    return text[start : text.index(after, start) if after else len(text)]


def _after_prefix(text: str, prefix: str, what: str) -> str:
    if not text.startswith(prefix):
        raise ValueError(what)
    return text[len(prefix) :]


def chat_pieces(tokenizer, adds_bos: bool) -> ChatPieces:
    from jinja2 import TemplateError

    user, assistant = {"role": "user", "content": USER + "1"}, {"role": "assistant", "content": ASSISTANT + "1"}
    user2 = {"role": "user", "content": USER + "2"}
    one_turn = _render(tokenizer, [user, assistant], False)
    user_end = _between(_render(tokenizer, [user], False), USER + "1", None)
    generation = _render(tokenizer, [user], True)
    later = _render(tokenizer, [user, assistant, user2], True)
    assistant_end = _between(one_turn, ASSISTANT + "1", None)
    try:
        with_system = _render(tokenizer, [{"role": "system", "content": SYSTEM}, user], True)
    except (TemplateError, ValueError, TypeError, KeyError):
        with_system = ""
    bos = tokenizer.bos_token if adds_bos and tokenizer.bos_token and generation.startswith(tokenizer.bos_token) else ""
    start = _between(generation, None, USER + "1")
    system_start = _between(with_system, None, SYSTEM) if SYSTEM in with_system else None
    return ChatPieces(
        start=start[len(bos) :],
        system_start=system_start[len(bos) :] if system_start is not None and system_start.startswith(bos) else system_start,
        system_end=_between(with_system, SYSTEM, USER + "1") if system_start is not None else "",
        user_start=_after_prefix(_between(later, ASSISTANT + "1", USER + "2"), assistant_end, "assistant end"),
        user_end=user_end,
        assistant_start=_after_prefix(_between(one_turn, USER + "1", ASSISTANT + "1"), user_end, "user end"),
        assistant_end=assistant_end,
        generation_start=_after_prefix(_between(generation, USER + "1", None), user_end, "generation prompt"),
        bos=bos,
    )


def go_template(pieces: ChatPieces) -> str:
    """The Ollama TEMPLATE: one line, so Go's whitespace rules never touch the pieces."""
    p = pieces
    system = (
        f"{{{{ if .System }}}}{p.system_start}{{{{ .System }}}}{p.system_end}{{{{ else }}}}{p.start}{{{{ end }}}}"
        if p.system_start is not None
        else p.start
    )
    return (
        "{{ $first := true }}" + system + "{{ range $i, $m := .Messages }}"
        "{{ $last := eq (len (slice $.Messages $i)) 1 }}"
        f'{{{{ if eq .Role "user" }}}}{{{{ if not $first }}}}{p.user_start}{{{{ end }}}}{{{{ $first = false }}}}'
        f"{{{{ .Content }}}}{p.user_end}{{{{ if $last }}}}{p.generation_start}{{{{ end }}}}"
        f'{{{{ else if eq .Role "assistant" }}}}{p.assistant_start}{{{{ .Content }}}}{{{{ if not $last }}}}{p.assistant_end}{{{{ end }}}}'
        "{{ end }}{{ end }}"
    )


PROBES = [  # (system prompt or None, messages): each must render the same through Jinja and the Go pieces
    (None, [("user", "Write a caption for our monsoon pakora offer")]),
    ("You write for Nukkar Chai Co.", [("user", "A post about the new Gulberg branch")]),
    (None, [("user", "First request"), ("assistant", "First answer"), ("user", "Second request")]),
    (None, [("user", "One"), ("assistant", "Two"), ("user", "Three"), ("assistant", "Four"), ("user", "Five")]),
    ("Be brief.", [("user", "One"), ("assistant", "Two"), ("user", "Three"), ("assistant", "Four"), ("user", "Five")]),
]


def render_like_ollama(pieces: ChatPieces, system: str | None, messages: list[tuple[str, str]]) -> str:
    """What the Go template renders for a conversation ending with a user message (BOS included)."""
    p = pieces
    parts = [p.bos, p.system_start + system + p.system_end if system and p.system_start is not None else p.start]
    for index, (role, content) in enumerate(messages):
        last = index == len(messages) - 1
        if role == "user":
            parts += [p.user_start if index else "", content, p.user_end, p.generation_start if last else ""]
        else:
            parts += [p.assistant_start, content, "" if last else p.assistant_end]
    return "".join(parts)


def _checked(tokenizer, pieces: ChatPieces, folder: Path, log) -> ChatPieces:
    """The pieces, once every probe renders alike; without the system part when only that differs."""
    for with_system in (False, True):
        for system, messages in PROBES:
            if bool(system) != with_system:
                continue
            conversation = ([{"role": "system", "content": system}] if system else []) + [{"role": r, "content": c} for r, c in messages]
            if pieces.system_start is not None or not system:
                if render_like_ollama(pieces, system, messages) == _render(tokenizer, conversation, True):
                    continue
            if with_system:  # a template that cannot take a system prompt still serves requests
                log.warning("the chat template in %s has no system prompt Ollama can fill: the Modelfile ignores SYSTEM", folder)
                return replace(pieces, system_start=None, system_end="")
            raise StageError(
                f"merge.gguf: the chat template in {folder} renders {conversation} in a way no Ollama TEMPLATE"
                " reproduces: set merge.gguf=null, or write the Modelfile by hand"
            )
    return pieces


def template_pieces(tokenizer, folder: Path, log) -> ChatPieces:
    """The chat template's pieces, checked on every probe conversation, or StageError naming what differs."""
    from brandtone.merge.gguf import adds_bos

    if not getattr(tokenizer, "chat_template", None):
        raise StageError(f"merge.gguf: the tokenizer in {folder} has no chat template to write as an Ollama TEMPLATE")
    try:
        pieces = chat_pieces(tokenizer, adds_bos(tokenizer))
    except ValueError as exc:
        raise StageError(
            f"merge.gguf: the chat template in {folder} does not write each message between fixed strings ({exc}),"
            " so no Ollama TEMPLATE reproduces it: set merge.gguf=null, or write the Modelfile by hand"
        ) from None
    return _checked(tokenizer, pieces, folder, log)


def write_modelfile(folder: Path, gguf_file: str, tokenizer, log) -> Path:
    """`folder`/Modelfile pointing at the GGUF file beside it, or StageError when the template cannot be matched."""
    from brandtone.textformat import end_ids

    pieces = template_pieces(tokenizer, folder, log)
    template = go_template(pieces)
    stops = [tokenizer.convert_ids_to_tokens(index) for index in end_ids(tokenizer)]
    if '"""' in template or any(mark in piece for mark in ("{{", "}}") for piece in vars(pieces).values() if piece):
        raise StageError(f"merge.gguf: the chat template in {folder} writes '{{{{', '}}}}' or '\"\"\"', which a Modelfile cannot quote")
    text = "\n".join(
        [
            "# written by brandtone's 05_merge.py; load into Ollama with: ollama create <name> -f Modelfile",
            f"FROM ./{gguf_file}",
            f'TEMPLATE """{template}"""',
            *[f"PARAMETER stop {json.dumps(stop)}" for stop in stops],
            "",
        ]
    )
    path = Path(folder) / "Modelfile"
    atomic.write_text(path, text)
    log.info("Modelfile written: %s (stops %s)", path, ", ".join(stops))
    return path
