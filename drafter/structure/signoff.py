"""The 落款 (issuer and date) that closes a report: outside every section, and where the body ends."""

from __future__ import annotations

import re

from drafter.text import SENTENCE_END

# 2025年1月15日 or 二〇二五年一月十五日; the groups y, m, d are read by extract.meta.
CHINESE_DATE = (
    r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
# The date that ends a report: 2025年1月15日, 二〇二五年一月十五日, or the numeric 2025-01-15 / 2025.1.15 some sites print.
_SIGNOFF_DATE = re.compile(
    rf"(?:{CHINESE_DATE}|(?P<ny>\d{{4}})(?P<sep>[-./])(?P<nm>\d{{1,2}})(?P=sep)(?P<nd>\d{{1,2}}))\s*$"
)
# What a closing date is written with (and white space and \d digits): the date starts after the tail's last other
# character, so the search starts there instead of trying every position of the window.
_DATE_CHARS = frozenset("〇○零一二三四五六七八九十年月日-./")
# A GB/T 9704 annotation "（此件公开发布）" may follow the date.
_TAIL_NOTE = re.compile(r"(?:\s|[(（]此件[^)）\n]{0,10}[)）])+$")
_NOT_ISSUER = re.compile(r"[，,。：:；;]")
# How far before the end of the text the 落款 (issuer and date) may start.
SIGNOFF_WINDOW = 200
_MAX_ISSUER = 60


def tail_end(text: str) -> int:
    """End of the report proper: trailing white space and a 此件 annotation cut off."""
    if not text or not (text[-1].isspace() or text[-1] in ")）"):
        return len(text)  # the note and white space are the only things cut: most texts end in neither
    junk = _TAIL_NOTE.search(text, max(0, len(text) - SIGNOFF_WINDOW))
    return junk.start() if junk else len(text)


def signoff_date(text: str, floor: int = 0) -> re.Match[str] | None:
    """The 成文日期 closing the report (groups y/m/d, or ny/nm/nd when numeric), not before `floor`."""
    end = tail_end(text)
    return _SIGNOFF_DATE.search(text, _date_run_start(text, max(floor, end - SIGNOFF_WINDOW), end), end)


def _date_run_start(text: str, start: int, end: int) -> int:
    """Start of the run of date characters that ends text[start:end]."""
    pos = end
    while pos > start and ((ch := text[pos - 1]) in _DATE_CHARS or ch.isdecimal() or ch.isspace()):
        pos -= 1
    return pos


def signoff_start(text: str) -> int | None:
    """Start of the trailing 落款 (issuer line(s) + date, or the date alone), or None when the text has none."""
    date = signoff_date(text)
    if date is None:
        return None
    prev_end = 0
    for prev_end_match in SENTENCE_END.finditer(text, max(0, date.start() - _MAX_ISSUER - 1), date.start()):
        prev_end = prev_end_match.end()
    if date.start() and not text[date.start() - 1].isspace():
        return None  # "…审议通过于2025年1月15日": a date inside the last sentence, not a sign-off
    issuer = text[prev_end:date.start()]
    if prev_end and issuer.strip() and not _NOT_ISSUER.search(issuer):
        return prev_end + len(issuer) - len(issuer.lstrip())
    return date.start()


def body_end(text: str) -> int:
    signoff = signoff_start(text)
    return len(text[:signoff].rstrip())
