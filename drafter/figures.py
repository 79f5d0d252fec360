"""What a figure is, defined once for the whole package: how a number is written and what scales it.

- drafter.extract.metrics finds the figures a report cites (with unit, label and the rules that rule out years,
  dates, ordinals and named systems), built on `NUMBER` and `MULTIPLIER`;
- drafter.llm.schema checks that a model's metric value is a figure written in its quote, and drafter.prose that
  a drafted paragraph cites only figures of its material, both with `figure_spans`, which reads every number token.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from drafter.ground import fold_alnum
from drafter.numerals import parse_chinese

NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
# What scales the number before it: 4.6万 = 46000. 千 only when no unit starts with it (3千米 is 3 千米).
MULTIPLIERS = {"千万": 1e7, "百万": 1e6, "万": 1e4, "亿": 1e8, "千": 1e3}
MULTIPLIER = re.compile(r"千万|百万|万|亿|千(?![米克瓦])")

_ARABIC = re.compile(NUMBER)
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+(?:[万亿][零〇一二两三四五六七八九十百千]*)*")
# A lone Chinese digit is only a figure before a measure word: "一是"/"统一" are not figures, "三项" is.
_MEASURE = re.compile(r"[个件次人项场家名条篇所批类起宗期份户处万亿%％年月天日元部]")


def figures(quote: str) -> Iterator[tuple[str, float, float]]:
    """Each figure in `quote` as (as written, plain value, value with a following multiplier applied)."""
    for start, end, plain, scaled in figure_spans(quote):
        yield quote[start:end], plain, scaled


def figure_spans(text: str) -> Iterator[tuple[int, int, float, float]]:
    """Each figure in `text` as (start, end, plain value, scaled value); a following multiplier (万, 亿, 千万…)
    is inside the span when it scales the figure."""
    folded = fold_alnum(text)  # same length as text: offsets carry over
    for m in _ARABIC.finditer(folded):
        plain = float(m.group().replace(",", ""))
        scale = MULTIPLIER.match(folded, m.end())
        if scale:
            yield m.start(), scale.end(), plain, plain * MULTIPLIERS[scale.group()]
        else:
            yield m.start(), m.end(), plain, plain
    for m in _CN_NUMBER.finditer(folded):
        token = m.group()
        if len(token) == 1 and not _MEASURE.match(folded, m.end()):
            continue
        value = parse_chinese(token)
        if value is not None:
            yield m.start(), m.end(), float(value), float(value)


def figure_as_written(quote: str, value: float) -> str | None:
    """The figure in `quote` that `value` stands for (4.6万 for 46000 or for 4.6), or None."""
    for raw, plain, scaled in figures(quote):
        if math.isclose(value, scaled, rel_tol=1e-9) or math.isclose(value, plain, rel_tol=1e-9):
            return raw if math.isclose(value, scaled, rel_tol=1e-9) else raw.rstrip("万亿千百")
    return None
