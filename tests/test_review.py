"""The review page: every fact marked over exactly its text, nested marks, escaping, no network, the command."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.inputs import load_with_source
from drafter.review import Fact, layout, marked_text, review_page

SEEDS = Path(__file__).parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
runner = CliRunner()


class Marks(HTMLParser):
    """Each <mark>'s attributes and text content, and the text of the element with id="doc"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[dict] = []
        self.open: list[dict] = []
        self.doc_text: list[str] = []
        self.depth = 0  # >0 while inside #doc
        self.tags: list[str] = []
        self.attrs_seen: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs_seen += attrs
        attrs = dict(attrs)
        if self.depth and tag != "br":
            self.depth += 1
        if attrs.get("id") == "doc":
            self.depth = 1
        if tag == "mark":
            mark = {**attrs, "text": []}
            self.marks.append(mark)
            self.open.append(mark)

    def handle_endtag(self, tag):
        if tag == "mark":
            self.open.pop()
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        for mark in self.open:
            mark["text"].append(data)
        if self.depth:
            self.doc_text.append(data)


def parse(html: str) -> Marks:
    parser = Marks()
    parser.feed(html)
    for mark in parser.marks:
        mark["text"] = "".join(mark["text"])
    return parser


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_every_fact_of_a_seed_is_one_mark_over_its_quote(seed: Path) -> None:
    summary, doc = load_with_source(seed)
    parsed = parse(review_page(summary, doc))
    facts = summary.facts()
    assert len(parsed.marks) == len(facts)  # the seeds' facts nest, so none is split
    for mark in parsed.marks:
        start, end = int(mark["data-start"]), int(mark["data-end"])
        assert mark["text"] == doc.text[start:end]
    by_span = {(int(m["data-start"]), int(m["data-end"]), m["data-kind"]) for m in parsed.marks}
    for item in summary.measures:
        assert (item.start, item.end, "measure") in by_span
    for metric in summary.metrics:
        assert (metric.start, metric.end, "figure") in by_span
    # The page adds no text to the report and loses none (the breaks before run-on headings are <br>s).
    assert "".join(parsed.doc_text) == doc.text


def test_xingning_figure_nests_inside_its_measure() -> None:
    summary, doc = load_with_source(SEEDS / "xingning-2024.txt")
    html = review_page(summary, doc)
    # 218 new 行政复议 cases: a figure inside the measure on 行政复议, with the measure's mark still open around it.
    figure = next(m for m in summary.metrics if m.quote == "至目前我市新收行政复议案件218件")
    outer = next(i for i in summary.measures if i.start <= figure.start and figure.end <= i.end)
    opened = html.index(f'data-start="{outer.start}" data-end="{outer.end}" data-kind="measure"')
    inner = html.index(f'data-start="{figure.start}" data-end="{figure.end}" data-kind="figure"')
    assert opened < inner < html.index("</mark>", inner) < html.index("</mark>", html.index("</mark>", inner) + 1)
    mark = next(m for m in parse(html).marks if m["data-kind"] == "figure" and int(m["data-start"]) == figure.start)
    assert mark["text"] == "至目前我市新收行政复议案件218件"
    assert mark["data-part"] == "measures"


def test_crossing_facts_are_split_and_nested_ones_are_not() -> None:
    text = "0123456789abcdefghij"
    facts = [Fact("f0", "measure", "measures", 0, 10, "m"), Fact("f1", "figure", "measures", 2, 5, "a"),
             Fact("f2", "figure", "measures", 2, 5, "b"), Fact("f3", "problem", "problems", 8, 14, "p"),
             Fact("f4", "meta", "none", 15, 15, "empty")]
    pieces = layout(facts)
    spans = [(p.fact.id, p.start, p.end, p.first) for p in pieces]
    assert spans == [("f0", 0, 10, True), ("f1", 2, 5, True), ("f2", 2, 5, True), ("f3", 8, 10, True),
                     ("f3", 10, 14, False), ("f4", 15, 15, True)]
    parsed = parse(f'<div id="doc">{marked_text(text, pieces)}</div>')
    assert [m["text"] for m in parsed.marks] == ["0123456789", "234", "234", "89", "abcd", ""]
    assert [m.get("id") for m in parsed.marks] == ["f0", "f1", "f2", "f3", None, "f4"]
    assert [m["data-fact"] for m in parsed.marks][3:5] == ["f3", "f3"]
    assert "".join(parsed.doc_text) == text


