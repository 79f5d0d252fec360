"""Every request to the model and its answer (or failure) is logged as a JSON line, with no secret in it."""

from __future__ import annotations

import json

import pytest

from drafter.errors import DrafterError
from drafter.extract.llm import extract_facts
from drafter.llm.config import LLM
from drafter.replay.fake_server import FakeLLM, Fault
from llm_helpers import FABRICATED_ANSWER, GOOD_ANSWER, REPORT, REPORT_SECTIONS, TEST_KEY, document, settings_for

DOC = document(REPORT)


def log_lines(directory) -> list[dict]:
    files = sorted(directory.glob("requests-*.jsonl"))
    return [json.loads(line) for path in files for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_request_and_answer_is_logged_including_reasks_and_retries(tmp_path):
    with FakeLLM(script=[Fault("429", retry_after=0.01), FABRICATED_ANSWER, GOOD_ANSWER]) as server:
        settings = settings_for(server, tmp_path / "cache")
        extract_facts(DOC, REPORT_SECTIONS, LLM(settings, use_cache=False))
    lines = log_lines(tmp_path / "cache" / "log")
    assert [line["attempts"] for line in lines] == [2, 1]  # the 429 was retried inside the first request
    first, second = lines
    assert REPORT in first["request"]["messages"][-1]["content"]  # what left the machine, verbatim
    assert first["request"]["model"] == "test-model"
    assert "虚构" in json.dumps(first["response"], ensure_ascii=False)  # the rejected answer is kept for review
    assert len(second["request"]["messages"]) > len(first["request"]["messages"])  # the re-ask carries the error
    assert first["error"] is None and first["response"]["usage"]["prompt_tokens"] > 0
    for path in (tmp_path / "cache" / "log").iterdir():
        assert TEST_KEY not in path.read_text(encoding="utf-8")


def test_a_failed_request_is_logged_with_its_error(tmp_path):
    with FakeLLM(script=[Fault("401")]) as server:
        settings = settings_for(server, tmp_path / "cache", log_dir=tmp_path / "audit")
        with pytest.raises(DrafterError):
            extract_facts(DOC, REPORT_SECTIONS, LLM(settings, use_cache=False))
    [line] = log_lines(tmp_path / "audit")
    assert line["response"] is None and "401" in line["error"]


def test_logging_can_be_turned_off(tmp_path):
    with FakeLLM(script=[GOOD_ANSWER]) as server:
        settings = settings_for(server, tmp_path / "cache", log=False)
        extract_facts(DOC, REPORT_SECTIONS, LLM(settings, use_cache=False))
    assert not (tmp_path / "cache" / "log").exists()
