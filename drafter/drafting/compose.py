"""Compose next year's report draft (Markdown) from prior-year summaries. Pure: no I/O.

The draft follows the 督察规定 structure (一 举措和成效 … 五 其他), carries every prior plan, problem, leadership
statement and figure with a footnote citing the source quote, and marks every fact the writer must supply with one
placeholder syntax, 【待填】 or 【待填：说明】. Appendices (trend table, peer practice, fill-in checklist) follow the
sign-off so they never mix with the region's own content.

With model prose (drafter.drafting.prose, `drafter draft --llm`) the composer runs twice: once to list the sections whose
opening placeholder the model may replace (ProseSlot), then with the checked paragraphs in their place. Everything
else — reference items, baselines, footnotes, the checklist — stays rule-based.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from drafter.errors import DrafterError
from drafter.models import AREA_LABELS, AREAS, Area, Item, Metric, Span, Summary
from drafter.numerals import to_chinese
from drafter.text import one_line

PLACEHOLDER_RE = re.compile(r"【待填(?:：[^】]*)?】")
FOOTNOTE_REF_RE = re.compile(r"\[\^(\d+)\]")
FOOTNOTE_DEF_RE = re.compile(r"^\[\^(\d+)\]:[ \t]*(.*)$", re.M)
FOOTNOTE_QUOTE_RE = re.compile(r"原文：“(.*)”\s*$")
# The baseline parenthetical after a placeholder: （2024年：218件）.
BASELINE_RE = re.compile(r"（(\d{4})年：([^）]*)）")
PART_HEADINGS = {
    "measures": "一、{year}年度推进法治政府建设的主要举措和成效",
    "problems": "二、存在的不足和原因",
    "leadership": "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "plans": "四、{next_year}年推进法治政府建设的主要安排",
    "other": "五、其他需要报告的情况",
}
CHECKLIST_HEADING = "待填事项清单（定稿前删除）"
TREND_TITLE = "历年主要数据对照"
PEER_TITLE = "同类地区做法参考（仅供参考，不属于本报告内容）"
CHINESE_NUMERALS = "一二三四五六七八九十"
# Qualifiers written after the number (before the unit) or after the unit; all others precede the number.
_AFTER_NUMBER = {"余", "多"}
_AFTER_UNIT = {"以上", "左右", "以下", "以内"}
_SELF_REFERENCE = {"市": "我市", "区": "我区", "县": "我县", "旗": "我旗", "州": "我州", "省": "我省"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_FILENAME_UNSAFE = re.compile(r'[\\/:*?"<>|【】\s]+')


def placeholder(hint: str | None = None) -> str:
    return f"【待填：{hint}】" if hint else "【待填】"


class SourceNote(BaseModel):
    """One footnote: where a carried statement comes from."""

    number: int
    source: str
    report: str
    quote: str
    start: int
    end: int


SlotKind = Literal["measures", "problems", "leadership", "plans"]


@dataclass(frozen=True)
class ProseSlot:
    """A section whose opening placeholder the model may replace with prose, and the prior-year material for it."""

    key: str  # 'measures.disputes', 'problems', 'leadership', 'plans.rules'
    kind: SlotKind
    heading: str  # as in the draft, part number included: 一、（六）矛盾纠纷化解
    hint: str  # what the replaced placeholder asked for
    plans: tuple[Item, ...] = ()
    measures: tuple[Item, ...] = ()
    problems: tuple[Item, ...] = ()
    metrics: tuple[Metric, ...] = ()


@dataclass(frozen=True)
class ProsePlan:
    """Everything the model is told about a draft: whose, which years, and the sections to write."""

    region: str | None
    issuer: str
    year: int
    prior_year: int
    slots: list[ProseSlot]


@dataclass(frozen=True)
class ProseParagraph:
    """A checked paragraph of model prose; `sources` are the baseline figures it quotes, cited as footnotes."""

    text: str
    sources: tuple[Metric, ...] = ()


Prose = Mapping[str, list[ProseParagraph]]


class PlaceholderRef(BaseModel):
    line: int
    token: str
    where: str


class Draft(BaseModel):
    markdown: str
    stem: str
    region: str | None
    issuer: str
    year: int
    placeholders: list[PlaceholderRef]
    sources: list[SourceNote]


def format_figure(metric: Metric) -> str:
    """The figure as it stands in a baseline: qualifier, raw number and unit in reading order."""
    q, raw = metric.qualifier or "", metric.raw
    if q and q in raw:  # '10余万' with qualifier 余 and unit 人 is written 10余万人, not 10余万余人
        q = ""
    # A raw figure may already carry the unit's magnitude ('1800万' with unit '万元'): write 万 once.
    overlap = next((k for k in range(len(metric.unit), 0, -1) if raw.endswith(metric.unit[:k])), 0)
    unit = metric.unit[overlap:]
    if q in _AFTER_NUMBER:
        return f"{raw}{q}{unit}"
    if q in _AFTER_UNIT:
        return f"{raw}{unit}{q}"
    return f"{q}{raw}{unit}"


def draft_stem(region: str | None, issuer: str, year: int) -> str:
    name = _FILENAME_UNSAFE.sub("", region or issuer) or "未知地区"
    return f"{name}-{year}年度法治政府建设情况报告-草稿"


def _region_key(summary: Summary) -> str | None:
    return summary.meta.region or summary.meta.issuer


def _md(text: str) -> str:
    """Body text safe for Markdown: one line, special characters escaped, no trailing 。."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text)).rstrip("。；;，,")


