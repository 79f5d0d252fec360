"""Scrubbing of secrets from anything we write or show: fixtures, cache entries, error messages."""

from __future__ import annotations

import re
from typing import Any

REDACTED = "[REDACTED]"
_TOKEN = re.compile(r"\b(?:sk-[A-Za-z0-9_\-]{8,}|Bearer\s+[A-Za-z0-9._\-]{8,})")
_SECRET_FIELD = re.compile(r"api[_-]?key|authorization|secret|token$", re.I)


def redact(value: Any, secrets: tuple[str, ...] = ()) -> Any:
    """`value` with every secret string, token-looking string and secret-named field replaced."""
    if isinstance(value, dict):
        return {k: REDACTED if _SECRET_FIELD.search(str(k)) and isinstance(v, str) else redact(v, secrets)
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, secrets) for v in value]
    if isinstance(value, str):
        for secret in secrets:
            # A short placeholder key ("ollama", "local") is no secret, and replacing it would mangle "localhost".
            if len(secret) >= 8:
                value = value.replace(secret, REDACTED)
        return _TOKEN.sub(REDACTED, value)
    return value
