"""Report metadata: title, addressee (主送机关), issuer (落款), region and its level, report year, date issued.

Every field comes from the text with a verbatim evidence span, except a title taken from the container's
`title_hint`. Nothing is invented: a report with no title and no 落款 (many web copies) has title and issuer None,
and its region comes from how the body names itself ("2024年,楚雄市坚持…").

Where fields come from, in order of trust:
- title: the first title-like line before the body starts, past web headers, breadcrumbs and menu lines; a title
  wrapped under its organ ("赵县人民政府⏎2022年度…报告") is joined; a title glued between a watermark and the body
  on one line is cut out of it.
- issuer: the 落款 organ before the closing date, else the organ that opens the title ("周村区人民政府2024年度…").
- region: the most specific division named in the issuer, else in the title, else the county- or
  prefecture-level name in the opening that the whole text names most; else, when the opening sentence names its
  author by kind (市政府, 省政府, 区政府, 市市场监管局), the division of that tier the text names most, even
  once and inside 《》; else the county- or prefecture-level one named most often overall.
- level: from the issuer, else from the opening sentence's author (司法部, 市市场监管局 → department), else from
  the region. A central ministry is a department with no region.
- report year: the title, else the opening ("现将我市2024年度…", "2024年,…"), else the year the body mentions
  most (a closing "2024年，市政府将…" plan sentence is outnumbered by the reported year), else the year before
  the date issued.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from drafter.extract import divisions
from drafter.extract.divisions import Division, Mention
from drafter.models import Document, Level, Meta, MetaEvidence, Section
from drafter.numerals import digit_by_digit, parse_chinese
from drafter.structure import CHINESE_DATE

_ORGAN = r"(?:人民政府|政府|委员会|局|厅|办公室|委|办|中心|院|党组)"
_WHITESPACE = re.compile(r"\s+")
_TITLE_WORDS = re.compile(r"报告|情况|总结")
_MAX_TITLE = 60
_TITLE_TOKEN = re.compile(r"[^\s|│]+")
_TITLE_SEGMENT = re.compile(r"[^\s|│]+(?:[ 　][^\s|│]+)*")
_HINT_SPLIT = re.compile(r"[_|｜]|\s+[-—]\s+")
_TITLE_ISSUER = re.compile(
    rf"(?:关于)?(?P<org>[^，,。：:\s]{{2,40}}?{_ORGAN})(?=\s*(?:关于|\d{{4}}|[〇○零一二]{{4}}年))"
)
_MAX_WRAPPED_FIRST = _MAX_TITLE // 2 + 10  # the first line of a title wrapped over two
_HEADER_LINES = 12
_HEADER_CHARS = 600
# The first line of a wrapped title: an organ, 关于, or a year ("湖北省人民政府关于2023年度⏎法治政府建设…").
_WRAP_START = re.compile(rf"{_ORGAN}$|^关于|关于$|(?:\d{{4}}|[〇○零一二三四五六七八九]{{4}})\s*年度?$")
_EMBEDDED_TITLE = re.compile(
    r"(?P<lead>[\u4e00-\u9fff（）()]{0,30}?)"
    r"(?P<core>(?:关于)?(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年[\u4e00-\u9fff（）()、“”]{0,40}?法治"
    r"[\u4e00-\u9fff（）()、“”]{0,30}?(?:报告|总结))"
)
_ORGAN_END = re.compile(rf"{_ORGAN}$")
_WEB_CHROME = re.compile(r"[>＞→»]|位置[:：]|首页|来源[:：]|发布时间|发布日期|栏目[:：]|浏览次数|点击[数率量]|字号")
_MAX_EMBEDDED_LEAD = 15
_NOT_A_TITLE_LEAD = re.compile(r"将|根据|按照|对|把")
_ADDRESSEE = re.compile(rf"(?P<org>[\u4e00-\u9fff（）()、]{{2,30}}?(?:{_ORGAN}|人大常委会|人大|常委会))\s*[：:]")
# Web leftovers are gone already (ingest.clean_text); a GB/T 9704 annotation "（此件公开发布）" may follow the date.
_TAIL_NOTE = re.compile(r"(?:\s|[(（]此件[^)）\n]{0,10}[)）])+$")
# 2025年1月15日, 二〇二五年一月十五日, and the numeric 2025-01-15 / 2025.1.15 some sites print.
_SIGNOFF_DATE = re.compile(
    rf"(?:{CHINESE_DATE}|(?P<ny>\d{{4}})(?P<sep>[-./])(?P<nm>\d{{1,2}})(?P=sep)(?P<nd>\d{{1,2}}))\s*$"
)
_SIGNOFF_ORGAN = re.compile(rf"(?:^|[\s。；;！!？?])(?P<org>[^\s。，,；;：:！!？?“”]{{2,40}}?{_ORGAN})\s*$")
_SIGNOFF_WINDOW = 160
_OPENING_CHARS = 300
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"(?P<y>[〇○零一二三四五六七八九]{4})\s*年")
_OPENING_YEAR = re.compile(r"(?:现将[^。\n]{0,15}?|^\s*)(?P<y>(?:19|20)\d{2})\s*年")
_RANGE_MARKS = "-—–~～至到"
_GOVERNMENT = re.compile(r"人民政府$|政府$")
# How a report without title or 落款 names its author in the opening sentence: "市政府坚持…", "现将省政府2021年度…",
# "2023年,市市场监管局在…", "2022年,司法部坚持…", "我局坚持…". The tier (省/市/区/县…) says which kind of division it is.
_SELF_NAME = re.compile(
    r"(?:^|[,，。；;：:\s]|现将)"
    r"(?P<tier>省|自治区|市|区|县|州|旗|盟)?"
    r"(?P<organ>(?:人民)?政府|[\u4e00-\u9fff]{1,10}?(?<!部署)(?:局|厅|部|署|委员会|办公室|院|中心)|我(?:局|委|厅|办|院|署))"
    r"(?=坚持|深入|认真|全面|紧紧|始终|以|在|按照|聚焦|围绕|持续|扎实|切实|积极|不断|进一步|牢牢|着力|严格|高度|大力"
    r"|把|全力|立足|锚定|贯彻|统筹|主动|继续|强化|加快|着眼|(?:19|20)\d{2}\s*年)"
)
_PARTY_COMMITTEE = re.compile(r"^中共.*(?:委|委员会)$")


def extract_meta(doc: Document, sections: list[Section]) -> Meta:
    text = doc.text
    evidence: list[MetaEvidence] = []

    def note(field: str, start: int, end: int) -> None:
        evidence.append(MetaEvidence(field=field, quote=text[start:end], start=start, end=end))

    title_span = _title_span(text)
    # A title wrapped over two lines reads as one; its evidence keeps the line break as written.
    title = _WHITESPACE.sub("", text[title_span[0]:title_span[1]]) if title_span else _title_from_hint(
        doc.source.title_hint
    )
    if title_span:
        note("title", *title_span)
    body_start = _skip_space(text, title_span[1] if title_span else 0)

    addressee_span = _addressee_span(text, body_start)
    if addressee_span:
        note("addressee", addressee_span[0], addressee_span[1])
        body_start = _skip_space(text, addressee_span[2])

    tail_end = _tail_end(text)
    date_match = _SIGNOFF_DATE.search(text, max(body_start, tail_end - _SIGNOFF_WINDOW), tail_end)
    issued = _to_date(date_match) if date_match else None
    if issued and date_match:
        note("issued_date", date_match.start(), date_match.end())
    organ_end = _trim_end(text, date_match.start()) if date_match else tail_end
    issuer_span = _signoff_organ(text, max(body_start, organ_end - _SIGNOFF_WINDOW), organ_end)
    if issuer_span is None and title_span:
        issuer_span = _title_issuer(text, *title_span)
    if issuer_span:
        note("issuer", *issuer_span)

    opening = (body_start, min(len(text), body_start + _OPENING_CHARS))
    hint = text[: body_start + _OPENING_CHARS] + (text[issuer_span[0]:issuer_span[1]] if issuer_span else "")
    self_name = _self_name(text, opening)
    region = _region(text, issuer_span, title_span, opening, hint, self_name.group("tier") if self_name else None)
    if region:
        note("region", region[1].start, region[1].end)
    division = region[0] if region else None
    issuer = text[issuer_span[0]:issuer_span[1]] if issuer_span else None

    # The sign-off date names the year after the one reported: it is no vote for the body's year.
    body_end = date_match.start() if date_match else len(text)
    year = _report_year(text[:body_end], title_span, opening, sections, issued)
    if year and year[1] is not None:
        note("report_year", year[1][0], year[1][1])

    return Meta(
        title=title,
        issuer=issuer,
        addressee=text[addressee_span[0]:addressee_span[1]] if addressee_span else None,
        region=division.name if division else None,
        province=division.province if division else None,
        prefecture=division.prefecture if division else None,
        level=_level(issuer or (self_name.group("organ") if self_name else None), division),
        report_year=year[0] if year else None,
        issued_date=issued,
        evidence=evidence,
    )


def _looks_like_title(candidate: str) -> bool:
    return (
        len(candidate) <= _MAX_TITLE
        and "法治" in candidate
        and bool(_TITLE_WORDS.search(candidate))
        and "。" not in candidate
    )


def _title_span(text: str) -> tuple[int, int] | None:
    """The title among the lines before the body: web pages put headers, breadcrumbs and "登录 注册" lines
    above it, and mirrors glue a watermark and the body onto its line. A title wrapped over two lines is
    taken whole when its first line reads as a title start ("赵县人民政府⏎2022年度…报告")."""
    pos = _skip_space(text, 0)
    header_end = min(len(text), pos + _HEADER_CHARS)
    for _ in range(_HEADER_LINES):
        if pos >= header_end:
            return None
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        found = _title_in_line(text, pos, line_end)
        if found:
            return found
        sentence_end = text.find("。", pos, line_end)
        if sentence_end >= 0:  # the body has started
            return _embedded_title(text, pos, sentence_end)
        embedded = _embedded_title(text, pos, line_end)
        if embedded:
            return embedded
        pos = _skip_space(text, line_end)
    return None


def _title_in_line(text: str, start: int, line_end: int) -> tuple[int, int] | None:
    # "当前位置: 首页 > 法治政府建设 > 年度报告" names the page's place on the site, not the report.
    if _WEB_CHROME.search(text, start, min(line_end, start + _MAX_TITLE + 20)):
        return None
    token = _TITLE_TOKEN.match(text, start, line_end)
    if token and _looks_like_title(token.group()):  # one-line files: "…情况的报告 中共兴宁市委: 2024年,…"
        return token.start(), token.end()
    segment = _TITLE_SEGMENT.match(text, start, line_end)
    if segment is None:
        return None
    if _looks_like_title(segment.group()):
        return segment.start(), segment.end()
    first = segment.group()
    if segment.end() != line_end or len(first) >= _MAX_WRAPPED_FIRST or not _WRAP_START.search(first):
        return None
    next_start = _skip_space(text, line_end)
    next_end = text.find("\n", next_start)
    next_end = len(text) if next_end < 0 else next_end
    second = _TITLE_SEGMENT.match(text, next_start, next_end)
    if second is None or not _TITLE_WORDS.search(second.group()):
        return None
    if _names_itself(text, second.start(), second.end()):
        return None  # a site name above a title that starts with its own organ or place: the next line decides
    if _looks_like_title(first + second.group()):
        return segment.start(), second.end()
    return None


def _names_itself(text: str, start: int, end: int) -> bool:
    """A title line that opens with its own place or organ ("静海区2023年度…", "宜昌市人民政府2022年…")."""
    if _TITLE_ISSUER.match(text, start, end):
        return True
    place = divisions.mentions(text, start, min(end, start + 12))
    return bool(place) and place[0].start == start


def _embedded_title(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A title inside a line of other text ("…www.mishuzj.com湖北省人民政府关于2023年度…的报告2023年,省政府…"):
    it starts at the first place name of the Chinese run before its year, or at an organ name right there."""
    if text.find("法治", start, end) < 0 or (text.find("报告", start, end) < 0 and text.find("总结", start, end) < 0):
        return None  # the usual case, decided without the costlier search
    match = _EMBEDDED_TITLE.search(text, start, end)
    if match is None:
        return None
    lead_start, core_start = match.start("lead"), match.start("core")
    place = divisions.mentions(text, lead_start, core_start)
    if place:
        title_start = place[0].start
    elif _ORGAN_END.search(match.group("lead")) and core_start - lead_start <= _MAX_EMBEDDED_LEAD:
        title_start = lead_start
    else:
        title_start = core_start
    if _NOT_A_TITLE_LEAD.search(text, title_start, core_start) or text.startswith("如下", match.end()):
        return None  # "现将2024年法治政府建设情况报告如下" announces the report; it is not its title
    if not _looks_like_title(text[title_start:match.end()]):
        return None
    return title_start, match.end()


