"""The offline backend's facts: the items of each part, by rule, with no model and no network.

Items are cut at the finest level the report marks, as a 法治办 staffer reads them:
- measures: each finest numbered unit (（一）, 一是…), split again at the unnumbered lead sentences inside it
  ("推进“放管服”改革。"); a flat part body gives one item per sentence, a sentence that only reports what the one
  before achieved ("2023年，…参与审核…80余件") staying with it. The title is the action, the summary the result
  clause. A headline result outside every item (获评全省首批“法治政府建设示范市”) is an item of its own.
- problems: one item per shortcoming paragraph, quoting all of it, with its clauses and its stated cause.
- plans: one item per single promise: each clause of a plans unit, its heading included; a framing clause
  ("在普法内容上") goes with the clause it frames, a purpose clause ("确保…", "推动…落地落实") with the one it
  serves. A forward-looking closing ("下步，…将…") outside the plans part gives plans too.
- leadership: the units of a leadership section, and every sentence in measures (or in a text without headings)
  that reports the principal leaders' 第一责任人 duty (structure.sentences.duty_sentences).
A text without numbered headings gets its measures from its sentences of work done.
"""

from __future__ import annotations

import re

from drafter.extract.areas import area_index
from drafter.models import Area, Item, Part, Section, Span, build
from drafter.structure import BodySentence, SectionIndex, body_end, work_done_sentences
from drafter.structure.parts import closing_span
from drafter.structure.sentences import LEADER, duty_sentences, sentence_span
from drafter.text import SENTENCE_OR_LINE_END

# In a flat part a colon ends a lead-in too: "…但仍存在以下不足：执法人员专业素质不高。" gives the clause after it.
_ITEM_SENTENCE_END = re.compile(r"[。；;！!？?：\n]|:(?!\d)")
_FULL_STOP = re.compile(r"[。！!？?\n]")
_LEADING_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．是]|\d+[.、．])\s*")
_NUMBER_STARTS = "（(一二三四五六七八九十"  # after any white space, with \d: where a numbering token starts
# A sentence that only introduces a list ("…存在以下问题:") or frames it ("虽然…取得了…成绩,但…") is no item.
_LEAD_IN = re.compile(r"[:：]\s*$|^(?:虽然|尽管|但|同时|总的来看|总体来看|回顾)|(?:以下|如下)(?:几|[一二三四五六七八九十\d])?(?:个方面|项|点)?")
_CLAUSE_MARKS = ",，;；。"
_CLAUSE = re.compile(f"[{_CLAUSE_MARKS}]")
_CLAUSE_TEXT = re.compile(f"[^{_CLAUSE_MARKS}]+")  # what lies between them
# One clause: up to the next comma or stop outside quotes and brackets (“…，…” stays one clause). Plain characters
# go by the run, not one repetition each.
_CLAUSE_RUN = re.compile(
    r"(?:[^，,；;。！!？?：:\n“（(《]+|“[^”\n]*”|（[^）\n]*）|\([^)\n]*\)|《[^》\n]*》|[“（(《])+")
_SENTENCE_STOPS = "。；;！!？?"
# Clauses that are no promise of their own: a frame joins the clause after it, a purpose or a continuation the
# clause before it ("…，确保工作质效", "…，作为…重点课程", "…，责任到人").
_DATE_FRAME = re.compile(
    r"\d{4}年(?:以来|度|底|初)?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:以来)?|今年以来|近年来|截至目前|目前|一年来")
_FRAME = re.compile(
    "(?:" + _DATE_FRAME.pattern + r"|接下来|下一步|下步|下阶段|今后|明年|新的一年|在[^，,]{0,30}(?:上|中|下|方面|基础上|过程中|时)"
    r"|(?:按照|根据|依据|围绕|立足|结合|针对|对照|聚焦|着眼|通过)[^，,]{0,30})")
