"""The rules backend's items: leadership told only in bodies, numbering stripped from titles, and recall of
problems and plans on a full synthetic report, every quote checked against the text."""

from __future__ import annotations

import re
from pathlib import Path

import drafter
from drafter.extract.rules import extract_items
from drafter.ingest import read_document
from drafter.models import Item
from drafter.structure import leadership_sentences, parse_sections
from drafter.summary import to_markdown


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


# Issue 8: items at the depth a staffer reads them, checked by hand against the seeds.

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_items(name: str) -> tuple[str, dict[str, list[Item]]]:
    text = read_document(SEEDS / name).text
    items = items_of(text)
    for part_items in items.values():
        for item in part_items:
            for span in [*item.clauses, *([item.cause] if item.cause else [])]:
                assert text[span.start:span.end] == span.quote
    return text, items


def test_problem_item_is_the_whole_paragraph_with_its_clauses() -> None:
    _, items = seed_items("xingning-2024.txt")
    first = items["problems"][0]
    assert first.quote.startswith("(一)文件及决策管理还需进一步加强 对规范性文件管理制度")
    assert first.quote.endswith("导致提交的材料缺少相关内容。")
    assert [c.quote for c in first.clauses] == [
        "对规范性文件管理制度的思想认识还不到位,缺乏主动制定完善特别是镇(街道)规范性文件管理制度的意识",
        ("部分单位对合法性审查工作的重要性、必要性认识不足,对合法性审查工作的投入不够,未配备工作责任心强、"
         "业务水平过硬的人员专门负责此项工作"),
        "部分单位聘请的法律顾问责任心不强,出具的合法性审查意见模板化、简单化",
        "部分单位审核人员存在工作疏忽,不够严谨,与送审单位缺乏有效沟通,导致提交的材料缺少相关内容",
    ]
    assert first.cause is None  # 兴宁 states no 原因
    _, zhoucun = seed_items("zhoucun-2024.txt")
    assert zhoucun["problems"][0].clauses[-1].quote == "法治政府建设不均衡,统筹协调推进机制有待进一步完善,数字化技术赋能法治政府建设还需加强"
    assert zhoucun["problems"][0].area == "leadership"  # 学习贯彻…领导干部…, not 数字法治政府
    # 楚雄 has no problems part and gets none.
    assert seed_items("chuxiong-2024.txt")[1]["problems"] == []


def test_problem_cause_and_flat_paragraphs() -> None:
    text = (
        "一、主要工作\n（一）规范执法\n开展评查。\n"
        "二、存在的不足和原因\n"
        "虽然取得了一定成效，但仍存在以下不足：\n"
        "一些执法人员程序意识不强，重实体轻程序；究其原因，主要是培训覆盖面不够。\n"
        "基层法治力量薄弱，司法所人员不足。\n"
        "三、下一步工作打算\n加强法治督察。\n"
    )
    problems = items_of(text)["problems"]
    assert [p.quote for p in problems] == [
        "一些执法人员程序意识不强，重实体轻程序；究其原因，主要是培训覆盖面不够。", "基层法治力量薄弱，司法所人员不足。"]
    assert [c.quote for c in problems[0].clauses] == ["一些执法人员程序意识不强，重实体轻程序", "究其原因，主要是培训覆盖面不够"]
    assert problems[0].cause is not None and problems[0].cause.quote == "究其原因，主要是培训覆盖面不够"
    assert problems[1].cause is None


