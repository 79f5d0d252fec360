"""The curated fixtures and the five seeds end to end: replay, grounding, one call per report, the token bar,
a fabricating endpoint failing only its own report, and no secret anywhere."""

from __future__ import annotations

import json
import logging
import re

import pytest

from drafter.batch import run_each
from drafter.llm.config import LLM
from drafter.pipeline import summarize
from drafter.ground import ungrounded
from drafter.ingest import read_document
from drafter.replay.fake_server import FakeLLM, arguments_of
from drafter.extract.llm.prompt import PROMPT_VERSION
from drafter.extract.llm.schema import figure_as_written
from drafter.llm.prompt import estimate_tokens
from drafter.replay.wire import chunk_digest
from drafter.summary import write_summary
from llm_helpers import CURATED_MODEL, FIXTURES, SEEDS, TEST_KEY, settings_for

FIXTURE_FILES = sorted(FIXTURES.glob("*.json"))


def answer(path):
    return json.loads(arguments_of(json.loads(path.read_text(encoding="utf-8"))["response"]))


def test_there_is_one_fixture_per_seed():
    assert [p.stem for p in FIXTURE_FILES] == [s.stem for s in SEEDS]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_fixture_quotes_are_verbatim_and_values_are_in_them(seed):
    fixture = json.loads((FIXTURES / f"{seed.stem}.json").read_text(encoding="utf-8"))
    text = read_document(seed).text
    assert fixture["fingerprint"] == {
        "model": CURATED_MODEL, "prompt_version": PROMPT_VERSION, "chunk_sha256": chunk_digest(text), "turn": 0,
    }
    data = answer(FIXTURES / f"{seed.stem}.json")
    assert data["items"] and data["metrics"]
    for fact in data["items"] + data["metrics"]:
        assert fact["quote"] in text, fact["quote"]
    for metric in data["metrics"]:
        assert figure_as_written(metric["quote"], metric["value"]) is not None, metric
        assert metric["unit"] in metric["quote"]


def test_hand_checked_values():
    """A few values read off the seeds by hand, including 万 scaling."""
    values = {(p.stem, m["label"]): m["value"] for p in FIXTURE_FILES for m in answer(p)["metrics"]}
    assert values["chuxiong-2024", "办理行政许可事项"] == 46000  # "4.6万件"
    assert values["zhoucun-2024", "应急演练参与人员"] == 59000  # "5.9万人"
    assert values["xingning-2024", "普法汇演线上互动观众"] == 160000  # "超16万人次"
    assert values["diaobingshan-2022", "协助金融机构挽损"] == 4.87  # "4.87亿元", unit 亿元
    assert values["ruzhou-2023", "“好差评”评价数量"] == 957768


def test_no_secret_in_any_fixture():
    for path in [*FIXTURE_FILES, FIXTURES.parent / "README.md"]:
        content = path.read_text(encoding="utf-8")
        assert TEST_KEY not in content
        assert not re.search(r"sk-[A-Za-z0-9]{16,}|Bearer |authorization", content, re.I), path


