"""Compliance: each part present (with its sections) or missing, and notes on drift from the standard layout."""

from __future__ import annotations

import re
from functools import lru_cache

from drafter.models import (
    PART_LABELS,
    PARTS,
    REQUIRED_PARTS,
    Compliance,
    HeadingStyle,
    Part,
    PartStatus,
    Section,
)
from drafter.numerals import parse_chinese
from drafter.structure.headings import NUMBERED_STYLES
from drafter.structure.parts import closing_span, heading_parts, top_levels
from drafter.structure.sentences import (
    LEADER,
    leadership_sentences,
    work_done_sentences,
)
from drafter.structure.signoff import body_end
from drafter.text import SENTENCE_OR_LINE_END, clip

# "存在…不足", "仍有…问题": one pattern per opening word, since re finds a literal prefix several times faster than
# one of a set of first characters; the first mention is the earliest of their first matches.
_PROBLEM_MENTIONS = tuple(
    re.compile(rf"{opening}[^。；;]{{0,20}}(?:不足|问题|短板|差距|薄弱)") for opening in ("存在", "仍有", "还有", "尚有"))
_NOT_NUMERAL = re.compile(r"[^0-9一二三四五六七八九十]")
# Part notes that place a required part inside another part's section; compliance notes repeat them.
_AS_SUBSECTION = "仅作为"
_IN_BODY = "仅见于"
_QUOTE_CHARS = 30
_QUOTE_LEAD = 8


def assess_compliance(text: str, sections: list[Section]) -> Compliance:
    """Which of the five parts the report covers, with the sections carrying each and notes on any drift.

    `present` lists every part found (in the standard order); `missing` lists only the REQUIRED_PARTS that are
    absent, since "other" (其他需要报告的情况) is optional; its PartStatus still says whether it is there.
    """
    by_id = {s.id: s for s in sections}
    roots: dict[Part, list[str]] = {part: [] for part in PARTS}
    part_notes: dict[Part, list[str]] = {part: [] for part in PARTS}
    notes: list[str] = []
    for section in sections:
        if section.part is None:
            continue
        parent = by_id.get(section.parent) if section.parent else None
        if parent is not None and parent.part == section.part:
            continue
        roots[section.part].append(section.id)
        if parent is not None and section.part not in heading_parts(parent.heading):
            part_notes[section.part].append(
                f"{_AS_SUBSECTION}第{parent.id}节{_in_part(parent.part)}下的子节{section.id}“{section.heading}”出现")
    tops = top_levels(sections)
    for section in tops:
        # A heading naming two parts carries both, unless a subsection took the second one over.
        for extra in heading_parts(section.heading)[1:]:
            split_off = any(r.startswith(section.id + ".") for r in roots[extra])
            if section.id not in roots[extra] and not split_off:
                roots[extra].append(section.id)
                part_notes[extra].append(f"与{_part_name(section.part)}共用第{section.id}节“{section.heading}”")

    if not sections:
        notes.append("未识别到编号标题")
    elif all(s.style == "lead" for s in tops):
        notes.append(f"无编号一级标题：将{len(tops)}个单独成行的短句识别为一级标题")
    named = [s for s in tops if heading_parts(s.heading)]
    if tops and not named:
        notes.append(f"按工作主题分节：{len(tops)}个一级标题均未标明报告部分，各主题节计入{_part_name('measures')}")
    # Order is judged on the top-level parts; a part living as a subsection gets its own note instead.
    top_order: list[Part] = []
    for section in tops:
        for part in [section.part, *heading_parts(section.heading)[1:]]:
            if part is not None and part not in top_order:
                top_order.append(part)
    if top_order != [p for p in PARTS if p in top_order]:
        notes.append("各部分顺序与规定顺序不一致：" + " → ".join(_part_name(p) for p in top_order))
    notes.extend(_numbering_notes(sections))

    closing = closing_span(text, body_end(text))
    if not roots["plans"] and closing is not None:
        quote = _short(text[closing[0]:closing[1]])
        part_notes["plans"].append(f"未单列下一年度安排，仅有结尾一句：“{quote}”")
        notes.append(f"未单列{_part_name('plans')}部分，报告仅以结尾一句展望下一年度：“{quote}”")
    if not roots["problems"]:
        mention = _first_problem_mention(text, tops[0].start if tops else 0)
        if mention is not None:
            part_notes["problems"].append(f"未单列，仅在正文中提及：“{_sentence_at(text, mention)}”")
    # Parts present without a section of their own: the leaders' duty told in measures bodies, and the measures
    # of a report with no numbered headings at all.
    found_in_body: set[Part] = set()
    if not roots["leadership"]:
        mentions = leadership_sentences(text, sections)
        if mentions:
            found_in_body.add("leadership")
            roots["leadership"] = list(dict.fromkeys(m.section for m in mentions if m.section is not None))
            first = mentions[0]
            where = f"第{first.section}节“{by_id[first.section].heading}”" if first.section else ""
            more = len(mentions) - 1
            part_notes["leadership"].append(
                f"{_IN_BODY}{where}正文：“{_sentence_at(text, LEADER.search(text, first.start).start())}”"
                + (f"（另有{more}句）" if more else ""))
    if not sections:
        work = work_done_sentences(text)
        if work:
            found_in_body.add("measures")
            part_notes["measures"].append(
                f"未识别到标题，正文中有{len(work)}句记述已开展工作，首句：“{_short(text[work[0].start:work[0].end])}”")
    if not roots["other"]:
        part_notes["other"].append(f"{_part_name('other')}为选报内容，本报告未列")

    present = [p for p in PARTS if roots[p] or p in found_in_body]
    statuses = [
        PartStatus(part=p, present=p in present, sections=roots[p], note="; ".join(part_notes[p]) or None)
        for p in PARTS
    ]
    missing = [p for p in REQUIRED_PARTS if p not in present]
    for part in missing:
        notes.append(f"缺少必报部分：{_part_name(part)}")
    for part in REQUIRED_PARTS:
        for note in part_notes[part]:
            if note.startswith((_AS_SUBSECTION, _IN_BODY)):
                notes.append(f"{_part_name(part)}{note}")
    return Compliance(present=present, missing=missing, parts=statuses, notes=notes)


