"""The review page: one self-contained HTML file per report, the cleaned text with every fact of its summary marked
in place, and a side panel of the summary whose entries jump to their marks.

Facts nest (a figure inside a measure, two figures of one clause): the marks nest too, so each fact is one
`<mark>` whose text is exactly its quote. Facts that cross without nesting (no backend makes them today, but a
model might) are split into fragments at the crossing points; each fragment is a mark over its own
`data-start`/`data-end`, and all of them carry the fact's `data-fact` id.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from drafter.models import AREA_LABELS, PART_LABELS, Document, Metric, Summary
from drafter.sheets import PART_SHORT

SUFFIX = ".review.html"

# kind → (Chinese name, background colour); the order is the panel's and the legend's.
KINDS: dict[str, tuple[str, str]] = {
    "measure": ("举措", "#d8f0d2"),
    "problem": ("问题", "#f9d3cf"),
    "plan": ("安排", "#d3e3fa"),
    "leadership": ("第一责任人", "#e8d8f6"),
    "figure": ("数据", "#ffe07a"),
    "meta": ("元数据", "#e0e0e0"),
}
# part → underline colour, so a leadership statement inside the measures part still shows where it stands.
PART_COLOURS: dict[str, str] = {
    "measures": "#3c8d2f", "problems": "#c0392b", "leadership": "#7d3cb5", "plans": "#2c6fc9", "other": "#777777",
}
META_LABELS = {
    "title": "标题", "issuer": "发文机关", "addressee": "主送机关", "region": "地区", "province": "省份",
    "prefecture": "地市", "level": "层级", "report_year": "报告年度", "issued_date": "成文日期",
}
_ITEM_LISTS = (("measure", "measures"), ("problem", "problems"), ("plan", "plans"), ("leadership", "leadership"))


@dataclass(frozen=True)
class Fact:
    id: str
    kind: str
    part: str  # a Part, or "none"
    start: int
    end: int
    tip: str  # hover text of its mark


@dataclass(frozen=True)
class Piece:
    fact: Fact
    start: int
    end: int
    first: bool  # the piece that carries the fact's element id, the target of the panel's links


def collect_facts(summary: Summary) -> list[Fact]:
    facts: list[Fact] = []

    def add(kind: str, part: str | None, start: int, end: int, tip: str) -> None:
        facts.append(Fact(f"f{len(facts)}", kind, part or "none", start, end, tip))

    for kind, attr in _ITEM_LISTS:
        for item in getattr(summary, attr):
            add(kind, item.part, item.start, item.end, f"{KINDS[kind][0]} · {item.title}")
    for metric in summary.metrics:
        add("figure", metric.part, metric.start, metric.end, f"数据 · {metric.label} {metric.raw}{metric.unit}")
    for ev in summary.meta.evidence:
        add("meta", None, ev.start, ev.end, f"元数据 · {META_LABELS.get(ev.field, ev.field)}")
    return facts


def _crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[0] < a[1] < b[1] or b[0] < a[0] < b[1] < a[1]


def layout(facts: list[Fact]) -> list[Piece]:
    """Pieces that nest properly, in document order (an enclosing piece before the pieces inside it)."""
    accepted: list[tuple[int, int]] = []
    placed: list[tuple[int, Piece]] = []
    # Longest first: an enclosing fact is placed before what it encloses.
    for fact in sorted(facts, key=lambda f: (f.start - f.end, f.start)):  # stable: ties keep the panel's order
        work, spans = [(fact.start, fact.end)], []
        while work:
            span = work.pop()
            cut = next((x for other in accepted if _crosses(span, other) for x in other if span[0] < x < span[1]),
                       None)
            if cut is None:
                spans.append(span)
            else:
                work += [(span[0], cut), (cut, span[1])]
        spans.sort()
        accepted += spans
        placed += [(len(placed), Piece(fact, a, b, i == 0)) for i, (a, b) in enumerate(spans)]
    placed.sort(key=lambda op: (op[1].start, -op[1].end, op[0]))
    return [piece for _, piece in placed]


def marked_text(text: str, pieces: list[Piece], breaks: frozenset[int] = frozenset()) -> str:
    """The escaped text with its marks; a line break (no text, so no offset moves) before each offset in `breaks`."""
    out: list[str] = []
    pos = 0
    stack: list[Piece] = []
    broken: set[int] = set()

    def brk(at: int) -> None:
        if at in breaks and at not in broken:
            broken.add(at)
            out.append("<br>")

    def emit(end: int) -> None:
        nonlocal pos
        cuts = sorted(b for b in breaks if pos < b < end)
        for a, b in zip([pos, *cuts], [*cuts, end]):
            if a < b:  # an empty stretch holds no character to break before
                brk(a)
                out.append(escape(text[a:b], quote=False))
        pos = end

    def close() -> None:
        emit(stack.pop().end)
        out.append("</mark>")

    for piece in pieces:
        while stack and stack[-1].end <= piece.start:
            close()
        emit(piece.start)
        brk(piece.start)  # before the mark, so the mark starts the new line
        f = piece.fact
        ident = f' id="{f.id}"' if piece.first else ""
        out.append(f'<mark{ident} data-fact="{f.id}" data-start="{piece.start}" data-end="{piece.end}" '
                   f'data-kind="{f.kind}" data-part="{f.part}" title="{escape(f.tip)}">')
        stack.append(piece)
    while stack:
        close()
    emit(len(text))
    return "".join(out)


def heading_breaks(summary: Summary, text: str) -> frozenset[int]:
    """Headings that do not start a line (reports pasted from the web run on as one line) get a visual break."""
    return frozenset(s.start for s in summary.sections if s.start > 0 and text[s.start - 1] != "\n")


def _e(value: object) -> str:
    return escape(str(value))


def _link(fact: Fact, body: str) -> str:
    return f'<a class="entry" href="#{fact.id}" data-fact="{fact.id}" data-kind="{fact.kind}">{body}</a>'


def _panel(summary: Summary, facts: list[Fact]) -> str:
    meta = summary.meta
    by_kind: dict[str, list[Fact]] = {kind: [f for f in facts if f.kind == kind] for kind in KINDS}
    html = ['<section><h2>概况</h2><table class="meta">']
    html += [f"<tr><th>{label}</th><td>{'—' if (v := getattr(meta, field)) is None else _e(v)}</td></tr>"
             for field, label in META_LABELS.items()]
    html.append("</table>")
    if meta.evidence:
        html.append('<ul class="list">')
        for ev, fact in zip(meta.evidence, by_kind["meta"]):
            label = META_LABELS.get(ev.field, ev.field)
            html.append(f"<li>{_link(fact, f'<b>{_e(label)}</b> {_e(ev.quote)}')}</li>")
        html.append("</ul>")
    html.append('</section><section><h2>结构</h2><ul class="parts">')
    for status in summary.compliance.parts:
        mark, cls = ("✓", "ok") if status.present else ("✗", "missing")
        note = f"<small>：{_e(status.note)}</small>" if status.note else ""
        html.append(f'<li class="{cls}" style="border-color:{PART_COLOURS[status.part]}">{mark} '
                    f"{_e(PART_LABELS[status.part])}{note}</li>")
    html += [f'<li class="note">注：{_e(n)}</li>' for n in summary.compliance.notes]
    html.append("</ul></section>")
    html.append('<section><h2>显示</h2><div class="filters">')
    for kind, (name, colour) in KINDS.items():
        html.append(f'<label><input type="checkbox" checked data-filter="{kind}"> '
                    f'<span class="swatch" style="background:{colour}"></span>{name}（{len(by_kind[kind])}）</label>')
    html.append('</div><div class="legend">下划线 = 所在部分：')
    html += [f'<span style="border-bottom:3px solid {c}">{PART_SHORT[p]}</span> ' for p, c in PART_COLOURS.items()]
    html.append("</div></section>")
    figures = list(zip(summary.metrics, by_kind["figure"]))
    standard = [(m, f) for m, f in figures if m.indicator is not None]
    # The standard indicators first, as the office reads them; then the items; then every figure.
    html.append(_figure_table(f"标准指标（{len(standard)}）", standard))
    for kind, attr in _ITEM_LISTS:
        items = getattr(summary, attr)
        html.append(f'<section><h2>{KINDS[kind][0]}（{len(items)}）</h2><ol class="list">')
        for item, fact in zip(items, by_kind[kind]):
            area = f' <span class="area">{_e(AREA_LABELS[item.area])}</span>' if item.area else ""
            html.append(f"<li>{_link(fact, _e(item.title) + area)}</li>")
        html.append("</ol>" + ("" if items else '<p class="none">报告中未见</p>') + "</section>")
    html.append(_figure_table(f"数据（{len(figures)}）", figures))
    if summary.warnings:
        html.append("<section><h2>警告</h2><ul>" + "".join(f"<li>{_e(w)}</li>" for w in summary.warnings)
                    + "</ul></section>")
    prov = summary.provenance
    html.append(f'<p class="prov">来源 {_e(prov.source)} · sha256 {_e(prov.sha256[:12])} · {_e(prov.backend)}'
                f"{' · ' + _e(prov.model) if prov.model else ''} · drafter {_e(prov.drafter_version)}</p>")
    return "\n".join(html)


def _figure_table(heading: str, figures: list[tuple[Metric, Fact]]) -> str:
    html = [f'<section><h2>{heading}</h2><table class="figures">',
            "<tr><th>指标</th><th>数值</th><th>标准指标</th><th>部分</th></tr>"]
    for metric, fact in figures:
        ref = metric.indicator
        part = PART_SHORT[metric.part] if metric.part else "—"
        qualifier = f' <span class="area">{_e(metric.qualifier)}</span>' if metric.qualifier else ""
        html.append(f'<tr data-kind="figure"><td>{_link(fact, _e(metric.label))}</td>'
                    f"<td>{_e(metric.raw)}{_e(metric.unit)}{qualifier}</td>"
                    f"<td>{_e(ref.name) if ref else ''}</td><td>{_e(part)}</td></tr>")
    html.append("</table></section>")
    return "".join(html)


def review_page(summary: Summary, doc: Document) -> str:
    """The page; every text of the report and the summary is escaped, and nothing is loaded from anywhere."""
    facts = collect_facts(summary)
    meta = summary.meta
    title = meta.title or f"{meta.region or ''}{meta.report_year or ''}年度法治政府建设情况"
    kind_css = "\n".join(f'mark[data-kind="{k}"]{{background:{c}}} .swatch-{k}{{background:{c}}}'
                         for k, (_, c) in KINDS.items())
    part_css = "\n".join(f'mark[data-part="{p}"]{{border-bottom-color:{c}}}' for p, c in PART_COLOURS.items())
    hide_css = "\n".join(f'body.hide-{k} mark[data-kind="{k}"]{{background:transparent;border-bottom-color:transparent;'
                         f'font-weight:inherit}} body.hide-{k} [data-kind="{k}"].entry,'
                         f' body.hide-{k} tr[data-kind="{k}"]{{display:none}}' for k in KINDS)
    return _PAGE.format(
        title=_e(title), text=marked_text(doc.text, layout(facts), heading_breaks(summary, doc.text)),
        panel=_panel(summary, facts),
        css=_CSS + kind_css + "\n" + part_css + "\n" + hide_css, js=_JS,
    )


# The policy makes "no network" a property of the page, not only of how it was written.
_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · 审阅</title>
<style>
{css}
</style>
</head>
<body>
<main id="text"><h1>{title}</h1>
<div id="doc">{text}</div></main>
<aside id="panel">
{panel}
</aside>
<script>
{js}
</script>
</body>
</html>
"""

