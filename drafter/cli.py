"""The command line: a thin layer over the library. Each failed input is one `file: reason` line on stderr."""

from __future__ import annotations

from collections.abc import Iterable
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

import drafter
from drafter import __version__
from drafter.batch import REPORT_SUFFIXES, collect_inputs, run_each

CHECK_SKIPS = (".summary.md", "-参考材料.md", "-参考材料.docx")
from drafter.errors import DrafterError
from drafter.files import write_atomic
from drafter.inputs import collect_reading_inputs, load_input, load_with_source, report_names
from drafter.summary import is_summary_file, load_summary, overview, write_summary

if TYPE_CHECKING:
    from drafter.llm.config import LLM

app = typer.Typer(
    help="Summarise 法治政府建设年度报告 into grounded summaries, and draft next year's report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Paths = Annotated[list[Path], typer.Argument(help="report files or folders", show_default=False)]
OutDir = Annotated[Path, typer.Option("--out", "-o", help="output folder")]
Force = Annotated[bool, typer.Option("--force", help="overwrite existing outputs")]


def _fail(message: str) -> None:
    typer.echo(message, err=True)


def _tolerant_console() -> None:
    """A console that cannot show ✓ ✗ → (GBK on Chinese Windows, a redirect) gets "?" instead of a crash."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _inputs(paths: list[Path], suffixes: frozenset[str] = REPORT_SUFFIXES) -> list[Path]:
    """The input files; files in a folder that we cannot read are listed as skipped, with the reason."""
    return collect_inputs(paths, suffixes, on_skip=lambda path, reason: _fail(f"{path}: {reason}"))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"drafter {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="show the version")
    ] = None,
) -> None:
    """drafter: grounded summaries and next year's draft for 法治政府建设年度报告."""
    _tolerant_console()


@app.command()
def summarize(
    paths: Paths,
    out: OutDir = Path("out"),
    backend: Annotated[str, typer.Option(help="rules (offline, default) or llm")] = "rules",
    force: Force = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="print failures only")] = False,
    config: ConfigOption = None,
    model: ModelOption = None,
    mode: ModeOption = None,
    no_cache: NoCacheOption = False,
    lenient: LenientOption = False,
    concurrency: Annotated[Optional[int], typer.Option(
        help="llm: requests in flight at once, across reports and chunks (env DRAFTER_CONCURRENCY, default 8)")] = None,
    rpm: Annotated[Optional[float], typer.Option(help="llm: the provider's requests per minute (DRAFTER_RPM)")] = None,
    tpm: Annotated[Optional[float], typer.Option(help="llm: the provider's tokens per minute (DRAFTER_TPM)")] = None,
    deadline: Annotated[Optional[float], typer.Option(
        help="llm: seconds one request may take in all, retries included (DRAFTER_DEADLINE, default 110)")] = None,
    max_input_chars: Annotated[Optional[int], typer.Option(
        help="llm: refuse a longer report before any request; 0: no limit (DRAFTER_MAX_INPUT_CHARS)")] = None,
    batch_api: Annotated[bool, typer.Option(
        "--batch-api", help="llm: send the run through the provider's Batch API, then ask again what it rejects")] = False,
    jobs_: Annotated[int, typer.Option("--jobs", "-j", min=1,
                                       help="rules: worker processes for a big folder (default 1)")] = 1,
) -> None:
    """Summarise reports (.txt .md .docx .html .pdf) into <name>.summary.json and <name>.summary.md.

    A report whose summary is current (same input bytes, backend, model and prompt version) is skipped, so an
    interrupted run finishes by running the same command again."""
    from drafter.progress import Progress
    from drafter.runner import plan, run_offline

    llm = _llm(backend, config, model, mode, no_cache, lenient, concurrency=concurrency, rpm=rpm, tpm=tpm,
               deadline=deadline, max_input_chars=max_input_chars)
    inputs = _inputs(paths)
    if not inputs:
        _fail("no report files found (.txt .md .docx .html .htm .pdf)")
        raise typer.Exit(1)
    jobs = plan(inputs, paths, out, _identity(llm), force=force)  # before any work: no request for a refused file
    with Progress(len(jobs), quiet=quiet) as progress:
        shown = progress.live
        for job in jobs:
            if job.action == "skip":
                progress.skipped()
                if not quiet:
                    progress.echo(f"{job.path}: {job.reason} ({job.json_path})")
            elif job.action == "refuse":
                progress.failed(str(job.path), job.reason or "")
                progress.echo(f"{job.path}: {job.reason}", err=True)
        todo = [job for job in jobs if job.action == "run"]
        try:
            results = (run_offline(todo, processes=jobs_) if llm is None
                       else _summarize_with_model(todo, llm, batch_api, quiet, progress))
            for result in results:
                if result.error is not None:
                    progress.failed(str(result.job.path), result.error)
                    progress.echo(f"{result.job.path}: {result.error}", err=True)
                    continue
                progress.done()
                if not quiet:
                    progress.echo(f"{result.job.path} → {result.job.json_path}")
                    progress.echo(f"  {result.overview}")
                    for warning in result.warnings:
                        progress.echo(f"  warning: {warning}")
        except DrafterError as exc:  # the run itself failed (a provider batch that could not be sent)
            _fail(f"llm: {exc}")
            raise typer.Exit(1)
    tally = progress.tally
    if shown:  # on a terminal the failures scrolled by among the results: the closing table repeats them
        for line in progress.closing_lines():
            typer.echo(line, err=True)
    if not quiet:
        skipped = f", {tally.skipped} up to date" if tally.skipped else ""
        typer.echo(f"{tally.done} of {len(jobs)} reports summarised into {out}/{skipped}")
    _print_usage(llm)
    if tally.failed:
        raise typer.Exit(1)


