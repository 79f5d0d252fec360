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
    baseline_figure,
    compose_draft,
    format_figure,
    prose_plan,
)
from drafter.drafting.markdown import full_width
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


def test_title_addressee_signoff_copies_and_stem():
    draft = compose_draft([xingning_2024()])
    lines = [line for line in draft.markdown.splitlines() if line]
    assert lines[0] == "# 兴宁市人民政府关于2025年度法治政府建设情况的报告"
    assert lines[1] == "中共兴宁市委："
    date_at = lines.index("2026年【待填】月【待填】日")
    assert lines[date_at - 1] == "兴宁市人民政府"
    assert lines[date_at + 1] == "抄送：【待填：抄送机关；无则删除本行】"
    assert draft.stem == "兴宁市-2025年度法治政府建设情况报告-草稿"
    assert draft.companion_stem == "兴宁市-2025年度法治政府建设情况报告-参考材料"


def test_unknown_issuer_and_addressee_get_placeholders_with_the_usual_names():
    draft = compose_draft([chuxiong_2024()])  # 楚雄's report has no title, no addressee and no sign-off
    assert draft.markdown.startswith("# 楚雄市人民政府关于2025年度法治政府建设情况的报告\n")
    assert "楚雄市人民政府【待填：核对发文机关名称】\n" in draft.markdown
    # A county-level city reports to the prefecture's 党委和政府.
    assert draft.markdown.splitlines()[2] == "【待填：主送机关，如中共楚雄彝族自治州委、楚雄彝族自治州人民政府】："
    assert draft.placeholders[0].where == "主送机关"


def test_only_standard_indicators_are_figure_placeholders_with_verbatim_baselines():
    summary = xingning_2024()
    draft = compose_draft([summary])
    notes = {n.number: n for n in draft.sources}
    baselines = re.findall(r"^\d+\. (.+?)【待填】(.*?)（2024年：(.+?)）\[\^(\d+)\]。$", draft.markdown, re.M)
    # Of the eight figures, six measure a catalogue indicator (12345工单, 重大行政决策, 行政执法案件, 应急演练,
    # 行政复议收案, 政府信息主动公开); 旁听庭审 is a court's figure and 普法汇演的线上观众 measures none.
    assert [b[0] for b in baselines] == ["受理转派12345热线工单", "制定重大行政决策", "办理行政执法案件", "应急演练",
                                         "新收行政复议案件", "政府网站发布各类信息"]
    for label, unit, figure, ref in baselines:
        metric = next(m for m in summary.metrics if m.label == label)
        note = notes[int(ref)]
        assert (unit, figure) == (metric.unit, baseline_figure(metric)) and figure in metric.quote
        assert (note.quote, note.start, note.end) == (metric.quote, metric.start, metric.end)
        assert summary_text(summary)[note.start:note.end] == note.quote
    assert "1. 新收行政复议案件【待填】件（2024年：218件）" in draft.markdown
    # The other two go to the companion and the data sheet, nowhere in the draft.
    for label in ("普法汇演线上互动观众", "旁听庭审领导干部"):
        assert label not in draft.markdown and f"{label}：" in draft.companion
    assert len(draft.data_rows) == len(summary.metrics) == 8
    rows = {r.indicator: r for r in draft.data_rows}
    review = rows["行政复议收案（新收、受理）"]
    assert review.baseline == "2024年：218件" and review.supplier.startswith("司法局")
    assert review.kind == "标准指标" and rows["普法汇演线上互动观众"].kind == "其他数据"
    assert rows["旁听庭审领导干部"].supplier.startswith("人民法院、人民检察院或监委")
    assert rows["应急演练"].quote == "组织了7场次应急演练" and rows["应急演练"].supplier == "应急管理局"


def summary_text(summary) -> str:
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


