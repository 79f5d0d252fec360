"""A `summarize` run over many inputs, decided before any work: where each summary goes, and whether it must be
made, can be skipped (a current summary is there), or is refused (another file is in the way; --force)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

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
    json_path: Path
    md_path: Path
    action: Action
    reason: str | None = None


def output_stems(inputs: list[Path], given: list[Path]) -> dict[Path, str]:
    """Output names that depend only on where each input is, never on the other inputs of the run.

    A file named on the command line keeps its stem; a file found in a folder is named by its path inside that
    folder (2024/兴宁.txt → 2024-兴宁). Two inputs of one folder that still share a name (a.txt and a.docx) add their
    type, in both names."""
    folders = [g for g in given if g.is_dir()]
    named: dict[Path, str] = {}
    for path in inputs:
        root = next((f for f in folders if f in path.parents), None)
        inner = path.relative_to(root).with_suffix("") if root is not None else Path(path.stem)
        named[path] = "-".join(inner.parts)
    taken: dict[str, int] = {}
    for stem in named.values():
        taken[stem] = taken.get(stem, 0) + 1
    return {path: (f"{stem}-{path.suffix.lstrip('.').lower()}" if taken[stem] > 1 else stem)
            for path, stem in named.items()}


def plan(inputs: list[Path], given: list[Path], out_dir: Path, identity: RunIdentity, *,
         force: bool = False) -> list[Job]:
    """One Job per input, decided from the files alone: no report is read, no request sent."""
    stems = output_stems(inputs, given)
    return [_decide(path, out_dir / f"{stems[path]}{JSON_SUFFIX}", out_dir / f"{stems[path]}{MD_SUFFIX}",
                    identity, force) for path in inputs]


def _decide(path: Path, json_path: Path, md_path: Path, identity: RunIdentity, force: bool) -> Job:
    existing = [p for p in (json_path, md_path) if p.exists()]
    if force or not existing:
        return Job(path, json_path, md_path, "run")
    sha256 = _source_sha256(path) if len(existing) == 2 else None
    if sha256 is not None and is_current(json_path, sha256, identity.backend, identity.model, identity.prompt_version):
        return Job(path, json_path, md_path, "skip", "up to date")
    return Job(path, json_path, md_path, "refuse", f"{existing[0]} exists; use --force to overwrite")


def _source_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
