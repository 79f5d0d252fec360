"""Every quantitative figure a report cites: counts, amounts, percentages, with the clause that carries it.

What counts as a figure:
- an Arabic number followed by a unit (件, 人次, 个百分点, 万元…), a multiplier (4.6万), or a percent sign, or
  ending a clause after 为/达/至 (败诉的案件为0);
- a Chinese numeral from 2 up followed by a measure word (两次, 三个重点); 一 + measure word is almost always
  idiomatic (一次办, 一件事, 一支队伍) and is skipped.
Not figures: years (2024年), dates (1月15日), anything after 第 (第二十四条, 第一批), numbers inside 《…》 titles or
document numbers (〔2023〕28号), numbers glued to Latin letters, named systems (三项制度, 四个一, 八五普法), numbers
inside a short quoted slogan (“30分钟公共法律服务圈”).

How a number is written and what scales it (万, 亿, 千万…) is drafter.figures, shared with the LLM grounding.
Values and units: 万/亿 before a money unit (元) stay in the unit as written (2亿元 → 2, '亿元'); before any other
unit they multiply the value (4.6万人次 → 46000, '人次'). `raw` is the number as written, with the multiplier only
when the multiplier is not part of the unit, so that raw + unit reads as written once an inner 余/多 is left out:
'4.6万' + '人次', '1800' + '万元', '10余万' + '人', '875' + '万元' (875万余元), '3-5' + '天'. For a range the value
is its lower end and `value_max` its upper end (1—2小时 → 1, 2). A qualifier after the number (余/多/以上/以下/左右) wins over one before it (超过/近/达/约…).

Labels name what is counted, with its subject and verb, so a draft can reuse them ("新收行政复议案件【待填】件"):
see `_label`. A label that says nothing alone (方面, 金额, 成功率, 同比上升, 受理…: `bare_label`) takes what its
sentence counts (行政复议案件同比上升, 调解成功率, 受理行政复议案件). Each figure that measures a standard indicator
carries it (drafter.extract.indicators).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, chain, count
from operator import add

from drafter.extract.areas import area_index
from drafter.extract.indicators import indicator_for
from drafter.figures import MULTIPLIER, MULTIPLIERS, NUMBER
from drafter.models import Area, Metric, Section, build
from drafter.numerals import parse_chinese
from drafter.structure.locate import SectionIndex

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
    "大类": "", "小类": "", "堂": "", "节": "日点约能假庆", "门": "户诊槛类", "份次": "", "千克": "", "公斤": "",
    "立方米": "", "平方千米": "",
}
# Event units count actions ("组织专题学法4次"): the verb before them is part of what is counted.
_EVENT_UNITS = frozenset({
    "次", "场", "场次", "期", "期次", "轮", "批次", "班次", "人次", "件次", "户次", "家次", "条次", "台次", "辆次",
})
_CN_MEASURES = frozenset({
    "次", "件", "个", "场", "项", "人", "部", "期", "家", "名", "批", "支", "所", "条", "份", "类", "种", "篇", "本",
    "册", "台", "处", "座", "场次", "人次", "轮", "宗", "起", "位", "户", "套", "张", "批次", "大类", "堂", "门",
})


def _unit_alternation() -> str:
    """Longest unit first, grouped by first character so the engine tries one group, not every unit."""
    groups: dict[str, list[str]] = {}
    for unit in sorted(_UNITS, key=len, reverse=True):
        stop = _UNITS[unit]
        groups.setdefault(unit[0], []).append(re.escape(unit[1:]) + (f"(?![{stop}])" if stop else ""))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())


_FIRST_NUMBER = re.compile(r"[\d,.]+")
_RANGE_END = re.compile(NUMBER)
# Candidate starts are found with a plain character class (fast scan); the full pattern is matched only there.
# A Chinese numeral starting with 一 never counts (一次办, 一件事), so 一 alone is no candidate.
# Runs are maximal (possessive, and never starting inside another run); a run followed by 月/日/号/届 (dates,
# document numbers) or by 是/大/中 (二是, 二十大, 三中全会; 10大类 stays) is dropped here, in the regex engine.
_CANDIDATE = re.compile(
    r"[\d二两三四五六七八九十](?<![\d一二两三四五六七八九十][\d二两三四五六七八九十])"
    r"[\d一二两三四五六七八九十]*+(?![月日号届是中]|大(?!类))"
)
_FIGURE = re.compile(
    rf"""
    (?:
        (?P<num>{NUMBER}(?:\ ?[-—–~～至到]\ ?{NUMBER})?)
      | (?P<cn>[一二两三四五六七八九十]{{1,3}})
    )
    (?![\dA-Za-z])
    \ ?(?P<mult>{MULTIPLIER.pattern})?
    \ ?(?P<approx>余|多)?
    (?P<late_mult>{MULTIPLIER.pattern})?
    (?P<unit>{_unit_alternation()})?
    (?P<unit_note>[(（](?:次|人次|件次|场次|户次|人|户|家|个)[)）])?
    (?P<after>以上|以下|左右|以内|之多)?
    """,
    re.VERBOSE,
)
_BEFORE_QUALIFIER = re.compile(
    r"(?:超过|多于|不少于|不低于|不足|不到|将近|高达|多达|达到|累计达|逾|(?<![最附])近|约|(?<![下传表到送抵])达|超|仅)$"
)
_QUALIFIER_ENDS = frozenset("过于足到近达逾约超仅")
# Titles, document numbers, and short quoted slogans (“30分钟公共法律服务圈”, “12345”) name things, not counts.
_PROTECTED = re.compile(r"《[^《》\n]{0,120}》|〔[^〕\n]{0,12}〕|\[[^\]\n]{0,12}\]|“[^“”\n]{1,12}”")
_QUOTE_REACH = 30
_NAMED_COUNTS = re.compile(r"[一二两三四五六七八九十]+(?:项制度|个一|个意识|个自信|个确立|个维护|个全面|个代表)")
_ENDS_CLAUSE = re.compile(r"[，。；;！!？?、\n]|,(?!\d)|$")
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
# Clause and sentence breaks, as characters: their offsets are found with str.split (a C scan per character),
# several times faster than a regex character class stepping through a long text.
_CLAUSE_BREAKS = "，。；;！!？?：:\n|　, "
_GLUE = re.compile(r"[\dA-Za-z%]")
_LEADING_FILLER = re.compile(
    r"^(?:\d{4}年(?:度|以来|初|底)?|今年以来|全年|年内|至目前|截至目前|截至|目前|其中|共计|合计|总计|累计|共(?![享同建治识])|已|先后|分别"
    r"|我市|我区|我县|我州|全市|全区|全县|全省|全州|全镇|全局|全系统|全部|各类|各项|各级|各|等|并|同时|严格|依法)"
)
# Verbs that report what was counted (审查规范性文件5件): a label keeps them, since 新收, 受理 and 审结 count
# different things; a subject's object is what follows them (收到行政复议申请 → 行政复议申请).
_COUNTING_VERBS = (
    "办理|受理|审查|审核|审结|收到|新收|新增|发出|发布|公布|公示|制定|制发|印发|出台|建立|建成|建有|设立|组建|聘请|编制"
    "|培训|处理|查处|化解|调处|排查|提供|完成|实现|评查|抽查|检查|认领|梳理|清理|汇总|采集|答复|回复|开展|举办|召开"
    "|组织|参与|参加|解答|发放|代理|立案|起诉|接待|培育|创建|争创|打造|配备|纳入|推动|落实|进行|承接|辐射|统筹"
    "|确定|培养|推出|上线|收集|帮助|起草|新接|实行|转派"
)
_COUNTING_VERB = re.compile(_COUNTING_VERBS)
# Verbs that say nothing about what was counted (办理行政复议案件218件 → 行政复议案件): dropped from a label's front.
_EMPTY_VERBS = "办理|完成|实现|进行|落实|推动|统筹|纳入"
# A leading filler or verb; which one matched (lastgroup) decides how much must remain after it.
_LEADING_WORD = re.compile(rf"{_LEADING_FILLER.pattern}|^(?P<verb>{_EMPTY_VERBS}|为|对|向|在|有)")
_LEADING_OBJECT_WORD = re.compile(rf"{_LEADING_FILLER.pattern}|^(?P<verb>{_COUNTING_VERBS}|{_EMPTY_VERBS}|为|对|向|在|有)")
_TRAILING_FILLERS = (
    "共计", "合计", "总计", "累计", "共", "达到", "达", "为", "是", "有", "约", "分别", "均", "的", "和", "及", "与", "由",
    "从", "在", "等", "全市", "全区", "全县", "全镇", "全省",
)
# Fillers are 1-2 characters: two set look-ups at the end of a phrase (a 2-character one wins, as in a regex
# search from len-2) instead of a regex search per label candidate.
_TRAILING_FILLERS_2 = frozenset(f for f in _TRAILING_FILLERS if len(f) == 2)
_TRAILING_FILLERS_1 = frozenset(f for f in _TRAILING_FILLERS if len(f) == 1)
# Where a label's words may start: after a date or 共/累计. The hint (their first characters) skips most phrases;
# every alternative starts with a literal or a digit, so the engine scans fast; 公共/总共 are ruled out after.
_LEADING_CUT_HINT = re.compile(r"[\d以目计共]")
_LEADING_CUT = re.compile(r"\d{4}年(?:度|以来|初|底)?|\d{1,2}月(?:\d{1,2}日)?|以来|目前|[累合总]计|共计?(?![享同建治识青产性])")
_AFTER_NOUN_STOP = re.compile(
    r"[\d的在对向为到和与及并暨均共等被由，。；、：,;:\s《》()（）]|进行|开展|参加|参与|接受|获得|旁听|作为|通过|实现|实施|使用"
    r"|提供|配备|组织|全部|已经|已|可(?=[在以]|直接|实现|通过|办理|网上)"
)
# Nouns that say little alone: the predicate after them says which ones are counted.
_GENERIC_NOUNS = frozenset({
    "单位", "部门", "部门单位", "部门和单位", "单位和部门", "事项", "人员", "个人", "企业", "家庭", "群众", "对象",
    "方面", "工作", "重点", "文件", "数据",
    "乡镇", "镇", "街道", "村", "社区", "镇(街道)", "村(社区)", "镇(街)", "乡镇(街道)", "乡(镇)", "村(居)",
})
# Labels that name nothing: the predicate after the figure, or the figure before, does better.
_WEAK_LABELS = frozenset({"连续", "分", "共", "达", "为", "有", "是", "其中", "合计", "累计", "办理", "组织", "开展"})
_CHAINED_FIGURE = re.compile(
    rf"(?:约|近|超过|超|逾)?(?:{NUMBER}|[两二三四五六七八九十]{{1,3}})(?:{MULTIPLIER.pattern})?(?:余|多)?(?:{_unit_alternation()})"
    r"(?:余|多|以上|左右)?的?"
)
_CHAIN_START = frozenset("0123456789约近超逾两二三四五六七八九十")
_PREDICATE_LEAD_WORDS = r"(?:的|对|向|在|为|共|均|都|分别|全部|已|并)+"
_PREDICATE_LEAD = re.compile("^" + _PREDICATE_LEAD_WORDS)
# After a noun its preposition stays: 15个部门单位“一把手”向委员会述法.
_NOUN_PREDICATE_LEAD = re.compile(r"(?:的|共|均|都|分别|全部|已|并)+")
_PREDICATE_STOP = re.compile(r"[\d、《]")
# Where a label may start or end: after a function word or mark, or before 各/全 (全市各镇…, stripped later).
_PHRASE_BOUNDARY = re.compile(
    r"通过|按照|根据|围绕|以及|并且|[的并将、“”]|和(?!谐)|及(?!时)|与(?!会)|对(?![接标照象])|等(?![级次])|(?=[各全])"
    r"|(?<=[)）])"
)
_CLOSING_BRACKET = re.compile(r"[)）]")
_LABEL_MAX = 20
_LABEL_WINDOW = 32
_SENTENCE_BREAKS = frozenset("。；;！!？?\n")  # a subset of _CLAUSE_BREAKS
_SUBJECT_VERBS = frozenset({"受理", "审结", "办结", "解除", "起诉", "履行", "立案", "成功调处", "认领发布", "办理", "不予受理"})
_SHORT_RATE = re.compile(r"[^率、]{1,4}率|[^率、]{1,4}、[^率、]{1,5}率")  # 按时办结率, 基本满意率: of what?
_TALLY = re.compile(r"[^率]{0,3}(?:人数|数量|总数|金额|人员)")  # 受训人数, 涉案金额, 参与人员
_TALLY_ENDINGS = ("人数", "数量", "总数", "金额", "人员")
_NEEDY_MAX = 11  # no label longer than this is bare, a short rate or a tally
_LIST_WINDOW = 64  # a list before a figure may be long: 邀请法律顾问参与政府涉法事项的重大决策、…、行政诉讼达到70余次
_RATE_UNITS = frozenset({"%", "％", "‰"})
_MEMBER_UNITS = frozenset({"名", "人", "位", "家", "所"})  # people and bodies: what they did is what is counted
_QUOTED = re.compile(r"“[^”]*”")
_GENERIC_PLACE = re.compile(r"(?:乡镇|镇|乡|村|街道)[(（](?:街道|社区|街|镇|居)[)）]")
_LEVEL = re.compile(r"(?:国家|省|市|县|区|乡镇|镇|村|[\u4e00-\u9fff]{1,3}[市州县区])级$")
_PREDICATE_BLOCK = frozenset("和及与、《")  # a noun list or a title goes on: no predicate of this noun
_FIGURE_ENDS = frozenset("、，,。；;")
_CONJUNCTIONS = ("和", "及", "与", "以及")


def extract_metrics(text: str, sections: list[Section]) -> list[Metric]:
    """Every figure in `text`, in order, each with the clause around it as its quote."""
    protected = _Spans(_PROTECTED, text)
    offsets = _offsets(text, _CLAUSE_BREAKS)
    breaks = sorted(chain.from_iterable(offsets.values()))
    sentence_breaks = sorted(chain.from_iterable(offsets[ch] for ch in offsets if ch in _SENTENCE_BREAKS))
    sentence_start, subject = -1, None  # subject: what the counts of this sentence so far are of
    locator = SectionIndex(sections)
    area_of = area_index(text).classify
    metrics: list[Metric] = []
    areas: dict[tuple[int, str], Area | None] = {}  # several figures often share one clause
    previous_end, previous_start, previous_label = 0, -1, ""  # of the figure before
    for candidate in _CANDIDATE.finditer(text):
        pos = candidate.start()
        if pos < previous_end or _glued(text, pos):
            continue
        if candidate.end() - pos == 4 and text.startswith("年", candidate.end()):
            continue  # a year: the commonest non-figure, skipped before the full pattern
        if text[pos - 1:pos] == "第" or protected.inside(pos):
            continue  # an ordinal, or a title or document number: no figure, whatever the full pattern says
        match = _FIGURE.match(text, pos)
        if match is None:
            continue
        figure = _read_figure(text, match)
        if figure is None:
            continue
        value, value_max, unit, qualifier, raw_end = figure
        fig_start = match.start()
        clause_start, clause_end = _clause(text, breaks, fig_start, match.end())
        # Every qualifier ends in one of _QUALIFIER_ENDS: most figures have none and skip the regex.
        before_qualifier = _BEFORE_QUALIFIER.search(text, max(clause_start, fig_start - 4), fig_start) if (
            text[fig_start - 1:fig_start] in _QUALIFIER_ENDS) else None
        if qualifier is None and before_qualifier:
            qualifier = before_qualifier.group()
        label_end = before_qualifier.start() if before_qualifier else fig_start
        section = locator.innermost(fig_start)
        quote = text[clause_start:clause_end]
        heading = section.heading if section else ""
        area_key = (clause_start, heading)
        if area_key not in areas:
            areas[area_key] = area_of(clause_start, clause_end, context=heading)
        same_clause = previous_start == clause_start
        label = _label(text, clause_start, max(clause_start, previous_end), label_end, match.end(), clause_end,
                       match.group("unit") or "", previous_label if same_clause else None)
        i = bisect_right(sentence_breaks, fig_start - 1)
        if (sentence_breaks[i - 1] + 1 if i else 0) != sentence_start:
            sentence_start, subject = (sentence_breaks[i - 1] + 1 if i else 0), None
        bare = len(label) <= _NEEDY_MAX and bare_label(label)
        if bare or _short_rate_or_tally(label):  # 成功率95.43% after 调解纠纷2321件 → 调解纠纷成功率
            if subject is None and bare:
                subject = _subject_before(text, breaks, sentence_start, clause_start, label)
            label = _with_subject(label, subject)
        elif unit not in _RATE_UNITS:
            subject = _object(label)
        metrics.append(build(
            Metric, quote=quote, start=clause_start, end=clause_end,
            label=label,
            value=value, value_max=value_max, unit=unit, qualifier=qualifier, raw=text[fig_start:raw_end],
            part=locator.part_of(section),
            area=areas[area_key],
            indicator=indicator_for(label, unit, text, sentence_start, fig_start),
        ))
        previous_end, previous_start, previous_label = match.end(), clause_start, label
    return metrics


def _short_rate_or_tally(label: str) -> bool:
    """A label that, like a bare one, needs what its sentence counts: 按时办结率, 受训人数."""
    if len(label) > _NEEDY_MAX:
        return False
    # Each pattern fixes how a label ends: a cheap endswith rules most labels out before the regex.
    return bool(
        (label.endswith("率") and _SHORT_RATE.fullmatch(label))
        or (label.endswith(_TALLY_ENDINGS) and _TALLY.fullmatch(label))
    )


def _with_subject(label: str, subject: str | None) -> str:
    """A label that names nothing alone, completed by what its sentence counts: a verb takes it as object
    (审结 + 行政复议申请), anything else as owner (行政复议案件 + 同比上升; 调解成功 + 成功率 → 调解成功率)."""
    if not subject or subject in label:
        return label
    if label in _SUBJECT_VERBS:
        return _head(label + subject)
    for k in range(min(len(subject), len(label)), 1, -1):
        if subject.endswith(label[:k]):
            return _fit_tail(subject, _LABEL_MAX - len(label) + k) + label[k:]
    return _fit_tail(subject, _LABEL_MAX - len(label)) + label


def _object(label: str) -> str:
    """What a label counts, without its verb: 受理转派12345热线工单 → 12345热线工单."""
    while True:
        match = _LEADING_OBJECT_WORD.match(label)
        if not match or len(label) - match.end() < 2:
            return label
        label = label[match.end():]


def _subject_before(text: str, breaks: list[int], sentence_start: int, clause_start: int, label: str) -> str | None:
    """For a bare label that opens its sentence's figures: who the rate is of (行政机关负责人出庭应诉制度，出庭率
    达到100% → 行政机关负责人), or the object of the clause before (梳理政务服务事项，认领发布1237项)."""
    stem = label.removesuffix("率")
    if stem != label and len(stem) >= 2:
        at = text.rfind(stem[:2], sentence_start, clause_start)
        if at > sentence_start:
            owner = _phrase_before(text, _clause(text, breaks, at, at + 1)[0], at, "%")
            if len(owner) >= 2:
                return owner
    previous = text[sentence_start:max(sentence_start, clause_start - 1)]
    previous = previous[max(previous.rfind(c) for c in "，,：:") + 1:]
    verbs = list(_COUNTING_VERB.finditer(previous))
    if verbs and len(previous) - verbs[-1].end() >= 2:
        return _tail(_balanced(previous[verbs[-1].end():]))
    owner = _clean_before(previous, "%")
    filler = _LEADING_FILLER.match(owner)
    return owner if len(owner) >= 2 and not (filler and filler.end() == len(owner)) else None


def _read_figure(text: str, match: re.Match[str]) -> tuple[float, float | None, str, str | None, int] | None:
    """(value, upper end of a range, unit, qualifier, end of raw) for a real figure, or None for a year, date,
    named system… (the caller has ruled out ordinals and titles)"""
    start = match.start()
    number, numeral, mult, approx, late_mult, unit, unit_note, after = match.groups()  # _FIGURE's groups, in order
    mult = mult or late_mult  # 4万余件 and 10余万元 alike
    unit = unit or ""
    if not unit and not mult and not (number and _bare_count(text, start, match.end())):
        return None
    if numeral:
        if mult or unit not in _CN_MEASURES or _in_quotes(text, start) or _NAMED_COUNTS.match(text, start):
            return None
        value, value_max = parse_chinese(numeral), None
        if value is None or not 2 <= value < 100 or text[match.end("unit"):match.end("unit") + 1] == "一":
            return None
        raw_end = match.end("cn")
    else:
        # Most numbers are plain digits: then the number is its own first and only part (no regex needed).
        plain = number.isdecimal()
        first = number if plain else _FIRST_NUMBER.match(number).group()  # type: ignore[union-attr]
        value = float(first.replace(",", ""))
        if unit == "年" and (value >= 100 or mult or "." in first):
            return None  # 2024年 is a date; 连续4年 / 近10年 are counts
        if len(first) > 1 and first.startswith("0") and not first.startswith("0."):
            return None  # phone numbers, codes
        ends = () if plain else _RANGE_END.findall(number)
        value_max = float(ends[-1].replace(",", "")) if len(ends) > 1 else None  # 1—2小时 → 1 to 2
        raw_end = match.end("num")
        if mult and not unit.endswith(_MONEY_UNITS):  # 4.6万人次 → '4.6万'; 10余万人 → '10余万'
            raw_end = match.end("late_mult") if match.group("late_mult") else match.end("mult")
    if mult:
        if unit.endswith(_MONEY_UNITS):
            unit = mult + unit
        else:
            value *= MULTIPLIERS[mult]
            value_max = value_max * MULTIPLIERS[mult] if value_max is not None else None
    unit += unit_note or ""
    qualifier = after or approx
    return value, value_max, unit, qualifier, raw_end


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


def _offsets(text: str, chars: str) -> dict[str, list[int]]:
    """Every offset of each of `chars` in `text`, in order, by character (those absent left out)."""
    # One split per character present: the k-th break is at the length of the k pieces before it + k. Done in C
    # (map, accumulate), this is far cheaper than a str.find or a Python step per offset.
    return {
        ch: list(map(add, accumulate(map(len, text.split(ch)[:-1])), count()))
        for ch in chars if ch in text
    }


class _Spans:
    """The stretches of `text` a pattern matches (they do not overlap), for telling whether an offset is inside one."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in pattern.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def inside(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def _clause(text: str, breaks: list[int], start: int, end: int) -> tuple[int, int]:
    """The stretch between the clause breaks around [start, end), white space trimmed."""
    # Only a comma or a space may not break (_breaks_clause); every other break character does, tested inline.
    i = bisect_right(breaks, start - 1) - 1
    while i >= 0 and text[breaks[i]] in ", " and not _breaks_clause(text, breaks[i]):
        i -= 1
    clause_start = breaks[i] + 1 if i >= 0 else 0
    j = bisect_right(breaks, end - 1)
    while j < len(breaks) and text[breaks[j]] in ", " and not _breaks_clause(text, breaks[j]):
        j += 1
    clause_end = breaks[j] if j < len(breaks) else len(text)
    while clause_start < start and text[clause_start].isspace():
        clause_start += 1
    while clause_end > end and text[clause_end - 1].isspace():
        clause_end -= 1
    return clause_start, clause_end


