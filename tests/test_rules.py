"""The rules backend's items: leadership told only in bodies, numbering stripped from titles, and recall of
problems and plans on a full synthetic report, every quote checked against the text."""

from __future__ import annotations

from drafter.extract.rules import extract_items
from drafter.models import Item
from drafter.structure import parse_sections


def items_of(text: str) -> dict[str, list[Item]]:
    items = extract_items(text, parse_sections(text))
    for part_items in items.values():
        for item in part_items:
            assert text[item.start:item.end] == item.quote
    return items


def test_leadership_items_come_from_body_sentences_when_no_section_carries_it() -> None:
    text = (
        "一、依法全面履行政府职能。一是切实履行法治政府建设职责。省政府主要负责人及时研究解决法治建设重大问题，"
        "定期听取汇报。政府常务会议定期学法。二是深化放管服改革。市委、市政府主要负责同志带头述法。\n"
        "二、下一步工作安排\n严格落实第一责任人制度，主要负责人要带头述法。"
    )
    items = items_of(text)
    leadership = items["leadership"]
    assert [(i.quote, i.title, i.section, i.part, i.area) for i in leadership] == [
        ("省政府主要负责人及时研究解决法治建设重大问题，定期听取汇报。", "省政府主要负责人及时研究解决法治建设重大问题",
         "1.1", "leadership", "leadership"),
        ("市委、市政府主要负责同志带头述法。", "市委、市政府主要负责同志带头述法", "1.2", "leadership", "leadership"),
    ]
    assert leadership[0].start == text.index("省政府主要负责人")
    # The run-in units stay measures; the plans sentence is an intention (two promises), not a leadership item.
    assert [i.title for i in items["measures"]] == ["切实履行法治政府建设职责", "深化放管服改革"]
    assert [i.quote for i in items["plans"]] == ["严格落实第一责任人制度", "主要负责人要带头述法。"]


def test_long_body_sentence_gets_a_short_title() -> None:
    text = "一、工作情况\n县委、县政府始终把学法治思想作为重要检验，党政主要领导对法治建设重要工作亲自部署。\n"
    [item] = items_of(text)["leadership"]
    assert item.quote == "县委、县政府始终把学法治思想作为重要检验，党政主要领导对法治建设重要工作亲自部署。"
    assert item.title == "县委、县政府始终把学法治思想作为重要检验"
    text = "一、工作情况\n全县各级党政主要负责人履行推进法治建设第一责任人职责情况全部纳入年度考核评价体系统一安排。\n"
    [item] = items_of(text)["leadership"]
    assert len(item.title) == 30 and item.title.endswith("…")


def test_leadership_sections_keep_their_own_items() -> None:
    text = (
        "一、主要举措和成效\n（一）规范执法\n开展评查。市政府主要负责人听取执法工作汇报。\n"
        "二、党政主要负责人履行推进法治建设第一责任人职责情况\n市长带头学法，主持常务会议学法4次。\n"
    )
    leadership = items_of(text)["leadership"]
    # A leadership part exists: its body is an item, and the measures sentence reporting the leaders' duty is one
    # too (issue 8: 第一责任人 statements anywhere in a report are leadership items).
    assert [(i.quote, i.section, i.title) for i in leadership] == [
        ("市政府主要负责人听取执法工作汇报。", "1.1", "市政府主要负责人听取执法工作汇报"),
        ("市长带头学法，主持常务会议学法4次。", "2", "市长带头学法")]


def test_chinese_dot_numbering_is_stripped_from_titles() -> None:
    # 一． under 三、 is a list of its own one level down (not a repeat of 一、): its units hold the plans items,
    # which leave the numbering out of quote and title; "提升能力" is too short to be a promise of its own.
    text = "一、主要工作\n开展评查。\n二、存在的问题\n力量不足。\n三、下一步工作打算\n一．加强执法培训，提升能力。\n二.完善制度体系。"
    plans = items_of(text)["plans"]
    assert [(i.quote, i.title, i.section) for i in plans] == [
        ("加强执法培训，提升能力。", "加强执法培训", "3.1"),
        ("完善制度体系。", "完善制度体系", "3.2"),
    ]


def test_headingless_report_gives_measure_items_from_work_sentences() -> None:
    text = (
        "2022年，司法部扎实推进法治政府建设。\n"
        "部党组召开6次会议学习贯彻党的二十大精神。举办专题培训班。制定学习宣传实施方案，印发通知。"
    )
    items = items_of(text)
    assert [i.quote for i in items["measures"]] == [
        "部党组召开6次会议学习贯彻党的二十大精神。", "举办专题培训班。", "制定学习宣传实施方案，印发通知。"]
    assert all(i.section is None and i.part == "measures" for i in items["measures"])
    assert items["problems"] == [] and items["plans"] == []


