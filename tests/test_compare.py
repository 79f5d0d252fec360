"""compare over the seeds in .xlsx, .csv and .md, the single-summary sheet, and the indicator columns."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from drafter.cli import app
from drafter.compare import build_table, indicator_columns
from drafter.extract.indicators import load_catalogue
from drafter.inputs import collect_reading_inputs, load_input
from drafter.models import IndicatorRef, Metric
from drafter.sheets import summary_workbook

SEEDS = Path(__file__).parent.parent / "seeds"
runner = CliRunner()
STEMS = ["chuxiong-2024", "diaobingshan-2022", "ruzhou-2023", "xingning-2024", "zhoucun-2024"]
# Checked by hand in seeds/*.txt: 楚雄 "2024年办理行政复议案件80件", 调兵山 "2022年受理行政复议案件18件",
# 兴宁 "至目前我市新收行政复议案件218件", 周村 "共收到行政复议申请131件"; 汝州 names 行政复议 with no figure.
ADMIN_REVIEW = {"chuxiong-2024": 80, "diaobingshan-2022": 18, "ruzhou-2023": None, "xingning-2024": 218,
                "zhoucun-2024": 131}


def admin_review_column(header: list) -> int:
    """The 行政复议 intake column, under the fallback rules' name or the catalogue's."""
    return next(i for i, name in enumerate(header) if name and "行政复议" in name and "收" in name)


def run_compare(tmp_path: Path, name: str, *extra: str):
    out = tmp_path / name
    result = runner.invoke(app, ["compare", str(SEEDS), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def test_compare_xlsx_rows_figures_and_a_quote_comment_on_every_figure_cell(tmp_path: Path) -> None:
    out = run_compare(tmp_path, "seeds.xlsx")
    ws = load_workbook(out)["对比"]
    header = [c.value for c in ws[1]]
    assert header[:11] == ["报告", "地区", "省份", "层级", "年度", "发文机关", "已有部分", "缺少部分", "举措数", "问题数",
                           "安排（承诺）数"]
    indicator_names = header[11:]
    assert len(indicator_names) >= 5
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert sorted(rows) == STEMS
    col = admin_review_column(header)
    assert {stem: row[col].value for stem, row in rows.items()} == ADMIN_REVIEW
    texts = {stem: (SEEDS / f"{stem}.txt").read_text(encoding="utf-8") for stem in STEMS}
    figure_cells = 0
    for stem, row in rows.items():
        for cell in row[11:]:
            if cell.value is None:
                assert cell.comment is None
                continue
            figure_cells += 1
            assert cell.comment is not None, (stem, header[cell.column - 1])
            quote = cell.comment.text.splitlines()[0].strip("“”")
            assert quote in texts[stem] and str(cell.value) in quote.replace("余", "")
            assert stem in cell.comment.text.splitlines()[1]  # the report, then its section
    assert figure_cells >= 15
    xingning = rows["xingning-2024"]
    assert xingning[col].comment.text.splitlines()[:2] == [
        "“至目前我市新收行政复议案件218件”", "— xingning-2024 · 二是积极发挥行政复议主渠道作用和层级监督作用"]
    assert xingning[col].number_format == 'General"件"'  # shown as 218件, kept a number
    appearance = next(i for i, name in enumerate(header) if "出庭" in name)  # 负责人出庭应诉率
    assert xingning[appearance].value is None  # 兴宁 gives no 出庭 rate
    assert rows["ruzhou-2023"][appearance].number_format == 'General"%"'
    assert [xingning[i].value for i in (1, 2, 3, 4, 5, 6, 7)] == [
        "兴宁市", "广东省", "county-level-city", 2024, "兴宁市人民政府", "举措、问题、第一责任人、安排", None]
    # 楚雄 has no problems or plans part, but its closing "下步,楚雄市将突出目标导向、问题导向,拧紧责任螺丝、扣紧责任
    # 链条,高质量完成法治政府建设各项任务,不断提升…整体质效。" is four promises (one item each, as the rules cut them).
    assert [rows["chuxiong-2024"][i].value for i in (7, 9, 10)] == ["问题、安排", 0, 4]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}6"
    assert 10 <= ws.column_dimensions["F"].width <= 60  # 发文机关: fits 周村区人民政府
    # The same quotes as a plain table.
    sources = load_workbook(out)["出处"]
    assert sources.max_row - 1 == figure_cells


def test_compare_csv_and_markdown(tmp_path: Path) -> None:
    text = run_compare(tmp_path, "seeds.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(table) == 6
    col = admin_review_column(table[0])
    assert {r[0]: r[col] for r in table[1:]} == {k: "" if v is None else str(v) for k, v in ADMIN_REVIEW.items()}
    md = run_compare(tmp_path, "seeds.md").read_text(encoding="utf-8")
    rows = [line for line in md.splitlines() if line.startswith("| ") and not line.startswith("| 报告")]
    assert len(rows) == 5
    xingning = next(r for r in rows if r.startswith("| xingning-2024 "))
    assert "| 218件[^" in xingning
    note = xingning.split("| 218件[^")[1].split("]")[0]
    assert f"[^{note}]: xingning-2024 · {table[0][col]}：“至目前我市新收行政复议案件218件”" in md


def test_years_of_one_region_are_ordered_together() -> None:
    xingning = load_input(SEEDS / "xingning-2024.txt")
    zhoucun = load_input(SEEDS / "zhoucun-2024.txt")
    earlier = xingning.model_copy(update={"meta": xingning.meta.model_copy(update={"report_year": 2023})})
    table = build_table([("x2024", xingning), ("z2024", zhoucun), ("x2023", earlier)])
    assert [r.report for r in table.rows] == ["z2024", "x2023", "x2024"]  # 山东省 < 广东省 by code point


def test_compare_failures_are_one_line_each_and_the_rest_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "broken.summary.json"
    bad.write_text("{}", encoding="utf-8")
    out = tmp_path / "t.xlsx"
    result = runner.invoke(app, ["compare", str(bad), str(SEEDS / "ruzhou-2023.txt"), str(tmp_path / "none.txt"),
                                 "--out", str(out)])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors == [f"{bad}: not a drafter summary (meta: Field required)", f"{tmp_path / 'none.txt'}: no such file"]
    assert [r[0].value for r in load_workbook(out)["对比"].iter_rows(min_row=2)] == ["ruzhou-2023"]
    again = runner.invoke(app, ["compare", str(SEEDS / "ruzhou-2023.txt"), "--out", str(out)])
    assert again.exit_code == 1 and again.stderr.strip() == f"{out} exists; use --force to overwrite"
    wrong = runner.invoke(app, ["compare", str(SEEDS), "--out", str(tmp_path / "t.pdf")])
    assert wrong.exit_code == 2 and "unsupported output t.pdf" in wrong.stderr


def test_sheet_of_one_summary(tmp_path: Path) -> None:
    assert runner.invoke(app, ["summarize", str(SEEDS / "xingning-2024.txt"), "--out", str(tmp_path)]).exit_code == 0
    result = runner.invoke(app, ["sheet", str(tmp_path / "xingning-2024.summary.json"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(tmp_path / "xingning-2024.summary.xlsx")
    assert wb.sheetnames == ["概况", "数据", "事项"]
    summary = load_input(tmp_path / "xingning-2024.summary.json")
    data = wb["数据"]
    header = [c.value for c in data[1]]
    rows = [[c.value for c in r] for r in data.iter_rows(min_row=2)]
    assert len(rows) == len(summary.metrics)
    assert [r[header.index("原文")] for r in rows] == [m.quote for m in summary.metrics]
    row = next(r for r in rows if r[header.index("原文")] == "至目前我市新收行政复议案件218件")
    assert [row[header.index(h)] for h in ("数值", "单位", "领域", "部分")] == [218, "件", "矛盾纠纷化解", "举措"]
    assert "行政复议" in row[header.index("标准指标")]
    items = wb["事项"]
    assert items.max_row - 1 == len(summary.measures) + len(summary.problems) + len(summary.plans) \
        + len(summary.leadership)
    overview = {r[0].value: r[1].value for r in wb["概况"].iter_rows(min_row=2)}
    assert overview["地区"] == "兴宁市" and overview["报告年度"] == 2024 and overview["问题数"] == 3
    assert data.freeze_panes == "B2" and data.auto_filter.ref
    again = runner.invoke(app, ["sheet", str(tmp_path / "xingning-2024.summary.json"), "--out", str(tmp_path)])
    assert again.exit_code == 1 and "exists; use --force" in again.stderr


def _metric(label: str, quote: str, unit: str = "件", **extra) -> Metric:
    return Metric(label=label, value=1, unit=unit, raw="1", quote=quote, start=0, end=len(quote), **extra)


def test_indicator_columns_follow_the_catalogue_order_and_only_measured_ones() -> None:
    carried = _metric("收案", "收案5件", indicator=IndicatorRef(id="reconsideration_cases", name="行政复议收案"))
    plain = _metric("直播庭审", "直播庭审863场", unit="场")
    summary = load_input(SEEDS / "ruzhou-2023.txt").model_copy(update={"metrics": [plain, carried]})
    [column] = indicator_columns([summary])
    assert column.id == "reconsideration_cases"
    seeds = [load_input(p) for p in sorted(SEEDS.glob("*.txt"))]
    order = [i.id for i in load_catalogue().indicators]
    ids = [c.id for c in indicator_columns(seeds)]
    assert ids == sorted(ids, key=order.index) and len(ids) >= 5


def test_a_folder_gives_its_summaries_and_the_reports_without_one(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for stem in STEMS:
        shutil.copy(SEEDS / f"{stem}.txt", folder / f"{stem}.txt")
    # Two of the reports are summarised beside themselves: those are read from the summary, the rest from the text.
    args = ["summarize", str(folder / "ruzhou-2023.txt"), str(folder / "zhoucun-2024.txt"), "--out", str(folder)]
    assert runner.invoke(app, args).exit_code == 0
    assert collect_reading_inputs([folder]) == sorted(
        [folder / "chuxiong-2024.txt", folder / "diaobingshan-2022.txt", folder / "ruzhou-2023.summary.json",
         folder / "xingning-2024.txt", folder / "zhoucun-2024.summary.json"])
    out = tmp_path / "t.csv"
    assert runner.invoke(app, ["compare", str(folder), "--out", str(out)]).exit_code == 0
    names = [line.split(",")[0] for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert sorted(names) == STEMS  # x.summary.json is named as its report


def test_report_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    summary = load_input(SEEDS / "ruzhou-2023.txt")
    trap = '=HYPERLINK("http://example.com","x")'
    metric = summary.metrics[0].model_copy(update={"label": trap})
    data = tmp_path / "s.xlsx"
    data.write_bytes(summary_workbook(summary.model_copy(update={"metrics": [metric]}), "ruzhou"))
    cell = load_workbook(data)["数据"]["B2"]
    assert cell.value == trap and cell.data_type == "s"
