"""`drafter track --llm`: the curated fixture replayed over the loopback fake server, the grounding check and its
re-asks, the cache, and the command end to end."""

from __future__ import annotations

import json

import pytest
from llm_helpers import CURATED_MODEL, TEST_KEY, settings_for
from track_samples import FIXTURES, GOLD, NEXT, PRIOR, per_promise
from typer.testing import CliRunner

from drafter.cli import app
from drafter.errors import DrafterError
from drafter.llm.config import LLM, UsageLedger
from drafter.replay.fake_server import FakeLLM, arguments_of
from drafter.llm.prompt import report_in
from drafter.replay.wire import chunk_digest
from drafter.track import load_with_text
from drafter.track_llm import PROMPT_VERSION, build_messages, track_with_llm

FIXTURE = FIXTURES / "xingning-2024-2025.json"


@pytest.fixture(scope="module")
def pair():
    prior, prior_text = load_with_text(PRIOR)
    nxt, next_text = load_with_text(NEXT)
    return per_promise(prior, prior_text), prior_text, nxt, next_text


def curated() -> dict:
    return json.loads(arguments_of(json.loads(FIXTURE.read_text(encoding="utf-8"))["response"]))


def test_fixture_is_keyed_by_the_report_the_request_carries(pair):
    prior, _, nxt, next_text = pair
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    user = build_messages(prior, nxt, next_text)[1]["content"]
    assert report_in(user) == next_text  # NEXT's text is a variable, passed through unchanged
    assert fixture["fingerprint"] == {"model": CURATED_MODEL, "prompt_version": PROMPT_VERSION,
                                      "chunk_sha256": chunk_digest(next_text), "turn": 0}
    assert "[c10] 着力营造学法知法守法用法的法治氛围" in user and "[p3] (三)行政执法工作有待进一步规范" in user


def test_replayed_verdicts_are_grounded_and_match_the_hand_labels(pair, tmp_path):
    prior, prior_text, nxt, next_text = pair
    ledger = UsageLedger()
    with FakeLLM(FIXTURES) as server:
        llm = LLM(settings_for(server, tmp_path, model=CURATED_MODEL), ledger=ledger)
        tracking = track_with_llm(prior, prior_text, nxt, next_text, llm)
    assert server.request_count == 1 and ledger.total.requests == 1
    assert {k.lower(): v for k, v in server.headers[0].items()}["x-drafter-prompt-version"] == PROMPT_VERSION
    assert tracking.backend == "llm" and tracking.model == CURATED_MODEL
    assert [c.status for c in tracking.commitments] == [p["status"] for p in GOLD["promises"]]
    for c, promise in zip(tracking.commitments, GOLD["promises"]):
        assert c.judge == "llm" and c.reason
        if c.evidence:
            assert next_text[c.evidence.start:c.evidence.end] == c.evidence.quote
            assert promise["evidence"] in c.evidence.quote and c.evidence.part == "measures"
    [repeated] = tracking.repeated_problems
    assert repeated.prior.quote == GOLD["prior_problems"][2] and repeated.next.part == "problems"
    assert GOLD["repeated_problems"][0]["next"] in repeated.next.quote


def with_commitment(answer: dict, key: str, **changes) -> dict:
    return {**answer, "commitments": [dict(c, **changes) if c["key"] == key else c for c in answer["commitments"]]}


@pytest.mark.parametrize("bad, said", [
    (dict(evidence="出台了合法性审查工作规定，合法性审查质量大幅提高。"), "在本年度报告中找不到"),  # paraphrased
    (dict(evidence="（一）深化行政执法规范化建设，全面落实行政执法“三项制度”。"), "不是落实的证据"),  # NEXT's plans
    (dict(evidence=None), "缺少 evidence"),
    (dict(status="not_found"), "evidence 应为 null"),
])
def test_an_ungrounded_verdict_is_sent_back_and_the_second_answer_is_used(pair, tmp_path, bad, said):
    prior, prior_text, nxt, next_text = pair
    good = curated()
    with FakeLLM(script=[with_commitment(good, "c4", **bad), good]) as server:
        tracking = track_with_llm(prior, prior_text, nxt, next_text, LLM(settings_for(server, tmp_path), use_cache=False))
    assert server.request_count == 2
    reask = server.requests[1]["messages"][-1]["content"]
    assert "c4" in reask and said in reask
    assert tracking.commitments[3].status == "done" and "出台《兴宁市行政规范性文件合法性审查工作规定》" in \
        tracking.commitments[3].evidence.quote


def test_wrong_keys_and_a_model_that_never_grounds_fail_in_one_line(pair, tmp_path):
    prior, prior_text, nxt, next_text = pair
    short = {**curated(), "commitments": curated()["commitments"][:9]}
    fabricated = with_commitment(curated(), "c1", evidence="全面建成法治政府示范市。")
    with FakeLLM(script=[short, fabricated, fabricated]) as server:
        with pytest.raises(DrafterError) as err:
            track_with_llm(prior, prior_text, nxt, next_text, LLM(settings_for(server, tmp_path), use_cache=False))
    assert server.request_count == 3
    message = str(err.value)
    assert message.startswith("llm track: model answer rejected after 3 attempt(s): 1 verdict not grounded")
    assert "\n" not in message and "c1.evidence" in message
    assert "commitments 的 key 须为 c1, c2" in server.requests[1]["messages"][-1]["content"]


def test_a_cached_answer_is_checked_again_and_sends_nothing(pair, tmp_path):
    prior, prior_text, nxt, next_text = pair
    with FakeLLM(FIXTURES) as server:
        llm = LLM(settings_for(server, tmp_path, model=CURATED_MODEL))
        first = track_with_llm(prior, prior_text, nxt, next_text, llm)
        second = track_with_llm(prior, prior_text, nxt, next_text, llm)
    assert server.request_count == 1
    assert second.model_dump() == first.model_dump()


def test_cli_track_llm_end_to_end(pair, tmp_path, monkeypatch):
    prior, *_ = pair
    prior_json = tmp_path / "xingning-2024.summary.json"
    prior_json.write_text(prior.model_dump_json(), encoding="utf-8")
    with FakeLLM(FIXTURES) as server:
        for name, value in {"OPENAI_API_KEY": TEST_KEY, "OPENAI_BASE_URL": server.base_url,
                            "DRAFTER_MODEL": CURATED_MODEL, "DRAFTER_CACHE_DIR": str(tmp_path / "cache")}.items():
            monkeypatch.setenv(name, value)
        result = CliRunner().invoke(app, ["track", str(prior_json), str(NEXT), "--out", str(tmp_path / "out"), "--llm"])
    assert result.exit_code == 0, result.output
    assert "10 commitments: 3 done, 2 partial, 5 not found · 1 repeated problems" in result.output
    assert "llm usage: 1 requests" in result.output and TEST_KEY not in result.output
    data = json.loads((tmp_path / "out" / "兴宁市-2024-2025.track.json").read_text(encoding="utf-8"))
    assert data["backend"] == "llm" and data["commitments"][4]["reason"] == "流程优化仅启动，未写明完成"
    md = (tmp_path / "out" / "兴宁市-2024-2025.track.md").read_text(encoding="utf-8")
    assert "理由：综合机制仅在两地试点" in md


def test_cli_llm_without_a_key_is_one_line_and_exit_2(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("DRAFTER_MODEL", "m")
    result = CliRunner().invoke(app, ["track", str(PRIOR), str(NEXT), "--out", str(tmp_path), "--llm"])
    assert result.exit_code == 2 and result.output.startswith("llm: ") and result.output.count("\n") == 1