_PURPOSE = re.compile(r"(?:切实|有效|不断|持续|全面|进一步|着力|努力|从而|进而)?(?:确保|营造|推动|助力|形成|实现|促进)|为")
_CONTINUE = re.compile(r"(?:作为|并且?|且|使|让|与|各[^，,]{0,8}各)|.{1,4}$")
# A clause that only introduces the promises ("做好以下工作", "主要目标是") or restates the guiding formula
# ("坚持以习近平新时代中国特色社会主义思想为指导") promises nothing of its own.
_PROMISE_LEAD_IN = re.compile(r"以下|如下|目标[是为]$|任务[是为]$|重点[是为]$|思想为指导$")  # literal starts: a quick scan
# An unnumbered lead sentence inside a measure ("推进“放管服”改革。"): short, no comma and no figure, after a full
# stop, with more of the unit after it.
_LEAD_CHARS = (6, 30)  # its own 。 included
# The lookahead rules out a sentence of another length before the run is tried (a lead holds no 。 of its own).
_LEAD_SENTENCE = re.compile(
    r"[。\n][ \t\u3000]*(?=[^。]{%d,%d}。)((?:“[^”。\n]*”|[^。，,；;：:！!？?\s\d“])+)(?=。)"
    % (_LEAD_CHARS[0] - 1, _LEAD_CHARS[1] - 1))
# A lead opens with what was done ("深入开展…", "推进…"); "草案经…印发实施。" and "如帮助…" go on the measure before.
_LEAD_VERB = re.compile(
    r"(?:全面|深入|持续|积极|大力|扎实|严格|切实|不断|进一步|认真|广泛|有序|稳步|加快|着力|精心|高标准|全力|主动|率先"
    r"|依法|狠抓|常态化)?(?:强化|加强|推进|推动|深化|完善|健全|建立|落实|开展|组织|实施|提高|提升|优化|规范|坚持|发挥"
    r"|抓好|做好|编制|制定|印发|公布|培育|打造|构建|创新|探索|加大|聚焦|压实|夯实|统筹|建成|设立|成立|举办|召开|完成"
    r"|普及|推行|执行|贯彻|服务|保障|抓实|筑牢)")
# A sentence that only reports what the previous one achieved: a time frame, then figures.
_REPORT_ONLY = re.compile("(?:" + _DATE_FRAME.pattern + r"|全年)[，,]")
_DIGIT = re.compile(r"\d")
# The lookahead holds the alternatives' first characters: most positions fail it before any alternative is tried.
_RESULT = re.compile(
    r"(?=[\d达全获荣授入实提下增形建完推率显明])"
    r"(?:\d|达到|全覆盖|获评|荣获|授予|入选|(?:实现|提[升高]|下降|增强|形成|建成|完成|推动)了|率达|显著|明显)")
# A headline result: an honour or a selection the body reports (获评…示范市, 被…授予…称号, 入选…).
_HEADLINE = re.compile(
    r"获评|荣获|入选|被[^，,。；;]{0,24}(?:授予|评为|命名|表彰|确定为|列为)|获得[^，,。；;]{0,24}(?:称号|等次|荣誉|奖)")
_COLON = re.compile(r"[:：]")
_CLAUSE_STOPS = "，,。；;！!？?\n"
_CLAUSE_STOP = re.compile(f"[{_CLAUSE_STOPS}]")
_MAX_LEAD_IN = 80
_CAUSE = re.compile(r"原因|由于|根源|归因|究其")
_CAUSE_LEAD = re.compile(r"(?:究其原因|[^，,。问题]{0,8}原因(?:分析|剖析)?(?:[是在有主:：]|$))")
# The doer and the time before the action ("2024年我市共组织了…"): not part of a title.
_SUBJECT = re.compile(
    r"(?:\d{4}年(?:以来|度)?|今年以来|截至目前|目前)?[，,]?"
    r"(?:(?:我们|我市|我区|我县|我局|全市|全区|全县|市政府|区政府|县政府)(?:将|要)?"
    r"|[\u4e00-\u9fff]{1,6}(?:市|区|县|旗|州|镇)(?:人民政府|政府)?(?:将|要)"  # "楚雄市将…": a named doer only before 将/要
    r"|将|要)?(?:共|累计|先后)?")
