"""The offline backend's facts: the items of each part, by rule, with no model and no network.

Items are the finest numbered units inside a part (a （一） subsection, or a 一是… run-in under it). A part with
no numbered units inside is split into its sentences, skipping lead-ins such as "…存在一些不足:". Where no section
carries leadership, its items are the body sentences that report the leaders' duty (structure.leadership_sentences);
a text without numbered headings gets its measures from its sentences of work done.
"""

from __future__ import annotations

import re

from drafter.extract.areas import classify_area
from drafter.models import Item, Part, Section
from drafter.structure import (
    BodySentence,
    leadership_sentences,
    work_done_sentences,
)
from drafter.text import SENTENCE_OR_LINE_END

# In a flat part a colon ends a lead-in too: "…但仍存在以下不足：执法人员专业素质不高。" gives the clause after it.
_ITEM_SENTENCE_END = re.compile(r"[。；;！!？?：\n]|:(?!\d)")
_LEADING_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．是]|\d+[.、．])\s*")
# A sentence that only introduces a list ("…存在以下问题:") or frames it ("虽然…取得了…成绩,但…") is no item.
_LEAD_IN = re.compile(r"[:：]\s*$|^(?:虽然|尽管|但|同时|总的来看|总体来看|回顾)|(?:以下|如下)(?:几|[一二三四五六七八九十\d])?(?:个方面|项|点)?")
_CLAUSE = re.compile(r"[,，;；。]")
_MAX_QUOTE = 240
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
    for root in _part_roots(sections):
        for unit in _leaf_units(root, children):
            items[root.part].extend(_items_from_unit(text, unit, root.part, children))  # type: ignore[index]
    # Parts told without a section of their own: the leaders' duty in measures bodies, and the measures of a
    # text without numbered headings. The same sentences make structure count those parts present.
    if not items["leadership"]:
        items["leadership"] = _body_items(text, leadership_sentences(text, sections), "leadership")
    if not sections:
        items["measures"] = _body_items(text, work_done_sentences(text), "measures")
    for part_items in items.values():
        part_items.sort(key=lambda item: item.start)
    return items


def _body_items(text: str, sentences: list[BodySentence], part: Part) -> list[Item]:
    items = []
    for found in sentences:
        sentence = text[found.start:found.end]
        title = _clean_title(_CLAUSE.split(sentence, maxsplit=1)[0])
        items.append(
            Item(
                quote=sentence, start=found.start, end=found.end, title=_shorten(title, _TITLE_CHARS),
                summary=_shorten(sentence), part=part, section=found.section,
                area="leadership" if part == "leadership" else classify_area(sentence),
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


def _items_from_unit(text: str, unit: Section, part: Part, children: dict[str | None, list[Section]]) -> list[Item]:
    if unit.level == 1:
        # A part heading with a flat body (no numbered units inside): its sentences are the items.
        return _sentence_items(text, unit.heading_end, _own_body_end(unit, children), part, unit)
    start = unit.start
    end = _quote_end(text, unit)
    title = _clean_title(unit.heading)
    body = text[unit.heading_end:min(unit.end, unit.heading_end + _AREA_CHARS)]
    return [
        Item(
            quote=text[start:end], start=start, end=end, title=title,
            summary=_shorten(_first_sentence(text, unit) or title),
            area=_area_for(part, unit.heading, body), part=part, section=unit.id,
        )
    ]


def _own_body_end(unit: Section, children: dict[str | None, list[Section]]) -> int:
    kids = children.get(unit.id)
    return kids[0].start if kids else unit.end


def _first_sentence(text: str, unit: Section) -> str:
    """The body's first sentence: what the rules backend can say about an item beyond its heading."""
    match = SENTENCE_OR_LINE_END.search(text, unit.heading_end + 1, unit.end)
    return text[unit.heading_end:match.end() if match else unit.end].strip(" \n,，。;；:：")


def _quote_end(text: str, unit: Section) -> int:
    """The heading plus the first sentence of its body, or the heading alone when that runs long."""
    first = SENTENCE_OR_LINE_END.search(text, unit.heading_end + 1, unit.end)
    end = first.end() if first else unit.end
    if text[end - 1:end] == "\n":
        end -= 1
    if end - unit.start > _MAX_QUOTE:
        end = unit.heading_end
    while end > unit.start and text[end - 1].isspace():
        end -= 1
    return end


def _sentence_items(text: str, start: int, end: int, part: Part, unit: Section) -> list[Item]:
    items = []
    pos = start
    while pos < end:
        match = _ITEM_SENTENCE_END.search(text, pos, end)
        stop = match.end() if match else end
        raw = text[pos:stop]
        lead = len(raw) - len(raw.lstrip())
        sentence = raw.strip()
        if sentence.endswith("\n"):
            sentence = sentence.rstrip()
        s_start = pos + lead
        s_end = s_start + len(sentence)
        pos = stop
        if len(sentence) < _MIN_SENTENCE or _LEAD_IN.search(sentence):
            continue
        title = _clean_title(_CLAUSE.split(sentence, maxsplit=1)[0])
        items.append(
            Item(
                quote=sentence, start=s_start, end=s_end, title=title, summary=_shorten(sentence),
                area=_area_for(part, unit.heading, sentence), part=part, section=unit.id,
            )
        )
    return items


def _area_for(part: Part, heading: str, body: str):
    if part == "leadership":
        return "leadership"
    return classify_area(heading + " " + body[:_AREA_CHARS], context=heading)


def _clean_title(heading: str) -> str:
    return _LEADING_NUMBER.sub("", heading).strip().rstrip("。.;；:：,，")


def _shorten(text: str, limit: int = _SUMMARY_CHARS) -> str:
    text = _LEADING_NUMBER.sub("", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
