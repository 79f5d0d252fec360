"""The rules backend never crashes and never writes an unverifiable quote, whatever text it is given."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

import drafter
from drafter.ground import ungrounded
from drafter.models import Document, SourceInfo

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
HELD_OUT = sorted((Path(__file__).parent / "heldout").glob("*.txt"))


def document(text: str) -> Document:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(text=text, source=SourceInfo(path="mangled.txt", format="txt", sha256=digest))


def mangled_texts(seed: Path, rng: random.Random) -> list[str]:
    text = seed.read_text(encoding="utf-8")
    lines = text.split("\n")
    variants = []
    for _ in range(12):
        a, b = sorted(rng.randrange(len(text) + 1) for _ in range(2))
        variants.append(text[a:b])  # a cut anywhere, mid-heading or mid-figure
    shuffled = lines[:]
    rng.shuffle(shuffled)
    variants.append("\n".join(shuffled))  # parts out of every order
    variants.append(text.replace("。", ""))  # no sentence ends at all
    variants.append(text.replace("\n", " "))  # everything on one line
    variants.append("".join(rng.choice("一二三四五六七八九十、（）()1234567890.是。，年月日万亿件次%") for _ in range(400)))
    return variants


@pytest.mark.parametrize("seed", SEEDS + HELD_OUT[:5], ids=lambda p: p.stem)
def test_mangled_reports_give_grounded_summaries(seed: Path) -> None:
    rng = random.Random(seed.stem)  # deterministic per seed
    for text in mangled_texts(seed, rng):
        doc = document(text)
        summary = drafter.summarize(doc)
        assert not ungrounded(text, summary.facts())
        for section in summary.sections:
            assert 0 <= section.start <= section.heading_end <= section.end <= len(text)
