"""Grounding of the model's answer: quotes align to the text, metric values are figures in their quotes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from drafter.ground import Aligner
from drafter.extract.llm.schema import Extraction, GroundingState, figure_as_written, grounding_scope

TEXT = "（二）执法监督。全年办理行政复议案件４.６万件，审结率达98.5%；开展培训二十三次。一是强化统一领导。"


def parse(answer: dict, lenient: bool = False) -> Extraction:
    with grounding_scope(GroundingState(Aligner(TEXT), lenient_now=lenient)):
        return Extraction.model_validate(answer)


@pytest.mark.parametrize(("quote", "value", "raw"), [
    ("办理案件4.6万件", 46000, "4.6万"),
    ("办理案件4.6万件", 4.6, "4.6"),  # unit 万件 style: the number as written, without the multiplier
    ("资金3,200万元", 3200, "3,200"),
    ("审结率达98.5%", 98.5, "98.5"),
    ("开展培训二十三次", 23, "二十三"),
    ("案件４.６万件", 46000, "４.６万"),  # full-width digits are read, and `raw` keeps them as written
])
def test_figure_as_written(quote, value, raw):
    assert figure_as_written(quote, value) == raw


@pytest.mark.parametrize(("quote", "value"), [("办理案件4.6万件", 4600), ("一是强化统一领导", 1), ("开展培训二十三次", 3)])
def test_value_not_in_quote(quote, value):
    assert figure_as_written(quote, value) is None


def test_quotes_align_exactly_or_after_normalisation_with_offsets():
    answer = {
        "items": [{"part": "measures", "title": "复议", "summary": "复议", "area": "disputes",
                   "quote": "全年办理行政复议案件4.6万件"}],  # half-width digits for the text's full-width ones
        "metrics": [{"label": "审结率", "value": 98.5, "unit": "%", "qualifier": "达", "quote": "审结率达98.5%"}],
    }
    extraction = parse(answer)
    item = extraction.grounded_items[0]
    assert item.quote == "全年办理行政复议案件４.６万件" == TEXT[item.start:item.end]
    metric = extraction.grounded_metrics[0]
    assert (metric.start, metric.raw, metric.qualifier) == (TEXT.index("审结率"), "98.5", "达")


def test_every_unaligned_fact_is_named_in_one_error():
    answer = {
        "items": [{"part": "plans", "title": "x", "summary": "x", "area": None, "quote": "明年将建设法治政府示范区"}],
        "metrics": [
            {"label": "培训", "value": 24, "unit": "次", "qualifier": None, "quote": "开展培训二十三次"},
            {"label": "审结率", "value": 98.5, "unit": "%", "qualifier": "超", "quote": "审结率达98.5%"},
        ],
    }
    with pytest.raises(ValidationError) as failure:
        parse(answer)
    message = str(failure.value)
    assert "items[0].quote '明年将建设法治政府示范区'" in message
    assert "metrics[0].value 24" in message
    assert "metrics[1]" in message and "'超'" in message


def test_lenient_keeps_the_good_facts_and_lists_the_dropped():
    answer = {"items": [
        {"part": "measures", "title": "a", "summary": "a", "area": None, "quote": "开展培训二十三次"},
        {"part": "measures", "title": "b", "summary": "b", "area": None, "quote": "不存在的句子"},
    ], "metrics": []}
    extraction = parse(answer, lenient=True)
    assert [i.title for i in extraction.grounded_items] == ["a"]
    assert extraction.dropped == ["items[1].quote '不存在的句子'"]


def test_schema_errors_are_validation_errors_too():
    with pytest.raises(ValidationError):
        parse({"items": [{"part": "elsewhere", "title": "a", "summary": "a", "quote": "开展培训二十三次"}]})


PROBLEM_TEXT = ("（一）合法性审查还需加强。合法性审查投入不够；法律顾问意见模板化；审核人员疏忽。"
                "究其原因，是审查力量不足。\n二、明年将高标准迎接验收。")
PROBLEM_QUOTE = PROBLEM_TEXT[:PROBLEM_TEXT.index("\n")]


def parse_in(text: str, answer: dict, lenient: bool = False) -> Extraction:
    with grounding_scope(GroundingState(Aligner(text), lenient_now=lenient)):
        return Extraction.model_validate(answer)


def problem(**fields) -> dict:
    return {"part": "problems", "title": "合法性审查", "summary": "合法性审查不足", "area": "decisions",
            "quote": PROBLEM_QUOTE, **fields}


def test_a_problems_clauses_and_cause_get_offsets_inside_its_quote():
    extraction = parse_in(PROBLEM_TEXT, {"items": [problem(
        clauses=["合法性审查投入不够", "法律顾问意见模板化", "审核人员疏忽"], cause="究其原因，是审查力量不足。")]})
    [item] = extraction.grounded_items
    assert [(PROBLEM_TEXT[c.start:c.end], c.start) for c in item.clauses] == [
        ("合法性审查投入不够", 13), ("法律顾问意见模板化", 23), ("审核人员疏忽", 33)]
    assert PROBLEM_TEXT[item.cause.start:item.cause.end] == "究其原因，是审查力量不足。" == item.cause.quote


def test_a_clause_outside_its_item_is_rejected_naming_it_even_when_it_is_elsewhere_in_the_text():
    answer = {"items": [
        problem(quote="合法性审查投入不够；法律顾问意见模板化；", clauses=["合法性审查投入不够", "审核人员疏忽"],
                cause="审查力量不足"),
    ]}
    with pytest.raises(ValidationError) as failure:
        parse_in(PROBLEM_TEXT, answer)
    message = str(failure.value)
    assert "items[0].clauses[1] '审核人员疏忽' 不在该条 quote 中" in message
    assert "items[0].cause '审查力量不足' 不在该条 quote 中" in message
    assert "clauses[0]" not in message
    lenient = parse_in(PROBLEM_TEXT, answer, lenient=True)  # the item stays, with the clause that is inside it
    assert [c.quote for c in lenient.grounded_items[0].clauses] == ["合法性审查投入不够"]
    assert lenient.grounded_items[0].cause is None


INDICATOR_TEXT = "全年受理行政复议申请65件，直播庭审12场，涉案金额1800万元。"


def metric(label, value, unit, quote, indicator=None) -> dict:
    return {"label": label, "value": value, "unit": unit, "qualifier": None, "quote": quote, "indicator": indicator}


def test_an_indicator_id_becomes_the_catalogues_ref_and_a_figure_without_one_is_mapped_by_the_rule():
    extraction = parse_in(INDICATOR_TEXT, {"metrics": [
        metric("行政复议申请受理", 65, "件", "全年受理行政复议申请65件", "reconsideration_cases"),
        metric("行政复议申请", 65, "件", "受理行政复议申请65件"),  # no id from the model: the catalogue's rule
        metric("直播庭审", 12, "场", "直播庭审12场"),
        metric("涉案金额", 1800, "万元", "涉案金额1800万元"),
    ]})
    refs = [m.indicator and (m.indicator.id, m.indicator.name) for m in extraction.grounded_metrics]
    assert refs == [("reconsideration_cases", "行政复议收案（新收、受理）"),
                    ("reconsideration_cases", "行政复议收案（新收、受理）"), None, None]


def test_an_unknown_indicator_id_is_rejected_naming_it():
    with pytest.raises(ValidationError) as failure:
        parse_in(INDICATOR_TEXT, {"metrics": [
            metric("行政复议申请", 65, "件", "受理行政复议申请65件", "reconsideration_received"),
            metric("直播庭审", 12, "场", "直播庭审12场", None),
        ]})
    message = str(failure.value)
    assert "metrics[0].indicator 'reconsideration_received' 不是指标目录中的编号" in message
    assert "metrics[1]" not in message
