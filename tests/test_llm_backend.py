"""The llm backend over real HTTP against the loopback fake server: re-asks, retries, faults, cache, usage."""

from __future__ import annotations

import json
import time

import pytest

from drafter.errors import DrafterError
from drafter.extract.llm import extract_facts
from drafter.llm.config import LLM, load_settings
from drafter.replay.fake_server import FakeLLM, Fault
from drafter.llm.prompt import estimate_tokens
from llm_helpers import FABRICATED_ANSWER, GOOD_ANSWER, REPORT, REPORT_SECTIONS, TEST_KEY, document, settings_for

DOC = document(REPORT)


def run(server: FakeLLM, tmp_path, *, use_cache: bool = False, lenient: bool = False, **overrides):
    settings = settings_for(server, tmp_path / "cache", **overrides)
    return extract_facts(DOC, REPORT_SECTIONS, LLM(settings, use_cache=use_cache, lenient=lenient))


def test_good_answer_is_grounded_with_offsets_and_figures(tmp_path):
    with FakeLLM(script=[GOOD_ANSWER]) as server:
        facts = run(server, tmp_path)
    assert server.request_count == 1
    measure, problem = facts.items
    assert (measure.part, measure.start, measure.quote) == ("measures", 10, "全年办理行政复议案件4.6万件，同比增长12%。")
    assert REPORT[problem.start:problem.end] == "执法队伍素质有待提高。"
    cases, events = facts.metrics
    assert (cases.value, cases.raw, cases.unit) == (46000, "4.6万", "件")
    assert (events.value, events.raw) == (300, "三百")
    assert facts.usage.requests == 1 and facts.usage.prompt_tokens > 0 and facts.usage.completion_tokens > 0


def test_fabricated_quote_is_reasked_naming_it_then_corrected(tmp_path):
    with FakeLLM(script=[FABRICATED_ANSWER, GOOD_ANSWER]) as server:
        facts = run(server, tmp_path)
    assert server.request_count == 2
    reask = server.requests[1]["messages"]
    # The second request carries the rejected answer and an error that names the invented quote.
    assert reask[-2]["role"] == "assistant"
    assert "全年办理行政复议案件9.9万件" in reask[-1]["content"] and "items[0].quote" in reask[-1]["content"]
    assert [i.quote for i in facts.items][0] == "全年办理行政复议案件4.6万件，同比增长12%。"
    assert facts.usage.requests == 2  # usage counts both completions
    assert facts.usage.prompt_tokens > 2 * estimate_tokens(REPORT)


def test_fabricated_every_time_fails_clearly_after_the_reasks(tmp_path):
    with FakeLLM(script=[FABRICATED_ANSWER] * 5) as server:
        with pytest.raises(DrafterError) as failure:
            run(server, tmp_path, reasks=2)
    assert server.request_count == 3  # reasks=2 → 3 attempts, no more
    message = str(failure.value)
    assert message == "llm: model answer rejected after 3 attempt(s): 1 fact not found in the text, first: items[0].quote '全年办理行政复议案件9.9万件'"


def test_lenient_drops_the_unaligned_fact_and_warns(tmp_path):
    mixed = {"items": GOOD_ANSWER["items"] + FABRICATED_ANSWER["items"], "metrics": GOOD_ANSWER["metrics"]}
    with FakeLLM(script=[mixed, mixed]) as server:
        facts = run(server, tmp_path, reasks=1, lenient=True, use_cache=True)
    assert server.request_count == 2  # it still re-asks first
    assert [i.title for i in facts.items] == ["行政复议", "执法队伍"]
    assert len(facts.warnings) == 1 and facts.warnings[0].startswith("模型给出的内容在原文中找不到，已舍弃：") and "9.9万件" in facts.warnings[0]
    assert not list((tmp_path / "cache").rglob("*.json"))  # an incomplete answer is not cached


def test_metric_value_not_in_its_quote_is_reasked(tmp_path):
    wrong_value = {"items": [], "metrics": [dict(GOOD_ANSWER["metrics"][0], value=4600)]}
    with FakeLLM(script=[wrong_value, GOOD_ANSWER]) as server:
        facts = run(server, tmp_path)
    assert "metrics[0].value 4600" in server.requests[1]["messages"][-1]["content"]
    assert facts.metrics[0].value == 46000


def test_invalid_json_is_reasked(tmp_path):
    with FakeLLM(script=['{"items": [{"part": ', GOOD_ANSWER]) as server:
        facts = run(server, tmp_path)
    assert server.request_count == 2
    assert "Invalid JSON" in server.requests[1]["messages"][-1]["content"]
    assert len(facts.items) == 2


def test_429_then_success_honours_retry_after(tmp_path):
    with FakeLLM(script=[Fault("429", retry_after=0.3), GOOD_ANSWER]) as server:
        started = time.monotonic()
        facts = run(server, tmp_path)
        waited = time.monotonic() - started
    assert server.request_count == 2 and len(facts.items) == 2
    assert waited >= 0.3  # the backoff alone (≤ 0.01 s) would not wait this long
    assert facts.usage.requests == 1  # the 429 is no completion


