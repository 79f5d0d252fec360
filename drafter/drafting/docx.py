"""Draft Markdown → Word document in the GB/T 9704-2012 layout (markdown-it-py + python-docx, no pandoc).

Layout: A4, margins 37/35/28/26 mm (type area 156×225 mm), 22 lines (document line grid) × 28 characters (condensed spacing), title
2号 小标宋 centred and broken at word boundaries into a trapezoid or diamond (7.3.3), 主送机关 flush left, body 3号
仿宋 with a 2-character first-line indent, headings 一、黑体 /（一）楷体 / 1. 仿宋, page numbers "— N —" in 4号 宋体
(odd pages right, even pages left, one character in), sign-off and date per 7.3.5.2 (or 7.3.5.1 when sealed), the
抄送 line as 版记 between two rules (7.4). Footnotes `[^n]` become Word comments anchored on the statement they
follow; every 【待填】 is highlighted.
"""

from __future__ import annotations

import functools
import io
import logging
import math
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Literal

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from pydantic import BaseModel

from drafter.drafting.compose import Draft
from drafter.drafting.markdown import (
    CC_PREFIX,
    DATE_LINE_RE,
    FILLED_DATE_RE,
    FOOTNOTE_DEF_RE,
    FOOTNOTE_REF_RE,
    PLACEHOLDER_RE,
)
from drafter.errors import DrafterError
from drafter.files import write_atomic
from drafter.ingest.decode import read_text_file

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TITLE_PT, BODY_PT, PAGE_NUMBER_PT = 22, 16, 14  # 2号, 3号, 4号
TYPE_AREA_HEIGHT_MM = 225
# 225 mm ÷ 22 lines ≈ 28.95 pt; rounding down to 579 twips keeps 22 lines inside the type area (22 × 579 ≤ 12756).
LINE_PITCH_TWIPS = round(TYPE_AREA_HEIGHT_MM / 25.4 * 1440) // LINES_PER_PAGE
# GB/T 9704 7.5: the page-number line sits 7 mm below the type area.
PAGE_NUMBER_GAP_MM = 7

_TWIPS_PER_MM = 1440 / 25.4
# Title cells per line: 156 mm of 22 pt characters is 20; one kept in hand for glyphs a little wider than a cell.
TITLE_CHARS_PER_LINE = 19
# A date not yet filled in is laid out as this one (Arabic figures, 7.3.5.2), so filling it moves nothing.
NOMINAL_DATE = "{year}年2月15日"
_CHECKBOX_RE = re.compile(r"^\[[ xX]\]\s*")


class Fonts(BaseModel):
    """Font names as installed on the writer's machine (names must match exactly; Word does not embed them)."""

    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    page_number: str = "宋体"
    # Figures and Latin letters (ascii/hAnsi), as 公文 practice sets them: half a character wide, so the 落款's
    # geometry holds in any reader, not only where the Chinese fonts' own digits are installed.
    latin: str = "Times New Roman"


BlockKind = Literal["heading", "paragraph", "table"]


@dataclass
class Block:
    kind: BlockKind
    text: str = ""
    level: int = 0
    number: str | None = None  # "1." for an ordered-list item, "□" for a checklist item
    line: int = 0  # 1-based line in the Markdown source
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class ParsedMarkdown:
    blocks: list[Block]
    footnotes: dict[int, str]


