"""The review page in a real browser (Debian's headless chromium): the DOM after the script ran, and a screenshot."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from drafter.inputs import load_with_source
from drafter.review import KINDS, collect_facts, review_page

from test_review import SEED_FILES, SEEDS, parse

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"  # a fresh profile: nothing from an earlier run, no sync, no extensions
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_marks_in_the_browser_dom_are_the_summary_facts(seed: Path, tmp_path: Path) -> None:
    summary, doc = load_with_source(seed)
    page = tmp_path / f"{seed.stem}.review.html"
    page.write_text(review_page(summary, doc), encoding="utf-8")
    facts = collect_facts(summary)
    target = next(f for f in facts if f.kind == "figure")
    # The hash makes the page's script flash that fact on load, as a click on its panel entry does.
    dom = chromium(tmp_path, "--dump-dom", f"{page.as_uri()}#{target.id}").stdout
    parsed = parse(dom)
    assert len(parsed.marks) >= len(summary.measures) + len(summary.problems) + len(summary.plans) \
        + len(summary.leadership) + len(summary.metrics)
    for mark in parsed.marks:
        assert mark["text"] == doc.text[int(mark["data-start"]):int(mark["data-end"])]
    quotes = {(int(m["data-start"]), int(m["data-end"])): m["text"] for m in parsed.marks}
    for fact in summary.facts():
        assert quotes[(fact.start, fact.end)] == fact.quote
    assert f'data-marks="{len(parsed.marks)}"' in dom  # set by the script: it ran
    flashed = [m for m in parsed.marks if "flash" in (m.get("class") or "")]
    assert [m["id"] for m in flashed] == [target.id]


def test_screenshot_shows_coloured_marks_and_text(tmp_path: Path) -> None:
    from PIL import Image

    summary, doc = load_with_source(SEEDS / "xingning-2024.txt")
    page = tmp_path / "xingning-2024.review.html"
    page.write_text(review_page(summary, doc), encoding="utf-8")
    shot = tmp_path / "shot.png"
    chromium(tmp_path, "--window-size=1400,900", f"--screenshot={shot}", page.as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 900)
    colours = image.getcolors(maxcolors=1_000_000)
    counts = {rgb: n for n, rgb in colours}
    total = image.size[0] * image.size[1]

    def share(hex_colour: str) -> float:
        rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        return counts.get(rgb, 0) / total

    # The first screen of xingning holds measures and figures: both colours cover a visible share of it.
    assert share(KINDS["measure"][1]) > 0.02
    assert share(KINDS["figure"][1]) > 0.01
    dark = sum(n for rgb, n in counts.items() if sum(rgb) < 200)
    assert dark / total > 0.02  # text drawn, not blank boxes
