"""Ingest: any supported report file → one clean `Document` whose `text` every later offset refers to.

Formats: .txt/.md (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030), .docx, .html/.htm, .pdf with a text layer.
Every format goes through `clean_text`, so the same web junk, widths and blank lines are handled once.
Heavy libraries (python-docx, lxml, trafilatura, pypdfium2) are imported inside their branch: plain-text
ingest stays fast for batch runs.

Table rows (docx, html) become one line each, cells separated by a tab: reports never use tabs inside
sentences, and a tab cannot be confused with the `| |||` debris that web-page copies leave behind.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.errors import InputError
from drafter.ground import fold_alnum
from drafter.models import Document, SourceFormat, SourceInfo
from drafter.numerals import to_chinese
from drafter.text import one_line

if TYPE_CHECKING:
    from lxml.html import HtmlElement

FORMATS: dict[str, SourceFormat] = {
    ".txt": "txt", ".md": "md", ".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf",
}
_SUPPORTED = ", ".join(FORMATS)
_LEGACY_WORD = {".doc", ".wps", ".rtf", ".docm", ".dot", ".dotx"}

# ---------------------------------------------------------------------------------------------- cleaning

# Buttons and widgets of gov-site article pages that survive copy-paste: 【打印本页】【关闭窗口】【字体：大 中 小】…
_WIDGET = re.compile(
    r"[【\[]\s*(?:打印(?:本页|此页|文章)?|关闭(?:窗口|本页)?|返回(?:顶部)?|(?:我要)?纠错|(?:加入)?收藏|保存(?:本页)?"
    r"|字[体号]\s*[:：]?\s*[大中小\s]*|[大中小](?:\s*[大中小]){2}|分享)\s*[】\]]"
)
# A short line that is only a share bar or a font switch, e.g. "分享到：微信 微博" or "字体：大 中 小".
_WIDGET_LINE = re.compile(r"^(?:分享到(?:[:：\s]|$)|字[体号]\s*[:：]\s*[大中小]).{0,40}$")
# `| |||` table debris: a line of bars, or a run of bars after a space at the end of a text line.
_BARS_ONLY = re.compile(r"^[|\s]+$")
_TRAILING_BARS = re.compile(r"\s+\|[|\s]*$")
_INDENT = re.compile(r"^[ \t\u3000\u00a0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
# Line and page breaks other than \n: CR, form feed (pdftotext pages), vertical tab (Word line breaks)…
_OTHER_BREAK = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_BLANK_RUN = re.compile(r"\n{3,}")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.M)
_MD_STRONG = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")


def clean_text(text: str) -> str:
    """The cleaned text of a report in any format: \\n line ends, no web-page junk, ASCII digits and letters.

    Line contents are otherwise kept as written (a one-line report stays one line; structure splits it).
    A line left empty by junk removal disappears; blank lines the author wrote collapse to one.
    """
    text = _OTHER_BREAK.sub("\n", text)
    if _FULLWIDTH_ALNUM.search(text):  # str.translate is slow; most reports have nothing to fold
        text = fold_alnum(text)
    text = _CONTROL.sub("", text).replace("\u00a0", " ")
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _INDENT.sub("", raw.rstrip())
        if not line:
            lines.append("")
            continue
        if "【" in line or "[" in line:
            line = _WIDGET.sub("", line)
        if "|" in line and not line.startswith("|"):  # a line opening with a bar is a Markdown table row
            line = _TRAILING_BARS.sub("", line)
        line = line.strip()
        if line and not _BARS_ONLY.match(line) and not _WIDGET_LINE.match(line):
            lines.append(line)
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


# ---------------------------------------------------------------------------------------------- encodings

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Characters a Chinese report can contain; anything else (Cyrillic from GBK-as-UTF-8, Hangul, private use…)
# makes a decoding suspect.
_ODD_CHAR = re.compile(
    r"[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u2bff\u3000-\u303f\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_BINARY_CHAR = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_GB_LABELS = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "euc-cn", "gb18030", "csgb2312", "chinese"}


def _odd_share(text: str) -> float:
    return len(_ODD_CHAR.findall(text)) / max(1, len(text))


def _mostly_gb2312(text: str) -> bool:
    """Real simplified-Chinese text is nearly all GB2312; Big5 or UTF-16 bytes read as GB18030 are not."""
    non_ascii = sum(1 for ch in text if ord(ch) > 0x7F)
    if not non_ascii:
        return True
    unencodable = text.encode("gb2312", errors="replace").count(b"?") - text.count("?")
    return unencodable <= 0.05 * non_ascii


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode plain-text bytes: BOM, then UTF-8, then GB18030 (never GBK: 䶮 and others are missing there).

    Returns (text, encoding). Raises InputError for binary content or bytes that decode only to garbage.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(f"invalid {encoding.upper()} despite its byte-order mark") from None
            return text.lstrip("\ufeff"), encoding
    if b"\x00" in raw:
        raise InputError("binary content, not text (or UTF-16 without a byte-order mark)")
    utf8: str | None
    try:
        utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and _odd_share(utf8) <= 0.02:
        return _reject_binary(utf8), "utf-8"
    try:
        gb = raw.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    if gb is not None and _odd_share(gb) <= 0.02 and _mostly_gb2312(gb):
        return _reject_binary(gb), "gb18030"
    if utf8 is not None:  # valid UTF-8 that merely is not Chinese; still the truthful reading
        return _reject_binary(utf8), "utf-8"
    # A UTF-8 file damaged in a few places (a download cut mid-character): keep it, marking the damage with
    # U+FFFD, rather than refuse a whole report. GB18030 text is never this close to valid UTF-8.
    patched = raw.decode("utf-8", errors="replace")
    if patched.count("\ufffd") <= min(10, len(patched) // 1000 + 1) and _odd_share(patched) <= 0.02:
        return _reject_binary(patched), "utf-8"
    raise InputError("cannot decode: not UTF-8 or GB18030 text (binary file, Big5 or UTF-16 without BOM?)")


def _reject_binary(text: str) -> str:
    if len(_BINARY_CHAR.findall(text)) > 0.01 * max(1, len(text)):
        raise InputError("binary content, not text")
    return text


# ---------------------------------------------------------------------------------------------- reading


def read_document(path: Path) -> Document:
    """Read one report file into a `Document`; every failure is an InputError with a one-line reason."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file")
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        if suffix in _LEGACY_WORD:
            raise InputError(
                f"unsupported {suffix} file; convert it to .docx first (soffice --headless --convert-to docx)"
            )
        raise InputError(f"unsupported file type {suffix or '(none)'}; supported: {_SUPPORTED}")
    if path.is_dir():
        raise InputError("is a directory, not a report file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if not raw.strip():
        raise InputError("empty")
    readers = {"txt": _read_plain, "md": _read_markdown, "docx": _read_docx, "html": _read_html, "pdf": _read_pdf}
    body, encoding, title_hint = readers[fmt](raw)
    text = clean_text(body)
    if not text.strip():
        raise InputError("empty")
    source = SourceInfo(
        path=str(path), format=fmt, encoding=encoding, sha256=hashlib.sha256(raw).hexdigest(), title_hint=title_hint
    )
    return Document(text=text, source=source)


_Read = tuple[str, "str | None", "str | None"]  # body text, encoding, title hint


def _read_plain(raw: bytes) -> _Read:
    text, encoding = decode_text(raw)
    return text, encoding, None


def _read_markdown(raw: bytes) -> _Read:
    """Markdown source minus the heading marks and bold markers that would hide 一、/（一） at line starts."""
    text, encoding = decode_text(raw)
    text = _MD_STRONG.sub(lambda m: m.group(1) or m.group(2), _MD_HEADING.sub("", text))
    return text, encoding, None


# ---------------------------------------------------------------------------------------------- docx


def _read_docx(raw: bytes) -> _Read:
    import zipfile

    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        doc = open_docx(io.BytesIO(raw))  # parses every XML part: damage shows here, not later
        title = _document_title(doc.core_properties.title)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError, EOFError) as exc:
        raise InputError(f"not a valid .docx ({_describe(exc)})") from None
    except Exception as exc:  # lxml raises its own XMLSyntaxError on damaged parts
        if type(exc).__module__.startswith("lxml"):
            raise InputError(f"not a valid .docx ({_describe(exc)})") from None
        raise
    numbering = _ListNumbering(doc)
    blocks: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            blocks.extend(_docx_rows(block))
        else:
            text = block.text
            blocks.append(numbering.label(block) + text if text.strip() else text)
    return "\n".join(blocks), None, title


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
                    "ideographDigital", "koreanCounting"}


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += numeral * count
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in _CHINESE_FORMATS:
        return to_chinese(n)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _HEAVENLY_STEMS[n - 1]
    if fmt in ("upperLetter", "lowerLetter") and 1 <= n <= 26:
        letter = chr(ord("A") + n - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    return str(n)


class _ListNumbering:
    """Word's automatic list numbers (一、 （一） 1.), which python-docx leaves out of paragraph text but
    the structure step needs to find headings. Counters run per abstract list, as Word counts them."""

    def __init__(self, doc) -> None:  # noqa: ANN001 (docx.Document, imported lazily)
        from docx.opc.constants import RELATIONSHIP_TYPE

        # (abstract id, level) → (start, format, level text); numId → (abstract id, {level: start override})
        self.levels: dict[tuple[str, int], tuple[int, str, str]] = {}
        self.lists: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.restarted: set[str] = set()
        try:
            root = doc.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
        except KeyError:
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            abstract_id = abstract.get(f"{_W}abstractNumId")
            for lvl in abstract.iter(f"{_W}lvl"):
                self.levels[(abstract_id, int(lvl.get(f"{_W}ilvl", "0")))] = (
                    int(_w_val(lvl, "start") or 1), _w_val(lvl, "numFmt") or "decimal", _w_val(lvl, "lvlText") or "",
                )
        for num in root.iter(f"{_W}num"):
            abstract_id = _w_val(num, "abstractNumId")
            overrides = {
                int(o.get(f"{_W}ilvl", "0")): int(_w_val(o, "startOverride"))
                for o in num.iter(f"{_W}lvlOverride") if _w_val(o, "startOverride") is not None
            }
            self.lists[num.get(f"{_W}numId")] = (abstract_id, overrides)

    def label(self, paragraph) -> str:  # noqa: ANN001 (docx Paragraph)
        """The number Word shows before this paragraph, advancing the counters; '' when it has none."""
        num_id, level = self._num_pr(paragraph)
        if num_id is None or num_id not in self.lists:
            return ""
        abstract_id, overrides = self.lists[num_id]
        if (abstract_id, level) not in self.levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.restarted:
            self.restarted.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        start, fmt, text = self.levels[(abstract_id, level)]
        if fmt in ("bullet", "none"):
            return ""
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]

        def number(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            lvl_start, lvl_fmt, _ = self.levels.get((abstract_id, lvl), (1, "decimal", ""))
            return _format_number(counters.get(lvl, lvl_start), lvl_fmt)

        return re.sub(r"%([1-9])", number, text)

    @staticmethod
    def _num_pr(paragraph) -> tuple[str | None, int]:  # noqa: ANN001
        """numId and level from the paragraph, else from its style chain."""
        sources = [paragraph._p.pPr]
        style = paragraph.style
        while style is not None:
            sources.append(style.element.pPr)
            style = style.base_style
        num_id, level = None, None
        for ppr in sources:
            num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
            if num_pr is None:
                continue
            if level is None and _w_val(num_pr, "ilvl") is not None:
                level = int(_w_val(num_pr, "ilvl"))
            if num_id is None and _w_val(num_pr, "numId") is not None:
                num_id = _w_val(num_pr, "numId")
            if num_id is not None:
                break
        if num_id == "0":  # numId 0 switches numbering off
            num_id = None
        return num_id, level or 0


def _w_val(element, child: str) -> str | None:  # noqa: ANN001 (lxml element)
    found = element.find(f"{_W}{child}")
    return None if found is None else found.get(f"{_W}val")


def _docx_rows(table) -> list[str]:  # noqa: ANN001 (docx.table.Table, imported lazily)
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is repeated once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(p.strip() for p in cell.text.split("\n") if p.strip()))
        rows.append("\t".join(cells))
    return rows


