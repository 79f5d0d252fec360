"""Sentences of the body that carry a part without a heading of their own: the leaders' duty, work done."""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.models import Part, Section
from drafter.structure.locate import SectionIndex
from drafter.structure.signoff import body_end
from drafter.text import SENTENCE_OR_LINE_END

# A body sentence reports the duty performed when it names the principal leaders and what they did with it.
_FIRST_RESPONSIBLE = "第一责任人"
_PRINCIPAL = r"主要(?:负责|责任)(?:人|同志)|主要领导"
LEADER = re.compile(f"{_FIRST_RESPONSIBLE}|{_PRINCIPAL}")
# LEADER as two patterns that each open on a literal (第一责任人, 主要): re scans for a literal several times faster
# than for one of a set of first characters.
_LEADER_PARTS = (re.compile(_FIRST_RESPONSIBLE), re.compile(_PRINCIPAL))
_DUTY_ACT = re.compile(r"履行|履职|职责|述法|述职|研究|部署|主持|听取|带头|亲自")
# "…履行第一责任人职责不到位": a shortcoming, not the duty performed (matters where no heading says problems).
_SHORTCOMING = re.compile(r"不够|不到位|不足|不强|有待|仍需|欠缺|差距")
# Outside sections, the title and the "现将…情况报告如下" lead-in name the duty without reporting it done.
_ABOUT_THE_REPORT = re.compile(r"现将|如下|的报告|情况报告")
_DUTY_BODY_PARTS: frozenset[Part | None] = frozenset({"measures", None})
# Without headings, a body that reports work done (these verbs, sentence after sentence) is the measures part.
_WORK_DONE = re.compile(r"开展|举办|召开|出台|制定|印发|修订|建立|健全|完成|组织|办理|审查|编写|部署|推动|实现")
_GOVERNMENT_LAW = re.compile(r"法治政府|依法行政")
_MIN_WORK_SENTENCES = 3
_MAX_SENTENCE = 200


@dataclass(frozen=True)
class BodySentence:
    """A sentence of `text` ([start, end)) inside section `section` (None in a text without headings)."""

    start: int
    end: int
    section: str | None


def leadership_sentences(text: str, sections: list[Section]) -> list[BodySentence]:
    """Sentences reporting the principal leaders performing their 第一责任人 duty, where no section carries it.

    Empty when a section already carries the leadership part; otherwise the `duty_sentences` inside sections (or,
    in a text without headings, anywhere): a preamble's mention alone does not make the part present.
    """
    if any(s.part == "leadership" for s in sections):
        return []
    return [s for s in duty_sentences(text, sections) if s.section is not None or not sections]


def duty_sentences(text: str, sections: list[Section]) -> list[BodySentence]:
    """Sentences reporting the principal leaders performing their 第一责任人 duty, outside leadership sections.

    A sentence counts when it names the leaders (第一责任人, 主要负责人/同志, 主要领导) and what they did (履行, 研究,
    部署, 述法…), and lies in a measures section or the preamble before the first heading: "落实第一责任人制度" in a
    plans part is an intention, and the closing after the last part looks forward. Outside sections (the preamble,
    a text without headings) a sentence that states a shortcoming is left out.
    """
    first = sections[0].start if sections else 0
    scan_end = max(s.end for s in sections) if sections else body_end(text)
    mentions = _leader_mentions(text, scan_end)
    if not mentions:
        return []  # the usual case, decided before the section index is built
    index = SectionIndex(sections)
    found: list[BodySentence] = []
    pos = 0
    for leader in mentions:
        if leader.start() < pos:
            continue  # inside the sentence of the mention before
        start, end = sentence_span(text, leader.start(), 0 if leader.start() < first else first, scan_end)
        pos = max(end, leader.end())
        holder = index.innermost(leader.start())
        if holder is None and leader.start() >= first and sections:
            continue  # between parts or after the last one
        if holder is not None and holder.part not in _DUTY_BODY_PARTS:
            continue
        sentence = text[start:end]
        outside = holder is None and (_SHORTCOMING.search(sentence) or _ABOUT_THE_REPORT.search(sentence))
        if _DUTY_ACT.search(sentence) and not outside:
            found.append(BodySentence(start, end, holder.id if holder else None))
    return found


def _leader_mentions(text: str, end: int) -> list[re.Match[str]]:
    """LEADER's matches in text[:end], in order (as LEADER.search finds them one after another: no match of either
    part overlaps another of the same part)."""
    found = [match for part in _LEADER_PARTS for match in part.finditer(text, 0, end)]
    return sorted(found, key=lambda match: match.start())


def work_done_sentences(text: str) -> list[BodySentence]:
    """In a text without numbered headings: the sentences of work done, when the body reports measures.

    That takes a text about 法治政府/依法行政 with at least three sentences of work done (开展, 出台, 举办…), so a
    notice or a letter that mentions 法治 once does not pass for a report; otherwise the list is empty.
    """
    stop_at = body_end(text)
    if _GOVERNMENT_LAW.search(text, 0, stop_at) is None:
        return []
    found = []
    pos = 0
    while pos < stop_at:
        stop = SENTENCE_OR_LINE_END.search(text, pos, stop_at)
        end = stop.end() if stop else stop_at
        if _WORK_DONE.search(text, pos, end):
            raw = text[pos:end]
            start = pos + len(raw) - len(raw.lstrip())
            found.append(BodySentence(start, pos + len(raw.rstrip()), None))
        pos = end
    return found if len(found) >= _MIN_WORK_SENTENCES else []


def sentence_span(text: str, pos: int, floor: int, ceiling: int) -> tuple[int, int]:
    """The sentence around `pos` within [floor, ceiling): after the last stop before it, through the next stop
    (a full stop is kept, a line break is not); at most _MAX_SENTENCE characters on either side of `pos`."""
    start = max(floor, pos - _MAX_SENTENCE)
    for stop in SENTENCE_OR_LINE_END.finditer(text, start, pos):
        start = stop.end()
    while start < pos and text[start].isspace():
        start += 1
    stop = SENTENCE_OR_LINE_END.search(text, pos, min(ceiling, pos + _MAX_SENTENCE))
    end = stop.end() if stop and stop.group() != "\n" else (stop.start() if stop else min(ceiling, pos + _MAX_SENTENCE))
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
