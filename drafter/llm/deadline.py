"""A whole-request deadline under the HTTP client: every socket connect, read and write is given at most the time
left, so a server that trickles one byte a second (which a read timeout never catches) is cut off on time.

httpx has per-operation timeouts only. The deadline lives in a ContextVar set around each request
(`deadline_scope`); the network backend of every connection pool of the client is wrapped to honour it. httpx runs a
sync request in the calling thread, so each worker thread sees its own deadline.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore2

_deadline: ContextVar[float | None] = ContextVar("drafter_request_deadline", default=None)


@contextmanager
def deadline_scope(deadline: float) -> Iterator[None]:
    """Requests sent inside the block must be done by `deadline` (time.monotonic())."""
    token = _deadline.set(deadline)
    try:
        yield
    finally:
        _deadline.reset(token)


def _left(timeout: float | None) -> float | None:
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore2.ReadTimeout("request deadline passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore2.NetworkStream):
    def __init__(self, inner: httpcore2.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore2.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _left(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore2.NetworkBackend):
    def __init__(self, inner: httpcore2.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore2.NetworkStream:
        return _Stream(self._inner.connect_tcp(host, port, _left(timeout), local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore2.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _left(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def with_deadlines(transport: Any) -> Any:
    """`transport` (an httpx2 HTTPTransport, or one wrapping it as `.inner`) with its connections under the deadline.

    Returns it unchanged when it has no connection pool of ours to wrap (then only the per-read timeout holds)."""
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is not None and not isinstance(backend, _Backend):
        pool._network_backend = _Backend(backend)
    elif hasattr(transport, "inner"):
        with_deadlines(transport.inner)
    return transport


def enforce_deadlines(client: Any) -> Any:
    """An httpx2.Client whose every transport (the default one and any proxy mounts) honours `deadline_scope`."""
    with_deadlines(client._transport)
    for transport in client._mounts.values():
        if transport is not None:
            with_deadlines(transport)
    return client
