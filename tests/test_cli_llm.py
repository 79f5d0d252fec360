"""`drafter summarize --backend llm` end to end through the CLI, against a loopback fake endpoint."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.ingest import read_document
from drafter.replay.fake_server import FakeLLM
from llm_helpers import CURATED_MODEL, FIXTURES, ROOT, SEEDS, TEST_KEY

runner = CliRunner()


@pytest.fixture
def llm_env(monkeypatch, tmp_path):
    def point_at(server, model="test-model"):
        for name, value in {
            "OPENAI_API_KEY": TEST_KEY, "OPENAI_BASE_URL": server.base_url, "DRAFTER_MODEL": model,
            "DRAFTER_CACHE_DIR": str(tmp_path / "cache"), "DRAFTER_BACKOFF_INITIAL": "0.001",
            "DRAFTER_BACKOFF_MAX": "0.01", "DRAFTER_REASKS": "1", "DRAFTER_TIMEOUT": "5", "DRAFTER_BATCH_POLL": "0.01",
        }.items():
            monkeypatch.setenv(name, value)
    return point_at


def test_replayed_seeds_summarise_then_rerun_hits_the_cache(llm_env, tmp_path):
    with FakeLLM(FIXTURES) as server:
        llm_env(server, CURATED_MODEL)
        first = runner.invoke(app, ["summarize", str(ROOT / "seeds"), "--backend", "llm", "--out", str(tmp_path / "a")])
        second = runner.invoke(app, ["summarize", str(ROOT / "seeds"), "--backend", "llm", "--out", str(tmp_path / "b")])
        assert server.request_count == 5
    assert first.exit_code == 0, first.output + first.stderr
    assert "llm usage: 5 requests" in first.output
    assert second.exit_code == 0 and "llm usage: 0 requests, 0 prompt + 0 completion tokens" in second.output
    summary = json.loads((tmp_path / "a" / "zhoucun-2024.summary.json").read_text(encoding="utf-8"))
    assert summary["provenance"]["backend"] == "llm" and summary["provenance"]["model"] == CURATED_MODEL
    assert TEST_KEY not in first.output + first.stderr


def test_endpoint_inventing_quotes_fails_that_report_only_with_exit_1(llm_env, tmp_path):
    victim = next(s for s in SEEDS if s.stem == "chuxiong-2024")
    victim_text = read_document(victim).text
    out = tmp_path / "out"
    with FakeLLM(schema_driven="echo", fabricate_when=lambda report: report == victim_text) as server:
        llm_env(server)
        result = runner.invoke(app, ["summarize", str(ROOT / "seeds"), "--backend", "llm", "--out", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 1 and errors[0].startswith(f"{victim}: llm: model answer rejected after 2 attempt(s)")
    assert not list(out.glob("chuxiong-2024*"))
    assert len(list(out.glob("*.summary.json"))) == 4
    assert "4 of 5 reports summarised" in result.output


def test_missing_key_is_one_clear_line_and_exit_2(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("DRAFTER_MODEL", "m")
    monkeypatch.chdir(tmp_path)  # no stray .env
    result = runner.invoke(app, ["summarize", str(ROOT / "seeds"), "--backend", "llm", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("llm: OPENAI_API_KEY is not set")
    assert not list(tmp_path.glob("*.json"))


def test_a_dead_endpoint_is_one_line_per_report_and_no_traceback(llm_env, monkeypatch, tmp_path):
    from drafter.replay.fake_server import dead_base_url

    with FakeLLM() as server:
        llm_env(server)
    dead = dead_base_url()
    monkeypatch.setenv("OPENAI_BASE_URL", dead)
    out = tmp_path / "out"
    result = runner.invoke(app, ["summarize", str(ROOT / "seeds"), "--backend", "llm", "--out", str(out),
                                 "--concurrency", "1"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 5 and "Traceback" not in result.output + result.stderr
    assert lines[0] == (f"{SEEDS[0]}: llm: cannot connect to {dead} (check OPENAI_BASE_URL); 3 connection failures "
                        "in a row: the rest of the run is not sent")
    assert all(line.endswith("llm: not sent: 3 connection failures in a row (see the first failure)") for line in lines[1:])
    assert not out.exists() or not list(out.iterdir())


def test_batch_api_and_concurrency_through_the_cli(llm_env, tmp_path):
    out = tmp_path / "out"
    with FakeLLM(FIXTURES) as server:
        llm_env(server, CURATED_MODEL)
        result = runner.invoke(app, ["summarize", str(ROOT / "seeds"), "--backend", "llm", "--out", str(out),
                                     "--batch-api", "--concurrency", "4", "--rpm", "6000", "--deadline", "30"])
        assert server.request_count == 0 and len(server.batch_requests) == 5
    assert result.exit_code == 0, result.output + result.stderr
    assert "5 requests, 5 answers accepted, 0 to ask again one by one" in result.output
    assert "llm usage: 5 requests" in result.output
    assert len(list(out.glob("*.summary.json"))) == 5


def test_max_input_chars_refuses_each_long_report_before_any_request(llm_env, tmp_path):
    with FakeLLM(FIXTURES) as server:
        llm_env(server, CURATED_MODEL)
        result = runner.invoke(app, ["summarize", str(ROOT / "seeds"), "--backend", "llm", "--out", str(tmp_path),
                                     "--max-input-chars", "1000"])
        assert server.request_count == 0
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 5 and all("over the 1,000-character limit for one report" in line for line in lines)


def test_an_interrupted_run_is_finished_by_the_same_command_without_asking_again(llm_env, tmp_path):
    out = tmp_path / "out"
    command = ["summarize", str(ROOT / "seeds"), "--backend", "llm", "--out", str(out), "--no-cache"]
    with FakeLLM(FIXTURES) as server:
        llm_env(server, CURATED_MODEL)
        assert runner.invoke(app, command).exit_code == 0
        # What an interrupt leaves: three pairs whole, two reports never written.
        for stem in ("ruzhou-2023", "zhoucun-2024"):
            for path in out.glob(f"{stem}.summary.*"):
                path.unlink()
        again = runner.invoke(app, command)
        assert server.request_count == 5 + 2  # only the two unfinished reports are asked, even with --no-cache
    assert again.exit_code == 0, again.output + again.stderr
    assert again.output.count(": up to date (") == 3
    assert "2 of 5 reports summarised" in again.output and ", 3 up to date" in again.output
    assert len(list(out.glob("*.summary.json"))) == len(list(out.glob("*.summary.md"))) == 5


def test_a_summary_in_the_way_is_refused_before_any_request(llm_env, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "zhoucun-2024.summary.md").write_text("我的笔记", encoding="utf-8")  # the user's own file, not ours
    with FakeLLM(FIXTURES) as server:
        llm_env(server, CURATED_MODEL)
        result = runner.invoke(app, ["summarize", str(SEEDS[0].parent / "zhoucun-2024.txt"), "--backend", "llm",
                                     "--out", str(out)])
        assert server.request_count == 0
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("zhoucun-2024.summary.md exists; use --force to overwrite")
    assert (out / "zhoucun-2024.summary.md").read_text(encoding="utf-8") == "我的笔记"
