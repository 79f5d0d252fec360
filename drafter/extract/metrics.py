"""Every quantitative figure a report cites: counts, amounts, percentages, with the clause that carries it.

What counts as a figure:
- an Arabic number followed by a unit (件, 人次, 个百分点, 万元…), a multiplier (4.6万), or a percent sign, or
  ending a clause after 为/达/至 (败诉的案件为0);
- a Chinese numeral from 2 up followed by a measure word (两次, 三个重点); 一 + measure word is almost always
  idiomatic (一次办, 一件事, 一支队伍) and is skipped.
Not figures: years (2024年), dates (1月15日), anything after 第 (第二十四条, 第一批), numbers inside 《…》 titles or
document numbers (〔2023〕28号), numbers glued to Latin letters, named systems (三项制度, 四个一, 八五普法).

Values and units: 万/亿 before a money unit (元) stay in the unit as written (2亿元 → 2, '亿元'); before any other
unit they multiply the value (4.6万人次 → 46000, '人次'). `raw` is the number as written with its multiplier
('4.6万', '2亿', '3-5'); for a range the value is its lower end. A qualifier after the number (余/多/以上/以下/左右)
wins over one before it (超过/近/达/约…).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from drafter.extract.areas import classify_area
from drafter.models import Area, Metric, Part, Section

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千万": 1e7, "百万": 1e6}
_MONEY_UNITS = ("元", "美元")

# Unit, and what may not follow it (人民, 名单, 部门, 起草… are words, not a unit).
_UNITS: dict[str, str] = {
    "个百分点": "", "百分点": "", "个工作日": "", "工作日": "", "个月": "", "小时": "", "分钟": "",
    "人次": "", "件次": "", "户次": "", "家次": "", "场次": "", "批次": "", "班次": "", "条次": "", "车次": "",
    "台次": "", "辆次": "", "架次": "", "艘次": "", "期次": "",
    "平方公里": "", "平方米": "", "公里": "", "千米": "", "公顷": "", "学时": "", "课时": "", "周年": "",
    "美元": "", "元": "", "%": "", "％": "", "‰": "", "倍": "",
    "人": "民", "名": "单称义额", "位": "置于", "户": "籍口", "家": "庭属乡长", "个": "体", "件": "",
    "宗": "旨教", "起": "草诉到点步来", "次": "要级", "场": "所景地合", "项": "目", "部": "门署分", "期": "间限待望",
    "册": "", "本": "级地市区县领着", "份": "额", "条": "例件款", "篇": "章", "支": "持付出部", "台": "账", "所": "有属在以",
    "处": "理罚置室级长", "座": "谈", "辆": "", "套": "", "张": "", "批": "准复示评", "类": "型似", "种": "植类",
    "轮": "", "天": "然津", "周": "边期围末", "亩": "", "吨": "", "米": "", "笔": "", "例": "如", "栋": "", "间": "",
    "块": "", "岁": "", "组": "织成建", "年": "度级底初末中前后轻代",
}
# Event units count actions ("组织专题学法4次"): the verb before them is part of what is counted.
_EVENT_UNITS = frozenset({
    "次", "场", "场次", "期", "期次", "轮", "批次", "班次", "人次", "件次", "户次", "家次", "条次", "台次", "辆次",
})
_CN_MEASURES = frozenset({
    "次", "件", "个", "场", "项", "人", "部", "期", "家", "名", "批", "支", "所", "条", "份", "类", "种", "篇", "本",
    "册", "台", "处", "座", "场次", "人次", "轮", "宗", "起", "位", "户", "套", "张", "批次",
})


def _unit_alternation() -> str:
    parts = []
    for unit in sorted(_UNITS, key=len, reverse=True):
        stop = _UNITS[unit]
        parts.append(re.escape(unit) + (f"(?![{stop}])" if stop else ""))
    return "|".join(parts)


_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_FIRST_NUMBER = re.compile(r"[\d,.]+")
# Candidate starts are found with a plain character class (fast scan); the full pattern is matched only there.
# A Chinese numeral starting with 一 never counts (一次办, 一件事), so 一 alone is no candidate.
# Runs are maximal (possessive, and never starting inside another run); a run followed by 月/日/号/届 (dates,
# document numbers) or by 是/大/中 (二是, 二十大, 三中全会) is dropped here, in the regex engine.
_CANDIDATE = re.compile(
    r"[\d二两三四五六七八九十](?<![\d一二两三四五六七八九十][\d二两三四五六七八九十])"
    r"[\d一二两三四五六七八九十]*+(?![月日号届是大中])"
)
_FIGURE = re.compile(
    rf"""
    (?:
        (?P<num>{_NUMBER}(?:\ ?[-—–~～至到]\ ?{_NUMBER})?)
      | (?P<cn>[一二两三四五六七八九十]{{1,3}})
    )
    (?![\dA-Za-z])
    \ ?(?P<mult>千万|百万|万|亿)?
    \ ?(?P<approx>余|多)?
    (?P<late_mult>万|亿)?
    (?P<unit>{_unit_alternation()})?
    (?P<unit_note>[(（](?:次|人次|件次|场次|户次|人|户|家|个)[)）])?
    (?P<after>以上|以下|左右|以内|之多)?
    """,
    re.VERBOSE,
)
_BEFORE_QUALIFIER = re.compile(
    r"(?:超过|多于|不少于|不低于|不足|不到|将近|高达|多达|达到|累计达|逾|(?<![最附])近|约|(?<![下传表到送抵])达|超|仅)$"
)
_PROTECTED = re.compile(r"《[^《》\n]{0,120}》|〔[^〕\n]{0,12}〕|\[[^\]\n]{0,12}\]")
_QUOTE_REACH = 30
_NAMED_COUNTS = re.compile(r"[一二两三四五六七八九十]+(?:项制度|个一|个意识|个自信|个确立|个维护|个全面|个代表)")
_ENDS_CLAUSE = re.compile(r"[，。；;！!？?、\n]|,(?!\d)|$")
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
_CLAUSE_BREAK = re.compile(r"[，。；;！!？?：:\n|　, ]")
_GLUE = re.compile(r"[\dA-Za-z%]")
_LEADING_FILLER = re.compile(
    r"^(?:\d{4}年(?:度|以来|初|底)?|今年以来|全年|至目前|截至目前|截至|目前|其中|共计|合计|总计|累计|共|已|先后|分别"
    r"|我市|我区|我县|我州|全市|全区|全县|全省|全州|全镇|全部|各类|各项|各)"
)
_LEADING_VERB = re.compile(
    r"^(?:办理|受理|审查|审核|审结|收到|新收|新增|发出|发布|公布|公示|制定|制发|印发|出台|建立|建成|建有|设立|组建|聘请|编制"
    r"|培训|处理|查处|化解|调处|排查|提供|完成|实现|评查|抽查|检查|认领|梳理|清理|汇总|采集|答复|回复|开展|举办|召开"
    r"|组织|参与|参加|解答|发放|代理|立案|起诉|接待|培育|创建|争创|打造|配备|纳入|推动|落实|征求|进行|承接|辐射|统筹"
    r"|确定|培养|推出|上线|收集|帮助|为|对|向|在|有)"
)
_TRAILING_FILLER = re.compile(r"(?:共计|合计|总计|累计|共|达到|达|为|是|有|约|分别|均|的|和|及|与|由|从)$")
_DATE_WORDS = re.compile(r"\d{4}年(?:度|以来|初|底)?|\d{1,2}月(?:\d{1,2}日)?|以来|目前")
_AFTER_NOUN_STOP = re.compile(r"[\d的在对向为到和与及并，。；、：,;:\s《》()（）]|进行|开展|参加|参与|接受|获得|旁听|作为")
_CLOSING_BRACKET = re.compile(r"[)）]")
_LABEL_MAX = 20
_LABEL_WINDOW = 32


def extract_metrics(text: str, sections: list[Section]) -> list[Metric]:
    """Every figure in `text`, in order, each with the clause around it as its quote."""
    protected = _spans(_PROTECTED, text)
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    locator = _SectionLocator(sections)
    metrics: list[Metric] = []
    areas: dict[tuple[int, str], Area | None] = {}  # several figures often share one clause
    previous_end = 0
    for candidate in _CANDIDATE.finditer(text):
        pos = candidate.start()
        if pos < previous_end or _glued(text, pos):
            continue
        if candidate.end() - pos == 4 and text.startswith("年", candidate.end()):
            continue  # a year: the commonest non-figure, skipped before the full pattern
        match = _FIGURE.match(text, pos)
        if match is None:
            continue
        figure = _read_figure(text, match, protected)
        if figure is None:
            continue
        value, unit, qualifier, raw_end = figure
        fig_start = match.start()
        clause_start, clause_end = _clause(text, breaks, fig_start, match.end())
        before_qualifier = _BEFORE_QUALIFIER.search(text, max(clause_start, fig_start - 4), fig_start)
        if qualifier is None and before_qualifier:
            qualifier = before_qualifier.group()
        label_end = before_qualifier.start() if before_qualifier else fig_start
        section = locator.innermost(fig_start)
        quote = text[clause_start:clause_end]
        heading = section.heading if section else ""
        area_key = (clause_start, heading)
        if area_key not in areas:
            areas[area_key] = classify_area(quote, context=heading)
        metrics.append(
            Metric(
                quote=quote, start=clause_start, end=clause_end,
                label=_label(text, max(clause_start, previous_end), label_end, match.end(), clause_end,
                             match.group("unit") or ""),
                value=value, unit=unit, qualifier=qualifier, raw=text[fig_start:raw_end],
                part=locator.part_of(section),
                area=areas[area_key],
            )
        )
        previous_end = match.end()
    return metrics


def _read_figure(
    text: str, match: re.Match[str], protected: list[tuple[int, int]]
) -> tuple[float, str, str | None, int] | None:
    """(value, unit, qualifier, end of raw) for a real figure, or None for a year, date, ordinal, title…"""
    start = match.start()
    number, numeral, mult, late_mult, approx, unit, unit_note, after = match.group(
        "num", "cn", "mult", "late_mult", "approx", "unit", "unit_note", "after"
    )
    mult = mult or late_mult  # 4万余件 and 10余万元 alike
    unit = unit or ""
    if not unit and not mult and not (number and _bare_count(text, start, match.end())):
        return None
    if text[start - 1:start] == "第" or _inside(protected, start):
        return None
    if numeral:
        if mult or unit not in _CN_MEASURES or _in_quotes(text, start) or _NAMED_COUNTS.match(text, start):
            return None
        value = _chinese_number(numeral)
        if value is None or not 2 <= value < 100 or text[match.end("unit"):match.end("unit") + 1] == "一":
            return None
        raw_end = match.end("cn")
    else:
        first = _FIRST_NUMBER.match(number).group()  # type: ignore[union-attr]
        value = float(first.replace(",", ""))
        if unit == "年" and (value >= 100 or mult or "." in first):
            return None  # 2024年 is a date; 连续4年 / 近10年 are counts
        if len(first) > 1 and first.startswith("0") and not first.startswith("0."):
            return None  # phone numbers, codes
        raw_end = match.end("mult") if match.group("mult") else match.end("num")
    if mult:
        if unit.endswith(_MONEY_UNITS):
            unit = mult + unit
        else:
            value *= _MULTIPLIERS[mult]
    unit += unit_note or ""
    qualifier = after or approx
    return value, unit, qualifier, raw_end


def _bare_count(text: str, start: int, end: int) -> bool:
    """A number with no unit still counts when it closes a clause after 为/达/至 (败诉的案件为0)."""
    if text[start - 1:start] not in ("为", "达", "至") or _ENDS_CLAUSE.match(text, end) is None:
        return False
    return not _YEAR_LIKE.fullmatch(text, start, end)


def _glued(text: str, pos: int) -> bool:
    """A number that continues a code, a decimal or a Latin token (A3, 12.4, 1,000) is not a figure of its own."""
    prev = text[pos - 1:pos]
    if not prev:
        return False
    if prev.isascii() and prev.isalnum():
        return True
    return prev in ".,．" and text[pos - 2:pos - 1].isdigit()


def _in_quotes(text: str, pos: int) -> bool:
    """Inside a short “…” name (“一件事”, “四个一”), where numerals name things rather than count them."""
    opening = text.rfind("“", max(0, pos - _QUOTE_REACH), pos)
    if opening < 0 or text.find("”", opening, pos) >= 0:
        return False
    return text.find("”", pos, pos + _QUOTE_REACH) >= 0


def _breaks_clause(text: str, i: int) -> bool:
    """A comma inside 1,000 and a space inside '20 余项' do not end a clause."""
    ch = text[i]
    if ch == ",":
        return not (text[i - 1:i].isdigit() and text[i + 1:i + 2].isdigit())
    if ch == " ":
        return not (_GLUE.match(text[i - 1:i]) or _GLUE.match(text[i + 1:i + 2]))
    return True


def _chinese_number(numeral: str) -> float | None:
    total, digit = 0, None
    for ch in numeral:
        if ch in _CN_DIGITS:
            if digit is not None:
                return None  # 二三 is no number
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return float(total + (digit or 0))


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(spans, (pos, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _clause(text: str, breaks: list[int], start: int, end: int) -> tuple[int, int]:
    """The stretch between the clause breaks around [start, end), white space trimmed."""
    i = bisect_right(breaks, start - 1) - 1
    while i >= 0 and not _breaks_clause(text, breaks[i]):
        i -= 1
    clause_start = breaks[i] + 1 if i >= 0 else 0
    j = bisect_right(breaks, end - 1)
    while j < len(breaks) and not _breaks_clause(text, breaks[j]):
        j += 1
    clause_end = breaks[j] if j < len(breaks) else len(text)
    while clause_start < start and text[clause_start].isspace():
        clause_start += 1
    while clause_end > end and text[clause_end - 1].isspace():
        clause_end -= 1
    return clause_start, clause_end


def _label(text: str, clause_start: int, label_end: int, fig_end: int, clause_end: int, unit_written: str) -> str:
    """What is counted: the noun after the figure when the figure modifies it (132部法律法规, 50人的救援队),
    else the words before it in the same clause (办理行政复议案件218件 → 行政复议案件)."""
    after = text[fig_end:min(clause_end, fig_end + _LABEL_WINDOW)]
    if after.startswith("的"):
        after = after[1:]
    noun = _AFTER_NOUN_STOP.search(after)
    noun_end = noun.start() if noun else len(after)
    if after[noun_end:noun_end + 1] in ("(", "（"):  # 村(社区), 镇(街道): the bracket belongs to the noun
        closing = _CLOSING_BRACKET.search(after, noun_end, noun_end + 8)
        noun_end = closing.end() if closing else noun_end
    noun_text = after[:noun_end].strip("“”\"")
    if unit_written and unit_written not in ("%", "％", "‰") and len(noun_text) >= 2:
        return noun_text[:_LABEL_MAX]
    before = text[max(clause_start, label_end - _LABEL_WINDOW):label_end]
    before = before[max(before.rfind("、"), before.rfind(" ")) + 1:]
    last_date = None
    for last_date in _DATE_WORDS.finditer(before):
        pass
    if last_date and len(before) - last_date.end() >= 2:
        before = before[last_date.end():]
    before = before.strip().strip("“”\"").removeprefix("的")
    before = _strip_leading(before, _LEADING_FILLER)
    if unit_written not in _EVENT_UNITS:
        before = _strip_leading(before, _LEADING_VERB)
        before = _strip_leading(before, _LEADING_FILLER)
    trimmed = _TRAILING_FILLER.sub("", before)
    if len(trimmed) >= 2:
        before = trimmed
    if len(before) < 2 and noun_text:
        return noun_text[:_LABEL_MAX]
    return before[-_LABEL_MAX:]


def _strip_leading(phrase: str, pattern: re.Pattern[str]) -> str:
    """Drop leading fillers one by one while something meaningful (2+ characters) remains."""
    while True:
        match = pattern.match(phrase)
        if not match or len(phrase) - match.end() < 2:
            return phrase
        phrase = phrase[match.end():]


class _SectionLocator:
    """Innermost section around an offset, and the part it belongs to (walking up to a parent that has one)."""

    def __init__(self, sections: list[Section]) -> None:
        self._sections = sorted(sections, key=lambda s: (s.start, -s.end))
        self._starts = [s.start for s in self._sections]
        self._by_id = {s.id: s for s in sections}

    def innermost(self, pos: int) -> Section | None:
        i = bisect_right(self._starts, pos) - 1
        while i >= 0:
            section = self._sections[i]
            if section.start <= pos < section.end:
                return section
            i -= 1
        return None

    def part_of(self, section: Section | None) -> Part | None:
        while section is not None:
            if section.part is not None:
                return section.part
            section = self._by_id.get(section.parent) if section.parent else None
        return None
