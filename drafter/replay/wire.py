"""What identifies a request on the wire, shared by the client, the fake server and the recorder.

A fixture is found by (model, prompt version, sha256 of the request's payload without white space, turn), never by the
request's exact bytes. The payload is the report chunk between <report> lines (extraction) or the section material
between <material> lines (drafting); the field keeps its name `chunk_sha256` for both. Schema descriptions, message
wording and JSON formatting can change without invalidating fixtures, and a prompt change that should invalidate them
bumps the version (then re-key with `python -m drafter.replay.record rekey`).
`turn` counts the assistant messages already in the request, so a recorded re-ask sequence replays in order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from drafter.llm.prompt import PROMPT_HEADER, report_in, sha256
PAYLOAD_TAGS = ("report", "material")


def chunk_digest(chunk: str) -> str:
    """sha256 of the chunk without white space: re-flowed lines or trimmed blanks keep their fixtures."""
    return sha256("".join(chunk.split()))


def fingerprint(model: str, prompt_version: str, chunk_sha256: str, turn: int) -> dict[str, Any]:
    return {"model": model, "prompt_version": prompt_version, "chunk_sha256": chunk_sha256, "turn": turn}


def fingerprint_key(fp: Mapping[str, Any]) -> str:
    canonical = json.dumps([fp["model"], fp["prompt_version"], fp["chunk_sha256"], int(fp["turn"])], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def request_fingerprint(body: Mapping[str, Any], headers: Mapping[str, str]) -> dict[str, Any] | None:
    """The fingerprint of a chat.completions request body, or None when it carries no payload."""
    messages = body.get("messages") or []
    user = next((m for m in messages if m.get("role") == "user" and isinstance(m.get("content"), str)), None)
    payloads = (report_in(user["content"], tag) for tag in PAYLOAD_TAGS) if user else iter(())
    report = next((p for p in payloads if p is not None), None)
    if report is None:
        return None
    version = next((v for k, v in headers.items() if k.lower() == PROMPT_HEADER.lower()), "")
    turn = sum(1 for m in messages if m.get("role") == "assistant")
    return fingerprint(str(body.get("model", "")), version, chunk_digest(report), turn)