def _label(
    text: str, clause_start: int, words_start: int, label_end: int, fig_end: int, clause_end: int,
    unit_written: str, previous_label: str | None,
) -> str:
    """What is counted, as a name a draft can reuse ("新收行政复议案件【待填】件"), at most 20 characters and
    never starting or ending inside a word. In order:
    - the noun the figure modifies (132部法律法规, 50人的救援队, 1支50人的救援队 → 救援队); a generic noun
      (单位, 事项, 部门…) keeps the predicate that says which ones (4家单位参加对接活动 → 单位参加对接活动), or
      ends the label when the predicate runs into its own figure (23个部门使用平台制定抽查计划71个 → …的部门);
      people and bodies keep what they did (32名负责人进行会议述法);
    - else the words before the figure in its clause, its verb kept but for an empty one (办理行政复议案件218件
      → 行政复议案件; 审查规范性文件2件 → 审查规范性文件), cut after the last 《…》 and at a phrase boundary
      (通过, 和, 的, 共…) rather than mid-word; a list stays whole when it fits (区委常委会、区政府常务会研究…) and
      a sibling shares its list's head or verb (示范村国家级1个、省级6个 → 示范村省级);
    - else the predicate after it (连续5年获得优秀等次 → 连续获得优秀等次; 组织463人参加考试 → 参加考试);
    - else the label of the figure before it in the same clause (救援队16支共335人 → 救援队)."""
    window_end = min(clause_end, fig_end + _LABEL_WINDOW)
    pos = fig_end
    if text[pos:pos + 1] in _CHAIN_START:  # 12类39项事项, 1支约15人的救援队: the noun is further on
        chained = _CHAINED_FIGURE.match(text, pos, window_end)
        if chained:
            pos = chained.end()
    if text.startswith("的", pos):
        pos += 1
    noun, noun_end = _noun_after(text, pos, window_end)
    if unit_written and unit_written not in _RATE_UNITS and len(noun) >= 2:
        place = _GENERIC_PLACE.match(noun)
        if place and place.end() < len(noun):  # 59个村(社区)法律顾问受理法律咨询: 59 counts 村(社区)
            noun, noun_end = place.group(), noun_end - (len(noun) - place.end())
        if _QUOTED.sub("", noun) in _GENERIC_NOUNS:
            predicate, runs_into_figure = _noun_predicate(text, noun_end, clause_end)
            if runs_into_figure and predicate:  # 23个部门使用平台制定抽查计划71个: 23 counts 部门, 71 抽查计划
                return _ending_with(predicate, noun)
            if predicate:
                return _head(noun + predicate)
            before = _phrase_before(text, words_start, label_end, unit_written)
            if len(before) >= 2 and before not in _WEAK_LABELS:
                return _fit_tail(before, _LABEL_MAX - len(noun)) + noun  # 覆盖全市15个乡镇 → 覆盖乡镇
            lead = _COUNTING_VERB.match(text, clause_start)  # 印发《…》等8个文件 → 印发文件
            if lead is None:
                verbs = list(_COUNTING_VERB.finditer(text, max(clause_start, label_end - _LABEL_WINDOW), label_end))
                lead = verbs[-1] if verbs else None
            return (lead.group() if lead else "") + noun  # 起草12类39项事项的《…》 → 起草事项
        if unit_written in _MEMBER_UNITS:  # 32名负责人进行会议述法: who did what
            predicate, runs_into_figure = _noun_predicate(text, noun_end, clause_end)
            if len(predicate) >= 2 and not runs_into_figure and len(noun) + len(predicate) <= _LABEL_MAX:
                return noun + predicate
        return _head(noun)
    before = _phrase_before(text, words_start, label_end, unit_written)
    if previous_label and _LEVEL.fullmatch(before):  # 示范村国家级1个、省级6个 → 示范村省级
        level = _LEVEL.search(previous_label)
        if level and level.start() >= 2:
            return previous_label[:level.start()] + before
    if previous_label and text.startswith("、", words_start):
        shared = _COUNTING_VERB.match(previous_label)  # 审查市政府规范性文件5件、部门规范性文件1件
        if shared and not _COUNTING_VERB.match(before) and len(before) >= 2:
            return _head(shared.group() + before)
    if before.endswith("连续"):
        predicate = _predicate(text, fig_end, clause_end)
        if predicate:
            return _head("连续" + predicate)
    if not noun and words_start > clause_start and len(before) <= 4:
        predicate = _predicate(text, fig_end, clause_end)  # 为8家企业1338人提供服务: 1338 counts 提供服务
        if len(predicate) >= 2:
            return _head(predicate)
    if len(before) >= 2 and before not in _WEAK_LABELS:
        return before
    if noun:
        return _head(noun)
    predicate = _predicate(text, fig_end, clause_end)
    if len(predicate) >= 2:
        return _head(predicate)
    return previous_label or before or text[words_start:label_end][-_LABEL_MAX:] or unit_written


