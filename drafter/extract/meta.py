"""Report metadata: title, addressee (主送机关), issuer (落款), region and its level, report year, date issued.

Every field comes from the text with a verbatim evidence span, except a title taken from the container's
`title_hint`. Nothing is invented: a report with no title and no 落款 (many web copies) has title and issuer None,
and its region comes from how the body names itself ("2024年,楚雄市坚持…").

Where fields come from, in order of trust:
- title: the first title-like line before the body starts, past web headers, breadcrumbs and menu lines; a title
  wrapped under its organ ("赵县人民政府⏎2022年度…报告") is joined; a title glued between a watermark and the body
  on one line is cut out of it.
- issuer: the 落款 organ before the closing date, else the organ that opens the title ("周村区人民政府2024年度…").
- region: a township, street or 新区 in the issuer or title (丰都县栗子乡人民政府, 鲤城区人民政府金龙街道办事处), else
  the most specific division named there (short forms such as 黔西南州 or 东乌旗 included); else the township or
  新区 the opening sentence is about ("2025年,中村乡…"), under the 区/县/市 whose 区委、区政府 lead it when the text
  names one; else 全国 for a central ministry (司法部, 国家税务总局); else the county- or prefecture-level name in
  the opening that the whole text names most; else, when the author is named by kind (市政府, 省政府, 市市场监管局,
  县人民政府, 我市; a 厅 is provincial), the division of that tier the text names most, even once and inside 《》,
  a province also by its short name (广东公安); a kind nothing named fits leaves the region None, never the
  province; else the county- or prefecture-level one named most often overall.
- level: department for an issuer or opening author that is not the unit's own government (人民政府, 行政公署,
  街道办事处, 管委会) or party committee; else from the region (a 乡/镇/街道 is a township, a 新区/开发区 a district);
  else from the kind alone ("县人民政府" → county; 市 may be two kinds and says nothing).
- traditional characters and a mirror's pinyin notes (統(tǒng)籌) are looked up in a simplified view; every
  quote, the title and the issuer stay as written.
- report year: the title, else the opening ("现将我市2024年度…", "2024年,…"), else the year the body mentions
  most (a closing "2024年，市政府将…" plan sentence is outnumbered by the reported year), else the year before
  the date issued.
"""

from __future__ import annotations

import importlib.util
import re
from bisect import bisect_left
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path

from drafter.extract import divisions
from drafter.extract.divisions import Division, Mention
from drafter.models import Document, Level, Meta, MetaEvidence, Section
from drafter.numerals import digit_by_digit, parse_chinese
from drafter.structure.signoff import SIGNOFF_WINDOW, signoff_date, tail_end