_LEADS_OWN = re.compile(LEADER.pattern + r"|述法|带头|亲自")
_MIN_SENTENCE = 6  # "加强法治督察。" is a plan; "无。" and stray fragments are not
_SUMMARY_CHARS = 60
_TITLE_CHARS = 30
_AREA_CHARS = 400  # an item's area is read from its heading and the start of its body

ITEM_PARTS: tuple[Part, ...] = ("measures", "problems", "plans", "leadership")


def extract_items(text: str, sections: list[Section]) -> dict[Part, list[Item]]:
    children: dict[str | None, list[Section]] = {}
    for section in sections:
        children.setdefault(section.parent, []).append(section)
    items: dict[Part, list[Item]] = {part: [] for part in ITEM_PARTS}
    stop = body_end(text)
    closing = closing_span(text, stop)
    index = SectionIndex(sections)
    if closing is not None and index.part_at(closing[0]) == "plans":
        closing = None  # the plans part's own last sentence
    # In one-line text the closing "下步，…将…" is still inside the last section: no measure of it, a plan.
    limit = closing[0] if closing is not None else len(text)
    for root in _part_roots(sections):
        part: Part = root.part  # type: ignore[assignment]
        if part == "plans":
            # Every promise of the part: its lead paragraph ("全面持续深化法治政府建设活动"), and each unit's
            # heading and own body, a unit with run-ins under it ("（二）深化行政执法改革。一是…") included.
            for unit in _part_sections(root, children):
                start = root.heading_end if unit is root else _after_number(text, unit)
                items["plans"].extend(_promise_items(text, start, min(_own_body_end(unit, children), limit), unit))
            continue
        for unit in _leaf_units(root, children):
            for item in _unit_items(text, unit, part, unit is root, children, limit):
                items[item.part].append(item)
    if closing is not None:
        items["plans"].extend(_promise_items(text, closing[0], closing[1], None))
    if not sections:
        items["measures"] = _body_items(text, work_done_sentences(text), "measures")
    held = [(i.start, i.end) for i in items["leadership"]]
    duty = [s for s in duty_sentences(text, sections) if not any(a <= s.start and s.end <= b for a, b in held)]
    items["leadership"].extend(_body_items(text, duty, "leadership"))
    items["measures"].extend(_headline_items(text, index, items, stop))
    items["problems"] = _with_causes(items["problems"])
    for part_items in items.values():
        part_items.sort(key=lambda item: item.start)
    return items


def _body_items(text: str, sentences: list[BodySentence], part: Part) -> list[Item]:
    items = []
    for found in sentences:
        sentence = text[found.start:found.end]
        items.append(
            build(
                Item,
                # The leaders are the point of a duty sentence: its title keeps them ("市长带头学法").
                quote=sentence, start=found.start, end=found.end,
                title=_shorten(_clean_title(_CLAUSE.split(sentence, maxsplit=1)[0]), _TITLE_CHARS)
                if part == "leadership" else _action_title(sentence),
                summary=_shorten(sentence), part=part, section=found.section,
                area="leadership" if part == "leadership" else area_index(text).classify(found.start, found.end),
            )
        )
    return items


def _part_roots(sections: list[Section]) -> list[Section]:
    """The outermost sections of each item part; a subsection whose part differs from its parent's is a root too."""
    by_id = {s.id: s for s in sections}
    roots = []
    for section in sections:
        if section.part not in ITEM_PARTS:
            continue
        parent = by_id.get(section.parent) if section.parent else None
        if parent is None or parent.part != section.part:
            roots.append(section)
    return roots


