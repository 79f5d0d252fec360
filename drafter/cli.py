"""The command line: a thin layer over the library. Each failed input is one `file: reason` line on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

import drafter
from drafter import __version__
from drafter.batch import REPORT_SUFFIXES, collect_inputs, run_each, unique_stems
from drafter.errors import DrafterError
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
) -> None:
    """Summarise reports (.txt .md .docx .html .pdf) into <name>.summary.json and <name>.summary.md."""
    from drafter.pipeline import summarize_many

    llm = _llm(backend, config, model, mode, no_cache, lenient, concurrency=concurrency, rpm=rpm, tpm=tpm,
               deadline=deadline, max_input_chars=max_input_chars)
    inputs = collect_inputs(paths)
    if not inputs:
        _fail("no report files found (.txt .md .docx .html .htm .pdf)")
        raise typer.Exit(1)
    stems = unique_stems(inputs)
    outcomes = summarize_many(inputs, llm, batch_api=batch_api and llm is not None,
                              on_batch=lambda result: None if quiet else typer.echo(result.line()))

    def write(path: Path, summary):
        return summary, write_summary(summary, out, stems[path], force=force)[0]

    failures = 0
    try:
        for outcome in outcomes:
            if outcome.error is None:  # written here, as each report finishes; a refused write fails that one only
                outcome = next(run_each([outcome.path], lambda path, summary=outcome.value: write(path, summary)))
            if outcome.error is not None:
                failures += 1
                _fail(f"{outcome.path}: {outcome.error}")
                continue
            summary, json_path = outcome.value
            if not quiet:
                typer.echo(f"{outcome.path} → {json_path}")
                typer.echo(f"  {overview(summary)}")
                for warning in summary.warnings:
                    typer.echo(f"  warning: {warning}")
    except DrafterError as exc:  # the run itself failed (a provider batch that could not be sent)
        _fail(f"llm: {exc}")
        raise typer.Exit(1)
    if not quiet:
        typer.echo(f"{len(inputs) - failures} of {len(inputs)} reports summarised into {out}/")
    _print_usage(llm)
    if failures:
        raise typer.Exit(1)


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
    docx: Annotated[bool, typer.Option("--docx", help="also write the GB/T 9704 Word document")] = False,
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

    def load(path: Path):
        if is_summary_file(path):
            return load_summary(path)
        return drafter.summarize(path, extractor)

    paths = collect_inputs(inputs, suffixes=REPORT_SUFFIXES | {".json"})
    summaries, failures = [], 0
    for outcome in run_each(paths, load):
        if outcome.error is not None:
            failures += 1
            _fail(f"{outcome.path}: {outcome.error}")
        else:
            summaries.append(outcome.value)
    if summaries:
        try:
            composed = drafter.draft(summaries, year=year, region=region, prose=writer)
            fonts = _fonts(font_title, font_body, font_heading1, font_heading2, font_page_number)
            written = save_draft(composed, out, force=force, docx=docx, fonts=fonts)
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
        path = export_docx(draft_md, force=force, fonts=fonts, out_path=out)
    except DrafterError as exc:
        _fail(f"{draft_md}: {exc}")
        raise typer.Exit(1)
    typer.echo(f"wrote {path}")


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="drafts or reports (.md .docx .txt)", show_default=False)],
    kind: Annotated[Optional[str], typer.Option(help="draft or published (default: detected)")] = None,
) -> None:
    """Check drafts or published reports: required parts and order, placeholders, unsourced figures, title, sign-off."""
    from drafter.drafting.check import check_file

    if kind not in (None, "draft", "published"):
        _fail(f"--kind: unknown kind {kind!r} (choose draft or published)")
        raise typer.Exit(2)
    failed = 0
    for outcome in run_each(files, lambda path: check_file(path, kind)):
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
    written, failures = record_fixtures(collect_inputs(paths), out, settings, lenient=lenient)
    for failure in failures:
        _fail(str(failure))
    typer.echo(f"{len(written)} fixtures written to {out}/")
    if failures:
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
