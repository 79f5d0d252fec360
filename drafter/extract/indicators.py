"""The standard indicators catalogue, and which indicator a figure measures.

The catalogue is data shipped with the package (drafter/data/indicators/v<N>.json), not code: the core figures that
法治政府建设 reports state and assessments (中央依法治国办《市县法治政府建设示范指标体系》) ask for — 行政复议收案,
出庭应诉率, 规范性文件审查, 执法案卷评查, 人民调解… Each entry names its unit(s), 纲要 area and synonyms.

`map_indicator` is a keyword + unit rule on a figure's label: most figures (a court's 直播庭审, a 涉案金额, years of
百强县, one-off counts) measure no indicator and get none, so a rule matches only when a synonym is in the label, the
unit is one the indicator is counted in, and no exclude word (率 for a count, 同比 for a change…) is in the label.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from pydantic import BaseModel, Field, ValidationError

from drafter.errors import DrafterError
from drafter.models import Area, IndicatorRef, Metric

CATALOGUE_VERSION = "1"
_NOTE = "(（"  # 件(次): a unit note after the unit proper


class Indicator(BaseModel):
    id: str
    name: str = Field(description="Chinese name as assessments word it")
    unit: str = Field(description="the unit it is usually counted in")
    units: list[str] = Field(description="every unit as written that a figure of it may carry")
    area: Area
    synonyms: list[str] = Field(description="label words; 'A+B': B in the label, A in the label or its sentence")
    excludes: list[str] = Field(default_factory=list, description="words in the label that rule it out")
    description: str

    def ref(self) -> IndicatorRef:
        return IndicatorRef(id=self.id, name=self.name)


class Catalogue(BaseModel):
    version: str
    source: str
    indicators: list[Indicator]

    def by_id(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)


@cache
def load_catalogue(version: str = CATALOGUE_VERSION) -> Catalogue:
    """The catalogue shipped with the package, read once per process."""
    path = resources.files("drafter").joinpath(f"data/indicators/v{version}.json")
    try:
        catalogue = Catalogue.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise DrafterError(f"indicator catalogue v{version} is missing or broken: {exc}") from None
    if catalogue.version != version:
        raise DrafterError(f"indicator catalogue v{version} says it is version {catalogue.version}")
    return catalogue


_Rule = tuple[IndicatorRef, tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]  # ref, excludes, synonyms


@cache
def _rules_by_unit() -> dict[str, tuple[re.Pattern[str], list[_Rule]]]:
    """Per unit, the catalogue's indicators counted in it (in catalogue order) and one regex of their counted
    words, which rules out most labels (they hold none) before any loop."""
    rules: dict[str, list[_Rule]] = {}
    for indicator in load_catalogue().indicators:
        synonyms = tuple((counted, tuple(owners)) for *owners, counted in (s.split("+") for s in indicator.synonyms))
        rule = (indicator.ref(), tuple(indicator.excludes), synonyms)  # IndicatorRef is frozen: one serves all
        for unit in indicator.units:
            rules.setdefault(unit, []).append(rule)
    return {
        unit: (re.compile("|".join(sorted({re.escape(c) for _, _, syns in unit_rules for c, _ in syns}))), unit_rules)
        for unit, unit_rules in rules.items()
    }


def map_indicator(metric: Metric, context: str = "") -> IndicatorRef | None:
    """The indicator `metric` measures, or None: `indicator_for` its label and unit, `context` being the words of
    the figure's sentence before it."""
    return indicator_for(metric.label, metric.unit, context)


def indicator_for(
    label: str, unit: str, text: str = "", start: int = 0, end: int | None = None
) -> IndicatorRef | None:
    """The indicator a figure with this label and unit measures, or None. A synonym 'A+B' needs B in the label and
    A in the label or in the context `text[start:end]`, the words of the figure's sentence before it (行政复议…，
    受理后审结案件65件: 复议 + 审结); the context is sliced only then, so a caller passes the whole text. The first
    matching entry wins, so the catalogue lists the narrower indicator (行政复议审结) before the broader one."""
    counted_here = _rules_for(unit)
    if counted_here is None:
        return None
    label = _plain(label)
    if counted_here[0].search(label) is None:
        return None
    around = None
    for ref, excludes, synonyms in counted_here[1]:
        for counted, owners in synonyms:
            if counted not in label:
                continue
            if any(word in label for word in excludes):
                break
            if owners and around is None:
                around = label + _plain(text[start:end])
            if all(owner in around for owner in owners):  # type: ignore[operator]
                return ref
    return None


@cache
def _rules_for(unit: str) -> tuple[re.Pattern[str], list[_Rule]] | None:
    """`_rules_by_unit` for a unit as written (件(次) is counted in 件)."""
    return _rules_by_unit().get(_unit_proper(unit))


def _plain(text: str) -> str:
    return text.replace("“", "").replace("”", "").replace(" ", "") if "“" in text or " " in text else text


def _unit_proper(unit: str) -> str:
    for mark in _NOTE:
        if mark in unit:
            return unit[:unit.index(mark)]
    return unit
