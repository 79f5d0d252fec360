"""One structured call to an OpenAI-compatible endpoint: transport retries, validation re-asks, usage, limits.

Two retry layers that never stack:
- transport (this module): 429 honouring Retry-After, 5xx, 408/409, connection errors and timeouts, with
  exponential backoff and jitter, `http_attempts` in all, all within the request's `deadline`; other 4xx fail at
  once. A Retry-After longer than `retry_after_max` (or than the deadline leaves) fails at once, naming the wait.
  The SDK's own retries are off.
- validation (instructor): a schema or grounding error re-asks the model, `reasks` times at most.

One Endpoint serves a whole run from any number of threads: one HTTP client and connection pool, `concurrency`
requests in flight at most, the run's rate limits and circuit breaker (drafter.llm.limits).
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException, ResponseParsingError
from instructor.core.hooks import Hooks
from instructor.v2.core.response import handle_response_model, process_response
from pydantic import BaseModel, ValidationError
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

from drafter.errors import DrafterError
from drafter.llm.config import LLMSettings
from drafter.llm.deadline import deadline_scope, enforce_deadlines
from drafter.llm.limits import CircuitBreaker, RateLimiter
from drafter.llm.log import RequestLog
from drafter.llm.prompt import PROMPT_HEADER, estimate_tokens
from drafter.llm.secrets import redact
from drafter.llm.validation import RejectedFacts
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
    """An OpenAI-compatible endpoint behind instructor, shared by every call of one run."""

    def __init__(self, settings: LLMSettings, http_client: Any = None) -> None:
        if settings.api_key is None or not settings.model or not settings.mode:
            raise DrafterError("llm settings incomplete: build them with drafter.llm.config.load_settings")
        self.settings = settings
        timeout = openai.Timeout(settings.timeout, connect=min(10.0, settings.timeout))
        client = enforce_deadlines(http_client or openai.DefaultHttpxClient(timeout=timeout))
        self.raw = openai.OpenAI(
            api_key=settings.api_key.get_secret_value(), base_url=settings.base_url, timeout=timeout,
            max_retries=0, http_client=client,
        )
        self._create = instructor.patch(create=self._send, mode=_MODES[settings.mode])
        self._secrets = (settings.api_key.get_secret_value(),)
        self._log = RequestLog(settings.request_log_dir, self._secrets)
        self.limiter = RateLimiter(settings.rpm, settings.tpm)
        self.breaker = CircuitBreaker(settings.breaker_failures)
        self._slots = threading.BoundedSemaphore(settings.concurrency)
        self._in_flight = 0
        self.max_in_flight = 0  # the most requests this client had open at once
        self._count_lock = threading.Lock()

    # ---- transport ---------------------------------------------------------------------------------------------

    def _send(self, **kwargs: Any) -> Any:
        """One completion over HTTP, retried on transient failures only, within the deadline and the run's limits."""
        settings = self.settings
        tokens = estimate_tokens(json.dumps(kwargs.get("messages", []), ensure_ascii=False))
        # The clock starts at the first send: not while this run's own slots and rate limits queue the request.
        deadline: float | None = None
        attempt = 0
        started = time.monotonic()
        while True:
            attempt += 1
            self.breaker.check(tried=attempt > 1)
            error: openai.APIError | _NotJSON | None = None
            with self._slots:  # held for the send only, never for a backoff
                left = settings.retry_after_max if deadline is None else min(settings.retry_after_max,
                                                                              deadline - time.monotonic())
                self.limiter.wait(tokens, longest=max(left, 0.0))
                deadline = deadline or time.monotonic() + settings.deadline
                try:
                    response = self._attempt(kwargs, deadline)
                except (openai.APIError, _NotJSON) as exc:
                    error = exc
            if error is not None:
                failure = self._retry_or_raise(error, attempt, deadline)
                if failure is not None:
                    self._logged(kwargs, started, attempt, error=failure)
                    raise DrafterError(redact(failure, self._secrets)) from None
                continue
            self.breaker.succeeded()
            spent = usage_of(response)  # providers count the answer's tokens against the limit too
            self.limiter.settle(tokens, spent.prompt_tokens + spent.completion_tokens)
            self._logged(kwargs, started, attempt, response=response)
            return response

    def _attempt(self, kwargs: dict[str, Any], deadline: float) -> Any:
        with deadline_scope(deadline):
            with self._count_lock:
                self._in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self._in_flight)
            try:
                return self.raw.chat.completions.create(**kwargs)
            except json.JSONDecodeError:  # the SDK parses the body lazily; keep this out of the re-ask loop
                raise _NotJSON() from None
            finally:
                with self._count_lock:
                    self._in_flight -= 1

    def _retry_or_raise(self, exc: BaseException, attempt: int, deadline: float) -> str | None:
        """None after waiting for the next attempt; else the one-line reason the request fails."""
        settings = self.settings
        now = time.monotonic()
        reason = describe_api_error(exc, settings, deadline_passed=now >= deadline)
        if isinstance(exc, openai.APIConnectionError):
            if self.breaker.failed(reason):
                return f"{reason}; {self.breaker.reason}: the rest of the run is not sent"
            if self.breaker.open:  # another request opened it and said why
                return self.breaker.stopped()
        else:
            self.breaker.succeeded()  # it answered: the endpoint is up
        if not _transient(exc):
            return reason
        tried = f" (gave up after {attempt} attempt{'s' if attempt > 1 else ''})"
        if now >= deadline:
            return reason if "DRAFTER_DEADLINE" in reason else f"{reason}{tried}; the request took all of DRAFTER_DEADLINE"
        if attempt >= settings.http_attempts:
            return reason + tried
        asked = retry_after_seconds(exc)
        if asked is not None:
            if asked > settings.retry_after_max or now + asked > deadline:
                limit = (f"DRAFTER_RETRY_AFTER_MAX={settings.retry_after_max:g}s" if asked > settings.retry_after_max
                         else f"the {deadline - now:.0f}s left of DRAFTER_DEADLINE")
                wait = f"{reason} and asks to wait {asked:g}s (Retry-After), more than {limit}: try again later"
                self.limiter.pause(asked, wait)  # the other threads fail at once too instead of asking again
                return wait
            self.limiter.pause(asked, f"{reason}, waiting {asked:g}s (Retry-After)")
            return None
        backoff = min(settings.backoff_initial * 2 ** (attempt - 1), settings.backoff_max)
        self.breaker.sleep(min(backoff + random.uniform(0, settings.backoff_initial), max(deadline - now, 0.0)))
        return None

    def _logged(self, request: dict[str, Any], started: float, attempts: int, response: Any = None,
                error: str | None = None) -> None:
        self._log.write(request, response=response, error=error, seconds=time.monotonic() - started,
                        attempts=attempts)

    # ---- structured answers ------------------------------------------------------------------------------------

    def structured(self, response_model: type[M], messages: list[dict], usage: list[Usage], prompt_version: str,
                   on_response: Callable[[int], None] | None = None) -> M:
        """One answer parsed into `response_model`, whose validators may reject it (a re-ask, `reasks` at most).

        Every completion received is added to `usage`, then `on_response(completions so far)` runs, before
        validation."""
        settings = self.settings
        hooks = Hooks()

        def received(response: Any) -> None:
            usage.append(usage_of(response))
            if on_response is not None:
                on_response(len(usage))

        hooks.on("completion:response", received)
        reasks = Retrying(
            stop=stop_after_attempt(settings.reasks + 1), retry=retry_if_exception_type(_PARSE_ERRORS), reraise=True,
        )
        try:
            return self._create(
                response_model=response_model, messages=messages, model=settings.model, max_retries=reasks,
                strict=False, hooks=hooks, extra_headers={PROMPT_HEADER: prompt_version}, **self._sampling(),
            )
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, DrafterError):
                raise cause from None
            raise DrafterError(
                f"model answer rejected after {len(usage)} attempt(s): {describe_invalid(cause or exc)}"
            ) from None
        except IncompleteOutputException:
            raise DrafterError(_CUT_OFF) from None

    def _sampling(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"temperature": self.settings.temperature}
        if self.settings.max_output_tokens:
            extra["max_tokens"] = self.settings.max_output_tokens
        return extra

    def request_body(self, response_model: type[BaseModel], messages: list[dict]) -> dict[str, Any]:
        """The chat.completions body `structured` would send first, for a provider batch (drafter.llm.batch)."""
        _, body = handle_response_model(response_model, mode=_MODES[self.settings.mode], messages=messages,
                                        model=self.settings.model, **self._sampling())
        return body

    def parse(self, response_model: type[M], completion: dict[str, Any]) -> M:
        """A completion JSON (from a provider batch) parsed and validated like a live answer; raises DrafterError."""
        from openai.types.chat import ChatCompletion

        try:
            return process_response(ChatCompletion.model_validate(completion), response_model=response_model,
                                    stream=False, strict=False, mode=_MODES[self.settings.mode])
        except IncompleteOutputException:
            raise DrafterError(_CUT_OFF) from None
        except (*_PARSE_ERRORS, ValueError) as exc:
            raise DrafterError(f"model answer rejected: {describe_invalid(exc)}") from None


_CUT_OFF = ("model answer cut off (finish_reason=length): lower DRAFTER_CHUNK_TOKENS or raise "
            "DRAFTER_MAX_OUTPUT_TOKENS")


def usage_of(response: Any) -> Usage:
    tokens = getattr(response, "usage", None)
    return Usage(
        requests=1,
        prompt_tokens=getattr(tokens, "prompt_tokens", 0) or 0,
        completion_tokens=getattr(tokens, "completion_tokens", 0) or 0,
    )


def describe_api_error(exc: BaseException | None, settings: LLMSettings, deadline_passed: bool = False) -> str:
    where = settings.base_url or "api.openai.com"
    if isinstance(exc, openai.APITimeoutError):
        if deadline_passed:
            return f"no complete answer from {where} within {settings.deadline:g}s (DRAFTER_DEADLINE)"
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
