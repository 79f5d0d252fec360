"""The extraction request: the structure outline, the report chunk between <report> lines, and section-wise chunking."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from drafter.errors import DrafterError
from drafter.extract.indicators import load_catalogue
from drafter.llm.prompt import render, report_in, token_weight
from drafter.models import AREA_LABELS, Section
from drafter.text import clip, one_line

PROMPT_VERSION = "extract/v2"
# The user template wraps the report between these lines; the fake server finds the chunk by them.
REPORT_OPEN = "<report>\n"
REPORT_CLOSE = "\n</report>"
_HEADING_CHARS = 40


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    index: int = 1
    count: int = 1


def outline(sections: list[Section], chunk: Chunk | None = None) -> list[str]:
    """One line per heading (id｜part｜heading) — the sections that overlap the chunk, parents included."""
    lines = []
    for s in sections:
        if chunk is not None and not (s.start < chunk.end and s.end > chunk.start):
            continue
        lines.append(f"{s.id}｜{s.part or ''}｜{clip(one_line(s.heading), _HEADING_CHARS)}")
    return lines


def build_messages(text: str, sections: list[Section], chunk: Chunk, version: str = PROMPT_VERSION) -> list[dict]:
    indicators = [(i.id, i.name, i.unit) for i in load_catalogue().indicators]
    system = render(version, "system", areas=list(AREA_LABELS.items()), indicators=indicators)
    report = text[chunk.start:chunk.end]
    user = render(
        version, "user", report=report, outline=outline(sections, chunk),
        chunk_index=chunk.index, chunk_count=chunk.count,
    )
    if report_in(user) != report:  # the template must keep the delimiters the fake server and record rely on
        raise DrafterError(f"prompt {version}/user.md must wrap the report in {REPORT_OPEN!r}…{REPORT_CLOSE!r}")
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def plan_chunks(text: str, sections: list[Section], budget: int) -> list[Chunk]:
    """Contiguous chunks covering the whole text, each within `budget` estimated tokens.

    Cuts prefer, in order: top-level section starts, deeper section starts, line ends, sentence ends; a cut that
    would leave a chunk under 40% of the budget falls through to the next kind. Nothing is ever left out."""
    cumulative = [0.0, *accumulate(token_weight(ch) for ch in text)]

    def cost(a: int, b: int) -> float:
        return cumulative[b] - cumulative[a]

    if cost(0, len(text)) <= budget:
        return [Chunk(0, len(text))]
    tiers: list[list[int]] = []
    for level in sorted({s.level for s in sections}):
        tiers.append(sorted({s.start for s in sections if s.level == level}))
    tiers.append([i + 1 for i, ch in enumerate(text) if ch == "\n"])
    tiers.append([i + 1 for i, ch in enumerate(text) if ch in "。；！？"])
    spans: list[tuple[int, int]] = []
    pos = 0
    while pos < len(text):
        if cost(pos, len(text)) <= budget:
            spans.append((pos, len(text)))
            break
        best = None
        for tier in tiers:
            fits = [c for c in tier if pos < c < len(text) and cost(pos, c) <= budget]
            if fits:
                cut = max(fits)
                best = max(best or cut, cut)
                if cost(pos, cut) >= 0.4 * budget:
                    break
        if best is None:  # one sentence longer than the budget: cut it by size
            best = pos + 1
            while best < len(text) and cost(pos, best + 1) <= budget:
                best += 1
        spans.append((pos, best))
        pos = best
    return [Chunk(a, b, i, len(spans)) for i, (a, b) in enumerate(spans, 1)]