def _identity(llm: LLM | None):  # noqa: ANN202 (a drafter.runner.RunIdentity, imported lazily)
    from drafter.runner import RunIdentity

    if llm is None:
        return RunIdentity("rules")
    from drafter.extract.llm.prompt import PROMPT_VERSION

    return RunIdentity("llm", llm.settings.model, PROMPT_VERSION)


def _summarize_with_model(jobs, llm: LLM, batch_api: bool, quiet: bool, progress):  # noqa: ANN001, ANN202
    """Each job's Result as its report finishes (concurrently, through the run's one endpoint), written at once."""
    from drafter.pipeline import summarize_many
    from drafter.runner import Result

    by_path = {job.path: job for job in jobs}
    outcomes = summarize_many(list(by_path), llm, batch_api=batch_api,
                              on_batch=lambda result: None if quiet else progress.echo(result.line()))
    for outcome in outcomes:
        job = by_path[outcome.path]
        if outcome.error is None:
            written = next(run_each([job.path], lambda _path, summary=outcome.value: write_summary(
                summary, job.json_path.parent, job.stem, force=True)))  # the decision was made in plan()
            if written.error is None:
                yield Result(job, overview(outcome.value), tuple(outcome.value.warnings))
                continue
            outcome = written
        yield Result(job, error=outcome.error)


ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="TOML settings for the llm backend")]
ModelOption = Annotated[Optional[str], typer.Option("--model", help="model name (env DRAFTER_MODEL)")]
ModeOption = Annotated[Optional[str], typer.Option("--mode", help="tools | json | md_json (env DRAFTER_MODE)")]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="ask the model even when a cached answer exists")]
LenientOption = Annotated[
    bool, typer.Option("--lenient", help="drop facts the model cannot ground, with warnings, instead of failing")
]


