"""Structure: the heading tree of a report and which of the 督察规定's five parts it covers.

`parse_sections` finds numbered headings (一、 （一） 1. （1） 一是) in one regex pass and keeps a candidate only when
it fits the numbering sequence open at that point: 二、 must follow 一、, a new list must start at 一. Levels are the
nesting order as met, not fixed per style, so （一） directly under 一、 and 一是 under （一） both work; 一、 and 一．
are two styles (two levels), never one list repeated. Skips (四→六) and repeats (（四） twice) are accepted only at a
strong position (line start or after white space). Unnumbered run-in lead sentences ("落实第一责任人责任。") become
headings only at paragraph starts and only when sibling paragraphs share the pattern. A web/WeChat copy without a
numbered top level gets its top level from stand-alone short lines between body paragraphs (two such lines make
one heading), with any numbered headings nested under them. The trailing sign-off (issuer + date, found by
`signoff_start`) is outside every section.

`assess_compliance` reports each part as present (with the ids of the sections carrying it) or missing, and explains
drift from the standard layout in notes: parts out of order, numbering skips/repeats, leadership only as a
subsection or only in the body of measures (`leadership_sentences`), measures of a text without numbered headings
(`work_done_sentences`), and a closing "下步，…将…" sentence standing in for a plans part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from drafter.models import PART_LABELS, PARTS, REQUIRED_PARTS, Compliance, HeadingStyle, Part, PartStatus, Section
from drafter.numerals import parse_chinese
from drafter.text import clip

_MAX_LEVEL = 5
_MAX_PREAMBLE_LIST = 6
_NUMBERED_STYLES: frozenset[HeadingStyle] = frozenset({"chinese", "paren", "arabic", "paren_arabic"})
# 一． / 一. is its own list (style "chinese" all the same): some reports number level 2 so under a 一、 level 1.
_CHINESE_DOT = "chinese_dot"
_CHINESE_KEYS = ("chinese", _CHINESE_DOT)

# One pass finds every numbering token at a boundary (text start, white space, 。；：！？, or a comma before 一是);
# `_Numbering.accept` checks the sequence. The leading lookahead lets the engine skip positions on one cheap test.
_CANDIDATE = re.compile(
    r"(?=[（(一二三四五六七八九十\d])(?:^|(?<=[\s。；;：:！!？?，,]))(?:"
    r"(?P<paren>[（(](?P<pv>[一二三四五六七八九十]{1,3})[)）])"
    r"|(?P<paren_arabic>[（(](?P<pav>\d{1,2})[)）])"
    r"|(?P<chinese>(?P<cv>[一二三四五六七八九十]{1,3})[、.．])(?![一二三四五六七八九十][、.．])"
    r"|(?P<runin>(?P<rv>[一二三四五六七八九十]{1,2})是)"
    r"|(?P<arabic>(?P<av>\d{1,2})[.．、](?!\d))"
    r")"
)
_VALUE_GROUP: dict[str, str] = {"paren": "pv", "paren_arabic": "pav", "chinese": "cv", "runin": "rv", "arabic": "av"}
# Where a heading's text stops: a full stop (kept), a line end, white space before the body, or a colon.
_HEADING_STOP = re.compile(r"[。：:]|\s")
# A run-in heading is only its first clause: "一是狠抓关键少数。" / "一是紧凑有序推进我市机构改革工作,".
_RUNIN_STOP = re.compile(r"[。；;，,：:]|\s")
_CLAUSE_STOP = re.compile(r"[，,；;]")
_MAX_HEADING = 100
_MAX_RUNON_HEADING = 40
_MIN_HEADING_CLAUSE = 8
# A numbering marker that opens the body's own list: a heading never runs over it ("…责任,一是…", "…(一)…").
_INNER_MARKER = re.compile(
    r"[（(][一二三四五六七八九十]{1,3}[)）]|(?<![第统唯同单])一是|(?<=[，,；;\s])[二三四五六七八九十]{1,2}是")
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

# 2025年1月15日 or 二〇二五年一月十五日; the groups y, m, d are read by extract.meta.
CHINESE_DATE = (
    r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_SIGNOFF_DATE = re.compile(CHINESE_DATE + r"\s*$")
_DATE_IN_LINE = re.compile(CHINESE_DATE)
_SENTENCE_END = re.compile(r"[。！!？?；;]")
_NOT_ISSUER = re.compile(r"[，,。：:；;]")
_SIGNOFF_WINDOW = 200
_MAX_ISSUER = 60

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
# A body sentence reports the duty performed when it names the principal leaders and what they did with it.
_LEADER = re.compile(r"第一责任人|主要负责(?:人|同志)|主要领导")
_DUTY_ACT = re.compile(r"履行|履职|职责|述法|述职|研究|部署|主持|听取|带头|亲自")
# "…履行第一责任人职责不到位": a shortcoming, not the duty performed (matters where no heading says problems).
_SHORTCOMING = re.compile(r"不够|不到位|不足|不强|有待|仍需|欠缺|差距")
_BODY_SENTENCE_END = re.compile(r"[。！!？?；;\n]")
_LEADERSHIP_BODY_PARTS: frozenset[Part | None] = frozenset({"measures", "leadership", None})
# Without headings, a body that reports work done (these verbs, sentence after sentence) is the measures part.
_WORK_DONE = re.compile(r"开展|举办|召开|出台|制定|印发|修订|建立|健全|完成|组织|办理|审查|编写|部署|推动|实现")
_GOVERNMENT_LAW = re.compile(r"法治政府|依法行政")
_MIN_WORK_SENTENCES = 3
_MAX_SENTENCE = 200
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
# "上一年度存在问题改进情况" reports work done on old problems: a measure, not the problems part.
_PROBLEMS_FIXED = re.compile(r"(?:问题|不足|短板)[^，,。]{0,8}(?:整改|改进|解决|落实)(?:落实)?情况")
_PROBLEM_MENTION = re.compile(r"(?:存在|仍有|还有|尚有)[^。；;]{0,20}(?:不足|问题|短板|差距|薄弱)")
_SENTENCE_START = re.compile(r"[。！!？?；;\n]")

_NOT_NUMERAL = re.compile(r"[^0-9一二三四五六七八九十]")
# Part notes that place a required part inside another part's section; compliance notes repeat them.
_AS_SUBSECTION = "仅作为"
_IN_BODY = "仅见于"

_QUOTE_CHARS = 30
_QUOTE_LEAD = 8


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


def parse_sections(text: str) -> list[Section]:
    """The heading tree of `text` in document order, with spans, parents, levels, styles and parts.

    Ids are tree positions ('1', '1.2', '1.2.3'). `end` is the start of the next heading of the same or a higher
    level, or the end of the body: a trailing sign-off and a forward-looking closing paragraph after a non-plans
    last part are outside every section.
    """
    body_end = _body_end(text)
    headings = _numbered_headings(text, 0, body_end)
    if not any(h.level == 1 and h.style == "chinese" for h in headings):
        # Numbered headings are preferred; stand-alone lines make the top level only above the first of them.
        lines = _line_headings(text, body_end)
        if len(lines) >= 2 and (not headings or lines[0].start < headings[0].start):
            headings = _under_line_headings(text, lines, body_end)
    _set_heading_ends(text, headings, body_end)
    _set_ends(headings, body_end)
    headings = _with_leads(text, headings)
    sections = _build_sections(text, headings)
    _assign_parts(text, sections)
    closing = _closing_span(text, body_end)
    if closing is not None and sections and _top_levels(sections)[-1].part != "plans":
        _trim_to(text, sections, closing[0])
    return sections


def signoff_start(text: str) -> int | None:
    """Start of the trailing 落款 (issuer line(s) + date, or the date alone), or None when the text has none."""
    date = _SIGNOFF_DATE.search(text, max(0, len(text) - _SIGNOFF_WINDOW))
    if date is None:
        return None
    prev_end = 0
    for prev_end_match in _SENTENCE_END.finditer(text, max(0, date.start() - _MAX_ISSUER - 1), date.start()):
        prev_end = prev_end_match.end()
    if date.start() and not text[date.start() - 1].isspace():
        return None  # "…审议通过于2025年1月15日": a date inside the last sentence, not a sign-off
    issuer = text[prev_end:date.start()]
    if prev_end and issuer.strip() and not _NOT_ISSUER.search(issuer):
        return prev_end + len(issuer) - len(issuer.lstrip())
    return date.start()


def _body_end(text: str) -> int:
    signoff = signoff_start(text)
    return len(text[:signoff].rstrip())


# ---------------------------------------------------------------------------------------------- numbered headings


def _numbered_headings(text: str, start: int, end: int, *, in_section: bool = False) -> list[_Heading]:
    """Numbered headings in text[start:end], levels counted from 1; `in_section` when the span is one section's
    body, where a 一是 list may open the first level."""
    accepted: list[_Heading] = []
    numbering = _Numbering(in_section)
    for match in _CANDIDATE.finditer(text, start, end):
        style, value = _style_and_value(match)
        if value is None:
            continue
        prev = text[match.start() - 1] if match.start() else "\n"
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
            accepted.append(_Heading(match.start(), match.end(), style, value, level))
    return accepted


def _sequence_key(style: HeadingStyle, match: re.Match[str]) -> str:
    """The numbering sequence a token belongs to: 一、 and 一．/一. are two lists (two levels), not one."""
    if style == "chinese" and match.group("chinese")[-1] != "、":
        return _CHINESE_DOT
    return style


def _style_and_value(match: re.Match[str]) -> tuple[HeadingStyle, int | None]:
    style: HeadingStyle = match.lastgroup  # type: ignore[assignment]  # the outer group closes last
    raw = match.group(_VALUE_GROUP[style])
    return style, int(raw) if raw.isdigit() else parse_chinese(raw)


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
        depth = next((d for d, open_ in enumerate(self.open) if open_.key == key), None)
        level = len(self.open) + 1
        if depth is None and value != 1 and self.closed.get(key) != (level, value - 1) and strong:
            # "一、…二．…三、": a 二 that only the other separator's list can take continues it (a typo).
            twin = _CHINESE_KEYS[1 - _CHINESE_KEYS.index(key)] if key in _CHINESE_KEYS else None
            depth = next((d for d, open_ in enumerate(self.open) if open_.key == twin and open_.ordinal + 1 == value),
                         None)
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


# ---------------------------------------------------------------------------------------------- line headings


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
    return _is_body(text, line) or _CANDIDATE.match(text, line[0]) is not None


def _is_heading_line(text: str, start: int, end: int) -> bool:
    if not _MIN_LINE_HEADING <= end - start <= _MAX_LINE_LEAD:
        return False
    line = text[start:end]
    return (
        _HAN_PAIR.search(line) is not None
        and _NOT_LINE_HEADING.search(line) is None
        and _CANDIDATE.match(text, start) is None
        and _DATE_IN_LINE.search(line) is None
    )


def _glued_tail(text: str, start: int, end: int) -> int | None:
    """Start of a short unpunctuated tail after the last full stop of a long line, or None."""
    if end - start < _MIN_BODY_LINE or text[end - 1] in _LINE_END_PUNCT:
        return None
    stop = _SENTENCE_END.search(text[max(start, end - _MAX_LINE_LEAD - 1):end][::-1])
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


# ---------------------------------------------------------------------------------------------- lead headings


def _with_leads(text: str, headings: list[_Heading]) -> list[_Heading]:
    """Adds unnumbered lead headings inside leaf sections, when at least two leaves use them and most do."""
    if not headings:
        return headings
    candidates: dict[int, list[tuple[int, _Heading, int]]] = {}
    paragraphs: dict[int, int] = {}
    for i, heading in enumerate(headings):
        is_leaf = i + 1 == len(headings) or headings[i + 1].level <= heading.level
        if not is_leaf or heading.style not in _NUMBERED_STYLES or heading.level >= _MAX_LEVEL:
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


# ---------------------------------------------------------------------------------------------- tree and parts


def _build_sections(text: str, headings: list[_Heading]) -> list[Section]:
    sections: list[Section] = []
    path: list[Section] = []
    child_counts: dict[str | None, int] = {}
    for heading in headings:
        while path and path[-1].level >= heading.level:
            path.pop()
        parent = path[-1].id if path else None
        child_counts[parent] = child_counts.get(parent, 0) + 1
        section_id = f"{parent}.{child_counts[parent]}" if parent else str(child_counts[parent])
        section = Section(
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


def _assign_parts(text: str, sections: list[Section]) -> None:
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


def _top_levels(sections: list[Section]) -> list[Section]:
    return [s for s in sections if s.parent is None]


def _closing_span(text: str, body_end: int) -> tuple[int, int] | None:
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


def _trim_to(text: str, sections: list[Section], cut: int) -> None:
    """Ends every section that ran to the end of the body at `cut` instead (only a line-start closing paragraph)."""
    if cut == 0 or text[cut - 1] != "\n":
        return
    new_end = len(text[:cut].rstrip())
    for section in sections:
        if section.end >= cut and section.start < cut:
            section.end = max(new_end, section.heading_end)


# ---------------------------------------------------------------------------------------------- compliance


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
    tops = _top_levels(sections)
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

    closing = _closing_span(text, _body_end(text))
    if not roots["plans"] and closing is not None:
        quote = _short(text[closing[0]:closing[1]])
        part_notes["plans"].append(f"未单列下一年度安排，仅有结尾一句：“{quote}”")
        notes.append(f"未单列{_part_name('plans')}部分，报告仅以结尾一句展望下一年度：“{quote}”")
    if not roots["problems"]:
        mention = _PROBLEM_MENTION.search(text, tops[0].start if tops else 0)
        if mention is not None:
            part_notes["problems"].append(f"未单列，仅在正文中提及：“{_sentence_at(text, mention.start())}”")
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
                f"{_IN_BODY}{where}正文：“{_sentence_at(text, _LEADER.search(text, first.start).start())}”"
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


@dataclass(frozen=True)
class BodySentence:
    """A sentence of `text` ([start, end)) inside section `section` (None in a text without headings)."""

    start: int
    end: int
    section: str | None


def leadership_sentences(text: str, sections: list[Section]) -> list[BodySentence]:
    """Sentences reporting the principal leaders performing their 第一责任人 duty, where no section carries it.

    A sentence counts when it names the leaders (第一责任人, 主要负责人/同志, 主要领导) and what they did (履行, 研究,
    部署, 述法…), and lies in a measures or leadership section: "落实第一责任人制度" in a plans part is an intention,
    and the preamble and closing frame the report. In a text without headings the whole body is searched, leaving
    out sentences that state a shortcoming. Empty when a section already carries the leadership part.
    """
    if any(s.part == "leadership" for s in sections):
        return []
    scan_start, scan_end = (sections[0].start, max(s.end for s in sections)) if sections else (0, _body_end(text))
    found: list[BodySentence] = []
    pos = scan_start
    while (leader := _LEADER.search(text, pos, scan_end)) is not None:
        start, end = _sentence_span(text, leader.start(), scan_start, scan_end)
        pos = max(end, leader.end())
        holder = _innermost(sections, leader.start())
        if sections and (holder is None or holder.part not in _LEADERSHIP_BODY_PARTS):
            continue
        sentence = text[start:end]
        if _DUTY_ACT.search(sentence) and not (holder is None and _SHORTCOMING.search(sentence)):
            found.append(BodySentence(start, end, holder.id if holder else None))
    return found


def work_done_sentences(text: str) -> list[BodySentence]:
    """In a text without numbered headings: the sentences of work done, when the body reports measures.

    That takes a text about 法治政府/依法行政 with at least three sentences of work done (开展, 出台, 举办…), so a
    notice or a letter that mentions 法治 once does not pass for a report; otherwise the list is empty.
    """
    body_end = _body_end(text)
    if _GOVERNMENT_LAW.search(text, 0, body_end) is None:
        return []
    found = []
    pos = 0
    while pos < body_end:
        stop = _BODY_SENTENCE_END.search(text, pos, body_end)
        end = stop.end() if stop else body_end
        if _WORK_DONE.search(text, pos, end):
            raw = text[pos:end]
            start = pos + len(raw) - len(raw.lstrip())
            found.append(BodySentence(start, pos + len(raw.rstrip()), None))
        pos = end
    return found if len(found) >= _MIN_WORK_SENTENCES else []


def _sentence_span(text: str, pos: int, floor: int, ceiling: int) -> tuple[int, int]:
    """The sentence around `pos` within [floor, ceiling): after the last stop before it, through the next stop
    (a full stop is kept, a line break is not); at most _MAX_SENTENCE characters on either side of `pos`."""
    start = max(floor, pos - _MAX_SENTENCE)
    for stop in _BODY_SENTENCE_END.finditer(text, start, pos):
        start = stop.end()
    while start < pos and text[start].isspace():
        start += 1
    stop = _BODY_SENTENCE_END.search(text, pos, min(ceiling, pos + _MAX_SENTENCE))
    end = stop.end() if stop and stop.group() != "\n" else (stop.start() if stop else min(ceiling, pos + _MAX_SENTENCE))
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _numbering_notes(sections: list[Section]) -> list[str]:
    notes = []
    previous: dict[tuple[str | None, HeadingStyle], Section] = {}
    for section in sections:
        if section.style not in _NUMBERED_STYLES or section.number is None:
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


def _ordinal(number: str) -> int | None:
    digits = _NOT_NUMERAL.sub("", number)
    if not digits:
        return None
    return int(digits) if digits.isdigit() else parse_chinese(digits)


def _innermost(sections: list[Section], pos: int) -> Section | None:
    holder = None
    for section in sections:
        if section.start <= pos < section.end:
            holder = section
    return holder


def _part_name(part: Part) -> str:
    return f"“{PART_LABELS[part]}”"


def _in_part(part: Part | None) -> str:
    return f"（{PART_LABELS[part]}）" if part is not None else ""


def _short(quote: str) -> str:
    return clip(quote.strip(), _QUOTE_CHARS)


def _sentence_at(text: str, pos: int) -> str:
    """The sentence around `pos`, shortened for a note: from its start, or from just before `pos` when long."""
    start = 0
    for stop in _SENTENCE_START.finditer(text, max(0, pos - 200), pos):
        start = stop.end()
    end = text.find("。", pos)
    sentence_end = end + 1 if end >= 0 else len(text)
    if pos - start > _QUOTE_LEAD:
        return "…" + _short(text[pos - _QUOTE_LEAD:sentence_end])
    return _short(text[start:sentence_end])