def test_500_until_the_retry_bound_fails_clearly(tmp_path):
    with FakeLLM(script=[Fault("500")] * 10) as server:
        with pytest.raises(DrafterError, match=r"answered 500.*gave up after 4 attempts"):
            run(server, tmp_path, http_attempts=4)
    assert server.request_count == 4


def test_401_fails_fast_without_retries(tmp_path):
    with FakeLLM(script=[Fault("401")] * 5) as server:
        with pytest.raises(DrafterError, match="rejected the API key") as failure:
            run(server, tmp_path)
    assert server.request_count == 1
    assert TEST_KEY not in str(failure.value)


def test_timeout_is_retried_then_succeeds(tmp_path):
    with FakeLLM(script=[Fault("timeout", delay=0.6), GOOD_ANSWER]) as server:
        facts = run(server, tmp_path, timeout=0.2)
    assert server.request_count == 2 and len(facts.items) == 2


def test_timeouts_until_the_bound_fail_clearly(tmp_path):
    with FakeLLM(script=[Fault("timeout", delay=0.5)] * 3) as server:
        with pytest.raises(DrafterError, match=r"no answer from .* within 0.15s.*gave up after 2 attempts"):
            run(server, tmp_path, timeout=0.15, http_attempts=2)


def test_a_body_that_is_not_json_is_retried_then_a_clear_failure(tmp_path):
    with FakeLLM(script=[Fault("garbage_body"), GOOD_ANSWER]) as server:
        assert len(run(server, tmp_path).items) == 2
    with FakeLLM(script=[Fault("garbage_body")] * 5) as server:
        with pytest.raises(DrafterError, match=r"^llm: unusable answer from .*: the body is not JSON \(gave up after 3"):
            run(server, tmp_path)
    assert server.request_count == 3


def test_unreachable_endpoint_and_a_short_placeholder_key(tmp_path):
    settings = load_settings(api_key="local", model="m", base_url="http://127.0.0.1:9/v1", backoff_initial=0.001,
                             http_attempts=2, cache_dir=tmp_path)
    with pytest.raises(DrafterError) as failure:
        extract_facts(DOC, [], LLM(settings, use_cache=False))
    assert str(failure.value) == "llm: cannot connect to http://127.0.0.1:9/v1 (check OPENAI_BASE_URL) (gave up after 2 attempts)"


def test_cache_hit_sends_no_request_and_reports_zero_usage(tmp_path):
    with FakeLLM(script=[GOOD_ANSWER]) as server:
        first = run(server, tmp_path, use_cache=True)
    with FakeLLM() as server:  # no script, no fixtures: any request would fail
        second = run(server, tmp_path, use_cache=True)
        assert server.request_count == 0
    assert second.cached_chunks == 1 and second.usage.requests == 0
    assert [i.model_dump() for i in second.items] == [i.model_dump() for i in first.items]
    entry = next((tmp_path / "cache").rglob("*.json")).read_text(encoding="utf-8")
    assert TEST_KEY not in entry and "Authorization" not in entry


def test_no_cache_and_changed_model_both_miss(tmp_path):
    with FakeLLM(script=[GOOD_ANSWER] * 3) as server:
        run(server, tmp_path, use_cache=True)
        run(server, tmp_path, use_cache=False)
        run(server, tmp_path, use_cache=True, model="other-model")
    assert server.request_count == 3


def test_report_text_with_jinja_syntax_is_sent_verbatim(tmp_path):
    text = "一、主要举措和成效\n建立“{{ x }}”台账{% raw %}，落实整改。\n"
    answer = {"items": [{"part": "measures", "title": "台账", "summary": "建立台账", "area": None,
                         "quote": "建立“{{ x }}”台账{% raw %}，落实整改。"}], "metrics": []}
    with FakeLLM(script=[answer]) as server:
        facts = extract_facts(document(text), [], LLM(settings_for(server, tmp_path), use_cache=False))
    user = server.requests[0]["messages"][-1]["content"]
    assert "建立“{{ x }}”台账{% raw %}，落实整改。" in user
    assert facts.items[0].quote == "建立“{{ x }}”台账{% raw %}，落实整改。"


def test_the_key_never_appears_in_requests_bodies(tmp_path):
    with FakeLLM(script=[GOOD_ANSWER]) as server:
        run(server, tmp_path)
    assert TEST_KEY not in json.dumps(server.requests, ensure_ascii=False)
    assert {k.lower(): v for k, v in server.headers[0].items()}["authorization"] == f"Bearer {TEST_KEY}"  # sent where it belongs, and only there