def _noun_predicate(text: str, start: int, clause_end: int) -> tuple[str, bool]:
    """What the noun after a figure does (15个乡镇共聘请法律顾问 → 聘请法律顾问), and whether it runs into a figure
    of its own object (…制定抽查计划71个). Sibling figures (8个镇(街道)、6个部门单位开展督察) and figures inside
    the object (均建有1支约15人的综合救援队 → 建有综合救援队) are skipped."""
    pos = start
    while text.startswith("、", pos) and text[pos + 1:pos + 2] in _CHAIN_START:
        sibling = _chained_end(text, pos + 1, clause_end)
        noun, noun_end = _noun_after(text, sibling, clause_end) if sibling > pos + 1 else ("", pos)
        if not noun:
            break
        pos = noun_end
    end = min(clause_end, pos + _LABEL_WINDOW)
    lead = _NOUN_PREDICATE_LEAD.match(text, pos, end)
    pos = lead.end() if lead else pos
    if text[pos:pos + 1] in _PREDICATE_BLOCK:
        return "", False
    words: list[str] = []
    runs_into_figure = False
    while pos < end:
        stop = _PREDICATE_STOP.search(text, pos, end)
        words.append(text[pos:stop.start() if stop else end])
        if stop is None or not text[stop.start()].isdigit() or words[-1].endswith(_CONJUNCTIONS):
            break  # 15家单位的“三定”规定和23家单位的…: a sibling figure, not a figure inside the object
        after = _chained_end(text, stop.start(), end)
        if after == stop.start():
            break
        if after >= end or text[after] in _FIGURE_ENDS:
            runs_into_figure = True
            break
        pos = after
    phrase = "".join(words)
    trimmed = _without_trailing_filler(phrase)
    phrase = _balanced(trimmed if len(trimmed) >= 2 else phrase)
    return (phrase if len(phrase) >= 2 else ""), runs_into_figure