def _llm(backend: str, config: Path | None, model: str | None, mode: str | None,
         no_cache: bool, lenient: bool, **overrides: object) -> LLM | None:
    """The model for this run, or None for the rules; settings errors (no key, no model) stop it before any input."""
    if backend == "rules":
        return None
    if backend != "llm":
        _fail(f"--backend: unknown backend {backend!r} (choose rules or llm)")
        raise typer.Exit(2)
    from drafter.llm.config import LLM

    try:
        return LLM.from_env(config, use_cache=not no_cache, lenient=lenient, model=model, mode=mode, **overrides)
    except DrafterError as exc:
        _fail(f"llm: {exc}")
        raise typer.Exit(2)


def _print_usage(llm: LLM | None) -> None:
    if llm is not None:
        total = llm.ledger.total
        typer.echo(f"llm usage: {total.requests} requests, {total.prompt_tokens} prompt + "
                   f"{total.completion_tokens} completion tokens")


FontOption = Annotated[Optional[str], typer.Option(show_default=False)]
SealedOption = Annotated[bool, typer.Option("--sealed", help="lay the 落款 out for a seal (GB/T 9704 7.3.5.1)")]


def _fonts(title: str | None, body: str | None, heading1: str | None, heading2: str | None, page_number: str | None):
    from drafter.drafting.docx import Fonts

    chosen = {"title": title, "body": body, "heading1": heading1, "heading2": heading2, "page_number": page_number}
    return Fonts(**{k: v for k, v in chosen.items() if v})


@app.command()
def draft(
    inputs: Annotated[list[Path], typer.Argument(help="prior-year summaries (.summary.json) or raw reports", show_default=False)],
    year: Annotated[Optional[int], typer.Option(help="year the draft reports on (default: latest prior year + 1)")] = None,
    region: Annotated[Optional[str], typer.Option(help="region to draft for (default: the first input's)")] = None,
    out: OutDir = Path("out"),
    docx: Annotated[bool, typer.Option("--docx", help="also write the GB/T 9704 Word documents")] = False,
    sealed: SealedOption = False,
    backend: Annotated[str, typer.Option(help="backend for raw reports: rules or llm")] = "rules",
    force: Force = False,
    font_title: FontOption = None,
    font_body: FontOption = None,
    font_heading1: FontOption = None,
    font_heading2: FontOption = None,
    font_page_number: FontOption = None,
    config: ConfigOption = None,
    model: ModelOption = None,
    mode: ModeOption = None,
    no_cache: NoCacheOption = False,
    lenient: LenientOption = False,
    llm: Annotated[bool, typer.Option("--llm", help="the model writes each section's opening prose (llm settings as "
                                                    "for --backend llm)")] = False,
) -> None:
    """Compose next year's draft in the standard five-part structure from prior-year reports."""
    from drafter.drafting.docx import save_draft

    extractor = _llm(backend, config, model, mode, no_cache, lenient)
    # One set of settings and one usage ledger when raw reports are summarised by the model too.
    writer = (extractor or _llm("llm", config, model, mode, no_cache, lenient)) if llm else None

    texts: dict[str, str] = {}  # source → text, so the draft's citations can name the paragraph

    def load(path: Path):
        if is_summary_file(path):
            summary = load_summary(path)
            source = Path(summary.provenance.source)
            try:  # the report it was made from, if still there unchanged
                document = drafter.read_document(source) if source.is_file() else None
            except DrafterError:
                document = None
            if document is not None and document.source.sha256 == summary.provenance.sha256:
                texts[summary.provenance.source] = document.text
            return summary
        document = drafter.read_document(path)
        summary = drafter.summarize(document, extractor)
        texts[summary.provenance.source] = document.text
        return summary

    paths = _inputs(inputs, REPORT_SUFFIXES | {".json"})
    if not paths:
        _fail("no summaries (.summary.json) or report files found")
        raise typer.Exit(1)
    summaries, failures = _each(paths, load)
    if summaries:
        try:
            composed = drafter.draft(summaries, year=year, region=region, prose=writer, texts=texts)
            fonts = _fonts(font_title, font_body, font_heading1, font_heading2, font_page_number)
            written = save_draft(composed, out, force=force, docx=docx, fonts=fonts, sealed=sealed)
        except DrafterError as exc:
            _fail(f"draft: {exc}")
            raise typer.Exit(1)
        for path in written:
            typer.echo(f"wrote {path}")
        typer.echo(f"  {composed.region or ''} {composed.year}年度 · {len(composed.placeholders)} placeholders to fill · "
                   f"{len(composed.sources)} cited source statements")
    _print_usage(writer or extractor)
    if failures or not summaries:
        raise typer.Exit(1)