def _report_name(summary: Summary) -> str:
    """《title》 when the report has one; otherwise a plain description (no book-title marks: it is not a title)."""
    meta = summary.meta
    if meta.title:
        return f"《{one_line(meta.title)}》"
    who = meta.region or meta.issuer or Path(summary.provenance.source).stem
    year = f"{meta.report_year}年度" if meta.report_year else ""
    return f"{who}{year}报告"


class _Notes:
    """Footnotes in order of first citation; the same span cited twice shares one number."""

    def __init__(self) -> None:
        self.notes: list[SourceNote] = []
        self._index: dict[tuple[str, int, int], int] = {}

    def cite(self, summary: Summary, span: Span) -> str:
        key = (summary.provenance.source, span.start, span.end)
        if key not in self._index:
            number = len(self.notes) + 1
            self._index[key] = number
            self.notes.append(SourceNote(
                number=number, source=summary.provenance.source, report=_report_name(summary),
                quote=span.quote, start=span.start, end=span.end,
            ))
        return f"[^{self._index[key]}]"

    def definitions(self) -> list[str]:
        return [
            f"[^{n.number}]: {n.report}（{Path(n.source).name}，第{n.start}—{n.end}字）原文：“{one_line(n.quote)}”"
            for n in self.notes
        ]


def _select(summaries: list[Summary], year: int | None, region: str | None) -> tuple[list[Summary], list[Summary], int]:
    """The target region's reports before the draft year (oldest first), other regions' reports, and the year."""
    if not summaries:
        raise DrafterError("no summaries to draft from")
    if region is None:
        target = _region_key(summaries[0])
    else:  # '兴宁' selects 兴宁市
        target = next((key for s in summaries if (key := _region_key(s)) and key.startswith(region)), None)
        if target is None:
            known = "、".join(dict.fromkeys(k for s in summaries if (k := _region_key(s))))
            raise DrafterError(f"no report for region {region} (inputs cover: {known or 'unknown regions'})")
    own = [s for s in summaries if _region_key(s) == target]
    peers = [s for s in summaries if _region_key(s) != target]
    if year is None:
        years = [s.meta.report_year for s in own if s.meta.report_year]
        if not years:
            raise DrafterError(f"the report year of {target or 'the input'} is unknown; pass --year")
        year = max(years) + 1
    prior = [s for s in own if (s.meta.report_year or 0) < year]
    if not prior:
        raise DrafterError(f"no report of {target} before {year}")
    # Oldest first; of two reports for one year the later input wins.
    by_year = {s.meta.report_year: s for s in sorted(prior, key=lambda s: s.meta.report_year or 0)}
    return list(by_year.values()), peers, year


def _self_reference(region: str | None) -> str:
    return _SELF_REFERENCE.get((region or " ")[-1], "我们")


def _by_area(items: list[Item] | list[Metric]) -> dict[Area | None, list]:
    grouped: dict[Area | None, list] = defaultdict(list)
    for item in items:
        grouped[item.area].append(item)
    return grouped


def _numbered(lines: list[str]) -> list[str]:
    return [f"{i}. {line}" for i, line in enumerate(lines, 1)]