def _leaf_units(root: Section, children: dict[str | None, list[Section]]) -> list[Section]:
    """The finest sections under `root` that stay in its part (a child of another part is its own root)."""
    kids = [c for c in children.get(root.id, []) if c.part == root.part]
    if not kids:
        return [root]
    return [leaf for kid in kids for leaf in _leaf_units(kid, children)]


def _part_sections(root: Section, children: dict[str | None, list[Section]]) -> list[Section]:
    """`root` and every section under it that stays in its part, in document order."""
    kids = [c for c in children.get(root.id, []) if c.part == root.part]
    return [root, *(s for kid in kids for s in _part_sections(kid, children))]


def _own_body_end(unit: Section, children: dict[str | None, list[Section]]) -> int:
    kids = children.get(unit.id)
    return kids[0].start if kids else unit.end


def _unit_items(
    text: str, unit: Section, part: Part, is_root: bool, children: dict[str | None, list[Section]], limit: int
) -> list[Item]:
    end = _own_body_end(unit, children)
    if unit.heading_end < limit < end:
        end = limit
    if part == "problems":
        # A problems root heads the part ("（二）存在的困难"), at any level: its body holds the problems.
        if is_root:
            return _flat_problem_items(text, unit.heading_end, end, unit)
        return [_problem_item(text, unit, end)]
    if unit.level == 1:  # a part heading with a flat body (no numbered units inside)
        return _flat_measure_items(text, unit.heading_end, end, part, unit)
    if unit.style == "runin":
        # "三是…" ends with its paragraph: a paragraph after the last run-in sums up the section, it is no part of 三.
        brk = text.find("\n", unit.heading_end, end)
        if brk >= 0 and text[brk:end].strip():
            end = brk
    return _lead_split_items(text, unit, end, part)


def _after_number(text: str, unit: Section) -> int:
    pos = unit.start + len(unit.number or "")
    while pos < unit.heading_end and text[pos].isspace():
        pos += 1
    return pos


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\u3000\n，,":
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# Measures and leadership


def _lead_split_items(text: str, unit: Section, end: int, part: Part) -> list[Item]:
    """The unit from its heading to its first lead sentence, then each lead sentence to the next."""
    cuts = [unit.start]
    leads: dict[int, int] = {}
    # From the stop that ends the heading: a lead starts after a stop, and its own 。 may start the next one.
    for match in _LEAD_SENTENCE.finditer(text, max(unit.heading_end - 1, unit.start), end):
        lead_end = match.end() + 1  # its 。
        if not _LEAD_VERB.match(match.group(1)) or not text[lead_end:end].strip():
            continue
        cuts.append(match.start(1))
        leads[match.start(1)] = lead_end
    items = []
    for k, cut in enumerate(cuts):
        start, stop = _trimmed(text, cut, cuts[k + 1] if k + 1 < len(cuts) else end)
        if stop <= start:
            continue
        if cut == unit.start:
            title, heading, body_from = _without_subject(_clean_title(unit.heading)), unit.heading, unit.heading_end
            if _DIGIT.search(unit.heading):
                body_from = _after_number(text, unit)
            item_part = part
        else:
            title, heading, body_from = _clean_title(text[cut:leads[cut]]), text[cut:leads[cut]], leads[cut]
            # A lead inside a leadership unit that does not name the leaders ("持续完善“1211”…推进机制。") is a measure.
            item_part = part if part != "leadership" or _LEADS_OWN.search(heading) else "measures"
        summary = _result_clause(text, body_from, stop) or _first_sentence(text, leads.get(cut, unit.heading_end), stop)
        items.append(
            build(
                Item,
                quote=text[start:stop], start=start, end=stop, title=_action_title(title) if cut != unit.start else title,
                summary=_shorten(summary or title),
                area=_area_for(text, item_part, heading, body_from, stop, unit.heading),
                part=item_part, section=unit.id,
            )
        )
    return items


