"""The llm backend: the offline parse gives structure, the model gives items and metrics, grounding checks both.

Data flow per report (drafter.pipeline runs it):
  the offline parse → meta, sections, compliance, the rules' figures (deterministic)
  size guard → plan_chunks(text, sections, budget) → one chunk, or section-wise chunks covering every character
  per chunk, concurrently: drafter.llm.call.ask (a batch's answer or a cache hit, else the endpoint with retries,
      re-asks and grounding; usage into the ledger; the answer into the cache)
  merge → Summary with backend='llm', model, prompt version, usage summed over every completion received
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from drafter import __version__
from drafter.errors import DrafterError
from drafter.extract.llm.prompt import PROMPT_VERSION, build_messages, plan_chunks
from drafter.extract.llm.schema import Extraction, GroundingState, grounding_scope
from drafter.ground import Aligner
from drafter.llm.call import Answer, Call, ask
from drafter.llm.config import LLM, LLMSettings
from drafter.llm.prompt import estimate_tokens, sha256
from drafter.llm.threads import in_order
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


def check_size(text: str, settings: LLMSettings) -> None:
    """Refuse, before any work, a report longer than `max_input_chars`: an 8 MB file is rarely one report, and
    would silently become hundreds of requests."""
    limit = settings.max_input_chars
    if limit and len(text) > limit:
        requests = math.ceil(estimate_tokens(text) / settings.chunk_tokens)
        raise DrafterError(
            f"llm: {len(text):,} characters would be about {requests} requests to the model, over the "
            f"{limit:,}-character limit for one report: is it one report? To send it anyway, raise "
            f"--max-input-chars (DRAFTER_MAX_INPUT_CHARS; 0 means no limit)"
        )


def chunk_calls(doc: Document, sections: list[Section], llm: LLM) -> list[Call[Extraction]]:
    """One call per chunk of the report; refuses a report too long to be sent without being asked to."""
    text = doc.text
    if not text.strip():
        raise DrafterError("empty report: nothing to send to the model")
    settings = llm.settings
    check_size(text, settings)
    chunks = plan_chunks(text, sections, settings.chunk_tokens)
    aligner = Aligner(text)
    attempts = settings.reasks + 1
    digest = sha256(text)
    calls = []
    for chunk in chunks:
        state = GroundingState(aligner, hint=chunk.start)

        def received(n: int, state: GroundingState = state) -> None:
            # The last answer of a lenient run is kept with its unaligned facts dropped instead of failing.
            state.lenient_now = llm.lenient and n >= attempts

        calls.append(Call(
            PROMPT_VERSION, build_messages(text, sections, chunk), Extraction,
            scope=lambda state=state: grounding_scope(state),
            meta={"chunk": [chunk.start, chunk.end], "chunk_index": chunk.index, "chunk_count": chunk.count,
                  "text_sha256": digest},
            on_response=received,
            cacheable=lambda extraction: not extraction.dropped,  # an answer with facts dropped is not worth keeping
        ))
    return calls


def extract_facts(doc: Document, sections: list[Section], llm: LLM) -> Facts:
    calls = chunk_calls(doc, sections, llm)

    def one(call: Call[Extraction]) -> Answer[Extraction]:
        try:
            return ask(llm, call)
        except DrafterError as exc:
            index, count = call.meta["chunk_index"], call.meta["chunk_count"]
            raise DrafterError(f"llm{f' chunk {index}/{count}' if count > 1 else ''}: {exc}") from None

    # The chunks of a long report go out together; the endpoint caps what is in flight for the whole run.
    answers = [one(calls[0])] if len(calls) == 1 else in_order(one, calls, llm.settings.concurrency)
    facts = Facts(chunks=len(calls))
    for answer in answers:
        extraction = answer.value
        facts.usage = facts.usage + answer.usage
        facts.cached_chunks += answer.cached
        facts.items.extend(extraction.grounded_items)
        facts.metrics.extend(extraction.grounded_metrics)
        facts.warnings.extend(f"模型给出的内容在原文中找不到，已舍弃：{d}" for d in extraction.dropped)
    return facts


def merge(base: Summary, facts: Facts, model: str | None) -> Summary:
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
            backend="llm", drafter_version=__version__, model=model, prompt_version=PROMPT_VERSION,
            usage=facts.usage, cached=facts.chunks > 0 and facts.cached_chunks == facts.chunks,
        ),
    })


def merge_metrics(rule_metrics: list[Metric], model_metrics: list[Metric]) -> list[Metric]:
    """Every figure the rules found, named with the model's label (and indicator, when it has one) where the model
    cites the same figure, plus the figures only the model found. The model adds names, never loses the rules'
    recall."""
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
            merged[same] = merged[same].model_copy(update={
                "label": metric.label, "indicator": metric.indicator or merged[same].indicator})
    return sorted(merged, key=lambda m: (m.start, m.end))
