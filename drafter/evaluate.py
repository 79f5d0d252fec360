"""`drafter eval`: summaries scored field by field against hand-labelled gold (format in gold/README.md).

Per field, true positives, predicted and gold counts give precision, recall and F1 (micro-averaged over reports):
- meta.<field>: a predicted value counts when it equals the gold one (titles compared without white space); a
  field the gold leaves null counts only against a prediction (a false positive).
- parts: each required part the gold judges; present in both is a hit, predicted present but missing in gold a
  false positive, present in gold but not predicted a miss.
- measures / problems / plans / leadership (a problem item with `clauses` scored clause by clause, as the gold
  labels problems): one gold item is matched to at most one predicted item of its kind,
  when their spans have IoU ≥ 0.5 or one lies within the other (≥ 80% of the shorter span inside the longer, so
  a heading the extractor keeps or a trailing 。 does not matter); best IoU first. Besides P/R, `coverage` is the share of gold items
  at least half covered by the predicted items of their kind taken together, and `gold_per_item` the mean number
  of gold items a predicted item overlaps, and `gold_per_section` the mean number lying in a predicted item's
  section (an item quoting a section's opening stands for all of it: 3 means three promises behind one item).
  `within_gold` counts the predicted items lying inside one gold item (≥ 80% of the item): an item finer than
  the gold (one promise of a gold clause that lists several) is a piece of a right answer, not a false one, though
  one-to-one matching scores only one piece per gold item.
- metrics: a predicted figure matches a gold figure of the same value whose span (the figure as written) its
  quote overlaps; gold without spans (tests/heldout) matches by raw, unit and value instead.
- metric_units, metric_labels: among matched figures, the unit equal, and the label the same thing (one contains
  the other, or character-bigram Dice ≥ 0.5); precision and recall are both that share.
- indicators: recall of the gold figures tagged with a standard indicator (行政复议案件, 行政应诉案件 …): found
  and carrying the catalogue's indicator for it (GOLD_INDICATORS).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from drafter.errors import DrafterError
from drafter.models import REQUIRED_PARTS, Item, Meta, Metric, Part, Section, Span, Summary

IOU = 0.5
CONTAIN = 0.8  # share of the shorter span inside the longer that counts as containment (a heading may stick out)
COVERED = 0.5  # share of a gold item's characters inside predicted items for it to count as covered
LABEL_DICE = 0.5
META_FIELDS = ("title", "issuer", "addressee", "region", "province", "prefecture", "level", "report_year",
               "issued_date")
ITEM_KINDS: tuple[Part, ...] = ("measures", "problems", "plans", "leadership")
GOLD_SUFFIX = ".gold.json"
# The gold's six standard indicators (gold/README.md) and the catalogue's (drafter/data/indicators) for each.
GOLD_INDICATORS: dict[str, tuple[str, ...]] = {
    "行政复议案件": ("reconsideration_cases",), "行政应诉案件": ("litigation_cases",),
    "负责人出庭应诉率": ("head_appearance_rate",), "规范性文件审查": ("normative_reviewed",),
    "重大行政决策": ("major_decisions",), "矛盾纠纷调解": ("mediation_cases", "dispute_screening"),
}
_SPACE = re.compile(r"\s+")


# ---- the gold format ---------------------------------------------------------------------------------------------

class GoldMetric(BaseModel):
    quote: str | None = Field(None, description="the figure as written, e.g. '218件', '2000余人'")
    start: int | None = None
    end: int | None = None
    raw: str
    value: float
    unit: str = ""
    qualifier: str | None = None
    label: str | None = None
    indicator: str | None = None


class Gold(BaseModel):
    source: str = Field(description="file name of the report")
    sha256: str | None = Field(None, description="sha256 of the report's bytes")
    truncated: bool = False
    meta: Meta = Field(description="the nine fields; evidence is not labelled")
    parts_present: list[Part] = Field(default_factory=list)
    parts_missing: list[Part] = Field(default_factory=list)
    # None: not labelled (scored n/a); [] labelled as none.
    measures: list[Span] | None = None
    problems: list[Span] | list[str] | None = None
    plans: list[Span] | list[str] | None = None
    leadership: list[Span] | None = None
    metrics: list[GoldMetric] | None = None


def load_gold(directory: Path) -> list[Gold]:
    directory = Path(directory)
    if not directory.is_dir():
        raise DrafterError(f"--gold {directory}: not a folder")
    golds = []
    for path in sorted(directory.rglob(f"*{GOLD_SUFFIX}")):
        try:
            golds.append(Gold.model_validate_json(path.read_bytes()))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise DrafterError(f"{path}: not a gold file ({'.'.join(map(str, first['loc']))}: {first['msg']})") from None
    if not golds:
        raise DrafterError(f"--gold {directory}: no *{GOLD_SUFFIX} files")
    return golds


def gold_for(summary: Summary, golds: Sequence[Gold]) -> Gold | None:
    """The gold of the same report bytes, else of the same file name."""
    prov = summary.provenance
    return (next((g for g in golds if g.sha256 and g.sha256 == prov.sha256), None)
            or next((g for g in golds if g.source == Path(prov.source).name), None))


# ---- scores ------------------------------------------------------------------------------------------------------

class Score(BaseModel):
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(tp=self.tp + other.tp, predicted=self.predicted + other.predicted, gold=self.gold + other.gold)

    def as_json(self) -> dict:
        return {"tp": self.tp, "predicted": self.predicted, "gold": self.gold, "precision": _round(self.precision),
                "recall": _round(self.recall), "f1": _round(self.f1)}


class Coverage(BaseModel):
    covered: int = 0
    gold: int = 0
    overlaps: int = 0  # (predicted item, gold item) pairs that overlap
    predicted: int = 0
    in_sections: int = 0  # (predicted item, gold item inside the item's section) pairs
    with_section: int = 0  # predicted items that name their section
    within: int = 0  # predicted items lying inside one gold item: finer than the gold, each a piece of it

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(covered=self.covered + other.covered, gold=self.gold + other.gold,
                        overlaps=self.overlaps + other.overlaps, predicted=self.predicted + other.predicted,
                        in_sections=self.in_sections + other.in_sections,
                        with_section=self.with_section + other.with_section, within=self.within + other.within)

    def as_json(self) -> dict:
        return {"covered": self.covered, "gold": self.gold,
                "coverage": _round(self.covered / self.gold if self.gold else None),
                "gold_per_item": _round(self.overlaps / self.predicted if self.predicted else None),
                "gold_per_section": _round(self.in_sections / self.with_section if self.with_section else None),
                "within_gold": self.within, "within_share": _round(self.within / self.predicted if self.predicted else None)}


class ReportScore(BaseModel):
    source: str
    gold: str
    fields: dict[str, Score]
    coverage: dict[str, Coverage] = Field(default_factory=dict)
    misses: list[str] = Field(default_factory=list, description="what was missed or wrong, one line each")


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _flat(value: object) -> object:
    return _SPACE.sub("", value) if isinstance(value, str) else value


def score_meta(summary: Summary, gold: Gold, out: dict[str, Score], misses: list[str]) -> None:
    got = summary.meta.model_dump(mode="json")
    want = gold.meta.model_dump(mode="json")
    for name in META_FIELDS:
        g, p = want[name], got.get(name)
        ok = g is not None and (_flat(g) == _flat(p) if name == "title" else g == p)
        out[f"meta.{name}"] = Score(tp=int(ok), predicted=int(p is not None), gold=int(g is not None))
        if not ok and (g is not None or p is not None):
            misses.append(f"meta.{name}: gold {g!r}, got {p!r}")


def score_parts(summary: Summary, gold: Gold, misses: list[str]) -> Score:
    present = set(summary.compliance.present)
    score = Score()
    for part in REQUIRED_PARTS:
        if part in gold.parts_present:
            score += Score(tp=int(part in present), predicted=int(part in present), gold=1)
            if part not in present:
                misses.append(f"part {part}: present in gold, not found")
        elif part in gold.parts_missing:
            score += Score(predicted=int(part in present))
            if part in present:
                misses.append(f"part {part}: missing in gold, reported present")
    return score


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def spans_match(a: tuple[int, int], b: tuple[int, int]) -> float | None:
    """The IoU of two spans when they match (IoU ≥ IOU, or the shorter lies within the longer), else None."""
    inter = _overlap(a, b)
    if not inter:
        return None
    union = (a[1] - a[0]) + (b[1] - b[0]) - inter
    iou = inter / union
    shorter = min(a[1] - a[0], b[1] - b[0])
    return iou if iou >= IOU or inter >= CONTAIN * shorter else None


def match_spans(predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one (predicted index, gold index) pairs, best IoU first."""
    candidates = sorted(
        ((iou, i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold)
         if (iou := spans_match(p, g)) is not None),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def score_items(items: Sequence[Item], gold: Sequence[Span], kind: str, misses: list[str],
                sections: Sequence[Section] = ()) -> tuple[Score, Coverage]:
    predicted = [(i.start, i.end) for i in items]
    wanted = [(g.start, g.end) for g in gold]
    pairs = match_spans(predicted, wanted)
    matched = {j for _, j in pairs}
    for j, g in enumerate(gold):
        if j not in matched:
            misses.append(f"{kind} missed: {g.quote[:40]!r} [{g.start}, {g.end})")
    union = _merged(predicted)
    covered = sum(1 for g in wanted if sum(_overlap(g, p) for p in union) >= COVERED * (g[1] - g[0]))
    overlaps = sum(1 for p in predicted for g in wanted if _overlap(p, g))
    by_id = {s.id: s for s in sections}
    spans = [(s.start, s.end) for i in items if (s := by_id.get(i.section or ""))]
    in_sections = sum(1 for a, b in spans for g in wanted if a <= g[0] and g[1] <= b)
    within = sum(1 for p in predicted if any(_overlap(p, g) >= CONTAIN * (p[1] - p[0]) for g in wanted))
    return (Score(tp=len(pairs), predicted=len(predicted), gold=len(wanted)),
            Coverage(covered=covered, gold=len(wanted), overlaps=overlaps, predicted=len(predicted),
                     in_sections=in_sections, with_section=len(spans), within=within))


def entries(items: Sequence[Item]) -> list[Item]:
    """What the gold labels one entry each: a problem paragraph's clauses (`Item.clauses`, its heading and cause
    left out) when the extractor gives them, else the item itself."""
    return [i.model_copy(update=c.model_dump()) for i in items for c in i.clauses] + [i for i in items if not i.clauses]


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def score_phrases(items: Sequence[Item], phrases: Sequence[str], kind: str, misses: list[str]) -> Score:
    """Gold written as phrases (tests/heldout): found when inside some item's quote or title."""
    hay = [_flat(i.quote) for i in items] + [_flat(i.title) for i in items]
    hits = 0
    for phrase in phrases:
        if any(_flat(phrase) in h for h in hay):  # type: ignore[operator]
            hits += 1
        else:
            misses.append(f"{kind} missed: {phrase!r}")
    return Score(tp=hits, predicted=len(items), gold=len(phrases))


def _raw(raw: str, unit: str) -> str:
    raw = _SPACE.sub("", raw)
    return raw[: -len(unit)] if unit and raw.endswith(unit) else raw


def _same_value(metric: Metric, gold: GoldMetric) -> bool:
    return math.isclose(metric.value, gold.value, rel_tol=1e-9, abs_tol=1e-9)


def metric_pairs(metrics: Sequence[Metric], gold: Sequence[GoldMetric]) -> list[tuple[int, int]]:
    """One-to-one (metric index, gold index) pairs: same value and overlapping span, or, for gold without a
    span, same raw, unit and value; in text order."""
    used: set[int] = set()
    pairs = []
    for j, want in enumerate(gold):
        for i, m in enumerate(metrics):
            if i in used or not _same_value(m, want):
                continue
            if want.start is not None and want.end is not None:
                ok = _overlap((m.start, m.end), (want.start, want.end)) > 0
            else:
                ok = _raw(m.raw, m.unit) == _raw(want.raw, want.unit) and m.unit == want.unit
            if ok:
                used.add(i)
                pairs.append((i, j))
                break
    return pairs


def _bigrams(text: str) -> set[str]:
    text = _SPACE.sub("", text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def labels_agree(a: str, b: str) -> bool:
    a, b = _SPACE.sub("", a), _SPACE.sub("", b)
    if a and b and (a in b or b in a):
        return True
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) >= LABEL_DICE


def score_metrics(metrics: Sequence[Metric], gold: Sequence[GoldMetric], out: dict[str, Score],
                  misses: list[str]) -> None:
    pairs = metric_pairs(metrics, gold)
    matched = {j: metrics[i] for i, j in pairs}
    out["metrics"] = Score(tp=len(pairs), predicted=len(metrics), gold=len(gold))
    units = sum(1 for j, m in matched.items() if m.unit == gold[j].unit)
    out["metric_units"] = Score(tp=units, predicted=len(matched), gold=len(matched))
    labelled = [j for j in matched if gold[j].label]
    labels = sum(1 for j in labelled if labels_agree(matched[j].label, gold[j].label or ""))
    out["metric_labels"] = Score(tp=labels, predicted=len(labelled), gold=len(labelled))
    tagged = [j for j, g in enumerate(gold) if g.indicator]
    if tagged:
        # Found and carrying the catalogue's indicator. Gold tags one figure per indicator (the one a comparison
        # shows), so another figure of the same indicator is no false positive: precision is not scored.
        hits = sum(1 for j in tagged if j in matched and matched[j].indicator is not None
                   and matched[j].indicator.id in GOLD_INDICATORS.get(gold[j].indicator or "", ()))
        out["indicators"] = Score(tp=hits, predicted=0, gold=len(tagged))
    for j, want in enumerate(gold):
        if j not in matched:
            where = f" [{want.start}, {want.end})" if want.start is not None else ""
            misses.append(f"metric missed: {want.quote or want.raw + want.unit} = {want.value:g}"
                          f"{' (' + want.label + ')' if want.label else ''}{where}")


def evaluate(summary: Summary, gold: Gold) -> ReportScore:
    fields: dict[str, Score] = {}
    coverage: dict[str, Coverage] = {}
    misses: list[str] = []
    score_meta(summary, gold, fields, misses)
    fields["parts"] = score_parts(summary, gold, misses)
    for kind in ITEM_KINDS:
        wanted = getattr(gold, kind)
        if wanted is None:
            continue
        items = getattr(summary, kind)
        if wanted and isinstance(wanted[0], str):
            fields[kind] = score_phrases(items, wanted, kind, misses)
        else:
            fields[kind], coverage[kind] = score_items(entries(items), wanted, kind, misses, summary.sections)
    if gold.metrics is not None:
        score_metrics(summary.metrics, gold.metrics, fields, misses)
    return ReportScore(source=summary.provenance.source, gold=gold.source, fields=fields, coverage=coverage,
                       misses=misses)


# ---- totals, table, gate -----------------------------------------------------------------------------------------

class Evaluation(BaseModel):
    reports: list[ReportScore]
    total: dict[str, Score]
    coverage: dict[str, Coverage]


def combine(reports: list[ReportScore]) -> Evaluation:
    total: dict[str, Score] = {}
    coverage: dict[str, Coverage] = {}
    for report in reports:
        for name, score in report.fields.items():
            total[name] = total.get(name, Score()) + score
        for name, cov in report.coverage.items():
            coverage[name] = coverage.get(name, Coverage()) + cov
    meta = [s for name, s in total.items() if name.startswith("meta.")]
    if meta:
        total = {"meta": sum(meta, Score()), **total}
    return Evaluation(reports=reports, total=total, coverage=coverage)


def to_json(evaluation: Evaluation, gate: dict[str, float], failed: list[str]) -> str:
    payload = {
        "definitions": {"item_match": f"IoU >= {IOU} or containment (>= {CONTAIN} of the shorter span)",
                        "metric_match": "same value and overlapping span",
                        "coverage": f"gold items >= {COVERED} covered by the predicted items of their kind"},
        "total": {name: s.as_json() for name, s in evaluation.total.items()},
        "coverage": {name: c.as_json() for name, c in evaluation.coverage.items()},
        "reports": [{"source": r.source, "gold": r.gold, "fields": {n: s.as_json() for n, s in r.fields.items()},
                     "coverage": {n: c.as_json() for n, c in r.coverage.items()}, "misses": r.misses}
                    for r in evaluation.reports],
        "gate": gate, "failed": failed, "passed": not failed,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def table(evaluation: Evaluation) -> list[str]:
    def pct(x: float | None) -> str:
        return "   n/a" if x is None else f"{100 * x:5.1f}%"

    names = list(evaluation.total)
    width = max(len(n) for n in names) if names else 5
    lines = [f"{'field':<{width}}  {'tp':>5} {'pred':>5} {'gold':>5}  {'prec':>6} {'recall':>6} {'F1':>6}"]
    for name in names:
        s = evaluation.total[name]
        if not (s.predicted or s.gold):
            continue  # nothing labelled and nothing predicted: no row
        lines.append(f"{name:<{width}}  {s.tp:>5} {s.predicted:>5} {s.gold:>5}  {pct(s.precision)} "
                     f"{pct(s.recall)} {pct(s.f1)}")
    if any(c.gold or c.predicted for c in evaluation.coverage.values()):
        lines.append("")
        lines.append(f"{'items':<{width}}  coverage (gold ≥{COVERED:.0%} covered)  gold per item: in its quote, in its section"
                     "   items inside a gold item")
        for name, c in evaluation.coverage.items():
            if not (c.gold or c.predicted):
                continue
            cov = c.covered / c.gold if c.gold else None
            per = f"{c.overlaps / c.predicted:.2f}" if c.predicted else "n/a"
            per_section = f"{c.in_sections / c.with_section:.2f}" if c.with_section else "n/a"
            cell = f"{pct(cov)} {c.covered}/{c.gold}"
            within = f"{pct(c.within / c.predicted if c.predicted else None)} {c.within}/{c.predicted}"
            lines.append(f"{name:<{width}}  {cell:<28}{per:>6}  {per_section:>6}   {within}")
    return lines


def parse_gate(values: Sequence[str]) -> dict[str, float]:
    """`0.8` (every field) or `field=0.8`, repeatable."""
    gate: dict[str, float] = {}
    for value in values:
        name, _, number = value.rpartition("=")
        try:
            bar = float(number)
        except ValueError:
            raise DrafterError(f"--min {value!r}: expected FLOAT or FIELD=FLOAT") from None
        if not 0 <= bar <= 1:
            raise DrafterError(f"--min {value!r}: the bar is a share between 0 and 1")
        gate[name or "*"] = bar
    return gate


def gate_failures(evaluation: Evaluation, gate: dict[str, float]) -> list[str]:
    """Fields whose F1 (recall where no precision is defined) is under their bar."""
    failed = []
    unknown = [name for name in gate if name != "*" and name not in evaluation.total]
    if unknown:
        raise DrafterError(f"--min: no such field {unknown[0]!r} (fields: {', '.join(evaluation.total)})")
    for name, score in evaluation.total.items():
        bar = gate.get(name, gate.get("*"))
        if bar is None:
            continue
        value = score.f1 if score.f1 is not None else score.recall
        if value is not None and value < bar:
            failed.append(f"{name} {100 * value:.1f}% < {100 * bar:g}%")
    return failed
