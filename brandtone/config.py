"""One typed, validated config for every stage.

`config.yaml` is read (laid over the file it names in `extends:`, if any), dotted
command-line overrides (`finetune.num_train_epochs=3`) are applied on top, and the
result is validated against the schema (brandtone.config_schema) before any stage
does any work. A bad key, a wrong type or a missing folder raises `ConfigError` with
a one-line message that names the key; the stage CLI turns that into exit code 2.

Each key is described once, by its comment in `config.yaml`; `--help` shows
those descriptions beside the schema's types and defaults (brandtone.config_help).
Relative paths are resolved against the current working directory (run the
scripts from the repository root). Secrets never live here: tokens come from
the environment only (see `brandtone.credentials`).
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any, Optional, Union

import yaml
from pydantic import BaseModel, ValidationError

from brandtone.config_schema import Config, written_number


class ConfigError(Exception):
    """A config problem, reported as one line naming the key."""


class _Loader(yaml.SafeLoader):
    """YAML as the schema means it. Only true/false are booleans: YAML 1.1 also reads
    yes/no/on/off, so `phone_region: NO` (Norway) was false. Numbers remember how they
    were written, so a text field gets the text back (`revision: 0123456` is not 42798)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
for _tag, _construct in (("int", yaml.SafeLoader.construct_yaml_int), ("float", yaml.SafeLoader.construct_yaml_float)):
    _Loader.add_constructor(
        f"tag:yaml.org,2002:{_tag}", lambda loader, node, construct=_construct: written_number(construct(loader, node), node.value)
    )


def parse_override(item: str) -> tuple[list[str], Any]:
    """`finetune.lora_r=8` -> (["finetune", "lora_r"], 8). Values are read as YAML."""
    key, sep, raw = item.partition("=")
    if not sep or not key or any(not part for part in key.split(".")):
        raise ConfigError(f"override {item!r}: expected section.key=value, e.g. finetune.num_train_epochs=3")
    try:
        value = yaml.load(raw, Loader=_Loader) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    if isinstance(value, str):  # YAML 1.1 reads 2e-4 as a string; a number was meant
        try:
            value = written_number(float(value) if any(c in value for c in ".eE") else int(value), value)
        except ValueError:
            pass
    return key.split("."), value


def apply_override(data: dict, path: list[str], value: Any) -> None:
    node = data
    for part in path[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"override {'.'.join(path)}: {part} is not a section")
        node = child
    node[path[-1]] = value


def _describe_error(error: dict, model: type[BaseModel]) -> str:
    location = [str(part) for part in error["loc"]]
    key = ".".join(location) or "config"
    if error["type"] == "extra_forbidden":
        known = _known_keys(model, location[:-1])
        close = difflib.get_close_matches(location[-1], known, n=1)
        hint = f" (did you mean {close[0]}?)" if close else f" (known keys: {', '.join(sorted(known))})"
        return f"{key}: unknown key{hint}"
    if error["type"] == "missing":
        return f"{key}: required key is missing"
    message = error["msg"].removeprefix("Value error, ")
    if "input" in error and not isinstance(error["input"], dict):
        return f"{key}: {message} (got {error['input']!r})"
    return f"{key}: {message}"


def _known_keys(model: type[BaseModel], location: list[str]) -> list[str]:
    for part in location:
        field = model.model_fields.get(part)
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def load_config(path: Union[str, Path], overrides: Optional[list[str]] = None) -> Config:
    """Read the YAML file (and the file it `extends`), apply `section.key=value` overrides,
    validate. Raises ConfigError."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path} (pass --config PATH)")
    data = _read_config_file(path)
    for item in overrides or []:
        apply_override(data, *parse_override(item))
    try:
        return Config.model_validate(_expand_user(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        more = len(exc.errors()) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise ConfigError(f"{path}: {_describe_error(first, Config)}{suffix}") from None


def _read_config_file(path: Path, extended_by: tuple[Path, ...] = ()) -> dict:
    """The file's sections. With a top-level `extends: OTHER.yaml` (a path relative to
    the file), the other file is read first and this file's keys are laid over it."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of sections at the top level")
    if "extends" not in data:
        return data
    base = data.pop("extends")
    base_path = path.parent / base if isinstance(base, str) and base.strip() else None
    if base_path is None or not base_path.is_file():
        raise ConfigError(f"{path}: extends: {base!r} is not a config file (give its path relative to {path.name})")
    if base_path.resolve() in (path.resolve(), *extended_by):
        raise ConfigError(f"{path}: extends: {base} makes a loop of extends (remove one)")
    return _laid_over(_read_config_file(base_path, (*extended_by, path.resolve())), data)


def _laid_over(base: dict, top: dict) -> dict:
    """`top`'s keys over `base`'s, section by section (a section in both keeps base's other keys)."""
    merged = dict(base)
    for key, value in top.items():
        both_sections = isinstance(value, dict) and isinstance(base.get(key), dict)
        merged[key] = _laid_over(base[key], value) if both_sections else value
    return merged


def _expand_user(data: Any) -> Any:
    """Expand ~ in string values so paths like ~/models work."""
    if isinstance(data, dict):
        return {key: _expand_user(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_expand_user(value) for value in data]
    if isinstance(data, str) and data.startswith("~"):
        return os.path.expanduser(data)
    return data


def to_yaml(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