def test_five_seeds_replay_grounded_with_one_call_each_and_within_the_token_bar(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    with FakeLLM(FIXTURES, latency=0.2) as server:  # a slow endpoint must still get exactly one call per report
        settings = settings_for(server, tmp_path / "cache", model=CURATED_MODEL)
        summaries = {seed.stem: summarize(read_document(seed), LLM(settings)) for seed in SEEDS}
        assert server.request_count == len(SEEDS)
        again = {seed.stem: summarize(read_document(seed), LLM(settings)) for seed in SEEDS}
        assert server.request_count == len(SEEDS)  # the re-run is served from the cache
    for stem, summary in summaries.items():
        text = read_document(next(s for s in SEEDS if s.stem == stem)).text
        assert not ungrounded(text, summary.facts()), stem
        expected = answer(FIXTURES / f"{stem}.json")
        # the model's figures name the rules' figures (or add to them): every curated label is in the output
        assert {m["label"] for m in expected["metrics"]} <= {m.label for m in summary.metrics}, stem
        assert len(summary.metrics) >= len(expected["metrics"])
        assert sum(len(getattr(summary, part)) for part in ("measures", "problems", "plans", "leadership")) == len(expected["items"])
        prov = summary.provenance
        assert (prov.backend, prov.model, prov.prompt_version, prov.cached) == ("llm", CURATED_MODEL, PROMPT_VERSION, False)
        assert prov.usage.requests == 1
        assert prov.usage.prompt_tokens <= estimate_tokens(text) * 1.3 + 2500, stem
        assert again[stem].provenance.cached and again[stem].provenance.usage.requests == 0
        assert again[stem].measures == summary.measures
    chuxiong = summaries["chuxiong-2024"]
    permits = next(m for m in chuxiong.metrics if m.label == "办理行政许可事项")
    assert (permits.value, permits.raw, permits.unit) == (46000, "4.6万", "件")
    assert "2024年办理行政许可事项4.6万件" in permits.quote
    assert chuxiong.compliance.missing  # structure and compliance come from the offline parse: no problems part here
    assert TEST_KEY not in caplog.text


def test_fabricating_endpoint_fails_only_its_report_and_writes_nothing_for_it(tmp_path):
    """An endpoint we do not control answers from the request's own schema; for one report it invents quotes."""
    victim = "ruzhou-2023"
    victim_text = read_document(next(s for s in SEEDS if s.stem == victim)).text
    out = tmp_path / "out"
    with FakeLLM(schema_driven="echo", fabricate_when=lambda report: report == victim_text) as server:
        settings = settings_for(server, tmp_path / "cache", reasks=1)

        def step(path):
            summary = summarize(read_document(path), LLM(settings))
            return write_summary(summary, out, path.stem)

        outcomes = {o.path.stem: o for o in run_each(SEEDS, step)}
    failed = outcomes[victim]
    assert failed.error.startswith("llm: model answer rejected after 2 attempt(s): 4 facts not found in the text, first: items[0].quote '全年共办理虚构事项")
    assert not list(out.glob(f"{victim}*"))
    for stem, outcome in outcomes.items():
        if stem != victim:
            assert outcome.error is None, outcome.error
            written = json.loads((out / f"{stem}.summary.json").read_text(encoding="utf-8"))
            assert "虚构" not in json.dumps(written, ensure_ascii=False)
            assert written["measures"] or written["metrics"]


def test_one_second_latency_still_means_exactly_one_call(tmp_path):
    import time

    seed = next(s for s in SEEDS if s.stem == "diaobingshan-2022")  # the longest seed
    with FakeLLM(FIXTURES, latency=1.0) as server:
        started = time.monotonic()
        summary = summarize(read_document(seed), LLM(settings_for(server, tmp_path, model=CURATED_MODEL), use_cache=False))
        elapsed = time.monotonic() - started
    assert server.request_count == 1 and summary.provenance.usage.requests == 1
    assert 1.0 <= elapsed < 2.0


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    with FakeLLM(FIXTURES) as server:
        settings = settings_for(server, tmp_path_factory.mktemp("cache"), model=CURATED_MODEL)
        return {seed.stem: (read_document(seed).text, summarize(read_document(seed), LLM(settings, use_cache=False)))
                for seed in SEEDS}


# Promises read off the seeds' plans parts by hand; each must be a plan item of its own.
PROMISES = {
    "zhoucun-2024": ["高标准迎接“八五”普法验收", "实施法治文化建设“四个一”工程", "落实企业免检免扰制度",
                     "加强企业合规管理", "强化公平竞争审查", "创新履职评议形式"],
    "diaobingshan-2022": ["圆满完成全市“八五”普法中期验收任务", "严格实行行政执法三项制度", "对普法工作实行量化考核"],
    "xingning-2024": ["提高合法性审查质量", "优化政务公开流程", "加大重点领域执法力度"],
    "chuxiong-2024": ["拧紧责任螺丝、扣紧责任链条", "高质量完成法治政府建设各项任务"],
    "ruzhou-2023": ["深入学习贯彻习近平法治思想", "筑牢法治基石"],
}


@pytest.mark.parametrize("stem", [s.stem for s in SEEDS])
def test_replay_gives_problems_with_clauses_and_one_plan_item_per_promise(replayed, stem):
    text, summary = replayed[stem]
    if stem in ("chuxiong-2024", "ruzhou-2023"):  # no problems part: none invented
        assert summary.problems == []
    else:
        assert len(summary.problems) >= 3
    for problem in summary.problems:
        assert len(problem.clauses) >= 2, problem.quote
        for clause in problem.clauses:
            assert text[clause.start:clause.end] == clause.quote
            assert problem.start <= clause.start and clause.end <= problem.end
    plans = [p.quote for p in summary.plans]
    for promise in PROMISES[stem]:
        holders = [q for q in plans if promise in q]
        assert len(holders) == 1, promise
        assert not any(other in holders[0] for other in PROMISES[stem] if other != promise), holders[0]


def test_replayed_clauses_figures_and_indicators_read_by_hand(replayed):
    text, zhoucun = replayed["zhoucun-2024"]
    first = next(p for p in zhoucun.problems if p.quote.startswith("(一)法治政府建设基础有待夯实"))
    assert [c.quote for c in first.clauses][-3:] == ["法治政府建设不均衡", "统筹协调推进机制有待进一步完善",
                                                    "数字化技术赋能法治政府建设还需加强"]
    assert first.cause is None  # 周村 names no cause in its problems
    meetings = next(m for m in zhoucun.metrics if m.value == 8 and "常务会" in m.quote)
    assert meetings.label == "区委常委会、区政府常务会研究法治建设事项"
    assert meetings.indicator.id == "leadership_meetings"
    # 第一责任人 statements each a leadership item; one measure per lead sentence in 周村's measures sections
    assert any(p.quote.startswith("落实党政主要负责人年终述法制度,15个部门单位") and p.quote.endswith("会议述法。")
               for p in zhoucun.leadership)
    assert any(m.quote.startswith("全面落实企业免检免扰和检查登记备案制度") for m in zhoucun.measures)
    _, xingning = replayed["xingning-2024"]
    by_quote = {m.quote: m for m in xingning.metrics}
    assert by_quote["至目前我市新收行政复议案件218件"].indicator.name == "行政复议收案（新收、受理）"
    assert any(p.quote.startswith("带头尊法学法守法用法") for p in xingning.leadership)
    pledge = next(m for m in xingning.metrics if m.value == 1800)
    assert pledge.unit == "万元" and pledge.indicator is None  # a 质押登记金额 measures no standard indicator
    _, diaobingshan = replayed["diaobingshan-2022"]
    advisers = next(m for m in diaobingshan.metrics if m.value == 70)
    assert (advisers.label, advisers.indicator.id) == ("法律顾问参与涉法事项", "legal_adviser_matters")
