"""Excel output shared by `compare` and `sheet`: tables with a bold frozen header, filters, widths that fit Chinese
text, figure cells that carry their source sentence as a comment; and the workbook of one summary."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from drafter.structure import SectionIndex
from drafter.models import AREA_LABELS, REQUIRED_PARTS, Part, Summary

Value = str | int | float | None
MAX_WIDTH = 60  # characters; longer text wraps instead of widening the column
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


@dataclass(frozen=True)
class Note:
    """A cell comment: the quote a figure comes from, and where."""

    text: str


@dataclass(frozen=True)
class Cell:
    value: Value
    note: Note | None = None
    unit: str = ""  # shown after a number by the cell's format; the value stays a number for sorting and sums


def figure_cell(value: float, unit: str, note: Note | None = None) -> Cell:
    return Cell(number(value), note, unit)


def display_width(text: str) -> int:
    """Width in Latin character cells: Chinese and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def number(value: float) -> int | float:
    """A figure as Excel should hold it: whole numbers as integers."""
    return int(value) if float(value).is_integer() else value


def add_table(wb: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[Value | Cell]],
              wrap: Sequence[str] = ()) -> Worksheet:
    """A sheet holding one table; columns named in `wrap` wrap their text at MAX_WIDTH."""
    ws = wb.create_sheet(title)
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for r, row in enumerate(rows, start=2):
        for c, item in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=item.value if isinstance(item, Cell) else item)
            if cell.data_type == "f":  # report text that starts with "=" is text, never a formula Excel would run
                cell.data_type = "s"
            if isinstance(item, Cell) and item.note is not None:
                cell.comment = _comment(item.note.text)
            if isinstance(item, Cell) and item.unit:
                cell.number_format = 'General"' + item.unit.replace('"', "") + '"'
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(len(rows) + 1, 2)}"
    wrapped = {header.index(name) + 1 for name in wrap}
    for c, name in enumerate(header, start=1):
        values = [str(item.value if isinstance(item, Cell) else item) for row in rows
                  if (item := row[c - 1]) is not None and (not isinstance(item, Cell) or item.value is not None)]
        widest = max([display_width(name) + 3, *(display_width(v) for v in values)])  # +3: the filter button
        ws.column_dimensions[get_column_letter(c)].width = min(widest + 2, MAX_WIDTH)
        if c in wrapped:
            for cell in ws.iter_rows(min_row=2, min_col=c, max_col=c):
                cell[0].alignment = Alignment(wrap_text=True, vertical="top")
    return ws


def _comment(text: str) -> Comment:
    comment = Comment(text, "drafter")
    # Sized to the text, so the whole quote shows on hover without resizing the box.
    comment.width = 360
    comment.height = 40 + 20 * (display_width(text) // 44 + text.count("\n") + 1)
    return comment


def workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)  # sheets are added by name
    return wb


def to_bytes(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


PART_SHORT: dict[Part, str] = {"measures": "举措", "problems": "问题", "leadership": "第一责任人", "plans": "安排",
                               "other": "其他"}
ITEM_KINDS: tuple[Part, ...] = ("measures", "problems", "plans", "leadership")  # Summary's item lists, by part name


def summary_workbook(summary: Summary, name: str) -> bytes:
    """One summary for staff who work in Excel: overview, figures with their quotes, items."""
    meta = summary.meta
    wb = workbook()
    overview = [
        ("报告", name), ("标题", meta.title), ("发文机关", meta.issuer), ("地区", meta.region), ("省份", meta.province),
        ("地市", meta.prefecture), ("层级", meta.level), ("报告年度", meta.report_year),
        ("成文日期", meta.issued_date.isoformat() if meta.issued_date else None),
        *((f"部分：{PART_SHORT[p]}", "有" if p in summary.compliance.present else "缺") for p in REQUIRED_PARTS),
        *((f"{PART_SHORT[kind]}数", len(getattr(summary, kind))) for kind in ITEM_KINDS),
        ("数据数", len(summary.metrics)), ("来源", summary.provenance.source), ("sha256", summary.provenance.sha256),
    ]
    add_table(wb, "概况", ["项目", "内容"], overview)
    headings = {s.id: s.heading for s in summary.sections}
    figures = []
    index = SectionIndex(summary.sections)
    for n, m in enumerate(summary.metrics, start=1):
        ref = m.indicator
        section = index.innermost(m.start)
        figures.append([
            n, m.label, number(m.value), m.unit, m.qualifier, m.raw, ref.name if ref else None,
            AREA_LABELS[m.area] if m.area else None, PART_SHORT[m.part] if m.part else None,
            section.heading if section else None, m.quote, f"{m.start}–{m.end}",
        ])
    add_table(wb, "数据", ["序号", "指标", "数值", "单位", "限定", "原文写法", "标准指标", "领域", "部分", "章节", "原文",
                         "位置"], figures, wrap=("章节", "原文"))
    items = []
    for kind in ITEM_KINDS:
        for item in getattr(summary, kind):
            items.append([
                PART_SHORT[kind], item.title, item.summary, AREA_LABELS[item.area] if item.area else None,
                PART_SHORT[item.part], headings.get(item.section or ""), item.quote, f"{item.start}–{item.end}",
            ])
    add_table(wb, "事项", ["类别", "标题", "摘要", "领域", "部分", "章节", "原文", "位置"], items,
              wrap=("标题", "摘要", "章节", "原文"))
    return to_bytes(wb)
