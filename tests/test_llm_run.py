"""A run of many reports through one endpoint: concurrency, one client, rate limits, and endpoints that fail fast.

All against the loopback fake server with short settings; the default-settings numbers are measured by
bench/bench_llm.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from draft_samples import xingning_2024

from drafter.drafting.prose import compose_with_prose
from drafter.extract.llm import extract_facts
from drafter.llm.config import LLM, load_settings
from drafter.llm.limits import CircuitBreaker, RateLimiter
from drafter.pipeline import summarize, summarize_many
from drafter.replay.fake_server import FakeLLM, Fault, dead_base_url
from llm_helpers import (
    CURATED_MODEL,
    GOOD_ANSWER,
    REPORT,
    REPORT_SECTIONS,
    ROOT,
    SEEDS,
    TEST_KEY,
    document,
    long_report,
    report_variant,
    settings_for,
)


def errors(outcomes) -> list[str | None]:
    return [o.error for o in sorted(outcomes, key=lambda o: str(o.path))]


# ---- concurrency and one client ------------------------------------------------------------------------------

def test_reports_go_out_together_through_one_client(tmp_path, monkeypatch):
    import openai

    built = []
    real = openai.OpenAI
    monkeypatch.setattr(openai, "OpenAI", lambda *a, **k: built.append(1) or real(*a, **k))
    texts = [report_variant(n) for n in range(8)]
    with FakeLLM(schema_driven="echo", latency=0.3) as server:
        llm = LLM(settings_for(server, tmp_path, concurrency=8), use_cache=False)
        outcomes = list(summarize_many(texts, llm))
    assert errors(outcomes) == [None] * 8
    assert server.request_count == 8 and server.max_in_flight == 8  # one request per report, all at once
    assert len(built) == 1 and llm.endpoint().max_in_flight == 8
    for outcome in outcomes:  # each report got the facts of its own text back
        assert outcome.value.measures[0].quote in outcome.path
    assert llm.ledger.total.requests == 8


def test_in_flight_requests_are_capped_across_reports_and_their_chunks(tmp_path):
    texts = [long_report()[0] + f"第{n}号。" for n in range(2)]
    with FakeLLM(schema_driven="echo", latency=0.2) as server:
        llm = LLM(settings_for(server, tmp_path, concurrency=3, chunk_tokens=700), use_cache=False)
        outcomes = list(summarize_many(texts, llm))
    assert errors(outcomes) == [None, None]
    chunks = sum(o.value.provenance.usage.requests for o in outcomes)
    assert chunks >= 6 and server.request_count == chunks
    assert server.max_in_flight == 3


def test_summaries_and_draft_prose_share_the_run_client(tmp_path, monkeypatch):
    import openai

    built = []
    real = openai.OpenAI
    monkeypatch.setattr(openai, "OpenAI", lambda *a, **k: built.append(1) or real(*a, **k))
    with FakeLLM(ROOT / "fixtures") as server:  # the extraction and the draft fixtures
        llm = LLM(settings_for(server, tmp_path, model=CURATED_MODEL))
        summaries = [o.value for o in summarize_many(SEEDS[:2], llm)]
        draft = compose_with_prose([xingning_2024()], llm)
    assert all(summaries) and "【待填" in draft.markdown
    assert server.request_count == 3 and llm.ledger.total.requests == 3
    assert len(built) == 1


def test_rules_path_and_a_cache_hit_import_neither_openai_nor_instructor(tmp_path):
    seed = str(SEEDS[0])
    with FakeLLM(ROOT / "fixtures" / "llm") as server:  # fill the cache once, in this process
        summarize(seed, LLM(settings_for(server, tmp_path / "cache", model=CURATED_MODEL)))
    script = (
        "import sys, drafter\n"
        "from drafter.llm.config import LLM, load_settings\n"
        f"drafter.summarize({seed!r})\n"
        f"llm = LLM(load_settings(api_key='x', model={CURATED_MODEL!r}, base_url='http://127.0.0.1:9/v1', "
        f"cache_dir={str(tmp_path / 'cache')!r}))\n"
        f"assert drafter.summarize({seed!r}, llm).provenance.cached\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRAFTER_", "OPENAI_"))}
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "drafter" in imported and "pydantic" in imported  # the check does see imports
    assert not {"openai", "instructor", "httpx2", "tenacity"} & imported


# ---- rate limits ---------------------------------------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_rpm_spaces_requests_and_tpm_pays_for_each_request_before_the_next():
    clock = Clock()
    limiter = RateLimiter(rpm=30, tpm=None, clock=clock, sleep=clock.sleep)
    assert [limiter.reserve(1000) for _ in range(3)] == [100.0, 102.0, 104.0]
    limiter = RateLimiter(rpm=None, tpm=6000, clock=clock, sleep=clock.sleep)  # 100 tokens a second
    assert [limiter.reserve(500) - 100 for _ in range(3)] == [0.0, 5.0, 10.0]
    limiter.settle(estimated=500, actual=300)  # the server counted fewer: the next one may go 2 s earlier
    assert limiter.reserve(100) - 100 == 13.0


def test_a_retry_after_pauses_everyone_and_a_longer_one_fails_at_once():
    clock = Clock()
    limiter = RateLimiter(rpm=None, tpm=None, clock=clock, sleep=clock.sleep)
    limiter.pause(5, "asks to wait 5s")
    limiter.wait(10, longest=60)
    assert clock.now == 105.0  # the whole pause was waited out
    limiter.pause(3600, "x is rate limiting (429) and asks to wait 3600s")
    with pytest.raises(Exception, match=r"^not sent: x is rate limiting \(429\) and asks to wait 3600s$"):
        limiter.wait(10, longest=60)
    assert clock.now == 105.0  # and nothing was waited for it


def test_reservations_from_many_threads_never_overlap():
    limiter = RateLimiter(rpm=600, tpm=None)
    booked: list[float] = []
    lock = threading.Lock()

    def book() -> None:
        when = limiter.reserve(1)
        with lock:
            booked.append(when)

    threads = [threading.Thread(target=book) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gaps = [b - a for a, b in zip(sorted(booked), sorted(booked)[1:])]
    assert len(gaps) == 39 and min(gaps) == pytest.approx(0.1)


def test_rpm_holds_against_the_server_with_many_threads(tmp_path):
    with FakeLLM(schema_driven="echo") as server:
        llm = LLM(settings_for(server, tmp_path, rpm=600, concurrency=8), use_cache=False)
        summarize(report_variant(99), llm)  # the SDK's first request is slow to build: measure the steady state
        assert errors(summarize_many([report_variant(n) for n in range(6)], llm)) == [None] * 6
    arrivals = server.arrivals[1:]
    # 600 a minute: one every 0.1 s (unlimited, all six arrive within ~20 ms). A thread may wake a little late, so
    # two may come close together, never three within 0.15 s.
    assert len(arrivals) == 6 and arrivals[-1] - arrivals[0] >= 0.4
    assert all(later - earlier >= 0.15 for earlier, later in zip(arrivals, arrivals[2:]))


def test_circuit_breaker_counts_failures_in_a_row_only():
    breaker = CircuitBreaker(3)
    assert not breaker.failed("x") and not breaker.failed("x")
    breaker.succeeded()
    assert not breaker.failed("x") and not breaker.failed("x")
    assert breaker.failed("x") and breaker.open
    assert not breaker.failed("x")  # it opens once
    with pytest.raises(Exception, match=r"^not sent: 3 connection failures in a row"):
        breaker.check()


# ---- endpoints that fail fast and say why ---------------------------------------------------------------------

def test_a_hung_endpoint_stops_the_run_after_three_timeouts(tmp_path):
    with FakeLLM(fault=Fault("hang")) as server:
        llm = LLM(settings_for(server, tmp_path, timeout=0.3, http_attempts=5), use_cache=False)
        started = time.monotonic()
        outcomes = list(summarize_many([report_variant(n) for n in range(3)], llm, concurrency=1))
        elapsed = time.monotonic() - started
    first, *rest = [o.error for o in outcomes]
    assert first == (f"llm: no answer from {server.base_url} within 0.3s (DRAFTER_TIMEOUT); "
                     "3 connection failures in a row: the rest of the run is not sent")
    assert rest == ["llm: not sent: 3 connection failures in a row (see the first failure)"] * 2
    assert server.request_count == 3 and elapsed < 3


def test_a_trickling_server_is_cut_off_at_the_deadline(tmp_path):
    with FakeLLM(fault=Fault("trickle", delay=0.1)) as server:  # a ~500-byte answer over ~50 s
        llm = LLM(settings_for(server, tmp_path, timeout=5, deadline=0.8), use_cache=False)
        started = time.monotonic()
        with pytest.raises(Exception) as failure:
            extract_facts(document(REPORT), REPORT_SECTIONS, llm)
        elapsed = time.monotonic() - started
    assert str(failure.value) == f"llm: no complete answer from {server.base_url} within 0.8s (DRAFTER_DEADLINE)"
    assert 0.8 <= elapsed < 2 and server.request_count == 1  # no retry once the deadline is spent


def test_a_dead_port_is_tried_three_times_for_the_whole_run(tmp_path):
    base_url = dead_base_url()
    settings = load_settings(api_key=TEST_KEY, model="m", base_url=base_url, cache_dir=tmp_path,
                             backoff_initial=0.01)
    outcomes = list(summarize_many([report_variant(n) for n in range(5)], LLM(settings, use_cache=False),
                                   concurrency=1))
    assert [o.error for o in outcomes] == [
        f"llm: cannot connect to {base_url} (check OPENAI_BASE_URL); 3 connection failures in a row: "
        "the rest of the run is not sent",
        *["llm: not sent: 3 connection failures in a row (see the first failure)"] * 4,
    ]


def test_a_retry_after_beyond_the_limit_fails_at_once_naming_the_wait(tmp_path):
    with FakeLLM(fault=Fault("429", retry_after=3600)) as server:
        llm = LLM(settings_for(server, tmp_path), use_cache=False)
        started = time.monotonic()
        outcomes = list(summarize_many([report_variant(n) for n in range(4)], llm, concurrency=1))
        elapsed = time.monotonic() - started
    told = (f"{server.base_url} is rate limiting (429) and asks to wait 3600s (Retry-After), more than "
            "DRAFTER_RETRY_AFTER_MAX=60s: try again later")
    assert [o.error for o in outcomes] == [f"llm: {told}", *[f"llm: not sent: {told}"] * 3]
    assert server.request_count == 1 and elapsed < 2


def test_a_retry_after_longer_than_the_deadline_leaves_fails_at_once(tmp_path):
    with FakeLLM(script=[Fault("429", retry_after=5), GOOD_ANSWER]) as server:
        llm = LLM(settings_for(server, tmp_path, deadline=2), use_cache=False)
        with pytest.raises(Exception, match=r"asks to wait 5s \(Retry-After\), more than the 2s left of DRAFTER_DEADLINE"):
            extract_facts(document(REPORT), REPORT_SECTIONS, llm)
    assert server.request_count == 1


def test_a_dropped_connection_is_retried(tmp_path):
    with FakeLLM(script=[Fault("drop"), GOOD_ANSWER]) as server:
        facts = extract_facts(document(REPORT), REPORT_SECTIONS, LLM(settings_for(server, tmp_path), use_cache=False))
    assert server.request_count == 2 and len(facts.items) == 2


def test_a_huge_input_is_refused_before_any_request_unless_allowed(tmp_path):
    text = REPORT * 40  # 2,600 characters, 2,300 estimated tokens: 3 requests of 1,000
    with FakeLLM(schema_driven="echo") as server:
        with pytest.raises(Exception) as failure:
            extract_facts(document(text), [], LLM(settings_for(server, tmp_path, max_input_chars=2000,
                                                                chunk_tokens=1000), use_cache=False))
        assert server.request_count == 0
        assert str(failure.value) == (
            "llm: 2,600 characters would be about 3 requests to the model, over the 2,000-character limit for one report: "
            "is it one report? To send it anyway, raise --max-input-chars (DRAFTER_MAX_INPUT_CHARS; 0 means no limit)"
        )
        facts = extract_facts(document(text), [], LLM(settings_for(server, tmp_path, max_input_chars=0,
                                                                    chunk_tokens=1000), use_cache=False))
    assert facts.chunks == server.request_count == 3


# ---- provider batch mode ---------------------------------------------------------------------------------------

def test_batch_api_end_to_end_with_a_rejected_answer_asked_again(tmp_path):
    from llm_helpers import FABRICATED_ANSWER

    results = []
    with FakeLLM(ROOT / "fixtures" / "llm", script=[FABRICATED_ANSWER]) as server:  # the first batch line invents
        llm = LLM(settings_for(server, tmp_path / "cache", model=CURATED_MODEL, batch_poll=0.01))
        outcomes = list(summarize_many(SEEDS, llm, batch_api=True, on_batch=results.append))
        assert len(server.batch_requests) == 5 and server.request_count == 1  # one re-ask, the normal way
        [batch] = server.batches.values()
        assert batch["status"] == "completed" and batch["metadata"] == {"drafter_prompt_version": "extract/v2"}
        [upload] = [content for file_id, content in server.files.items() if file_id == batch["input_file_id"]]
        lines = [json.loads(line) for line in upload.decode("utf-8").splitlines()]
        again = list(summarize_many(SEEDS, llm, batch_api=True, on_batch=results.append))
        assert len(server.batch_requests) == 5 and server.request_count == 1  # all cached: nothing sent at all
    assert errors(outcomes) == [None] * 5 and errors(again) == [None] * 5
    first, second = results
    assert (first.sent, first.accepted, len(first.rejected)) == (5, 4, 1)
    assert "1 fact not found in the text" in first.rejected[0]
    assert (second.sent, second.batch_ids) == (0, [])
    assert {line["url"] for line in lines} == {"/v1/chat/completions"}
    assert len({line["custom_id"] for line in lines}) == 5 and lines[0]["body"]["tools"]  # a hash per chunk
    assert TEST_KEY not in upload.decode("utf-8")
    assert all(o.value.provenance.usage.requests == 1 and not o.value.provenance.cached for o in outcomes)
    assert all(o.value.provenance.cached for o in again)
    assert llm.ledger.total.requests == 6  # 5 batch answers and the re-ask


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_batch_api_without_the_cache_uses_its_answers_directly(tmp_path, mode):
    with FakeLLM(ROOT / "fixtures" / "llm") as server:
        llm = LLM(settings_for(server, tmp_path, model=CURATED_MODEL, batch_poll=0.01, mode=mode), use_cache=False)
        outcomes = list(summarize_many(SEEDS[:3], llm, batch_api=True))
    assert errors(outcomes) == [None] * 3
    assert len(server.batch_requests) == 3 and server.request_count == 0
    assert ("tools" in server.batch_requests[0]) == (mode == "tools")  # the body instructor would send live
    assert all(o.value.measures or o.value.plans for o in outcomes)
    assert not (tmp_path / "llm").exists()


def test_closing_the_outcomes_early_starts_no_further_report():
    from drafter.llm.threads import as_finished

    started = []

    def slow(n: int) -> int:
        started.append(n)
        time.sleep(0.2)
        return n

    results = as_finished(slow, list(range(10)), workers=2)
    index, value, error = next(results)
    assert value == index and error is None
    results.close()  # what Ctrl-C in the consumer does
    time.sleep(0.5)
    assert len(started) <= 4  # the first two, and the two the workers took as they finished; unclosed: 8 by now