def _first_problem_mention(text: str, start: int) -> int | None:
    found = [match.start() for match in (pattern.search(text, start) for pattern in _PROBLEM_MENTIONS) if match]
    return min(found, default=None)


def _numbering_notes(sections: list[Section]) -> list[str]:
    notes = []
    previous: dict[tuple[str | None, HeadingStyle], Section] = {}
    for section in sections:
        if section.style not in NUMBERED_STYLES or section.number is None:
            continue
        key = (section.parent, section.style)
        before = previous.get(key)
        previous[key] = section
        if before is None:
            continue
        last, value = _ordinal(before.number or ""), _ordinal(section.number)
        if last is None or value is None:
            continue
        if value == last:
            notes.append(f"编号“{section.number.strip()}”重复出现（第{before.id}节和第{section.id}节）")
        elif value > last + 1:
            notes.append(f"编号由“{before.number.strip()}”跳至“{section.number.strip()}”"
                         f"（第{before.id}节→第{section.id}节）")
    return notes


@lru_cache(maxsize=1024)  # a few dozen numbering tokens recur across all reports
def _ordinal(number: str) -> int | None:
    digits = _NOT_NUMERAL.sub("", number)
    if not digits:
        return None
    return int(digits) if digits.isdigit() else parse_chinese(digits)


def _part_name(part: Part) -> str:
    return f"“{PART_LABELS[part]}”"


def _in_part(part: Part | None) -> str:
    return f"（{PART_LABELS[part]}）" if part is not None else ""


def _short(quote: str) -> str:
    return clip(quote.strip(), _QUOTE_CHARS)


def _sentence_at(text: str, pos: int) -> str:
    """The sentence around `pos`, shortened for a note: from its start, or from just before `pos` when long."""
    start = 0
    for stop in SENTENCE_OR_LINE_END.finditer(text, max(0, pos - 200), pos):
        start = stop.end()
    end = text.find("。", pos)
    sentence_end = end + 1 if end >= 0 else len(text)
    if pos - start > _QUOTE_LEAD:
        return "…" + _short(text[pos - _QUOTE_LEAD:sentence_end])
    return _short(text[start:sentence_end])
