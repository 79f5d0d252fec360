"""Saved web pages: the article's main text (CMS containers, text density, trafilatura fallback)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from drafter.errors import InputError
from drafter.ingest.decode import CJK, GB_LABELS, Read, decode_text
from drafter.text import describe

if TYPE_CHECKING:
    from lxml.html import HtmlElement


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
# Article containers of the CMSs most gov sites run on (TRS, Hanweb/UCAP, gov.cn).
_CMS_CONTAINERS = (
    *(f"//*[@id='{name}']" for name in ("UCAP-CONTENT", "zoom", "Zoom")),
    *(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
      for name in ("pages_content", "TRS_Editor")),
)
_CHROME_TAGS = {"script", "style", "noscript", "iframe", "form", "button", "select", "input", "textarea",
                "nav", "header", "footer", "head", "object", "svg", "template", "map"}
_BLOCK_TAGS = {"p", "div", "section", "article", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
               "h5", "h6", "blockquote", "pre", "center", "address", "figure", "figcaption", "hr", "main",
               "table", "tbody", "thead", "tfoot", "caption"}
_TITLE_SEPARATOR = re.compile(r"\s*[_|｜]\s*| - | — | -- ")
_SPACE_RUN = re.compile(r"[ \t\r\n\f]+")
_PROSE_CONTAINERS = (*_BLOCK_TAGS, "td", "th", "tr", "body")
_MIN_ARTICLE_CJK = 100
_PIPE_ROW = re.compile(r"^\| (.*?) \|[ \t]*$", re.M)  # trafilatura's table row: "| a | b | "


def _decode_html(raw: bytes) -> tuple[str, str]:
    """Decode by the page's declared charset (GB labels read as GB18030), else by the plain-text cascade."""
    match = _META_CHARSET.search(raw[:4096])
    if match and not raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        label = match.group(1).decode("ascii").lower()
        encoding = "gb18030" if label in GB_LABELS else label
        try:
            text = raw.decode(encoding, errors="replace")
        except LookupError:
            return decode_text(raw)
        # Old CMS pages carry the odd broken byte; many replacements instead mean the label lies.
        if text.count("\ufffd") <= min(10, len(text) // 1000 + 1):
            return text, encoding
    return decode_text(raw)


def read_html(raw: bytes) -> Read:
    import lxml.html

    page, encoding = _decode_html(raw)
    # lxml refuses str input with an encoding declaration; the bytes are decoded already, so drop it.
    page = re.sub(r"^\s*<\?xml[^>]*\?>", "", page)
    try:
        root = lxml.html.document_fromstring(page)
    except Exception as exc:  # lxml.etree.ParserError on markup-free input
        raise InputError(f"not a readable HTML page ({describe(exc)})") from None
    title = _html_title(root)
    headline = _html_headline(root, title)
    for el in root.xpath("//script|//style|//noscript"):
        el.drop_tree()
    body = _html_body(root, page)
    if headline and headline not in body[: len(headline) + 80]:
        body = f"{headline}\n{body}"  # the article title sits outside the content container on CMS pages
    return body, encoding, title or headline


def _html_title(root: HtmlElement) -> str | None:
    for xpath in ("//meta[@name='ArticleTitle']/@content", "//meta[@property='og:title']/@content"):
        values = [" ".join(v.split()) for v in root.xpath(xpath) if v.strip()]
        if values:
            return values[0]
    titles = root.xpath("//title")
    if not titles:
        return None
    # "<article>_<column>_<site>" or "<site> - <article>": the article is the segment naming a report.
    segments = [seg for seg in _TITLE_SEPARATOR.split(" ".join(titles[0].text_content().split())) if seg]
    return next((seg for seg in segments if "报告" in seg), segments[0] if segments else None)


def _html_headline(root: HtmlElement, title: str | None) -> str | None:
    """The article title as displayed on the page: an element whose text is the title, else a report-like h1/h2."""
    body = root.find("body")
    if body is None:
        return None
    visible = [el for el in body.iter() if isinstance(el.tag, str) and el.tag not in _CHROME_TAGS]
    if title:
        for el in visible:
            # text_content() of every element would be quadratic in page size: look where the title starts.
            if (el.text or "").strip().startswith(title[:4]) and " ".join(el.text_content().split()) == title:
                if not any(a.tag in _CHROME_TAGS for a in el.iterancestors()):
                    return title
    for el in visible:
        if el.tag in ("h1", "h2") and not any(a.tag in _CHROME_TAGS for a in el.iterancestors()):
            text = " ".join(el.text_content().split())
            if "报告" in text and len(text) <= 80:
                return text
    return None


def _html_body(root: HtmlElement, page: str) -> str:
    """The article text: a known CMS container, else the block holding the page's prose, else trafilatura."""
    for xpath in _CMS_CONTAINERS:
        matches = root.xpath(xpath)
        found = [el for el in matches if not any(a in matches for a in el.iterancestors())]  # outermost only
        if found:
            text = "\n".join(_block_text(el) for el in found)
            if CJK.search(text):
                return text
    # trafilatura drops short paragraphs (a lone 一、 heading) and on table-laid-out pages merges paragraphs
    # and keeps the nav; the block holding the prose is the safer reading whenever the page has enough.
    block, prose = _prose_block(root)
    if block is not None and prose >= _MIN_ARTICLE_CJK:
        return _block_text(block)

    import trafilatura

    extracted = trafilatura.extract(page, include_tables=True, include_comments=False, favor_precision=True) or ""
    if CJK.search(extracted):
        return _PIPE_ROW.sub(lambda m: "\t".join(cell.strip() for cell in m.group(1).split(" | ")), extracted)
    if block is not None and prose:
        return _block_text(block)
    raise InputError("no article text found in the HTML page")


def _prose_block(root: HtmlElement) -> tuple[HtmlElement | None, int]:
    """The deepest element holding 85% of the page's prose, and the amount of prose (Chinese characters).

    Each block (p, div, td, li…) contributes the text it holds itself, outside nested blocks and links, to
    itself and its ancestors. Nav bars and link lists are links, so they do not pull the choice upwards,
    while the article, however its paragraphs are wrapped, holds nearly all of the prose.
    """
    body = root.find("body")
    if body is None:
        return None, 0
    totals: dict[HtmlElement, int] = {}
    for el in body.iter(*_PROSE_CONTAINERS):
        if any(a.tag in _CHROME_TAGS for a in el.iterancestors()):
            continue
        amount = len(CJK.findall(_own_text(el)))
        if amount:
            totals[el] = totals.get(el, 0) + amount
            for ancestor in el.iterancestors():
                totals[ancestor] = totals.get(ancestor, 0) + amount
    total = totals.get(body, 0)
    best, best_depth = (body if total else None), 0
    for el, amount in totals.items():
        if amount >= 0.85 * total:
            depth = sum(1 for _ in el.iterancestors())
            if depth > best_depth:
                best, best_depth = el, depth
    return best, total


def _own_text(el: HtmlElement) -> str:
    """Text of `el` outside its nested blocks, links and chrome."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _PROSE_CONTAINERS and child.tag not in _CHROME_TAGS:
            if child.tag != "a":
                parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _block_text(el: HtmlElement) -> str:
    """Visible text of an element with one line per block (p, div, li, br…) and tab-separated table cells."""
    parts: list[str] = []
    _walk(el, parts)
    return "\n".join(line.strip(" ") for line in "".join(parts).split("\n") if line.strip(" "))


def _walk(el: HtmlElement, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _CHROME_TAGS or not tag:
        return
    if tag == "br":
        parts.append("\n")
        return
    if tag == "tr":
        cells = [_block_text(c) for c in el if isinstance(c.tag, str) and c.tag in ("td", "th")]
        # Old sites lay pages out with tables: a cell holding several paragraphs is layout, not data.
        separator = "\n" if any("\n" in cell for cell in cells) else "\t"
        parts.append("\n" + separator.join(cells) + "\n")
        return
    block = tag in _BLOCK_TAGS
    if block:
        parts.append("\n")
    if el.text:
        parts.append(_SPACE_RUN.sub(" ", el.text))
    for child in el:
        _walk(child, parts)
        if child.tail:
            parts.append(_SPACE_RUN.sub(" ", child.tail))
    if block:
        parts.append("\n")