_ORGAN = r"(?:人民政府|政府|委员会|管委会|办事处|行政公署|局|厅|办公室|委|办|中心|院|党组)"
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
_HEADER_LINES = 24  # a 政务公开 page may put 15 索引号/发布机构 lines above the title
_HEADER_CHARS = 1000
# The first line of a wrapped title: an organ, 关于, or a year ("湖北省人民政府关于2023年度⏎法治政府建设…"), or a
# line cut after the year's 法治 words ("东莞滨海湾新区2025年法治政府建设⏎年度报告").
_WRAP_START = re.compile(
    rf"{_ORGAN}$|^关于|关于$|(?:\d{{4}}|[〇○零一二三四五六七八九]{{4}})\s*年(?:度?|[^。]*法治[\u4e00-\u9fff]*)$"
)
_EMBEDDED_TITLE = re.compile(
    r"(?P<lead>[\u4e00-\u9fff（）()]{0,30}?)"
    r"(?P<core>(?:关于)?(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年[\u4e00-\u9fff（）()、“”]{0,40}?法治"
    r"[\u4e00-\u9fff（）()、“”]{0,30}?(?:报告|总结))"
)
_ORGAN_END = re.compile(rf"{_ORGAN}$")
_WEB_CHROME = re.compile(r"[>＞→»]|位置[:：]|首页|来源[:：]|发布时间|发布日期|栏目[:：]|浏览次数|点击[数率量]|字号")
_MAX_EMBEDDED_LEAD = 15
_NOT_A_TITLE_LEAD = re.compile(r"将|根据|按照|对|把")
# One organ or several ("中共将乐县委员会,将乐县人民政府:", "市委、市人大常委会:").
_ADDRESSEE = re.compile(rf"(?P<org>[\u4e00-\u9fff（）()、,，]{{1,40}}?(?:{_ORGAN}|人大常委会|人大|常委会))\s*[：:]")
# A site's column tag glued before the title: "【法治建设报告】湖北省司法厅2022年…".
_COLUMN_TAG = re.compile(r"[【\[][^】\]\n]{1,12}[】\]]\s*")
# Lines a web page puts around the title, above the body ("时间:… 来源:…", "分享到:", "【字体: 【打印内容】",
# "- 索 引 号: …", "- 公文生成日期: …").
_WEB_LINE = re.compile(r"分享到|打印|字体|字号|浏览|时间[:：]|来源[:：]|发布|>>|首页|索\s*引\s*号|文\s*号|日期[:：]")
_WEB_LINES = 6
_MAX_WEB_LINE = 80
# A boundary character, at most 40 name characters and the organ suffix (人民政府, 行政公署: at most 4).
_MAX_SIGNOFF_ORGAN = 45
_SIGNOFF_ORGAN = re.compile(rf"(?:^|[\s。；;！!？?])(?P<org>[^\s。，,；;：:！!？?“”]{{2,40}}?{_ORGAN})\s*$")
_OPENING_CHARS = 300
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"(?P<y>[〇○零一二三四五六七八九]{4})\s*年")
_OPENING_YEAR = re.compile(r"(?:现将[^。\n]{0,15}?|^\s*)(?P<y>(?:19|20)\d{2})\s*年")
_RANGE_MARKS = "-—–~～至到"
# The unit's own government: a 人民政府, a 盟's 行政公署, a 街道办事处, a 新区/开发区 管委会.
_GOVERNMENT = re.compile(r"人民政府$|政府$|行政公署$|办事处$|管委会$|管理委员会$")
# How a report without title or 落款 names its author in the opening sentence: "市政府坚持…", "现将省政府2021年度…",
# "2023年,市市场监管局在…", "2022年,司法部坚持…", "我局坚持…". The tier (省/市/区/县…) says which kind of division it is.
_SUBJECT_VERBS = (
    r"坚持|深入|认真|全面|紧紧|始终|以|在|按照|聚焦|围绕|持续|扎实|切实|积极|不断|进一步|牢牢|着力|严格|高度|大力"
    r"|把|全力|立足|锚定|贯彻|统筹|主动|继续|强化|加快|着眼|(?:19|20)\d{2}\s*年"
)
_SELF_NAME = re.compile(
    r"(?P<tier>省|自治区|市|区|县|州|旗|盟)?"
    r"(?P<organ>(?:人民)?政府|[\u4e00-\u9fff]{1,10}?(?<!部署)(?:局|厅|部|署|委员会|办公室|院|中心)|我(?:局|委|厅|办|院|署))"
    rf"(?={_SUBJECT_VERBS})"
)
# _SELF_NAME after a boundary: a punctuation mark, white space or 现将. One character class opens the pattern
# (现 only before 将), so re scans for it quickly instead of trying an alternation at every position.
_SELF_NAME_AFTER = re.compile(r"[,，。；;：:\s现](?:(?<=现)将|(?<!现))" + _SELF_NAME.pattern)
# "我市", "我街道": the kind of unit the report is about, when it names no organ.
_OWN_TIER = re.compile(r"我(?P<tier>街道|自治区|省|市|区|县|州|旗|盟|乡|镇)")
_TOWNSHIP_TIERS = frozenset({"街道", "乡", "镇"})
_TIER_LEVELS: dict[str, Level] = {
    "街道": "township", "乡": "township", "镇": "township", "县": "county", "旗": "county", "区": "district",
    "州": "prefecture-city", "盟": "prefecture-city", "省": "province", "自治区": "province",
}
# "在区委、区政府的坚强领导下": the tier of the county or city a township or 新区 belongs to.
_SUPERIOR = re.compile(r"(?P<tier>区|县|市|旗)委[、和及与]?(?P=tier)(?:人民)?政府")
_PARTY_COMMITTEE = re.compile(r"^中共.*(?:委|委员会)$")
# A central ministry or commission (司法部, 海关总署, 国家税务总局): a department serving the whole country.
_CENTRAL = re.compile(
    r"(?:中华人民共和国)?(?![全各本该我省市县区])[\u4e00-\u9fff]{1,10}?(?:部|总局|总署)$|国家[\u4e00-\u9fff]{1,10}(?:局|委员会)$"
)
_NATION = "全国"
# Units the divisions data does not list: a township or street (栗子乡, 金龙街道, 乌兰苏木) or a development area
# (滨海湾新区, 高新区, 经济技术开发区), which counts as a district. The name must be followed by its organ, a year,
# a bracket or a verb, so that "全区各乡镇" or "推进新区" are not read as names.
_UNIT_KIND = r"(?P<kind>街道|苏木|乡|镇|新区|开发区|高新区)"
_UNIT_FOLLOW = (
    rf"(?=人民政府|政府|办事处|管委会|管理委员会|党工委|党委|关于|法治|[(（]|[〇○零一二三四五六七八九]{{4}}|{_SUBJECT_VERBS}|$)"
)
_UNIT = re.compile(rf"(?P<name>[\u4e00-\u9fff]{{2,8}}?{_UNIT_KIND}){_UNIT_FOLLOW}")
_SUBJECT_UNIT = re.compile(rf"(?:^|(?<=[,，;；:：\s“]))(?P<name>[\u4e00-\u9fff]{{2,8}}?{_UNIT_KIND}){_UNIT_FOLLOW}")
_NOT_A_UNIT = re.compile(
    r"^(?:[全各本我该每乡镇街其此驻所辖]|城乡)|人民|政府|办事处|委员会|关于|推进|加强|深化|建设|法治"
)
_TOWNSHIP_KINDS = frozenset({"街道", "苏木", "乡", "镇"})
_GOVERNMENT_WORD = re.compile("政府")
# The national-level 新区 whose name says nothing of the city or province they belong to.
_NATIONAL_AREAS = {
    "两江新区": "重庆市", "舟山群岛新区": "舟山市", "西咸新区": "陕西省", "贵安新区": "贵州省", "西海岸新区": "青岛市",
    "金普新区": "大连市", "天府新区": "四川省", "湘江新区": "长沙市", "江北新区": "南京市", "滇中新区": "云南省",
    "赣江新区": "江西省", "雄安新区": "河北省",
}
# A mirror's pinyin after characters it converted (統(tǒng)籌): read past, like the traditional characters.
_PINYIN_NOTE = re.compile(r"\((?<=[\u4e00-\u9fff]\()[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")
_HANT_SAMPLE = 1000
_HANT_MIN_CHARS = 5  # distinct traditional characters in the sample; simplified reports have none