def _chained_end(text: str, pos: int, end: int) -> int:
    """End of the figures that follow one another from `pos` (1支约15人的), or `pos` when none starts there."""
    while pos < end and text[pos] in _CHAIN_START:
        chained = _CHAINED_FIGURE.match(text, pos, end)
        if chained is None:
            break
        pos = chained.end()
    return pos


def _ending_with(predicate: str, noun: str) -> str:
    """'P的N' within the label limit, P cut at a phrase boundary: 使用省协同监管平台制定抽查计划的部门."""
    room = _LABEL_MAX - len(noun) - 1
    return _fit_tail(predicate, room) + "的" + noun if room >= 2 else _head(noun)


def _fit_tail(phrase: str, limit: int) -> str:
    """The last `limit` characters of a phrase, cut after a phrase boundary rather than inside a word."""
    if len(phrase) <= limit:
        return phrase
    if limit <= 0:
        return ""
    for boundary in _PHRASE_BOUNDARY.finditer(phrase):
        if 2 <= len(phrase) - boundary.end() <= limit:
            return phrase[boundary.end():]
    return phrase[-limit:]


def _noun_after(text: str, start: int, end: int) -> tuple[str, int]:
    """The noun phrase right after a figure, up to the first verb or break; a bracket (村(社区)) and a list of
    plain nouns (乡镇、部门领导班子成员) stay inside it."""
    pos = start
    while True:
        stop = _AFTER_NOUN_STOP.search(text, pos, end)
        noun_end = stop.start() if stop else end
        mark = text[noun_end:noun_end + 1]
        if mark in ("(", "（"):
            closing = _CLOSING_BRACKET.search(text, noun_end, min(end, noun_end + 8))
            if closing:
                pos = closing.end()
                continue
        if mark == "、" and noun_end > start:
            following = _AFTER_NOUN_STOP.search(text, noun_end + 1, end)
            following_end = following.start() if following else end
            if (following_end > noun_end + 1 and not text[following_end:following_end + 1].isdigit()
                    and following_end - start <= _LABEL_MAX):
                pos = following_end
                continue
        return _balanced(text[start:noun_end]), noun_end


