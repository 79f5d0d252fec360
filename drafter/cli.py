"""The command line: a thin layer over the library. Each failed input is one `file: reason` line on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from drafter import __version__
from drafter.batch import collect_inputs, run_each, unique_stems
from drafter.errors import DrafterError
from drafter.ingest import read_document
from drafter.summary import overview, summarize_document, write_summary

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
) -> None:
    """Summarise reports (.txt .md .docx .html .pdf) into <name>.summary.json and <name>.summary.md."""
    if backend not in ("rules", "llm"):
        _fail(f"--backend: unknown backend {backend!r} (choose rules or llm)")
        raise typer.Exit(2)
    inputs = collect_inputs(paths)
    if not inputs:
        _fail("no report files found (.txt .md .docx .html .htm .pdf)")
        raise typer.Exit(1)
    stems = unique_stems(inputs)
    llm_options: dict = {}
    if backend == "llm":
        llm_options = _llm_options()

    def step(path: Path):
        summary = summarize_document(read_document(path), backend, **llm_options)
        json_path, _ = write_summary(summary, out, stems[path], force=force)
        return summary, json_path

    failures = 0
    for outcome in run_each(inputs, step):
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
    if not quiet:
        typer.echo(f"{len(inputs) - failures} of {len(inputs)} reports summarised into {out}/")
    if failures:
        raise typer.Exit(1)


def _llm_options() -> dict:
    raise DrafterError("the llm backend is not wired yet")


if __name__ == "__main__":
    app()
