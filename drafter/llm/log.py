"""A log of every request to the model and what came back, one JSON line each, as simonw/llm keeps one.

Staff must be able to show what text left the machine and what the model said; the cache only keeps accepted
answers. Lines go to `<log dir>/requests-YYYY-MM-DD.jsonl` (default `<cache dir>/log`); `DRAFTER_LOG=0` turns it
off. Secrets are redacted before anything is written.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from drafter.llm.secrets import redact


class RequestLog:
    def __init__(self, directory: Path | None, secrets: tuple[str, ...] = ()) -> None:
        self.directory = directory
        self.secrets = secrets
        self._lock = threading.Lock()  # one log per run, written from every worker thread

    def write(self, request: dict[str, Any], *, response: Any = None, error: str | None = None,
              seconds: float, attempts: int) -> None:
        if self.directory is None:
            return
        now = datetime.now(timezone.utc)
        record = {
            "time": now.isoformat(timespec="seconds"),
            "seconds": round(seconds, 3),
            "attempts": attempts,
            "request": request,
            "response": response.model_dump(mode="json") if hasattr(response, "model_dump") else response,
            "error": error,
        }
        line = json.dumps(redact(record, self.secrets), ensure_ascii=False, default=str)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with self._lock, open(self.directory / f"requests-{now:%Y-%m-%d}.jsonl", "a", encoding="utf-8") as log:
                log.write(line + "\n")
        except OSError:
            pass  # a full disk or read-only cache must not fail the report the model already answered
