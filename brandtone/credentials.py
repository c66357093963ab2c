"""Secrets come from the environment only and never reach a file or a log.

`get_secret("APIFY_TOKEN")` reads the variable and remembers its value; every
log record and every manifest passes through `redact`, which replaces any
remembered (or currently set) secret value with `***`.
"""

from __future__ import annotations

import logging
import os
from typing import Optional

SECRET_ENV_VARS = ("APIFY_TOKEN", "HF_TOKEN")
REDACTED = "***"
_MIN_SECRET_LENGTH = 4  # shorter values would redact ordinary words

_known_values: set[str] = set()


def get_secret(name: str) -> Optional[str]:
    """The secret's value from the environment, or None when unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    _known_values.add(value)
    return value


def _secret_values() -> list[str]:
    values = set(_known_values)
    values.update(v.strip() for v in (os.environ.get(n, "") for n in SECRET_ENV_VARS) if v.strip())
    # longest first, so a secret containing another is replaced whole
    return sorted((v for v in values if len(v) >= _MIN_SECRET_LENGTH), key=len, reverse=True)


def redact(text: str) -> str:
    for value in _secret_values():
        text = text.replace(value, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message with secrets replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