@pytest.mark.parametrize("quote, raw, unit, qualifier, expected", [
    ("投入资金875万余元", "875", "万元", "余", "875万余元"),  # format_figure would write 875余万元
    ("投入资金875万余元", "875万", "万元", "余", "875万余元"),
    ("参加线上互动的观众超16万人次", "16万", "人次", "超", "超16万人次"),
    ("项目审批一次性办结率达95%以上", "95", "%", "以上", "95%以上"),
    ("开展习近平法治思想学习培训160余场次", "160", "场次", "余", "160余场次"),
    ("行政诉讼达到70余次", "70", "次", "余", "70余次"),
    ("共采集3649 条数据", "3649", "条", None, "3649条"),  # not in the quote as written: format_figure
])
def test_baseline_figure_is_written_as_the_source_writes_it(quote, raw, unit, qualifier, expected):
    metric = Metric(quote=quote, start=0, end=len(quote), label="x", value=1, unit=unit, qualifier=qualifier, raw=raw)
    assert baseline_figure(metric) == expected


def test_every_commitment_and_problem_of_last_year_is_carried_with_its_source():
    summary = diaobingshan_2022()
    draft = compose_draft([summary])
    body = body_of(draft.markdown)
    part1 = body[body.index("## 一、"): body.index("## 二、")]
    part2 = body[body.index("## 二、"): body.index("## 三、")]
    cited = {(n.start, n.end): n.number for n in draft.sources}
    for plan in summary.plans:  # one line each, in its words, to report on
        ref = f"[^{cited[(plan.start, plan.end)]}]"
        line = next(line for line in part1.splitlines() if ref in line)
        assert line.endswith(f"{ref}。落实情况：【待填】。")
    assert part1.count("落实情况：【待填】") == len(summary.plans) == 6
    for problem in summary.problems:
        assert f"[^{cited[(problem.start, problem.end)]}]" in part2
    assert part2.count("整改情况：【待填】。") == len(summary.problems) == 6
    # The plan without an area is a section in its own words, not a catch-all.
    assert "### （六）聚焦经济建设主战场\n" in part1
    assert "其他工作" not in body
    definitions = dict(FOOTNOTE_DEF_RE.findall(draft.markdown))
    for note in draft.sources:
        assert definitions[str(note.number)].endswith(f"原文：“{' '.join(note.quote.split())}”")


def test_no_empty_or_catch_all_sections_and_the_outline_order_without_own_sections():
    part1 = compose_draft([xingning_2024()]).markdown.split("## 一、")[1].split("## 二、")[0]
    headings = re.findall(r"^### （.+?）(.+)$", part1, re.M)
    # The hand-built summary has no sections of its own: the 纲要 areas it wrote about, in the 纲要's order.
    assert headings == ["政府机构职能", "依法行政制度", "行政决策", "行政执法", "突发事件应对", "矛盾纠纷化解",
                        "权力制约监督", "党的领导和推进机制", "法治宣传教育"]
    assert "数字法治政府" not in part1 and "未开展可删除" not in part1


def test_composed_text_is_full_width_and_quotes_stay_verbatim():
    draft = compose_draft([xingning_2024()])
    assert "聚焦法治建设“一规划两纲要”，统筹推进法治兴宁" in draft.markdown  # the web copy's "," in the body
    assert "原文：“持续加强党的领导。聚焦法治建设“一规划两纲要”,统筹推进" in draft.markdown  # not in the quote
    assert "各镇（街道）和行政执法单位" in draft.companion
    assert full_width("镇(街道),1,000元;12:30") == "镇（街道），1,000元；12:30"