class _Composer:
    def __init__(self, base: Summary, history: list[Summary], peers: list[Summary], year: int,
                 prose: Prose | None = None) -> None:
        self.base, self.history, self.peers, self.year = base, history, peers, year
        self.prose = prose or {}
        self.slots: list[ProseSlot] = []
        self.prior_year = base.meta.report_year or year - 1
        self.region = base.meta.region
        self.notes = _Notes()
        self.lines: list[str] = []
        self.appendices = 0
        # Lines whose placeholders the checklist files under a name other than the heading above them.
        self.where: dict[int, str] = {}
        meta = base.meta
        self.issuer_known = bool(meta.issuer)
        self.issuer = meta.issuer or (f"{meta.region}人民政府" if meta.region else placeholder("发文机关"))
        self.we = _self_reference(self.region)

    def add(self, *paragraphs: str) -> None:
        for paragraph in paragraphs:
            self.lines.extend([paragraph, ""])

    def cite(self, span: Span, summary: Summary | None = None) -> str:
        return self.notes.cite(summary or self.base, span)

    def opening(self, slot: ProseSlot, default: str) -> None:
        """The section's model prose if there is some, else the rule-based placeholder line."""
        self.slots.append(slot)
        paragraphs = self.prose.get(slot.key)
        if not paragraphs:
            self.add(default)
            return
        self.add(*(f"{_md(p.text)}{''.join(self.cite(m) for m in p.sources)}。" for p in paragraphs))

    def metric_line(self, metric: Metric) -> str:
        return (f"{_md(metric.label)}{placeholder()}{metric.unit}（{self.prior_year}年：{format_figure(metric)}）"
                f"{self.cite(metric)}。")

    def reference_block(self, title: str, items: list[Item]) -> None:
        if items:
            self.add(f"{title}：", *_numbered([f"{_md(i.summary)}{self.cite(i)}。" for i in items]))

    def metrics_block(self, metrics: list[Metric]) -> None:
        if metrics:
            self.add("主要数据：", *_numbered([self.metric_line(m) for m in metrics]))

    def compose(self) -> str:
        base, year = self.base, self.year
        self.add(f"# {self.issuer}关于{year}年度法治政府建设情况的报告")
        if base.meta.addressee:
            self.add(f"{_md(base.meta.addressee)}：")
        self.add(
            f"{year}年，{self.we}坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻习近平法治思想，"
            f"{placeholder('年度总体思路和主要成效概述')}。现将{self.we}{year}年度法治政府建设情况报告如下："
        )
        self.measures_part()
        self.problems_part()
        self.leadership_part()
        self.plans_part()
        self.add(f"## {PART_HEADINGS['other']}", f"{placeholder('其他需要报告的情况；无则写“无”')}。")
        signer = self.issuer if self.issuer_known or not self.region else f"{self.issuer}{placeholder('核对发文机关名称')}"
        self.where[len(self.lines) + 1] = "落款"
        self.where[len(self.lines) + 3] = "成文日期"
        self.add(signer, f"{year + 1}年{placeholder()}月{placeholder()}日")
        self.trend_appendix()
        self.peer_appendix()
        return "\n".join(self.lines)

    def measures_part(self) -> None:
        base, year = self.base, self.year
        self.add(f"## {PART_HEADINGS['measures'].format(year=year)}")
        plans, measures = _by_area(base.plans), _by_area(base.measures)
        metrics = _by_area([m for m in base.metrics if m.part != "leadership"])
        areas: list[Area | None] = [*AREAS]
        if plans.get(None) or measures.get(None) or metrics.get(None):
            areas.append(None)
        for n, area in enumerate(areas, 1):
            label = AREA_LABELS[area] if area else "其他工作"
            self.add(f"### （{to_chinese(n)}）{label}")
            has_prior = plans.get(area) or measures.get(area) or metrics.get(area)
            hint = f"{year}年本领域主要举措和成效" + ("" if has_prior else "；上年度报告未涉及，未开展可删除本节")
            if has_prior:
                self.opening(ProseSlot(
                    key=f"measures.{area or 'other'}", kind="measures", heading=f"一、（{to_chinese(n)}）{label}",
                    hint=hint, plans=tuple(plans.get(area, [])), measures=tuple(measures.get(area, [])),
                    metrics=tuple(metrics.get(area, [])),
                ), f"{placeholder(hint)}。")
            else:
                self.add(f"{placeholder(hint)}。")
            if plans.get(area):
                self.add(f"{self.prior_year}年报告所列{year}年安排的落实情况：", *_numbered([
                    f"关于“{_md(p.summary)}”{self.cite(p)}：{year}年落实情况{placeholder()}。" for p in plans[area]
                ]))
            self.metrics_block(metrics.get(area, []))
            self.reference_block(f"{self.prior_year}年做法（参考，定稿前删除）", measures.get(area, []))

    def problems_part(self) -> None:
        base, year = self.base, self.year
        self.add(f"## {PART_HEADINGS['problems']}")
        opening = f"{year}年，{self.we}法治政府建设取得了一定成效，但仍存在一些不足：{placeholder('本年度存在的不足和原因')}。"
        if not base.problems:
            self.add(opening, f"{self.prior_year}年报告未列明存在的不足，无需报告整改情况。")
            return
        self.opening(ProseSlot(key="problems", kind="problems", heading="二、存在的不足和原因",
                               hint="本年度存在的不足和原因", problems=tuple(base.problems)), opening)
        self.add(f"{self.prior_year}年报告所列问题的整改情况：")
        for n, problem in enumerate(base.problems, 1):
            self.add(
                f"### （{to_chinese(n)}）{_md(problem.title)}",
                f"{self.prior_year}年报告所列问题：{_md(problem.summary)}{self.cite(problem)}。",
                f"整改情况：{placeholder()}。如仍未整改到位，原因：{placeholder()}。",
            )

    def leadership_part(self) -> None:
        base, year = self.base, self.year
        self.add(f"## {PART_HEADINGS['leadership']}")
        hint = f"{year}年党政主要负责人履行推进法治建设第一责任人职责情况"
        metrics = [m for m in base.metrics if m.part == "leadership"]
        if base.leadership or metrics:
            self.opening(ProseSlot(key="leadership", kind="leadership", heading=PART_HEADINGS["leadership"], hint=hint,
                                   measures=tuple(base.leadership), metrics=tuple(metrics)), f"{placeholder(hint)}。")
        else:
            self.add(f"{placeholder(hint)}。")
        self.metrics_block(metrics)
        self.reference_block(f"{self.prior_year}年做法（参考，定稿前删除）", base.leadership)

    def plans_part(self) -> None:
        base, year = self.base, self.year
        self.add(f"## {PART_HEADINGS['plans'].format(next_year=year + 1)}",
                 f"{year + 1}年，{self.we}将{placeholder('下一年度总体思路')}，重点做好以下工作：")
        n = 0
        if base.problems:
            n += 1
            self.add(f"### （{to_chinese(n)}）持续整改突出问题", *_numbered([
                f"针对“{_md(p.title)}”{self.cite(p)}（已整改到位的删除本条）：{placeholder(f'{year + 1}年整改措施')}。"
                for p in base.problems
            ]))
        plans = _by_area(base.plans)
        for area in [*AREAS, None]:
            if not plans.get(area):
                continue
            n += 1
            label = AREA_LABELS[area] if area else "其他工作"
            self.add(f"### （{to_chinese(n)}）{label}")
            hint = f"{year + 1}年安排"
            self.opening(ProseSlot(key=f"plans.{area or 'other'}", kind="plans", hint=hint, plans=tuple(plans[area]),
                                   heading=f"四、（{to_chinese(n)}）{label}"), f"{placeholder(hint)}。")
            self.add(f"{self.prior_year}年报告的安排（参考，定稿前删除）：",
                     *_numbered([f"{_md(p.summary)}{self.cite(p)}。" for p in plans[area]]))
        if n == 0:
            self.add(f"{placeholder(f'{year + 1}年主要安排')}。")

    def appendix_heading(self, title: str) -> str:
        self.appendices += 1
        return f"## 附件{self.appendices}　{title}"

    def trend_appendix(self) -> None:
        if len(self.history) < 2:
            return
        years = [s.meta.report_year for s in self.history]
        table: dict[tuple[str, str], dict[int | None, str]] = defaultdict(dict)
        for summary in self.history:
            for metric in summary.metrics:
                cell = table[(metric.label, metric.unit)]
                # A label measured twice in one report keeps its first figure; the rest are other facts.
                cell.setdefault(summary.meta.report_year, f"{format_figure(metric)}{self.cite(metric, summary)}")
        rows = [(label, unit, cells) for (label, unit), cells in table.items() if len(cells) >= 2]
        self.add(self.appendix_heading(TREND_TITLE))
        if not rows:
            self.add("各年度报告没有可对照的同名指标。")
            return
        header = "| 指标 | " + " | ".join(f"{y}年" for y in years) + " |"
        rule = "| --- |" + " --- |" * len(years)
        body = [f"| {_md(label)} | " + " | ".join(cells.get(y, "—") for y in years) + " |" for label, _, cells in rows]
        self.add("\n".join([header, rule, *body]))

    def peer_appendix(self) -> None:
        if not self.peers:
            return
        self.add(self.appendix_heading(PEER_TITLE))
        entries: dict[Area | None, list[str]] = defaultdict(list)
        for peer in self.peers:
            who = f"{peer.meta.region or peer.meta.issuer or Path(peer.provenance.source).stem}"
            when = f"（{peer.meta.report_year}年）" if peer.meta.report_year else ""
            for measure in peer.measures:
                entries[measure.area].append(f"{who}{when}：{_md(measure.summary)}{self.cite(measure, peer)}。")
        n = 0
        for area in [*AREAS, None]:
            if entries.get(area):
                n += 1
                self.add(f"### （{to_chinese(n)}）{AREA_LABELS[area] if area else '其他工作'}",
                         *_numbered(entries[area]))