def extract_meta(doc: Document, sections: list[Section]) -> Meta:
    written = doc.text
    # Everything is looked up in a simplified view of the text (traditional characters converted, a mirror's
    # pinyin notes dropped); spans found there are mapped back, so quotes and the title stay as written.
    text, offsets = _lookup_view(written)
    evidence: list[MetaEvidence] = []

    def original(start: int, end: int) -> tuple[int, int]:
        if offsets is None:
            return start, end
        return offsets[start], (offsets[end - 1] + 1 if end > start else offsets[start])

    def quote(span: tuple[int, int]) -> str:
        return written[slice(*original(*span))]

    def note(field: str, start: int, end: int) -> None:
        s, e = original(start, end)
        evidence.append(MetaEvidence(field=field, quote=written[s:e], start=s, end=e))

    title_span = _title_span(text)
    # A title wrapped over two lines reads as one; its evidence keeps the line break as written.
    title = _WHITESPACE.sub("", quote(title_span)) if title_span else _title_from_hint(doc.source.title_hint)
    if title_span:
        note("title", *title_span)
        title_text = _WHITESPACE.sub("", text[slice(*title_span)])
        body_start = _past_web_lines(text, _skip_space(text, title_span[1]), title_text)
    else:
        body_start = _past_web_lines(text, _skip_space(text, 0), "")

    addressee_span = _addressee_span(text, body_start)
    if addressee_span:
        note("addressee", addressee_span[0], addressee_span[1])
        body_start = _skip_space(text, addressee_span[2])

    date_match = signoff_date(text, body_start)
    issued = _to_date(date_match) if date_match else None
    if issued and date_match:
        note("issued_date", date_match.start(), date_match.end())
    organ_end = _trim_end(text, date_match.start()) if date_match else tail_end(text)
    issuer_span = _signoff_organ(text, max(body_start, organ_end - SIGNOFF_WINDOW), organ_end)
    if issuer_span is None and title_span:
        issuer_span = _title_issuer(text, *title_span)
    if issuer_span:
        note("issuer", *issuer_span)

    opening = (body_start, min(len(text), body_start + _OPENING_CHARS))
    hint = text[: body_start + _OPENING_CHARS] + (text[issuer_span[0]:issuer_span[1]] if issuer_span else "")
    self_name = _self_name(text, opening)
    organ_span = issuer_span or (self_name.span("organ") if self_name else None)
    organ = text[slice(*organ_span)] if organ_span else None
    tier = _tier(text, issuer_span, self_name, opening)
    central = organ_span if organ and tier is None and _is_central(text, *organ_span) else None
    region = _region(text, issuer_span, title_span, opening, hint, tier, central)
    if region:
        note("region", region[1].start, region[1].end)
    division = region[0] if region else None

    plans = [_view_span(s.start, s.end, offsets) for s in sections if s.part == "plans"]
    # The sign-off date names the year after the one reported: it is no vote for the body's year.
    body_end = date_match.start() if date_match else len(text)
    year = _report_year(text[:body_end], title_span, opening, plans, issued)
    if year and year[1] is not None:
        note("report_year", year[1][0], year[1][1])

    return Meta(
        title=title,
        issuer=quote(issuer_span) if issuer_span else None,
        addressee=quote(addressee_span[:2]) if addressee_span else None,
        region=division.name if division else None,
        province=(division.province or None) if division else None,
        prefecture=division.prefecture if division else None,
        level=_level(organ, division, tier),
        report_year=year[0] if year else None,
        issued_date=issued,
        evidence=evidence,
    )


