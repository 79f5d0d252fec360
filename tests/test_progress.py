"""The batch progress display: live only on a terminal, counts that add up, and a closing table."""

from __future__ import annotations

import io

from drafter.models import Usage
from drafter.progress import Prices, Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_redirected_output_gets_no_live_display_and_lines_go_to_stdout(capsys) -> None:
    stream = io.StringIO()
    with Progress(3, stream=stream) as progress:
        progress.echo("a.txt → out/a.summary.json")
        progress.done()
    assert stream.getvalue() == ""
    assert capsys.readouterr().out == "a.txt → out/a.summary.json\n"


def test_terminal_shows_counts_tokens_cost_and_eta_live() -> None:
    stream = Terminal()
    prices = Prices(prompt=2.0, completion=8.0)  # per million tokens
    with Progress(4, stream=stream, prices=prices) as progress:
        progress.done(Usage(requests=1, prompt_tokens=500_000, completion_tokens=100_000))
        progress.skipped()
        progress.failed("b.txt", "llm: connection refused", Usage(requests=1, prompt_tokens=500_000))
        status = progress.status_text()
    assert status.startswith("3/4 · done 1 · failed 1 · skipped 1 · 1,100,000 tokens · ≈2.80 cost · ETA ")
    assert "done 1" in stream.getvalue()  # drawn on the terminal while running


def test_quiet_terminal_draws_nothing() -> None:
    stream = Terminal()
    with Progress(3, stream=stream, quiet=True) as progress:
        progress.done()
    assert stream.getvalue() == ""


def test_closing_lines_list_each_failure_then_the_totals() -> None:
    progress = Progress(3, stream=io.StringIO())
    progress.done(Usage(requests=2, prompt_tokens=10, completion_tokens=5))
    progress.failed("b.txt", "empty")
    progress.skipped()
    lines = progress.closing_lines()
    assert lines[0] == "failed: b.txt: empty"
    assert lines[1].startswith("1 done, 1 failed, 1 skipped of 3 in ")
    assert lines[1].endswith("; 2 requests, 10 prompt + 5 completion tokens")


def test_eta_counts_only_reports_worked_on() -> None:
    progress = Progress(10, stream=io.StringIO())
    assert progress.tally.eta_seconds() is None
    for _ in range(5):
        progress.skipped()
    assert progress.tally.eta_seconds() is None  # skips cost nothing: no pace yet
    progress.done()
    assert progress.tally.eta_seconds() is not None
