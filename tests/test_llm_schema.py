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