def _locate_placeholders(lines: list[str], overrides: dict[int, str]) -> list[PlaceholderRef]:
    """Each placeholder with its line and a location a reader can find: 标题, 开头, 一（二）…, 落款."""
    refs: list[PlaceholderRef] = []
    part = subsection = ""
    for number, line in enumerate(lines, 1):
        if line.startswith("# "):
            part, subsection = "标题", ""
        elif line.startswith("## "):
            part, subsection = line[3:].strip(), ""
        elif line.startswith("### "):
            subsection = line[4:].strip()
        if part == "标题" and not line.startswith("#"):
            part = "开头"
        if subsection and part[:1] in CHINESE_NUMERALS:
            where = part.split("、")[0] + subsection
        else:
            where = part
        where = overrides.get(number, where)
        for match in PLACEHOLDER_RE.finditer(line):
            refs.append(PlaceholderRef(line=number, token=match.group(), where=where))
    return refs


_GAP_RE = re.compile(r"【待填(?:：([^】]*))?】")


def _gap(match: re.Match[str]) -> str:
    return f"＿＿（{match.group(1)}）" if match.group(1) else "＿＿"


def _checklist(lines: list[str], refs: list[PlaceholderRef]) -> list[str]:
    """One entry per line holding placeholders, the gaps shown as ＿＿ so the list itself needs no filling."""
    entries: list[str] = []
    seen: set[int] = set()
    for ref in refs:
        if ref.line in seen:
            continue
        seen.add(ref.line)
        text = FOOTNOTE_REF_RE.sub("", lines[ref.line - 1]).lstrip("#").strip()
        text = re.sub(r"^\d+\.\s*", "", _GAP_RE.sub(_gap, text))
        short = text if len(text) <= 60 else text[:59] + "…"
        entries.append(f"- [ ] {ref.where}：{short}")
    return entries