_CSS = """
*{box-sizing:border-box}
body{margin:0;display:grid;grid-template-columns:minmax(0,1fr) 30rem;height:100vh;color:#222;
 font:16px/1.9 "Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif}
main{overflow-y:auto;padding:1.5rem 2.5rem}
h1{font-size:1.3rem;margin:0 0 1rem}
#doc{white-space:pre-wrap;max-width:52rem}
aside{overflow-y:auto;border-left:1px solid #ccc;background:#fafafa;padding:0.5rem 1rem;font-size:14px;line-height:1.5}
h2{font-size:1rem;margin:1rem 0 0.4rem;border-bottom:1px solid #ddd}
mark{color:inherit;border-bottom:2px solid transparent;cursor:pointer}
mark[data-kind="figure"]{font-weight:bold}
mark.flash{animation:flash 1.6s ease-out}
@keyframes flash{0%,40%{outline:3px solid #ff7a00;background:#ffc080}100%{outline:3px solid transparent}}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:2px 4px;border-bottom:1px solid #eee}
table.meta th{width:5.5em;color:#555;font-weight:normal}
a.entry{color:#1a4f9c;text-decoration:none;display:block}
a.entry:hover{text-decoration:underline}
a.entry.current{background:#ffe9c7}
ul.list,ol.list{padding-left:1.6em;margin:0}
ul.parts{list-style:none;padding:0;margin:0}
ul.parts li{border-left:4px solid;padding-left:6px;margin:2px 0}
li.missing{color:#b00020;font-weight:bold}
.filters label{display:inline-block;margin-right:0.8em;cursor:pointer}
.swatch{display:inline-block;width:0.9em;height:0.9em;margin-right:3px;vertical-align:-1px;border:1px solid #999}
.legend{color:#555;margin-top:4px}
.legend span{margin-right:4px}
.area{color:#777;font-size:12px}
.none{color:#888;margin:0}
.prov{color:#777;font-size:12px;word-break:break-all}
@media (max-width:900px){body{display:block;height:auto}main,aside{overflow:visible}aside{border-left:0}}
"""

