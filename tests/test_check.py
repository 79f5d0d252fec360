"""drafter check on drafts (.md, .docx) and on published seed reports (.txt)."""

from __future__ import annotations

import re

import pytest

from draft_samples import SEEDS, diaobingshan_2022, fill, xingning_2024
from drafter.drafting.check import check_file, check_markdown
from drafter.drafting.compose import compose_draft
from drafter.errors import InputError
from drafter.drafting.docx import render_docx


@pytest.fixture(scope="module")
def draft():
    return compose_draft([xingning_2024(), diaobingshan_2022()])


def codes(report) -> dict[str, str]:
    return {f.code: f.severity for f in report.findings}


def test_fresh_draft_reports_every_unfilled_placeholder(draft):
    report = check_markdown(draft.markdown)
    assert report.kind == "draft" and not report.ok
    placeholder = next(f for f in report.findings if f.code == "placeholder")
    assert placeholder.severity == "error"
    assert placeholder.message == f"{len(draft.placeholders)}处【待填】尚未填写"
    assert placeholder.location.startswith(f"第{draft.placeholders[0].line}行")
    assert "missing-part" not in codes(report) and "title" not in codes(report)


def test_filled_draft_passes(draft):
    report = check_markdown(fill(draft.markdown), path="草稿.md")
    assert report.ok, report.findings
    # This year's new figures (235…) have no source to check against: a warning to verify them.
    assert codes(report) == {"figure-without-source": "warning"}


# ---- the unfinished drafts of issue 9: each must fail ------------------------------------------------------------

def test_footnote_definitions_deleted_but_marks_and_reference_blocks_left_fail(draft):
    filled = fill(draft.markdown)
    no_definitions = re.sub(r"^\[\^\d+\]:.*\n", "", filled, flags=re.M)
    marks = len(re.findall(r"\[\^\d+\]", no_definitions))
    reference = ("2024年做法（参考，定稿前删除）：\n\n1. 紧凑有序推进我市机构改革工作[^99]。\n\n"
                 "## 附件1　同类地区做法参考（仅供参考，不属于本报告内容）\n\n1. 调兵山市（2022年）：制定实施高质量“八五”普法规划。\n")
    unfinished = no_definitions.replace("## 二、", reference + "\n## 二、", 1)
    report = check_markdown(unfinished)
    assert not report.ok
    dangling = next(f for f in report.errors if f.code == "dangling-footnote")
    assert dangling.message == f"{marks + 1}处脚注标记没有对应的来源说明，应删除"
    leftover = next(f for f in report.errors if f.code == "leftover")
    assert leftover.message.startswith("2处参考内容")  # the block's heading and the 附件 heading


def test_draft_without_addressee_fails(draft):
    filled = fill(draft.markdown).replace("中共兴宁市委：\n\n", "", 1)
    report = check_markdown(filled)
    assert [f.code for f in report.errors] == ["addressee"]
    assert report.errors[0].message == "缺少主送机关（标题下一行，如“中共××市委：”）"


def test_draft_with_baselines_left_in_fails(draft):
    half_done = fill(draft.markdown, keep_baselines=True)
    assert "235件（2024年：218件）" in half_done
    report = check_markdown(half_done)
    assert [f.code for f in report.errors] == ["baseline-left"]
    left = len(re.findall(r"（2024年：[^）]*）", half_done))
    assert left >= 4  # one per standard indicator of the sample summaries
    assert report.errors[0].message.startswith(f"{left}处上年度基数（如“（2024年：14138件）”）仍在文中")
    # The issue's own example, in a plain copy of a draft.
    text = fill(draft.markdown).replace("2025年，我市坚持", "2025年，新增村（社区）法律顾问25个（2024年：20个）。我市坚持")
    assert "baseline-left" in {f.code for f in check_markdown(text).errors}


