"""Shared helpers for the llm backend tests: settings pointed at a loopback FakeLLM, and small documents."""

from __future__ import annotations

import hashlib
from pathlib import Path

from drafter.llm.config import LLMSettings, load_settings
from drafter.replay.fake_server import FakeLLM
from drafter.models import Document, Section, SourceInfo

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FIXTURES = ROOT / "fixtures" / "llm"
TEST_KEY = "sk-test-7f3a9c1e5b2d4f6a8c0e"
CURATED_MODEL = "drafter-curated"


def settings_for(server: FakeLLM, cache_dir: Path, **overrides) -> LLMSettings:
    """Fast settings: tiny backoff, short timeout, the test key; overrides win."""
    values = dict(
        api_key=TEST_KEY, base_url=server.base_url, model="test-model", cache_dir=cache_dir,
        backoff_initial=0.001, backoff_max=0.01, timeout=2.0, http_attempts=3, reasks=2,
    )
    values.update(overrides)
    return load_settings(**values)


def document(text: str, path: str = "report.txt") -> Document:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(text=text, source=SourceInfo(path=path, format="txt", sha256=digest))


def section(id: str, heading: str, start: int, end: int, part=None, level: int = 1, parent=None) -> Section:
    return Section(
        id=id, heading=heading, number=None, style="chinese", level=level, parent=parent, part=part,
        start=start, heading_end=start + len(heading), end=end,
    )


# A small report with two parts; figures written as 4.6万 and in Chinese numerals.
REPORT = (
    "一、主要举措和成效\n"
    "全年办理行政复议案件4.6万件，同比增长12%。开展普法活动三百场。\n"
    "二、存在的不足\n"
    "执法队伍素质有待提高。\n"
)
REPORT_SECTIONS = [
    section("1", "一、主要举措和成效", 0, REPORT.index("二、"), part="measures"),
    section("2", "二、存在的不足", REPORT.index("二、"), len(REPORT), part="problems"),
]
GOOD_ANSWER = {
    "items": [
        {"part": "measures", "title": "行政复议", "summary": "办理行政复议案件4.6万件", "area": "disputes",
         "quote": "全年办理行政复议案件4.6万件，同比增长12%。"},
        {"part": "problems", "title": "执法队伍", "summary": "执法队伍素质待提高", "area": "enforcement",
         "quote": "执法队伍素质有待提高。"},
    ],
    "metrics": [
        {"label": "行政复议案件", "value": 46000, "unit": "件", "qualifier": None, "quote": "全年办理行政复议案件4.6万件"},
        {"label": "普法活动", "value": 300, "unit": "场", "qualifier": None, "quote": "开展普法活动三百场。"},
    ],
}
FABRICATED_ANSWER = {
    "items": [{"part": "measures", "title": "虚构", "summary": "虚构", "area": None, "quote": "全年办理行政复议案件9.9万件"}],
    "metrics": [],
}


_NUMERALS = "一二三四五六七八"


def long_report(sections: int = 6, sentences: int = 12) -> tuple[str, list]:
    """Top-level sections of about 300 characters each, every sentence distinct and carrying a figure."""
    text, found = "", []
    for n in range(sections):
        start = len(text)
        heading = f"{_NUMERALS[n]}、第{n + 1}方面工作\n"
        body = "".join(f"第{n + 1}方面第{k + 1}项工作共办理事项{(n + 1) * 100 + k}件，成效明显。" for k in range(sentences)) + "\n"
        text += heading + body
        found.append(section(str(n + 1), heading.strip(), start, len(text), part="measures"))
    return text, found


def report_variant(n: int) -> str:
    """REPORT with its first figure made distinct: one more report of a batch, with a cache key of its own."""
    return REPORT.replace("4.6万件", f"{n + 1}件")