@app.command()
def export(
    draft_md: Annotated[Path, typer.Argument(help="a Markdown draft", show_default=False)],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="the .docx to write (default: beside the draft)")] = None,
    force: Force = False,
    sealed: SealedOption = False,
    font_title: FontOption = None,
    font_body: FontOption = None,
    font_heading1: FontOption = None,
    font_heading2: FontOption = None,
    font_page_number: FontOption = None,
) -> None:
    """Export a Markdown draft to a GB/T 9704-2012 Word document."""
    from drafter.drafting.docx import export_docx

    fonts = _fonts(font_title, font_body, font_heading1, font_heading2, font_page_number)
    try:
        path = export_docx(draft_md, force=force, fonts=fonts, out_path=out, sealed=sealed)
    except DrafterError as exc:
        _fail(f"{draft_md}: {exc}")
        raise typer.Exit(1)
    typer.echo(f"wrote {path}")


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="drafts or reports (.md .docx .txt .html .pdf) or folders",
                                                show_default=False)],
    kind: Annotated[Optional[str], typer.Option(help="draft or published (default: detected)")] = None,
) -> None:
    """Check drafts or published reports: required parts and order, placeholders, unsourced figures, title, sign-off."""
    from drafter.drafting.check import check_file

    if kind not in (None, "draft", "published"):
        _fail(f"--kind: unknown kind {kind!r} (choose draft or published)")
        raise typer.Exit(2)
    failed = 0
    # In a folder the drafts themselves are the point: only summaries and companion files are skipped.
    paths = [p for p in collect_inputs(files) if not p.name.endswith(CHECK_SKIPS)] + [
        draft for folder in files if folder.is_dir() for draft in sorted(folder.rglob("*-草稿.md"))]
    for outcome in run_each(paths, lambda path: check_file(path, kind)):
        if outcome.error is not None:
            failed += 1
            _fail(f"{outcome.path}: {outcome.error}")
            continue
        report = outcome.value
        for line in report.lines():
            typer.echo(line)
        verdict = "ok" if report.ok else f"{len(report.errors)} errors"
        typer.echo(f"{outcome.path}: {report.kind}, {verdict}, {len(report.findings) - len(report.errors)} warnings")
        failed += 0 if report.ok else 1
    if failed:
        raise typer.Exit(1)


@app.command()
def record(
    paths: Paths,
    out: Annotated[Path, typer.Option("--out", "-o", help="fixture folder")] = Path("fixtures/llm"),
    config: ConfigOption = None,
    model: ModelOption = None,
    mode: ModeOption = None,
    lenient: LenientOption = False,
) -> None:
    """Record replay fixtures from a live OpenAI-compatible endpoint (secrets redacted)."""
    from drafter.llm.config import load_settings
    from drafter.replay.record import record as record_fixtures

    try:
        settings = load_settings(config, model=model, mode=mode)
    except DrafterError as exc:
        _fail(f"llm: {exc}")
        raise typer.Exit(2)
    written, failures = record_fixtures(_inputs(paths), out, settings, lenient=lenient)
    for failure in failures:
        _fail(str(failure))
    typer.echo(f"{len(written)} fixtures written to {out}/")
    if failures:
        raise typer.Exit(1)