@pytest.mark.parametrize("date, code, message", [
    ("2026年1月20日", None, None),
    ("2026年3月1日", None, None),
    ("2026年3月15日", "deadline", "成文日期“2026年3月15日”晚于督察规定的报送期限（3月1日前）"),
    ("2026年4月8日", "deadline", "成文日期“2026年4月8日”晚于督察规定的报送期限（3月1日前）和公开期限（4月1日前，第二十四条）"),
    ("2025年12月20日", "date", "成文日期“2025年12月20日”早于2025年度结束：年度报告应在次年成文"),
    ("2026年02月05日", "date", "成文日期“2026年02月05日”格式不对：应使用阿拉伯数字，年份写全，月、日不编虚位（如2026年2月15日）"),
    ("二〇二六年二月五日", "date", "成文日期“二〇二六年二月五日”格式不对：应使用阿拉伯数字，年份写全，月、日不编虚位（如2026年2月15日）"),
    ("2026年2月30日", "date", "成文日期“2026年2月30日”不是有效日期"),
])
def test_date_form_and_deadlines(draft, date, code, message):
    dated = fill(draft.markdown).replace("2026年1月20日", date)
    report = check_markdown(dated)
    found = [(f.code, f.message) for f in report.errors if f.code in ("date", "deadline", "signoff")]
    assert found == ([(code, message)] if code else [])


def test_a_province_reports_by_the_first_of_april():
    markdown = fill(compose_draft([xingning_2024()]).markdown).replace("兴宁市人民政府", "广东省人民政府")
    assert not {f.code for f in check_markdown(markdown.replace("2026年1月20日", "2026年3月20日")).errors}
    late = check_markdown(markdown.replace("2026年1月20日", "2026年4月2日")).errors
    assert [f.message for f in late] == ["成文日期“2026年4月2日”晚于督察规定的报送期限（4月1日前）和公开期限（4月1日前，第二十四条）"]


def test_leadership_must_be_a_part_of_its_own_in_a_draft(draft):
    filled = fill(draft.markdown)
    demoted = filled.replace("## 三、党政主要负责人履行推进法治建设第一责任人职责情况", "### （十）党政主要负责人履行推进法治建设第一责任人职责情况")
    assert "缺少必备部分：党政主要负责人履行推进法治建设第一责任人职责情况" in {f.message for f in check_markdown(demoted).errors}


def test_draft_with_a_part_removed_fails(draft):
    filled = fill(draft.markdown)
    cut = filled[: filled.index("## 二、")] + filled[filled.index("## 三、"):]
    report = check_markdown(cut)
    assert [f.message for f in report.errors] == ["缺少必备部分：存在的不足和原因"]


def test_parts_out_of_order_fail(draft):
    filled = fill(draft.markdown)
    one, two, three = filled.index("## 一、"), filled.index("## 二、"), filled.index("## 三、")
    swapped = filled[:one] + filled[two:three] + filled[one:two] + filled[three:]
    assert codes(check_markdown(swapped)) ["part-order"] == "error"


def test_changed_baseline_figure_fails(draft):
    tampered = fill(draft.markdown, keep_baselines=True).replace("（2024年：218件）", "（2024年：281件）")
    errors = check_markdown(tampered).errors
    assert [f.code for f in errors] == ["baseline-left", "baseline-not-in-source"]
    assert "281件" in errors[1].message


def test_new_figure_without_source_is_a_warning(draft):
    added = fill(draft.markdown).replace("## 五、其他需要报告的情况\n", "## 五、其他需要报告的情况\n\n全年共办理案件999件。\n")
    report = check_markdown(added)
    assert report.ok
    finding = next(f for f in report.findings if f.code == "figure-without-source")
    before = next(f for f in check_markdown(fill(draft.markdown)).findings if f.code == "figure-without-source")
    count = int(re.match(r"(\d+)个数字", finding.message).group(1))
    assert count == int(re.match(r"(\d+)个数字", before.message).group(1)) + 1  # the 999 is one more


def test_part_years_must_follow_the_title(draft):
    stale = fill(draft.markdown).replace("## 四、2026年推进", "## 四、2025年推进")
    report = check_markdown(stale)
    assert report.ok
    assert [f.message for f in report.findings if f.code == "year"] == [
        "标题为2025年度，但“四、2025年推进法治政府建设的主要安排”不是2026年"]


def test_title_and_signoff_are_required_in_a_draft(draft):
    filled = fill(draft.markdown)
    retitled = filled.replace("# 兴宁市人民政府关于2025年度法治政府建设情况的报告", "# 2025年工作总结", 1)
    assert codes(check_markdown(retitled))["title"] == "error"
    unsigned = filled.replace("兴宁市人民政府\n\n2026年1月20日\n", "")
    assert codes(check_markdown(unsigned))["signoff"] == "error"


