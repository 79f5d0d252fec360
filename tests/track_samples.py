"""兴宁市 2024 → 2025 for the track tests: the seed, the hand-written follow-up, the hand-labelled gold, and the
2024 summary with one plan item per promise (the gold's promises, located in the seed)."""

from __future__ import annotations

import json
from pathlib import Path

from drafter.extract.areas import classify_area
from drafter.ground import Aligner
from drafter.models import Item, Part, Summary

ROOT = Path(__file__).resolve().parents[1]
PRIOR = ROOT / "seeds" / "xingning-2024.txt"
NEXT = ROOT / "tests" / "data" / "xingning-2025.txt"
GOLD = json.loads((ROOT / "tests" / "data" / "xingning-2024-2025.track-gold.json").read_text(encoding="utf-8"))
FIXTURES = ROOT / "fixtures" / "track"


def _items(text: str, quotes: list[str], part: Part) -> list[Item]:
    aligner = Aligner(text)
    items = []
    for quote in quotes:
        span, status = aligner.align(quote)
        assert status == "exact", quote
        items.append(Item(**span.model_dump(), title=quote[:15], summary=quote, area=classify_area(quote), part=part))
    return items


def per_promise(prior: Summary, prior_text: str) -> Summary:
    """PRIOR with the gold's promises as its plans and the gold's three problems as its problems."""
    return prior.model_copy(update={
        "plans": _items(prior_text, [p["quote"] for p in GOLD["promises"]], "plans"),
        "problems": _items(prior_text, GOLD["prior_problems"], "problems"),
    })