def test_each_promise_of_the_plans_is_its_own_item_and_none_is_lost() -> None:
    text, items = seed_items("zhoucun-2024.txt")
    quotes = [i.quote for i in items["plans"]]
    for promise in ("高标准迎接“八五”普法验收。", "实施法治文化建设“四个一”工程", "落实企业免检免扰制度"):
        assert promise in quotes
    # A purpose goes with the action it serves; a continuation with the clause it continues.
    assert "加大知识产权保护力度,营造法治化营商环境。" in quotes
    assert ("把习近平法治思想作为各级党委(党组)理论学习中心组学习的重要内容,作为各级领导干部教育培训的重点课程"
            in quotes)
    assert next(i for i in items["plans"] if i.quote.startswith("创新履职评议形式")).area == "publicity"
    # Summaries end without a mark: the draft puts its own after the citation.
    assert not [i.summary for i in items["plans"] if i.summary.endswith(("。", ";", "；", ","))]
    # Every clause of the plans part lies in some plans item (its last character does: numbering is left out).
    part = next(s for s in parse_sections(text) if s.part == "plans" and s.parent is None)
    for clause in re.finditer(r"[^,，;；。\s]+", text[part.heading_end:part.end]):
        at = part.heading_end + clause.end() - 1
        assert any(i.start <= at < i.end for i in items["plans"]), clause.group()
    _, diaobingshan = seed_items("diaobingshan-2022.txt")
    assert "圆满完成全市“八五”普法中期验收任务。" in [i.quote for i in diaobingshan["plans"]]
    # A framing clause goes with the clause it frames.
    assert "在普法内容上,要突出对习近平法治思想、民法典和宪法的宣传教育;" in [i.quote for i in diaobingshan["plans"]]


def test_a_closing_sentence_gives_plan_items() -> None:
    _, items = seed_items("chuxiong-2024.txt")
    assert [(i.quote, i.title, i.section) for i in items["plans"]] == [
        ("下步,楚雄市将突出目标导向、问题导向", "突出目标导向、问题导向", None),
        ("拧紧责任螺丝、扣紧责任链条", "拧紧责任螺丝、扣紧责任链条", None),
        ("高质量完成法治政府建设各项任务", "高质量完成法治政府建设各项任务", None),
        ("不断提升法治政府建设的整体质效。", "不断提升法治政府建设的整体质效", None),
    ]
    # A one-line copy: the closing is still inside the last section, and is a plan, not part of its last measure.
    text = read_document(SEEDS / "chuxiong-2024.txt").text.replace("\n", " ")
    one_line = items_of(text)
    assert [i.quote for i in one_line["plans"]] == [i.quote for i in items["plans"]]
    assert one_line["measures"][-1].quote.endswith("普法宣传质效得到提升。")


def test_lead_sentences_split_measures_with_action_titles_and_result_summaries() -> None:
    _, items = seed_items("ruzhou-2023.txt")
    measures = {i.title: i for i in items["measures"]}
    for lead in ("推进“放管服”改革", "全面推行“好差评”制度", "落实行政执法“三项制度”", "有序推进行政裁决工作",
                 "加强和规范行政应诉工作", "深入推进“互联网+”监管执法"):
        assert lead in measures
    assert measures["全面推行“好差评”制度"].quote.endswith("实名差评回访整改率100%。")
    assert measures["全面推行“好差评”制度"].summary == "2023年评价数量957768条"
    # No title is a date or a frame; the figures sentence stays with the measure it reports on.
    assert not [t for t in measures if t.startswith(("2023年", "按照"))]
    assert "梳理市政府重大行政决策目录" in measures
    counsel = measures["落实《汝州市政府法律顾问工作暂行规定》"]
    assert counsel.quote.endswith("有效提高了政府决策质量和效率。")
    assert counsel.summary == "政府办法制机构共参与审核各项重大决策文件80余件"
    # A lead in the leaders' unit that does not name them is a measure.
    assert measures["持续完善“1211”法治政府建设推进机制"].part == "measures"
    assert len(items["measures"]) == 28  # counted by hand: 1 headline, 1 in 一, 6 in 二, 4 each in 三四六七, 2 each in 八九


def test_run_in_title_is_the_action_and_summary_the_result() -> None:
    _, items = seed_items("xingning-2024.txt")
    plan = next(i for i in items["measures"] if i.section == "2.4.1")
    assert plan.title == "组织编制了《兴宁市突发事件总体应急预案》等10个专项应急预案"
    assert plan.summary.startswith("我市共组织编制了")  # the result, not "同时下发了…流程图"
    drills = next(i for i in items["measures"] if i.section == "2.4.2")
    assert drills.title.startswith("组织了7场次应急演练")


