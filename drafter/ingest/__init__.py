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
import re
import stat
from pathlib import Path

from drafter.errors import InputError
from drafter.ingest.clean import clean_text
from drafter.ingest.decode import Read, decode_text
from drafter.ingest.docx import read_docx
from drafter.ingest.html import read_html
from drafter.ingest.pdf import read_pdf
from drafter.models import Document, SourceFormat, SourceInfo

FORMATS: dict[str, SourceFormat] = {
    ".txt": "txt", ".md": "md", ".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf",
}
_SUPPORTED = ", ".join(FORMATS)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.M)
_MD_STRONG = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_CONVERT = "convert with LibreOffice first (soffice --headless --convert-to docx)"
# Formats a report arrives in that we cannot read, and what to do instead (also said for such files in a folder).
UNREADABLE_FORMATS = {
    **dict.fromkeys((".doc", ".wps", ".rtf", ".docm", ".dot", ".dotx", ".wpt", ".odt"), _CONVERT),
    **dict.fromkeys((".xls", ".xlsx", ".et", ".ods"), "a spreadsheet, not a report"),
    ".ofd": "convert to PDF first",
}


def read_document(path: Path) -> Document:
    """Read one report file into a `Document`; every failure is an InputError with a one-line reason."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise InputError("no such file") from None
    except OSError as exc:  # a folder on the way that we may not enter
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        if suffix in UNREADABLE_FORMATS:
            raise InputError(f"unsupported {suffix} file; {UNREADABLE_FORMATS[suffix]}")
        raise InputError(f"unsupported file type {suffix or '(none)'}; supported: {_SUPPORTED}")
    if stat.S_ISDIR(mode):
        raise InputError("is a directory, not a report file")
    if not stat.S_ISREG(mode):  # a FIFO or device would block the batch on read
        raise InputError("not a regular file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if not raw or raw.isspace():  # not raw.strip(): no copy of the file
        raise InputError("empty")
    readers = {"txt": _read_plain, "md": _read_markdown, "docx": read_docx, "html": read_html, "pdf": read_pdf}
    body, encoding, title_hint = readers[fmt](raw)
    text = clean_text(body)
    if not text or text.isspace():
        raise InputError("empty")
    source = SourceInfo(
        path=str(path), format=fmt, encoding=encoding, sha256=hashlib.sha256(raw).hexdigest(), title_hint=title_hint
    )
    return Document(text=text, source=source)


def document_from_text(text: str, name: str = "<text>") -> Document:
    """Report text given directly (a notebook, another program) as a Document, cleaned like a .txt file."""
    cleaned = clean_text(text)
    if not cleaned.strip():
        raise InputError("empty")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(text=cleaned, source=SourceInfo(path=name, format="txt", encoding="utf-8", sha256=sha))




def _read_plain(raw: bytes) -> Read:
    text, encoding = decode_text(raw)
    return text, encoding, None


def _read_markdown(raw: bytes) -> Read:
    """Markdown source minus the heading marks and bold markers that would hide 一、/（一） at line starts."""
    text, encoding = decode_text(raw)
    text = _MD_STRONG.sub(lambda m: m.group(1) or m.group(2), _MD_HEADING.sub("", text))
    return text, encoding, None
