"""drafter: grounded summaries of 法治政府建设年度报告 and next year's draft.

The library face; the `drafter` command line is a thin layer over these functions::

    import drafter
    summary = drafter.summarize("seeds/xingning-2024.txt")          # offline rules, no model
    draft = drafter.draft([summary])                                 # next year's Markdown draft
    open("draft.docx", "wb").write(drafter.render_docx(draft.markdown))
    report = drafter.check("draft.md")                               # what is still missing

    llm = drafter.LLM(drafter.load_settings(model="deepseek-chat"))  # any OpenAI-compatible endpoint
    summary = drafter.summarize("report.docx", llm=llm)

Heavy dependencies (openai, instructor, python-docx, lxml) load only when the function that needs them runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

# The one place the version is written (pyproject reads it): importlib.metadata would cost every run 20 ms.
__version__ = "0.1.0"

from drafter.errors import DrafterError, InputError  # noqa: E402
from drafter.models import (  # noqa: E402
    Compliance,
    Document,
    Item,
    Meta,
    Metric,
    Section,
    Span,
    Summary,
)

if TYPE_CHECKING:
    from drafter.drafting.check import CheckReport
    from drafter.drafting.compose import Draft
    from drafter.drafting.docx import Fonts
    from drafter.llm.config import LLM, LLMSettings
    from drafter.pipeline import Source

__all__ = [
    "LLM", "CheckReport", "Compliance", "Document", "Draft", "DrafterError", "Fonts", "InputError", "Item",
    "LLMSettings", "Meta", "Metric", "Section", "Span", "Summary", "__version__", "check", "draft", "load_settings",
    "load_summary", "read_document", "render_docx", "summarize",
]


def summarize(source: Source, llm: LLM | None = None) -> Summary:
    """A grounded Summary of one report (a path, the report's text, or a Document); `llm` to use a model."""
    from drafter.pipeline import summarize as run

    return run(source, llm)


def draft(summaries: list[Summary], year: int | None = None, region: str | None = None,
          prose: LLM | None = None, texts: dict[str, str] | None = None) -> Draft:
    """Next year's draft (`.markdown`, `.companion`) from prior-year summaries; `prose`: a model writes the section
    openings; `texts` (source → Document.text) lets citations name the source paragraph."""
    if prose is None:
        from drafter.drafting.compose import compose_draft

        return compose_draft(summaries, year=year, region=region, texts=texts)
    from drafter.drafting.prose import compose_with_prose

    return compose_with_prose(summaries, prose, year=year, region=region, texts=texts)


def check(path: Path | str, kind: str | None = None) -> CheckReport:
    """Check a draft or a published report file; `kind` ("draft" or "published") overrides the detection."""
    from drafter.drafting.check import check_file

    return check_file(Path(path), kind)  # type: ignore[arg-type]


def read_document(path: Path | str) -> Document:
    """One report file (.txt .md .docx .html .pdf) as a clean Document; InputError says why it cannot be read."""
    from drafter.ingest import read_document as read

    return read(Path(path))


def load_summary(path: Path | str) -> Summary:
    from drafter.summary import load_summary as load

    return load(Path(path))


def render_docx(markdown: str, fonts: Fonts | None = None) -> bytes:
    """A Markdown draft as GB/T 9704-2012 .docx bytes."""
    from drafter.drafting.docx import render_docx as render

    return render(markdown, fonts)


def load_settings(config_file: Path | str | None = None, **overrides) -> LLMSettings:
    """Endpoint settings from overrides, the environment, `.env` and an optional TOML file."""
    from drafter.llm.config import load_settings as load

    return load(Path(config_file) if config_file else None, **overrides)


def __getattr__(name: str):
    # Typed classes whose modules pull in heavier dependencies are imported on first use.
    lazy = {"LLM": "drafter.llm.config", "LLMSettings": "drafter.llm.config", "Draft": "drafter.drafting.compose",
            "CheckReport": "drafter.drafting.check", "Fonts": "drafter.drafting.docx"}
    if name in lazy:
        import importlib

        return getattr(importlib.import_module(lazy[name]), name)
    raise AttributeError(f"module 'drafter' has no attribute {name!r}")