def test_headline_result_is_an_item_and_a_run_in_ends_with_its_paragraph() -> None:
    _, items = seed_items("diaobingshan-2022.txt")
    quotes = [i.quote for i in items["measures"]]
    assert "2022年5月,调兵山市获评全省首批“法治政府建设示范市(县、区)”荣誉称号" in quotes
    headline = next(i for i in items["measures"] if "获评" in i.quote)
    assert headline.title == "调兵山市获评全省首批“法治政府建设示范市(县、区)”荣誉称号"
    assert headline.area == "leadership"
    last_run_in = next(i for i in items["measures"] if i.section == "1.5.3")
    assert last_run_in.quote.endswith("的升级转变。")
    _, ruzhou = seed_items("ruzhou-2023.txt")
    assert ruzhou["measures"][0].quote == "汝州市连续4年获得法治政府建设优秀等次,连续4年入选全国县域经济百强县"


def test_duty_statements_outside_the_leadership_section_are_leadership_items() -> None:
    _, items = seed_items("chuxiong-2024.txt")
    assert [(i.section, i.quote[:20]) for i in items["leadership"]] == [
        ("1.1", "市委、市政府高度重视法治政府建设,党政主"), ("1.2", "(二)述法引领压实责任。建立健全党政主要")]
    _, ruzhou = seed_items("ruzhou-2023.txt")
    [duty] = ruzhou["leadership"]
    assert duty.quote.startswith("落实第一责任人责任。") and duty.quote.endswith("举行全市党政主要责任人向市委全面依法治市委员会述法活动。")


def test_rectification_of_last_years_problems_is_measures() -> None:
    text = (
        "一、主要举措和成效\n开展执法评查。\n"
        "二、上年度存在问题整改落实\n针对执法力量不足的问题，新增执法人员20名。\n"
        "三、存在的问题\n基层法治力量薄弱。\n"
    )
    items = items_of(text)
    assert [i.quote for i in items["problems"]] == ["基层法治力量薄弱。"]
    assert "针对执法力量不足的问题，新增执法人员20名。" in [i.quote for i in items["measures"]]


def test_markdown_lists_a_problems_clauses() -> None:
    summary = drafter.summarize(read_document(SEEDS / "zhoucun-2024.txt"))
    markdown = to_markdown(summary)
    clause = summary.problems[0].clauses[1]
    assert f"  - {clause.quote} 〔{clause.start}–{clause.end}〕" in markdown


def test_a_problems_subsection_heads_its_paragraphs() -> None:
    # "（二）存在的困难" opens the problems part inside a measures section: its paragraphs are the problems, the
    # heading is none of them.
    text = (
        "一、2024年工作情况\n（一）主要举措\n开展执法评查，评查案卷120卷。\n"
        "（二）存在的困难\n基层执法力量不足，部分乡镇执法人员不足3人。\n规范性文件审查质量有待提高。\n"
        "二、下一步打算\n加强执法培训。\n"
    )
    problems = items_of(text)["problems"]
    assert [(p.quote, p.section, [c.quote for c in p.clauses]) for p in problems] == [
        ("基层执法力量不足，部分乡镇执法人员不足3人。", "1.2", ["基层执法力量不足，部分乡镇执法人员不足3人"]),
        ("规范性文件审查质量有待提高。", "1.2", ["规范性文件审查质量有待提高"]),
    ]


def test_a_duty_statement_in_the_preamble_is_a_leadership_item_but_the_title_is_not() -> None:
    text = (
        "XX县人民政府关于2024年度法治政府建设暨党政主要负责人履行推进法治建设第一责任人职责情况的报告\n"
        "2024年，县委、县政府主要负责同志认真履行推进法治建设第一责任人职责，亲自部署重要工作。"
        "现将党政主要负责人履行推进法治建设第一责任人职责情况报告如下：\n"
        "一、主要举措和成效\n开展执法评查。\n"
        "二、下一步工作打算\n落实党政主要负责人履行推进法治建设第一责任人职责。\n"
    )
    sections = parse_sections(text)
    assert [(i.quote, i.section) for i in items_of(text)["leadership"]] == [
        ("2024年，县委、县政府主要负责同志认真履行推进法治建设第一责任人职责，亲自部署重要工作。", None)]
    # The preamble's statement alone does not make the leadership part present.
    assert leadership_sentences(text, sections) == []


