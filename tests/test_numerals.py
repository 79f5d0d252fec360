"""Chinese numerals: one strict reader for headings, counts and dates, one writer for numbering."""

from __future__ import annotations

import pytest

from drafter.numerals import digit_by_digit, parse_chinese, to_chinese


@pytest.mark.parametrize(("token", "value"), [("十二", 12), ("二十三", 23), ("三百零五", 305), ("一万二千", 12000), ("两", 2)])
def test_chinese_numerals(token, value):
    assert parse_chinese(token) == value


@pytest.mark.parametrize("token", ["二三", "一一", "十十", "二十十", "零五", "十二三", "", "第一"])
def test_adjacent_numerals_are_not_one_number(token):
    assert parse_chinese(token) is None


def test_years_and_numbering():
    assert digit_by_digit("二〇二五") == digit_by_digit("二○二五") == digit_by_digit("2025") == 2025
    assert [to_chinese(n) for n in (0, 1, 10, 11, 20, 99, 120)] == ["零", "一", "十", "十一", "二十", "九十九", "120"]
    assert all(parse_chinese(to_chinese(n)) == n for n in range(100))