def test_the_draft_holds_only_the_report_and_the_companion_the_rest():
    draft = compose_draft([xingning_2024(), diaobingshan_2022()])
    for leftover in ("定稿前删除", "参考", "附件", "待填事项清单", "调兵山", "- [ ]"):
        assert leftover not in draft.markdown, leftover
    companion = draft.companion
    assert companion.startswith("# 兴宁市2025年度法治政府建设情况报告参考材料\n")
    assert f"草稿共{len(draft.placeholders)}处待填。" in companion and "【待填" not in companion
    lines = draft.markdown.splitlines()
    for ref in draft.placeholders:
        assert ref.token in lines[ref.line - 1]
    checklist = [line for line in companion.splitlines() if line.startswith("- [ ] ")]
    assert len(checklist) == len({ref.line for ref in draft.placeholders})
    assert "- [ ] 一（六）矛盾纠纷化解：新收行政复议案件＿＿件（2024年：218件）。" in checklist
    assert draft.placeholders[-2].where == "成文日期" and draft.placeholders[-1].where == "版记"
    # Last year's practice by draft section, and peer practice.
    assert "### 一、（六）矛盾纠纷化解\n\n1. 积极发挥行政复议主渠道作用和层级监督作用，至目前我市新收行政复议案件218件[^" in companion
    assert "1. 调兵山市（2022年）：制定实施高质量“八五”普法规划[^" in companion
    # Each footnote of the companion is its own, numbered from 1.
    assert dict(FOOTNOTE_DEF_RE.findall(companion))["1"].endswith("原文：“紧凑有序推进我市机构改革工作,完成了社会工作、金融、科技、"
                                                                  "民政、农业农村等重点领域机构设置、职能配置和编制管理的调整”")


def test_region_option_picks_the_draft_region():
    draft = compose_draft([xingning_2024(), diaobingshan_2022()], region="调兵山")
    assert draft.stem == "调兵山市-2023年度法治政府建设情况报告-草稿"
    assert "兴宁市（2024年）：" in draft.companion  # the other region becomes peer practice


def test_trend_of_an_indicator_over_several_years_of_one_region():
    text_2023 = "2023年,我市新收行政复议案件200件,组织了5场次应急演练。"
    earlier = build_summary(
        text_2023, "xingning-2023.txt", Meta(region="兴宁市", issuer="兴宁市人民政府", report_year=2023), [],
        [("新收行政复议案件", "新收行政复议案件200件", "200", 200, "件", None, "measures", "disputes"),
         ("应急演练", "组织了5场次应急演练", "5", 5, "场次", None, "measures", "emergency")],
    )
    draft = compose_draft([xingning_2024(), earlier])
    assert draft.year == 2025
    line = next(line for line in draft.markdown.splitlines() if "新收行政复议案件【待填】" in line)
    marks = re.findall(r"\[\^(\d+)\]", line)
    assert line == f"1. 新收行政复议案件【待填】件（2023年：200件；2024年：218件）[^{marks[0]}][^{marks[1]}]。"
    quotes = {n.number: n.quote for n in draft.sources}
    assert [quotes[int(m)] for m in marks] == ["新收行政复议案件200件", "新收行政复议案件218件"]
    # All figures of both years, standard or not, in the companion's table.
    rows = re.findall(r"^\| (.+?) \| (.+?) \| (.+?) \|$", draft.companion, re.M)
    assert rows[0] == ("指标", "2023年", "2024年")
    table = {label: (FOOTNOTE_REF_RE.sub("", a), FOOTNOTE_REF_RE.sub("", b)) for label, a, b in rows[2:]}
    assert table == {"新收行政复议案件": ("200件", "218件"), "应急演练": ("5场次", "7场次")}
    assert next(r for r in draft.data_rows if r.indicator == "行政复议收案（新收、受理）").baseline == "2023年：200件；2024年：218件"


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
    """ingest → drafter.summarize → compose on each seed and each held-out report: parts in order, commitments,
    problems and indicators carried verbatim with their source by section, every other figure in the companion,
    and the filled draft passes the checker."""
    from drafter.drafting.check import check_markdown
    import drafter
    from drafter.ingest import read_document

    doc = read_document(path)
    summary = drafter.summarize(doc)
    draft = compose_draft([summary], texts={summary.provenance.source: doc.text})
    year = (summary.meta.report_year or 0) + 1
    assert draft.year == year
    lines = draft.markdown.splitlines()
    positions = [lines.index(h.format(y=year, n=year + 1)) for h in FIVE_PARTS]
    assert positions == sorted(positions)
    assert lines[2].endswith("：")  # 主送机关, last year's or a placeholder
    if path.parent == SEEDS:
        assert len(draft.placeholders) <= 45
    notes = {(n.start, n.end): n for n in draft.sources}
    body = body_of(draft.markdown)
    for fact in [*summary.problems, *summary.plans]:
        note = notes[(fact.start, fact.end)]
        assert note.quote == fact.quote == doc.text[fact.start:fact.end]
        assert f"[^{note.number}]" in body
    for note in draft.sources:
        assert note.where  # 二、（六）: findable in the source
    for metric in summary.metrics:  # a figure sits in a paragraph of its section: 二、（六）二是第1段
        if (metric.start, metric.end) in notes:
            assert notes[(metric.start, metric.end)].paragraph
    for figure, ref in re.findall(r"（\d{4}年：([^）；]+)）\[\^(\d+)\]", draft.markdown):
        assert figure in next(n for n in draft.sources if n.number == int(ref)).quote  # verbatim
    assert len(draft.data_rows) == len(summary.metrics)
    assert "定稿前删除" not in draft.markdown and "附件" not in draft.markdown
    # The bar: once the writer fills every gap, the draft passes the checker.
    assert check_markdown(draft.markdown).errors[0].code == "placeholder"
    assert check_markdown(fill(draft.markdown)).ok