@lru_cache(maxsize=1)
def _traditional_to_simplified() -> tuple[dict[int, str], frozenset[str], re.Pattern[str]]:
    """One character for one (length kept, so offsets survive): OpenCC's TSCharacters table, first reading; the
    characters it converts; and a pattern for those and any character outside the BMP, to find them with.

    The data file is located with find_spec, without importing the package."""
    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the opencc-python-reimplemented package (traditional characters table) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, readings = line.partition("\t")
        first = readings.split(" ")[0]
        if len(key) == 1 and len(first) == 1 and key != first:
            table[ord(key)] = first
    chars = frozenset(map(chr, table))
    # re scans for a character class far faster than Python makes a string of each character. Characters
    # outside the BMP are in the class as one range: listed one by one, each would be tried on every character.
    candidate = re.compile("[" + "".join(sorted(c for c in chars if c <= "\uffff")) + "\U00010000-\U0010ffff]")
    return table, chars, candidate


def _lookup_view(text: str) -> tuple[str, list[int] | None]:
    """The text to look things up in, and for each of its characters the offset in `text` (None: the same)."""
    table, traditional_chars, candidate = _traditional_to_simplified()
    found = candidate.findall(text, 0, _HANT_SAMPLE)
    traditional = len(traditional_chars.intersection(found)) >= _HANT_MIN_CHARS
    view = text.translate(table) if traditional else text
    if _PINYIN_NOTE.search(view) is None:
        return view, None
    pieces: list[str] = []
    offsets: list[int] = []
    last = 0
    for match in _PINYIN_NOTE.finditer(view):
        pieces.append(view[last:match.start()])
        offsets.extend(range(last, match.start()))
        last = match.end()
    pieces.append(view[last:])
    offsets.extend(range(last, len(view)))
    return "".join(pieces), offsets