def _reading_inputs(paths: list[Path]) -> dict[Path, str]:
    """The inputs of a reading command (review, compare, sheet), each with its output name."""
    inputs = collect_reading_inputs(paths)
    if not inputs:
        _fail("no reports or summaries found (.txt .md .docx .html .htm .pdf .summary.json)")
        raise typer.Exit(1)
    return report_names(inputs, paths)


def _each(inputs: Iterable[Path], step) -> tuple[list, int]:
    """Run `step` on every input; each failure is one `file: reason` line."""
    done, failures = [], 0
    for outcome in run_each(inputs, step):
        if outcome.error is not None:
            failures += 1
            _fail(f"{outcome.path}: {outcome.error}")
        else:
            done.append(outcome.value)
    return done, failures


def _write_each(inputs: Iterable[Path], step) -> None:
    """Run a step that writes one file per input; say what was written; exit 1 if any input failed."""
    written, failures = _each(inputs, step)
    for path in written:
        typer.echo(f"wrote {path}")
    if failures:
        raise typer.Exit(1)


Inputs = Annotated[list[Path], typer.Argument(help="summaries (.summary.json) or reports, files or folders",
                                              show_default=False)]


@app.command()
def review(paths: Inputs, out: OutDir = Path("out"), force: Force = False) -> None:
    """Write <name>.review.html per report: its text with every fact of the summary marked, the summary beside it."""
    from drafter.review import SUFFIX, review_page

    names = _reading_inputs(paths)

    def step(path: Path) -> Path:
        summary, doc = load_with_source(path)
        return write_atomic(out / f"{names[path]}{SUFFIX}", review_page(summary, doc), force=force)

    _write_each(names, step)


@app.command()
def compare(
    paths: Inputs,
    out: Annotated[Path, typer.Option("--out", "-o", help="the table to write: .xlsx, .csv or .md",
                                      show_default=False)],
    force: Force = False,
) -> None:
    """Write reports side by side (.xlsx .csv .md): metadata, parts, counts, one column per standard indicator."""
    from drafter.compare import FORMATS, build_table, write_table

    if out.suffix.lower() not in FORMATS:
        _fail(f"--out: unsupported output {out.name}; use {', '.join(FORMATS)}")
        raise typer.Exit(2)
    if out.exists() and not force:  # before reading every report, not after
        _fail(f"{out} exists; use --force to overwrite")
        raise typer.Exit(1)
    names = _reading_inputs(paths)
    named, failures = _each(names, lambda path: (names[path], load_input(path)))
    if named:
        try:
            table = build_table(named)
            write_table(table, out, force=force)
        except DrafterError as exc:
            _fail(f"compare: {exc}")
            raise typer.Exit(1)
        typer.echo(f"wrote {out}: {len(table.rows)} reports, {len(table.indicators)} indicator columns")
    if failures or not named:
        raise typer.Exit(1)


@app.command()
def sheet(paths: Inputs, out: OutDir = Path("out"), force: Force = False) -> None:
    """Write <name>.summary.xlsx per report: overview, figures with quote, indicator, area and part, and items."""
    from drafter.sheets import summary_workbook

    names = _reading_inputs(paths)

    def step(path: Path) -> Path:
        workbook = summary_workbook(load_input(path), names[path])
        return write_atomic(out / f"{names[path]}.summary.xlsx", workbook, force=force)

    _write_each(names, step)


