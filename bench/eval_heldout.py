"""Accuracy of the offline rules backend on held-out real reports, against hand-labelled gold.

Usage: python bench/eval_heldout.py [--dir tests/heldout] [--quiet] [--only NAME ...]

For every tests/heldout/<name>.txt with a <name>.gold.json (format in tests/heldout/README.md) it runs
drafter.ingest.read_document + drafter.summarize and scores:
- meta: each of the nine fields exact (title compared with whitespace removed, as a wrapped title reads as one);
- parts: each part the gold judges (parts_present + parts_missing) agrees with compliance.present;
- problems / plans recall: a gold phrase is found when it is contained in some extracted item's quote or title;
- metrics recall: a gold figure is found when a distinct extracted metric has the same raw, the same unit and an
  equal value (a gold raw written with its unit, "218件", is read as "218");
- verbatim: share of extracted facts with quote == text[start:end].
Each total is printed as a percentage and a ratio next to its bar. Runs offline; no network, no model.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import drafter
from drafter.ingest import read_document
from drafter.models import Item, Metric, Summary

META_FIELDS = ("title", "issuer", "addressee", "region", "province", "prefecture", "level", "report_year",
               "issued_date")
BARS = {"meta": 95.0, "parts": 95.0, "problems": 90.0, "plans": 90.0, "metrics": 85.0, "verbatim": 100.0}
_SPACE = re.compile(r"\s+")


@dataclass
class Score:
    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hit += ok
        self.total += 1

    def __iadd__(self, other: Score) -> Score:
        self.hit += other.hit
        self.total += other.total
        return self

    def cell(self) -> str:
        return "n/a" if not self.total else f"{100 * self.hit / self.total:5.1f}% {self.hit}/{self.total}"


@dataclass
class Result:
    name: str
    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in BARS})
    per_field: dict[str, bool] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def _flat(value: object) -> object:
    return _SPACE.sub("", value) if isinstance(value, str) else value


def score_meta(summary: Summary, gold: dict, result: Result) -> None:
    got_meta = summary.meta.model_dump(mode="json")
    for name in META_FIELDS:
        want, got = gold["meta"].get(name), got_meta.get(name)
        ok = _flat(want) == _flat(got) if name == "title" else want == got
        result.scores["meta"].add(ok)
        result.per_field[name] = ok
        if not ok:
            result.failures.append(f"meta.{name}: want {want!r}, got {got!r}")


def score_parts(summary: Summary, gold: dict, result: Result) -> None:
    present = set(summary.compliance.present)
    for part, want_present in [(p, True) for p in gold.get("parts_present", [])] + [
        (p, False) for p in gold.get("parts_missing", [])
    ]:
        ok = (part in present) == want_present
        result.scores["parts"].add(ok)
        if not ok:
            result.failures.append(f"part {part}: want {'present' if want_present else 'missing'}, got "
                                   f"{'present' if part in present else 'missing'}")


def score_phrases(kind: str, items: list[Item], phrases: list[str], result: Result) -> None:
    haystacks = [_flat(item.quote) for item in items] + [_flat(item.title) for item in items]
    for phrase in phrases:
        ok = any(_flat(phrase) in hay for hay in haystacks)  # type: ignore[operator]
        result.scores[kind].add(ok)
        if not ok:
            result.failures.append(f"{kind[:-1]} not found: {phrase!r}")


def _raw(raw: str, unit: str) -> str:
    raw = _SPACE.sub("", raw)
    return raw[: -len(unit)] if unit and raw.endswith(unit) else raw


def score_metrics(metrics: list[Metric], gold: list[dict], result: Result) -> None:
    unused = list(metrics)
    for want in gold:
        match = next(
            (m for m in unused if _raw(m.raw, m.unit) == _raw(want["raw"], want["unit"]) and m.unit == want["unit"]
             and math.isclose(m.value, want["value"], rel_tol=1e-9, abs_tol=1e-9)),
            None,
        )
        result.scores["metrics"].add(match is not None)
        if match is not None:
            unused.remove(match)
            continue
        near = [f"{m.raw!r}/{m.value:g}/{m.unit!r} in {m.quote!r}" for m in unused
                if _raw(m.raw, m.unit) == _raw(want["raw"], want["unit"]) or m.unit == want["unit"]][:2]
        result.failures.append(
            f"metric missed: {want['raw']}{want['unit']} (value {want['value']:g})"
            + (f"; same raw or unit extracted: {'; '.join(near)}" if near else "")
        )


def score_verbatim(summary: Summary, text: str, result: Result) -> None:
    for fact in summary.facts():
        ok = text[fact.start:fact.end] == fact.quote
        result.scores["verbatim"].add(ok)
        if not ok:
            result.failures.append(f"not verbatim: {fact.quote!r} at [{fact.start}, {fact.end})")


def evaluate(txt: Path, gold: dict) -> Result:
    doc = read_document(txt)
    summary = drafter.summarize(doc)
    result = Result(txt.stem)
    score_meta(summary, gold, result)
    score_parts(summary, gold, result)
    score_phrases("problems", summary.problems, gold.get("problems", []), result)
    score_phrases("plans", summary.plans, gold.get("plans", []), result)
    score_metrics(summary.metrics, gold.get("metrics", []), result)
    score_verbatim(summary, doc.text, result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=Path(__file__).resolve().parent.parent / "tests" / "heldout")
    parser.add_argument("--quiet", action="store_true", help="print the table only, not each failure")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="score only these reports (file names without .txt)")
    args = parser.parse_args()
    golds = sorted(args.dir.glob("*.gold.json"))
    if args.only:
        wanted = set(args.only)
        golds = [g for g in golds if g.name.removesuffix(".gold.json") in wanted]
        missing = wanted - {g.name.removesuffix(".gold.json") for g in golds}
        if missing:
            raise SystemExit(f"no gold for: {', '.join(sorted(missing))}")
    if not golds:
        raise SystemExit(f"no *.gold.json under {args.dir}")
    results = []
    for gold_path in golds:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        results.append(evaluate(args.dir / gold["source"], gold))

    width = max(len(r.name) for r in results)
    header = f"{'report':<{width}}  " + "  ".join(f"{k:>15}" for k in BARS)
    print(header)
    print("-" * len(header))
    totals = {k: Score() for k in BARS}
    for result in results:
        print(f"{result.name:<{width}}  " + "  ".join(f"{result.scores[k].cell():>15}" for k in BARS))
        for k in BARS:
            totals[k] += result.scores[k]
    print("-" * len(header))
    print(f"{'TOTAL':<{width}}  " + "  ".join(f"{totals[k].cell():>15}" for k in BARS))
    print(f"{'bar':<{width}}  " + "  ".join(f"{'>=' + format(BARS[k], 'g') + '%':>15}" for k in BARS))
    verdicts = []
    for k, bar in BARS.items():
        score = totals[k]
        if not score.total:
            verdicts.append(f"{k}: n/a (no gold)")
        else:
            verdicts.append(f"{k}: {'PASS' if 100 * score.hit / score.total >= bar else 'FAIL'}")
    print("  ".join(verdicts))

    print("\nmeta accuracy per field:")
    for name in META_FIELDS:
        hits = sum(r.per_field[name] for r in results)
        print(f"  {name:<12} {100 * hits / len(results):5.1f}% {hits}/{len(results)}")

    if not args.quiet:
        print("\nfailures:")
        for result in results:
            for failure in result.failures:
                print(f"  {result.name}: {failure}")


if __name__ == "__main__":
    main()
