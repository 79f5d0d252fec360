"""Provider batch mode (`--batch-api`): the calls of a whole run as one OpenAI-compatible Batch API job.

    calls without a cached answer → JSONL, one line per call, custom_id = the call's cache key (a hash of the
    model, prompt, schema and the report chunk) → POST /v1/files → POST /v1/batches → poll GET /v1/batches/{id}
    → GET /v1/files/{output}/content → each answer validated exactly as a live one (grounding, the figure check)
    → accepted: into the cache and handed to drafter.llm.call.ask, usage into the ledger;
      rejected, failed or missing: ask() sends that call the normal way, with its re-asks.

The provider's batch engine does the distribution; this machine only waits. One batch per prompt version: a batch
line carries no headers, so the version goes in the batch's metadata.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openai

from drafter.errors import DrafterError
from drafter.llm.call import Call, store
from drafter.llm.client import describe_api_error
from drafter.llm.config import LLM
from drafter.llm.prompt import BATCH_VERSION_KEY
from drafter.models import Usage

_FINISHED = ("completed", "failed", "expired", "cancelled")


@dataclass
class BatchResult:
    batch_ids: list[str] = field(default_factory=list)
    sent: int = 0
    accepted: int = 0
    rejected: list[str] = field(default_factory=list)  # "custom_id: reason" for each call left to the normal path

    def line(self) -> str:
        return (f"batch {', '.join(self.batch_ids) or '(none)'}: {self.sent} requests, {self.accepted} answers "
                f"accepted, {len(self.rejected)} to ask again one by one")


def run_batch(llm: LLM, calls: list[Call[Any]], sleep: Callable[[float], None] = time.sleep) -> BatchResult:
    """Send every call without a cached answer as a provider batch and prefetch the answers that pass validation."""
    result = BatchResult()
    cache = llm.cache
    pending: dict[str, dict[str, Call[Any]]] = {}  # prompt version → custom_id → call
    for call in calls:
        key = call.key(llm)
        if cache is not None and cache.load(key, call.response_model, call.scope()) is not None:
            continue
        pending.setdefault(call.prompt_version, {})[key] = call
    for version, by_id in pending.items():
        _one_batch(llm, version, by_id, result, sleep)
    return result


def _one_batch(llm: LLM, version: str, by_id: dict[str, Call[Any]], result: BatchResult,
               sleep: Callable[[float], None]) -> None:
    settings = llm.settings
    endpoint = llm.endpoint()
    client = endpoint.raw
    lines = [json.dumps({"custom_id": key, "method": "POST", "url": "/v1/chat/completions",
                         "body": endpoint.request_body(call.response_model, call.messages)}, ensure_ascii=False)
             for key, call in by_id.items()]
    upload = _api(llm, "upload", lambda: client.files.create(
        file=("drafter-batch.jsonl", ("\n".join(lines) + "\n").encode("utf-8"), "application/jsonl"), purpose="batch"))
    batch = _api(llm, "create", lambda: client.batches.create(
        input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h",
        metadata={BATCH_VERSION_KEY: version}))
    result.batch_ids.append(batch.id)
    result.sent += len(lines)
    waited_until = time.monotonic() + settings.batch_wait
    while batch.status not in _FINISHED:
        if time.monotonic() >= waited_until:
            raise DrafterError(f"batch {batch.id} still {batch.status} after {settings.batch_wait:g}s "
                               f"(DRAFTER_BATCH_WAIT): its answers can be collected by running again later")
        sleep(settings.batch_poll)
        batch = _api(llm, "poll", lambda: client.batches.retrieve(batch.id))
    answered: set[str] = set()
    if batch.output_file_id:
        content = _api(llm, "download", lambda: client.files.content(batch.output_file_id)).text
        for raw in content.splitlines():
            if raw.strip():
                key = _accept(llm, by_id, json.loads(raw), result)
                if key:
                    answered.add(key)
    result.rejected.extend(f"{key}: no answer in batch {batch.id} ({batch.status})" for key in by_id
                           if key not in answered)


def _accept(llm: LLM, by_id: dict[str, Call[Any]], line: dict[str, Any], result: BatchResult) -> str | None:
    """Validate one output line; the custom_id it answered, or None for a line that is not ours."""
    key = line.get("custom_id")
    call = by_id.get(key) if isinstance(key, str) else None
    if call is None:
        return None
    response = line.get("response") or {}
    body = response.get("body")
    if response.get("status_code") != 200 or not isinstance(body, dict):
        error = line.get("error") or (body or {}).get("error") or {}
        result.rejected.append(f"{key}: {response.get('status_code')} {error.get('message', '') if isinstance(error, dict) else error}")
        return key
    tokens = body.get("usage") or {}
    usage = Usage(requests=1, prompt_tokens=tokens.get("prompt_tokens") or 0,
                  completion_tokens=tokens.get("completion_tokens") or 0)
    llm.ledger.add(usage)
    try:
        with call.scope():
            value = llm.endpoint().parse(call.response_model, body)
    except DrafterError as exc:
        result.rejected.append(f"{key}: {exc}")
        return key
    store(llm, call, key, value)
    llm.prefetch(key, value.model_dump(mode="json"), usage)
    result.accepted += 1
    return key


def _api(llm: LLM, step: str, request: Callable[[], Any]) -> Any:
    try:
        return request()
    except openai.APIError as exc:
        raise DrafterError(f"batch {step}: {describe_api_error(exc, llm.settings)}") from None

