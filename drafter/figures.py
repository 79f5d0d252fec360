"""What the tables say about a figure: the standard indicator it measures, and the section it stands in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from drafter.models import Metric, Section, Summary


@dataclass(frozen=True)
class IndicatorRef:
    id: str
    name: str


@dataclass(frozen=True)
class _Rule:
    ref: IndicatorRef
    matches: Callable[[Metric], bool]


def _any(text: str, *words: str) -> bool:
    return any(w in text for w in words)


# --- FALLBACK INDICATOR RULES -------------------------------------------------------------------------------------
# Used only while Metric has no `indicator` field (the catalogue drafter/extract/indicators.py is not merged yet).
# Once summaries carry `indicator: {id, name}`, these are never consulted: swap this block for the catalogue.
# Ids and names are the catalogue v1's, so that a table reads the same before and after the swap.
FALLBACK_RULES: tuple[_Rule, ...] = (
    _Rule(IndicatorRef("reconsideration_cases", "行政复议收案（新收、受理）"),
          lambda m: "行政复议" in m.label and _any(m.label, "案件", "申请", "收案") and m.unit == "件"),
    _Rule(IndicatorRef("litigation_cases", "行政应诉案件"),
          lambda m: _any(m.label, "应诉", "行政诉讼") and m.unit == "件"),
    _Rule(IndicatorRef("head_appearance_rate", "行政机关负责人出庭应诉率"),
          lambda m: "出庭" in m.label and m.unit == "%"),
    _Rule(IndicatorRef("normative_reviewed", "行政规范性文件合法性审核（审查）"),
          lambda m: "规范性文件" in m.label and m.unit == "件" and _any(m.quote, "审查", "审核", "备案", "报备")),
    _Rule(IndicatorRef("major_decisions", "重大行政决策事项"),
          lambda m: _any(m.label, "重大行政决策", "重大决策") and m.unit in ("件", "项")),
    _Rule(IndicatorRef("mediation_cases", "人民调解矛盾纠纷"),
          lambda m: "调解" in m.label and m.unit == "件"),
    _Rule(IndicatorRef("enforcement_certified", "行政执法人员持证"),
          lambda m: _any(m.label, "执法证", "执法资格证") and m.unit in ("人", "张")),
)
# --- end of fallback rules ----------------------------------------------------------------------------------------

CATALOGUE_ON_METRICS = "indicator" in Metric.model_fields


def indicator_of(metric: Metric) -> IndicatorRef | None:
    """The metric's own indicator when the model carries one, else the first fallback rule that matches."""
    if CATALOGUE_ON_METRICS:
        found = getattr(metric, "indicator", None)
        if found is None:
            return None
        get = found.get if isinstance(found, dict) else lambda key: getattr(found, key)
        return IndicatorRef(str(get("id")), str(get("name")))
    return next((rule.ref for rule in FALLBACK_RULES if rule.matches(metric)), None)


def indicator_columns(summaries: list[Summary]) -> list[IndicatorRef]:
    """Columns of a comparison: every fallback indicator, or the catalogue's indicators the figures measure."""
    if not CATALOGUE_ON_METRICS:
        return [rule.ref for rule in FALLBACK_RULES]
    seen: dict[str, IndicatorRef] = {}
    for summary in summaries:
        for metric in summary.metrics:
            ref = indicator_of(metric)
            if ref is not None:
                seen.setdefault(ref.id, ref)
    return list(seen.values())


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The innermost section whose span holds `offset`."""
    holding = [s for s in sections if s.start <= offset < s.end]
    return max(holding, key=lambda s: s.level, default=None)
