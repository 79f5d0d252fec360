"""Which of the 督察规定's five parts each section carries: heading keywords at the top, inheritance below."""

from __future__ import annotations

import re
from functools import lru_cache

from drafter.models import Part, Section

# A report's forward-looking last paragraph ("下步，楚雄市将…", "2024年，市政府将…") is a conclusion, not a part.
_CLOSING = re.compile(r"(?:下步|下一步|下阶段|今后|未来|新的一年|明年|来年|\d{4}年度?)[，,][^。]{0,30}?(?:将|要|继续|持续)")
_MAX_CLOSING = 300
# Part keywords in headings.
_LEADERSHIP_STRONG = re.compile(r"第一责任|主要负责(?:人|同志)|主要领导(?:干部)?(?:履行|履职|带头|述法|职责)")
# A subsection heading names the principal leaders' duty: the strong words, or their 述法 ("述法引领压实责任").
_LEADERSHIP_DUTY = re.compile(_LEADERSHIP_STRONG.pattern + r"|述法")
# A child of a duty heading that names another 纲要 theme ("3.严格依法决策。") is a measure, unless the leaders
# themselves act in it ("带头依法决策").
_OTHER_THEME = re.compile(
    r"(?:决策|执法|立法|规章|规范性文件|复议|应诉|诉讼|调解|纠纷|信访|监督|政务公开|普法|职能"
    r"|放管服|审批|营商环境|数字|应急|突发事件|权责清单)")


_LEADERS_OWN_ACT = re.compile(r"带头|亲自|主要负责|主要领导|第一责任|述法")
_PART_KEYWORDS: tuple[tuple[Part, re.Pattern[str]], ...] = (
    ("other", re.compile(r"其他需要报告|需要报告的其他|其他(?:事项|情况)")),
    # Not a bare 问题: thematic headings say 问题导向, 解决急难愁盼问题, 突出问题和….
    ("problems", re.compile(
        r"不足|短板|弱项|差距|薄弱环节|需要改进|有待改进|存在[^，,。]{0,8}(?:问题|困难)|(?:主要|面临的?)(?:问题|困难)"
        r"|问题(?:和|与|及)(?:不足|原因|差距|短板|困难|挑战|建议|下一步|下步|今后|打算)")),
    ("plans", re.compile(
        r"下一步|下步|下一年|下阶段|明年|今后|来年|努力方向|展望"
        r"|(?:打算|计划安排|(?:工作|主要|重点)(?:安排|计划|打算|思路)"
        r"|\d{4}年度?(?:工作)?(?:安排|计划|打算|思路|重点|目标|主要任务))"
        # "2025年重点任务" is a plan; "2024年重点工作完成情况" and "工作计划落实情况" report on one.
        r"(?![^，,。]*(?:完成|落实情况|进展|成效))")),
    ("measures", re.compile(
        r"举措|成效|成绩|做法|进展|工作开展|开展情况|工作情况|主要工作|工作回顾|完成情况|落实情况")),
)
# A subsection of a measures section that opens the problems or plans part ("（二）存在的困难", "（三）下一步工作打算",
# "（二）2025年工作思路"): only words that lead the heading, since a theme may well say 补短板 or 问题导向.
_SUB_PART_LEAD: tuple[tuple[Part, re.Pattern[str]], ...] = (
    ("problems", re.compile(r"[^，,。]{0,6}存在[^，,。]{0,8}(?:问题|不足|困难)|(?:主要|面临的?)?(?:问题|不足|困难)(?!整改|导向)")),
    ("plans", re.compile(
        r"(?:下一步|下步|下一年度?|下阶段|明年|今后|来年|\d{4}年度?(?:工作)?(?:安排|计划|打算|思路|重点|主要任务))"
        r"(?![^，,。]*(?:完成|落实情况|进展|成效))")),
)
# "上一年度存在问题改进情况" reports work done on old problems: a measure, not the problems part. So does a heading
# on last year's problems being fixed without 情况 ("上年度存在问题整改落实", "对上一年度存在问题的改进").
_PROBLEMS_FIXED = re.compile(
    r"(?:问题|不足|短板)[^，,。]{0,8}(?:整改|改进|解决|落实)(?:落实)?情况"
    r"|(?:上一?年度?|去年|以往|督察反馈)[^，,。]{0,10}(?:问题|不足|短板)[^，,。]{0,6}(?:整改|改进|解决)")


