"""Headings: numbered (一、 （一） 1. （1） 一是) found in one regex pass and kept only when they fit the numbering
sequence open at that point; stand-alone short lines in web/WeChat copies; unnumbered run-in lead sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from drafter.models import HeadingStyle, Section, build
from drafter.numerals import parse_chinese
from drafter.structure.signoff import CHINESE_DATE
from drafter.text import SENTENCE_END

_MAX_LEVEL = 5
_MAX_PREAMBLE_LIST = 6
NUMBERED_STYLES: frozenset[HeadingStyle] = frozenset({"chinese", "paren", "arabic", "paren_arabic"})
# 一． / 一. is its own list (style "chinese" all the same): some reports number level 2 so under a 一、 level 1.
_CHINESE_DOT = "chinese_dot"
_CHINESE_KEYS = ("chinese", _CHINESE_DOT)
_TWIN_KEY = {"chinese": _CHINESE_DOT, _CHINESE_DOT: "chinese"}
# A numbering token; `_Numbering.accept` checks the sequence. The leading lookahead rules out most positions on
# one cheap test.
_NUMBER = re.compile(
    r"(?=[（(一二三四五六七八九十\d])(?:"
    r"(?P<paren>[（(](?P<pv>[一二三四五六七八九十]{1,3})[)）])"
    r"|(?P<paren_arabic>[（(](?P<pav>\d{1,2})[)）])"
    r"|(?P<chinese>(?P<cv>[一二三四五六七八九十]{1,3})[、.．])(?![一二三四五六七八九十][、.．])"
    r"|(?P<runin>(?P<rv>[一二三四五六七八九十]{1,2})是)"
    r"|(?P<arabic>(?P<av>\d{1,2})[.．、](?!\d))"
    r")"
)
# The characters \s matches, listed: re scans for a class of listed characters faster than for one holding the \s
# category (tests/test_structure.py checks the list against str.isspace).
_SPACE_CHARS = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# One pass finds every numbering token at a boundary (white space, 。；：！？, or a comma before 一是; the text start is
# tried apart). The boundary character is part of the match: a pattern that opens on a character class is scanned
# for quickly, one that opens on a lookbehind is tried at every position (twice the cost).
_CANDIDATE = re.compile(rf"[{_SPACE_CHARS}。；;：:！!？?，,]" + _NUMBER.pattern)
_VALUE_GROUP: dict[str, str] = {"paren": "pv", "paren_arabic": "pav", "chinese": "cv", "runin": "rv", "arabic": "av"}
# Where a heading's text stops: a full stop (kept), a line end, white space before the body, or a colon.
_HEADING_STOP = re.compile(rf"[。：:{_SPACE_CHARS}]")
# A run-in heading is only its first clause: "一是狠抓关键少数。" / "一是紧凑有序推进我市机构改革工作,".
_RUNIN_STOP = re.compile(rf"[。；;，,：:{_SPACE_CHARS}]")
_CLAUSE_STOP = re.compile(r"[，,；;]")
_MAX_HEADING = 100
_MAX_RUNON_HEADING = 40
_MIN_HEADING_CLAUSE = 8
# A numbering marker that opens the body's own list: a heading never runs over it ("…责任,一是…", "…(一)…"): a
# bracketed numeral, 一是 not after 第统唯同单, or 二是…十是 after a comma or white space. The first character is
# matched by one class and checked by lookbehinds after it, so re scans for the class quickly.
_INNER_MARKER = re.compile(
    r"[（(一二三四五六七八九十]"
    r"(?:(?<=[（(])[一二三四五六七八九十]{1,3}[)）]|(?<=一)(?<![第统唯同单]一)是"
    r"|(?<=[，,；;\s][二三四五六七八九十])[二三四五六七八九十]?是)")


_MAX_LINE_HEADING = 60
# Stand-alone line headings (web/WeChat copies without numbers): short lines between long body lines; not a title
# (…报告), a date line, an issuer (…人民政府), an addressee or label (…：), a sentence (。) or page chrome.
_MIN_LINE_HEADING = 4
_MAX_LINE_LEAD = 30
_MIN_BODY_LINE = 60
_HAN_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")
_NOT_LINE_HEADING = re.compile(
    r"[。！!？?；;：:>|»]|报告》?$|(?:人民政府|委员会|办公室|办公厅)$"
    r"|^(?:来源|作者|编辑|责任编辑|发布|点击|阅读|分享|扫一扫|关注|返回|打印|关闭|字号|当前位置|首页|上一篇|下一篇)")


_BODY_END_PUNCT = "。！!？?；;：:"
_LINE_END_PUNCT = "。！!？?；;，,、：:”’）)》"
# Lead headings: a short first sentence with no figures and no inner punctuation ("落实第一责任人责任。") that
# the paragraph goes on after, or such a phrase standing alone on its line (docx/html bold sub-headings).
_LEAD = re.compile(r"[^。，,、；;：:！!？?\s\d]{4,25}(?:。(?=\S)|(?=\n\S))")
_NOT_LEAD = re.compile(r"^(?:虽然|尽管|但|同时|此外|另外|总之|综上|经|通过|目前|截至|其中|为)")
_DATE_IN_LINE = re.compile(CHINESE_DATE)


@dataclass
class _Heading:
    start: int
    number_end: int
    style: HeadingStyle
    ordinal: int | None
    level: int
    heading_end: int = 0
    end: int = 0


@dataclass
class _Open:
    key: str
    ordinal: int


def find_headings(text: str, body_end: int) -> list[_Heading]:
    """Every heading before `body_end`, with its level, heading end and section end."""
    headings = _numbered_headings(text, 0, body_end)
    if not any(h.level == 1 and h.style == "chinese" for h in headings):
        # Numbered headings are preferred; stand-alone lines make the top level only above the first of them.
        lines = _line_headings(text, body_end)
        if len(lines) >= 2 and (not headings or lines[0].start < headings[0].start):
            headings = _under_line_headings(text, lines, body_end)
    _set_heading_ends(text, headings, body_end)
    _set_ends(headings, body_end)
    return _with_leads(text, headings)


def _numbered_headings(text: str, start: int, end: int, *, in_section: bool = False) -> list[_Heading]:
    """Numbered headings in text[start:end], levels counted from 1; `in_section` when the span is one section's
    body, where a 一是 list may open the first level."""
    accepted: list[_Heading] = []
    numbering = _Numbering(in_section)
    for match in _candidates(text, start, end):
        style, value = _style_and_value(match)
        if value is None:
            continue
        token_start = match.start(style)
        prev = text[token_start - 1] if token_start else "\n"
        if prev in "，," and style != "runin":
            continue
        opened = numbering.open
        if style == "chinese" and value == 1 and prev.isspace() and opened and opened[0].key not in _CHINESE_KEYS:
            # 一、 is the top level wherever it appears: a short 1./（一） list before it was the preamble's own.
            if len(accepted) <= _MAX_PREAMBLE_LIST and all(h.style != "chinese" for h in accepted):
                accepted.clear()
                numbering.reset()
        level = numbering.accept(_sequence_key(style, match), value, strong=prev.isspace())
        if level is not None:
            accepted.append(_Heading(token_start, match.end(), style, value, level))
    return accepted


def _candidates(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The numbering tokens at a boundary in text[start:end], in order (the style group spans the token)."""
    if start == 0:
        first = _NUMBER.match(text, 0, end)
        if first is not None:
            yield first
    yield from _CANDIDATE.finditer(text, max(start - 1, 0), end)