def _flat_measure_items(text: str, start: int, end: int, part: Part, unit: Section) -> list[Item]:
    """One item per sentence of a flat body; a sentence that only reports figures stays with the one before."""
    spans: list[list[int]] = []
    for s_start, s_end in _sentences(text, start, end, _FULL_STOP):
        sentence = text[s_start:s_end]
        if spans and _REPORT_ONLY.match(sentence) and _DIGIT.search(sentence):
            spans[-1][1] = s_end
        elif len(sentence) >= _MIN_SENTENCE and not _LEAD_IN.search(sentence):
            spans.append([s_start, s_end])
    items = []
    for s_start, s_end in spans:
        quote = text[s_start:s_end]
        items.append(
            build(
                Item,
                quote=quote, start=s_start, end=s_end, title=_action_title(quote),
                summary=_shorten(_result_clause(text, s_start, s_end) or quote),
                area=_area_for(text, part, unit.heading, s_start, s_end, unit.heading), part=part, section=unit.id,
            )
        )
    return items


def _headline_items(text: str, index: SectionIndex, items: dict[Part, list[Item]], stop: int) -> list[Item]:
    """Headline results (获评…示范市, 荣获…) that no measure or leadership item holds: each an item of its own."""
    held = [(i.start, i.end) for part in ("measures", "leadership") for i in items[part]]  # type: ignore[index]
    found: list[Item] = []
    pos = 0
    while (match := _HEADLINE.search(text, pos, stop)) is not None:
        at = match.start()
        pos = match.end()
        if any(a <= at < b for a, b in held) or index.part_at(at) not in ("measures", None):
            continue
        start, end = _clause_around(text, at, stop)
        # Run on over the clauses that follow while they are headlines too ("…优秀等次，连续4年入选…").
        while text[end:end + 1] in ("，", ",") and end + 1 < stop:
            next_start, next_end = _clause_around(text, end + 1, stop)
            if not _HEADLINE.search(text, next_start, next_end):
                break
            end = next_end
        prev = _clause_before(text, start)
        if prev is not None and _DATE_FRAME.fullmatch(text[prev[0]:prev[1]]):
            start = prev[0]  # "2022年5月，…获评…" keeps its date
        pos = max(pos, end)
        quote = text[start:end]
        holder = index.innermost(at)
        found.append(
            build(
                Item,
                quote=quote, start=start, end=end, title=_action_title(quote),
                summary=_shorten(quote), part="measures", area=area_index(text).classify(start, end),
                section=holder.id if holder else None,
            )
        )
        held.append((start, end))
    return found


def _clause_around(text: str, pos: int, stop: int, floor: int = 0) -> tuple[int, int]:
    start = pos
    while start > floor and text[start - 1] not in _CLAUSE_STOPS:  # clauses are short: a few steps back
        start -= 1
    match = _CLAUSE_STOP.search(text, pos, stop)
    return _trimmed(text, start, match.start() if match else stop)


def _clause_before(text: str, start: int) -> tuple[int, int] | None:
    """The clause ending in the comma right before `start`, if one does."""
    comma = start - 1
    while comma >= 0 and text[comma].isspace():
        comma -= 1
    if comma < 0 or text[comma] not in "，,":
        return None
    return _clause_around(text, max(comma - 1, 0), comma)


# Problems


def _problem_item(text: str, unit: Section, end: int) -> Item:
    """The whole shortcoming paragraph, heading through its last clause; clauses and cause as spans."""
    start, stop = _trimmed(text, unit.start, end)
    # A run-in heading that the sentence goes on from ("一是执法力量不足，部分乡镇…") is the first clause's start.
    after = unit.heading_end
    while after < stop and text[after] in " \t\u3000":
        after += 1
    clause_from = _after_number(text, unit) if text[after:after + 1] in ("，", ",") else unit.heading_end
    clauses = [
        Span(quote=text[a:b], start=a, end=b)
        for a, b in _sentences(text, clause_from, stop, SENTENCE_OR_LINE_END, keep="") if b - a >= 2
    ]
    return _problem(text, start, stop, _clean_title(unit.heading), clauses, unit)


