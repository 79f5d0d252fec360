"""The model's lean response schema, and the grounding that checks every answer against the report.

The model never gives offsets: it copies a quote, and `Extraction`'s validator aligns each quote to `Document.text`
(drafter.ground.Aligner: exact, then normalised), aligns a problem's clauses and cause inside its own quote, checks
that each metric's value is a figure written in its quote and that its indicator id is one of the catalogue's
(drafter.extract.indicators); a figure the model gives no indicator gets the catalogue's rule (`map_indicator`). A failure raises one ValueError naming every bad fact, which instructor sends back as a re-ask. The grounding
state reaches the validator through drafter.llm.validation's ContextVar scope.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr, model_validator

from drafter.extract.indicators import load_catalogue, map_indicator
from drafter.figures import figure_as_written
from drafter.ground import Aligner, fold_alnum
from drafter.llm.validation import RejectedFacts, ValidationScope
from drafter.models import Area, IndicatorRef, Item, Metric, Span
from drafter.text import clip

ItemPart = Literal["measures", "problems", "plans", "leadership"]


class ExtractedItem(BaseModel):
    part: ItemPart = Field(description="measures举措成效 problems不足（每段一条） plans下年安排（每个承诺一条） leadership第一责任人履职")
    title: str = Field(min_length=1, description="≤15字标题")
    summary: str = Field(min_length=1, description="≤50字概括")
    area: Area | None = Field(None, description="纲要领域代码")
    quote: str = Field(min_length=1, description="原文连续片段，逐字照抄")
    clauses: list[str] = Field(default_factory=list, description="problems：quote 中每个分句，逐字照抄，按原文顺序")
    cause: str | None = Field(None, description="problems：quote 中写明的原因，逐字照抄；没有则为 null")


class ExtractedMetric(BaseModel):
    label: str = Field(min_length=1, description="数的是什么：带主体和动作的指标名，不用泛称")
    value: float = Field(description="数值")
    unit: str = Field("", description="单位，照原文")
    qualifier: str | None = Field(None, description="余/超/以上/达/近等，照原文")
    quote: str = Field(min_length=1, description="含该数字的原文连续片段，逐字照抄")
    indicator: str | None = Field(None, description="所测量的标准指标编号（系统提示中的目录），不测量任何指标则为 null")


class Extraction(BaseModel):
    """items and metrics found in one report (or one chunk of it)."""

    items: list[ExtractedItem] = Field(default_factory=list)
    metrics: list[ExtractedMetric] = Field(default_factory=list)

    _items: list[Item] = PrivateAttr(default_factory=list)
    _metrics: list[Metric] = PrivateAttr(default_factory=list)
    _dropped: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _grounded(self) -> Extraction:
        state = _grounding.current()
        if state is None:  # parsed outside a grounding scope (e.g. a schema dump): nothing to check against
            return self
        items, metrics, failures = ground(self, state.aligner, state.hint)
        if failures and not state.lenient_now:
            raise UngroundedFacts(failures)
        self._items, self._metrics, self._dropped = items, metrics, failures
        return self

    @property
    def grounded_items(self) -> list[Item]:
        return self._items

    @property
    def grounded_metrics(self) -> list[Metric]:
        return self._metrics

    @property
    def dropped(self) -> list[str]:
        """Facts left out in lenient mode, each named with its quote."""
        return self._dropped


class UngroundedFacts(RejectedFacts):
    """Facts not found in the text (or, for clauses and indicator ids, not where they must be)."""

    problem = "not found in the text"

    def __init__(self, failures: list[str]) -> None:
        super().__init__(failures, "以下内容在报告原文中找不到或不合要求（quote 须逐字照抄原文连续片段，clauses 和 cause "
                                   "须在该条 quote 之内，indicator 须为目录中的编号），请改正（或删去该条）后重新调用：")


@dataclass
class GroundingState:
    aligner: Aligner
    hint: int = 0  # where this chunk starts: a repeated phrase is taken from the chunk first
    lenient_now: bool = False  # set on the last attempt of a lenient run: drop instead of re-ask
    notes: list[str] = field(default_factory=list)


_grounding: ValidationScope[GroundingState] = ValidationScope("drafter_grounding")


def grounding_scope(state: GroundingState) -> AbstractContextManager[GroundingState]:
    return _grounding.open(state)


def ground(extraction: Extraction, aligner: Aligner, hint: int = 0) -> tuple[list[Item], list[Metric], list[str]]:
    """Aligned facts, and a description of every fact that is not in the text."""
    items: list[Item] = []
    metrics: list[Metric] = []
    failures: list[str] = []

    def aligned(quote: str, where: str) -> Span | None:
        found = aligner.align(quote, hint)
        if found is None:
            failures.append(f"{where}.quote {_short(quote)}")
            return None
        return found[0]

    for n, item in enumerate(extraction.items):
        if (span := aligned(item.quote, f"items[{n}]")) is None:
            continue
        inside = Aligner(span.quote)  # clauses and cause are looked for in the item's own quote only

        def within(part: str, where: str, span: Span = span, inside: Aligner = inside) -> Span | None:
            found = inside.align(part)
            if found is None:
                failures.append(f"{where} {_short(part)} 不在该条 quote 中")
                return None
            local = found[0]
            return Span(quote=local.quote, start=span.start + local.start, end=span.start + local.end)

        clauses = [c for k, clause in enumerate(item.clauses)
                   if (c := within(clause, f"items[{n}].clauses[{k}]")) is not None]
        cause = within(item.cause, f"items[{n}].cause") if item.cause and item.cause.strip() else None
        items.append(Item(
            quote=span.quote, start=span.start, end=span.end,
            title=item.title.strip(), summary=item.summary.strip(), area=item.area, part=item.part,
            clauses=clauses, cause=cause,
        ))
    catalogue = load_catalogue()
    for n, metric in enumerate(extraction.metrics):
        if (span := aligned(metric.quote, f"metrics[{n}]")) is None:
            continue
        raw = figure_as_written(span.quote, metric.value)
        if raw is None:
            failures.append(f"metrics[{n}].value {metric.value:g} 不是引文 {_short(span.quote)} 中的数字")
            continue
        missing = [w for w in (metric.unit, metric.qualifier) if w and _fold(w) not in _fold(span.quote)]
        if missing:
            failures.append(f"metrics[{n}] 引文 {_short(span.quote)} 中没有 {missing[0]!r}")
            continue
        indicator: IndicatorRef | None = None
        if metric.indicator:
            known = catalogue.by_id(metric.indicator.strip())
            if known is None:
                failures.append(f"metrics[{n}].indicator {metric.indicator!r} 不是指标目录中的编号（不测量目录中指标则为 null）")
                continue
            indicator = known.ref()
        grounded = Metric(
            quote=span.quote, start=span.start, end=span.end, label=metric.label.strip(), value=metric.value,
            unit=metric.unit, qualifier=metric.qualifier or None, raw=raw, indicator=indicator,
        )
        if indicator is None:
            grounded.indicator = map_indicator(grounded, span.quote)
        metrics.append(grounded)
    return items, metrics, failures


def _short(quote: str, limit: int = 40) -> str:
    return repr(clip(quote, limit))


def _fold(text: str) -> str:
    return fold_alnum(text).replace("％", "%").replace(" ", "")