def _sequence_key(style: HeadingStyle, match: re.Match[str]) -> str:
    """The numbering sequence a token belongs to: 一、 and 一．/一. are two lists (two levels), not one."""
    if style == "chinese" and match.group("chinese")[-1] != "、":
        return _CHINESE_DOT
    return style


def _style_and_value(match: re.Match[str]) -> tuple[HeadingStyle, int | None]:
    style: HeadingStyle = match.lastgroup  # type: ignore[assignment]  # the outer group closes last
    return style, _numeral_value(match.group(_VALUE_GROUP[style]))


@lru_cache(maxsize=None)  # at most 1–3 numerals or 1–2 digits: a few hundred tokens in all
def _numeral_value(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else parse_chinese(raw)


class _Numbering:
    """The numbering sequences open at the current point of the text, outermost first."""

    def __init__(self, in_section: bool = False) -> None:
        self.in_section = in_section
        self.open: list[_Open] = []
        # Where each closed sequence stopped (level, last ordinal): some reports count 1. 2. under （一） and go
        # on with 3. under （二）.
        self.closed: dict[str, tuple[int, int]] = {}

    def reset(self) -> None:
        self.open.clear()
        self.closed.clear()

    def accept(self, key: str, value: int, *, strong: bool) -> int | None:
        """The level of the candidate if it continues or opens sequence `key` (a style, or _CHINESE_DOT); updates
        the open sequences."""
        depth = self._depth(key)
        level = len(self.open) + 1
        if depth is None and value != 1 and strong and self.closed.get(key) != (level, value - 1):
            # "一、…二．…三、": a 二 that only the other separator's list can take continues it (a typo).
            twin = self._depth(_TWIN_KEY.get(key))
            depth = twin if twin is not None and self.open[twin].ordinal + 1 == value else None
        if depth is not None:
            last = self.open[depth].ordinal
            deepest = depth == len(self.open) - 1
            follows = value == last + 1
            # A skip (四→六) or a repeat (（四）twice) is an author's slip, believable only where headings stand.
            slip = strong and key != "runin" and (value == last or last + 2 <= value <= last + 3)
            # A new 一是…/1. list in a later paragraph of the same section restarts the innermost level.
            restart = value == 1 and deepest and (key == "runin" or (strong and key in ("arabic", "paren_arabic")))
            if not (follows or slip or restart):
                return None
            self._close_below(depth + 1)
            self.open[depth].ordinal = value
            return depth + 1
        if level > _MAX_LEVEL or (key == "runin" and not self.open and not self.in_section):
            return None
        if value != 1 and (key == "runin" or self.closed.get(key) != (level, value - 1)):
            return None
        self.open.append(_Open(key, value))
        return level

    def _depth(self, key: str | None) -> int | None:
        """Where sequence `key` is open (a key is open at most once), or None."""
        for depth, open_ in enumerate(self.open):
            if open_.key == key:
                return depth
        return None

    def _close_below(self, depth: int) -> None:
        for index in range(depth, len(self.open)):
            self.closed[self.open[index].key] = (index + 1, self.open[index].ordinal)
        del self.open[depth:]


def _set_heading_ends(text: str, headings: list[_Heading], body_end: int) -> None:
    for i, heading in enumerate(headings):
        if heading.style == "lead":
            continue  # a stand-alone line heading knows its end already
        limit = headings[i + 1].start if i + 1 < len(headings) else body_end
        pos = heading.number_end
        while pos < limit and text[pos] in " \t\u3000":
            pos += 1
        line_end = text.find("\n", pos, limit)
        line = text[pos:line_end] if line_end >= 0 else ""
        if heading.style != "runin" and line and len(line) <= _MAX_LINE_HEADING and "。" not in line:
            # A heading on its own line is the whole line, even with a space inside (PDF and docx copies).
            end = pos + len(line.rstrip())
        else:
            stop = (_RUNIN_STOP if heading.style == "runin" else _HEADING_STOP).search(text, pos, limit)
            if stop is None:
                end = len(text[:limit].rstrip())
            else:
                end = stop.end() if stop.group() == "。" else stop.start()
            if heading.style != "runin" and end - pos > _MAX_RUNON_HEADING:
                # No full stop or line end for a long way: the body runs on (one-line text); the heading is its
                # clauses up to the last comma within reach ("一、坚持党的领导,坚决扛牢…政治责任坚持“…”,以…").
                cut = None
                for clause in _CLAUSE_STOP.finditer(text, pos + _MIN_HEADING_CLAUSE, pos + _MAX_RUNON_HEADING):
                    cut = clause.start()
                end = cut if cut is not None else end
            marker = _INNER_MARKER.search(text, pos + 1, end)
            end = marker.start() if marker is not None else end
            while end > pos and text[end - 1] in "，,；; \t\u3000":  # the comma before the next heading
                end -= 1
        if end - heading.start > _MAX_HEADING:
            clause = _CLAUSE_STOP.search(text, pos, end)
            end = clause.start() if clause else heading.start + _MAX_HEADING
        heading.heading_end = max(end, heading.number_end)


def _set_ends(headings: list[_Heading], body_end: int) -> None:
    """Each heading's section runs to the next heading at its own or a higher level (one backwards pass)."""
    next_at_level: list[int] = [body_end] * (_MAX_LEVEL + 2)
    for heading in reversed(headings):
        heading.end = next_at_level[heading.level]
        for level in range(heading.level, _MAX_LEVEL + 2):
            next_at_level[level] = heading.start


def _line_headings(text: str, body_end: int) -> list[_Heading]:
    """Unnumbered top-level headings of web/WeChat copies: one or two short lines standing between body paragraphs
    ("全面贯彻落实党的二十大精神⏎统筹推进法治政府建设高质量发展"). A two-line heading keeps its line break."""
    lines: list[tuple[int, int]] = []
    pos = 0
    while pos < body_end:
        line_end = text.find("\n", pos, body_end)
        line_end = body_end if line_end < 0 else line_end
        start, end = pos, line_end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            lines.append((start, end))
        pos = line_end + 1
    if len(lines) < 5:
        return []
    found: list[_Heading] = []
    i = 0
    while i + 1 < len(lines):
        start, end = lines[i]
        following = lines[i + 1]
        two_lines = i + 2 < len(lines) and _opens_body(text, lines[i + 2]) and _is_heading_line(text, *following)
        heading_start: int | None = None
        if _is_heading_line(text, start, end):
            if i and _is_body(text, lines[i - 1]) and (two_lines or _opens_body(text, following)):
                heading_start = start
        elif two_lines:
            # A copy that lost a paragraph break glues the heading's first line to the body before it
            # ("…取得重要进展和成效。全面贯彻落实党的二十大精神"); trusted only as a two-line heading's first line.
            heading_start = _glued_tail(text, start, end)
        if heading_start is None:
            i += 1
            continue
        found.append(_Heading(heading_start, heading_start, "lead", None, 1, following[1] if two_lines else end))
        i += 2 if two_lines else 1
    # Headings stand between bodies: one with hardly any text under it is a line of a list.
    bounds = [h.start for h in found[1:]] + [body_end]
    return [h for h, bound in zip(found, bounds) if bound - h.heading_end >= _MIN_BODY_LINE]


def _is_body(text: str, line: tuple[int, int]) -> bool:
    """A long paragraph, or a shorter one that ends a sentence ("…仍存在一些不容忽视的问题：")."""
    start, end = line
    return end - start >= _MIN_BODY_LINE or (end - start > _MAX_LINE_LEAD and text[end - 1] in _BODY_END_PUNCT)


def _opens_body(text: str, line: tuple[int, int]) -> bool:
    """A body paragraph, or a numbered line (a heading's first subsection: "（一）深入学习…")."""
    return _is_body(text, line) or _NUMBER.match(text, line[0]) is not None  # a line start is a boundary


def _is_heading_line(text: str, start: int, end: int) -> bool:
    if not _MIN_LINE_HEADING <= end - start <= _MAX_LINE_LEAD:
        return False
    line = text[start:end]
    return (
        _HAN_PAIR.search(line) is not None
        and _NOT_LINE_HEADING.search(line) is None
        and _NUMBER.match(text, start) is None  # a line start or a sentence end: a boundary
        and _DATE_IN_LINE.search(line) is None
    )


def _glued_tail(text: str, start: int, end: int) -> int | None:
    """Start of a short unpunctuated tail after the last full stop of a long line, or None."""
    if end - start < _MIN_BODY_LINE or text[end - 1] in _LINE_END_PUNCT:
        return None
    stop = SENTENCE_END.search(text[max(start, end - _MAX_LINE_LEAD - 1):end][::-1])
    if stop is None:
        return None
    tail = end - stop.start()
    if tail - start < _MIN_BODY_LINE or not _is_heading_line(text, tail, end):
        return None
    return tail


def _under_line_headings(text: str, lines: list[_Heading], body_end: int) -> list[_Heading]:
    """Line headings as level 1, each with the numbered headings of its own body one level down."""
    headings: list[_Heading] = []
    for k, line in enumerate(lines):
        headings.append(line)
        section_end = lines[k + 1].start if k + 1 < len(lines) else body_end
        for inner in _numbered_headings(text, line.heading_end, section_end, in_section=True):
            if inner.level < _MAX_LEVEL:
                inner.level += 1
                headings.append(inner)
    return headings


def _with_leads(text: str, headings: list[_Heading]) -> list[_Heading]:
    """Adds unnumbered lead headings inside leaf sections, when at least two leaves use them and most do."""
    if not headings:
        return headings
    candidates: dict[int, list[tuple[int, _Heading, int]]] = {}
    paragraphs: dict[int, int] = {}
    for i, heading in enumerate(headings):
        is_leaf = i + 1 == len(headings) or headings[i + 1].level <= heading.level
        if not is_leaf or heading.style not in NUMBERED_STYLES or heading.level >= _MAX_LEVEL:
            continue
        body_of_lead_line = -1  # the paragraph after a stand-alone lead line is its body, not a sibling
        for start in _paragraph_starts(text, heading.heading_end, heading.end):
            if start == body_of_lead_line:
                continue
            paragraphs[heading.level] = paragraphs.get(heading.level, 0) + 1
            lead = _LEAD.match(text, start, heading.end)
            if lead and not _NOT_LEAD.match(lead.group()):
                candidates.setdefault(heading.level, []).append((start, heading, lead.end()))
                if not lead.group().endswith("。"):
                    body_of_lead_line = lead.end() + 1
    leads = []
    for level, found in candidates.items():
        if len(found) < 2 or 2 * len(found) < paragraphs[level]:
            continue
        for k, (start, container, heading_end) in enumerate(found):
            following = found[k + 1][0] if k + 1 < len(found) and found[k + 1][1] is container else None
            end = following if following is not None else container.end
            leads.append(_Heading(start, start, "lead", None, level + 1, heading_end, end))
    return sorted(headings + leads, key=lambda h: h.start) if leads else headings


def _paragraph_starts(text: str, start: int, end: int) -> list[int]:
    """Starts of the paragraphs in text[start:end]: first non-space character after each line break."""
    starts = []
    pos = text.find("\n", start, end)
    while pos >= 0:
        first = pos + 1
        while first < end and text[first].isspace():
            first += 1
        if first < end:
            starts.append(first)
        pos = text.find("\n", first, end)
    return starts


def build_sections(text: str, headings: list[_Heading]) -> list[Section]:
    sections: list[Section] = []
    path: list[Section] = []
    child_counts: dict[str | None, int] = {}
    for heading in headings:
        while path and path[-1].level >= heading.level:
            path.pop()
        parent = path[-1].id if path else None
        child_counts[parent] = child_counts.get(parent, 0) + 1
        section_id = f"{parent}.{child_counts[parent]}" if parent else str(child_counts[parent])
        section = build(
            Section,
            id=section_id,
            heading=text[heading.start:heading.heading_end],
            number=text[heading.start:heading.number_end] if heading.style != "lead" else None,
            style=heading.style,
            level=len(path) + 1,
            parent=parent,
            start=heading.start,
            heading_end=heading.heading_end,
            end=heading.end,
        )
        sections.append(section)
        path.append(section)
    return sections
