"""Chinese numerals as reports write them: 二十三 in headings and counts, 二〇二五 in years, 十五 in dates."""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_GROUPS = {"万": 10_000, "亿": 100_000_000}
_WRITTEN = "零一二三四五六七八九"


def parse_chinese(token: str) -> int | None:
    """Value of a well-formed numeral (十二, 二十三, 三百零五, 一万二千, 两); None for 二三, 十十, 一一 or other text.

    Strict on purpose: heading numbering and figures must not read two adjacent numerals as one number."""
    if not token:
        return None
    total = section = 0
    digit: int | None = None
    last_unit = last_group = None
    after_zero = False
    for ch in token:
        if ch in DIGITS:
            # Two digits in a row only after 零 inside a number (三百零五), never as in 二三 or 零五.
            if digit is not None and not (after_zero and (section or total)):
                return None
            digit = DIGITS[ch]
            after_zero = digit == 0
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if last_unit is not None and unit >= last_unit:
                return None  # 十十, 十百
            section += (1 if digit is None else digit) * unit
            digit, last_unit, after_zero = None, unit, False
        elif ch in _GROUPS:
            group = _GROUPS[ch]
            if last_group is not None and group >= last_group:
                return None
            total += (section + (digit or 0)) * group
            section, digit, last_unit, last_group, after_zero = 0, None, None, group, False
        else:
            return None
    return total + section + (digit or 0)


def digit_by_digit(token: str) -> int:
    """A year written digit by digit (二〇二五 → 2025); ASCII digits pass through."""
    if token.isascii():
        return int(token)
    return int("".join(str(DIGITS[ch]) for ch in token))


def to_chinese(n: int) -> str:
    """0–99 as written in numbering (10 → 十, 11 → 十一, 20 → 二十); larger numbers in Arabic digits."""
    if 0 <= n < 10:
        return _WRITTEN[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _WRITTEN[tens]) + "十" + (_WRITTEN[ones] if ones else "")
    return str(n)