def _flat_problem_items(text: str, start: int, end: int, unit: Section) -> list[Item]:
    """A problems part without numbered units: one item per paragraph, or per sentence in one-line text."""
    paragraphs = [
        (a, b) for a, b in _sentences(text, start, end, re.compile(r"\n"))
        if not _LEAD_IN.search(text[a:b]) or _ITEM_SENTENCE_END.search(text, a, b - 1)
    ]
    if len(paragraphs) < 2:
        return [
            _problem(text, a, b, _clean_title(_CLAUSE.split(text[a:b], maxsplit=1)[0]),
                     [Span(quote=text[a:b].rstrip("。；;"), start=a, end=a + len(text[a:b].rstrip("。；;")))], unit)
            for a, b in _sentences(text, start, end, _ITEM_SENTENCE_END, keep="。；;！!？?")
            if b - a >= _MIN_SENTENCE and not _LEAD_IN.search(text[a:b])
        ]
    items = []
    for a, b in paragraphs:
        # "…存在以下不足：执法人员专业素质不高。" keeps what follows the lead-in.
        colon = _COLON.search(text, a, min(b, a + _MAX_LEAD_IN))
        if colon:
            a, b = _trimmed(text, a + colon.end(), b)
        clauses = [Span(quote=text[x:y], start=x, end=y)
                   for x, y in _sentences(text, a, b, SENTENCE_OR_LINE_END, keep="")]
        if b - a >= _MIN_SENTENCE and clauses:
            items.append(_problem(text, a, b, _clean_title(_CLAUSE.split(text[a:b], maxsplit=1)[0]), clauses, unit))
    return items


def _problem(text: str, start: int, end: int, title: str, clauses: list[Span], unit: Section) -> Item:
    quote = text[start:end]
    cause = next((c for c in clauses if _CAUSE.search(c.quote)), None)
    first = clauses[0].quote if clauses else quote
    return build(
        Item,
        quote=quote, start=start, end=end, title=title, summary=_shorten(first), clauses=clauses, cause=cause,
        area=_area_for(text, "problems", unit.heading if unit.level > 1 else "", start, end, unit.heading),
        part="problems", section=unit.id,
    )


def _with_causes(problems: list[Item]) -> list[Item]:
    """A paragraph or unit that gives the cause ("（四）原因分析", "究其原因，…") is no problem: it is the cause of
    the problems before it that state none of their own."""
    kept: list[Item] = []
    open_from = 0  # problems from here on still wait for a cause
    for item in sorted(problems, key=lambda i: i.start):
        if _CAUSE_LEAD.match(item.title) and kept[open_from:]:
            for problem in kept[open_from:]:
                if problem.cause is None:
                    problem.cause = Span(quote=item.quote, start=item.start, end=item.end)
            open_from = len(kept)
        else:
            kept.append(item)
    return kept


# Plans


def _promise_items(text: str, start: int, end: int, unit: Section | None) -> list[Item]:
    heading = unit.heading if unit is not None else ""
    areas = area_index(text)
    items = []
    for a, b in _promise_spans(text, start, end):
        quote = text[a:b]
        # A promise that names no area ("创新履职评议形式") takes its sentence's ("深入实施“八五”普法规划,…").
        area = areas.classify(a, b, context=heading)
        if area is None:
            area = areas.classify(*sentence_span(text, a, start, end))
        items.append(
            build(
                Item,
                quote=quote, start=a, end=b, title=_action_title(quote),
                summary=_shorten(quote), area=area,
                part="plans", section=unit.id if unit is not None else None,
            )
        )
    return items


