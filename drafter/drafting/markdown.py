"""The draft Markdown contract shared by compose (writes it), docx (renders it) and check (reads it back).

A draft is CommonMark plus footnotes:
  # title                                   — one line, the report's title
  主送机关：                                 — the line after the title, ending in ：
  ## 一、… / ### （一）… / 1. …              — parts, sections, numbered lines
  【待填】 / 【待填：说明】                    — the one placeholder syntax
  （2024年：218件）                           — a baseline after a placeholder, figure verbatim from the source;
  （2023年：200件；2024年：218件）              with several years, a trend, oldest first
  [^n] / [^n]: 《…》二、（六）第2段 原文：“…”   — source citations (Word comments in the .docx)
  发文机关 / 2026年【待填】月【待填】日          — the 落款, two lines
  抄送：…                                     — the 版记 line after the 落款
"""

from __future__ import annotations

import re

PLACEHOLDER_RE = re.compile(r"【待填(?:：[^】]*)?】")
FOOTNOTE_REF_RE = re.compile(r"\[\^(\d+)\]")
FOOTNOTE_DEF_RE = re.compile(r"^\[\^(\d+)\]:[ \t]*(.*)$", re.M)
FOOTNOTE_QUOTE_RE = re.compile(r"原文：“(.*)”\s*$")
# The baseline parenthetical: （2024年：218件） or a trend （2023年：200件；2024年：218件）.
BASELINE_RE = re.compile(r"（(\d{4})年：([^）]*)）")
BASELINE_ENTRY_RE = re.compile(r"(?:^|；)(\d{4})年：([^；]*)")
# The date line under the sign-off: 2025年1月15日, 2026年【待填】月【待填】日.
DATE_LINE_RE = re.compile(r"^\d{4}年(?:\d{1,2}|【待填[^】]*】)月(?:\d{1,2}|【待填[^】]*】)日$")
FILLED_DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
CC_PREFIX = "抄送："
# Material a writer must remove before the report goes out; the companion file carries it, the draft never does.
REFERENCE_MARK = "定稿前删除"

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_NON_ASCII = r"[^\x00-\x7f]"
# A half-width mark next to Chinese text; 1,000 and 12:30 (ASCII on both sides) stay.
_HALF_MARK_RE = re.compile(rf"(?<={_NON_ASCII})[,;:?!]|[,;:?!](?={_NON_ASCII})")
_HALF_PARENS_RE = re.compile(rf"\(([^()]*{_NON_ASCII}[^()]*)\)")
_QUOTED_RE = re.compile(r"“[^”]*”")


def full_width(text: str) -> str:
    """Composed Chinese text with full-width punctuation (web copies bring "," and "()"); quotes “…” stay verbatim."""
    out, pos = [], 0
    for match in _QUOTED_RE.finditer(text):
        out += [_full_width_plain(text[pos:match.start()]), match.group()]
        pos = match.end()
    out.append(_full_width_plain(text[pos:]))
    return "".join(out)


def _full_width_plain(text: str) -> str:
    text = _HALF_PARENS_RE.sub(r"（\1）", text)
    return _HALF_MARK_RE.sub(lambda m: _HALF_TO_FULL[m.group()], text)


def baseline_entries(match: re.Match[str]) -> list[tuple[int, str]]:
    """The (year, figure) pairs of one BASELINE_RE match, a trend giving several."""
    inner = f"{match.group(1)}年：{match.group(2)}"
    return [(int(m.group(1)), m.group(2)) for m in BASELINE_ENTRY_RE.finditer(inner)]
