"""One structured call to an OpenAI-compatible endpoint: transport retries, validation re-asks, usage.

Two retry layers that never stack:
- transport (this module, tenacity): 429 honouring Retry-After, 5xx, 408/409, connection errors and timeouts, with
  exponential backoff and jitter, `http_attempts` in all; other 4xx fail at once. The SDK's own retries are off.
- validation (instructor): a schema or grounding error re-asks the model, `reasks` times at most.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException, ResponseParsingError
from instructor.core.hooks import Hooks
from pydantic import BaseModel, ValidationError
from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from drafter.errors import DrafterError
from drafter.llm.config import LLMSettings
from drafter.llm.log import RequestLog
from drafter.llm.secrets import redact
from drafter.llm.schema import Extraction, GroundingState, RejectedFacts, grounding_scope
from drafter.replay.wire import PROMPT_HEADER
from drafter.models import Usage
from drafter.text import clip, one_line

# instructor logs every failed attempt at ERROR; our DrafterError already says it in one line. A NullHandler keeps
# Python's last-resort handler from printing them, while an application that configures logging still gets them.
logging.getLogger("instructor").addHandler(logging.NullHandler())

_MODES = {"tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON, "md_json": instructor.Mode.MD_JSON}
_PARSE_ERRORS = (ValidationError, json.JSONDecodeError, ResponseParsingError)
M = TypeVar("M", bound=BaseModel)


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, (openai.APIConnectionError, _NotJSON)):  # APITimeoutError included
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The wait a 429/503 asks for, from Retry-After (seconds or HTTP date) or retry-after-ms."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    headers = response.headers
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(float(ms) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(parsed.timestamp() - time.time(), 0.0) if parsed else None


class _NotJSON(Exception):
    """A 200 whose body is not JSON: a proxy's error page, usually passing."""


