"""The llm backend keeps every figure the rules found and takes the model's names for the ones it cites."""

from __future__ import annotations

from pathlib import Path

import drafter
from drafter.extract.llm import merge_metrics
from drafter.ground import Aligner
from drafter.ingest import read_document
from drafter.models import Metric

SEED = Path(__file__).parent.parent / "seeds" / "zhoucun-2024.txt"


def test_model_labels_replace_rule_labels_and_model_only_figures_are_added() -> None:
    doc = read_document(SEED)
    base = drafter.summarize(doc)
    aligner = Aligner(doc.text)
    cited, _ = aligner.align("共收到行政复议申请131件")
    relabelled = Metric(**cited.model_dump(), label="行政复议申请收件数", value=131, unit="件", raw="131")
    # A figure written in words the rules do not read: the model's find is kept as an extra metric.
    extra_span, _ = aligner.align("审结136件")
    extra = Metric(**extra_span.model_dump(), label="行政复议审结", value=136.5, unit="件", raw="136")

    merged = merge_metrics(base.metrics, [relabelled, extra])

    assert len(merged) == len(base.metrics) + 1
    applications = [m for m in merged if m.value == 131 and m.unit == "件"]
    assert [m.label for m in applications] == ["行政复议申请收件数"]
    assert applications[0].quote == base.metrics[[m.value for m in base.metrics].index(131)].quote
    assert extra in merged
    assert [m.start for m in merged] == sorted(m.start for m in merged)