FULL = (
    "XX县人民政府关于2024年度法治政府建设情况的报告\n"
    "2024年，县政府坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下：\n"
    "一、2024年法治政府建设工作情况\n"
    "（一）主要举措和成效\n"
    "1.依法全面履行政府职能。深化“放管服”改革，政务服务事项全程网办率达98%。\n"
    "2.严格规范公正文明执法。开展行政执法案卷评查2次，评查案卷120卷。\n"
    "（二）存在的困难\n"
    "一是行政执法人员力量不足，部分乡镇执法人员不足3人。二是规范性文件备案审查质量有待提高。"
    "三是运用法治思维和法治方式解决问题的能力仍需提升。\n"
    "二、存在的问题和不足\n"
    "我县法治政府建设虽然取得了一定成绩，但仍存在一些不足：一是法治宣传的针对性不强，群众参与度不高；"
    "二是行政复议应诉能力有待加强；三是数字法治政府建设相对滞后。\n"
    "三、党政主要负责人履行推进法治建设第一责任人职责情况\n"
    "县政府主要负责人带头学法，主持召开常务会议研究法治工作4次。\n"
    "四、2025年工作思路\n"
    "1.持续深化学习宣传习近平法治思想。\n"
    "2.推进严格规范公正文明执法，开展执法质量提升行动。\n"
    "3.加快数字法治政府建设。\n"
    "五、下一年度推进法治政府建设的主要安排\n"
    "（一）健全依法决策机制。\n"
    "（二）强化行政权力制约监督。\n"
    "XX县人民政府\n"
    "2025年1月20日"
)


def test_full_report_problems_and_plans_recall() -> None:
    items = items_of(FULL)
    assert [(i.title, i.section) for i in items["problems"]] == [
        ("行政执法人员力量不足", "1.2.1"),
        ("规范性文件备案审查质量有待提高", "1.2.2"),
        ("运用法治思维和法治方式解决问题的能力仍需提升", "1.2.3"),
        ("法治宣传的针对性不强", "2.1"),
        ("行政复议应诉能力有待加强", "2.2"),
        ("数字法治政府建设相对滞后", "2.3"),
    ]
    assert items["problems"][3].quote == "一是法治宣传的针对性不强，群众参与度不高；"
    # One item per promise (issue 8): the two actions of 2. are two plans.
    assert [(i.title, i.section) for i in items["plans"]] == [
        ("持续深化学习宣传习近平法治思想", "4.1"),
        ("推进严格规范公正文明执法", "4.2"),
        ("开展执法质量提升行动", "4.2"),
        ("加快数字法治政府建设", "4.3"),
        ("健全依法决策机制", "5.1"),
        ("强化行政权力制约监督", "5.2"),
    ]
    assert [i.title for i in items["measures"]] == ["依法全面履行政府职能", "严格规范公正文明执法"]
    assert [i.quote for i in items["leadership"]] == ["县政府主要负责人带头学法，主持召开常务会议研究法治工作4次。"]


def test_flat_problems_and_plans_paragraphs_become_sentence_items() -> None:
    text = (
        "一、主要工作\n（一）规范执法\n开展评查。\n"
        "二、存在的不足\n虽然取得了一定成效，但仍存在以下不足：执法人员专业素质不高。基层法治力量薄弱。\n"
        "三、下一步工作打算\n我们将重点做好以下工作。深入推进综合行政执法改革。加强法治督察。\n"
    )
    items = items_of(text)
    assert [i.quote for i in items["problems"]] == ["执法人员专业素质不高。", "基层法治力量薄弱。"]
    assert [i.quote for i in items["plans"]] == ["深入推进综合行政执法改革。", "加强法治督察。"]


def test_unnumbered_wechat_layout_gives_problems_and_plans_items() -> None:
    # Headings are stand-alone short lines (one over two lines, one right above its first numbered unit); the
    # numbered units nest under them.
    text = (
        "2023年，我局坚持以习近平法治思想为指导，深入推进依法行政，法治政府建设各项工作取得新的进展和成效，现将有关情况报告如下。\n"
        "全面贯彻落实党的二十大精神\n统筹推进法治政府建设高质量发展\n"
        "局党组召开专题会议6次研究部署法治政府建设工作，制定年度工作要点，明确任务分工和完成时限，推动各项工作落到实处，取得明显成效。\n"
        "存在的问题和不足\n"
        "一是执法人员专业能力与新形势新任务的要求还有差距。二是行政规范性文件合法性审核机制还不够健全，审核力量较为薄弱，审核质量有待提高。\n"
        "下一步工作打算\n"
        "（一）加强执法队伍建设\n分层分类开展执法人员业务培训，全面提升执法人员的专业素质和依法行政能力，确保严格规范公正文明执法。\n"
        "（二）完善合法性审核机制\n充实审核力量，严格落实规范性文件合法性审核和备案审查制度，从源头上防止违法文件出台。\n"
    )
    items = items_of(text)
    assert [(i.title, i.section) for i in items["problems"]] == [
        ("执法人员专业能力与新形势新任务的要求还有差距", "2.1"), ("行政规范性文件合法性审核机制还不够健全", "2.2")]
    # Each unit's heading is a promise, and so is each action of its body; the purpose "确保…" stays with its action.
    assert [(i.quote, i.section) for i in items["plans"]] == [
        ("加强执法队伍建设", "3.1"), ("分层分类开展执法人员业务培训", "3.1"),
        ("全面提升执法人员的专业素质和依法行政能力，确保严格规范公正文明执法。", "3.1"),
        ("完善合法性审核机制", "3.2"), ("充实审核力量", "3.2"), ("严格落实规范性文件合法性审核和备案审查制度", "3.2"),
        ("从源头上防止违法文件出台。", "3.2")]
    assert [i.section for i in items["measures"]] == ["1"]
