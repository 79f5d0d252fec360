"""PDF with a text layer: lines with their boxes, running headers and page numbers dropped, wrapped lines re-joined."""

from __future__ import annotations

import re

from drafter.errors import InputError
from drafter.ingest.clean import stored_title
from drafter.ingest.decode import CJK, Read
from drafter.text import describe

# Page numbers as gov PDFs print them: "— 3 —", "- 3 -", "3", "第3页", "第 3 页 共 10 页", "3/10".
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－―‒·•]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?)[\s\-—–－―‒·•]*$"
)
# A line opening a heading or a numbered point must start its own paragraph.
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、](?!\d)|第[一二三四五六七八九十百\d]+[章节条部分]"
    r"|[一二三四五六七八九十]是[，,：:]?)"
)
_PARAGRAPH_END = re.compile(r"[。！？：；:;!?][”’」』）)》]*$")
_UNREADABLE = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")


class _Line:
    __slots__ = ("text", "left", "right", "top", "bottom")

    def __init__(self, text: str, left: float, right: float, top: float, bottom: float) -> None:
        self.text, self.left, self.right, self.top, self.bottom = text, left, right, top, bottom


def read_pdf(raw: bytes) -> Read:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        raise InputError(f"not a valid .pdf ({describe(exc)})") from None
    try:
        pages = [_pdf_lines(pdf[i]) for i in range(len(pdf))]
        title = stored_title(pdf.get_metadata_dict().get("Title"))
    finally:
        pdf.close()
    body = _drop_running_lines(pages)
    # Page numbers and stamps alone do not make a text layer: judge by what is left of the body.
    visible = "".join("".join(line.text for page in body for line in page).split())
    if len(visible) < 10:
        raise InputError("no text layer (scanned PDF?); run OCR first")
    if len(_UNREADABLE.findall(visible)) > 0.05 * len(visible) or len(CJK.findall(visible)) < 0.2 * len(visible):
        raise InputError("text layer is not readable Chinese text (fonts without a Unicode map?); run OCR first")
    return _join_pdf_lines(body), None, title


def _pdf_lines(page) -> tuple[list[_Line], float]:  # noqa: ANN001 (pypdfium2 page, imported lazily)
    """The page's text lines with their boxes, in reading order, and the page height."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        lines: list[_Line] = []
        index = 0  # pdfium's char index advances by UTF-16 units, the decoded str by code points
        for piece in text.split("\r\n"):
            width = sum(2 if ord(ch) > 0xFFFF else 1 for ch in piece)
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece.rstrip())
                # Clamped: should pdfium count some character differently, boxes drift, the text does not.
                first = min(index + lead, count - 1)
                last = min(index + sum(2 if ord(ch) > 0xFFFF else 1 for ch in piece[:trail]) - 1, count - 1)
                # Loose boxes (the glyph's advance and the font's ascent/descent), not ink: a closing ” or ）
                # is inked in the left half of its cell and would make a full line look short of the margin,
                # and CID fonts without glyph outlines give ink boxes of zero height.
                left, bottom, _, top = textpage.get_charbox(first, loose=True)
                _, bottom2, right, top2 = textpage.get_charbox(last, loose=True)
                lines.append(_Line(stripped, left, right, max(top, top2), min(bottom, bottom2)))
            index += width + 2
        return lines, page.get_height()
    finally:
        textpage.close()
        page.close()


def _drop_running_lines(pages: list[tuple[list[_Line], float]]) -> list[list[_Line]]:
    """Remove page numbers and running headers/footers: lines in the top or bottom margin zone that are
    page numbers, or whose digit-blind text recurs in that zone on at least half the pages (and ≥2)."""
    def zone_lines(lines: list[_Line], height: float) -> list[_Line]:
        return [ln for ln in lines if ln.bottom > 0.88 * height or ln.top < 0.12 * height]

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", "".join(line.text.split()))

    counts: dict[str, int] = {}
    for lines, height in pages:
        for k in {key(ln) for ln in zone_lines(lines, height)}:
            counts[k] = counts.get(k, 0) + 1
    repeated = {k for k, n in counts.items() if n >= 2 and n >= len(pages) / 2}
    kept = []
    for lines, height in pages:
        zone = {id(ln) for ln in zone_lines(lines, height)}
        edge = {id(lines[0]), id(lines[-1])} if lines else set()
        kept.append([
            ln for ln in lines
            if not ((id(ln) in zone or id(ln) in edge) and (_PAGE_NUMBER.match(ln.text) or key(ln) in repeated))
        ])
    return kept


def _join_pdf_lines(pages: list[list[_Line]]) -> str:
    """Re-join lines the PDF wrapped mid-paragraph. A paragraph ends after sentence-final punctuation or a
    line that stops short of the right margin; one starts at an indented line or a numbered heading."""
    body = [ln for page in pages for ln in page]
    if not body:
        return ""
    heights = sorted(ln.top - ln.bottom for ln in body)
    em = max(heights[len(heights) // 2], 1.0)  # one character is about one line height wide in CJK text
    # Margins of the whole document, not of each page: a last page holding only a right-aligned signature
    # and date has no full-width line to measure against.
    left_margin = min(ln.left for ln in body)
    right_margin = max(ln.right for ln in body)
    out: list[str] = []
    for ln in body:
        starts = (
            not out
            or out[-1] == "\n"
            or ln.left > left_margin + 1.2 * em
            or _HEADING_START.match(ln.text) is not None
        )
        if starts and out and out[-1] != "\n":
            out.append("\n")
        elif out and out[-1] != "\n" and _is_latin(out[-1][-1]) and _is_latin(ln.text[0]):
            out.append(" ")  # Latin words wrapped at the margin were separated by a space
        out.append(ln.text)
        if _PARAGRAPH_END.search(ln.text) or ln.right < right_margin - 1.5 * em:
            out.append("\n")
    return "".join(out)


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()
