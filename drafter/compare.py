"""Reports side by side: one row per report (metadata, parts, counts, one column per standard indicator), written
as .xlsx (each figure cell commented with its quote), .csv or .md."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import BaseModel

from drafter.errors import DrafterError
from drafter.extract.indicators import load_catalogue
from drafter.structure import SectionIndex
from drafter.files import write_atomic
from drafter.models import IndicatorRef, Level, Part, Summary
from drafter.sheets import PART_SHORT, Note, add_table, figure_cell, number, to_bytes, workbook

FORMATS = (".xlsx", ".csv", ".md")


class Figure(BaseModel):
    label: str
    value: float
    unit: str
    raw: str
    quote: str
    section: str | None = None
    others: list[str] = []  # further figures of the same indicator in the report, as "label raw+unit"


class Row(BaseModel):
    report: str
    region: str | None
    province: str | None
    level: Level | None
    year: int | None
    issuer: str | None
    present: list[Part]
    missing: list[Part]
    measures: int
    problems: int
    plans: int
    figures: dict[str, Figure]


class Table(BaseModel):
    indicators: list[tuple[str, str]]  # (id, name) in column order
    rows: list[Row]


def build_table(named: list[tuple[str, Summary]]) -> Table:
    """Rows ordered by province, region and year, so that the years of one region stand together."""
    columns = indicator_columns([summary for _, summary in named])
    rows = [_row(name, summary, columns) for name, summary in named]
    rows.sort(key=lambda r: (r.region is None, r.province or "", r.region or "", r.year or 0, r.report))
    return Table(indicators=[(ref.id, ref.name) for ref in columns], rows=rows)


def indicator_columns(summaries: list[Summary]) -> list[IndicatorRef]:
    """The standard indicators any of the reports measure, in the catalogue's order."""
    measured = {m.indicator.id for s in summaries for m in s.metrics if m.indicator is not None}
    return [IndicatorRef(id=i.id, name=i.name) for i in load_catalogue().indicators if i.id in measured]


def _row(name: str, summary: Summary, columns: list[IndicatorRef]) -> Row:
    wanted = {ref.id for ref in columns}
    index = SectionIndex(summary.sections)
    figures: dict[str, Figure] = {}
    for metric in summary.metrics:  # text order: the first figure of an indicator is the cell, later ones notes
        ref = metric.indicator
        if ref is None or ref.id not in wanted:
            continue
        if ref.id in figures:
            figures[ref.id].others.append(f"{metric.label} {metric.raw}{metric.unit}")
            continue
        section = index.innermost(metric.start)
        figures[ref.id] = Figure(label=metric.label, value=metric.value, unit=metric.unit, raw=metric.raw,
                                 quote=metric.quote, section=section.heading if section else None)
    meta = summary.meta
    return Row(
        report=name, region=meta.region, province=meta.province, level=meta.level, year=meta.report_year,
        issuer=meta.issuer, present=summary.compliance.present, missing=summary.compliance.missing,
        measures=len(summary.measures), problems=len(summary.problems), plans=len(summary.plans), figures=figures,
    )


HEADER = ["报告", "地区", "省份", "层级", "年度", "发文机关", "已有部分", "缺少部分", "举措数", "问题数", "安排（承诺）数"]


def _parts(parts: list[Part]) -> str | None:
    return "、".join(PART_SHORT[p] for p in parts) or None


def _fixed(row: Row) -> list:
    return [row.report, row.region, row.province, row.level, row.year, row.issuer, _parts(row.present),
            _parts(row.missing), row.measures, row.problems, row.plans]


def _note(row: Row, fig: Figure) -> str:
    where = " · ".join(x for x in (row.report, fig.section) if x)
    lines = [f"“{fig.quote}”", f"— {where}", f"{fig.label}：{fig.raw}{fig.unit}"]
    lines += [f"另见：{other}" for other in fig.others]
    return "\n".join(lines)


def to_xlsx(table: Table) -> bytes:
    wb = workbook()
    header = HEADER + [name for _, name in table.indicators]
    rows = []
    for row in table.rows:
        cells = []
        for ind_id, _ in table.indicators:
            fig = row.figures.get(ind_id)
            cells.append(figure_cell(fig.value, fig.unit, Note(_note(row, fig))) if fig else None)
        rows.append(_fixed(row) + cells)
    add_table(wb, "对比", header, rows)
    sources = [
        [row.report, name, number(fig.value), fig.unit, fig.label, fig.section, fig.quote]
        for row in table.rows for ind_id, name in table.indicators if (fig := row.figures.get(ind_id))
    ]
    # The same quotes once more as a plain table, for filtering and for readers that do not show comments.
    add_table(wb, "出处", ["报告", "标准指标", "数值", "单位", "原文指标", "章节", "原文"], sources, wrap=("章节", "原文"))
    return to_bytes(wb)


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER + [name for _, name in table.indicators])
    for row in table.rows:
        figs = [row.figures.get(ind_id) for ind_id, _ in table.indicators]
        writer.writerow(_fixed(row) + [number(f.value) if f else None for f in figs])
    # The BOM makes Excel read the file as UTF-8 instead of the locale's code page.
    return "\ufeff" + buffer.getvalue()


def to_markdown(table: Table) -> str:
    header = HEADER + [name for _, name in table.indicators]
    lines = ["# 报告对比", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    notes = []
    for row in table.rows:
        cells = ["—" if v is None else _md(v) for v in _fixed(row)]
        for ind_id, name in table.indicators:
            fig = row.figures.get(ind_id)
            if fig is None:
                cells.append("—")
                continue
            notes.append(f"[^{len(notes) + 1}]: {row.report} · {name}：“{_md(fig.quote)}”"
                         + (f"（{_md(fig.section)}）" if fig.section else ""))
            cells.append(f"{fig.raw}{fig.unit}[^{len(notes)}]")
        lines.append("| " + " | ".join(cells) + " |")
    if notes:
        lines += ["", "## 出处", "", *notes]
    return "\n".join(lines) + "\n"


def _md(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def write_table(table: Table, out: Path, *, force: bool = False) -> Path:
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        return write_atomic(out, to_xlsx(table), force=force)
    if suffix == ".csv":
        return write_atomic(out, to_csv(table), force=force)
    if suffix == ".md":
        return write_atomic(out, to_markdown(table), force=force)
    raise DrafterError(f"unsupported output {out.name}; use {', '.join(FORMATS)}")