def promises_of(summary, text: str, clauses: bool = False):
    """调兵山's plans as the extractor gives them: each sentence of the six plan sections, its 。 kept (or, with
    `clauses`, each comma-separated clause of it, one item per promise, with its plan section's id 3.1…3.6)."""
    plans_part = text[text.index("(一)全面强化组织领导"): text.index("调兵山市人民政府\n")]
    areas = ["leadership", "decisions", "publicity", "enforcement", "functions", None]
    specs, sections = [], []
    for n, (area, body) in enumerate(zip(areas, re.split(r"^\(.\).*$", plans_part, flags=re.M)[1:]), 1):
        for sentence in (s.strip() for s in re.findall(r"[^。；;]+[。；;]?", body)):
            if len(sentence) > 8:
                parts = [c.strip() for c in sentence.split(",")] if clauses else [sentence]
                specs += [("plans", area, part) for part in parts if part]
                sections += [f"3.{n}" if clauses else None for part in parts if part]
    items = [(i.part, i.area, i.quote) for i in [*summary.measures, *summary.problems, *summary.leadership]]
    metrics = [(m.label, m.quote, m.raw, m.value, m.unit, m.qualifier, m.part, m.area) for m in summary.metrics]
    built = build_summary(text, summary.provenance.source, summary.meta, items + specs, metrics)
    plans = [p.model_copy(update={"section": section}) for p, section in zip(built.plans, sections)]
    return built.model_copy(update={"plans": plans}), len(specs)


def part_one(markdown: str) -> str:
    return markdown.split("## 一、")[1].split("## 二、")[0]