class Endpoint:
    """An OpenAI-compatible endpoint behind instructor, for one run of the llm backend."""

    def __init__(self, settings: LLMSettings, prompt_version: str, http_client: Any = None) -> None:
        if settings.api_key is None or not settings.model or not settings.mode:
            raise DrafterError("llm settings incomplete: build them with drafter.llm.config.load_settings")
        self.settings = settings
        self.prompt_version = prompt_version  # sent as a header: fixtures are keyed by it
        self._raw = openai.OpenAI(
            api_key=settings.api_key.get_secret_value(), base_url=settings.base_url, timeout=settings.timeout,
            max_retries=0, http_client=http_client,
        )
        self._create = instructor.patch(create=self._send, mode=_MODES[settings.mode])
        self._log = RequestLog(settings.request_log_dir, (settings.api_key.get_secret_value(),))

    def _send(self, **kwargs: Any) -> Any:
        """One completion over HTTP, retried on transient failures only."""
        settings = self.settings
        backoff = wait_exponential(multiplier=settings.backoff_initial, max=settings.backoff_max) + wait_random(
            0, settings.backoff_initial,
        )

        def wait(state: RetryCallState) -> float:
            asked = retry_after_seconds(state.outcome.exception() if state.outcome else None)
            return min(asked, settings.retry_after_max) if asked is not None else backoff(state)

        retrying = Retrying(
            retry=retry_if_exception(_transient), stop=stop_after_attempt(settings.http_attempts), wait=wait,
            reraise=False,
        )
        headers = {PROMPT_HEADER: self.prompt_version}
        secret = (settings.api_key.get_secret_value(),) if settings.api_key else ()

        def create() -> Any:
            try:
                return self._raw.chat.completions.create(**kwargs, extra_headers=headers)
            except json.JSONDecodeError:  # the SDK parses the body lazily; keep this out of the re-ask loop
                raise _NotJSON() from None

        started = time.monotonic()

        def logged(response: Any = None, error: str | None = None) -> None:
            self._log.write(kwargs, response=response, error=error, seconds=time.monotonic() - started,
                            attempts=retrying.statistics.get("attempt_number", 1))

        try:
            response = retrying(create)
        except RetryError as exc:
            last = exc.last_attempt.exception()
            message = f"{describe_api_error(last, settings)} (gave up after {settings.http_attempts} attempts)"
            logged(error=message)
            raise DrafterError(redact(message, secret)) from None
        except openai.APIError as exc:  # a server may echo the key in its error text: never pass it on
            logged(error=describe_api_error(exc, settings))
            raise DrafterError(redact(describe_api_error(exc, settings), secret)) from None
        logged(response=response)
        return response

    def extract(self, messages: list[dict], state: GroundingState, usage: list[Usage], lenient: bool) -> Extraction:
        """A grounded Extraction for one chunk; every completion received is added to `usage`."""
        attempts = self.settings.reasks + 1

        def received() -> None:
            # The last answer of a lenient run is kept with its unaligned facts dropped instead of failing.
            state.lenient_now = lenient and len(usage) >= attempts

        with grounding_scope(state):
            return self.structured(Extraction, messages, usage, on_response=received)

    def structured(self, response_model: type[M], messages: list[dict], usage: list[Usage],
                   on_response: Callable[[], None] | None = None) -> M:
        """One answer parsed into `response_model`, whose validators may reject it (a re-ask, `reasks` at most).

        Every completion received is added to `usage`, then `on_response` runs (before validation)."""
        settings = self.settings
        hooks = Hooks()

        def received(response: Any) -> None:
            tokens = getattr(response, "usage", None)
            usage.append(Usage(
                requests=1,
                prompt_tokens=getattr(tokens, "prompt_tokens", 0) or 0,
                completion_tokens=getattr(tokens, "completion_tokens", 0) or 0,
            ))
            if on_response is not None:
                on_response()

        hooks.on("completion:response", received)
        reasks = Retrying(
            stop=stop_after_attempt(settings.reasks + 1), retry=retry_if_exception_type(_PARSE_ERRORS), reraise=True,
        )
        extra: dict[str, Any] = {"temperature": settings.temperature}
        if settings.max_output_tokens:
            extra["max_tokens"] = settings.max_output_tokens
        try:
            return self._create(
                response_model=response_model, messages=messages, model=settings.model, max_retries=reasks,
                strict=False, hooks=hooks, **extra,
            )
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, DrafterError):
                raise cause from None
            raise DrafterError(
                f"model answer rejected after {len(usage)} attempt(s): {describe_invalid(cause or exc)}"
            ) from None
        except IncompleteOutputException:
            raise DrafterError(
                "model answer cut off (finish_reason=length): lower DRAFTER_CHUNK_TOKENS or raise "
                "DRAFTER_MAX_OUTPUT_TOKENS"
            ) from None


def describe_api_error(exc: BaseException | None, settings: LLMSettings) -> str:
    where = settings.base_url or "api.openai.com"
    if isinstance(exc, openai.APITimeoutError):
        return f"no answer from {where} within {settings.timeout:g}s (DRAFTER_TIMEOUT)"
    if isinstance(exc, openai.APIConnectionError):
        return f"cannot connect to {where} (check OPENAI_BASE_URL)"
    if isinstance(exc, openai.AuthenticationError):
        return f"{where} rejected the API key (401): check OPENAI_API_KEY"
    if isinstance(exc, openai.PermissionDeniedError):
        return f"{where} denied access (403): check the key's permissions for model {settings.model}"
    if isinstance(exc, openai.NotFoundError):
        return f"{where} answered 404: check OPENAI_BASE_URL and DRAFTER_MODEL ({settings.model})"
    if isinstance(exc, openai.RateLimitError):
        return f"{where} is rate limiting (429)"
    if isinstance(exc, openai.APIStatusError):
        return f"{where} answered {exc.status_code}: {_one_line(_api_message(exc))}"
    if isinstance(exc, _NotJSON):
        return f"unusable answer from {where}: the body is not JSON"
    if isinstance(exc, openai.APIError):
        return f"unusable answer from {where}: {_one_line(str(exc))}"
    return _one_line(str(exc))


def _api_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
    return exc.message


def describe_invalid(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, RejectedFacts):
            n = len(cause.failures)
            return _one_line(f"{n} {cause.noun}{'s' if n > 1 else ''} {cause.problem}, first: {cause.failures[0]}")
        where = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        return _one_line(f"{where}: {message}" if where else message)
    return _one_line(str(exc))


def _one_line(text: str, limit: int = 300) -> str:
    return clip(one_line(text), limit)