_JS = """
(function () {
  function marksOf(id) { return document.querySelectorAll('mark[data-fact="' + id + '"]'); }
  function flash(id) {
    var marks = marksOf(id);
    if (!marks.length) return;
    marks[0].scrollIntoView({block: 'center', behavior: 'smooth'});
    marks.forEach(function (m) { m.classList.remove('flash'); void m.offsetWidth; m.classList.add('flash'); });
  }
  document.addEventListener('click', function (event) {
    var entry = event.target.closest('a.entry');
    if (entry) {
      event.preventDefault();
      document.querySelectorAll('a.entry.current').forEach(function (a) { a.classList.remove('current'); });
      entry.classList.add('current');
      flash(entry.dataset.fact);
      history.replaceState(null, '', '#' + entry.dataset.fact);
      return;
    }
    var mark = event.target.closest('mark');
    if (mark) {  // the other way: from the text to its entry in the panel
      var link = document.querySelector('a.entry[data-fact="' + mark.dataset.fact + '"]');
      if (link) {
        document.querySelectorAll('a.entry.current').forEach(function (a) { a.classList.remove('current'); });
        link.classList.add('current');
        link.scrollIntoView({block: 'nearest'});
      }
    }
  });
  document.querySelectorAll('input[data-filter]').forEach(function (box) {
    box.addEventListener('change', function () {
      document.body.classList.toggle('hide-' + box.dataset.filter, !box.checked);
    });
  });
  document.body.dataset.marks = String(document.querySelectorAll('mark').length);
  if (location.hash) flash(location.hash.slice(1));
})();
"""
