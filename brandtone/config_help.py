"""What `--help` says about the config: every key of the sections a script reads, with its type and
default from the schema (brandtone.config_schema) and its description from the comments in `config.yaml`.

The comments in `config.yaml` are the one description of each key: users read them beside the values
they edit, and tests/test_config_help.py fails when a schema key has none. A key's description is its
trailing comment plus the comment-only lines indented under it:

    near_duplicate_threshold: 0.8          # Jaccard similarity of character 5-grams (hashtags, ...
                                           # and emoji ignored) at which two texts are one; 0.5 to 0.99
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from brandtone.config_schema import Config

REFERENCE_CONFIG = Path(__file__).resolve().parent.parent / "config.yaml"

_SECTION = re.compile(r"^([A-Za-z_]\w*):(.*)$")
_KEY = re.compile(r"^  ([A-Za-z_]\w*):(.*)$")
_COMMENT_ONLY = re.compile(r"^ {3,}#\s?(.*)$")  # deeper than the keys: a continuation


def key_comments(path: Path = REFERENCE_CONFIG) -> dict[str, str]:
    """{"finetune.lora_r": "LoRA rank", ...}: the description of every commented key in a config file."""
    comments: dict[str, list[str]] = {}
    section = key = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if match := _SECTION.match(line):
            section, key = match.group(1), None
        elif section and (match := _KEY.match(line)):
            key = f"{section}.{match.group(1)}"
            comment = trailing_comment(match.group(2))
            comments[key] = [comment] if comment else []
        elif key and (match := _COMMENT_ONLY.match(line)):
            comments[key].append(match.group(1).strip())
        elif line.strip() and not line.lstrip().startswith(("#", "-")):
            key = None  # anything else ends a key's comment block
    return {name: " ".join(lines) for name, lines in comments.items() if lines}


def trailing_comment(value: str) -> str:
    """The comment after a YAML value: from the first `#` outside quotes that follows whitespace."""
    quote = None
    for i, char in enumerate(value):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or value[i - 1].isspace()):
            return value[i + 1 :].strip()
    return ""


def render(sections: tuple[str, ...], path: Path = REFERENCE_CONFIG) -> str:
    """The `--help` epilog: each key of `sections` as `section.key: type = default`, then its description."""
    descriptions = key_comments(path)
    lines = ["config keys (in the --config file, or on the command line as section.key=value):"]
    for section in sections:
        model = Config.model_fields[section].annotation
        lines.append("")
        for name, field in model.model_fields.items():
            key = f"{section}.{name}"
            lines.append(f"  {key}: {type_text(field)} = {default_text(field)}")
            lines.append(f"      {descriptions.get(key, '(not documented in config.yaml)')}")
    return "\n".join(lines)


def type_text(field: FieldInfo) -> str:
    bounds = {
        annotated_types.Ge: ">=",
        annotated_types.Gt: ">",
        annotated_types.Le: "<=",
        annotated_types.Lt: "<",
        annotated_types.MinLen: "length >=",
        annotated_types.MaxLen: "length <=",
    }
    limits = [
        f"{symbol} {getattr(item, next(iter(item.__dataclass_fields__)))}"
        for item in field.metadata
        for kind, symbol in bounds.items()
        if isinstance(item, kind)
    ]
    return _annotation_text(field.annotation) + (f" ({', '.join(limits)})" if limits else "")


def _annotation_text(annotation: Any) -> str:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return " | ".join(str(arg) for arg in args)
    if origin is Union:
        options = [_annotation_text(arg) for arg in args if arg is not type(None)]
        return " | ".join(options) + (" | null" if type(None) in args else "")
    if origin is list:
        return f"list of ({_annotation_text(args[0])})" if get_origin(args[0]) else f"list of {_annotation_text(args[0])}"
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return "path"
    return getattr(annotation, "__name__", str(annotation))


def default_text(field: FieldInfo) -> str:
    if field.is_required():
        return "(required)"
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    value = str(value) if isinstance(value, Path) else value
    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip().removesuffix("\n...").removesuffix("...").strip()