def _promise_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Each single promise in [start, end): clauses, with frames joined forward and purposes joined back."""
    groups: list[list[int]] = []
    pending: int | None = None  # start of a frame waiting for the clause it frames
    sentence_first = True
    for match in _CLAUSE_RUN.finditer(text, start, end):
        a, b = _trimmed(text, match.start(), match.end())
        stop = text[match.end()] if match.end() < end else "。"
        clause = text[a:b]
        if b <= a:
            continue
        final = match.end() + 1 if stop in _SENTENCE_STOPS and match.end() < end else b
        if pending is not None:
            if not _PROMISE_LEAD_IN.search(clause):  # "立足兴宁实际，做好以下工作": frame and lead-in both go
                groups.append([pending, final])
            pending = None
        elif stop in "，," and _FRAME.fullmatch(clause):
            pending = a
        elif not sentence_first and groups and (_PURPOSE.match(clause) or _CONTINUE.match(clause)):
            groups[-1][1] = final
        elif not _PROMISE_LEAD_IN.search(clause) and len(clause) >= 2:
            groups.append([a, final])
        sentence_first = stop not in "，,"
    if pending is not None:
        groups.append([pending, _trimmed(text, pending, end)[1]])
    return [(a, b) for a, b in groups if b - a >= 2]


# Shared pieces


def _sentences(
    text: str, start: int, end: int, stops: re.Pattern[str], keep: str = "。！!？?"
) -> list[tuple[int, int]]:
    """The stretches of [start, end) between `stops`, trimmed; a stop in `keep` stays with its stretch."""
    found = []
    pos = start
    while pos < end:
        match = stops.search(text, pos, end)
        stop = match.end() if match else end
        inner = stop if match is None or match.group() in keep else match.start()
        a, b = _trimmed(text, pos, inner)
        if b > a:
            found.append((a, b))
        pos = stop
    return found


def _result_clause(text: str, start: int, end: int) -> str | None:
    """The first clause of [start, end) that says what came of the measure: a figure or a result verb."""
    pos = start
    while (match := _RESULT.search(text, pos, end)) is not None:
        a, b = _clause_around(text, match.start(), end, start)
        if not _DATE_FRAME.fullmatch(text[a:b]):
            return text[a:b]
        pos = max(b, match.end())
    return None


def _first_sentence(text: str, start: int, end: int) -> str:
    match = SENTENCE_OR_LINE_END.search(text, start + 1, end)
    return text[start:match.end() if match else end].strip(" \n,，。;；:：")


def _area_for(text: str, part: Part, heading: str, start: int, end: int, context: str) -> Area | None:
    """The area of an item read from its heading and the start of its body, text[start:end]."""
    if part == "leadership":
        return "leadership"
    return area_index(text).classify(start, min(end, start + _AREA_CHARS), context=context, lead=heading)


def _clean_title(heading: str) -> str:
    return _unnumbered(heading).strip().rstrip("。.;；:：,，")


def _action_title(sentence: str) -> str:
    """The verb phrase of a sentence: its first clause after any framing clause ("按照…", "2023年"), without
    the doer and time before the verb ("我市共"); at most _TITLE_CHARS."""
    # Clauses one at a time: the first one that is no frame is taken, and it is usually the first of all.
    pick = ""
    for match in _CLAUSE_TEXT.finditer(_clean_title(sentence)):
        clause = match.group().strip()
        if clause and not _FRAME.fullmatch(clause):
            pick = clause
            break
        pick = pick or clause
    return _shorten(_without_subject(pick or sentence.strip()), _TITLE_CHARS).rstrip("。.;；:：,，")


def _without_subject(title: str) -> str:
    bare = title[_SUBJECT.match(title).end():]  # it matches at 0, if only the empty string
    return bare if len(bare) >= 4 else title


def _shorten(text: str, limit: int = _SUMMARY_CHARS) -> str:
    # No closing mark: the draft adds its own after a citation ("…平台[^3]。").
    text = _unnumbered(text).strip().rstrip("。；;，,：:")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unnumbered(text: str) -> str:
    """`text` without its leading numbering token (（一）, 一是, 1.)."""
    first = text[:1]
    if first not in _NUMBER_STARTS and not first.isspace() and not first.isdecimal():
        return text  # most text starts with a word: no token to look for
    match = _LEADING_NUMBER.match(text)
    return text[match.end():] if match else text
