"""Cleaning: one pass that every format goes through, so web junk, widths and blank lines are handled once."""

from __future__ import annotations

import re

from drafter.ground import fold_alnum
from drafter.ingest.decode import CJK

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
_INDENT_CHARS = " \t\u3000\u00a0"
_CONTROL_CHARS = r"\x00-\x08\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
# Line and page breaks other than \n: CR, form feed (pdftotext pages), vertical tab (Word line breaks)…
_OTHER_BREAK = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_OTHER_BREAK_CHARS = "\r\x0b\x0c\x85\u2028\u2029"
_FULLWIDTH_ALNUM_CHARS = r"\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_FULLWIDTH_ALNUM = re.compile(f"[{_FULLWIDTH_ALNUM_CHARS}]")
# One class, so that one scan rules out both the folding and the control characters in most reports.
_FOLD_OR_CONTROL = re.compile(f"[{_FULLWIDTH_ALNUM_CHARS}{_CONTROL_CHARS}]")
_BLANK_RUN = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """The cleaned text of a report in any format: \\n line ends, no web-page junk, ASCII digits and letters.

    Line contents are otherwise kept as written (a one-line report stays one line; structure splits it).
    A line left empty by junk removal disappears; blank lines the author wrote collapse to one.
    """
    if any(mark in text for mark in _OTHER_BREAK_CHARS):  # one C scan per mark beats a regex pass over the text
        text = _OTHER_BREAK.sub("\n", text)
    if _FOLD_OR_CONTROL.search(text):
        if _FULLWIDTH_ALNUM.search(text):  # str.translate is slow; most reports have nothing to fold
            text = fold_alnum(text)
        text = _CONTROL.sub("", text)
    text = text.replace("\u00a0", " ")
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip().lstrip(_INDENT_CHARS)
        if not line:
            lines.append("")
            continue
        if "【" in line or "[" in line:
            line = _WIDGET.sub("", line)
        if "|" in line and not line.startswith("|"):  # a line opening with a bar is a Markdown table row
            line = _TRAILING_BARS.sub("", line)
        line = line.strip()
        # After strip() a line starts with no white space: only a "|" line can be bars only, and the widget lines
        # start with 分 or 字 (cheap tests first; most lines are neither).
        if line and not (line[0] == "|" and _BARS_ONLY.match(line)) and not (
                line[0] in "分字" and _WIDGET_LINE.match(line)):
            lines.append(line)
    text = "\n".join(lines)
    return (_BLANK_RUN.sub("\n\n", text) if "\n\n\n" in text else text).strip("\n")


_OFFICE_TITLE_NOISE = re.compile(r"^Microsoft Word - |\.(?:docx?|wps|pdf)$", re.I)


def stored_title(value: str | None) -> str | None:
    """A file's stored title if it is a real one: tools write placeholders such as "untitled" or
    "Microsoft Word - 报告.doc"; only a title with Chinese text is kept, minus that noise."""
    title = _OFFICE_TITLE_NOISE.sub("", " ".join((value or "").split()))
    return title if CJK.search(title) else None