def test_docx_draft(tmp_path, draft):
    path = tmp_path / "draft.docx"
    path.write_bytes(render_docx(draft.markdown))
    report = check_file(path)
    assert report.kind == "draft"
    assert next(f for f in report.findings if f.code == "placeholder").message == (
        f"{len(draft.placeholders)}处【待填】尚未填写")
    assert "title" not in codes(report)  # the title broken into two lines is still one title
    path.write_bytes(render_docx(fill(draft.markdown)))
    assert check_file(path).ok
    path.write_bytes(render_docx(fill(draft.markdown, keep_baselines=True).replace("（2024年：218件）", "（2024年：281件）")))
    assert [f.code for f in check_file(path).errors] == ["baseline-left", "baseline-not-in-source"]


def test_markdown_resaved_in_gbk_or_utf16_is_read(tmp_path, draft):
    for encoding in ("gbk", "utf-16"):
        path = tmp_path / f"draft-{encoding}.md"
        path.write_text(fill(draft.markdown), encoding=encoding)
        assert check_file(path).ok, encoding


def test_text_html_and_folder_inputs(tmp_path, draft):
    from typer.testing import CliRunner

    from drafter.cli import app

    unfinished = fill(draft.markdown).replace("中共兴宁市委：\n\n", "", 1)
    plain = re.sub(r"\[\^\d+\]:.*\n", "", unfinished)
    (tmp_path / "a.txt").write_text(re.sub(r"^#+ ", "", plain, flags=re.M), encoding="utf-8")
    html = "".join(f"<p>{line}</p>" for line in re.sub(r"^#+ ", "", plain, flags=re.M).splitlines() if line)
    (tmp_path / "b.html").write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
    for name in ("a.txt", "b.html"):
        errors = {f.code for f in check_file(tmp_path / name).errors}
        assert {"addressee", "dangling-footnote"} <= errors, (name, errors)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "兴宁-草稿.md").write_text(fill(draft.markdown), encoding="utf-8")
    (tmp_path / "drafts" / "兴宁-参考材料.md").write_text(draft.companion, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "drafts")])
    assert result.exit_code == 0, result.output
    assert "兴宁-草稿.md: draft, ok" in result.output and "参考材料" not in result.output


def test_pdf_of_the_rendered_draft(tmp_path, draft):
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    unfinished = re.sub(r"^\[\^\d+\]:.*\n", "", fill(draft.markdown, keep_baselines=True))
    path = tmp_path / "draft.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for line in (re.sub(r"^#+ ", "", line) for line in unfinished.splitlines() if line):
        for start in range(0, len(line), 30):
            if y < 60:
                pdf.showPage()
                y = 800
            pdf.setFont("STSong-Light", 12)
            pdf.drawString(40, y, line[start:start + 30])
            y -= 20
    pdf.save()
    report = check_file(path)
    assert report.kind == "draft" and "baseline-left" in {f.code for f in report.errors}


def test_unsupported_file(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError):
        check_file(tmp_path / "a.pdf")
    (tmp_path / "a.doc").write_bytes(b"x")
    with pytest.raises(InputError, match="use .md, .docx, .txt, .html or .pdf"):
        check_file(tmp_path / "a.doc")


def test_signoff_of_published_reports():
    pytest.importorskip("drafter.structure")
    # 兴宁 signs off on the same line as its last sentence, 调兵山 on two lines; 周村 has no sign-off at all.
    assert "signoff" not in codes(check_file(SEEDS / "xingning-2024.txt"))
    assert "signoff" not in codes(check_file(SEEDS / "diaobingshan-2022.txt"))
    assert codes(check_file(SEEDS / "zhoucun-2024.txt"))["signoff"] == "warning"


@pytest.mark.parametrize("seed", ["chuxiong-2024.txt", "ruzhou-2023.txt"])
def test_published_reports_without_problems_and_plans_are_flagged(seed):
    pytest.importorskip("drafter.structure")
    report = check_file(SEEDS / seed)
    assert report.kind == "published" and not report.ok
    missing = {f.message for f in report.errors if f.code == "missing-part"}
    assert missing == {"缺少必备部分：存在的不足和原因", "缺少必备部分：下一年度主要安排"}


def test_published_report_with_all_parts_passes_the_part_check():
    pytest.importorskip("drafter.structure")
    report = check_file(SEEDS / "xingning-2024.txt")
    assert report.kind == "published"
    assert not [f for f in report.findings if f.code == "missing-part" and f.severity == "error"]
    assert "figure-without-source" not in codes(report)
