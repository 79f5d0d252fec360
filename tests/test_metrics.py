"""Figures extracted from the seed reports, checked by hand against the source text."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.extract.metrics import _offsets, extract_metrics
from drafter.models import Metric, Section

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_NAMES = ["xingning-2024", "zhoucun-2024", "chuxiong-2024", "ruzhou-2023", "diaobingshan-2022"]


def seed_text(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_metrics() -> dict[str, tuple[str, list[Metric]]]:
    return {name: (seed_text(name), extract_metrics(seed_text(name), [])) for name in SEED_NAMES}


def find(metrics: list[Metric], raw: str, quote_part: str) -> Metric:
    hits = [m for m in metrics if m.raw == raw and quote_part in m.quote]
    assert hits, f"no figure {raw!r} in a clause containing {quote_part!r}"
    return hits[0]


# (raw, value, unit, qualifier, a piece of the clause), read off the seeds by hand.
EXPECTED: dict[str, list[tuple[str, float, str, str | None, str]]] = {
    "xingning-2024": [
        ("4", 4, "次", None, "组织专题学法4次"),
        ("132", 132, "部", None, "共计132部法律法规"),
        ("50", 50, "名", None, "组织全市50名领导干部旁听庭审活动"),
        ("16万", 160000, "人次", "超", "参加线上互动的观众超16万人次"),
        ("14138", 14138, "件", None, "热线工单14138件"),
        ("100", 100, "%", None, "按时办结率100%"),
        ("1800", 1800, "万元", None, "金额共计1800万元"),
        ("218", 218, "件", None, "新收行政复议案件218件"),
        ("4515", 4515, "宗", None, "办理行政执法案件4515宗"),
        ("9", 9, "场次", None, "网上考试9场次"),
        ("70", 70, "人", "多", "1支70多人的公益性应急救援协会"),
        ("15", 15, "人", "约", "均建有1支约15人的综合救援队"),
        ("100", 100, "%", "达到", "满意、基本满意率达到100%"),
        ("10", 10, "年", "近", "叠加延续近10年的系列信访积案"),
        ("39", 39, "项", None, "起草12类39项事项"),
        ("0", 0, "", None, "复议后败诉的案件为0"),
    ],
    "zhoucun-2024": [
        ("8", 8, "次", None, "研究法治建设事项8次"),
        ("160", 160, "场次", "余", "学习培训160余场次"),
        ("140", 140, "个", "余", "推动整改问题140余个"),
        ("30", 30, "个", "多", "30多个项目避免材料错误补正提报"),
        ("95", 95, "%", "以上", "项目审批一次性办结率达95%以上"),
        ("7.45", 7.45, "亿元", None, "授信7.45亿元"),
        ("4376.75", 4376.75, "万元", None, "放款4376.75万元"),
        ("4万", 40000, "件", "余", "办件量4万余件"),
        ("1—2", 1, "小时", None, "勘验时间缩短至1—2小时"),
        ("180", 180, "件次", None, "合同等180件次"),
        ("66.64", 66.64, "%", None, "部门联合率66.64%"),
        ("5.9万", 59000, "人", None, "参与人员5.9万人"),
        ("1645", 1645, "次", None, "开展应急演练1645次"),
    ],
    "chuxiong-2024": [
        ("32", 32, "名", None, "组织全市32名党政主要负责人进行会议述法"),
        ("275", 275, "名", None, "275名乡镇、部门领导班子成员"),
        ("238", 238, "项", None, "公布市级行政许可事项238项"),
        ("30", 30, "%", None, "审批事项减少30%"),
        ("4.6万", 46000, "件", None, "办理行政许可事项4.6万件"),
        ("80", 80, "%", "以上", "总体提升了80%以上"),
        ("2.44万", 24400, "件(次)", None, "服务事项2.44万件(次)"),
        ("98.7", 98.7, "%", "达", "合格率达98.7%"),
        ("2000", 2000, "人", "余", "累计受训人数达2000余人"),
        ("27500", 27500, "册", "余", "普法口袋书27500余册"),
        ("1.2万", 12000, "人次", None, "接受警示教育总人数1.2万人次"),
        ("95.43", 95.43, "%", None, "成功率95.43%"),
        ("70.2", 70.2, "%", None, "同比上升70.2%"),
    ],
    "ruzhou-2023": [
        ("4", 4, "年", None, "汝州市连续4年获得法治政府建设优秀等次"),
        ("4", 4, "次", None, "共召开4次法治政府建设工作专题推进会"),
        ("100", 100, "册", "余", "指标体系资料100余册"),
        ("33", 33, "项", None, "33项政务服务事项"),
        ("957768", 957768, "条", None, "评价数量957768条"),
        ("80", 80, "件", "余", "重大决策文件80余件"),
        ("1940", 1940, "人", None, "办理执法证1940人"),
        ("3649", 3649, "条", None, "共采集3649 条数据"),
        ("180", 180, "次", "余", "各类应急演练180余次"),
        ("五", 5, "项", None, "等五项机制落实"),
        ("8", 8, "个", None, "等8个文件"),
    ],
    "diaobingshan-2022": [
        ("三", 3, "个", None, "突出了三个重点"),
        ("9", 9, "次", None, "有关重要论述9次"),
        ("70", 70, "次", "余", "行政诉讼达到70余次"),
        ("20", 20, "项", "余", "发现问题20 余项"),
        ("4.87", 4.87, "亿元", None, "挽损4.87亿元"),
        ("875", 875, "万元", "余", "涉案金额共计875万余元"),
        ("142", 142, "人次", None, "单独约谈矫正对象142人次"),
        ("6", 6, "万元", None, "司法救助金6万元"),
        ("98", 98, "%", "以上", "化解成功率在98%以上"),
        ("536", 536, "件次", None, "视频连线536件次"),
        ("两", 2, "次", None, "两次召开全市法治建设工作会议"),
        ("1237", 1237, "项", None, "认领发布1237项"),
        ("六", 6, "项", None, "重点抓好以下六项工作"),
    ],
}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_figures_match_hand_reading(seed_metrics, name):
    text, metrics = seed_metrics[name]
    for raw, value, unit, qualifier, quote_part in EXPECTED[name]:
        metric = find(metrics, raw, quote_part)
        assert (metric.value, metric.unit, metric.qualifier) == (pytest.approx(value), unit, qualifier), quote_part
        assert text[metric.start:metric.end] == metric.quote


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_quote_is_verbatim_and_holds_its_figure(seed_metrics, name):
    text, metrics = seed_metrics[name]
    assert len(metrics) >= 20
    for metric in metrics:
        assert text[metric.start:metric.end] == metric.quote
        assert metric.raw in metric.quote
        assert not any(ch in metric.quote for ch in "，。；"), metric.quote  # one clause, never a sentence
        assert 0 < len(metric.label) <= 20
        assert not (metric.unit == "年" and metric.value >= 1900), metric.quote


@pytest.mark.parametrize("name", SEED_NAMES)
def test_no_dates_ordinals_or_names_as_figures(seed_metrics, name):
    _, metrics = seed_metrics[name]
    raws = {(m.raw, m.unit) for m in metrics}
    # 2024年 / 12月 / 28日 are dates; “一件事”, 一次办, 三项制度, 八五普法 are names.
    assert not any(unit in {"年度", "月", "日", "届"} for _, unit in raws)
    for metric in metrics:
        assert not metric.raw.startswith("一"), metric.quote  # 一 + measure word is idiom (一次办), never a count
        assert not metric.quote[max(0, metric.quote.find(metric.raw) - 1):].startswith("第")


def test_rejects_years_dates_ordinals_document_numbers_and_named_systems():
    text = (
        "2024年,我市深入学习党的二十届三中全会精神,依照《行政复议法》第二十四条和〔2019〕28号文件,"
        "推进“八五”普法和八五普法规划,落实行政执法三项制度和“四个一”工程,推行“一件事”一次办,"
        "于2025年1月15日召开第二届会议,咨询电话0753-2222222,制定《提升行政执法质量三年行动计划(2023—2025年)》。"
    )
    assert extract_metrics(text, []) == []


def test_units_multipliers_ranges_and_qualifiers():
    text = (
        "接待群众4.6万人次,投入资金2亿元,办结率提高5个百分点,审批时限压缩至3-5天。"
        "参训超过500人,覆盖企业500家以上。评查案卷120件,合格率达95%。受理近3000件,召开会议两次,完成300余件。"
    )
    got = [(m.raw, m.value, m.unit, m.qualifier, m.label) for m in extract_metrics(text, [])]
    assert got == [
        ("4.6万", 46000, "人次", None, "接待群众"),
        ("2", 2, "亿元", None, "投入资金"),
        ("5", 5, "个百分点", None, "办结率提高"),
        ("3-5", 3, "天", None, "审批时限压缩至"),
        ("500", 500, "人", "超过", "参训"),
        ("500", 500, "家", "以上", "覆盖企业"),
        ("120", 120, "件", None, "评查案卷"),
        ("95", 95, "%", "达", "案卷合格率"),  # a bare rate takes what its sentence counts
        ("3000", 3000, "件", "近", "受理"),
        ("两", 2, "次", None, "召开会议"),
        ("300", 300, "件", "余", "完成"),
    ]


def test_label_is_the_counted_noun():
    text = "办理行政复议案件218件,共计132部法律法规,组织专题学法4次,建有1支50人的专业应急综合救援队。"
    labels = {m.raw: m.label for m in extract_metrics(text, [])}
    assert labels["218"] == "行政复议案件"
    assert labels["132"] == "法律法规"
    assert labels["4"] == "组织专题学法"
    assert labels["50"] == "专业应急综合救援队"


def test_part_comes_from_the_innermost_section_or_its_parent():
    text = "一、主要举措和成效\n(一)行政复议\n办理行政复议案件218件。\n二、存在的不足\n仍有3个问题。\n"
    part_one = Section(id="1", heading="一、主要举措和成效", number="一、", style="chinese", level=1, part="measures",
                       start=0, heading_end=9, end=text.index("二、"))
    sub = Section(id="1.1", heading="(一)行政复议", number="(一)", style="paren", level=2, parent="1", part=None,
                  start=text.index("(一)"), heading_end=text.index("(一)") + 7, end=text.index("二、"))
    part_two = Section(id="2", heading="二、存在的不足", number="二、", style="chinese", level=1, part="problems",
                       start=text.index("二、"), heading_end=text.index("二、") + 7, end=len(text))
    metrics = extract_metrics(text, [part_one, sub, part_two])
    by_raw = {m.raw: m for m in metrics}
    assert (by_raw["218"].part, by_raw["218"].area) == ("measures", "disputes")
    assert by_raw["3"].part == "problems"


def test_multiplier_after_the_approximation_and_bare_counts():
    text = "挽回损失10余万元,惠及60岁以上老人300余人,发放4万余份,败诉案件为0。"
    got = [(m.raw, m.value, m.unit, m.qualifier) for m in extract_metrics(text, [])]
    assert got == [
        ("10", 10, "万元", "余"), ("60", 60, "岁", "以上"), ("300", 300, "人", "余"), ("4万", 40000, "份", "余"),
        ("0", 0, "", None),
    ]


HELDOUT = Path(__file__).resolve().parent / "heldout"
ALL_TEXTS = [SEEDS / f"{name}.txt" for name in SEED_NAMES] + sorted(HELDOUT.glob("*.txt"))


def written_at(quote: str, raw: str) -> list[str]:
    """What follows each occurrence of `raw` in `quote`, white space removed."""
    found, at = [], quote.find(raw)
    while at >= 0:
        found.append("".join(quote[at:].split()))
        at = quote.find(raw, at + 1)
    return found


@pytest.mark.parametrize("path", ALL_TEXTS, ids=lambda p: p.stem)
def test_raw_and_unit_read_as_written(path):
    """raw + unit is the figure as written, an inner 余/多 aside: '1800'+'万元', '4.6万'+'人次', '875'+'万元' (875万余元)."""
    text = path.read_text(encoding="utf-8")
    for metric in extract_metrics(text, []):
        raw = "".join(metric.raw.split())
        readings = []
        for tail in written_at(metric.quote, metric.raw):
            readings.append(tail)
            if metric.qualifier in ("余", "多") and metric.qualifier not in raw:
                head = tail[:len(raw) + len(metric.unit) + 1]
                readings.append(head.replace(metric.qualifier, "", 1) + tail[len(head):])
        assert any(r.startswith(raw + metric.unit) for r in readings), (metric.raw, metric.unit, metric.quote)


@pytest.mark.parametrize("path", ALL_TEXTS, ids=lambda p: p.stem)
def test_labels_are_whole_phrases(path):
    text = path.read_text(encoding="utf-8")
    for metric in extract_metrics(text, []):
        label = metric.label
        assert 2 <= len(label) <= 20, (label, metric.quote)
        assert label.count("“") == label.count("”"), (label, metric.quote)
        assert label[0] not in "的、，”)）》" and label[-1] not in "的和、，“(（《", (label, metric.quote)
        assert "《" not in label and "》" not in label, (label, metric.quote)


def test_money_keeps_its_multiplier_in_the_unit_and_other_units_in_the_raw():
    text = "投入资金1800万元,挽损4.87亿元,涉案金额875万余元,惠及群众10余万人,接待群众4.6万人次,奖励资金10余万元。"
    got = [(m.raw, m.value, m.unit, m.qualifier) for m in extract_metrics(text, [])]
    assert got == [
        ("1800", 1800, "万元", None), ("4.87", 4.87, "亿元", None), ("875", 875, "万元", "余"),
        ("10余万", 100000, "人", "余"), ("4.6万", 46000, "人次", None), ("10", 10, "万元", "余"),
    ]


def test_measure_words_beyond_the_common_ones():
    text = (
        "明确10大类37项重点工作,开展3轮督查,举办法治讲座5堂,建成法治公园2座,配备执法车辆12辆,"
        "办结时限压缩至3个工作日,开设法治课程2门,发放宣传品800套,新增造林2万亩,培训120批次。"
    )
    got = [(m.raw, m.value, m.unit) for m in extract_metrics(text, [])]
    assert got == [
        ("10", 10, "大类"), ("37", 37, "项"), ("3", 3, "轮"), ("5", 5, "堂"), ("2", 2, "座"), ("12", 12, "辆"),
        ("3", 3, "个工作日"), ("2", 2, "门"), ("800", 800, "套"), ("2万", 20000, "亩"), ("120", 120, "批次"),
    ]
    labels = {m.unit: m.label for m in extract_metrics(text, [])}
    assert labels["大类"] == "重点工作"  # 10大类37项重点工作: the noun after the chained figure


def test_numbers_in_short_quoted_slogans_are_not_figures():
    text = (
        "打造线上线下融合“30分钟公共法律服务圈”,推行“15分钟便民服务圈”,提供法律咨询7000余人次,"
        "推广“全市共建成法治文化阵地320个的经验做法”。"
    )
    got = [(m.raw, m.unit) for m in extract_metrics(text, [])]
    assert got == [("7000", "人次"), ("320", "个")]  # a long quotation is reported speech, its figure counts


@pytest.mark.parametrize(
    ("text", "raw", "label"),
    [
        # a generic counted noun keeps the predicate that says which ones
        ("组织4家单位参加专利转化对接活动。", "4", "单位参加专利转化对接活动"),
        # never start inside a word when the clause is long: cut after a phrase boundary (通过)
        ("今年以来全市各镇(街道)和行政执法单位通过“粤执法”办理行政执法案件4515宗。", "4515", "“粤执法”办理行政执法案件"),
        # a figure counting the noun after a second figure
        ("起草12类39项事项的《优化营商环境实施方案》。", "12", "起草事项"),
        ("起草12类39项事项的《优化营商环境实施方案》。", "39", "起草事项"),
        ("我市建有1支50人的专业应急综合救援队。", "1", "专业应急综合救援队"),
        ("我市建有1支50人的专业应急综合救援队。", "50", "专业应急综合救援队"),
        # the verb phrase after the figure when nothing before it names anything
        ("组织463人参加行政执法培训考试。", "463", "参加行政执法培训考试"),
        ("汝州市连续4年获得法治政府建设优秀等次。", "4", "连续获得法治政府建设优秀等次"),
        # 共335人: the figure before in the same clause names it
        ("组建应急救援队16支共335人。", "335", "组建应急救援队"),
        # after the last 《…》 title, after 共
        ("印制发放《民法典与“小明”的故事》《法律政策读本》等普法口袋书27500余册。", "27500", "普法口袋书"),
        # 15 counts the 乡镇 that engage advisers, 97 the advisers; the verb stays (聘请, 受理, 审结 count differently)
        ("全市41家党政部门及15个乡镇共聘请法律顾问97名。", "15", "聘请法律顾问的乡镇"),
        ("全市41家党政部门及15个乡镇共聘请法律顾问97名。", "97", "聘请法律顾问"),
        # quotation marks stay paired; what the 一把手 did is what is counted
        ("15个部门单位“一把手”向委员会述法。", "15", "部门单位“一把手”向委员会述法"),
        # 共享 is a word, not 共 + 享; a short list before the figure stays whole (all three rates are 100%)
        ("数据汇聚率、共享率和开放率均达到100%。", "100", "数据汇聚率、共享率和开放率"),
    ],
)
def test_labels_name_what_is_counted(text, raw, label):
    got = {m.raw: m.label for m in extract_metrics(text, [])}
    assert got[raw] == label


# Issue 8's examples, read against the seeds: the label names the counted thing with its subject and verb.
@pytest.mark.parametrize(("name", "raw", "quote_part", "must", "ends_with"), [
    # 70余次 counts the 法律顾问's part in 涉法事项 (重大决策、合同审查、…、行政诉讼), not 行政诉讼
    ("diaobingshan-2022", "70", "行政诉讼达到70余次", ("法律顾问", "涉法事项"), None),
    # 59 counts villages, 100余人次 the consultations their advisers took
    ("diaobingshan-2022", "59", "59个村(社区)法律顾问受理法律咨询", ("法律顾问受理法律咨询",), "村(社区)"),
    ("diaobingshan-2022", "100", "受理法律咨询100余人次", ("村(社区)法律顾问受理法律咨询",), None),
    # 23 counts departments, 71 the inspection plans they made
    ("chuxiong-2024", "23", "市级23个部门使用省协同监管平台", ("省协同监管平台",), "部门"),
    ("chuxiong-2024", "71", "制定抽查计划71个", ("制定抽查计划",), "抽查计划"),
    # 8次 counts 区委常委会 and 区政府常务会 together
    ("zhoucun-2024", "8", "区委常委会、区政府常务会研究法治建设事项8次", ("区委常委会", "区政府常务会", "研究法治建设事项"), None),
    # bare words take what their sentence counts
    ("xingning-2024", "1800", "金额共计1800万元", ("商标和专利质押登记", "金额"), None),
    ("chuxiong-2024", "70.2", "同比上升70.2%", ("行政复议案件", "同比上升"), None),
    ("chuxiong-2024", "95.43", "成功率95.43%", ("调解", "成功率"), None),
    ("zhoucun-2024", "5.9万", "参与人员5.9万人", ("应急演练", "参与人员"), None),
    ("zhoucun-2024", "136", "审结136件", ("审结", "行政复议"), None),
    ("xingning-2024", "89", "受理89件", ("受理", "行政复议案件"), None),
    ("diaobingshan-2022", "100", "出庭率达到100%", ("行政机关负责人", "出庭率"), None),
    ("diaobingshan-2022", "1237", "认领发布1237项", ("认领发布", "政务服务事项"), None),
    ("xingning-2024", "56", "56项事项", ("三重一大", "事项"), None),
    # a rate names what it is a rate of
    ("xingning-2024", "100", "按时办结率100%", ("12345热线工单", "按时办结率"), None),
    # sibling figures share the head their list started with, and its verb
    ("diaobingshan-2022", "6", "省级6个", ("民主法治示范村", "省级"), None),
    ("xingning-2024", "1", "部门规范性文件1件", ("审查", "部门规范性文件"), None),
])
def test_issue_examples_say_what_they_count(seed_metrics, name, raw, quote_part, must, ends_with):
    _, metrics = seed_metrics[name]
    label = find(metrics, raw, quote_part).label
    assert all(word in label for word in must), label
    assert ends_with is None or label.endswith(ends_with), label


def test_ranges_keep_both_ends(seed_metrics):
    _, metrics = seed_metrics["zhoucun-2024"]
    hours = find(metrics, "1—2", "勘验时间缩短至1—2小时")
    assert (hours.value, hours.value_max, hours.unit) == (1, 2, "小时")
    got = [(m.raw, m.value, m.value_max) for m in extract_metrics("时限压缩至3-5天,覆盖1.5万~2万人,培训5人。", [])]
    assert got[0] == ("3-5", 3, 5) and got[-1] == ("5", 5, None)


def test_shared_multipliers_scale_every_figure_but_not_units():
    got = [(m.raw, m.value, m.unit) for m in extract_metrics("惠及群众3千人,修建步道5千米,投入资金2千万元。", [])]
    assert got == [("3千", 3000, "人"), ("5", 5, "千米"), ("2", 2, "千万元")]



def test_break_offsets_by_character_at_the_edges_and_side_by_side():
    text = "，共2件，，审结。\n"
    assert _offsets(text, "，。\n;") == {"，": [0, 4, 5], "。": [8], "\n": [9]}  # ';' is absent: left out
