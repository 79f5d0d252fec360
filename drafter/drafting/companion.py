"""The data-collection sheet beside a draft (…-数据采集表.xlsx): one row per standard indicator and other figure.

The staffer sends it round the units: each row names the figure, last year's value as written, where it stands in
last year's report (section, paragraph and the quote) and which unit should supply the new value.
"""

from __future__ import annotations

import io
from datetime import datetime

from drafter.drafting.compose import Draft

COLUMNS = (("类别", 10), ("草稿章节", 28), ("指标", 30), ("单位", 8), ("上年度基数（原文）", 22), ("本年度数值", 14),
           ("提供单位", 30), ("出处", 34), ("原文", 60))
# A fixed timestamp: the same draft gives the same bytes (the sheet is regenerated, never edited in place by us).
_FIXED_TIME = datetime(2000, 1, 1)


def sheet_name(draft: Draft) -> str:
    return f"{draft.companion_stem.removesuffix('-参考材料')}-数据采集表.xlsx"


def data_sheet(draft: Draft) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "数据采集表"
    header = [name.replace("本年度", f"{draft.year}年") for name, _ in COLUMNS]
    sheet.append(header)
    for cell, (_, width) in zip(sheet[1], COLUMNS):
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    for row in draft.data_rows:
        sheet.append([row.kind, row.section, row.indicator, row.unit, row.baseline, None, row.supplier, row.source,
                      row.quote])
    fill = PatternFill("solid", fgColor="FFFF00")
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells[5].fill = fill  # the column to fill in
    sheet.freeze_panes = "A2"
    book.properties.creator = draft.issuer
    book.properties.title = sheet_name(draft).removesuffix(".xlsx")
    book.properties.created = book.properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
