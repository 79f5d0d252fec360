"""Alignment of quotes to the source text: exact first, then after a light normalisation.

The normalisation folds only what copies of the same report really differ in: white space, full-width digits
and letters, and the half-/full-width forms of common punctuation. Full NFKC is never used: it would turn
official full-width punctuation into ASCII and shift offsets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from drafter.models import Span

_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for lo, hi in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(lo, hi)}
_PUNCT_FOLD = str.maketrans({
    "，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?", "％": "%", "．": ".",
    "“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "－": "-", "～": "~", "　": " ",
})
FOLD_TABLE = {**_FULLWIDTH_ALNUM, **_PUNCT_FOLD}

AlignStatus = Literal["exact", "normalized"]


def fold_alnum(text: str) -> str:
    """Full-width digits and letters to ASCII; everything else (Chinese punctuation included) kept."""
    return text.translate(_FULLWIDTH_ALNUM)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """The folded, white-space-free form of `text`, and for each of its characters the source offset."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text.translate(FOLD_TABLE)):
        if ch.isspace():
            continue
        chars.append(ch)
        offsets.append(i)
    return "".join(chars), offsets


class Aligner:
    """Finds quotes in one text; the normalised index is built once per text, on first need."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._norm: tuple[str, list[int]] | None = None

    def align(self, quote: str, hint: int = 0) -> tuple[Span, AlignStatus] | None:
        """Locate `quote`, preferring the first occurrence at or after `hint` (reports repeat phrases)."""
        quote = quote.strip()
        if not quote:
            return None
        pos = self.text.find(quote, hint)
        if pos < 0:
            pos = self.text.find(quote)
        if pos >= 0:
            return Span(quote=quote, start=pos, end=pos + len(quote)), "exact"
        if self._norm is None:
            self._norm = normalize_with_map(self.text)
        norm, offsets = self._norm
        needle, _ = normalize_with_map(quote)
        if not needle:
            return None
        hint_norm = next((k for k, off in enumerate(offsets) if off >= hint), len(offsets))
        k = norm.find(needle, hint_norm)
        if k < 0:
            k = norm.find(needle)
        if k < 0:
            return None
        start, end = offsets[k], offsets[k + len(needle) - 1] + 1
        return Span(quote=self.text[start:end], start=start, end=end), "normalized"


def ungrounded(text: str, facts: Iterable[Span]) -> list[Span]:
    """Facts whose quote is not exactly `text[start:end]`."""
    return [f for f in facts if text[f.start:f.end] != f.quote]