@lru_cache(maxsize=4096)
def heading_parts(heading: str) -> tuple[Part, ...]:
    """The parts a top-level heading names, in the order it names them ("存在的问题及下一步打算" → both)."""
    if _LEADERSHIP_STRONG.search(heading):
        return ("leadership",)
    found: list[tuple[int, Part]] = []
    for part, pattern in _PART_KEYWORDS:
        match = pattern.search(heading)
        if match is None or (part == "problems" and _PROBLEMS_FIXED.search(heading)):
            continue
        found.append((match.start(), part))
    return tuple(part for _, part in sorted(found))


def assign_parts(text: str, sections: list[Section]) -> None:
    """Top level by heading keywords (thematic headings count as measures); children inherit their parent's part.

    Without an explicit leadership part, a measures subsection whose heading names the principal leaders' duty
    (第一责任人, 主要负责人, 述法) carries leadership, and so do its children unless they name another 纲要 theme
    ("3.严格依法决策。" stays a measure). A 党的领导/组织领导 theme stays measures: relabelling it would lose its
    measures, and a duty reported only in its body is found by `leadership_sentences`.
    """
    by_id = {s.id: s for s in sections}
    after_measures: Part | None = None  # the last problems/plans/other part met: unnamed sections that follow join it
    for section in sections:
        if section.parent is None:
            named = heading_parts(section.heading)
            if named:
                section.part = named[0]
                after_measures = named[0] if named[0] in ("problems", "plans", "other") else None
            else:
                section.part = after_measures or "measures"
        else:
            section.part = _child_part(by_id[section.parent], section)
    if any(s.part == "leadership" for s in sections):
        return
    for section in sections:
        if section.part != "measures" or section.parent is None:
            continue
        parent = by_id[section.parent]
        if _LEADERSHIP_DUTY.search(section.heading) or (
            parent.part == "leadership"
            and (_LEADERS_OWN_ACT.search(section.heading) or not _OTHER_THEME.search(section.heading))
        ):
            section.part = "leadership"


def _child_part(parent: Section, child: Section) -> Part | None:
    """The parent's part, unless the parent's heading names several ("存在的问题和下一步打算") and the child one
    of them ("（二）下一步打算"), or the parent is measures and the child opens with problems or plans words
    ("一、2024年工作情况" → "（二）存在的困难")."""
    if parent.parent is None:
        named = heading_parts(parent.heading)
        if len(named) > 1:
            own = [p for p in heading_parts(child.heading) if p in named]
            if own:
                return own[0]
    if parent.part == "measures" and child.number is not None:
        title = child.heading[len(child.number):].lstrip()
        for part, lead in _SUB_PART_LEAD:
            if lead.match(title) and not _PROBLEMS_FIXED.search(title):
                return part
    return parent.part


def top_levels(sections: list[Section]) -> list[Section]:
    return [s for s in sections if s.parent is None]


def closing_span(text: str, body_end: int) -> tuple[int, int] | None:
    """The report's last paragraph (or, in one-line text, last sentence) when it only looks forward."""
    end = len(text[:body_end].rstrip())
    para_start = text.rfind("\n", 0, end) + 1
    if para_start == 0:
        last_stop = text.rfind("。", 0, end - 1)
        para_start = last_stop + 1
        while para_start < end and text[para_start].isspace():
            para_start += 1
    if end - para_start > _MAX_CLOSING or not _CLOSING.match(text, para_start, end):
        return None
    return para_start, end


def trim_to(text: str, sections: list[Section], cut: int) -> None:
    """Ends every section that ran to the end of the body at `cut` instead (only a line-start closing paragraph)."""
    if cut == 0 or text[cut - 1] != "\n":
        return
    new_end = len(text[:cut].rstrip())
    for section in sections:
        if section.end >= cut and section.start < cut:
            section.end = max(new_end, section.heading_end)
