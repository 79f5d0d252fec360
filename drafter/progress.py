"""What a batch run shows while it works: a live status line on a terminal (done / failed / skipped, ETA, tokens
and estimated cost), nothing extra when output is redirected or with --quiet, and a closing table of failures and
totals."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import IO

from drafter.models import Usage


@dataclass(frozen=True)
class Prices:
    """Price per million tokens, in the currency the user gives (shown as a plain number)."""

    prompt: float
    completion: float

    def cost(self, usage: Usage) -> float:
        return (usage.prompt_tokens * self.prompt + usage.completion_tokens * self.completion) / 1e6


@dataclass
class Tally:
    total: int
    done: int = 0
    failed: int = 0
    skipped: int = 0
    usage: Usage = field(default_factory=Usage)
    failures: list[tuple[str, str]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @property
    def finished(self) -> int:
        return self.done + self.failed + self.skipped

    def eta_seconds(self) -> float | None:
        """Remaining time at the pace of the reports actually worked on (skips cost nothing)."""
        worked = self.done + self.failed
        left = self.total - self.finished
        if not worked or not left:
            return None
        return (time.monotonic() - self.started) / worked * left


class Progress:
    """Counts a run's outcomes; on a terminal also draws them live on stderr (rich), never on stdout."""

    def __init__(self, total: int, *, quiet: bool = False, prices: Prices | None = None,
                 stream: IO[str] | None = None) -> None:
        self.tally = Tally(total)
        self.prices = prices
        self._stream = stream or sys.stderr
        self._live = None
        if not quiet and total > 1 and self._stream.isatty():
            from rich.console import Console
            from rich.live import Live

            self._console = Console(file=self._stream)
            self._live = Live(self._status(), console=self._console, refresh_per_second=4, transient=True)
            self._live.start()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def done(self, usage: Usage | None = None) -> None:
        self.tally.done += 1
        self._spend(usage)

    def failed(self, path: str, reason: str, usage: Usage | None = None) -> None:
        self.tally.failed += 1
        self.tally.failures.append((path, reason))
        self._spend(usage)

    def skipped(self) -> None:
        self.tally.skipped += 1
        self._refresh()

    def echo(self, line: str, err: bool = False) -> None:
        """A line of the run's own output, kept above the live status instead of tearing it."""
        if self._live is not None:
            self._console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr if err else sys.stdout, flush=err)

    @property
    def live(self) -> bool:
        """Whether a live display is drawn (a terminal): then the closing table is worth printing too."""
        return self._live is not None

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def status_text(self) -> str:
        t = self.tally
        parts = [f"{t.finished}/{t.total}", f"done {t.done}", f"failed {t.failed}", f"skipped {t.skipped}"]
        if t.usage.requests:
            parts.append(f"{t.usage.prompt_tokens + t.usage.completion_tokens:,} tokens")
            if self.prices is not None:
                parts.append(f"≈{self.prices.cost(t.usage):.2f} cost")
        eta = t.eta_seconds()
        if eta is not None:
            parts.append(f"ETA {_duration(eta)}")
        return " · ".join(parts)

    def closing_lines(self) -> list[str]:
        """The final table: one row per failure, then the totals."""
        t = self.tally
        lines = [f"failed: {path}: {reason}" for path, reason in t.failures]
        total = f"{t.done} done, {t.failed} failed, {t.skipped} skipped of {t.total} in {_duration(time.monotonic() - t.started)}"
        if t.usage.requests:
            total += (f"; {t.usage.requests} requests, {t.usage.prompt_tokens} prompt + "
                      f"{t.usage.completion_tokens} completion tokens")
            if self.prices is not None:
                total += f", ≈{self.prices.cost(t.usage):.2f} estimated cost"
        return [*lines, total]

    def _spend(self, usage: Usage | None) -> None:
        if usage is not None:
            self.tally.usage = self.tally.usage + usage
        self._refresh()

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.update(self._status())

    def _status(self):  # noqa: ANN202 (a rich renderable, imported lazily)
        from rich.text import Text

        return Text(self.status_text(), style="bold")


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
