"""Inputs of the reading steps (review, compare, sheet): a summary JSON or a raw report, and the report behind it."""

from __future__ import annotations

from pathlib import Path

from drafter.batch import collect_inputs, output_stems
from drafter.errors import DrafterError
from drafter.ground import ungrounded
from drafter.ingest import read_document
from drafter.models import Document, Summary
from drafter.pipeline import summarize
from drafter.summary import JSON_SUFFIX, is_summary_file, load_summary


def collect_reading_inputs(paths: list[Path]) -> list[Path]:
    """Files as given; from a folder, its summaries and the reports that have no summary beside them.

    `summarize` skips its own outputs in folders; here they are the point: `compare out/` reads out/'s summaries."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        summaries = [p for p in path.rglob(f"*{JSON_SUFFIX}")
                     if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)]
        covered = {(p.parent, p.name.removesuffix(JSON_SUFFIX)) for p in summaries}
        reports = [p for p in collect_inputs([path]) if (p.parent, p.stem) not in covered]
        found += sorted(summaries + reports)
    return found


def report_names(paths: list[Path], given: list[Path]) -> dict[Path, str]:
    """Output names as `summarize` gives them (drafter.batch.output_stems); a summary JSON is named as its report
    (x.summary.json → x)."""
    as_report = {path: path.with_name(path.name.removesuffix(JSON_SUFFIX) + ".json")
                 if path.name.endswith(JSON_SUFFIX) else path for path in paths}
    names = output_stems(list(as_report.values()), given)
    return {path: names[alias] for path, alias in as_report.items()}


def load_input(path: Path) -> Summary:
    """The summary a JSON file holds, or the offline (rules) summary of a raw report."""
    if is_summary_file(path):
        return load_summary(path)
    return summarize(path)


def load_with_source(path: Path) -> tuple[Summary, Document]:
    """A summary and the cleaned report its offsets point into."""
    if not is_summary_file(path):
        doc = read_document(path)
        return summarize(doc), doc
    summary = load_summary(path)
    doc = source_document(summary, path)
    bad = ungrounded(doc.text, summary.facts())
    if bad:  # same bytes, different cleaning: a summary from another drafter version
        raise DrafterError(f"{len(bad)} quotes do not match the source text (summary made by drafter "
                           f"{summary.provenance.drafter_version}?); summarise the report again")
    return summary, doc


def source_document(summary: Summary, json_path: Path) -> Document:
    """Read the report a summary was made from: its recorded path, from the current folder or the JSON's folder,
    else a file of its name beside the JSON.

    The raw bytes must still be those summarised (sha256), or the offsets would mark the wrong text."""
    recorded = Path(summary.provenance.source)
    candidates = [recorded] if recorded.is_absolute() else [Path.cwd() / recorded, json_path.parent / recorded]
    # Moved together with its summary: the sha256 check below still guards against a different file of that name.
    candidates += [p for p in (json_path.parent / recorded.name,) if p not in candidates]
    found = next((p for p in candidates if p.is_file()), None)
    if found is None:
        raise DrafterError(f"source report {recorded} not found (looked in {' and '.join(map(str, candidates))})")
    doc = read_document(found)
    if doc.source.sha256 != summary.provenance.sha256:
        raise DrafterError(f"source report {found} has changed since it was summarised (sha256 "
                           f"{doc.source.sha256[:12]} ≠ {summary.provenance.sha256[:12]}); summarise it again")
    return doc