def _view_span(start: int, end: int, offsets: list[int] | None) -> tuple[int, int]:
    """A span of the text as written, in the lookup view's offsets."""
    if offsets is None:
        return start, end
    return bisect_left(offsets, start), bisect_left(offsets, end)


def _past_web_lines(text: str, pos: int, title: str) -> int:
    """Where the body starts after the title (or at the top): past "时间:… 来源:…", "分享到:" lines and the title
    repeated."""
    for _ in range(_WEB_LINES):
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        line = text[pos:line_end]
        if not line or "。" in line or len(line) > _MAX_WEB_LINE:
            break
        if _WHITESPACE.sub("", line) != title and not _WEB_CHROME.search(line) and not _WEB_LINE.search(line):
            break
        pos = _skip_space(text, line_end)
    return pos


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
    tag = _COLUMN_TAG.match(text, start, line_end)
    if tag:
        start = tag.end()
    # A title is at most _MAX_TITLE long: the token and segment are read no further than just past that, not over
    # the whole of a one-line file (a longer one is cut at least _MAX_TITLE + 1 long, and still no title).
    limit = min(line_end, start + _MAX_TITLE + 2)
    token = _TITLE_TOKEN.match(text, start, limit)
    if token and _looks_like_title(token.group()):  # one-line files: "…情况的报告 中共兴宁市委: 2024年,…"
        return token.start(), token.end()
    segment = _TITLE_SEGMENT.match(text, start, limit)
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