def _title_from_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    for part in _HINT_SPLIT.split(hint):
        part = part.strip()
        if _looks_like_title(part):
            return part
    return None


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and (text[pos].isspace() or text[pos] in "|│"):
        pos += 1
    return pos


def _trim_end(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _addressee_span(text: str, start: int) -> tuple[int, int, int] | None:
    """(start, end of the organ, end of the colon) for a 主送机关 line such as '中共兴宁市委:'."""
    match = _ADDRESSEE.match(text, start)
    if match is None:
        return None
    return match.start("org"), match.end("org"), match.end()


def _tail_end(text: str) -> int:
    """End of the report proper: trailing white space and a 此件 annotation cut off."""
    window_start = max(0, len(text) - 200)
    junk = _TAIL_NOTE.search(text, window_start)
    return junk.start() if junk else len(text)


def _signoff_organ(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The organ name that closes the report: standing apart from the last sentence, ending in an organ suffix."""
    match = _SIGNOFF_ORGAN.search(text, start, end)
    if match is None:
        return None
    return match.start("org"), match.end("org")


def _title_issuer(text: str, start: int, end: int) -> tuple[int, int] | None:
    match = _TITLE_ISSUER.match(text, start, end)
    return (match.start("org"), match.end("org")) if match else None


def _to_date(match: re.Match[str]) -> date | None:
    if match.group("ny"):
        year, month, day = int(match.group("ny")), int(match.group("nm")), int(match.group("nd"))
    else:
        year = digit_by_digit(match.group("y"))
        month = _day_or_month(match.group("m"))
        day = _day_or_month(match.group("d"))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_or_month(raw: str) -> int:
    """1–31 in Arabic or Chinese numerals (十五, 二十一); 0, an invalid date part, for anything else."""
    return int(raw) if raw.isascii() else parse_chinese(raw) or 0


def _self_name(text: str, opening: tuple[int, int]) -> re.Match[str] | None:
    """The organ the opening sentence is about, when it is named by its kind rather than its place."""
    sentence_end = text.find("。", *opening)
    return _SELF_NAME.search(text, opening[0], sentence_end if sentence_end >= 0 else opening[1])


def _region(
    text: str, issuer: tuple[int, int] | None, title: tuple[int, int] | None, opening: tuple[int, int], hint: str,
    tier: str | None,
) -> tuple[Division, Mention] | None:
    for span in (issuer, title):
        if span:
            found = _most_specific(_resolved(text, span[0], span[1], hint))
            if found:
                return found
    resolved = _resolved(text, opening[0], opening[1], hint)
    local = [r for r in resolved if r[0].level != "province"]
    if local:
        # "在梅州市委…领导下，兴宁市…": the unit the report is about is the one the whole text names most.
        return max(local, key=lambda r: (text.count(r[0].name), _DEPTH[r[0].level]))
    if resolved:
        return resolved[0]
    everywhere = _resolved(text, 0, len(text), hint)
    if tier:
        # "市政府" and a place named only in 《许昌市2024年度…要点》: a weak clue, but the only one the text gives.
        fitting = [item for item in everywhere if _fits_tier(item[0], tier)]
        if fitting:
            counts = Counter(item[0].adcode for item in fitting)
            return max(fitting, key=lambda item: counts[item[0].adcode])
    return _most_frequent(everywhere)


def _fits_tier(division: Division, tier: str) -> bool:
    """Whether a report calling itself 省政府/市政府/区政府… can be about `division`."""
    if tier in ("省", "自治区"):
        return division.level == "province" and division.name.endswith(tier)
    if tier == "市":  # a prefecture-level city, a municipality, or a county-level city
        return division.name.endswith("市")
    return division.level != "province" and division.name.endswith(tier)


def _resolved(text: str, start: int, end: int, hint: str) -> list[tuple[Division, Mention]]:
    found = []
    for mention in divisions.mentions(text, start, end):
        if len(mention.divisions) == 1:
            division: Division | None = mention.divisions[0]
        else:  # 通州区 (北京/南通): the opening's hint first, then anything the whole text says
            division = divisions.lookup(mention.name, hint) or divisions.lookup(mention.name, text)
        if division:
            found.append((division, mention))
    return found


_DEPTH = {"province": 0, "prefecture": 1, "county": 2}


def _most_specific(found: list[tuple[Division, Mention]]) -> tuple[Division, Mention] | None:
    """The deepest division named (北京市海淀区 → 海淀区); the first one on ties."""
    best = None
    for item in found:
        if best is None or _DEPTH[item[0].level] > _DEPTH[best[0].level]:
            best = item
    return best


def _most_frequent(found: list[tuple[Division, Mention]]) -> tuple[Division, Mention] | None:
    local = [item for item in found if item[0].level != "province"]
    if not local:
        return None
    counts = Counter(item[0].adcode for item in local)
    adcode, count = counts.most_common(1)[0]
    if count < 2:
        return None
    return next(item for item in local if item[0].adcode == adcode)


def _level(issuer: str | None, division: Division | None) -> Level | None:
    if issuer and not _GOVERNMENT.search(issuer) and not _PARTY_COMMITTEE.match(issuer):
        return "department"
    if division is None:
        return None
    if division.level == "province":
        return "province"
    if division.level == "prefecture":
        return "prefecture-city"
    if division.name.endswith("区"):
        return "district"
    if division.is_county_level_city:
        return "county-level-city"
    return "county"


def _report_year(
    text: str, title: tuple[int, int] | None, opening: tuple[int, int], sections: list[Section],
    issued: date | None,
) -> tuple[int, tuple[int, int] | None] | None:
    if title:
        for pattern in (_YEAR, _CN_YEAR):
            match = pattern.search(text, *title)
            if match:
                return digit_by_digit(match.group("y")), (match.start("y"), match.end("y"))
    match = _OPENING_YEAR.search(text, opening[0], opening[1])
    if match:
        return int(match.group("y")), (match.start("y"), match.end("y"))
    counted = _body_year(text, sections)
    if counted:
        return counted
    if issued:
        return issued.year - 1, None
    return None


def _body_year(text: str, sections: list[Section]) -> tuple[int, tuple[int, int]] | None:
    """The year the body names most, outside plan sections and year ranges (2021—2025年); earlier year on ties."""
    plans = [(s.start, s.end) for s in sections if s.part == "plans"]
    counts: Counter[int] = Counter()
    first: dict[int, tuple[int, int]] = {}
    for match in _YEAR.finditer(text):
        start, end = match.start("y"), match.end("y")
        if text[start - 1:start] in _RANGE_MARKS or text[end + 1:end + 2] in _RANGE_MARKS:
            continue
        if text[start - 1:start].isdigit() or any(s <= start < e for s, e in plans):
            continue
        year = int(match.group("y"))
        counts[year] += 1
        first.setdefault(year, (start, end))
    if not counts:
        return None
    year = max(counts, key=lambda y: (counts[y], -y))
    return year, first[year]
