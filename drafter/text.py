"""Small text helpers shared by the steps: sentence ends, and one-line and clipped forms of text for messages."""

from __future__ import annotations

import re

# Where a sentence of report text ends; reports mix full- and half-width marks. The second also ends at a line
# break, since a heading or a table row ends its sentence without a mark.
SENTENCE_END = re.compile(r"[。！!？?；;]")
SENTENCE_OR_LINE_END = re.compile(r"[。！!？?；;\n]")


def one_line(text: str) -> str:
    """White space of any kind (line breaks included) folded to single spaces."""
    return " ".join(text.split())


def clip(text: str, limit: int) -> str:
    """`text` when it has at most `limit` characters, else its first `limit` followed by …"""
    return text if len(text) <= limit else text[:limit] + "…"


def describe(exc: BaseException) -> str:
    """An exception in one short line, for a `file: reason` message."""
    return one_line(str(exc))[:120] or type(exc).__name__


def sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding `pos` starts: just after the last sentence or line end before it."""
    start = 0
    for stop in SENTENCE_OR_LINE_END.finditer(text, 0, pos):
        start = stop.end()
    return start