def _inline_text(token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type == "hardbreak":
            parts.append("\n")
        # softbreak joins without a space: a line break inside Chinese text is not a word boundary.
    return "".join(parts)


def parse_markdown(markdown: str) -> ParsedMarkdown:
    """Headings, paragraphs (list items carry their number) and tables, plus the footnote definitions.

    Footnote definitions are cut out before parsing (CommonMark has no footnotes); blank lines keep the line
    numbers of the rest intact.
    """
    footnotes = {int(m.group(1)): m.group(2).strip() for m in FOOTNOTE_DEF_RE.finditer(markdown)}
    body = FOOTNOTE_DEF_RE.sub("", markdown)
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    blocks: list[Block] = []
    pending_number: str | None = None
    ordered_stack: list[bool] = []
    table: Block | None = None
    row: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.type in ("ordered_list_open", "bullet_list_open"):
            ordered_stack.append(tok.type == "ordered_list_open")
        elif tok.type in ("ordered_list_close", "bullet_list_close"):
            ordered_stack.pop()
        elif tok.type == "list_item_open":
            pending_number = f"{tok.info}{tok.markup}" if ordered_stack and ordered_stack[-1] else "•"
        elif tok.type == "table_open":
            table = Block("table", line=tok.map[0] + 1 if tok.map else 0)
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close" and table is not None:
            table.rows.append(row)
        elif tok.type == "table_close" and table is not None:
            blocks.append(table)
            table = None
        elif tok.type == "inline":
            text = _inline_text(tok)
            if table is not None:
                row.append(text)
                continue
            opener = tokens[i - 1]
            line = opener.map[0] + 1 if opener.map else 0
            if opener.type == "heading_open":
                blocks.append(Block("heading", text, level=int(opener.tag[1]), line=line))
            else:
                number = pending_number
                if number == "•" and _CHECKBOX_RE.match(text):
                    number, text = "□", _CHECKBOX_RE.sub("", text)
                blocks.append(Block("paragraph", text, number=number, line=line))
                pending_number = None
    return ParsedMarkdown(blocks, footnotes)


def display_width(text: str) -> float:
    """Width in 3号 character cells: ASCII is half a cell, everything else a full one."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


# Word and LibreOffice put a little space where Chinese meets figures (autospace; LibreOffice ignores the switch that
# turns it off): about a fifth of a character each time, measured in LibreOffice 7.4's PDF output.
SCRIPT_GAP = 0.2
_SCRIPT_CHANGE_RE = re.compile(r"(?<=[\x21-\x7e])(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])(?=[\x21-\x7e])")


def layout_width(text: str) -> float:
    """Width as laid out, in character cells: display_width plus the gaps where Chinese meets figures."""
    return display_width(text) + SCRIPT_GAP * len(_SCRIPT_CHANGE_RE.findall(text))


def find_signoff(blocks: list[Block]) -> int | None:
    """Index of the issuer line of the sign-off: a short paragraph followed by a date line."""
    for i in range(1, len(blocks)):
        prev, cur = blocks[i - 1], blocks[i]
        if (cur.kind == prev.kind == "paragraph" and not cur.number and not prev.number
                and DATE_LINE_RE.match(cur.text.strip()) and display_width(prev.text) <= CHARS_PER_LINE):
            return i - 1
    return None


# Phrases the segmenter must keep whole in a title (jieba cuts 法治|政府|建设).
_TITLE_PHRASES = ("法治政府建设", "法治政府", "人民政府", "年度", "情况的报告", "工作情况", "依法治市", "依法治县", "依法治区")
# A title line never starts with a particle or a closing mark, nor ends with an opening one.
_NO_LINE_START = tuple("的和与及暨、，》）”")
_NO_LINE_END = tuple("《（“")


@functools.cache
def _segmenter():
    """jieba's tokenizer, quiet: it logs to stderr while loading and imports the deprecated pkg_resources."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for phrase in _TITLE_PHRASES:
        tokenizer.add_word(phrase, freq=10**6)
    return tokenizer


def title_words(title: str) -> list[str]:
    """The title's words; a figure stays with its 年/年度/月 (2025年度 is one word to a reader)."""
    words: list[str] = []
    for word in _segmenter().cut(title, HMM=False):
        if words and words[-1].isdigit() and word[:1] in "年月日":
            words[-1] += word
        elif word:
            words.append(word)
    return words


def title_lines(title: str, limit: float = TITLE_CHARS_PER_LINE) -> list[str]:
    """GB/T 9704 7.3.3: a long title broken between words into lines of even length (trapezoid or diamond)."""
    if display_width(title) <= limit:
        return [title]
    words = title_words(title)
    fewest = math.ceil(display_width(title) / limit)
    for count in range(fewest, min(fewest + 2, len(words)) + 1):
        best: tuple[float, list[str]] | None = None
        for cuts in combinations(range(1, len(words)), count - 1):
            bounds = (0, *cuts, len(words))
            lines = ["".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]
            widths = [display_width(line) for line in lines]
            if max(widths) > limit or any(line.startswith(_NO_LINE_START) for line in lines[1:]) or any(
                    line.endswith(_NO_LINE_END) for line in lines[:-1]):
                continue
            rising = all(a <= b for a, b in zip(widths, widths[1:]))
            falling = all(a >= b for a, b in zip(widths, widths[1:]))
            peak = widths.index(max(widths))
            diamond = all(a <= b for a, b in zip(widths[:peak + 1], widths[1:peak + 1])) and all(
                a >= b for a, b in zip(widths[peak:], widths[peak + 1:]))
            score = max(widths) - min(widths) + (0 if rising or falling or diamond else 10)
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return [title]


@dataclass(frozen=True)
class SignoffLayout:
    """Right indents (in characters) of the issuer and date lines, both right-aligned."""

    issuer_right: float
    date_right: float
    blank_lines: int


def signoff_layout(issuer: str, date: str, *, year: int | None = None, sealed: bool = False) -> SignoffLayout:
    """7.3.5.2 (no seal): the issuer two characters in from the right, the date starting two characters right of the
    issuer's first character; if the date is the longer, the date two characters in and the issuer moved left.
    7.3.5.1 (sealed): the date four characters in, the issuer centred over it.

    An unfilled date is measured as its filled form (NOMINAL_DATE): both lines are right-aligned, so a wider
    placeholder grows leftwards without wrapping and filling it in Word or in the Markdown moves nothing."""
    if FILLED_DATE_RE.match(date) is None and year is not None:
        date = NOMINAL_DATE.format(year=year)
    wi, wd = layout_width(issuer), layout_width(date)
    if sealed:
        return SignoffLayout(issuer_right=max(0.0, 4 + (wd - wi) / 2), date_right=4, blank_lines=2)
    if wd + 2 > wi:
        return SignoffLayout(issuer_right=2 + wd + 2 - wi, date_right=2, blank_lines=1)
    return SignoffLayout(issuer_right=2, date_right=wi - wd, blank_lines=1)


def _mm_twips(mm: float) -> int:
    return round(mm * _TWIPS_PER_MM)


def _text_width_twips() -> int:
    return _mm_twips(PAGE_WIDTH_MM) - _mm_twips(MARGINS_MM["left"]) - _mm_twips(MARGINS_MM["right"])


# 28 characters of 16 pt (448 pt) overflow the 156 mm (442.25 pt) line: condense every character by the
# difference, rounded down to whole twips. A docGrid of type linesAndChars would do this in Word, but LibreOffice
# lays such a grid out at about 16 characters a line (checked with LibreOffice 7.4), so the pitch is set on the
# characters themselves and the grid only fixes the lines.
CHAR_SPACING_TWIPS = _text_width_twips() // CHARS_PER_LINE - BODY_PT * 20
CHAR_PITCH_TWIPS = BODY_PT * 20 + CHAR_SPACING_TWIPS


# pPr children that must follow the ones added here (CT_PPr sequence, ECMA-376 §17.3.1.26).
_PPR_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                   "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                   "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_PPR_AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                      "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                      "w:snapToGrid", *_PPR_AFTER_SNAP)
_PPR_AFTER_OUTLINE = _PPR_AFTER_SNAP[_PPR_AFTER_SNAP.index("w:outlineLvl") + 1:]


def _add_ppr_child(element, tag: str, value: str) -> None:
    child = OxmlElement(tag)
    child.set(qn("w:val"), value)
    successors = _PPR_AFTER_OUTLINE if tag == "w:outlineLvl" else _PPR_AFTER_SNAP
    element.get_or_add_pPr().insert_element_before(child, *successors)


def _set_fonts(rpr, name: str, latin: str | None = None) -> None:
    """Name the font for every script (`latin` for ASCII, default `name`) and drop theme fonts, which would
    override explicit names."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        if attr.lower().endswith("theme"):  # asciiTheme, eastAsiaTheme, cstheme…
            del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), latin if latin and attr in ("w:ascii", "w:hAnsi") else name)
    # Quotes, dashes and … are ambiguous-width: render them with the East Asian font.
    rfonts.set(qn("w:hint"), "eastAsia")


def _indent_chars(element, first_line: float | None = None, left: float | None = None,
                  right: float | None = None) -> None:
    """Indent in character units (w:*Chars, hundredths) plus twips for readers that ignore the character units.

    Word prefers *Chars over twips and inherits each attribute separately, so a zero indent must be written
    explicitly to cancel a style's.
    """
    ind = element.get_or_add_pPr().get_or_add_ind()
    char = CHAR_PITCH_TWIPS
    for attr, chars in (("firstLine", first_line), ("left", left), ("right", right)):
        if chars is not None:
            ind.set(qn(f"w:{attr}"), str(round(chars * char)))
            ind.set(qn(f"w:{attr}Chars"), str(round(chars * 100)))


class _Styles:
    TITLE, BODY, H1, H2, H3, SIGNOFF, FOOTER, TABLE = (
        "GB Title", "GB Body", "GB Heading 1", "GB Heading 2", "GB Heading 3", "GB Sign-off", "GB Page Number",
        "GB Table Text",
    )


def _paragraph_style(doc: DocxDocument, name: str, font: str, size: int, *, outline: int | None = None,
                     latin: str | None = None):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = False
    _set_fonts(style.element.get_or_add_rPr(), font, latin)
    if outline is not None:
        _add_ppr_child(style.element, "w:outlineLvl", str(outline))
    return style


def _configure(doc: DocxDocument, fonts: Fonts) -> None:
    # The default template asks for Japanese East Asian theme fonts (MS Mincho fallback): make it Chinese.
    settings = doc.settings.element
    for lang in settings.iter(qn("w:themeFontLang")):
        lang.set(qn("w:eastAsia"), "zh-CN")
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        for rpr in defaults.iter(qn("w:rPr")):
            _set_fonts(rpr, fonts.body, fonts.latin)
            for lang in rpr.iter(qn("w:lang")):
                lang.set(qn("w:eastAsia"), "zh-CN")
            # Readers size the character grid from the default font size: make it the 3号 body size.
            for tag in ("w:sz", "w:szCs"):
                for size in rpr.iter(qn(tag)):
                    size.set(qn("w:val"), str(BODY_PT * 2))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
    normal.element.get_or_add_rPr().insert_element_before(
        spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
        "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
        "w:specVanish", "w:oMath")
    _set_fonts(normal.element.get_or_add_rPr(), fonts.body, fonts.latin)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Twips(LINE_PITCH_TWIPS)
    pf.space_before = pf.space_after = Pt(0)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.widow_control = False

    title = _paragraph_style(doc, _Styles.TITLE, fonts.title, TITLE_PT, outline=0, latin=fonts.latin)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Off the line grid, or a 22 pt line is laid out over two grid lines.
    _add_ppr_child(title.element, "w:snapToGrid", "0")
    body = _paragraph_style(doc, _Styles.BODY, fonts.body, BODY_PT, latin=fonts.latin)
    _indent_chars(body.element, first_line=2)
    for name, font, level in ((_Styles.H1, fonts.heading1, 1), (_Styles.H2, fonts.heading2, 2),
                              (_Styles.H3, fonts.body, 3)):
        style = _paragraph_style(doc, name, font, BODY_PT, outline=level, latin=fonts.latin)
        style.paragraph_format.keep_with_next = True
        _indent_chars(style.element, first_line=2)
    signoff = _paragraph_style(doc, _Styles.SIGNOFF, fonts.body, BODY_PT, latin=fonts.latin)
    signoff.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    table_text = _paragraph_style(doc, _Styles.TABLE, fonts.body, 12, latin=fonts.latin)
    table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    footer = _paragraph_style(doc, _Styles.FOOTER, fonts.page_number, PAGE_NUMBER_PT)
    footer.paragraph_format.line_spacing = Pt(PAGE_NUMBER_PT)
    footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    _add_ppr_child(footer.element, "w:snapToGrid", "0")


def _configure_page(doc: DocxDocument, fonts: Fonts) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    # Footer bottom edge so that the top of the 14 pt page-number line is 7 mm below the type area.
    section.footer_distance = Mm(MARGINS_MM["bottom"] - PAGE_NUMBER_GAP_MM) - Pt(PAGE_NUMBER_PT)
    section.header_distance = Mm(15)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    if qn("w:charSpace") in grid.attrib:
        del grid.attrib[qn("w:charSpace")]

    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], fonts, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], fonts, WD_ALIGN_PARAGRAPH.LEFT)


def _field_run(paragraph: Paragraph, instruction: str, font: str):
    run = paragraph.add_run()
    _set_fonts(run._r.get_or_add_rPr(), font)
    begin, instr, separate, shown, end = (OxmlElement(t) for t in
                                          ("w:fldChar", "w:instrText", "w:fldChar", "w:t", "w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate.set(qn("w:fldCharType"), "separate")
    shown.text = "1"
    end.set(qn("w:fldCharType"), "end")
    run._r.extend([begin, instr, separate, shown, end])
    return run


def _page_number(paragraph: Paragraph, fonts: Fonts, alignment: WD_ALIGN_PARAGRAPH) -> None:
    """'— N —': odd pages right and even pages left, each one character in from the type-area edge."""
    paragraph.style = _Styles.FOOTER
    paragraph.alignment = alignment
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    side = "right" if alignment == WD_ALIGN_PARAGRAPH.RIGHT else "left"
    ind.set(qn(f"w:{side}"), str(PAGE_NUMBER_PT * 20))
    for text in ("— ", None, " —"):
        run = _field_run(paragraph, "PAGE", fonts.page_number) if text is None else paragraph.add_run(text)
        _set_fonts(run._r.get_or_add_rPr(), fonts.page_number)


def _issuer_of(blocks: list[Block]) -> str | None:
    """The issuer as signed (落款), else as the title names it."""
    signoff = find_signoff(blocks)
    if signoff is not None:
        return PLACEHOLDER_RE.sub("", blocks[signoff].text).strip() or None
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "")
    return title.split("关于")[0] if "关于" in title else None


def _is_addressee(block: Block) -> bool:
    """The 主送机关 line: short, ends in ：, no sentence in it."""
    return (block.kind == "paragraph" and not block.number and block.text.endswith("：")
            and "。" not in block.text and display_width(block.text) <= 2 * CHARS_PER_LINE)


class _Renderer:
    def __init__(self, parsed: ParsedMarkdown, fonts: Fonts, author: str, when: datetime | None,
                 sealed: bool = False) -> None:
        self.parsed, self.fonts, self.author, self.when, self.sealed = parsed, fonts, author, when, sealed
        self.doc = new_document()
        _configure(self.doc, fonts)
        _configure_page(self.doc, fonts)
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
            body.remove(p)

    def paragraph(self, text: str, style: str, font: str) -> Paragraph:
        paragraph = self.doc.add_paragraph(style=style)
        pending = []  # runs of the statement the next footnote refers to
        pos = 0
        for match in FOOTNOTE_REF_RE.finditer(text):
            if match.start() > pos:
                pending = self.runs(paragraph, text[pos:match.start()], font)
            pos = match.end()
            note = self.parsed.footnotes.get(int(match.group(1)))
            last_runs = pending or paragraph.runs[-1:]
            if note and last_runs:
                comment = self.doc.add_comment(last_runs, text=note, author=self.author, initials="SRC")
                if self.when is not None:
                    comment._comment_elm.date = self.when
            pending = []
        if pos < len(text):
            self.runs(paragraph, text[pos:], font)
        return paragraph

    def runs(self, paragraph: Paragraph, text: str, font: str) -> list:
        """The text as runs, each 【待填…】 a run of its own, highlighted yellow so no gap is overlooked."""
        runs, pos = [], 0
        pieces = []
        for match in PLACEHOLDER_RE.finditer(text):
            pieces += [(text[pos:match.start()], False), (match.group(), True)]
            pos = match.end()
        pieces.append((text[pos:], False))
        for piece, gap in pieces:
            if not piece:
                continue
            run = paragraph.add_run(piece)
            _set_fonts(run._r.get_or_add_rPr(), font, self.fonts.latin)
            if gap:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            runs.append(run)
        return runs

    def render(self) -> bytes:
        blocks, fonts = self.parsed.blocks, self.fonts
        signoff = find_signoff(blocks)
        after_signoff = False
        issuer = _issuer_of(blocks)
        core = self.doc.core_properties
        core.title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "")
        core.author = core.last_modified_by = issuer or ""
        core.comments = ""
        for i, block in enumerate(blocks):
            if block.kind == "table":
                self.table(block)
                continue
            text = block.text
            if block.kind == "heading" and block.level == 1:
                self.paragraph("\n".join(title_lines(text)), _Styles.TITLE, fonts.title)
                self.doc.add_paragraph(style=_Styles.BODY)  # GB/T 9704: one blank line below the title
            elif block.kind == "heading":
                if after_signoff and block.level == 2:
                    # Appendices start on a new page, flush left (附件 heading in 黑体, per 7.3.7 practice).
                    p = self.paragraph(text, _Styles.H1, fonts.heading1)
                    p.paragraph_format.page_break_before = True
                    _indent_chars(p._p, first_line=0)
                    continue
                style, font = {2: (_Styles.H1, fonts.heading1), 3: (_Styles.H2, fonts.heading2)}.get(
                    block.level, (_Styles.H3, fonts.body))
                self.paragraph(text, style, font)
            elif i == signoff:
                self.signoff(block, blocks[i + 1])
            elif signoff is not None and i == signoff + 1:
                after_signoff = True
            elif after_signoff and text.startswith(CC_PREFIX):
                self.copies(text)
            else:
                # "1." runs straight into the text, as in GB/T 9704 examples; symbols keep a space.
                prefix = "" if not block.number else block.number + ("" if block.number[0].isdigit() else " ")
                p = self.paragraph(prefix + text, _Styles.BODY, fonts.body)
                if i == 1 and blocks[0].level == 1 and _is_addressee(block):
                    _indent_chars(p._p, first_line=0)  # 主送机关 is flush left (7.3.4)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    def signoff(self, issuer: Block, date: Block) -> None:
        """7.3.5.2 (or 7.3.5.1 when sealed), see signoff_layout."""
        # The sign-off never stands alone on a page: keep it with the last line of the text.
        if self.doc.paragraphs:
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        year = re.match(r"\d{4}", date.text.strip())
        layout = signoff_layout(PLACEHOLDER_RE.sub("", issuer.text), date.text.strip(),
                                year=int(year.group()) if year else None, sealed=self.sealed)
        for _ in range(layout.blank_lines):
            self.doc.add_paragraph(style=_Styles.BODY).paragraph_format.keep_with_next = True
        for block, right in ((issuer, layout.issuer_right), (date, layout.date_right)):
            p = self.paragraph(block.text.strip(), _Styles.SIGNOFF, self.fonts.body)
            p.paragraph_format.keep_with_next = True if block is issuer else None
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _indent_chars(p._p, first_line=0, left=0, right=right)

    def copies(self, text: str) -> None:
        """7.4.2: the 抄送 line of the 版记, 4号, one character in on both sides, between two rules."""
        self.doc.add_paragraph(style=_Styles.BODY)
        p = self.paragraph(text, _Styles.SIGNOFF, self.fonts.body)
        _indent_chars(p._p, first_line=0, left=1, right=1)
        for run in p.runs:
            run.font.size = Pt(PAGE_NUMBER_PT)
        borders = OxmlElement("w:pBdr")
        for side in ("top", "bottom"):
            rule = OxmlElement(f"w:{side}")
            for attr, value in (("val", "single"), ("sz", "8"), ("space", "4"), ("color", "auto")):
                rule.set(qn(f"w:{attr}"), value)
            borders.append(rule)
        p._p.get_or_add_pPr().insert_element_before(borders, *_PPR_AFTER_BORDERS)

    def table(self, block: Block) -> None:
        width = max(len(r) for r in block.rows)
        table = self.doc.add_table(rows=len(block.rows), cols=width)
        table.style = self.doc.styles["Table Grid"]
        for row, cells in zip(table.rows, block.rows):
            for cell, text in zip(row.cells, cells):
                cell.paragraphs[0].style = _Styles.TABLE
                holder = self.paragraph(text, _Styles.TABLE, self.fonts.body)
                cell._tc.remove(cell.paragraphs[0]._p)
                cell._tc.append(holder._p)


def render_docx(markdown: str, fonts: Fonts | None = None, *, author: str = "drafter",
                comment_time: datetime | None = None, sealed: bool = False) -> bytes:
    """The .docx bytes of a draft. `comment_time` fixes the comment dates (default: now, as python-docx stamps);
    `sealed` lays the 落款 out for a seal (7.3.5.1). The document's own author is the issuer; `author` signs the
    source comments."""
    return _Renderer(parse_markdown(markdown), fonts or Fonts(), author, comment_time, sealed).render()


def export_docx(markdown_path: Path, *, force: bool = False, fonts: Fonts | None = None,
                out_path: Path | None = None, sealed: bool = False) -> Path:
    """`drafter export draft.md`: write draft.docx beside it (never over an existing file without force)."""
    markdown = read_text_file(markdown_path)
    target = out_path or Path(markdown_path).with_suffix(".docx")
    if target.exists() and not force:
        raise DrafterError(f"{target} exists; use --force to overwrite")
    return write_atomic(target, render_docx(markdown, fonts, sealed=sealed), force=force)


def save_draft(draft: Draft, out_dir: Path, *, force: bool = False, docx: bool = False,
               fonts: Fonts | None = None, sealed: bool = False) -> list[Path]:
    """`drafter draft`: {stem}.md, and beside it {…}-参考材料.md and {…}-数据采集表.xlsx (with `docx`, a .docx of the
    draft and of the companion). Every target is checked before any is written."""
    from drafter.drafting.companion import data_sheet, sheet_name

    out_dir = Path(out_dir)
    md, companion = out_dir / f"{draft.stem}.md", out_dir / f"{draft.companion_stem}.md"
    outputs: list[tuple[Path, object]] = [(md, lambda: draft.markdown), (companion, lambda: draft.companion),
                                          (out_dir / sheet_name(draft), lambda: data_sheet(draft))]
    if docx:
        outputs += [(md.with_suffix(".docx"), lambda: render_docx(draft.markdown, fonts, sealed=sealed)),
                    (companion.with_suffix(".docx"), lambda: render_docx(draft.companion, fonts))]
    if not force:
        for target, _ in outputs:
            if target.exists():
                raise DrafterError(f"{target} exists; use --force to overwrite")
    contents = [(target, make()) for target, make in outputs]  # render everything before the first write
    return [write_atomic(target, data, force=True) for target, data in contents]
