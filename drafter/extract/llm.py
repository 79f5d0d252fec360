"""The llm backend: the offline parse gives structure, the model gives items and metrics, grounding checks both.

Data flow per report (drafter.pipeline runs it):
  the offline parse → meta, sections, compliance, the rules' figures (deterministic)
  plan_chunks(text, sections, budget) → one chunk, or section-wise chunks covering every character
  per chunk: cache hit, or build_messages → Endpoint.extract (retries, re-asks, grounding) → cache.put
  merge → Summary with backend='llm', model, prompt version, usage summed over every completion received
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drafter import __version__
from drafter.errors import DrafterError
from drafter.ground import Aligner
from drafter.llm.cache import AnswerCache, cache_key
from drafter.llm.client import Endpoint
from drafter.llm.config import LLMSettings, UsageLedger
from drafter.llm.prompt import (
    PROMPT_VERSION,
    Chunk,
    build_messages,
    plan_chunks,
    sha256,
)
from drafter.llm.schema import Extraction, GroundingState, grounding_scope
from drafter.models import Document, Item, Metric, Provenance, Section, Summary, Usage
from drafter.structure.locate import SectionIndex


@dataclass
class Facts:
    items: list[Item] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    chunks: int = 0
    cached_chunks: int = 0


def extract_facts(
    doc: Document, sections: list[Section], settings: LLMSettings, *,
    use_cache: bool = True, lenient: bool = False, http_client: Any = None, ledger: UsageLedger | None = None,
) -> Facts:
    text = doc.text
    if not text.strip():
        raise DrafterError("empty report: nothing to send to the model")
    chunks = plan_chunks(text, sections, settings.chunk_tokens)
    cache = AnswerCache(settings.cache_dir) if use_cache else None
    aligner = Aligner(text)
    endpoint: Endpoint | None = None
    facts = Facts(chunks=len(chunks))
    for chunk in chunks:
        messages = build_messages(text, sections, chunk)
        key = cache_key(settings.model or "", settings.mode or "", PROMPT_VERSION, messages)
        state = GroundingState(aligner, hint=chunk.start)
        extraction = cache.load(key, Extraction, grounding_scope(state)) if cache else None
        if extraction is not None:
            facts.cached_chunks += 1
        else:
            if endpoint is None:
                endpoint = Endpoint(settings, PROMPT_VERSION, http_client=http_client)
            usage: list[Usage] = []
            try:
                extraction = endpoint.extract(messages, state, usage, lenient)
            except DrafterError as exc:
                where = f" chunk {chunk.index}/{chunk.count}" if chunk.count > 1 else ""
                raise DrafterError(f"llm{where}: {exc}") from None
            finally:
                spent = sum(usage, Usage())
                facts.usage = facts.usage + spent
                if ledger is not None:
                    ledger.add(spent)
            if cache is not None and not extraction.dropped:  # an answer with facts dropped is not worth keeping
                cache.put(key, extraction.model_dump(mode="json"), _cache_meta(settings, chunk, text))
        facts.items.extend(extraction.grounded_items)
        facts.metrics.extend(extraction.grounded_metrics)
        facts.warnings.extend(f"模型给出的内容在原文中找不到，已舍弃：{d}" for d in extraction.dropped)
    return facts


def _cache_meta(settings: LLMSettings, chunk: Chunk, text: str) -> dict[str, Any]:
    return {
        "model": settings.model, "mode": settings.mode, "prompt_version": PROMPT_VERSION,
        "chunk": [chunk.start, chunk.end], "text_sha256": sha256(text),
    }


def merge(base: Summary, facts: Facts, settings: LLMSettings) -> Summary:
    """The offline summary with the model's facts in place of the rule-based ones."""
    index = SectionIndex(base.sections)
    seen: set[tuple] = set()
    lists: dict[str, list[Item]] = {"measures": [], "problems": [], "plans": [], "leadership": []}
    for item in sorted(facts.items, key=lambda x: (x.start, x.end)):
        if (item.part, item.start, item.end) in seen:  # chunks never overlap, but a model may repeat itself
            continue
        seen.add((item.part, item.start, item.end))
        section = index.innermost(item.start)
        lists[item.part].append(item.model_copy(update={"section": section.id if section else None}))
    model_metrics: list[Metric] = []
    for metric in sorted(facts.metrics, key=lambda x: (x.start, x.end)):
        if ("metric", metric.start, metric.end, metric.value) in seen:
            continue
        seen.add(("metric", metric.start, metric.end, metric.value))
        model_metrics.append(metric.model_copy(update={"part": index.part_at(metric.start)}))
    metrics = merge_metrics(base.metrics, model_metrics)
    return base.model_copy(update={
        "measures": lists["measures"], "problems": lists["problems"], "plans": lists["plans"],
        "leadership": lists["leadership"], "metrics": metrics,
        "warnings": [*base.warnings, *facts.warnings],
        "provenance": Provenance(
            source=base.provenance.source, format=base.provenance.format, sha256=base.provenance.sha256,
            backend="llm", drafter_version=__version__, model=settings.model, prompt_version=PROMPT_VERSION,
            usage=facts.usage, cached=facts.chunks > 0 and facts.cached_chunks == facts.chunks,
        ),
    })


def merge_metrics(rule_metrics: list[Metric], model_metrics: list[Metric]) -> list[Metric]:
    """Every figure the rules found, named with the model's label where the model cites the same figure, plus the
    figures only the model found. The model adds names, never loses the rules' recall."""
    merged = list(rule_metrics)
    for metric in model_metrics:
        same = next(
            (i for i, rule in enumerate(rule_metrics)
             if rule.value == metric.value and rule.start < metric.end and metric.start < rule.end),
            None,
        )
        if same is None:
            merged.append(metric)
        else:
            merged[same] = merged[same].model_copy(update={"label": metric.label})
    return sorted(merged, key=lambda m: (m.start, m.end))
