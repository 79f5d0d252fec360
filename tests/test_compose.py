"""compose_draft on hand-built seed summaries (tests/draft_samples.py): structure, baselines, carried items."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from draft_samples import SEEDS, build_summary, chuxiong_2024, diaobingshan_2022, fill, xingning_2024
from drafter.drafting.compose import (
    FOOTNOTE_DEF_RE,
    FOOTNOTE_REF_RE,
    PLACEHOLDER_RE,
    compose_draft,
    format_figure,
)
from drafter.errors import DrafterError
from drafter.models import Meta, Metric

FIVE_PARTS = [
    r"## 一、{y}年度推进法治政府建设的主要举措和成效",
    r"## 二、存在的不足和原因",
    r"## 三、党政主要负责人履行推进法治建设第一责任人职责情况",
    r"## 四、{n}年推进法治政府建设的主要安排",
    r"## 五、其他需要报告的情况",
]


def body_of(markdown: str) -> str:
    """The report proper: up to the date line of the sign-off."""
    return markdown[: re.search(r"^\d{4}年【待填】月【待填】日$", markdown, re.M).end()]


@pytest.mark.parametrize("make, year", [(xingning_2024, 2025), (diaobingshan_2022, 2023), (chuxiong_2024, 2025)])
def test_five_parts_in_order(make, year):
    draft = compose_draft([make()])
    assert draft.year == year
    lines = draft.markdown.splitlines()
    positions = [lines.index(h.format(y=year, n=year + 1)) for h in FIVE_PARTS]
    assert positions == sorted(positions)
    assert lines[0].endswith(f"关于{year}年度法治政府建设情况的报告")


def test_title_addressee_signoff_and_stem():
    draft = compose_draft([xingning_2024()])
    lines = [line for line in draft.markdown.splitlines() if line]
    assert lines[0] == "# 兴宁市人民政府关于2025年度法治政府建设情况的报告"
    assert lines[1] == "中共兴宁市委："
    date_at = lines.index("2026年【待填】月【待填】日")
    assert lines[date_at - 1] == "兴宁市人民政府"
    assert draft.stem == "兴宁市-2025年度法治政府建设情况报告-草稿"


def test_unknown_issuer_falls_back_to_region_with_placeholder():
    draft = compose_draft([chuxiong_2024()])  # 楚雄's report has no title and no sign-off
    assert draft.markdown.startswith("# 楚雄市人民政府关于2025年度法治政府建设情况的报告\n")
    assert "楚雄市人民政府【待填：核对发文机关名称】\n" in draft.markdown
    assert "中共" not in draft.markdown.splitlines()[2]  # no addressee line invented


def test_every_baseline_equals_source_metric():
    summary = xingning_2024()
    draft = compose_draft([summary])
    notes = {n.number: n for n in draft.sources}
    baselines = re.findall(r"^\d+\. (.+?)【待填】(.*?)（2024年：(.+?)）\[\^(\d+)\]。$", draft.markdown, re.M)
    assert len(baselines) == len(summary.metrics) == 8
    for metric in summary.metrics:
        label, unit, figure, ref = next(b for b in baselines if b[0] == metric.label)
        assert (unit, figure) == (metric.unit, format_figure(metric))
        note = notes[int(ref)]
        assert (note.quote, note.start, note.end) == (metric.quote, metric.start, metric.end)
        assert summary_text(summary)[note.start:note.end] == note.quote
    assert "1. 新收行政复议案件【待填】件（2024年：218件）" in draft.markdown
    assert "普法汇演线上互动观众【待填】人次（2024年：超16万人次）" in draft.markdown


def summary_text(summary) -> str:
    from pathlib import Path

    return Path(summary.provenance.source).read_text(encoding="utf-8")


@pytest.mark.parametrize("raw, unit, qualifier, expected", [
    ("218", "件", None, "218件"),
    ("16万", "人次", "超", "超16万人次"),
    ("1800万", "万元", None, "1800万元"),  # the magnitude already in raw is not repeated
    ("1.2万", "人次", "余", "1.2万余人次"),
    ("10余万", "人", "余", "10余万人"),  # the qualifier already inside raw is not repeated
    ("100", "人", "以上", "100人以上"),
    ("100", "%", None, "100%"),
])
def test_format_figure(raw, unit, qualifier, expected):
    metric = Metric(quote=raw, start=0, end=len(raw), label="x", value=1, unit=unit, qualifier=qualifier, raw=raw)
    assert format_figure(metric) == expected


def test_every_prior_problem_and_plan_is_carried_with_its_source():
    summary = diaobingshan_2022()
    draft = compose_draft([summary])
    body = body_of(draft.markdown)
    part2 = body[body.index("## 二、"): body.index("## 三、")]
    part4 = body[body.index("## 四、"): body.index("## 五、")]
    part1 = body[body.index("## 一、"): body.index("## 二、")]
    cited = {(n.start, n.end): n.number for n in draft.sources}
    for problem in summary.problems:
        ref = f"[^{cited[(problem.start, problem.end)]}]"
        assert ref in part2 and ref in part4  # reported on in 二, carried as a still-open line in 四
    assert part2.count("整改情况：【待填】。如仍未整改到位，原因：【待填】。") == len(summary.problems) == 6
    for plan in summary.plans:
        assert f"[^{cited[(plan.start, plan.end)]}]" in part1
    # The plan without an area goes to an extra subsection after the ten 纲要 areas.
    assert "### （十一）其他工作" in part1
    definitions = dict(FOOTNOTE_DEF_RE.findall(draft.markdown))
    for note in draft.sources:
        assert definitions[str(note.number)].endswith(f"原文：“{' '.join(note.quote.split())}”")


def test_areas_follow_the_outline_order():
    part1 = compose_draft([xingning_2024()]).markdown.split("## 一、")[1].split("## 二、")[0]
    headings = re.findall(r"^### （.+?）(.+)$", part1, re.M)
    assert headings == ["政府机构职能", "依法行政制度", "行政决策", "行政执法", "突发事件应对", "矛盾纠纷化解",
                        "权力制约监督", "数字法治政府", "党的领导和推进机制", "法治宣传教育"]
    # 数字法治政府 had no prior content: offered as optional.
    assert "上年度报告未涉及，未开展可删除本节" in part1.split("数字法治政府")[1].split("###")[0]


def test_part_four_is_about_the_following_year():
    draft = compose_draft([xingning_2024()], year=2027)
    assert "## 一、2027年度推进法治政府建设的主要举措和成效" in draft.markdown
    assert "## 四、2028年推进法治政府建设的主要安排" in draft.markdown
    assert "（2024年：218件）" in draft.markdown  # the baseline keeps the source year


def test_placeholders_are_listed_once_in_the_checklist():
    draft = compose_draft([xingning_2024(), diaobingshan_2022()])
    head, checklist = draft.markdown.split("## 待填事项清单（定稿前删除）")
    assert len(PLACEHOLDER_RE.findall(head)) == len(draft.placeholders)
    assert f"共{len(draft.placeholders)}处待填。" in checklist
    assert not PLACEHOLDER_RE.search(checklist)
    lines = draft.markdown.splitlines()
    for ref in draft.placeholders:
        assert ref.token in lines[ref.line - 1]
    assert draft.placeholders[-1].where == "成文日期"
    assert "- [ ] 一（六）矛盾纠纷化解：新收行政复议案件＿＿件（2024年：218件）。" in checklist


def test_region_option_picks_the_draft_region():
    draft = compose_draft([xingning_2024(), diaobingshan_2022()], region="调兵山")
    assert draft.stem == "调兵山市-2023年度法治政府建设情况报告-草稿"
    assert "兴宁市（2024年）：" in draft.markdown  # the other region becomes peer practice


def test_peer_practice_is_an_appendix_after_the_signoff():
    draft = compose_draft([xingning_2024(), diaobingshan_2022()])
    body = body_of(draft.markdown)
    assert "调兵山" not in body
    appendix = draft.markdown[len(body):]
    assert "## 附件1　同类地区做法参考（仅供参考，不属于本报告内容）" in appendix
    assert "1. 调兵山市（2022年）：制定实施高质量“八五”普法规划[^" in appendix


def test_trend_table_for_several_years_of_one_region():
    text_2023 = "2023年,我市新收行政复议案件200件,组织了5场次应急演练。"
    earlier = build_summary(
        text_2023, "xingning-2023.txt", Meta(region="兴宁市", issuer="兴宁市人民政府", report_year=2023), [],
        [("新收行政复议案件", "新收行政复议案件200件", "200", 200, "件", None, "measures", "disputes"),
         ("应急演练", "组织了5场次应急演练", "5", 5, "场次", None, "measures", "emergency")],
    )
    draft = compose_draft([xingning_2024(), earlier])
    assert draft.year == 2025
    rows = re.findall(r"^\| (.+?) \| (.+?) \| (.+?) \|$", draft.markdown, re.M)
    assert rows[0] == ("指标", "2023年", "2024年")
    table = {label: (FOOTNOTE_REF_RE.sub("", a), FOOTNOTE_REF_RE.sub("", b)) for label, a, b in rows[2:]}
    assert table == {"新收行政复议案件": ("200件", "218件"), "应急演练": ("5场次", "7场次")}
    assert "（2024年：218件）" in draft.markdown  # the base is still the latest report


def test_region_and_year_errors():
    with pytest.raises(DrafterError, match="no report for region 周村区 \\(inputs cover: 兴宁市\\)"):
        compose_draft([xingning_2024()], region="周村区")
    with pytest.raises(DrafterError, match="before 2024"):
        compose_draft([xingning_2024()], year=2024)
    undated = xingning_2024()
    undated.meta.report_year = None
    with pytest.raises(DrafterError, match="pass --year"):
        compose_draft([undated])
    with pytest.raises(DrafterError):
        compose_draft([])


SEED_FILES = ["xingning-2024.txt", "zhoucun-2024.txt", "chuxiong-2024.txt", "ruzhou-2023.txt", "diaobingshan-2022.txt"]


HELD_OUT = sorted((Path(__file__).parent / "heldout").glob("*.txt"))


@pytest.mark.parametrize("path", [SEEDS / name for name in SEED_FILES] + HELD_OUT, ids=lambda p: p.stem)
def test_real_pipeline_report_to_draft(path):
    """ingest → drafter.summarize → compose on each seed and each held-out report: parts in order, baselines and
    items carried verbatim, and the filled draft passes the checker."""
    from drafter.drafting.check import check_markdown
    import drafter
    from drafter.ingest import read_document

    doc = read_document(path)
    summary = drafter.summarize(doc)
    draft = compose_draft([summary])
    year = (summary.meta.report_year or 0) + 1
    assert draft.year == year
    lines = draft.markdown.splitlines()
    positions = [lines.index(h.format(y=year, n=year + 1)) for h in FIVE_PARTS]
    assert positions == sorted(positions)
    notes = {(n.start, n.end): n for n in draft.sources}
    for fact in [*summary.problems, *summary.plans, *summary.leadership, *summary.metrics]:
        note = notes[(fact.start, fact.end)]
        assert note.quote == fact.quote == doc.text[fact.start:fact.end]
        assert f"[^{note.number}]" in body_of(draft.markdown)
    for metric in summary.metrics:
        ref = f"[^{notes[(metric.start, metric.end)].number}]"
        assert f"（{summary.meta.report_year}年：{format_figure(metric)}）{ref}" in draft.markdown
    # The bar: once the writer fills every gap, the draft passes the checker.
    assert check_markdown(draft.markdown).errors[0].code == "placeholder"
    assert check_markdown(fill(draft.markdown)).ok
