"""Heading trees and part compliance, checked by hand against the five seeds and against synthetic edge cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafter.ingest import read_document
from drafter.models import Section
from drafter.structure import (
    assess_compliance,
    leadership_sentences,
    parse_sections,
    signoff_start,
    work_done_sentences,
)
from drafter.structure.headings import _SPACE_CHARS
from drafter.structure.signoff import signoff_date

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_NAMES = ["xingning-2024", "zhoucun-2024", "chuxiong-2024", "ruzhou-2023", "diaobingshan-2022"]


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    return {name: read_document(SEEDS / f"{name}.txt").text for name in SEED_NAMES}


def by_id(sections: list[Section]) -> dict[str, Section]:
    return {s.id: s for s in sections}


def tops(sections: list[Section]) -> list[Section]:
    return [s for s in sections if s.parent is None]


def children(sections: list[Section], parent: str) -> list[Section]:
    return [s for s in sections if s.parent == parent]


def assert_consistent(text: str, sections: list[Section]) -> None:
    """Spans, ordering, nesting and ids agree with each other and with the text."""
    index = by_id(sections)
    assert len(index) == len(sections)
    starts = [s.start for s in sections]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for section in sections:
        assert text[section.start:section.heading_end] == section.heading
        assert section.start < section.heading_end <= section.end <= len(text)
        if section.number is not None:
            assert section.heading.startswith(section.number)
        if section.parent is None:
            assert section.level == 1 and "." not in section.id
        else:
            parent = index[section.parent]
            assert section.level == parent.level + 1
            assert section.id.rsplit(".", 1)[0] == parent.id
            assert parent.heading_end <= section.start and section.end <= parent.end
    for parent_id in [None, *index]:
        kids = children(sections, parent_id) if parent_id else tops(sections)
        assert [k.id.rsplit(".", 1)[-1] for k in kids] == [str(i) for i in range(1, len(kids) + 1)]
        for before, after in zip(kids, kids[1:]):
            assert before.end <= after.start


# ---------------------------------------------------------------------------------------------- seeds


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_spans_are_consistent(seed_texts: dict[str, str], name: str) -> None:
    text = seed_texts[name]
    assert_consistent(text, parse_sections(text))


def test_xingning_one_line_report(seed_texts: dict[str, str]) -> None:
    text = seed_texts["xingning-2024"]
    assert "\n" not in text
    sections = parse_sections(text)
    assert [s.heading for s in tops(sections)] == [
        "一、深入贯彻落实党的二十届三中全会精神和习近平法治思想,建设更高水平法治政府",
        "二、主要举措和成效",
        "三、存在的主要问题和不足",
        "四、下一步工作打算",
    ]
    assert [len(children(sections, s.id)) for s in tops(sections)] == [3, 7, 3, 3]
    assert [s.part for s in tops(sections)] == ["measures", "measures", "problems", "plans"]
    index = by_id(sections)
    assert index["1.1"].heading == "(一)持续贯彻落实党的二十届三中全会精神和习近平法治思想"
    assert index["1.1"].style == "paren" and index["1.1"].number == "(一)"
    # 第一责任人 is subsection (二) of 一: it carries leadership although its parent is measures.
    assert index["1.2"].heading == "(二)切实履行法治建设第一责任人职责"
    assert index["1.2"].part == "leadership" and index["1.3"].part == "measures"
    # Run-ins: the heading is the first clause.
    runins = children(sections, "2.1")
    assert [s.heading for s in runins] == ["一是紧凑有序推进我市机构改革工作", "二是着力提升政务服务效能", "三是持续优化法治化营商环境"]
    assert all(s.style == "runin" and s.level == 3 for s in runins)
    assert len(children(sections, "2.5")) == 4
    assert index["4.1"].heading == "(一)持续加强党的领导。" and index["4.1"].part == "plans"
    # The sign-off is outside the last section; figures such as 14138件 or 1.2 never open a heading.
    assert signoff_start(text) == text.rindex("兴宁市人民政府")
    assert text[: sections[-1].end].endswith("社会治理生动局面。")
    assert len(sections) == 4 + 16 + 19  # run-ins: 3+3+3+3+4+3 under 二

    compliance = assess_compliance(text, sections)
    assert compliance.present == ["measures", "problems", "leadership", "plans"]
    assert compliance.missing == []
    status = {p.part: p for p in compliance.parts}
    assert status["leadership"].sections == ["1.2"]
    assert status["measures"].sections == ["1", "2"]
    assert status["other"].present is False
    assert any(n.startswith("“党政主要负责人履行推进法治建设第一责任人职责情况”仅作为第1节（主要举措和成效）下的子节1.2“") for n in compliance.notes)
    assert not any("顺序与规定顺序不一致" in n for n in compliance.notes)


def test_zhoucun_leadership_first(seed_texts: dict[str, str]) -> None:
    text = seed_texts["zhoucun-2024"]
    sections = parse_sections(text)
    assert [s.heading for s in tops(sections)] == [
        "一、党政主要负责人履行推进法治建设第一责任人职责情况",
        "二、推进法治政府建设的主要举措和成效",
        "三、推进法治政府建设存在的不足和原因",
        "四、2025年推进法治政府建设的主要计划安排",
    ]
    assert [len(children(sections, s.id)) for s in tops(sections)] == [3, 5, 3, 3]
    assert [s.part for s in tops(sections)] == ["leadership", "measures", "problems", "plans"]
    index = by_id(sections)
    # A heading that runs into its body ends at its first 。
    assert index["1.1"].heading == "(一)压实法治建设第一责任人职责。"
    assert text[index["1.1"].heading_end:].startswith("制定印发《周村区2024年法治政府建设工作计划》")
    # With an explicit leadership part, a plans subsection that mentions 第一责任人 stays plans.
    assert index["4.1"].part == "plans"
    assert "周村区人民政府2024年度法治政府建设情况报告" not in [s.heading for s in sections]

    compliance = assess_compliance(text, sections)
    assert compliance.missing == []
    assert {p.part: p.sections for p in compliance.parts}["leadership"] == ["1"]
    assert ("各部分顺序与规定顺序不一致：“党政主要负责人履行推进法治建设第一责任人职责情况” → “主要举措和成效” → “存在的不足和原因” → “下一年度主要安排”"
            in compliance.notes)


def test_chuxiong_thematic_without_problems_or_plans(seed_texts: dict[str, str]) -> None:
    text = seed_texts["chuxiong-2024"]
    sections = parse_sections(text)
    assert [s.heading for s in tops(sections)] == [
        "一、高度重视,组织领导坚强有力",
        "二、深化改革,政府职能全面履行",
        "三、践行法治,依法行政深入推进",
        "四、紧盯重点,行政执法文明规范",
        "五、一心为民,政府服务优化延伸",
    ]
    assert [len(children(sections, s.id)) for s in tops(sections)] == [3, 3, 2, 3, 3]
    # 一、 is an 组织领导 theme: it stays measures (纲要 area 党的领导), so its (一) and (三) keep their measures.
    # Only (二), whose heading names the leaders' 述法, carries the leadership part.
    assert [s.part for s in tops(sections)] == ["measures"] * 5
    assert [(s.heading, s.part) for s in children(sections, "1")] == [
        ("(一)全面统筹高位推动。", "measures"), ("(二)述法引领压实责任。", "leadership"),
        ("(三)强化教育提高法治素养。", "measures"),
    ]
    # The closing "下步,…" paragraph belongs to no section.
    closing = text.index("下步,楚雄市将")
    assert sections[-1].end < closing
    assert text[: sections[-1].end].endswith("普法宣传质效得到提升。")

    compliance = assess_compliance(text, sections)
    assert compliance.present == ["measures", "leadership"]
    assert compliance.missing == ["problems", "plans"]
    status = {p.part: p for p in compliance.parts}
    assert status["plans"].present is False
    assert status["plans"].note.startswith("未单列下一年度安排，仅有结尾一句：“下步,楚雄市将突出目标导向")
    assert status["leadership"].sections == ["1.2"]
    assert status["leadership"].note == "仅作为第1节（主要举措和成效）下的子节1.2“(二)述法引领压实责任。”出现"
    assert "按工作主题分节：5个一级标题均未标明报告部分，各主题节计入“主要举措和成效”" in compliance.notes
    assert any(n.startswith("未单列“下一年度主要安排”部分，报告仅以结尾一句展望下一年度：“下步") for n in compliance.notes)


def test_ruzhou_skip_and_lead_headings(seed_texts: dict[str, str]) -> None:
    text = seed_texts["ruzhou-2023"]
    sections = parse_sections(text)
    assert [s.heading for s in tops(sections)] == [
        "一、高位推进法治政府建设",
        "二、政府职能依法全面履行",
        "三、规范重大行政决策机制,落实行政规范性文件合法性审查和备案制度",
        "四、行政执法严格规范公正文明",
        "六、重大突发事件依法预防处置",
        "七、社会矛盾纠纷依法有效化解",
        "八、府院联动顺畅高效",
        "九、全面建设数字法治政府",
    ]
    leads = [s for s in sections if s.style == "lead"]
    assert [s.heading for s in leads] == [
        "落实第一责任人责任。", "推进政府机构职能优化协同高效。", "深化行政执法体制改革。",
        "完善突发事件应对制度。", "坚持“三调联动”。", "加快推进政务数据有序共享。",
    ]
    assert all(s.number is None and s.level == 2 for s in leads)
    # Sections 三 and 八 open with long sentences, not leads.
    assert [len(children(sections, s.id)) for s in tops(sections)] == [1, 1, 0, 1, 1, 1, 0, 1]
    index = by_id(sections)
    assert index["1.1"].part == "leadership"
    assert index["2.1"].part == "measures"
    assert {s.part for s in tops(sections)} == {"measures"}
    assert sections[-1].end < text.index("2024年,市政府将")

    compliance = assess_compliance(text, sections)
    assert compliance.present == ["measures", "leadership"]
    assert compliance.missing == ["problems", "plans"]
    status = {p.part: p for p in compliance.parts}
    assert status["leadership"].sections == ["1.1"]
    assert status["plans"].note.startswith("未单列下一年度安排，仅有结尾一句：“2024年,市政府将深入学习贯彻习近平法治思想")
    assert "编号由“四、”跳至“六、”（第4节→第5节）" in compliance.notes


def test_diaobingshan_repeat_runins_and_signoff(seed_texts: dict[str, str]) -> None:
    text = seed_texts["diaobingshan-2022"]
    sections = parse_sections(text)
    assert [s.heading for s in tops(sections)] == [
        "一、2022年法治政府建设的主要举措和成效",
        "二、推进法治政府建设过程中存在的问题",
        "三、2023年重点工作安排",
    ]
    assert [len(children(sections, s.id)) for s in tops(sections)] == [5, 6, 6]
    assert [s.part for s in tops(sections)] == ["measures", "problems", "plans"]
    index = by_id(sections)
    assert index["1.4"].number == "(四)" and index["1.5"].number == "(四)"
    assert index["1.5"].heading == "(四)坚持优化服务,着力打造一流法治化营商环境"
    assert [s.heading for s in children(sections, "1.1")] == ["一是狠抓关键少数。", "二是狠抓谋划部署。", "三是狠抓督查考核。"]
    assert [len(children(sections, f"1.{i}")) for i in range(1, 6)] == [3, 6, 4, 4, 3]
    # “12.4”宪法宣传周 sits inside a run-in heading and opens nothing.
    assert index["1.2.5"].heading == "五是精心组织“12.4”宪法宣传周活动"
    # (一) names 党的领导, a measures theme; its body reports the 第一责任人 duty, which makes leadership present
    # (below) without taking its run-in measures away.
    assert index["1.1"].part == "measures" and index["1.1.2"].part == "measures"
    assert index["1.2"].part == "measures"
    # The problems subsection about 组织领导 stays a problem.
    assert index["2.1"].part == "problems"
    assert text[sections[-1].end:] == "\n调兵山市人民政府\n2023年2月28日"

    compliance = assess_compliance(text, sections)
    assert compliance.present == ["measures", "problems", "leadership", "plans"]
    assert compliance.missing == []
    status = {p.part: p for p in compliance.parts}
    assert status["leadership"].sections == ["1.1"]
    assert status["leadership"].note == (
        "仅见于第1.1节“(一)坚持党的领导,夯实法治建设工作责任”正文："
        "“…面,认真履行党政主要领导法治政府建设第一责任人职责,定期召开…”")
    assert "“党政主要负责人履行推进法治建设第一责任人职责情况”" + status["leadership"].note in compliance.notes
    assert "编号“(四)”重复出现（第1.4节和第1.5节）" in compliance.notes


# ---------------------------------------------------------------------------------------------- synthetic reports

DEPARTMENT = (
    "XX市司法局2024年法治政府建设情况报告\n"
    "2024年，我局坚持统一、规范的工作要求，现将有关情况报告如下：\n"
    "一、主要举措和成效\n"
    "（一）加强组织领导\n"
    "1.健全工作机制。局党组研究法治工作6次，第一、二批清单全部公布。\n"
    "2.落实述法制度。全年培训1.2万人次。\n"
    "（二）依法履行职能\n"
    "1.规范行政执法。印发《执法手册》、《裁量基准》。\n"
    "二、存在的不足和原因\n"
    "执法人员力量不足。\n"
    "三、党政主要负责人履行推进法治建设第一责任人职责情况\n"
    "局主要负责人认真履职，带头述法。\n"
    "四、2025年工作安排\n"
    "（一）深化执法改革。\n"
    "（二）强化执法监督。\n"
    "五、其他需要报告的情况\n"
    "无。\n"
    "XX市司法局\n"
    "2025年2月10日"
)


def test_department_report_with_all_five_parts() -> None:
    sections = parse_sections(DEPARTMENT)
    assert_consistent(DEPARTMENT, sections)
    assert [s.heading for s in tops(sections)] == [
        "一、主要举措和成效", "二、存在的不足和原因", "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "四、2025年工作安排", "五、其他需要报告的情况",
    ]
    assert [s.part for s in tops(sections)] == ["measures", "problems", "leadership", "plans", "other"]
    index = by_id(sections)
    # （一） directly under 一、 and 1. under （一）: levels follow nesting, not style.
    assert (index["1.1"].style, index["1.1"].level) == ("paren", 2)
    assert [(s.heading, s.style, s.level) for s in children(sections, "1.1")] == [
        ("1.健全工作机制。", "arabic", 3), ("2.落实述法制度。", "arabic", 3)]
    assert index["1.2.1"].heading == "1.规范行政执法。"
    # With an explicit leadership part, the measures subsection about 组织领导 stays measures.
    assert index["1.1"].part == "measures"
    # 统一、 第一、 1.2万 and 《…》、《…》 are running text.
    assert len(sections) == 5 + 2 + 3 + 2
    assert signoff_start(DEPARTMENT) == DEPARTMENT.index("XX市司法局\n2025")
    assert sections[-1].heading_end == sections[-1].end - len("\n无。")

    compliance = assess_compliance(DEPARTMENT, sections)
    assert compliance.present == ["measures", "problems", "leadership", "plans", "other"]
    assert compliance.missing == []
    assert compliance.notes == []


def test_standard_four_parts_other_is_optional() -> None:
    text = (
        "一、2024年推进法治政府建设的主要举措和成效\n做了很多工作。\n"
        "二、存在的不足和原因\n基层力量薄弱。\n"
        "三、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人亲自部署。\n"
        "四、2025年工作安排\n继续推进。"
    )
    sections = parse_sections(text)
    compliance = assess_compliance(text, sections)
    assert compliance.present == ["measures", "problems", "leadership", "plans"]
    assert compliance.missing == []  # "other" is optional and never listed as missing
    other = {p.part: p for p in compliance.parts}["other"]
    assert other.present is False and other.note == "“其他需要报告的情况”为选报内容，本报告未列"
    assert compliance.notes == []


def test_one_line_text_with_weak_boundaries() -> None:
    text = (
        "现将情况报告如下: 一、主要工作情况 (一)完善制度。2024.年度培训1.2万人次。(二)规范执法。印发《甲》、《乙》。"
        "二、存在的问题及下一步打算 (一)执法不规范。 (二)加强培训。"
    )
    sections = parse_sections(text)
    assert_consistent(text, sections)
    assert [(s.id, s.heading) for s in sections] == [
        ("1", "一、主要工作情况"), ("1.1", "(一)完善制度。"), ("1.2", "(二)规范执法。"),
        ("2", "二、存在的问题及下一步打算"), ("2.1", "(一)执法不规范。"), ("2.2", "(二)加强培训。"),
    ]
    compliance = assess_compliance(text, sections)
    assert compliance.present == ["measures", "problems", "plans"]
    assert compliance.missing == ["leadership"]
    status = {p.part: p for p in compliance.parts}
    # One heading names two parts: both are present, carried by the same section.
    assert status["plans"].sections == ["2"] and status["problems"].sections == ["2"]
    assert status["plans"].note == "与“存在的不足和原因”共用第2节“二、存在的问题及下一步打算”"


def test_combined_part_split_by_its_subsections() -> None:
    text = "一、工作开展情况\n做了。\n二、存在的问题和下一步打算\n（一）存在的问题\n有不足。\n（二）下一步打算\n将加强。"
    sections = parse_sections(text)
    assert [(s.id, s.part) for s in sections] == [
        ("1", "measures"), ("2", "problems"), ("2.1", "problems"), ("2.2", "plans")]
    compliance = assess_compliance(text, sections)
    status = {p.part: p for p in compliance.parts}
    assert status["plans"].sections == ["2.2"] and status["plans"].note is None
    assert compliance.missing == ["leadership"]


def test_false_positive_enumerations_are_not_headings() -> None:
    text = (
        "一、主要举措\n"
        "分为:一、二、三级网格。按照第一、第二批次推进,做到统一、规范。\n"
        "完成“12.4”宣传。全年办理1、2号文件。\n"
        "二、存在的不足\n"
        "一是不足之一。"
    )
    sections = parse_sections(text)
    assert [s.heading for s in sections] == ["一、主要举措", "二、存在的不足", "一是不足之一。"]


def test_run_in_needs_an_open_section_and_a_sequence() -> None:
    text = (
        "2024年工作有三个特点:一是快,二是稳。\n"
        "一、主要举措和成效\n"
        "(一)强化执法。一是规范执法,严格程序;二是加强监督。\n"
        "三是没有二是之前不成立。\n"
        "(二)化解纠纷。\n"
        "二、存在的不足和原因\n不足。"
    )
    sections = parse_sections(text)
    assert_consistent(text, sections)
    assert [s.heading for s in sections] == [
        "一、主要举措和成效", "(一)强化执法。", "一是规范执法", "二是加强监督。", "三是没有二是之前不成立。",
        "(二)化解纠纷。", "二、存在的不足和原因",
    ]
    assert by_id(sections)["1.1.3"].style == "runin"


def test_preamble_list_gives_way_to_chinese_top_level() -> None:
    text = "主要做法:\n1.抓学习\n2.抓落实\n一、主要举措和成效\n1.健全机制。\n二、存在的不足和原因\n有差距。"
    sections = parse_sections(text)
    assert [(s.id, s.heading) for s in sections] == [
        ("1", "一、主要举措和成效"), ("1.1", "1.健全机制。"), ("2", "二、存在的不足和原因")]


def test_leads_need_sibling_paragraphs() -> None:
    lone = "一、依法履职\n推进改革。全年完成改革任务。\n二、强化监督\n全年开展督查,发现问题若干。"
    assert [s.style for s in parse_sections(lone)] == ["chinese", "chinese"]
    paired = lone.replace("全年开展督查,发现问题若干。", "强化督查考核。全年开展督查,发现问题若干。")
    sections = parse_sections(paired)
    assert [(s.id, s.heading, s.style) for s in sections if s.style == "lead"] == [
        ("1.1", "推进改革。", "lead"), ("2.1", "强化督查考核。", "lead")]
    assert_consistent(paired, sections)


def test_other_part_and_closing_sentence_in_a_problems_last_report() -> None:
    text = (
        "一、工作开展情况\n开展工作。\n"
        "二、其他需要报告的情况\n无。\n"
        "下一步,我局将持续推进法治政府建设。"
    )
    sections = parse_sections(text)
    assert [s.part for s in sections] == ["measures", "other"]
    assert text[: sections[-1].end].endswith("无。")
    compliance = assess_compliance(text, sections)
    assert compliance.present == ["measures", "other"]
    assert compliance.missing == ["problems", "leadership", "plans"]
    status = {p.part: p for p in compliance.parts}
    assert status["plans"].note == "未单列下一年度安排，仅有结尾一句：“下一步,我局将持续推进法治政府建设。”"
    assert status["other"].sections == ["2"]


def test_problems_rectified_is_not_the_problems_part() -> None:
    text = "一、上年度存在问题整改情况\n已整改。\n二、坚持问题导向,推进依法行政\n推进。\n三、下一步工作打算\n继续。"
    sections = parse_sections(text)
    assert [s.part for s in sections] == ["measures", "measures", "plans"]
    assert assess_compliance(text, sections).missing == ["problems", "leadership"]


def test_signoff_detection() -> None:
    assert signoff_start("正文。\n中共某县委\n某县人民政府\n2025年3月1日\n") == len("正文。\n")
    assert signoff_start("正文。\n2025年3月1日") == len("正文。\n")
    assert signoff_start("本报告经常务会议审议通过于2025年3月1日") is None
    assert signoff_start("正文到此为止,没有落款。") is None


@pytest.mark.parametrize("tail, date", [
    ("\n某县人民政府\n2025年3月1日\n", "2025年3月1日"),
    ("\n某县人民政府 二〇二五年三月一日（此件公开发布）", "二〇二五年三月一日"),
    ("\n2025 年 3\n月 1 日  ", "2025 年 3\n月 1 日"),
    ("\n2025-03-01", "2025-03-01"),
    ("审议通过于2025年3月1日", "2025年3月1日"),
    ("\n12025年3月1日", "2025年3月1日"),  # five digits: the date is the last four and what follows
    ("\n2025年3月1日。", None),
    ("\n共计2025", None),
])
def test_signoff_date_searched_only_in_the_closing_run_of_date_characters(tail: str, date: str | None) -> None:
    text = "一、正文。" * 30 + tail
    found = signoff_date(text)
    assert (found.group().rstrip() if found else None) == date


def test_listed_space_characters_are_those_of_backslash_s() -> None:
    every_char = "".join(map(chr, range(0x110000)))
    assert re.findall(f"[{_SPACE_CHARS}]", every_char) == re.findall(r"\s", every_char)


def test_empty_and_headingless_text() -> None:
    assert parse_sections("") == []
    text = "全年推进法治政府建设,成效明显。"
    compliance = assess_compliance(text, parse_sections(text))
    assert compliance.present == []
    assert compliance.missing == ["measures", "problems", "leadership", "plans"]
    assert "未识别到编号标题" in compliance.notes


def test_stand_alone_lead_lines_and_chinese_dot_numbers() -> None:
    text = (
        "一.主要举措和成效\n（一）依法履职\n加强组织领导\n本年度召开会议3次,研究法治工作。\n强化督查考核\n开展督查2次。\n"
        "（二）规范执法\n推进执法改革\n全面推行三项制度。\n二．存在的不足\n力量不足。"
    )
    sections = parse_sections(text)
    assert_consistent(text, sections)
    assert [(s.id, s.heading, s.style) for s in sections] == [
        ("1", "一.主要举措和成效", "chinese"), ("1.1", "（一）依法履职", "paren"),
        ("1.1.1", "加强组织领导", "lead"), ("1.1.2", "强化督查考核", "lead"),
        ("1.2", "（二）规范执法", "paren"), ("1.2.1", "推进执法改革", "lead"), ("2", "二．存在的不足", "chinese"),
    ]
    assert by_id(sections)["1.1.1"].end == text.index("强化督查考核")


@pytest.mark.parametrize(("heading", "part"), [
    ("一、2024年重点工作完成情况", "measures"),
    ("一、基本情况", "measures"),
    ("一、存在的困难和问题", "problems"),
    ("一、问题与原因", "problems"),
    ("一、着力解决群众反映强烈的突出问题和急难愁盼事项", "measures"),
    ("一、坚持问题导向,推进依法行政", "measures"),
    ("一、需要改进的方面", "problems"),
    ("一、存在的不足及改进措施", "problems"),
    ("一、2025年重点任务", "plans"),
    ("一、2024年工作计划落实情况", "measures"),
    ("一、下一步落实举措", "plans"),
    ("一、下一年度工作计划", "plans"),
    ("一、下步工作打算", "plans"),
    ("一、第一责任人职责履行情况", "leadership"),
    ("一、其他事项", "other"),
])
def test_part_keywords_of_top_level_headings(heading: str, part: str) -> None:
    text = f"{heading}\n正文。"
    assert [s.part for s in parse_sections(text)] == [part]


def test_body_mentions_of_problems_are_noted_but_not_counted() -> None:
    text = (
        "一、依法全面履行政府职能\n组织各部门主要负责人参加培训。但仍存在执法力量不足的问题。\n"
        "二、健全依法行政制度体系\n完善制度。"
    )
    sections = parse_sections(text)
    compliance = assess_compliance(text, sections)
    # The leaders are named but nothing they did with the duty is: no leadership either.
    assert compliance.present == ["measures"]
    assert compliance.missing == ["problems", "leadership", "plans"]
    status = {p.part: p for p in compliance.parts}
    assert status["leadership"].note is None
    assert status["problems"].note == "未单列，仅在正文中提及：“但仍存在执法力量不足的问题。”"


@pytest.mark.parametrize("first, second", [("还有个别案件办理超期的问题", "存在执法力量不足"), ("尚有短板", "仍有差距")])
def test_the_earliest_body_mention_of_problems_is_quoted_whatever_its_opening_word(first: str, second: str) -> None:
    text = f"一、依法全面履行政府职能\n完善制度。{first}。\n二、健全依法行政制度体系\n完善制度。{second}。"
    status = {p.part: p for p in assess_compliance(text, parse_sections(text)).parts}
    assert status["problems"].note == f"未单列，仅在正文中提及：“{first}。”"


def test_arabic_numbering_that_runs_on_across_subsections() -> None:
    text = (
        "一、主要举措和成效\n（一）加强组织领导\n1.加强党的领导。研究部署。\n2.强化考核。纳入考核。\n"
        "（二）依法履行职能\n3.深化审批改革。一是梳理清单。二是推行承诺。\n4.加强监管。开展抽查。\n"
        "二、存在的不足\n有差距。"
    )
    sections = parse_sections(text)
    assert_consistent(text, sections)
    assert [(s.id, s.number) for s in sections] == [
        ("1", "一、"), ("1.1", "（一）"), ("1.1.1", "1."), ("1.1.2", "2."), ("1.2", "（二）"), ("1.2.1", "3."),
        ("1.2.1.1", "一是"), ("1.2.1.2", "二是"), ("1.2.2", "4."), ("2", "二、"),
    ]
    # Running on is the author's choice, not a numbering slip.
    assert not any(n.startswith("编号") for n in assess_compliance(text, sections).notes)
    # A fresh list elsewhere still has to start at 1.
    assert [s.heading for s in parse_sections("一、举措\n3.深化改革。\n二、不足\n有。")] == ["一、举措", "二、不足"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_spans_stay_consistent_on_arbitrary_slices(seed_texts: dict[str, str], name: str) -> None:
    """Cut-off copies (a page missing its start or end) must still give a well-formed tree."""
    text = seed_texts[name]
    step = len(text) // 7
    for start in range(0, len(text), step):
        for end in range(start + step // 2, len(text) + 1, step):
            piece = text[start:end]
            sections = parse_sections(piece)
            assert_consistent(piece, sections)
            assess_compliance(piece, sections)


# ---------------------------------------------------------------------------------------------- leadership in bodies
# Leadership (督察规定 part 三) is present when the report says what the principal leaders did with the duty: a
# heading naming it, or else body sentences naming the leaders and their act, in measures sections only.


def test_leadership_reported_only_in_a_run_in_body_is_present() -> None:
    text = (
        "现将有关情况报告如下：\n"
        "一、依法全面履行政府职能。一是切实履行法治政府建设职责。市政府主要负责人及时研究解决法治建设重大问题。"
        "二是深化放管服改革。政务服务事项全部网办。\n"
        "二、存在的问题\n执法力量不足。\n"
        "三、下一步工作安排\n继续落实第一责任人制度。"
    )
    sections = parse_sections(text)
    index = by_id(sections)
    assert index["1.1"].heading == "一是切实履行法治政府建设职责。" and index["1.1"].part == "measures"
    compliance = assess_compliance(text, sections)
    assert compliance.present == ["measures", "problems", "leadership", "plans"]
    assert compliance.missing == []
    status = {p.part: p for p in compliance.parts}
    assert status["leadership"].sections == ["1.1"]
    assert status["leadership"].note == (
        "仅见于第1.1节“一是切实履行法治政府建设职责。”正文：“市政府主要负责人及时研究解决法治建设重大问题。”")
    assert "“党政主要负责人履行推进法治建设第一责任人职责情况”" + status["leadership"].note in compliance.notes


def test_leadership_words_outside_measures_bodies_do_not_count() -> None:
    text = (
        "根据《党政主要负责人履行推进法治建设第一责任人职责规定》，现将情况报告如下。\n"
        "一、主要工作\n印发执法手册。组织各部门主要负责人参加培训。\n"
        "二、存在的问题\n个别单位主要负责人履行第一责任人职责不到位。\n"
        "三、下一步工作打算\n严格落实第一责任人制度，主要负责人要带头述法。"
    )
    sections = parse_sections(text)
    compliance = assess_compliance(text, sections)
    # The preamble cites the rule, the measures body names leaders without their duty, problems and plans are not
    # this year's performance.
    assert compliance.missing == ["leadership"]
    assert leadership_sentences(text, sections) == []


def test_leadership_sentences_give_spans_and_sections() -> None:
    text = (
        "一、工作情况\n（一）加强党的领导\n县委、县政府主要领导亲自部署法治工作。开展学法4次。\n"
        "（二）规范执法\n党政主要负责人年度述法实现全覆盖。\n"
    )
    sections = parse_sections(text)
    found = leadership_sentences(text, sections)
    assert [(text[f.start:f.end], f.section) for f in found] == [
        ("县委、县政府主要领导亲自部署法治工作。", "1.1"), ("党政主要负责人年度述法实现全覆盖。", "1.2")]
    assert assess_compliance(text, sections).parts[2].sections == ["1.1", "1.2"]


def test_party_leadership_theme_keeps_its_measures() -> None:
    # A 党的领导/组织领导 theme stays measures (its 纲要 area is 党的领导), so its own measures stay measures.
    text = (
        "一、强化法治政府建设组织领导。市政府主要负责人切实履行法治建设第一责任人职责，主持召开常务会议4次。\n"
        "1.严格依法决策。修订决策规则。\n"
        "2.完善推进机制。制定工作要点。\n"
        "二、依法全面履行政府职能。推进权责清单制度。"
    )
    sections = parse_sections(text)
    assert [(s.id, s.part) for s in sections] == [("1", "measures"), ("1.1", "measures"), ("1.2", "measures"),
                                                   ("2", "measures")]
    status = {p.part: p for p in assess_compliance(text, sections).parts}
    assert status["leadership"].present and status["leadership"].sections == ["1"]
    assert status["leadership"].note.startswith("仅见于第1节“一、强化法治政府建设组织领导。”正文：“市政府主要负责人")


def test_children_of_a_duty_heading_inherit_leadership_unless_they_name_another_theme() -> None:
    text = (
        "一、主要工作\n"
        "（一）履行推进法治建设第一责任人职责\n"
        "1.带头尊法学法。常务会议学法5次。\n"
        "2.严格依法决策。重大行政决策全部经合法性审查。\n"
        "3.带头依法决策。集体讨论全部决策事项。\n"
        "（二）规范行政执法\n开展案卷评查。"
    )
    sections = parse_sections(text)
    assert [(s.id, s.part) for s in sections] == [
        ("1", "measures"), ("1.1", "leadership"), ("1.1.1", "leadership"), ("1.1.2", "measures"),
        ("1.1.3", "leadership"), ("1.2", "measures")]
    status = {p.part: p for p in assess_compliance(text, sections).parts}
    assert status["leadership"].sections == ["1.1"]
    assert status["leadership"].note == "仅作为第1节（主要举措和成效）下的子节1.1“（一）履行推进法治建设第一责任人职责”出现"


# ---------------------------------------------------------------------------------------------- one-line headings


def test_long_one_line_heading_ends_at_a_clause_and_before_a_marker() -> None:
    text = (
        "现将情况报告如下。一、坚持党的领导,坚决扛牢法治政府建设政治责任坚持“思想引领、学习在先”,"
        "以习近平法治思想引领法治政府建设。一是深学笃行习近平法治思想。开展学习。二是优化推进机制。建立台账。"
    )
    sections = parse_sections(text)
    assert_consistent(text, sections)
    # No full stop within 40 characters: the heading stops at the last comma within reach, not at the 。.
    assert [s.heading for s in sections] == [
        "一、坚持党的领导,坚决扛牢法治政府建设政治责任坚持“思想引领、学习在先”",
        "一是深学笃行习近平法治思想。", "二是优化推进机制。"]
    text = "一、坚持党的领导,坚决扛牢法治政府建设政治责任,一是深学笃行习近平法治思想。开展学习。二是落实责任。"
    assert [s.heading for s in parse_sections(text)] == [
        "一、坚持党的领导,坚决扛牢法治政府建设政治责任", "一是深学笃行习近平法治思想。", "二是落实责任。"]


def test_heading_never_swallows_an_inner_marker() -> None:
    # A marker after a comma opens no heading, but the heading before it still ends there.
    text = "一、主要工作情况，（一）完善制度体系，修订规章3件。二、存在的问题\n执法力量不足。"
    sections = parse_sections(text)
    assert_consistent(text, sections)
    assert [s.heading for s in sections] == ["一、主要工作情况", "二、存在的问题"]
    text = "一、主要工作情况,一是完善制度体系,修订规章3件。二是规范执法。"
    assert [s.heading for s in parse_sections(text)] == ["一、主要工作情况", "一是完善制度体系", "二是规范执法。"]


# ---------------------------------------------------------------------------------------------- no headings


def test_headingless_body_that_reports_work_counts_as_measures() -> None:
    text = (
        "2022年，司法部扎实推进法治政府建设，各项工作取得重要进展。\n全面贯彻落实党的二十大精神\n"
        "部党组召开6次会议学习贯彻党的二十大精神。举办专题培训班。制定学习宣传实施方案，印发通知。"
    )
    assert parse_sections(text) == []
    compliance = assess_compliance(text, [])
    assert compliance.present == ["measures"]
    assert compliance.missing == ["problems", "leadership", "plans"]
    assert compliance.parts[0].sections == []
    assert compliance.parts[0].note == "未识别到标题，正文中有3句记述已开展工作，首句：“部党组召开6次会议学习贯彻党的二十大精神。”"
    assert [text[s.start:s.end] for s in work_done_sentences(text)] == [
        "部党组召开6次会议学习贯彻党的二十大精神。", "举办专题培训班。", "制定学习宣传实施方案，印发通知。"]
    assert "未识别到编号标题" in compliance.notes


def test_headingless_text_that_is_not_a_report_stays_without_parts() -> None:
    notice = "关于举办法治讲座的通知\n各单位：定于下周举办法治讲座，请组织人员参加。开展签到。制定座位表。"
    assert work_done_sentences(notice) == []  # never says 法治政府/依法行政
    assert assess_compliance(notice, []).present == []
    short = "2024年，我县推进依法行政。开展执法检查。"
    assert work_done_sentences(short) == []  # fewer than three sentences of work done


# ---------------------------------------------------------------------------------------------- problems and plans


@pytest.mark.parametrize(("heading", "part"), [
    ("一、存在的困难", "problems"),
    ("一、存在的问题和不足", "problems"),
    ("一、下一步工作打算", "plans"),
    ("一、2025年工作思路", "plans"),
    ("一、下一年度推进法治政府建设的主要安排", "plans"),
])
def test_more_part_headings(heading: str, part: str) -> None:
    assert [s.part for s in parse_sections(f"{heading}\n正文。")] == [part]


def test_problems_and_plans_subsections_inside_a_work_section() -> None:
    text = (
        "一、2024年工作情况\n（一）主要举措\n开展执法检查。\n（二）存在的困难\n执法力量不足。\n"
        "（三）2025年工作打算\n加强培训。\n（四）补短板强弱项\n建成调解中心。\n（五）上一年度存在问题整改情况\n已整改。"
    )
    sections = parse_sections(text)
    assert [(s.id, s.part) for s in sections] == [
        ("1", "measures"), ("1.1", "measures"), ("1.2", "problems"), ("1.3", "plans"), ("1.4", "measures"),
        ("1.5", "measures")]
    compliance = assess_compliance(text, sections)
    assert compliance.missing == ["leadership"]
    assert "“存在的不足和原因”仅作为第1节（主要举措和成效）下的子节1.2“（二）存在的困难”出现" in compliance.notes


# ---------------------------------------------------------------------------------------------- numbering styles


def test_chinese_dot_list_under_chinese_comma_top_level_is_one_level_down() -> None:
    text = (
        "一、主要举措和成效\n一．深化放管服改革\n取消审批事项12项。\n二．规范行政执法\n开展案卷评查。\n"
        "二、存在的问题和不足\n执法力量不足。\n三、下一步工作打算\n一．强化执法培训。\n"
    )
    sections = parse_sections(text)
    assert_consistent(text, sections)
    assert [(s.id, s.heading, s.part) for s in sections] == [
        ("1", "一、主要举措和成效", "measures"), ("1.1", "一．深化放管服改革", "measures"),
        ("1.2", "二．规范行政执法", "measures"), ("2", "二、存在的问题和不足", "problems"),
        ("3", "三、下一步工作打算", "plans"), ("3.1", "一．强化执法培训。", "plans"),
    ]
    compliance = assess_compliance(text, sections)
    assert not any("重复出现" in note or "跳至" in note for note in compliance.notes)


def test_chinese_dot_top_level_without_any_chinese_comma() -> None:
    text = (
        "2024年，我区法治政府建设情况报告如下。\n一．主要工作\n（一）依法决策\n会议学法4次。\n（二）规范执法\n评查案卷30卷。\n"
        "二．存在的不足\n专业人员不足。\n三.下一步工作计划\n深化执法改革。"
    )
    sections = parse_sections(text)
    assert_consistent(text, sections)
    assert [(s.id, s.heading, s.style, s.part) for s in sections] == [
        ("1", "一．主要工作", "chinese", "measures"), ("1.1", "（一）依法决策", "paren", "measures"),
        ("1.2", "（二）规范执法", "paren", "measures"), ("2", "二．存在的不足", "chinese", "problems"),
        ("3", "三.下一步工作计划", "chinese", "plans"),
    ]


def test_numbering_styles_nest_in_order_of_first_appearance() -> None:
    text = "一、工作情况\n（一）依法决策\n一．健全规则\n二．严格程序\n（二）规范执法\n二、存在的问题\n不足。"
    assert [(s.id, s.heading) for s in parse_sections(text)] == [
        ("1", "一、工作情况"), ("1.1", "（一）依法决策"), ("1.1.1", "一．健全规则"), ("1.1.2", "二．严格程序"),
        ("1.2", "（二）规范执法"), ("2", "二、存在的问题"),
    ]


def test_a_separator_typo_continues_the_top_level() -> None:
    text = "一、主要工作\n开展评查。\n二．存在的问题\n力量不足。\n三、下一步打算\n加强培训。"
    sections = parse_sections(text)
    assert [(s.id, s.heading, s.part) for s in sections] == [
        ("1", "一、主要工作", "measures"), ("2", "二．存在的问题", "problems"), ("3", "三、下一步打算", "plans")]


# ---------------------------------------------------------------------------------------------- unnumbered lines

BODY = "本年度召开专题会议研究部署法治政府建设工作，制定年度工作要点，明确任务分工和完成时限，推动各项工作落到实处，取得明显成效。"
WECHAT = (
    "XX市司法局关于2023年法治政府建设情况的报告\n"
    "2023年，我局坚持以习近平法治思想为指导，深入推进依法行政，法治政府建设各项工作取得新的进展和成效，现将有关情况报告如下。\n"
    "全面贯彻落实党的二十大精神\n统筹推进法治政府建设高质量发展\n"
    f"{BODY}\n{BODY}\n"
    "深化行政执法体制改革\n"
    f"（一）规范执法行为。{BODY}\n（二）强化执法监督。{BODY}\n"
    "存在的问题和不足\n"
    f"{BODY}\n"
    "下一步工作打算\n"
    f"（一）健全制度体系。{BODY}\n"
    "XX市司法局\n2024年1月15日"
)


def test_wechat_report_with_unnumbered_stand_alone_headings() -> None:
    assert len(BODY) >= 60
    sections = parse_sections(WECHAT)
    assert_consistent(WECHAT, sections)
    assert [(s.id, s.heading, s.style, s.part) for s in sections] == [
        ("1", "全面贯彻落实党的二十大精神\n统筹推进法治政府建设高质量发展", "lead", "measures"),
        ("2", "深化行政执法体制改革", "lead", "measures"),
        ("2.1", "（一）规范执法行为。", "paren", "measures"),
        ("2.2", "（二）强化执法监督。", "paren", "measures"),
        ("3", "存在的问题和不足", "lead", "problems"),
        # The list restarts under each line heading: （一） here is not a repeat of section 2's.
        ("4", "下一步工作打算", "lead", "plans"),
        ("4.1", "（一）健全制度体系。", "paren", "plans"),
    ]
    assert sections[0].start == WECHAT.index("全面贯彻")
    assert sections[-1].end == WECHAT.index("\nXX市司法局\n2024年")  # the sign-off is outside
    compliance = assess_compliance(WECHAT, sections)
    assert compliance.present == ["measures", "problems", "plans"]
    assert compliance.missing == ["leadership"]
    assert "无编号一级标题：将4个单独成行的短句识别为一级标题" in compliance.notes


def test_heading_glued_to_the_paragraph_before_it() -> None:
    # A copy that lost a paragraph break (sifabu-2022): the heading's first line ends the preamble's line.
    text = (
        "2022年，司法部坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，扎实推进法治政府建设，各项工作取得重要进展和成效。"
        "全面贯彻落实党的二十大精神\n统筹推进法治政府建设高质量发展\n"
        f"{BODY}\n存在的问题和不足\n{BODY}\n"
    )
    sections = parse_sections(text)
    assert_consistent(text, sections)
    assert [(s.heading, s.part) for s in sections] == [
        ("全面贯彻落实党的二十大精神\n统筹推进法治政府建设高质量发展", "measures"), ("存在的问题和不足", "problems")]
    assert sections[0].start == text.index("全面贯彻")


def test_short_lines_that_are_not_headings() -> None:
    # One short line only: a notice, not a report with headings.
    notice = f"关于开展法治讲座的通知\n各单位：\n{BODY}\n讲座安排\n{BODY}\n司法局办公室\n2024年3月1日"
    assert parse_sections(notice) == []
    # Dates, issuers, page chrome, titles and labels between long paragraphs are not headings.
    chrome = (
        f"{BODY}\n2024年1月15日\n{BODY}\n来源：司法部\n{BODY}\n分享到微信朋友圈\n{BODY}\n"
        f"XX县人民政府\n{BODY}\n关于2023年法治政府建设情况的报告\n{BODY}\n加强执法监督。\n{BODY}"
    )
    assert parse_sections(chrome) == []
    # A run of three short lines is a list or a menu, not a heading.
    menu = f"{BODY}\n首要任务\n政务公开\n执法监督\n{BODY}\n依法决策\n政务服务\n数字政府\n{BODY}"
    assert parse_sections(menu) == []


def test_numbered_headings_are_preferred_to_stand_alone_lines() -> None:
    text = (
        f"2024年，我市法治政府建设取得新进展。\n一、主要举措和成效\n{BODY}\n加强组织领导\n{BODY}\n"
        f"二、存在的问题\n{BODY}\n推进执法改革\n{BODY}\n三、下一步工作打算\n{BODY}"
    )
    sections = parse_sections(text)
    assert [s.heading for s in tops(sections)] == ["一、主要举措和成效", "二、存在的问题", "三、下一步工作打算"]
    assert all(s.style == "chinese" for s in sections)


def test_line_heading_over_a_short_lead_in_sentence() -> None:
    # The paragraph under a heading may be a short sentence ending in ： or 。, as long as it is not itself a
    # heading-like short line; a heading with hardly any text under it is not one.
    lead_in = "虽然我们取得了一定成绩，但与上级要求和群众期盼相比，仍存在一些问题："
    assert 30 < len(lead_in) < 60
    text = f"{BODY}\n主要工作成效\n{BODY}\n存在的问题\n{lead_in}\n{BODY}\n附件清单\n本报告所附相关材料已按要求另行报送市委依法治市办，请查阅相关附件材料。"
    sections = parse_sections(text)
    assert_consistent(text, sections)
    assert [(s.heading, s.part) for s in sections] == [("主要工作成效", "measures"), ("存在的问题", "problems")]
    assert sections[-1].end == len(text)


def test_every_parsed_section_has_its_part_set(seed_texts):
    assert all("part" in s.model_fields_set for s in parse_sections(seed_texts["ruzhou-2023"]))


@pytest.mark.parametrize("text", [
    "主要负责人主要领导第一责任人主要责任同志",
    "x主要负责同志,第一责任人。主要领导主要负",
    "没有提到",
])
def test_leader_mentions_are_leader_matches_in_order(text):
    from drafter.structure.sentences import LEADER, _leader_mentions

    expected = [m.span() for m in LEADER.finditer(text, 0, len(text) - 1)]
    assert [m.span() for m in _leader_mentions(text, len(text) - 1)] == expected


@pytest.mark.parametrize(("text", "start"), [
    ("压实责任,一是加强", 5),  # 一是 after a comma
    ("第一是", None), ("统一是", None),  # 一是 inside a word
    ("一是加强", 0),  # at the search start
    ("加强(一)学习", 2), ("加强（十二）学习", 2),  # bracketed numerals
    ("加强二是学习", None), ("加强,二是学习", 3), ("加强 十二是学习", 3),  # 二是… only after a comma or a space
])
def test_inner_marker_positions(text, start):
    from drafter.structure.headings import _INNER_MARKER

    match = _INNER_MARKER.search(text, 0, len(text))
    assert (match.start() if match else None) == start
