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

from drafter.models import Section
from drafter.structure.compliance import assess_compliance
from drafter.structure.headings import build_sections, find_headings
from drafter.structure.locate import SectionIndex
from drafter.structure.parts import (
    assign_parts,
    closing_span,
    heading_parts,
    top_levels,
    trim_to,
)
from drafter.structure.sentences import (
    BodySentence,
    leadership_sentences,
    work_done_sentences,
)
from drafter.structure.signoff import CHINESE_DATE, body_end, signoff_start

__all__ = [
    "CHINESE_DATE", "BodySentence", "assess_compliance", "body_end", "heading_parts", "leadership_sentences",
    "SectionIndex", "parse_sections", "signoff_start", "work_done_sentences",
]


def parse_sections(text: str) -> list[Section]:
    """The heading tree of `text` in document order, with spans, parents, levels, styles and parts.

    Ids are tree positions ('1', '1.2', '1.2.3'). `end` is the start of the next heading of the same or a higher
    level, or the end of the body: a trailing sign-off and a forward-looking closing paragraph after a non-plans
    last part are outside every section.
    """
    end = body_end(text)
    sections = build_sections(text, find_headings(text, end))
    assign_parts(text, sections)
    closing = closing_span(text, end)
    if closing is not None and sections and top_levels(sections)[-1].part != "plans":
        trim_to(text, sections, closing[0])
    return sections
