"""drafter check on drafts (.md, .docx) and on published seed reports (.txt)."""

from __future__ import annotations

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
    assert codes(report) == {"leftover": "warning"}  # the reference blocks are still to be deleted
    assert report.lines()[0].startswith("草稿.md: warning [leftover] 12处“定稿前删除”的参考内容或清单仍在文中（第")


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
    tampered = fill(draft.markdown).replace("（2024年：218件）", "（2024年：281件）")
    errors = check_markdown(tampered).errors
    assert [f.code for f in errors] == ["baseline-not-in-source"]
    assert "281件" in errors[0].message


def test_new_figure_without_source_is_a_warning(draft):
    added = fill(draft.markdown).replace("## 五、其他需要报告的情况\n", "## 五、其他需要报告的情况\n\n全年共办理案件999件。\n")
    report = check_markdown(added)
    assert report.ok
    finding = next(f for f in report.findings if f.code == "figure-without-source")
    assert "999" in finding.message


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
    path.write_bytes(render_docx(fill(draft.markdown)))
    assert check_file(path).ok
    path.write_bytes(render_docx(fill(draft.markdown).replace("（2024年：218件）", "（2024年：281件）")))
    assert [f.code for f in check_file(path).errors] == ["baseline-not-in-source"]


def test_unsupported_file(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError):
        check_file(tmp_path / "a.pdf")


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