def _predicate(text: str, start: int, clause_end: int) -> str:
    """The words after a figure or noun up to the clause end, without a leading preposition (对/向/在)."""
    phrase = _PREDICATE_LEAD.sub("", text[start:min(clause_end, start + _LABEL_WINDOW)])
    stop = _PREDICATE_STOP.search(phrase)
    phrase = phrase[:stop.start()] if stop else phrase
    trimmed = _without_trailing_filler(phrase)
    return _balanced(trimmed if len(trimmed) >= 2 else phrase)  # 镇(街道)均建有1支… keeps 建有


def _phrase_before(text: str, clause_start: int, label_end: int, unit_written: str) -> str:
    """The words before a figure. A list (区委常委会、区政府常务会研究…) stays whole when it fits; a long one
    keeps what its items belong to (法律顾问参与政府涉法事项的重大决策、…、行政诉讼 → 法律顾问参与政府涉法事项)
    or else its last item."""
    before = text[max(clause_start, label_end - _LIST_WINDOW):label_end]
    # `in` first: str.rfind costs more than the scan, most phrases hold neither mark nor a list.
    if " " in before or "》" in before:
        before = before[max(before.rfind(" "), before.rfind("》")) + 1:]
    last_item = before.rfind("、") if "、" in before else -1
    if last_item < 0:
        return _clean_before(before[-_LABEL_WINDOW:], unit_written)
    whole = _clean_before(before, unit_written, cut=False)
    if len(whole) <= _LABEL_MAX:
        return whole
    owner = before.rfind("的", 0, before.find("、"))
    if owner > 0:
        head = _clean_before(before[:owner], unit_written, cut=False)
        if 2 <= len(head) <= _LABEL_MAX:
            return head
    return _clean_before(before[last_item + 1:], unit_written)