def test_many_promises_are_each_carried_and_the_draft_stays_within_the_budget():
    text = (SEEDS / "diaobingshan-2022.txt").read_text(encoding="utf-8")
    summary, promises = promises_of(diaobingshan_2022(), text)
    assert promises == 21
    draft = compose_draft([summary])
    part1 = part_one(draft.markdown)
    # Budget step 1 only: part 四 in one gap. Then 16 fixed gaps (主送机关, 开头, 二 1 + 6 problems, 三, 四 2, 五, date 2,
    # 抄送) + 2 indicators (执法证, 执法培训) + 1 opening (矛盾纠纷化解, no promise) + one ask per promise = 40.
    assert part1.count("落实情况：【待填】") == promises
    assert len(draft.placeholders) == 16 + 2 + 1 + promises == 40
    part4 = draft.markdown.split("## 四、")[1].split("## 五、")[0]
    assert "###" not in part4 and len(PLACEHOLDER_RE.findall(part4)) == 2
    assert [s.key for s in prose_plan([summary]).slots if s.kind == "plans"] == ["plans"]
    # Six more promises (the section headings as well) would be 46: step 3 asks once for the section of the most
    # promises, 党的领导 (6 sentences + its heading), saving 6; every promise is still listed with its source.
    more = summary.model_copy(update={"plans": [*diaobingshan_2022().plans, *summary.plans]})
    draft = compose_draft([more])
    part1 = part_one(draft.markdown)
    assert len(draft.placeholders) == 40
    leadership = part1[part1.index("### （五）党的领导和推进机制"):].split("### ")[1]
    assert leadership.count("【待填】") == 1 and leadership.rstrip().endswith("以上各项落实情况：【待填】。")
    cited = {(n.start, n.end): n.number for n in draft.sources}
    assert all(f"[^{cited[(p.start, p.end)]}]" in part1 for p in more.plans)
    assert part1.count("落实情况：【待填】") == 27 - 7 + 1


def test_clause_level_promises_of_one_sentence_share_a_line_when_over_budget():
    text = (SEEDS / "diaobingshan-2022.txt").read_text(encoding="utf-8")
    summary, promises = promises_of(diaobingshan_2022(), text, clauses=True)
    assert promises == 61
    draft = compose_draft([summary])
    assert len(draft.placeholders) <= 45
    part1 = part_one(draft.markdown)
    cited = {(n.start, n.end): n.number for n in draft.sources}
    assert all(f"[^{cited[(p.start, p.end)]}]" in part1 for p in summary.plans)  # each clause, footnoted
    # The seed's sentence “严格实行行政执法三项制度,全面推进文明公正执法。”: one line, one ask.
    first, second = (f"[^{cited[(p.start, p.end)]}]" for p in summary.plans
                     if p.quote in ("严格实行行政执法三项制度", "全面推进文明公正执法。"))
    assert f"1. 严格实行行政执法三项制度{first}，全面推进文明公正执法{second}。落实情况：【待填】。" in part1.splitlines()


def test_two_years_of_one_region_list_the_earlier_promises_the_later_report_does_not_report_on():
    """兴宁 2024 → the hand-written 2025 follow-up: the 2026 draft asks once about 2024's promises that 2025's
    report leaves out (labelled by hand in tests/data/xingning-2024-2025.track-gold.json), and none reported done."""
    import json

    import drafter

    root = Path(__file__).resolve().parent.parent
    paths = [root / "seeds" / "xingning-2024.txt", root / "tests" / "data" / "xingning-2025.txt"]
    docs = [drafter.read_document(p) for p in paths]
    summaries = [drafter.summarize(d) for d in docs]
    draft = drafter.draft(summaries, texts={d.source.path: d.text for d in docs})
    assert draft.year == 2026
    gold = json.loads((root / "tests" / "data" / "xingning-2024-2025.track-gold.json").read_text(encoding="utf-8"))
    status = {item["quote"]: item["status"] for item in gold["items"]}
    heading = "2024年报告所列、2025年报告未见落实的工作安排"
    assert heading in draft.markdown
    section = draft.markdown.split(heading, 1)[1].split("以上各项落实情况及原因：【待填】。", 1)[0]
    listed = [q for q in status if q.rstrip("。") in section]
    assert listed and all(status[q] == "not_found" for q in listed)
    assert not any(q.rstrip("。") in section for q, s in status.items() if s == "done")
    # One report alone: nothing to follow up.
    assert heading.split("、")[0] not in drafter.draft(summaries[1:]).markdown