@app.command()
def track(
    prior: Annotated[Path, typer.Argument(metavar="PRIOR", help="last year's report or its .summary.json", show_default=False)],
    next_: Annotated[Path, typer.Argument(metavar="NEXT", help="this year's report or its .summary.json",
                                          show_default=False)],
    out: OutDir = Path("out"),
    force: Force = False,
    llm: Annotated[bool, typer.Option("--llm", help="a model judges each commitment and problem (llm settings as "
                                                    "for --backend llm); evidence must be verbatim")] = False,
    config: ConfigOption = None,
    model: ModelOption = None,
    mode: ModeOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Follow last year's commitments into this year's report of the same unit: done, partial or not found."""
    from drafter.track import load_with_text, output_stem, track as track_pair, write_tracking

    judge = _llm("llm", config, model, mode, no_cache, False) if llm else None

    loaded = []
    for path in (prior, next_):
        try:
            loaded.append(load_with_text(path))
        except DrafterError as exc:
            _fail(f"{path}: {exc}")
            raise typer.Exit(1)
    (prior_summary, prior_text), (next_summary, next_text) = loaded
    try:
        if judge is not None:
            from drafter.track_llm import track_with_llm

            tracking = track_with_llm(prior_summary, prior_text, next_summary, next_text, judge)
        else:
            tracking = track_pair(prior_summary, prior_text, next_summary, next_text)
        written = write_tracking(tracking, out, output_stem(tracking, prior, next_), force=force)
    except DrafterError as exc:
        _fail(f"track: {exc}")
        raise typer.Exit(1)
    for path in written:
        typer.echo(f"wrote {path}")
    counts = tracking.counts
    typer.echo(f"  {len(tracking.commitments)} commitments: {counts['done']} done, {counts['partial']} partial, "
               f"{counts['not_found']} not found · {len(tracking.repeated_problems)} repeated problems")
    for warning in tracking.warnings:
        typer.echo(f"  warning: {warning}")
    _print_usage(judge)


@app.command("eval")
def eval_(
    inputs: Annotated[list[Path], typer.Argument(metavar="SUMMARIES...", help=".summary.json files, reports "
                                                 "(summarised by rules) or folders", show_default=False)],
    gold: Annotated[Path, typer.Option("--gold", help="folder of <name>.gold.json files (gold/README.md)")],
    json_out: Annotated[Optional[Path], typer.Option("--json", help="also write the scores as JSON")] = None,
    minimum: Annotated[Optional[list[str]], typer.Option(
        "--min", help="gate: exit 1 when a field's F1 is below FLOAT (0–1); FIELD=FLOAT for one field; repeatable",
    )] = None,
    force: Force = False,
    misses: Annotated[bool, typer.Option("--misses", help="print every miss")] = False,
) -> None:
    """Score summaries against hand-labelled gold: precision and recall per field, as a table (and JSON)."""
    from drafter.evaluate import (
        GOLD_SUFFIX, combine, evaluate, gate_failures, gold_for, load_gold, parse_gate, table, to_json,
    )
    try:
        golds = load_gold(gold)
        gate = parse_gate(minimum or [])
    except DrafterError as exc:
        _fail(str(exc))
        raise typer.Exit(2)

    def score(path: Path):
        summary = load_input(path)
        matched = gold_for(summary, golds)
        if matched is None:
            raise DrafterError(f"no gold for {Path(summary.provenance.source).name} in {gold}")
        return evaluate(summary, matched)

    # A folder gives its summaries and the reports without one; never the gold beside them (tests/heldout).
    paths = [p for p in collect_reading_inputs(inputs) if not p.name.endswith(GOLD_SUFFIX)]
    if not paths:
        _fail("no summaries or reports found (.summary.json .txt .md .docx .html .htm .pdf)")
        raise typer.Exit(1)
    reports, failures = _each(paths, score)
    if not reports:
        raise typer.Exit(1)
    evaluation = combine(reports)
    try:
        failed = gate_failures(evaluation, gate)
        if json_out is not None:
            write_atomic(json_out, to_json(evaluation, gate, failed), force=force)
    except DrafterError as exc:
        _fail(f"eval: {exc}")
        raise typer.Exit(1)
    typer.echo(f"{len(reports)} reports against {gold}/")
    for line in table(evaluation):
        typer.echo(line)
    if misses:
        for report in reports:
            for miss in report.misses:
                typer.echo(f"  {Path(report.source).name}: {miss}")
    if json_out is not None:
        typer.echo(f"wrote {json_out}")
    for line in failed:
        _fail(f"below the bar: {line}")
    if failures or failed:
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