def _signoff_organ(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The organ name that closes the report: standing apart from the last sentence, ending in an organ suffix."""
    # The name ends where the white space before `end` starts: no match begins further back than the longest one.
    start = max(start, _trim_end(text, end) - _MAX_SIGNOFF_ORGAN)
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


def _first_sentence(text: str, opening: tuple[int, int]) -> tuple[int, int]:
    sentence_end = text.find("。", *opening)
    return opening[0], sentence_end if sentence_end >= 0 else opening[1]


def _self_name(text: str, opening: tuple[int, int]) -> re.Match[str] | None:
    """The organ the opening sentence is about, when it is named by its kind rather than its place: at the text
    start or after a boundary."""
    start, end = _first_sentence(text, opening)
    at_start = _SELF_NAME.match(text, 0, end) if start == 0 else None
    return at_start or _SELF_NAME_AFTER.search(text, start, end)


def _tier(
    text: str, issuer: tuple[int, int] | None, self_name: re.Match[str] | None, opening: tuple[int, int]
) -> str | None:
    """The kind of unit the report's author is (省, 市, 县, 街道…) when it says so without naming the place: "市政府",
    an issuer "县人民政府", "我市", "我街道". A 厅 serves a province ("我厅", "省公安厅")."""
    if self_name and self_name.group("tier"):
        return self_name.group("tier")
    if issuer and text[issuer[0]] in "省市区县州旗盟" and not divisions.mentions(text, *issuer):
        return text[issuer[0]]
    own = _OWN_TIER.search(text, *_first_sentence(text, opening))
    if own:
        return own.group("tier")
    organ = self_name.group("organ") if self_name else None
    return "省" if organ and organ.endswith("厅") else None


def _is_central(text: str, start: int, end: int) -> bool:
    """A central ministry or commission: 司法部, 生态环境部, 国家税务总局, with no place in its name."""
    return bool(_CENTRAL.match(text, start, end)) and not divisions.mentions(text, start, end)


def _region(
    text: str, issuer: tuple[int, int] | None, title: tuple[int, int] | None, opening: tuple[int, int], hint: str,
    tier: str | None, central: tuple[int, int] | None,
) -> tuple[Division, Mention] | None:
    for span in (issuer, title):
        if span:
            found = _unit_in_span(text, span[0], span[1], hint, opening) or _most_specific(
                _resolved(text, span[0], span[1], hint))
            if found:
                return found
    subject = _subject_unit(text, opening, hint)
    if subject:
        return subject
    if central:
        nation = Division(_NATION, level="province")
        return nation, Mention(text[slice(*central)], central[0], central[1], (nation,))
    resolved = _resolved(text, opening[0], opening[1], hint)
    local = [r for r in resolved if r[0].level != "province"]
    if local:
        # "在梅州市委…领导下，兴宁市…": the unit the report is about is the one the whole text names most.
        return max(local, key=lambda r: (text.count(r[0].name), _DEPTH[r[0].level]))
    if resolved and (tier is None or _fits_tier(resolved[0][0], tier)):
        return resolved[0]
    everywhere = _resolved(text, 0, len(text), hint)
    if tier:
        # "市政府" and a place named only in 《许昌市2024年度…要点》: a weak clue, but the only one the text gives.
        # A tier nothing fits ("县人民政府", "我市" and only the province named) leaves the region unsaid.
        return _named_most(everywhere, tier) or (_province_by_short_name(text) if tier in ("省", "自治区") else None)
    return _most_frequent(everywhere)


def _named_most(found: list[tuple[Division, Mention]], tier: str) -> tuple[Division, Mention] | None:
    fitting = [item for item in found if _fits_tier(item[0], tier)]
    if not fitting:
        return None
    counts = Counter(item[0].adcode for item in fitting)
    return max(fitting, key=lambda item: counts[item[0].adcode])


def _province_by_short_name(text: str) -> tuple[Division, Mention] | None:
    """"在广东公安落地落实": a provincial department may name its province only by its short name."""
    named = divisions.province_mentions(text)
    if not named:
        return None
    counts = Counter(m.divisions[0].adcode for m in named)
    best = max(named, key=lambda m: counts[m.divisions[0].adcode])
    return best.divisions[0], best


def _unit_in_span(
    text: str, start: int, end: int, hint: str, opening: tuple[int, int]
) -> tuple[Division, Mention] | None:
    """A township, street or 新区 in an issuer or title ("丰都县栗子乡人民政府", "鲤城区人民政府金龙街道办事处"):
    its name starts after the last division or 人民政府 before it, and that division is the one it belongs to."""
    placed = divisions.mentions(text, start, end)
    starts = {start} | {m.end for m in placed} | {m.end() for m in _GOVERNMENT_WORD.finditer(text, start, end)}
    for pos in sorted(starts, reverse=True):
        match = _UNIT.match(text, pos, end)
        if match is None or _NOT_A_UNIT.search(match.group("name")[: -len(match.group("kind"))]):
            continue
        if any(m.start < match.end() and m.end > pos for m in placed):
            continue  # a known division ("浦东新区") is no unit of its own
        above = [m for m in placed if m.end <= pos]
        parent = _resolved_one(above[-1], hint, text) if above else None
        return _unit(text, match, parent, hint, opening)
    return None


def _subject_unit(text: str, opening: tuple[int, int], hint: str) -> tuple[Division, Mention] | None:
    """The township, street or 新区 the opening sentence is about: "2025年,中村乡法治政府建设工作在…",
    "在区委、区政府的坚强领导下,东城街道深入…"."""
    for match in _SUBJECT_UNIT.finditer(text, *_first_sentence(text, opening)):
        name = match.group("name")
        if _NOT_A_UNIT.search(name[: -len(match.group("kind"))]) or divisions.mentions(text, *match.span("name")):
            continue
        return _unit(text, match, None, hint, opening)
    return None


def _unit(
    text: str, match: re.Match[str], parent: Division | None, hint: str, opening: tuple[int, int]
) -> tuple[Division, Mention]:
    """The unit of a _UNIT match, under `parent`, else under the city its name starts with (东莞滨海湾新区), else
    under the 区/县/市 whose 区委、区政府 lead it, when the text names that one ("say nothing" otherwise)."""
    name = match.group("name")
    township = match.group("kind") in _TOWNSHIP_KINDS
    if parent is None and not township:
        name, parent = _area_parent(name)
    if parent is None:
        superior = _SUPERIOR.search(text, *_first_sentence(text, opening))
        if superior:
            found = _named_most(_resolved(text, 0, len(text), hint), superior.group("tier"))
            parent = found[0] if found else None
    start = match.end("name") - len(name)
    if parent is None:
        unit = Division(name, level="township" if township else "county")
    else:
        prefecture = parent.prefecture if parent.level != "province" else None
        unit = Division(name, level="township" if township else "county", province=parent.province,
                        prefecture=prefecture)
    return unit, Mention(name, start, match.end("name"), (unit,))


def _area_parent(name: str) -> tuple[str, Division | None]:
    """东莞滨海湾新区 → (滨海湾新区, 东莞市); 兰州新区 keeps its name; 两江新区 → 重庆市 from the national list."""
    if name in _NATIONAL_AREAS:
        return name, divisions.lookup(_NATIONAL_AREAS[name])
    for size in (4, 3, 2):
        cities = [d for d in divisions.candidates(name[:size]) if d.level != "county"]
        if len(cities) == 1:
            rest = name[size:]
            return (rest if len(rest) > len("新区") + 1 else name), cities[0]
    return name, None


def _resolved_one(mention: Mention, hint: str, text: str) -> Division | None:
    if len(mention.divisions) == 1:
        return mention.divisions[0]
    return divisions.lookup(mention.name, hint) or divisions.lookup(mention.name, text)


def _fits_tier(division: Division, tier: str) -> bool:
    """Whether a report calling itself 省政府/市政府/区政府… can be about `division`."""
    if tier in ("省", "自治区"):
        return division.level == "province" and division.name.endswith(tier)
    if tier == "市":  # a prefecture-level city, a municipality, or a county-level city
        return division.name.endswith("市")
    if tier in _TOWNSHIP_TIERS:  # no township is in the divisions data
        return False
    return division.level != "province" and division.name.endswith(tier)


def _resolved(text: str, start: int, end: int, hint: str) -> list[tuple[Division, Mention]]:
    found = []
    for mention in divisions.mentions(text, start, end):
        # 通州区 (北京/南通): the opening's hint first, then anything the whole text says
        division = _resolved_one(mention, hint, text)
        if division:
            found.append((division, mention))
    return found


_DEPTH = {"province": 0, "prefecture": 1, "county": 2, "township": 3}


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


def _level(organ: str | None, division: Division | None, tier: str | None) -> Level | None:
    if organ and not _GOVERNMENT.search(organ) and not _PARTY_COMMITTEE.match(organ):
        return "department"
    if division is None:  # "县人民政府", "我街道": the kind is said even where the place is not; 市 can be two kinds
        return _TIER_LEVELS.get(tier) if tier else None
    if division.level == "township":
        return "township"
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
    text: str, title: tuple[int, int] | None, opening: tuple[int, int], plans: list[tuple[int, int]],
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
    counted = _body_year(text, plans)
    if counted:
        return counted
    if issued:
        return issued.year - 1, None
    return None


def _body_year(text: str, plans: list[tuple[int, int]]) -> tuple[int, tuple[int, int]] | None:
    """The year the body names most, outside plan sections and year ranges (2021—2025年); earlier year on ties."""
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
