"""`drafter eval`: the shipped seed gold is verbatim, the scoring rules do what gold/README.md says, and the command
prints, writes and gates."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.errors import DrafterError
from drafter.evaluate import (
    Gold,
    combine,
    evaluate,
    labels_agree,
    load_gold,
    parse_gate,
    spans_match,
)
import drafter
from drafter.ingest import read_document
from drafter.models import Item, Metric

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "gold" / "seeds"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def golds() -> dict[str, Gold]:
    return {g.source: g for g in load_gold(GOLD_DIR)}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_gold_span_is_verbatim_in_the_cleaned_text(seed, golds):
    gold = golds[seed.name]
    assert gold.sha256 == hashlib.sha256(seed.read_bytes()).hexdigest()
    text = read_document(seed).text
    spans = [*gold.measures, *gold.problems, *gold.plans, *gold.leadership, *gold.metrics]
    assert spans and all(text[s.start:s.end] == s.quote for s in spans)
    for kind in ("measures", "problems", "plans", "leadership"):
        starts = [s.start for s in getattr(gold, kind)]
        assert starts == sorted(set(starts)), kind  # in text order, none twice
    # No sentence is two kinds at once.
    items = [(s.start, s.end) for k in ("measures", "problems", "plans", "leadership") for s in getattr(gold, k)]
    assert len(items) == len(set(items))


def test_gold_facts_read_by_hand(golds):
    xingning = golds["xingning-2024.txt"]
    review = next(m for m in xingning.metrics if m.indicator == "行政复议案件")
    assert (review.quote, review.value, review.label) == ("218件", 218, "新收行政复议案件")
    assert [m.quote for m in xingning.metrics if m.label == "普法文艺汇演线上互动观众"] == ["16万人次"]
    assert xingning.problems[0].quote.startswith("对规范性文件管理制度的思想认识还不到位")
    assert len(xingning.problems) == 11 and len(xingning.plans) == 5
    chuxiong = golds["chuxiong-2024.txt"]
    assert chuxiong.parts_missing == ["problems", "plans"] and chuxiong.problems == [] and chuxiong.plans == []
    money = next(m for m in golds["diaobingshan-2022.txt"].metrics if m.label == "涉案金额")
    assert (money.quote, money.raw, money.value, money.unit, money.qualifier) == ("875万余元", "875万", 875, "万元", "余")


@pytest.mark.parametrize("a, b, matched", [
    ((0, 10), (0, 10), True),
    ((0, 10), (4, 14), False),  # IoU 6/14
    ((0, 10), (2, 12), True),  # IoU 8/12
    ((0, 100), (40, 60), True),  # the gold clause inside a coarse item
    ((0, 12), (3, 40), False),  # 9 of 12 inside (75%), IoU 9/40
    ((5, 25), (0, 21), True),  # a heading of 5 sticks out: 16 of 20 inside (80%)
    ((0, 10), (10, 20), False),
])
def test_span_matching(a, b, matched):
    assert (spans_match(a, b) is not None) is matched


def test_labels_agree_by_containment_or_bigrams():
    assert labels_agree("行政复议案件", "新收行政复议案件")
    assert labels_agree("行政执法人员网上考试", "行政执法人员综合法律知识网上考试")
    assert not labels_agree("受理", "行政复议审结")


def perfect(gold: Gold, summary):
    """`summary` with the gold's items and figures in place of its own."""
    def items(kind):
        return [Item(quote=s.quote, start=s.start, end=s.end, title="t", summary="s", part=kind)
                for s in getattr(gold, kind)]
    metrics = [Metric(quote=m.quote, start=m.start, end=m.end, label=m.label, value=m.value, unit=m.unit, raw=m.raw)
               for m in gold.metrics]
    return summary.model_copy(update={k: items(k) for k in ("measures", "problems", "plans", "leadership")}
                              | {"metrics": metrics})


