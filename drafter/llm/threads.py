"""Work spread over daemon threads, results as they finish.

Not concurrent.futures: its worker threads are joined when the interpreter exits, so a Ctrl-C would wait for every
request in flight (up to the deadline each) before the command returned. Daemon threads are simply abandoned.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def as_finished(fn: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[tuple[int, R | None, BaseException | None]]:
    """(index, fn(item), None) or (index, None, the exception) for each item, in the order they finish, on up to
    `workers` threads. Closing the iterator early starts no further item."""
    results: queue.Queue[tuple[int, R | None, BaseException | None]] = queue.Queue()
    indexes = itertools.count()
    lock = threading.Lock()
    stopped = threading.Event()

    def work() -> None:
        while not stopped.is_set():
            with lock:
                i = next(indexes)
            if i >= len(items):
                return
            try:
                results.put((i, fn(items[i]), None))
            except BaseException as exc:  # handed to the consumer, which decides
                results.put((i, None, exc))

    for _ in range(min(workers, len(items))):
        threading.Thread(target=work, daemon=True).start()
    try:
        for _ in range(len(items)):
            yield results.get()
    finally:
        stopped.set()


def in_order(fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """fn over every item on up to `workers` threads, results in item order; the first failing item's exception
    (by position) is raised once all are done."""
    done = sorted(as_finished(fn, items, workers), key=lambda result: result[0])
    for _, _, exc in done:
        if exc is not None:
            raise exc
    return [value for _, value, _ in done]  # type: ignore[misc]