@pytest.mark.parametrize("mode", ["json", "md_json"])
def test_json_modes_parse_and_ground(tmp_path, mode):
    with FakeLLM(script=[GOOD_ANSWER]) as server:
        facts = run(server, tmp_path, mode=mode)
    body = server.requests[0]
    assert "tools" not in body
    assert len(facts.items) == 2 and facts.metrics[0].raw == "4.6万"


def test_ledger_sums_usage_across_reports_including_failed_ones(tmp_path):
    from drafter.llm.config import UsageLedger

    ledger = UsageLedger()
    with FakeLLM(script=[GOOD_ANSWER, FABRICATED_ANSWER, FABRICATED_ANSWER]) as server:
        settings = settings_for(server, tmp_path / "cache", reasks=1)
        ok = extract_facts(DOC, REPORT_SECTIONS, LLM(settings, use_cache=False, ledger=ledger))
        with pytest.raises(DrafterError):
            extract_facts(document("一、其他\n另一份报告的正文。\n"), [], LLM(settings, use_cache=False, ledger=ledger))
    assert ledger.total.requests == 3
    assert ledger.total.prompt_tokens > ok.usage.prompt_tokens > 0


def test_a_400_fails_fast_and_the_key_it_quotes_is_redacted(tmp_path):
    with FakeLLM(script=[Fault("400_echo_key")] * 3) as server:
        with pytest.raises(DrafterError, match=r"answered 400: model not available for key \[REDACTED\]") as failure:
            run(server, tmp_path)
    assert server.request_count == 1
    assert TEST_KEY not in str(failure.value)


def test_an_answer_cut_off_at_max_tokens_says_what_to_change(tmp_path):
    with FakeLLM(script=[Fault("truncated")]) as server:
        with pytest.raises(DrafterError, match="cut off .*DRAFTER_CHUNK_TOKENS"):
            run(server, tmp_path)
    assert server.request_count == 1


def test_retry_after_forms():
    import email.utils

    import httpx2
    import openai

    from drafter.llm.client import retry_after_seconds

    def rate_limited(headers):
        request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
        return openai.RateLimitError("slow down", response=httpx2.Response(429, headers=headers, request=request), body=None)

    assert retry_after_seconds(rate_limited({"Retry-After": "7"})) == 7
    assert retry_after_seconds(rate_limited({"retry-after-ms": "250"})) == 0.25
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 <= retry_after_seconds(rate_limited({"Retry-After": in_a_minute})) <= 60
    assert retry_after_seconds(rate_limited({})) is None


def with_problem(**fields) -> dict:
    problem = {"part": "problems", "title": "执法队伍", "summary": "执法队伍素质待提高", "area": "enforcement",
               "quote": "执法队伍素质有待提高。", **fields}
    return {"items": [GOOD_ANSWER["items"][0], problem], "metrics": GOOD_ANSWER["metrics"]}


def test_a_clause_outside_its_problem_is_reasked_naming_it_then_corrected(tmp_path):
    outside = with_problem(clauses=["执法队伍素质有待提高", "同比增长12%"])  # the second is in the text, not the item
    with FakeLLM(script=[outside, with_problem(clauses=["执法队伍素质有待提高"])]) as server:
        facts = run(server, tmp_path)
    assert server.request_count == 2
    reask = server.requests[1]["messages"][-1]["content"]
    assert "items[1].clauses[1] '同比增长12%' 不在该条 quote 中" in reask and "clauses[0]" not in reask
    [clause] = facts.items[1].clauses
    assert (clause.quote, clause.start) == ("执法队伍素质有待提高", REPORT.index("执法队伍"))


def test_an_unknown_indicator_id_is_reasked_then_the_figure_carries_the_catalogue_name(tmp_path):
    def answer(indicator: str) -> dict:
        first = {**GOOD_ANSWER["metrics"][0], "indicator": indicator}
        return {"items": GOOD_ANSWER["items"], "metrics": [first, GOOD_ANSWER["metrics"][1]]}

    with FakeLLM(script=[answer("xingzheng_fuyi"), answer("reconsideration_cases")]) as server:
        facts = run(server, tmp_path)
    assert server.request_count == 2
    assert "metrics[0].indicator 'xingzheng_fuyi' 不是指标目录中的编号" in server.requests[1]["messages"][-1]["content"]
    cases, events = facts.metrics
    assert (cases.indicator.id, cases.indicator.name) == ("reconsideration_cases", "行政复议收案（新收、受理）")
    assert events.indicator.id == "publicity_events"  # no id from the model: the catalogue's rule names it


def test_the_system_prompt_lists_every_catalogue_id_and_asks_for_one_plan_item_per_promise(tmp_path):
    from drafter.extract.indicators import load_catalogue

    with FakeLLM(script=[GOOD_ANSWER]) as server:
        run(server, tmp_path)
    system = server.requests[0]["messages"][0]["content"]
    assert all(f"{i.id}＝{i.name}" in system for i in load_catalogue().indicators)
    assert "每个单一承诺一条" in system and "第一责任人" in system and "clauses" in system
