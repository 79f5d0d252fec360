"""Inputs of the reading steps (review, compare, sheet): a summary JSON or a raw report, and the report behind it."""

from __future__ import annotations

from pathlib import Path

from drafter.batch import REPORT_SUFFIXES, unique_stems
from drafter.errors import DrafterError
from drafter.ground import ungrounded
from drafter.ingest import read_document
from drafter.models import Document, Summary
from drafter.summary import JSON_SUFFIX, is_summary_file, load_summary, summarize_document

INPUT_SUFFIXES = REPORT_SUFFIXES | {".json"}


def report_names(paths: list[Path]) -> dict[Path, str]:
    """Output names: unique stems, without the .summary a summary JSON adds to its report's name."""
    suffix = JSON_SUFFIX.removesuffix(".json")
    return {path: stem.removesuffix(suffix) or stem for path, stem in unique_stems(paths).items()}


def load_input(path: Path) -> Summary:
    """The summary a JSON file holds, or the offline (rules) summary of a raw report."""
    if is_summary_file(path):
        return load_summary(path)
    return summarize_document(read_document(path), "rules")


def load_with_source(path: Path) -> tuple[Summary, Document]:
    """A summary and the cleaned report its offsets point into."""
    if not is_summary_file(path):
        doc = read_document(path)
        return summarize_document(doc, "rules"), doc
    summary = load_summary(path)
    doc = source_document(summary, path)
    bad = ungrounded(doc.text, summary.facts())
    if bad:  # same bytes, different cleaning: a summary from another drafter version
        raise DrafterError(f"{len(bad)} quotes do not match the source text (summary made by drafter "
                           f"{summary.provenance.drafter_version}?); summarise the report again")
    return summary, doc


def source_document(summary: Summary, json_path: Path) -> Document:
    """Read the report a summary was made from: its recorded path, from the current folder or the JSON's folder.

    The raw bytes must still be those summarised (sha256), or the offsets would mark the wrong text."""
    recorded = Path(summary.provenance.source)
    candidates = [recorded] if recorded.is_absolute() else [Path.cwd() / recorded, json_path.parent / recorded]
    found = next((p for p in candidates if p.is_file()), None)
    if found is None:
        raise DrafterError(f"source report {recorded} not found (looked in {' and '.join(map(str, candidates))})")
    doc = read_document(found)
    if doc.source.sha256 != summary.provenance.sha256:
        raise DrafterError(f"source report {found} has changed since it was summarised (sha256 "
                           f"{doc.source.sha256[:12]} ≠ {summary.provenance.sha256[:12]}); summarise it again")
    return doc
