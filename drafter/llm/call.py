"""The one cached call loop every task uses (extraction, draft prose, anything new):

    a provider batch's answer, or a cache hit (validated again) → else the endpoint (retries, re-asks, limits)
    → usage into the run's ledger (failed calls too) → the accepted answer into the cache.

A task describes one call as a `Call`: its prompt version, messages, response model, the validation scope its
answers are checked in, and what to store with a cached answer.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from drafter.llm.cache import cache_key
from drafter.llm.config import LLM
from drafter.models import Usage

M = TypeVar("M", bound=BaseModel)


@dataclass
class Call(Generic[M]):
    prompt_version: str
    messages: list[dict]
    response_model: type[M]
    # A fresh context for each validation of an answer (grounding, the figure check); no context by default.
    scope: Callable[[], AbstractContextManager[Any]] = nullcontext
    meta: dict[str, Any] = field(default_factory=dict)  # stored beside a cached answer, for a reader of the cache
    # Called with the number of completions received so far, before each is validated (lenient on the last one).
    on_response: Callable[[int], None] | None = None
    cacheable: Callable[[M], bool] = lambda answer: True

    def key(self, llm: LLM) -> str:
        settings = llm.settings
        return cache_key(settings.model or "", settings.mode or "", self.prompt_version, self.messages,
                         self.response_model)


@dataclass(frozen=True)
class Answer(Generic[M]):
    value: M
    usage: Usage  # the completions this answer cost in this run (zero from the cache)
    cached: bool


def ask(llm: LLM, call: Call[M]) -> Answer[M]:
    """The validated answer to `call`; DrafterError when the endpoint fails or the answer stays invalid."""
    key = call.key(llm)
    cache = llm.cache
    prefetched = llm.take_prefetched(key)
    if prefetched is not None:  # already paid for and in the ledger (drafter.llm.batch)
        answer, usage = prefetched
        with call.scope():
            return Answer(call.response_model.model_validate(answer), usage, cached=False)
    if cache is not None and (hit := cache.load(key, call.response_model, call.scope())) is not None:
        return Answer(hit, Usage(), cached=True)
    usage: list[Usage] = []
    try:
        with call.scope():
            value = llm.endpoint().structured(call.response_model, call.messages, usage, call.prompt_version,
                                              on_response=call.on_response)
    finally:
        spent = sum(usage, Usage())
        llm.ledger.add(spent)
    store(llm, call, key, value)
    return Answer(value, spent, cached=False)


def store(llm: LLM, call: Call[M], key: str, value: M) -> None:
    """Keep an accepted answer in the run's cache (when it uses one and the call allows it)."""
    cache = llm.cache
    if cache is not None and call.cacheable(value):
        settings = llm.settings
        cache.put(key, value.model_dump(mode="json"),
                  {**call.meta, "model": settings.model, "mode": settings.mode, "prompt_version": call.prompt_version})
