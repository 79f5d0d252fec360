"""The summary pipeline, in the order the data flows: ingest → structure → meta → facts (rules | llm) → verify.

The structure, the metadata, the compliance verdict and the rules' figures are always the offline parse's; a
backend adds the items (and, for the model, names and extra figures). Nothing leaves `summarize` unless every
quote equals `text[start:end]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from drafter import __version__
from drafter.batch import Outcome, run_each
from drafter.errors import DrafterError
from drafter.extract import rules
from drafter.extract.meta import extract_meta
from drafter.extract.metrics import extract_metrics
from drafter.ground import ungrounded
from drafter.ingest import document_from_text, read_document
from drafter.models import Document, Provenance, Section, Summary
from drafter.structure import assess_compliance, parse_sections

if TYPE_CHECKING:
    from drafter.llm.batch import BatchResult
    from drafter.llm.config import LLM

Source = Path | str | Document


def summarize(source: Source, llm: LLM | None = None) -> Summary:
    """A grounded summary of one report: a path, the report's text, or a Document.

    With `llm`, the model gives the items (and names figures); without, the offline rules do. Raises DrafterError
    on unreadable input, endpoint failure, or a fact the model could not ground."""
    doc = as_document(source)
    if llm is not None:
        from drafter.extract import llm as llm_backend

        llm_backend.check_size(doc.text, llm.settings)  # before the offline parse, which takes seconds on 8 MB
    parsed = parse(doc)
    if llm is None:
        summary = parsed.model_copy(update=rules.extract_items(doc.text, parsed.sections))
    else:
        facts = llm_backend.extract_facts(doc, parsed.sections, llm)
        summary = llm_backend.merge(parsed, facts, llm.settings.model)
    verify(doc.text, summary)
    return summary


def summarize_many(sources: Iterable[Source], llm: LLM | None = None, *, concurrency: int | None = None,
                   batch_api: bool = False, on_batch: Callable[[BatchResult], None] | None = None,
                   ) -> Iterator[Outcome[Summary]]:
    """Each source's Summary, or its one-line error, as each finishes; one failure never stops the others.

    With the rules, one after the other, in order (the work is CPU-bound). With a model, `concurrency` reports at
    once (default: the settings' `concurrency`, which also caps the requests in flight across reports and chunks),
    through the run's one endpoint. `batch_api`: every chunk without a cached answer goes first to the provider's
    Batch API (drafter.llm.batch); answers it rejects are asked again the normal way; `on_batch` hears how it went."""
    sources = list(sources)
    if llm is None:
        yield from run_each(sources, summarize)
        return
    todo: list[tuple[Source, Source]] = [(source, source) for source in sources]  # (as given, what to summarise)
    if batch_api:
        todo = []
        for outcome in run_each(sources, as_document):
            if outcome.error is not None:
                yield outcome
            else:
                todo.append((outcome.path, outcome.value))
        result = _submit_batch([doc for _, doc in todo], llm)
        if on_batch is not None:
            on_batch(result)
    from drafter.llm.threads import as_finished

    def one(item: tuple[Source, Source]) -> Outcome[Summary]:
        given, source = item
        outcome = next(run_each([source], lambda s: summarize(s, llm)))
        return Outcome(given, value=outcome.value, error=outcome.error)  # type: ignore[arg-type]

    # Closing this iterator (Ctrl-C in the consumer) starts no further report.
    for _, outcome, _ in as_finished(one, todo, concurrency or llm.settings.concurrency):
        yield outcome  # type: ignore[misc]  # run_each already turned every exception into an Outcome


def _submit_batch(docs: list[Document], llm: LLM) -> BatchResult:
    from drafter.extract import llm as llm_backend
    from drafter.llm.batch import run_batch

    calls = []
    for doc in docs:
        try:
            calls.extend(llm_backend.chunk_calls(doc, parse(doc).sections, llm))
        except DrafterError:
            continue  # the report fails with the same message on the normal path
    return run_batch(llm, calls)


def as_document(source: Source) -> Document:
    if isinstance(source, Document):
        return source
    if isinstance(source, str) and not _names_a_file(source):
        return document_from_text(source)
    return read_document(Path(source))


def _names_a_file(source: str) -> bool:
    """Whether a str Source is a path; one with a line break, or that names no existing file, is report text."""
    if "\n" in source:
        return False
    try:
        return Path(source).is_file()
    except OSError:  # a one-line report longer than a file name may be (ENAMETOOLONG)
        return False


def parse(doc: Document) -> Summary:
    """The offline parse: structure, compliance, metadata and figures, with no items yet."""
    text = doc.text
    sections = parse_sections(text)
    meta = extract_meta(doc, sections)
    return Summary(
        meta=meta,
        sections=sections,
        metrics=extract_metrics(text, sections),
        compliance=assess_compliance(text, sections),
        warnings=report_warnings(text, sections, meta.report_year),
        provenance=Provenance(
            source=doc.source.path, format=doc.source.format, sha256=doc.source.sha256, backend="rules",
            drafter_version=__version__,
        ),
    )


def report_warnings(text: str, sections: list[Section], report_year: int | None) -> list[str]:
    """Say plainly when the input does not look like an annual report, instead of inventing facts."""
    warnings = []
    if not sections:
        warnings.append("未识别到编号标题：文本不具备可识别的报告结构")
    if report_year is None:
        warnings.append("未找到报告年度")
    if "法治" not in text:
        warnings.append("文本未出现“法治”一词，可能不是法治政府建设年度报告")
    return warnings


def verify(text: str, summary: Summary) -> None:
    bad = ungrounded(text, summary.facts())
    if bad:  # a backend bug, never user error: refuse to hand out an unverifiable summary
        raise DrafterError(f"{len(bad)} quotes do not match the text, first: {bad[0].quote[:40]!r}")
