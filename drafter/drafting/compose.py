"""Compose next year's report draft (Markdown) and its companion material from prior-year summaries. Pure: no I/O.

The draft holds only the report, in the 督察规定's five parts: part 一 follows last year's own sections (纲要 areas
where last year had none) with every last-year commitment (plan item) carried verbatim and footnoted, and the standard
indicators of that section as the only figure placeholders, baseline verbatim; part 二 carries last year's problems
with a 整改 line; 主送机关, 落款 and a 抄送 line frame it.

Commitments are filed by source sentence: the clause-level items of one sentence (same plan section, the earlier not
ending the sentence, at most _CLAUSE_GAP characters apart; of one 纲要 area where the plan section is unknown) stay
together, in the section of their most frequent 纲要 area (first on a tie); a sentence of no area takes its plan
section's previous (else next) sentence's area; one of none at all goes to a section per plan section (its heading,
or 工作目标和总体要求 for the part's own lead-in), or, where the plan section is unknown, to a section in its own words.
Indicators: one line per standard indicator per section, in the catalogue's order (drafter/data/indicators); several
figures of one indicator share the line's one placeholder, each figure kept as a baseline.

The placeholder budget (PLACEHOLDER_BUDGET). A draft over it is made leaner in this order, each step taken only while
the draft is still over, and decided on the rule-based draft so that prose_plan and compose_draft agree:
  1. part 四 is asked for in one gap instead of one per 纲要 area;
  2. section by section, the section with the most 落实情况 asks first (the earlier on a tie), its commitments are
     asked for once per source sentence (one numbered line per sentence, each clause footnoted);
  3. then, in the same order, once per section: the sentences listed without an ask, then “以上各项落实情况：【待填】”.
No commitment, problem or indicator is dropped by any step.

Everything else a writer may want — last year's practice, peer practice, all other figures, the fill-in checklist —
goes to the companion (`Draft.companion`, `Draft.data_rows`), see drafter.drafting.companion. The Markdown contract is drafter.drafting.markdown.

With model prose (drafter.drafting.prose, `drafter draft --llm`) the composer runs twice: once to list the sections whose
opening the model may write (ProseSlot), then with the checked paragraphs in their place.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from drafter.drafting.markdown import (
    BASELINE_RE,
    CC_PREFIX,
    FOOTNOTE_DEF_RE,
    FOOTNOTE_QUOTE_RE,
    FOOTNOTE_REF_RE,
    PLACEHOLDER_RE,
    full_width,
)
from drafter.errors import DrafterError
from drafter.extract.indicators import load_catalogue
from drafter.models import AREA_LABELS, AREAS, Area, Item, Metric, Section, Span, Summary
from drafter.numerals import to_chinese
from drafter.structure.locate import SectionIndex
from drafter.text import SENTENCE_END, one_line

__all__ = ["BASELINE_RE", "FOOTNOTE_DEF_RE", "FOOTNOTE_QUOTE_RE", "FOOTNOTE_REF_RE", "PLACEHOLDER_RE",
           "CHECKLIST_HEADING", "Draft", "DataRow", "ProseParagraph", "ProsePlan", "ProseSlot", "SourceNote",
           "compose_draft", "format_figure", "baseline_figure", "prose_plan", "placeholder", "standard_indicator"]

PART_HEADINGS = {
    "measures": "一、{year}年度推进法治政府建设的主要举措和成效",
    "problems": "二、存在的不足和原因",
    "leadership": "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "plans": "四、{next_year}年推进法治政府建设的主要安排",
    "other": "五、其他需要报告的情况",
}
CHECKLIST_HEADING = "待填事项清单"
# The most gaps a draft should ask a writer to fill; beyond it the draft is made leaner (module docstring).
PLACEHOLDER_BUDGET = 45
# Clauses of one sentence are at most a comma (and a stray space) apart.
_CLAUSE_GAP = 2
LEAD_IN_LABEL = "工作目标和总体要求"
# How a section asks for its commitments' 落实情况: per commitment, per source sentence, once for the section.
PER_COMMITMENT, PER_SENTENCE, PER_SECTION = 0, 1, 2
TREND_TITLE = "历年主要数据对照"
PEER_TITLE = "同类地区做法参考"
CHINESE_NUMERALS = "一二三四五六七八九十"
# Qualifiers written after the number (before the unit) or after the unit; all others precede the number.
_AFTER_NUMBER = {"余", "多"}
_AFTER_UNIT = {"以上", "左右", "以下", "以内"}
_SELF_REFERENCE = {"市": "我市", "区": "我区", "县": "我县", "旗": "我旗", "州": "我州", "省": "我省", "镇": "我镇",
                   "乡": "我乡", "街道": "我街道"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_FILENAME_UNSAFE = re.compile(r'[\\/:*?"<>|【】\s]+')
# A top-level section that is the part heading itself (its subsections are the sections), not a theme.
_PART_HEADING_RE = re.compile(r"举措|成效|主要做法|工作情况|工作开展情况")
# Last year's report on the year before's problems belongs to that year, not to the new draft.
_RECTIFICATION_RE = re.compile(r"(?:上一?年度?|去年).*问题|问题.*(?:整改|改进)情况")
_HEADING_NUMBER_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])\s*")
_RUN_ON_HEADING_RE = re.compile(r"(?<![。；：，！？;:,!?])[ \t\u3000]*\n\s*")
# Figures the region's government does not produce: courts, procuratorates, 监委.
_NOT_GOVERNMENT_RE = re.compile(r"法院|检察|监委|庭审|审判")


def placeholder(hint: str | None = None) -> str:
    return f"【待填：{hint}】" if hint else "【待填】"


# ---- standard indicators ------------------------------------------------------------------------------------------

def standard_indicator(metric: Metric) -> tuple[str, str] | None:
    """(id, name) of the standard indicator a figure measures (the catalogue's, drafter.extract.indicators)."""
    return (metric.indicator.id, metric.indicator.name) if metric.indicator is not None else None


class SourceNote(BaseModel):
    """One footnote: where a carried statement comes from."""

    number: int
    source: str
    report: str
    quote: str
    start: int
    end: int
    where: str | None = None  # the source's section numbers, e.g. 二、（六）
    paragraph: int | None = None  # paragraph within that section, when the source text is known

    def location(self) -> str:
        """Where a reader of the source finds the quote: 《…》二、（六）第2段."""
        return f"{self.report}{self.where or ''}{f'第{self.paragraph}段' if self.paragraph else ''}"


SlotKind = Literal["measures", "problems", "leadership", "plans"]


@dataclass(frozen=True)
class ProseSlot:
    """A section whose opening the model may write, and the prior-year material for it."""

    key: str  # 'measures.disputes', 'measures.s2.1', 'problems', 'leadership', 'plans.rules'
    kind: SlotKind
    heading: str  # as in the draft, part number included: 一、（六）矛盾纠纷化解
    hint: str  # what the section's opening placeholder asks for
    plans: tuple[Item, ...] = ()  # for a measures slot: last year's commitments the section reports on
    measures: tuple[Item, ...] = ()
    problems: tuple[Item, ...] = ()
    metrics: tuple[Metric, ...] = ()  # every prior figure of the section, quotable with its year
    indicators: tuple[Metric, ...] = ()  # the standard indicators the section reports (a subset of metrics)


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


class DataRow(BaseModel):
    """One row of the data-collection sheet: a figure to collect for the new year, with last year's as written."""

    kind: Literal["标准指标", "其他数据"]
    section: str  # where the figure belongs in the draft (or, for other figures, in last year's report)
    indicator: str  # the indicator's name, or the figure's label as written
    unit: str
    baseline: str  # 2024年：218件 (a trend: 2023年：200件；2024年：218件)
    source: str  # 《…》二、（六）第2段
    quote: str
    supplier: str  # the unit that should supply the new figure


class Draft(BaseModel):
    markdown: str
    stem: str
    region: str | None
    issuer: str
    year: int
    placeholders: list[PlaceholderRef]
    sources: list[SourceNote]
    companion: str = ""  # Markdown: checklist, last year's practice, other figures, trend, peer practice
    companion_stem: str = ""
    data_rows: list[DataRow] = []


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


def baseline_figure(metric: Metric) -> str:
    """The figure exactly as the source writes it (875万余元, 超16万人次, 95%以上); format_figure if not found."""
    raw, q, unit = metric.raw, metric.qualifier or "", metric.unit
    overlap = next((k for k in range(len(unit), 0, -1) if raw.endswith(unit[:k])), 0)
    candidates: list[str] = []
    for u in dict.fromkeys((unit[overlap:], unit)):
        if q:
            candidates += [f"{raw}{u[:k]}{q}{u[k:]}" for k in range(len(u), -1, -1)]
            candidates.append(f"{q}{raw}{u}")
        candidates.append(f"{raw}{u}")
    return next((c for c in candidates if c and c in metric.quote), format_figure(metric))


def draft_stem(region: str | None, issuer: str, year: int) -> str:
    name = _FILENAME_UNSAFE.sub("", region or issuer) or "未知地区"
    return f"{name}-{year}年度法治政府建设情况报告-草稿"


def companion_stem(stem: str) -> str:
    return stem.removesuffix("-草稿") + "-参考材料"


def _region_key(summary: Summary) -> str | None:
    return summary.meta.region or summary.meta.issuer


def _md(text: str) -> str:
    """Composed body text safe for Markdown: one line, full-width punctuation, special characters escaped, no
    trailing 。."""
    return _MD_SPECIAL.sub(r"\\\1", full_width(one_line(text))).rstrip("。；;，,")


def _heading_label(heading: str) -> str:
    """A source heading as a draft section label: numbering and closing punctuation off, full-width marks."""
    return _md(_HEADING_NUMBER_RE.sub("", heading)).rstrip("：:")


def _report_name(summary: Summary) -> str:
    """《title》 when the report has one; otherwise a plain description (no book-title marks: it is not a title)."""
    meta = summary.meta
    if meta.title:
        return f"《{one_line(meta.title)}》"
    who = meta.region or meta.issuer or Path(summary.provenance.source).stem
    year = f"{meta.report_year}年度" if meta.report_year else ""
    return f"{who}{year}报告"


def _section_numbers(summary: Summary, index: SectionIndex, pos: int) -> tuple[str | None, Section | None]:
    """二、（六）: the numbers of the sections around an offset, outermost first, and the innermost section."""
    innermost = section = index.innermost(pos)
    by_id = {s.id: s for s in summary.sections}
    numbers: list[str] = []
    while section is not None:
        numbers.append(section.number or f"“{one_line(section.heading)[:16]}”")
        section = by_id.get(section.parent) if section.parent else None
    return (full_width("".join(reversed(numbers))) or None), innermost


def _outside(summary: Summary, pos: int) -> tuple[str, int]:
    """Where a quote outside every section stands, and where that stretch of text begins: 开头 before the first
    section, 结尾 after the last, 正文 in a report without sections."""
    if not summary.sections:
        return "正文", 0
    if pos < min(s.start for s in summary.sections):
        return "开头", 0
    return "结尾", max((s.end for s in summary.sections if s.end <= pos), default=0)


def _paragraph_in(text: str, start: int, pos: int) -> int | None:
    """The quote's paragraph (1-based) in the text from `start` (a section body's), counted on the line breaks."""
    if not 0 <= start <= pos <= len(text):
        return None
    finished = text[start:pos].split("\n")[:-1]
    return sum(1 for line in finished if line.strip()) + 1


class _Notes:
    """Footnotes in order of first citation; the same span cited twice shares one number."""

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self.notes: list[SourceNote] = []
        self.texts = texts or {}
        self._index: dict[tuple[str, int, int], int] = {}
        self._sections: dict[str, SectionIndex] = {}

    def cite(self, summary: Summary, span: Span) -> str:
        source = summary.provenance.source
        key = (source, span.start, span.end)
        if key not in self._index:
            index = self._sections.setdefault(source, SectionIndex(summary.sections))
            where, section = _section_numbers(summary, index, span.start)
            if section is None:
                where, start = _outside(summary, span.start)
            else:  # a quote that opens with its section's run-in heading (一是…) is in the first paragraph
                start = min(section.heading_end, span.start)
            text = self.texts.get(source)
            paragraph = _paragraph_in(text, start, span.start) if text is not None else None
            self._index[key] = len(self.notes) + 1
            self.notes.append(SourceNote(
                number=len(self.notes) + 1, source=source, report=_report_name(summary), quote=span.quote,
                start=span.start, end=span.end, where=where, paragraph=paragraph,
            ))
        return f"[^{self._index[key]}]"

    def note(self, mark: str) -> SourceNote:
        return self.notes[int(mark[2:-1]) - 1]

    def definitions(self) -> list[str]:
        return [f"[^{n.number}]: {n.location()} 原文：“{one_line(n.quote)}”" for n in self.notes]


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
    region = region or " "
    return next((we for end, we in _SELF_REFERENCE.items() if region.endswith(end)), "我们")


def _commitment(plan: Item) -> str:
    """A promise as last year's report wrote it (the summary may be clipped), its numbering dropped."""
    # A heading on its own line ends there: "在夯实工作责任上下功夫\n深入贯彻…" reads as two sentences.
    return _md(_RUN_ON_HEADING_RE.sub("。", _HEADING_NUMBER_RE.sub("", plan.quote)))


def _numbered(lines: list[str]) -> list[str]:
    return [f"{i}. {line}" for i, line in enumerate(lines, 1)]


# Who supplies a figure: by standard indicator, else by 纲要 area (the usual division of work in a county).
# (catalogue ids, drafter/data/indicators)
_SUPPLIER_BY_INDICATOR = {
    **dict.fromkeys(["reconsideration_cases", "reconsideration_closed", "reconsideration_corrected",
                     "reconsideration_correction_rate"], "司法局（行政复议机构）"),
    **dict.fromkeys(["litigation_cases", "litigation_lost", "litigation_loss_rate", "head_appearance_rate"],
                    "司法局（行政应诉）"),
    **dict.fromkeys(["normative_reviewed", "normative_filing_rate"], "司法局（合法性审核、备案审查）"),
    **dict.fromkeys(["major_decisions", "decision_legality_review", "contracts_reviewed"], "政府办公室、司法局"),
    **dict.fromkeys(["enforcement_certified", "enforcement_trained", "case_file_review", "case_file_pass_rate"],
                    "司法局（行政执法监督）"),
    **dict.fromkeys(["disclosure_on_request", "info_published"], "政府办公室（政务公开）"),
    **dict.fromkeys(["mediation_cases", "mediation_success_rate", "dispute_screening"], "司法局（人民调解）"),
    **dict.fromkeys(["legal_advisers", "legal_adviser_matters", "legal_aid_cases", "legal_consultation"], "司法局"),
    **dict.fromkeys(["hotline_orders", "hotline_ontime_rate"], "政务服务和数据管理局（12345热线）"),
    **dict.fromkeys(["publicity_events", "publicity_materials"], "司法局（普法办）"),
}
_SUPPLIER_BY_AREA: dict[Area | None, str] = {
    "functions": "政务服务和数据管理局、机构编制部门", "rules": "司法局", "decisions": "政府办公室、司法局",
    "enforcement": "各行政执法部门、司法局", "emergency": "应急管理局", "disputes": "司法局、信访局",
    "oversight": "政府办公室（督查、政务公开）", "digital": "政务服务和数据管理局", "leadership": "党委依法治市（县、区）办",
    "publicity": "司法局（普法办）", None: "党委依法治市（县、区）办",
}


def _supplier(metric: Metric, indicator: tuple[str, str] | None) -> str:
    if _NOT_GOVERNMENT_RE.search(metric.label + metric.quote):
        return "人民法院、人民检察院或监委（非本级政府数据，核实后再用）"
    if indicator is not None and indicator[0] in _SUPPLIER_BY_INDICATOR:
        return _SUPPLIER_BY_INDICATOR[indicator[0]]
    return _SUPPLIER_BY_AREA.get(metric.area, _SUPPLIER_BY_AREA[None])


def _addressee_hint(summary: Summary) -> str:
    """The usual addressees by level (督察规定: report to the level above's 党委和政府)."""
    meta = summary.meta
    level = getattr(meta, "level", None)
    above = meta.prefecture if level in ("county", "district", "county-level-city") else (
        meta.province if level == "prefecture-city" else None)
    if level == "township":
        return "主送机关，如中共××县（市、区）委、××县（市、区）人民政府"
    if level == "department":
        return "主送机关，如本级党委、政府和上一级主管部门"
    if above:
        return f"主送机关，如中共{above}委、{above}人民政府"
    return "主送机关，如上一级党委、政府"


@dataclass
class _Section:
    """One subsection of part 一: last year's own section or a 纲要 area, with what it carries."""

    key: str
    label: str
    area: Area | None = None
    measures: list[Item] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    sentences: list[list[Item]] = field(default_factory=list)  # last year's commitments, by source sentence

    @property
    def plans(self) -> list[Item]:
        return [plan for sentence in self.sentences for plan in sentence]

    def asks(self, level: int) -> int:
        """The 落实情况 placeholders the section's commitments take at a level (PER_COMMITMENT…PER_SECTION)."""
        if not self.sentences:
            return 0
        return (len(self.plans), len(self.sentences), 1)[level]

    def dominant(self) -> Area | None:
        counts = Counter(x.area for x in [*self.measures, *self.metrics] if x.area)
        return counts.most_common(1)[0][0] if counts else self.area

    def weight(self, area: Area) -> int:
        return sum(1 for x in [*self.measures, *self.metrics] if x.area == area)


def _own_sections(summary: Summary) -> list[Section]:
    """Last year's sections of its 举措和成效 part: a theme per top-level section, or the part heading's children."""
    chosen: list[Section] = []
    for top in summary.sections:
        if top.parent is not None or top.part != "measures":
            continue
        children = [s for s in summary.sections if s.parent == top.id and s.part == "measures"]
        if _PART_HEADING_RE.search(top.heading):
            chosen += children
        else:
            chosen.append(top)
    return [s for s in chosen if not _RECTIFICATION_RE.search(s.heading)]


def _inside(item: Item | Metric, section: Section) -> bool:
    sid = getattr(item, "section", None)
    if sid:
        return sid == section.id or sid.startswith(section.id + ".")
    return section.start <= item.start < section.end


def _part_one_sections(base: Summary) -> list[_Section]:
    metrics = [m for m in base.metrics if m.part != "leadership"]
    sections: list[_Section] = []
    for own in _own_sections(base):
        sections.append(_Section(
            key=f"measures.s{own.id}", label=_heading_label(own.heading),
            measures=[m for m in base.measures if _inside(m, own)],
            metrics=[m for m in metrics if own.start <= m.start < own.end],
        ))
    sections = [s for s in sections if s.measures or s.metrics]
    by_area = not sections
    if by_area:  # last year had no sections of its own: the 纲要 areas it wrote about, in the 纲要's order
        for area in AREAS:
            section = _Section(key=f"measures.{area}", label=AREA_LABELS[area], area=area,
                               measures=[m for m in base.measures if m.area == area],
                               metrics=[m for m in metrics if m.area == area])
            if section.measures or section.metrics:
                sections.append(section)
    others: dict[str | int, _Section] = {}
    for n, (sentence, area) in enumerate(_sentence_areas(_sentences(base.plans))):
        target = _section_for(area, sections)
        if target is None:
            # Promises of no 纲要 area: a section per plan section, or per sentence where the plan section is unknown
            # (keys measures.other, measures.other2…).
            plan_section = sentence[0].section
            other = plan_section if plan_section is not None else n
            if area:
                target = _Section(key=f"measures.{area}", label=AREA_LABELS[area], area=area)
            elif other in others:
                target = others[other]
            else:
                count = len(others)
                label = _plan_section_label(base, plan_section, sentence[0])
                target = others[other] = _Section(key=f"measures.other{count + 1 if count else ''}", label=label)
            if target not in sections:
                sections.append(target)
        target.sentences.append(sentence)
    if by_area:
        order = {area: i for i, area in enumerate(AREAS)}
        sections.sort(key=lambda s: order.get(s.area, len(order)))
    return sections


def _sentences(plans: list[Item]) -> list[list[Item]]:
    """The promises by source sentence: clause-level items of one plan section, the earlier not ending the sentence
    and at most _CLAUSE_GAP characters before the next, are one sentence. Where the plan section is unknown, an item
    whose quote stops short of its 。 looks like a clause, so items of two different 纲要 areas are not joined."""
    sentences: list[list[Item]] = []
    for plan in plans:
        last = sentences[-1][-1] if sentences else None
        unknown_apart = plan.section is None and last is not None and None not in (plan.area, last.area) \
            and plan.area != last.area
        if (last is not None and last.section == plan.section and not unknown_apart
                and not SENTENCE_END.search(last.quote.rstrip()[-1:])
                and 0 <= plan.start - last.end <= _CLAUSE_GAP):
            sentences[-1].append(plan)
        else:
            sentences.append([plan])
    return sentences


def _sentence_areas(sentences: list[list[Item]]) -> list[tuple[list[Item], Area | None]]:
    """Each sentence with its 纲要 area: its clauses' most frequent (first on a tie); one with none takes the area of
    the previous sentence of its (known) plan section, else of the next."""
    own = [Counter(p.area for p in s if p.area).most_common(1) for s in sentences]
    areas: list[Area | None] = [top[0][0] if top else None for top in own]
    resolved: list[Area | None] = []
    for i, sentence in enumerate(sentences):
        area, section = areas[i], sentence[0].section
        if area is None and section is not None:
            before = (areas[j] for j in range(i - 1, -1, -1) if sentences[j][0].section == section and areas[j])
            after = (areas[j] for j in range(i + 1, len(sentences)) if sentences[j][0].section == section and areas[j])
            area = next(before, None) or next(after, None)
        resolved.append(area)
    return list(zip(sentences, resolved))


def _plan_section_label(base: Summary, section_id: str | None, first: Item) -> str:
    """A section for promises of no area: named by their plan section, 工作目标和总体要求 when that is the plans part
    itself (its lead-in), in the first promise's words when the plan section is unknown."""
    section = next((s for s in base.sections if s.id == section_id), None) if section_id else None
    if section is None:
        return _heading_label(first.title)
    return LEAD_IN_LABEL if section.parent is None else _heading_label(section.heading)


def _section_for(area: Area | None, sections: list[_Section]) -> _Section | None:
    if area is None:
        return None
    dominant = next((s for s in sections if s.dominant() == area), None)
    if dominant is not None:
        return dominant
    weighted = max(sections, key=lambda s: s.weight(area), default=None)
    return weighted if weighted is not None and weighted.weight(area) else None


def _by_indicator(metrics: list[Metric]) -> list[list[Metric]]:
    """A section's figures of standard indicators, grouped by indicator (in source order), in the catalogue's order."""
    groups: dict[str, list[Metric]] = defaultdict(list)
    for metric in sorted(metrics, key=lambda m: m.start):
        if metric.indicator is not None:
            groups[metric.indicator.id].append(metric)
    order = {indicator.id: n for n, indicator in enumerate(load_catalogue().indicators)}
    return [groups[i] for i in sorted(groups, key=lambda i: order.get(i, len(order)))]


class _Composer:
    def __init__(self, base: Summary, history: list[Summary], peers: list[Summary], year: int,
                 prose: Prose | None = None, texts: Mapping[str, str] | None = None, *,
                 compact_plans: bool = False, levels: Mapping[str, int] | None = None) -> None:
        self.base, self.history, self.peers, self.year = base, history, peers, year
        self.compact_plans = compact_plans
        self.levels = dict(levels or {})  # section key → PER_COMMITMENT (default), PER_SENTENCE or PER_SECTION
        self.prose = prose or {}
        self.texts = texts
        self.slots: list[ProseSlot] = []
        self.prior_year = base.meta.report_year or year - 1
        self.region = base.meta.region
        self.notes = _Notes(texts)
        self.lines: list[str] = []
        # Lines whose placeholders the checklist files under a name other than the heading above them.
        self.where: dict[int, str] = {}
        meta = base.meta
        self.issuer_known = bool(meta.issuer)
        self.issuer = meta.issuer or (f"{meta.region}人民政府" if meta.region else placeholder("发文机关"))
        self.we = _self_reference(self.region)
        self.sections = _part_one_sections(base)
        self.shown: list[tuple[str, Metric]] = []  # (draft section, metric) of every figure on an indicator line

    def add(self, *paragraphs: str) -> None:
        for paragraph in paragraphs:
            self.lines.extend([paragraph, ""])

    def cite(self, span: Span, summary: Summary | None = None) -> str:
        return self.notes.cite(summary or self.base, span)

    def opening(self, slot: ProseSlot, default: str | None) -> None:
        """The section's model prose if there is some, else the rule-based placeholder line (if any)."""
        self.slots.append(slot)
        paragraphs = self.prose.get(slot.key)
        if paragraphs:
            self.add(*(f"{_md(p.text)}{''.join(self.cite(m) for m in p.sources)}。" for p in paragraphs))
        elif default:
            self.add(default)

    def trend(self, metric: Metric) -> list[tuple[Summary, Metric]]:
        """The same indicator in earlier reports of the region (their first figure of it), oldest first, then this."""
        earlier = []
        for summary in self.history[:-1]:
            match = next((m for m in sorted(summary.metrics, key=lambda m: m.start)
                          if metric.indicator and m.indicator and m.indicator.id == metric.indicator.id), None)
            if match is not None:
                earlier.append((summary, match))
        return [*earlier, (self.base, metric)]

    def indicator_line(self, figures: list[Metric], where: str) -> str:
        """One standard indicator of a section: one placeholder, each figure of it a baseline (a trend for the
        first); with several figures each baseline names its figure's label."""
        self.shown += [(where, m) for m in figures]
        years = [*self.trend(figures[0]), *((self.base, m) for m in figures[1:])]
        several = len(figures) > 1
        baseline = "；".join(f"{s.meta.report_year or self.prior_year}年：{_md(m.label) if several else ''}"
                            f"{baseline_figure(m)}" for s, m in years)
        marks = "".join(dict.fromkeys(self.cite(m, s) for s, m in years))  # two figures of one quote: one mark
        first = figures[0]
        label = first.indicator.name if several and first.indicator else first.label
        return f"{_md(label)}{placeholder()}{first.unit}（{baseline}）{marks}。"

    def indicators_block(self, metrics: list[Metric], where: str) -> None:
        groups = _by_indicator(metrics)
        if groups:
            self.add("主要指标：", *_numbered([self.indicator_line(g, where) for g in groups]))

    def commitments(self, section: _Section) -> None:
        """Last year's commitments of a section, each verbatim and footnoted, asked for at the section's level."""
        level = self.levels.get(section.key, PER_COMMITMENT)
        intro = f"{self.prior_year}年报告所列{self.year}年工作安排的落实情况："
        ask = f"落实情况：{placeholder()}。"
        if level == PER_COMMITMENT:
            self.add(intro, *_numbered([f"{_commitment(p)}{self.cite(p)}。{ask}" for p in section.plans]))
            return
        lines = [f"{'，'.join(f'{_commitment(p)}{self.cite(p)}' for p in sentence)}。" for sentence in section.sentences]
        if level == PER_SENTENCE:
            self.add(intro, *_numbered([f"{line}{ask}" for line in lines]))
        else:
            self.add(f"{self.prior_year}年报告所列{self.year}年工作安排：", *_numbered(lines), f"以上各项{ask}")

    def compose(self) -> str:
        base, year = self.base, self.year
        self.add(f"# {self.issuer}关于{year}年度法治政府建设情况的报告")
        addressee = _md(base.meta.addressee) if base.meta.addressee else placeholder(_addressee_hint(base))
        self.where[len(self.lines) + 1] = "主送机关"
        self.add(f"{addressee}：")
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
        self.where[len(self.lines) + 5] = "版记"
        self.add(signer, f"{year + 1}年{placeholder()}月{placeholder()}日",
                 f"{CC_PREFIX}{placeholder('抄送机关；无则删除本行')}")
        return "\n".join(self.lines)

    def measures_part(self) -> None:
        year = self.year
        self.add(f"## {PART_HEADINGS['measures'].format(year=year)}")
        for n, section in enumerate(self.sections, 1):
            heading = f"（{to_chinese(n)}）{section.label}"
            self.add(f"### {heading}")
            hint = f"{year}年本领域主要举措和成效"
            self.opening(ProseSlot(
                key=section.key, kind="measures", heading=f"一、{heading}", hint=hint, plans=tuple(section.plans),
                measures=tuple(section.measures), metrics=tuple(section.metrics),
                indicators=tuple(m for g in _by_indicator(section.metrics) for m in g),
            ), None if section.plans else f"{placeholder(hint)}。")
            if section.plans:
                self.commitments(section)
            self.indicators_block(section.metrics, f"一{heading}")

    def problems_part(self) -> None:
        base, year = self.base, self.year
        self.add(f"## {PART_HEADINGS['problems']}")
        opening = f"{year}年，{self.we}法治政府建设取得了一定成效，但仍存在一些不足：{placeholder('本年度存在的不足和原因')}。"
        if not base.problems:
            self.add(opening)
            return
        self.opening(ProseSlot(key="problems", kind="problems", heading="二、存在的不足和原因",
                               hint="本年度存在的不足和原因", problems=tuple(base.problems)), opening)
        self.add(f"{self.prior_year}年报告所列问题的整改情况：")
        for n, problem in enumerate(base.problems, 1):
            self.add(
                f"### （{to_chinese(n)}）{_heading_label(problem.title)}",
                f"{self.prior_year}年报告所列问题：{_md(problem.summary)}{self.cite(problem)}。",
                f"整改情况：{placeholder()}。",
            )
        self.unmet_promises(len(base.problems) + 1)

    def unmet_promises(self, n: int) -> None:
        """With two years of the region: the earlier report's promises the later one does not report on
        (drafter.track), listed once under the problems, with one 落实情况 gap for them all."""
        if len(self.history) < 2 or self.texts is None:
            return
        earlier = self.history[-2]
        texts = [self.texts.get(s.provenance.source) for s in (earlier, self.base)]
        if None in texts or not earlier.plans:
            return
        from drafter.track import commitment_status

        try:
            status = commitment_status(earlier, texts[0], self.base, texts[1])
        except DrafterError:  # not one unit's consecutive years after all: nothing to follow up
            return
        unmet = [p for p in earlier.plans if status[(p.start, p.end)].status == "not_found"]
        if not unmet:
            return
        year = earlier.meta.report_year
        self.add(f"### （{to_chinese(n)}）{year}年报告所列、{self.prior_year}年报告未见落实的工作安排",
                 *_numbered([f"{_commitment(p)}{self.cite(p, earlier)}。" for p in unmet]),
                 f"以上各项落实情况及原因：{placeholder()}。")

    def leadership_part(self) -> None:
        base, year = self.base, self.year
        self.add(f"## {PART_HEADINGS['leadership']}")
        hint = f"{year}年党政主要负责人履行推进法治建设第一责任人职责情况"
        metrics = [m for m in base.metrics if m.part == "leadership"]
        if base.leadership or metrics:
            self.opening(ProseSlot(key="leadership", kind="leadership", heading=PART_HEADINGS["leadership"], hint=hint,
                                   measures=tuple(base.leadership), metrics=tuple(metrics),
                                   indicators=tuple(m for g in _by_indicator(metrics) for m in g)),
                         f"{placeholder(hint)}。")
        else:
            self.add(f"{placeholder(hint)}。")
        self.indicators_block(metrics, "三")

    def plans_part(self) -> None:
        base, year = self.base, self.year
        self.add(f"## {PART_HEADINGS['plans'].format(next_year=year + 1)}",
                 f"{year + 1}年，{self.we}将{placeholder('下一年度总体思路')}，重点做好以下工作：")
        if self.compact_plans:  # a report of many promises: part 四 in one gap, so the draft stays within budget
            hint = f"{year + 1}年主要安排，按领域分条撰写" + ("；上年问题未整改到位的写明整改措施" if base.problems else "")
            self.opening(ProseSlot(key="plans", kind="plans", hint=hint, plans=tuple(base.plans),
                                   heading=PART_HEADINGS["plans"].format(next_year=year + 1)), f"{placeholder(hint)}。")
            return
        n = 0
        if base.problems:
            n += 1
            self.add(f"### （{to_chinese(n)}）持续整改突出问题",
                     f"针对上述问题，{placeholder(f'{year + 1}年整改措施；已整改到位的不再列入')}。")
        grouped: dict[Area | None, list[Item]] = defaultdict(list)
        for plan in base.plans:
            grouped[plan.area].append(plan)
        for area in [*AREAS, None]:
            if not grouped.get(area):
                continue
            n += 1
            label = AREA_LABELS[area] if area else _heading_label(grouped[area][0].title)
            self.add(f"### （{to_chinese(n)}）{label}")
            hint = f"{year + 1}年安排"
            self.opening(ProseSlot(key=f"plans.{area or 'other'}", kind="plans", hint=hint, plans=tuple(grouped[area]),
                                   heading=f"四、（{to_chinese(n)}）{label}"), f"{placeholder(hint)}。")
        if n == 0:
            self.add(f"{placeholder(f'{year + 1}年主要安排')}。")


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


class _Companion:
    """The material beside the draft: checklist, last year's practice, other figures, trend, peer practice."""

    def __init__(self, composer: _Composer, refs: list[PlaceholderRef], lines: list[str]) -> None:
        self.c = composer
        self.notes = _Notes(composer.texts)
        self.lines: list[str] = []
        self.rows: list[DataRow] = []
        self.refs, self.draft_lines = refs, lines
        self.n = 0

    def add(self, *paragraphs: str) -> None:
        for paragraph in paragraphs:
            self.lines.extend([paragraph, ""])

    def part(self, title: str) -> None:
        self.n += 1
        self.add(f"## {to_chinese(self.n)}、{title}")

    def cite(self, span: Span, summary: Summary | None = None) -> str:
        return self.notes.cite(summary or self.c.base, span)

    def compose(self) -> tuple[str, list[DataRow]]:
        c = self.c
        self.add(f"# {c.region or c.issuer}{c.year}年度法治政府建设情况报告参考材料",
                 f"本文件不属于报告正文，供起草时参考：草稿中每处待填内容的清单、{c.prior_year}年报告的做法和数据、"
                 "同类地区做法。报告定稿、报送时不附本文件。")
        self.part(CHECKLIST_HEADING)
        self.add(f"草稿共{len(self.refs)}处待填。", *_checklist(self.draft_lines, self.refs))
        self.practice()
        self.figures()
        self.trend_table()
        self.peer_practice()
        return "\n".join([*self.lines, *self.notes.definitions(), ""]), self.rows

    def practice(self) -> None:
        c = self.c
        blocks = [(f"一、（{to_chinese(n)}）{s.label}", s.measures) for n, s in enumerate(c.sections, 1) if s.measures]
        if c.base.leadership:
            blocks.append(("三、" + PART_HEADINGS["leadership"][2:], c.base.leadership))
        if c.base.plans:
            blocks.append((f"四（{c.prior_year}年报告所列{c.year}年工作安排原文）", c.base.plans))
        if not blocks:
            return
        self.part(f"{c.prior_year}年报告的做法（按草稿章节）")
        for title, items in blocks:
            self.add(f"### {title}", *_numbered([f"{_md(i.summary)}{self.cite(i)}。" for i in items]))

    def figures(self) -> None:
        """Every prior figure: the indicators the draft reports, and the others (here only), as sheet rows."""
        c = self.c
        for where, metric in c.shown:
            self.row("标准指标", where, metric.indicator.name if metric.indicator else metric.label, metric,
                     c.trend(metric))
        where_of = {id(m): f"一、（{to_chinese(n)}）{s.label}" for n, s in enumerate(c.sections, 1) for m in s.metrics}
        shown = {id(m) for _, m in c.shown}
        others = [m for m in sorted(c.base.metrics, key=lambda m: m.start) if id(m) not in shown]
        if not others:
            return
        self.part(f"{c.prior_year}年报告的其他数据（不在草稿中；确需使用的，核实后写入正文）")
        lines = []
        for metric in others:
            where = where_of.get(id(metric)) or ("三" if metric.part == "leadership" else "其他")
            self.row("其他数据", where, metric.label, metric, [(c.base, metric)])
            lines.append(f"{_md(metric.label)}：{baseline_figure(metric)}（{c.prior_year}年，{where}）{self.cite(metric)}。")
        self.add(*_numbered(lines))

    def row(self, kind: Literal["标准指标", "其他数据"], where: str, name: str, metric: Metric,
            years: list[tuple[Summary, Metric]]) -> None:
        note = self.notes.note(self.cite(metric))
        baseline = "；".join(f"{s.meta.report_year or self.c.prior_year}年：{baseline_figure(m)}" for s, m in years)
        self.rows.append(DataRow(kind=kind, section=where, indicator=one_line(name), unit=metric.unit,
                                 baseline=baseline, source=note.location(), quote=one_line(metric.quote),
                                 supplier=_supplier(metric, standard_indicator(metric))))

    def trend_table(self) -> None:
        history = self.c.history
        if len(history) < 2:
            return
        years = [s.meta.report_year for s in history]
        table: dict[tuple[str, str], dict[int | None, str]] = defaultdict(dict)
        for summary in history:
            for metric in summary.metrics:
                cell = table[(metric.label, metric.unit)]
                # A label measured twice in one report keeps its first figure; the rest are other facts.
                cell.setdefault(summary.meta.report_year, f"{baseline_figure(metric)}{self.cite(metric, summary)}")
        rows = [(label, cells) for (label, _), cells in table.items() if len(cells) >= 2]
        self.part(TREND_TITLE)
        if not rows:
            self.add("各年度报告没有可对照的同名指标。")
            return
        header = "| 指标 | " + " | ".join(f"{y}年" for y in years) + " |"
        rule = "| --- |" + " --- |" * len(years)
        body = [f"| {_md(label)} | " + " | ".join(cells.get(y, "—") for y in years) + " |" for label, cells in rows]
        self.add("\n".join([header, rule, *body]))

    def peer_practice(self) -> None:
        if not self.c.peers:
            return
        self.part(PEER_TITLE)
        entries: dict[Area | None, list[str]] = defaultdict(list)
        for peer in self.c.peers:
            who = f"{peer.meta.region or peer.meta.issuer or Path(peer.provenance.source).stem}"
            when = f"（{peer.meta.report_year}年）" if peer.meta.report_year else ""
            for measure in peer.measures:
                entries[measure.area].append(f"{who}{when}：{_md(measure.summary)}{self.cite(measure, peer)}。")
        n = 0
        for area in [*AREAS, None]:
            if entries.get(area):
                n += 1
                self.add(f"### （{to_chinese(n)}）{AREA_LABELS[area] if area else '其他'}", *_numbered(entries[area]))


def _count(lines: list[str]) -> int:
    return sum(len(PLACEHOLDER_RE.findall(line)) for line in lines)


def _leaner(sections: list[_Section], over: int) -> dict[str, int]:
    """Steps 2 and 3 of the budget (module docstring): the ask level per section key that saves `over` placeholders,
    or as many as collapsing every section can."""
    levels: dict[str, int] = {}
    for step in (PER_SENTENCE, PER_SECTION):
        while over > 0:
            # The section with the most asks that this step reduces; the earlier on a tie (max keeps the first).
            current = [(s.asks(levels.get(s.key, PER_COMMITMENT)), s) for s in sections]
            candidates = [(n, s) for n, s in current if s.asks(step) < n]
            if not candidates:
                break
            n, section = max(candidates, key=lambda c: c[0])
            levels[section.key] = step
            over -= n - section.asks(step)
    return levels


def _composed(history: list[Summary], peers: list[Summary], year: int, prose: Prose | None = None,
              texts: Mapping[str, str] | None = None) -> tuple[_Composer, list[str]]:
    """The composer and the draft's lines, made leaner while over PLACEHOLDER_BUDGET (decided on the rule-based
    draft, so that prose_plan and compose_draft agree on the sections)."""
    composer = _Composer(history[-1], history, peers, year)
    lines = composer.compose().split("\n")
    if _count(lines) > PLACEHOLDER_BUDGET:
        composer = _Composer(history[-1], history, peers, year, compact_plans=True)
        lines = composer.compose().split("\n")
        over = _count(lines) - PLACEHOLDER_BUDGET
        if over > 0:
            composer = _Composer(history[-1], history, peers, year, compact_plans=True,
                                 levels=_leaner(composer.sections, over))
            lines = composer.compose().split("\n")
    if prose or texts:
        composer = _Composer(history[-1], history, peers, year, prose, texts, compact_plans=composer.compact_plans,
                             levels=composer.levels)
        lines = composer.compose().split("\n")
    return composer, lines


def prose_plan(summaries: list[Summary], year: int | None = None, region: str | None = None) -> ProsePlan:
    """The sections of the draft compose_draft would write whose opening the model may write, with their material."""
    history, peers, year = _select(summaries, year, region)
    composer, _ = _composed(history, peers, year)
    return ProsePlan(region=composer.region, issuer=composer.issuer, year=year, prior_year=composer.prior_year,
                     slots=composer.slots)


def compose_draft(summaries: list[Summary], year: int | None = None, region: str | None = None,
                  prose: Prose | None = None, texts: Mapping[str, str] | None = None) -> Draft:
    """Next year's draft for `region` (default: the region of the first summary) from its prior reports.

    The latest report before `year` is the base; earlier ones of the same region give the indicators' trend; other
    regions' reports become peer practice in the companion. `year` defaults to the latest report year + 1. `prose`
    (by slot key, see prose_plan) opens those sections. `texts` (source path → Document.text) lets citations name
    the paragraph.
    """
    history, peers, year = _select(summaries, year, region)
    base = history[-1]
    composer, lines = _composed(history, peers, year, prose, texts)
    refs = _locate_placeholders(lines, composer.where)
    stem = draft_stem(base.meta.region, composer.issuer, year)
    companion, rows = _Companion(composer, refs, lines).compose()
    lines += [*composer.notes.definitions(), ""]
    return Draft(
        markdown="\n".join(lines), stem=stem, region=base.meta.region, issuer=composer.issuer, year=year,
        placeholders=refs, sources=composer.notes.notes, companion=companion, companion_stem=companion_stem(stem),
        data_rows=rows,
    )
