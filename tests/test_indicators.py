"""The standard indicators catalogue (package data) and which indicator a figure measures, checked on the seeds."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from drafter.errors import DrafterError
from drafter.extract.indicators import indicator_for, load_catalogue, map_indicator
from drafter.extract.metrics import extract_metrics
from drafter.ingest import read_document
from drafter.models import AREAS, Metric

ROOT = Path(__file__).resolve().parents[1]


def seed_metrics(name: str) -> tuple[str, list[Metric]]:
    text = (ROOT / "seeds" / f"{name}.txt").read_text(encoding="utf-8")
    return text, extract_metrics(text, [])


def figure(metrics: list[Metric], raw: str, quote_part: str) -> Metric:
    hits = [m for m in metrics if m.raw == raw and quote_part in m.quote]
    assert hits, f"no figure {raw!r} in a clause containing {quote_part!r}"
    return hits[0]


def test_catalogue_is_versioned_data_of_25_to_40_indicators():
    catalogue = load_catalogue()
    assert catalogue.version == "1"
    assert 25 <= len(catalogue.indicators) <= 40
    ids = [i.id for i in catalogue.indicators]
    assert len(set(ids)) == len(ids)
    for indicator in catalogue.indicators:
        assert indicator.area in AREAS
        assert indicator.unit in indicator.units, indicator.id
        assert indicator.synonyms and all(s.split("+")[-1] for s in indicator.synonyms), indicator.id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in indicator.name), indicator.id
    # the rows the issue names are there
    names = {i.id: i.name for i in catalogue.indicators}
    for wanted in ("reconsideration_cases", "reconsideration_correction_rate", "litigation_cases",
                   "head_appearance_rate", "litigation_loss_rate", "normative_reviewed", "major_decisions",
                   "enforcement_certified", "case_file_review", "disclosure_on_request", "mediation_cases",
                   "mediation_success_rate", "legal_advisers", "hotline_orders", "publicity_events"):
        assert wanted in names


def test_an_unknown_catalogue_version_is_a_clear_error():
    with pytest.raises(DrafterError, match="v99"):
        load_catalogue("99")


@pytest.mark.parametrize(("seed", "raw", "quote_part", "indicator"), [
    # read off the seeds by hand
    ("xingning-2024", "218", "新收行政复议案件218件", "reconsideration_cases"),
    ("xingning-2024", "65", "受理后审结案件65件", "reconsideration_closed"),  # 复议 is in the sentence only
    ("xingning-2024", "8", "直接纠正行政机关决定8件", "reconsideration_corrected"),
    ("xingning-2024", "25", "以市政府为被告的行政应诉案件共25件", "litigation_cases"),
    ("xingning-2024", "0", "复议后败诉的案件为0", "litigation_lost"),
    ("xingning-2024", "14138", "热线工单14138件", "hotline_orders"),
    ("xingning-2024", "100", "按时办结率100%", "hotline_ontime_rate"),
    ("xingning-2024", "28", "依申请公开28宗", "disclosure_on_request"),
    ("diaobingshan-2022", "100", "行政机关负责人出庭应诉率达100%", "head_appearance_rate"),
    ("diaobingshan-2022", "100", "出庭率达到100%", "head_appearance_rate"),
    ("diaobingshan-2022", "70", "行政诉讼达到70余次", "legal_adviser_matters"),
    ("chuxiong-2024", "98.7", "合格率达98.7%", "case_file_pass_rate"),
    ("chuxiong-2024", "95.43", "成功率95.43%", "mediation_success_rate"),
    ("chuxiong-2024", "97", "聘请法律顾问97名", "legal_advisers"),
    ("zhoucun-2024", "8", "区委常委会、区政府常务会研究法治建设事项8次", "leadership_meetings"),
    ("zhoucun-2024", "100", "报备率100%", "normative_filing_rate"),
    ("ruzhou-2023", "1940", "办理执法证1940人", "enforcement_certified"),
])
def test_figures_that_measure_an_indicator_carry_it(seed, raw, quote_part, indicator):
    _, metrics = seed_metrics(seed)
    got = figure(metrics, raw, quote_part).indicator
    assert got is not None and got.id == indicator
    assert got.name == load_catalogue().by_id(indicator).name  # type: ignore[union-attr]


@pytest.mark.parametrize(("seed", "raw", "quote_part"), [
    ("diaobingshan-2022", "863", "直播庭审863场"),  # a court's live trials
    ("diaobingshan-2022", "875", "涉案金额共计875万余元"),
    ("diaobingshan-2022", "14", "法律顾问14次"),  # 法律顾问 here is an activity counted in 次, not advisers
    ("diaobingshan-2022", "59", "59个村(社区)法律顾问受理法律咨询"),  # counts villages
    ("ruzhou-2023", "4", "连续4年入选全国县域经济百强县"),
    ("chuxiong-2024", "70.2", "同比上升70.2%"),  # a change, not the count
    ("chuxiong-2024", "2215", "调解成功2215件"),  # a part of the mediated disputes
    ("xingning-2024", "7", "及时发出行政复议建议书7份"),
])
def test_figures_that_measure_none_carry_none(seed, raw, quote_part):
    _, metrics = seed_metrics(seed)
    assert figure(metrics, raw, quote_part).indicator is None


def test_mapping_needs_the_unit_and_no_exclude_word():
    base = {"quote": "x", "start": 0, "end": 1, "value": 1, "raw": "1"}
    assert map_indicator(Metric(label="聘请法律顾问", unit="名", **base)).id == "legal_advisers"  # type: ignore[union-attr]
    assert map_indicator(Metric(label="聘请法律顾问", unit="万元", **base)) is None
    assert map_indicator(Metric(label="行政复议案件同比上升", unit="%", **base)) is None
    # an owner word may come from the sentence; the counted word must be in the label
    assert map_indicator(Metric(label="审结案件", unit="件", **base), "行政复议方面，").id == "reconsideration_closed"  # type: ignore[union-attr]
    assert map_indicator(Metric(label="审结案件", unit="件", **base), "民事审判方面，") is None
    assert map_indicator(Metric(label="案件", unit="件", **base), "行政复议审结") is None


def test_indicator_for_reads_its_context_from_a_stretch_of_the_text():
    text = "行政复议方面，审结案件65件"
    assert indicator_for("审结案件", "件", text, 0, 11).id == "reconsideration_closed"  # type: ignore[union-attr]
    assert indicator_for("审结案件", "件", text, 4, 11) is None  # the stretch leaves 行政复议 out
    assert indicator_for("审结案件", "件(次)", text, 0, 11).id == "reconsideration_closed"  # type: ignore[union-attr]


def _eval_labels():
    spec = importlib.util.spec_from_file_location("eval_labels", ROOT / "bench" / "eval_labels.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["eval_labels"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_hand_gold_covers_every_seed_figure_verbatim():
    for path in sorted((ROOT / "tests" / "gold" / "labels").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = read_document(ROOT / "seeds" / f"{gold['seed']}.txt").text
        assert len(gold["figures"]) == len(extract_metrics(text, [])), gold["seed"]
        ids = {i.id for i in load_catalogue().indicators}
        for row in gold["figures"]:
            # rows are matched by quote + raw; start/end locate the quote in today's cleaned text
            assert row["quote"] in text and row["raw"] in row["quote"] and row["keys"], row
            assert row["indicator"] is None or row["indicator"] in ids, row


def test_labels_and_indicators_on_the_hand_gold():
    """Every seed figure against its hand label and indicator: the issue's targets (labels with a margin)."""
    scores = _eval_labels().evaluate()
    assert scores.figures >= 300 and scores.missing == 0
    assert scores.label_rate >= 0.95
    assert scores.bare_rate <= 0.03
    assert scores.measured >= 80
    assert scores.false_mappings == 0
    assert scores.indicator_rate >= 0.90
