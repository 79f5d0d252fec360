"""Prompt templates, the payload a message carries, and the token estimate — for any task.

Templates ship inside the package, `drafter/prompts/<task>/<version>/{system,user}.md` (the repository's top-level
`prompts/` points there), are read with importlib.resources and rendered here with StrictUndefined, before
instructor sees them: a missing variable is an error, and the payload (report text, section material) is a variable
whose `{{`/`{%` Jinja never interprets (a rendered value is not parsed again).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateError

from drafter.errors import DrafterError

# Sent with every request: fixtures are keyed by the prompt version (drafter.replay.wire).
PROMPT_HEADER = "X-Drafter-Prompt-Version"
# A provider batch line has no headers: the batch's metadata carries the prompt version instead (drafter.llm.batch).
BATCH_VERSION_KEY = "drafter_prompt_version"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("drafter", "prompts"), undefined=StrictUndefined, autoescape=False,
        keep_trailing_newline=False, trim_blocks=False,
    )


def render(version: str, name: str, **variables: object) -> str:
    try:
        template = _environment().get_template(f"{version}/{name}.md")
        return template.render(**variables).strip()
    except TemplateError as exc:
        raise DrafterError(f"prompt {version}/{name}.md: {exc.message or exc}") from None


def report_in(user_content: str, tag: str = "report") -> str | None:
    """The text a rendered user message carries between `<tag>` and `</tag>` lines: the report (extraction) or
    the section material (drafting)."""
    opening, closing = f"<{tag}>\n", f"\n</{tag}>"
    start = user_content.find(opening)
    end = user_content.rfind(closing)
    if start < 0 or end < start + len(opening) - 1:
        return None
    return user_content[start + len(opening):end]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def token_weight(ch: str) -> float:
    # Chinese models spend about one token per Han character or full-width mark, ASCII about four characters a token.
    return 0.25 if ord(ch) < 128 else 1.0


def estimate_tokens(text: str) -> int:
    return round(sum(token_weight(ch) for ch in text))