def _clean_before(before: str, unit_written: str, cut: bool = True) -> str:
    """Words before a figure without a leading date, filler or empty verb, nor a trailing filler; cut to the
    label limit unless `cut` is False (the caller checks the length)."""
    before = before.lstrip("、")
    # Start after the last date (2024年…) or 共/累计 (各镇、街道共审查重大决策 → 审查重大决策) that leaves a phrase.
    start = 0
    for lead in _LEADING_CUT.finditer(before) if _LEADING_CUT_HINT.search(before) else ():
        if len(before) - lead.end() >= 2 and not (lead.start() and before[lead.start() - 1] in "公总"):
            start = lead.end()
    before = before[start:].strip().removeprefix("的")
    before = _tail(before) if cut else before
    before = _strip_leading(before, unit_written not in _EVENT_UNITS)
    trimmed = _without_trailing_filler(before)
    if len(trimmed) >= 2:
        before = trimmed
    return _balanced(before)


def _without_trailing_filler(phrase: str) -> str:
    if phrase[-2:] in _TRAILING_FILLERS_2:
        return phrase[:-2]
    if phrase[-1:] in _TRAILING_FILLERS_1:
        return phrase[:-1]
    return phrase


def _tail(phrase: str) -> str:
    return _fit_tail(phrase, _LABEL_MAX)


