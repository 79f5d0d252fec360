"""`drafter record`: fixtures captured from a (here: fake) live endpoint, secrets redacted, replayable; re-keying."""

from __future__ import annotations

import json
import shutil

import pytest

from drafter.errors import DrafterError
from drafter.llm.config import LLM
from drafter.pipeline import summarize
from drafter.ingest import read_document
from drafter.replay.fake_server import FakeLLM
from drafter.replay.record import record, rekey
from drafter.llm.secrets import REDACTED, redact
from llm_helpers import CURATED_MODEL, FIXTURES, GOOD_ANSWER, REPORT, SEEDS, TEST_KEY, settings_for


def test_redact_secrets_tokens_and_secret_fields():
    value = {"a": f"key {TEST_KEY} end", "api_key": "plain", "nested": [{"Authorization": "x"}, "Bearer abcdefghijkl"]}
    assert redact(value, (TEST_KEY,)) == {
        "a": f"key {REDACTED} end", "api_key": REDACTED, "nested": [{"Authorization": REDACTED}, REDACTED],
    }


def test_record_writes_redacted_fixtures_that_replay(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    leaky = json.loads(json.dumps(GOOD_ANSWER, ensure_ascii=False))
    leaky["items"][0]["summary"] = f"办理行政复议案件 {TEST_KEY}"  # an endpoint echoing the key back
    out = tmp_path / "fixtures"
    with FakeLLM(script=[leaky]) as live:
        written, failures = record([report], out, settings_for(live, tmp_path / "cache"))
    assert failures == [] and len(written) == 1
    content = written[0].read_text(encoding="utf-8")
    assert TEST_KEY not in content and REDACTED in content
    fixture = json.loads(content)
    assert fixture["source"] == str(report) and fixture["fingerprint"]["turn"] == 0
    with FakeLLM(out) as replay:  # no script: only the recorded fixture can answer
        summary = summarize(read_document(report), LLM(settings_for(replay, tmp_path / "cache2"), use_cache=False))
    assert replay.request_count == 1
    assert summary.measures[0].summary == f"办理行政复议案件 {REDACTED}"
    assert summary.metrics[0].raw == "4.6万"


def test_rekey_moves_fixtures_to_a_new_model_name(tmp_path):
    copies = tmp_path / "llm"
    shutil.copytree(FIXTURES, copies)
    seed = SEEDS[0]
    assert len(rekey(copies, model="renamed-model")) == len(SEEDS)
    with FakeLLM(copies) as server:
        with pytest.raises(DrafterError, match="no fixture"):  # the old name no longer matches
            summarize(read_document(seed), LLM(settings_for(server, tmp_path / "c1", model=CURATED_MODEL), use_cache=False))
        summary = summarize(read_document(seed), LLM(settings_for(server, tmp_path / "c2", model="renamed-model"), use_cache=False))
    assert summary.metrics
    assert rekey(copies, model="renamed-model") == []  # already there: nothing rewritten
