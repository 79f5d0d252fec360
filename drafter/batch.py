"""Run one step over many inputs: each input succeeds or fails on its own, and a failure is one line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from drafter.errors import DrafterError
from drafter.ingest import UNREADABLE_FORMATS

REPORT_SUFFIXES = frozenset({".txt", ".md", ".docx", ".html", ".htm", ".pdf"})
# Our own outputs sit next to inputs when --out points into the input folder; never read them back as reports.
OUTPUT_SUFFIXES = (".summary.md", ".summary.json", "-草稿.md", "-参考材料.md", ".review.html")
# A folder's README describes the reports; it is not one of them (named explicitly, it is still read).
FOLDER_NOTES = frozenset({"readme"})

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    path: Path
    value: T | None = None
    error: str | None = None


def collect_inputs(paths: Iterable[Path], suffixes: frozenset[str] = REPORT_SUFFIXES,
                   on_skip: Callable[[Path, str], None] | None = None) -> list[Path]:
    """Files as given, and the report files inside folders (recursively, sorted, hidden ones skipped).

    A missing or unreadable path is kept so that it fails with its own error line instead of vanishing; a file in a
    folder that looks like a report in a format we cannot read goes to `on_skip` with the reason."""
    found: list[Path] = []
    for path in paths:
        try:
            is_dir = path.is_dir()
        except OSError:  # e.g. a parent folder without permission: read_document says why, for this path alone
            is_dir = False
        if not is_dir:
            found.append(path)
            continue
        for p in sorted(path.rglob("*")):
            if any(part.startswith(".") for part in p.relative_to(path).parts) or not p.is_file():
                continue
            suffix = p.suffix.lower()
            if suffix in suffixes and not _is_output(p.name, suffixes) and p.stem.lower() not in FOLDER_NOTES:
                found.append(p)
            elif suffix in UNREADABLE_FORMATS and on_skip is not None:
                on_skip(p, f"skipped: {UNREADABLE_FORMATS[suffix]}")
    return found


def _is_output(name: str, suffixes: frozenset[str]) -> bool:
    # A summary is what `draft` reads from a folder; every other output of ours is never an input.
    if name.endswith(".summary.json") and ".json" in suffixes:
        return False
    return name.endswith(OUTPUT_SUFFIXES)


def run_each(paths: Iterable[Path], step: Callable[[Path], T]) -> Iterator[Outcome[T]]:
    for path in paths:
        try:
            yield Outcome(path, value=step(path))
        except DrafterError as exc:
            yield Outcome(path, error=str(exc))
        except Exception as exc:  # a bug must still not stop the batch or print a traceback
            yield Outcome(path, error=f"internal error ({type(exc).__name__}: {exc}); please report it")


def output_stems(inputs: list[Path], given: list[Path]) -> dict[Path, str]:
    """Output names that depend only on where each input is, never on the other inputs of the run.

    A file named on the command line keeps its stem; a file found in a folder is named by its path inside that
    folder (2024/兴宁.txt → 2024-兴宁). Two inputs of one folder that still share a name (a.txt and a.docx) add their
    type, in both names; alike names from different folders also add their folder."""
    folders = [g for g in given if g.is_dir()]
    named: dict[Path, str] = {}
    for path in inputs:
        root = next((f for f in folders if f in path.parents), None)
        inner = path.relative_to(root).with_suffix("") if root is not None else Path(path.stem)
        named[path] = "-".join(inner.parts)
    groups: dict[str, list[Path]] = {}
    for path, stem in named.items():
        groups.setdefault(stem, []).append(path)
    stems: dict[Path, str] = {}
    for stem, paths in groups.items():
        apart = len({path.parent for path in paths}) > 1  # named alike in different folders: the folder tells
        for path in paths:
            stems[path] = stem if len(paths) == 1 else "-".join(
                [*([path.parent.name] if apart else []), stem, path.suffix.lstrip(".").lower()])
    return stems