def prose_plan(summaries: list[Summary], year: int | None = None, region: str | None = None) -> ProsePlan:
    """The sections of the draft compose_draft would write whose opening the model may write, with their material."""
    history, peers, year = _select(summaries, year, region)
    composer = _Composer(history[-1], history, peers, year)
    composer.compose()
    return ProsePlan(region=composer.region, issuer=composer.issuer, year=year, prior_year=composer.prior_year,
                     slots=composer.slots)


def compose_draft(summaries: list[Summary], year: int | None = None, region: str | None = None,
                  prose: Prose | None = None) -> Draft:
    """Next year's draft for `region` (default: the region of the first summary) from its prior reports.

    The latest report before `year` is the base; earlier ones of the same region feed the trend table; other
    regions' reports become peer practice. `year` defaults to the latest report year + 1. `prose` (by slot key,
    see prose_plan) replaces the opening placeholders of those sections.
    """
    history, peers, year = _select(summaries, year, region)
    base = history[-1]
    composer = _Composer(base, history, peers, year, prose)
    lines = composer.compose().split("\n")
    refs = _locate_placeholders(lines, composer.where)
    lines += [f"## {CHECKLIST_HEADING}", "", f"共{len(refs)}处待填。", "", *_checklist(lines, refs), ""]
    lines += [*composer.notes.definitions(), ""]
    return Draft(
        markdown="\n".join(lines), stem=draft_stem(base.meta.region, composer.issuer, year),
        region=base.meta.region, issuer=composer.issuer, year=year, placeholders=refs, sources=composer.notes.notes,
    )