_OFFICE_TITLE_NOISE = re.compile(r"^Microsoft Word - |\.(?:docx?|wps|pdf)$", re.I)


def _document_title(value: str | None) -> str | None:
    """A file's stored title if it is a real one: tools write placeholders such as "untitled" or
    "Microsoft Word - 报告.doc"; only a title with Chinese text is kept, minus that noise."""
    title = _OFFICE_TITLE_NOISE.sub("", " ".join((value or "").split()))
    return title if _CJK.search(title) else None


def _describe(exc: BaseException) -> str:
    return one_line(str(exc))[:120] or type(exc).__name__


# ---------------------------------------------------------------------------------------------- html

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
        encoding = "gb18030" if label in _GB_LABELS else label
        try:
            text = raw.decode(encoding, errors="replace")
        except LookupError:
            return decode_text(raw)
        # Old CMS pages carry the odd broken byte; many replacements instead mean the label lies.
        if text.count("\ufffd") <= min(10, len(text) // 1000 + 1):
            return text, encoding
    return decode_text(raw)


def _read_html(raw: bytes) -> _Read:
    import lxml.html

    page, encoding = _decode_html(raw)
    # lxml refuses str input with an encoding declaration; the bytes are decoded already, so drop it.
    page = re.sub(r"^\s*<\?xml[^>]*\?>", "", page)
    try:
        root = lxml.html.document_fromstring(page)
    except Exception as exc:  # lxml.etree.ParserError on markup-free input
        raise InputError(f"not a readable HTML page ({_describe(exc)})") from None
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
            if _CJK.search(text):
                return text
    # trafilatura drops short paragraphs (a lone 一、 heading) and on table-laid-out pages merges paragraphs
    # and keeps the nav; the block holding the prose is the safer reading whenever the page has enough.
    block, prose = _prose_block(root)
    if block is not None and prose >= _MIN_ARTICLE_CJK:
        return _block_text(block)

    import trafilatura

    extracted = trafilatura.extract(page, include_tables=True, include_comments=False, favor_precision=True) or ""
    if _CJK.search(extracted):
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
        amount = len(_CJK.findall(_own_text(el)))
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


# ---------------------------------------------------------------------------------------------- pdf

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


def _read_pdf(raw: bytes) -> _Read:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        raise InputError(f"not a valid .pdf ({_describe(exc)})") from None
    try:
        pages = [_pdf_lines(pdf[i]) for i in range(len(pdf))]
        title = _document_title(pdf.get_metadata_dict().get("Title"))
    finally:
        pdf.close()
    body = _drop_running_lines(pages)
    # Page numbers and stamps alone do not make a text layer: judge by what is left of the body.
    visible = "".join("".join(line.text for page in body for line in page).split())
    if len(visible) < 10:
        raise InputError("no text layer (scanned PDF?); run OCR first")
    if len(_UNREADABLE.findall(visible)) > 0.05 * len(visible) or len(_CJK.findall(visible)) < 0.2 * len(visible):
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
