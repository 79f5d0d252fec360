"""What keeps a run within the provider's limits and stops it from hammering an endpoint that is down.

Both are shared by every thread of a run (one Endpoint per run, drafter.llm.config.LLM) and thread-safe.

- RateLimiter: requests and estimated tokens per minute as two token buckets that refill continuously and hold no
  burst: sends are spaced 60/rpm seconds apart, and each request's tokens are paid for at the tpm rate before the
  next one goes; the tokens the server reports (prompt and answer) are settled against the prompt's estimate. A Retry-After pauses every thread,
  not only the one that was told, so honouring it never means going over the limit with the others.
- CircuitBreaker: after `limit` connection failures in a row (refused, reset, timed out) anywhere in the run, the
  rest of the run is not sent; one line says why, the other reports say "not sent".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from drafter.errors import DrafterError


class RateLimiter:
    def __init__(self, rpm: float | None, tpm: float | None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.rpm, self.tpm = rpm, tpm
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._requests_at = self._tokens_at = 0.0  # when the next request may go, by each bucket
        self._paused_until = 0.0
        self._pause_reason = ""

    def reserve(self, tokens: int) -> float:
        """Book the next send for a request of `tokens` estimated tokens; the time it may go (monotonic clock)."""
        with self._lock:
            now = self._clock()
            start = max(now, self._requests_at, self._tokens_at, self._paused_until)
            if self.rpm:
                self._requests_at = start + 60.0 / self.rpm
            if self.tpm:
                self._tokens_at = start + tokens * 60.0 / self.tpm
            return start

    def wait(self, tokens: int, longest: float) -> None:
        """Sleep until a request may go; raises at once when a Retry-After pause is longer than `longest` seconds."""
        with self._lock:
            paused = self._paused_until - self._clock()
            if paused > longest:
                raise DrafterError(f"not sent: {self._pause_reason}")
        delay = self.reserve(tokens) - self._clock()
        if delay > 0:
            self._sleep(delay)

    def pause(self, seconds: float, reason: str) -> None:
        """Nobody sends for `seconds` (a Retry-After); `reason` words the failure of requests that cannot wait."""
        with self._lock:
            until = self._clock() + seconds
            if until > self._paused_until:
                self._paused_until, self._pause_reason = until, reason

    def settle(self, estimated: int, actual: int) -> None:
        """Correct the token bucket by what the server counted instead of the estimate."""
        if self.tpm and actual:
            with self._lock:
                self._tokens_at += (actual - estimated) * 60.0 / self.tpm


class CircuitBreaker:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._failures = 0
        self._reason: str | None = None
        self._opened = threading.Event()

    @property
    def open(self) -> bool:
        return self._reason is not None

    @property
    def reason(self) -> str | None:
        return self._reason

    def check(self, tried: bool = False) -> None:
        """Raise once the breaker is open: "not sent", or "stopped" for a request already tried."""
        if self._reason is not None:
            raise DrafterError(self.stopped(tried))

    def stopped(self, tried: bool = True) -> str:
        return f"{'stopped' if tried else 'not sent'}: {self._reason} (see the first failure)"

    def failed(self, reason: str) -> bool:
        """Count a connection failure; True when it is the one that opens the breaker."""
        with self._lock:
            self._failures += 1
            if self.limit and self._reason is None and self._failures >= self.limit:
                self._reason = f"{self._failures} connection failures in a row"
                self._opened.set()
                return True
            return False

    def sleep(self, seconds: float) -> None:
        """A backoff that ends early when the breaker opens: the retry it waits for will not happen."""
        self._opened.wait(seconds)

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0
