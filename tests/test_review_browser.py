"""The review page in a real browser (Debian's headless chromium): the DOM after the script ran, and a screenshot."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_review import SEED_FILES, SEEDS, parse

from drafter.inputs import load_with_source
from drafter.review import KINDS, collect_facts, review_page

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"  # a fresh profile: nothing from an earlier run, no sync, no extensions
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
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


def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    return fc_list is not None and bool(subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True).stdout)


# Without a CJK font the page's Chinese draws as empty boxes: the screenshot would measure the font, not the page.
@pytest.mark.skipif(not _has_cjk_font(), reason="no CJK font installed (apt-get install fonts-noto-cjk)")
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


class DevTools:
    """Chromium driven over --remote-debugging-pipe (NUL-terminated JSON on fds 3 and 4): no extra package."""

    def __init__(self, tmp_path: Path) -> None:
        import os

        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds() -> None:
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,900", "--remote-debugging-pipe",
             "about:blank"],
            # close_fds would close 3 and 4 again after preexec_fn; Python's own fds are not inherited anyway.
            # preexec_fn is safe here: the test starts no threads.
            preexec_fn=fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: PLW1509
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def call(self, method: str, **params) -> dict:
        import json
        import os

        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._from_child, 1 << 16)
                assert chunk, "chromium closed the pipe"
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._next:
                assert "error" not in reply, reply["error"]
                return reply["result"]
            self.events.append(reply)

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Network.enable")
        self.call("Page.navigate", url=url)
        self.js("new Promise(r => { const ok = () => document.body && document.body.dataset.marks;"
                " const t = setInterval(() => { if (ok()) { clearInterval(t); r(true); } }, 50); })")

    def close(self) -> None:
        import os

        self.proc.kill()
        self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)


def test_clicks_and_filters_in_the_browser(tmp_path: Path) -> None:
    summary, doc = load_with_source(SEEDS / "diaobingshan-2022.txt")
    page = tmp_path / "diaobingshan-2022.review.html"
    page.write_text(review_page(summary, doc), encoding="utf-8")
    facts = collect_facts(summary)
    # A figure far down the report: its panel entry must scroll the text to it.
    far = [f for f in facts if f.kind == "figure"][-1]
    browser = DevTools(tmp_path)
    try:
        browser.open(page.as_uri())
        requests = [e["params"]["request"]["url"] for e in browser.events
                    if e.get("method") == "Network.requestWillBeSent"]
        assert requests == [page.as_uri()]  # the page and nothing else
        assert browser.js("document.getElementById('text').scrollTop") == 0
        browser.js(f"document.querySelector('a.entry[data-fact=\"{far.id}\"]').click()")
        state = browser.js(
            "new Promise(r => setTimeout(() => { const m = document.getElementById('" + far.id + "');"
            " const box = m.getBoundingClientRect();"
            " r({flash: m.classList.contains('flash'), top: box.top, hash: location.hash,"
            "   current: document.querySelector('a.entry.current').dataset.fact}); }, 1500))")
        assert state["flash"] and state["hash"] == f"#{far.id}" and state["current"] == far.id
        assert 0 <= state["top"] <= 900  # scrolled into view
        assert browser.js("document.getElementById('text').scrollTop") > 1000
        # Filter figures off: their marks lose their colour (the text stays), their panel rows go.
        browser.js("document.querySelector('input[data-filter=\"figure\"]').click()")
        hidden = browser.js(
            "({body: document.body.className,"
            " bg: getComputedStyle(document.querySelector('mark[data-kind=figure]:not(.flash)')).backgroundColor,"
            " rows: [...document.querySelectorAll('tr[data-kind=figure]')].filter(r => r.offsetParent).length,"
            " text: document.getElementById('" + far.id + "').textContent,"
            " measure: getComputedStyle(document.querySelector('mark[data-kind=measure]')).backgroundColor})")
        assert hidden["body"] == "hide-figure"
        assert hidden["bg"] == "rgba(0, 0, 0, 0)" and hidden["rows"] == 0
        assert hidden["text"] == doc.text[far.start:far.end]
        assert hidden["measure"] == "rgb(216, 240, 210)"  # #d8f0d2: other kinds keep theirs
        browser.js("document.querySelector('input[data-filter=\"figure\"]').click()")
        assert browser.js("document.body.className") == ""
        # The other way: a click on a problem's mark in the text selects its entry in the panel.
        problem = next(f for f in facts if f.kind == "problem")
        browser.js(f"document.getElementById('{problem.id}').click()")
        assert browser.js("document.querySelector('a.entry.current').dataset.fact") == problem.id
    finally:
        browser.close()