def _head(phrase: str) -> str:
    """The first 20 characters of a phrase, cut before a phrase boundary rather than inside a word."""
    if len(phrase) <= _LABEL_MAX:
        return phrase
    cut = None
    for boundary in _PHRASE_BOUNDARY.finditer(phrase, 2, _LABEL_MAX + 1):
        if boundary.start() <= _LABEL_MAX:
            cut = boundary.start()
    return _balanced(phrase[:cut] if cut else phrase[:_LABEL_MAX])


def _balanced(phrase: str) -> str:
    """Mend a quotation mark a cut left without its partner (“一把手 → 一把手, 部门单位“一把手 → 部门单位“一把手”)."""
    phrase = phrase.strip().strip('"')
    if "“" not in phrase and "”" not in phrase:
        return phrase
    opened, closed = phrase.count("“"), phrase.count("”")
    if opened == closed:
        return phrase
    if opened > closed:
        phrase = phrase[1:] if phrase.startswith("“") else phrase + "”"
    else:
        phrase = phrase[:-1] if phrase.endswith("”") else phrase.replace("”", "", 1)
    return phrase


def _strip_leading(phrase: str, verbs: bool) -> str:
    """Drop leading fillers (其中, 全市…) while 2+ characters remain, and leading verbs (办理…) while 3+ remain:
    回复各类征求意见稿 → 征求意见稿; an event's verb stays (组织专题学法4次)."""
    pattern = _LEADING_WORD if verbs else _LEADING_FILLER
    while True:
        match = pattern.match(phrase)
        if not match or len(phrase) - match.end() < (3 if match.lastgroup == "verb" else 2):
            return phrase
        phrase = phrase[match.end():]