def test_the_gold_itself_scores_full_and_each_error_costs_exactly_what_it_should(golds):
    gold = golds["xingning-2024.txt"]
    summary = perfect(gold, drafter.summarize(read_document(ROOT / "seeds" / "xingning-2024.txt")))
    report = evaluate(summary, gold)
    assert all(s.tp == s.gold == s.predicted for name, s in report.fields.items()
               if name not in ("indicators", "meta.title")), report.misses
    assert report.misses == []
    # One problem dropped, one plan cut to a third of its span, one figure's value wrong, one label wrong.
    plan = summary.plans[0]
    worse = summary.model_copy(update={
        "problems": summary.problems[1:],
        "plans": [plan.model_copy(update={"end": plan.start + len(plan.quote) // 3,
                                          "quote": plan.quote[:len(plan.quote) // 3]}), *summary.plans[1:]],
        "metrics": [summary.metrics[0].model_copy(update={"value": 5.0, "label": "审批"}),
                    summary.metrics[1].model_copy(update={"label": "审批"}), *summary.metrics[2:]],
    })
    report = evaluate(worse, gold)
    f = report.fields
    assert (f["problems"].tp, f["problems"].predicted, f["problems"].gold) == (10, 10, 11)
    # A third of a plan still lies within it (a match by containment), but no longer covers it.
    assert (f["plans"].tp, f["plans"].gold) == (5, 5) and report.coverage["plans"].covered == 4
    assert (f["metrics"].tp, f["metrics"].gold) == (79, 80)
    assert (f["metric_labels"].tp, f["metric_labels"].gold) == (78, 79)
    assert any("problems missed: '对规范性文件管理制度的思想认识还不到位" in m for m in report.misses)


def test_rules_backend_on_the_seeds(golds):
    """Today's rules backend, measured: metadata and parts right, figures found, problems clause by clause as the
    gold, plans finer than the gold's clauses (one item per promise)."""
    summaries = {seed.name: drafter.summarize(read_document(seed)) for seed in SEEDS}
    reports = [evaluate(summaries[seed.name], golds[seed.name]) for seed in SEEDS]
    total = combine(reports).total
    assert total["meta"].tp == total["meta"].gold
    assert total["parts"].tp == total["parts"].gold and total["parts"].predicted == total["parts"].gold
    assert total["metrics"].recall >= 0.95 and total["metrics"].precision >= 0.95
    assert total["indicators"].tp == total["indicators"].gold == 16  # each tagged figure carries its indicator
    # xingning: three problem paragraphs, whose clauses are the gold's eleven, span for span.
    xingning = next(r for r in reports if r.gold == "xingning-2024.txt")
    assert (xingning.fields["problems"].tp, xingning.fields["problems"].gold) == (11, 11)
    clauses = [(c.start, c.quote) for i in summaries["xingning-2024.txt"].problems for c in i.clauses]
    assert clauses == [(g.start, g.quote.rstrip("；;。")) for g in golds["xingning-2024.txt"].problems]  # the gold keeps the ；
    # Its 22 plan items, one per promise, find all five gold plan clauses; 15 lie inside one, and the other seven
    # are the part's lead-in ("接下来,我市将继续坚持…", four pieces) and the three section headings.
    plans = xingning.fields["plans"]
    assert (plans.tp, plans.predicted, plans.gold) == (5, 20, 5)
    assert xingning.coverage["plans"].within == 15


def test_gate():
    gate = parse_gate(["0.5", "metrics=0.99"])
    assert gate == {"*": 0.5, "metrics": 0.99}
    with pytest.raises(DrafterError, match="FIELD=FLOAT"):
        parse_gate(["high"])
    with pytest.raises(DrafterError, match="between 0 and 1"):
        parse_gate(["90"])


def test_cli_prints_writes_json_and_gates(tmp_path):
    runner = CliRunner()
    seed = str(ROOT / "seeds" / "xingning-2024.txt")
    out = tmp_path / "scores.json"
    result = runner.invoke(app, ["eval", seed, "--gold", str(GOLD_DIR), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "problems" in result.output and "coverage" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["total"]["problems"]["gold"] == 11 and data["passed"] is True
    again = runner.invoke(app, ["eval", seed, "--gold", str(GOLD_DIR), "--json", str(out)])
    assert again.exit_code == 1 and "exists; use --force" in again.output
    # 兴宁's 22 plan items for the gold's 5 clauses: F1 37.0%.
    gated = runner.invoke(app, ["eval", seed, "--gold", str(GOLD_DIR), "--min", "plans=0.9"])
    assert gated.exit_code == 1 and "below the bar: plans 40.0% < 90%" in gated.output
    assert runner.invoke(app, ["eval", seed, "--gold", str(GOLD_DIR), "--min", "metrics=0.9"]).exit_code == 0
    unknown = runner.invoke(app, ["eval", seed, "--gold", str(GOLD_DIR), "--min", "nope=0.9"])
    assert unknown.exit_code == 1 and "no such field 'nope'" in unknown.output
    nogold = runner.invoke(app, ["eval", seed, "--gold", str(ROOT / "tests" / "heldout")])
    assert nogold.exit_code == 1 and "no gold for xingning-2024.txt" in nogold.output
    assert runner.invoke(app, ["eval", seed, "--gold", str(tmp_path)]).exit_code == 2


def test_cli_takes_a_folder_of_summaries(tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["summarize", str(ROOT / "seeds"), "--out", str(tmp_path), "-q"]).exit_code == 0
    result = runner.invoke(app, ["eval", str(tmp_path), "--gold", str(GOLD_DIR), "--min", "meta=1"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("5 reports against")
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = runner.invoke(app, ["eval", str(empty), "--gold", str(GOLD_DIR)])
    assert nothing.exit_code == 1 and "no summaries or reports found" in nothing.output


def test_cli_reads_heldout_gold_written_without_spans():
    result = CliRunner().invoke(app, ["eval", str(ROOT / "tests" / "heldout"), "--gold", str(ROOT / "tests" / "heldout")])
    assert result.exit_code == 0, result.output
    count = len(list((ROOT / "tests" / "heldout").glob("*.gold.json")))
    assert result.output.startswith(f"{count} reports") and "metrics" in result.output


def test_an_indicator_counts_only_when_the_figure_carries_it(golds):
    summary = drafter.summarize(read_document(ROOT / "seeds" / "xingning-2024.txt"))
    assert evaluate(summary, golds["xingning-2024.txt"]).fields["indicators"].tp == 4
    # 新收行政复议案件218件 found, but not tagged 行政复议收案: no longer a hit.
    metrics = [m.model_copy(update={"indicator": None}) if m.quote.endswith("新收行政复议案件218件") else m
               for m in summary.metrics]
    untagged = summary.model_copy(update={"metrics": metrics})
    score = evaluate(untagged, golds["xingning-2024.txt"]).fields["indicators"]
    assert (score.tp, score.gold) == (3, 4)
