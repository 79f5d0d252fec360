"""Which section holds an offset: the innermost one, and the part it belongs to."""

from __future__ import annotations

from bisect import bisect_right

from drafter.models import Part, Section


class SectionIndex:
    """Innermost section around an offset, and the part it belongs to (walking up to a parent that has one)."""

    def __init__(self, sections: list[Section]) -> None:
        self._sections = sorted(sections, key=lambda s: (s.start, -s.end))
        self._starts = [s.start for s in self._sections]
        self._by_id = {s.id: s for s in sections}

    def innermost(self, pos: int) -> Section | None:
        i = bisect_right(self._starts, pos) - 1
        while i >= 0:
            section = self._sections[i]
            if section.start <= pos < section.end:
                return section
            i -= 1
        return None

    def part_of(self, section: Section | None) -> Part | None:
        while section is not None:
            if section.part is not None:
                return section.part
            section = self._by_id.get(section.parent) if section.parent else None
        return None

    def part_at(self, pos: int) -> Part | None:
        return self.part_of(self.innermost(pos))
