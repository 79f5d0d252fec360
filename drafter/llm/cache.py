"""On-disk cache of the model's validated answers, one readable JSON file per request.

Keyed by model, mode, prompt version, schema version (drafter's and the response schema's own hash) and the hash
of the rendered messages, which carry the report text: an unchanged re-run sends no request, and any change to
text, prompt or schema misses. Only the answer is stored — never the key, headers or base URL — and a hit is
grounded again against the text before use.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from drafter.files import write_atomic
from drafter.models import SCHEMA_VERSION

M = TypeVar("M", bound=BaseModel)


@lru_cache(maxsize=8)
def response_schema_hash(response_model: type[BaseModel]) -> str:
    schema = json.dumps(response_model.model_json_schema(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(schema.encode("utf-8")).hexdigest()[:16]


def cache_key(model: str, mode: str, prompt_version: str, messages: list[dict],
              response_model: type[BaseModel]) -> str:
    payload = {
        "model": model, "mode": mode, "prompt_version": prompt_version,
        "schema": f"{SCHEMA_VERSION}/{response_schema_hash(response_model)}",
        "messages": hashlib.sha256(json.dumps(messages, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


class AnswerCache:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory) / "llm"

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # absent or damaged: a miss, never an error
            return None
        return entry.get("answer") if isinstance(entry, dict) else None

    def load(self, key: str, response_model: type[M], scope: AbstractContextManager[Any]) -> M | None:
        """The cached answer, validated again inside `scope` (its grounding or figure check), or None."""
        answer = self.get(key)
        if answer is None:
            return None
        with scope:
            try:
                return response_model.model_validate(answer)
            except ValueError:  # stale or damaged entry that no longer passes the check: ask again
                return None

    def put(self, key: str, answer: dict[str, Any], meta: dict[str, Any]) -> None:
        entry = {"meta": meta, "answer": answer}
        write_atomic(self._path(key), json.dumps(entry, ensure_ascii=False, indent=1) + "\n", force=True)