def test_a_cause_unit_is_the_cause_of_the_problems_before_it() -> None:
    text = (
        "一、主要举措和成效\n开展执法评查。\n"
        "二、存在的问题和原因\n"
        "（一）执法不够规范。部分执法人员重实体轻程序。\n"
        "（二）普法实效不强。普法形式单一。\n"
        "（三）原因分析。主要是执法培训覆盖面不够，普法投入不足。\n"
        "三、下一步工作打算\n加强执法培训。\n"
    )
    problems = items_of(text)["problems"]
    assert [p.title for p in problems] == ["执法不够规范", "普法实效不强"]
    assert {p.cause.quote for p in problems if p.cause} == {"（三）原因分析。主要是执法培训覆盖面不够，普法投入不足。"}
    assert all(p.cause is not None for p in problems)


def test_a_plans_unit_with_run_ins_keeps_its_own_heading_promise() -> None:
    text = (
        "一、主要工作\n开展执法评查。\n二、存在的问题\n力量不足。\n三、2025年工作打算\n"
        "（一）坚持党的领导。深入学习贯彻习近平法治思想，把法治政府建设纳入年度工作计划，与经济社会发展同部署、同考核。\n"
        "（二）深化行政执法改革。一是推进综合执法，力争年底前完成乡镇赋权事项评估；二是严格落实行政执法“三项制度”，"
        "确保执法公开透明。\n"
    )
    assert [(i.quote, i.section) for i in items_of(text)["plans"]] == [
        ("坚持党的领导。", "3.1"), ("深入学习贯彻习近平法治思想", "3.1"),
        ("把法治政府建设纳入年度工作计划，与经济社会发展同部署、同考核。", "3.1"),
        ("深化行政执法改革。", "3.2"),
        ("推进综合执法", "3.2.1"), ("力争年底前完成乡镇赋权事项评估；", "3.2.1"),
        ("严格落实行政执法“三项制度”，确保执法公开透明。", "3.2.2"),
    ]


def test_unnumbered_strips_what_the_numbering_pattern_strips() -> None:
    from drafter.extract.rules import _LEADING_NUMBER, _unnumbered

    for text in ["（一）加强", "(3)推进", " 一是推进", "\u3000（二）完善", "１２．完成", "1.法治", "十、", "推进", "", "是否"]:
        assert _unnumbered(text) == _LEADING_NUMBER.sub("", text)
    assert _unnumbered("\u3000（二）完善") == "完善" and _unnumbered("１２．完成") == "完成"


def test_a_clause_runs_over_quotes_and_brackets() -> None:
    from drafter.extract.rules import _CLAUSE_RUN

    text = "深入开展“法律进乡村，法治进万家”活动，落实《条例（试行，修订）》要求；推进(一网，通办)改革，“未闭合，继续。"
    assert [m.group() for m in _CLAUSE_RUN.finditer(text)] == [
        "深入开展“法律进乡村，法治进万家”活动", "落实《条例（试行，修订）》要求", "推进(一网，通办)改革", "“未闭合", "继续"
    ]


def test_every_kind_of_result_is_found_past_the_first_character_guard() -> None:
    from drafter.extract.rules import _RESULT

    results = ["5", "８", "达到", "全覆盖", "获评", "荣获", "授予", "入选", "实现了", "提升了", "提高了", "下降了",
               "增强了", "形成了", "建成了", "完成了", "推动了", "率达", "显著", "明显"]
    for word in results:
        match = _RESULT.search(f"持续开展工作，{word}。")
        assert match is not None and match.group() == word[:1 if word.isdecimal() else None]
    assert _RESULT.search("持续开展工作，推进实施提升") is None
