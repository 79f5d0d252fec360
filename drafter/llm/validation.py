"""What every task's validators share: a rejection that names each bad fact (sent back as the re-ask), and the
scope through which a validator sees what it checks against.

State reaches a validator through a ContextVar rather than instructor's `context=`: instructor renders every
message as a Jinja template whenever `context` is non-empty (instructor/v2/core/templating.py), which would
rewrite report text containing `{{`/`{%` and dedent it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

T = TypeVar("T")


class RejectedFacts(ValueError):
    """A validator's rejection naming each bad fact: the message (in Chinese, for the model) goes back in the re-ask;
    `noun` and `problem` word the user's one-line error ("2 facts not found in the text, first: …")."""

    noun = "fact"
    problem = "rejected"

    def __init__(self, failures: list[str], instruction: str) -> None:
        self.failures = failures
        super().__init__(instruction + "；".join(failures))


class ValidationScope(Generic[T]):
    """What a task's validators check an answer against, visible to the models parsed inside `open(value)`."""

    def __init__(self, name: str) -> None:
        self._var: ContextVar[T | None] = ContextVar(name, default=None)

    @contextmanager
    def open(self, value: T) -> Iterator[T]:
        token = self._var.set(value)
        try:
            yield value
        finally:
            self._var.reset(token)

    def current(self) -> T | None:
        """The value being checked against; None when a model is parsed outside a scope (a schema dump)."""
        return self._var.get(None)