def test_report_text_is_escaped_and_the_page_loads_nothing(tmp_path: Path) -> None:
    seed = (SEEDS / "zhoucun-2024.txt").read_text(encoding="utf-8")
    hostile = '<script>alert("x")</script> & {{ name }} <img src="http://example.com/a.png"> '
    # Into the body of a measure, so that it lies inside a fact (and its mark) too.
    first, _ = load_with_source(SEEDS / "zhoucun-2024.txt")
    item = first.measures[0]
    cut = item.start + item.quote.index("。") + 3  # inside its second sentence, past the heading
    report = tmp_path / "hostile.txt"
    report.write_text(seed[:cut] + hostile + seed[cut:], encoding="utf-8")
    summary, doc = load_with_source(report)
    assert any("<script>" in fact.quote for fact in summary.facts())
    html = review_page(summary, doc)
    parsed = parse(html)
    assert hostile.strip() in "".join(parsed.doc_text)
    assert "".join(parsed.doc_text) == doc.text
    assert any("<script>" in mark["text"] for mark in parsed.marks)
    assert parsed.tags.count("script") == 1  # ours only
    assert "img" not in parsed.tags
    # Nothing that could fetch: no src/href to another place, no stylesheet link, no url() in the CSS.
    for name, value in parsed.attrs_seen:
        if name in ("src", "href"):
            assert value.startswith("#"), (name, value)
    assert "<link" not in html and "url(" not in html and "@import" not in html
    assert "default-src 'none'" in html


def test_review_command_from_reports_and_summaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A summary that sits beside its report and names it relatively: found from the JSON's folder.
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SEEDS / "ruzhou-2023.txt", reports / "ruzhou-2023.txt")
    shutil.copy(SEEDS / "chuxiong-2024.txt", reports / "chuxiong-2024.txt")
    monkeypatch.chdir(reports)
    assert runner.invoke(app, ["summarize", "ruzhou-2023.txt", "chuxiong-2024.txt", "--out", "."]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    # chuxiong's report changes after it was summarised: its offsets would mark the wrong text.
    (reports / "chuxiong-2024.txt").write_text("改过的报告\n" + (SEEDS / "chuxiong-2024.txt").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    out = tmp_path / "pages"
    args = ["review", str(reports / "ruzhou-2023.summary.json"), str(reports / "chuxiong-2024.summary.json"),
            str(SEEDS / "zhoucun-2024.txt"), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 1
    assert errors[0].startswith(f"{reports / 'chuxiong-2024.summary.json'}: source report ")
    assert "has changed since it was summarised" in errors[0]
    assert sorted(p.name for p in out.iterdir()) == ["ruzhou-2023.review.html", "zhoucun-2024.review.html"]
    summary, _ = load_with_source(SEEDS / "ruzhou-2023.txt")
    assert len(parse((out / "ruzhou-2023.review.html").read_text(encoding="utf-8")).marks) == len(summary.facts())
    # No overwrite without --force.
    again = runner.invoke(app, ["review", str(SEEDS / "zhoucun-2024.txt"), "--out", str(out)])
    assert again.exit_code == 1 and "exists; use --force" in again.stderr
    assert runner.invoke(app, ["review", str(SEEDS / "zhoucun-2024.txt"), "--out", str(out), "--force"]).exit_code == 0


def test_a_summary_whose_report_is_gone_fails_with_where_it_looked(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(SEEDS / "ruzhou-2023.txt", tmp_path / "ruzhou-2023.txt")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["summarize", "ruzhou-2023.txt", "--out", "sums"]).exit_code == 0
    (tmp_path / "ruzhou-2023.txt").unlink()
    result = runner.invoke(app, ["review", "sums/ruzhou-2023.summary.json", "--out", "pages"])
    assert result.exit_code == 1
    assert "source report ruzhou-2023.txt not found" in result.stderr
    assert "Traceback" not in result.output


def test_a_report_moved_together_with_its_summary_is_found_beside_it(tmp_path: Path) -> None:
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(SEEDS / "ruzhou-2023.txt", first / "ruzhou-2023.txt")
    # An absolute source path, then both files move to another folder.
    assert runner.invoke(app, ["summarize", str(first / "ruzhou-2023.txt"), "--out", str(first)]).exit_code == 0
    moved = shutil.move(str(first), str(tmp_path / "moved"))
    result = runner.invoke(app, ["review", str(Path(moved) / "ruzhou-2023.summary.json"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ruzhou-2023.review.html").is_file()