# Labels that name nothing on their own: a generic noun or verb, a rate or change without what it is of.
_BARE_WORDS = frozenset({
    "方面", "事项", "金额", "办理", "参与人员", "人员", "单位", "部门", "部门单位", "部门和单位", "企业", "乡镇",
    "镇(街道)", "村(社区)", "镇(街)", "对象", "群众", "受众", "项目", "机制", "工作", "文件", "信息", "数据", "问题",
    "发现问题", "重点", "受理", "审结", "办结", "解除", "起诉", "涉及", "履行", "立案", "提供服务", "数量", "人数",
    "总数", "次数", "件数", "比例", "比率", "其中", "合计", "累计", "共计", "认领发布", "差评", "成功调处", "不予受理",
    "涉案金额",
})
_BARE_RATE = re.compile(r"[^率]{0,2}率")
_BARE_CHANGE = re.compile(r"(?:同比|环比|比上年|较上年)?(?:上升|增长|增加|下降|减少|提升|提高|降低|增幅|降幅)了?至?")
# How a change ends (its verb, 了 or 至), and its length at most 7 (比上年 + 上升 + 了 + 至): cheap tests first.
_CHANGE_ENDINGS = ("上升", "增长", "增加", "下降", "减少", "提升", "提高", "降低", "增幅", "降幅", "了", "至")


def bare_label(label: str) -> bool:
    """Whether a label says nothing on its own (方面, 事项, 金额, 成功率, 同比上升…)."""
    plain = label.replace("“", "").replace("”", "").strip()
    return plain in _BARE_WORDS or bool(
        (plain.endswith("率") and _BARE_RATE.fullmatch(plain))
        or (len(plain) <= 7 and plain.endswith(_CHANGE_ENDINGS) and _BARE_CHANGE.fullmatch(plain))
    )
