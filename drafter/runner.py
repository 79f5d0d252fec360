"""A `summarize` run over many inputs, decided before any work: where each summary goes, and whether it must be
made, can be skipped (a current summary is there), or is refused (another file is in the way; --force)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from drafter.batch import output_stems
from drafter.errors import DrafterError
from drafter.summary import JSON_SUFFIX, MD_SUFFIX, is_current

Action = Literal["run", "skip", "refuse"]


@dataclass(frozen=True)
class RunIdentity:
    """What makes an existing summary current for this run, besides the input's bytes."""

    backend: str
    model: str | None = None
    prompt_version: str | None = None


@dataclass(frozen=True)
class Job:
    path: Path
    stem: str
    json_path: Path
    md_path: Path
    action: Action
    reason: str | None = None


@dataclass(frozen=True)
class Result:
    """What the command line prints for one finished input (small: it crosses process boundaries)."""

    job: Job
    overview: str | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None


def plan(inputs: list[Path], given: list[Path], out_dir: Path, identity: RunIdentity, *,
         force: bool = False) -> list[Job]:
    """One Job per input, decided from the files alone: no report is read, no request sent."""
    stems = output_stems(inputs, given)
    return [_decide(path, stems[path], out_dir, identity, force) for path in inputs]


def run_offline(jobs: list[Job], processes: int = 1) -> Iterator[Result]:
    """Summarise and write each job with the rules backend, in `processes` worker processes; results in input
    order. Each job succeeds or fails on its own."""
    if processes <= 1 or len(jobs) < 2:
        yield from map(_offline, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=processes) as pool:
        yield from pool.map(_offline, jobs, chunksize=max(1, min(32, len(jobs) // (processes * 4))))


def _offline(job: Job) -> Result:
    from drafter.pipeline import summarize
    from drafter.summary import overview, write_summary

    try:
        summary = summarize(job.path)
        write_summary(summary, job.json_path.parent, job.stem, force=True)  # decided in plan()
    except DrafterError as exc:
        return Result(job, error=str(exc))
    except Exception as exc:  # a bug must still not stop the batch or print a traceback
        return Result(job, error=f"internal error ({type(exc).__name__}: {exc}); please report it")
    return Result(job, overview(summary), tuple(summary.warnings))


def _decide(path: Path, stem: str, out_dir: Path, identity: RunIdentity, force: bool) -> Job:
    json_path, md_path = out_dir / f"{stem}{JSON_SUFFIX}", out_dir / f"{stem}{MD_SUFFIX}"
    existing = [p for p in (json_path, md_path) if p.exists()]
    if force or not existing:
        return Job(path, stem, json_path, md_path, "run")
    sha256 = _source_sha256(path) if len(existing) == 2 else None
    if sha256 is not None and is_current(json_path, sha256, identity.backend, identity.model, identity.prompt_version):
        return Job(path, stem, json_path, md_path, "skip", "up to date")
    return Job(path, stem, json_path, md_path, "refuse", f"{existing[0]} exists; use --force to overwrite")


def _source_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
