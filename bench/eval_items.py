"""Depth of the offline rules backend's items on the seeds, against hand-made gold (tests/gold/items/<seed>.json).

Usage: python bench/eval_items.py [--gold tests/gold/items] [--seeds seeds] [--verbose]

Each gold file lists, in document order and verbatim:
- problems: each shortcoming paragraph by its heading, with its clauses (and cause, when stated);
- commitments: each single promise of the plans part (one action);
- measures: the heading or lead of each measure at the finest level the report marks;
- leadership: each statement of the principal leaders' 第一责任人 duty.
Scores:
- problem clauses: a gold clause lies inside some problems item (bar 0.95); also whole paragraphs, an item whose
  span runs from the heading through the last clause, and causes found;
- commitments: a gold commitment lies inside a plans item that holds no other gold commitment (bar 0.90);
- measures: a gold lead lies inside a measures item that holds no other gold lead (bar 0.90);
- leadership: a gold statement lies inside some leadership item (bar 0.85);
- plans coverage: share of the plans part's characters (its sections and closing, punctuation and space left out)
  inside some plans item;
- verbatim: every item's quote == text[start:end]; and on tests/heldout (real openings): every item, clause and
  cause span, the reports run without an error.
A gold string that is not in the text is an error in the gold, reported and not scored.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's drafter, not an installed one
import drafter
from drafter.ingest import read_document
from drafter.models import Item, Summary
from drafter.structure import body_end
from drafter.structure.parts import closing_span

BARS = {"problem clauses": 0.95, "commitments": 0.90, "measures": 0.90, "leadership": 0.85}
_NOT_CONTENT = re.compile(r"[\s，,。；;：:、“”\"（）()《》]")
ROOT = Path(__file__).parent.parent


class GoldError(ValueError):
    pass


def locate(text: str, strings: list[str], seed: str) -> list[tuple[int, int]]:
    """Each string's span, searched in order from the end of the previous one (gold lists are in text order)."""
    spans, cursor = [], 0
    for s in strings:
        at = text.find(s, cursor)
        if at < 0:
            at = text.find(s)
        if at < 0:
            raise GoldError(f"{seed}: gold string not in text: {s[:40]!r}")
        spans.append((at, at + len(s)))
        cursor = at + len(s)
    return spans


def inside(span: tuple[int, int], item: Item) -> bool:
    return item.start <= span[0] and span[1] <= item.end


def own_item(span: tuple[int, int], others: list[tuple[int, int]], items: list[Item]) -> bool:
    """`span` lies inside an item that holds none of the `others`."""
    return any(inside(span, it) and not any(inside(o, it) for o in others if o != span) for it in items)


def score_seed(text: str, summary: Summary, gold: dict, seed: str, verbose: bool) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}

    def tally(name: str, oks: list[bool], labels: list[str]) -> None:
        out[name] = (sum(oks), len(oks))
        if verbose:
            for ok, label in zip(oks, labels):
                if not ok:
                    print(f"  miss {seed} {name}: {label[:50]}")

    # Problems: clauses inside an item, whole paragraphs, causes.
    clause_oks, clause_labels, para_oks, cause_oks = [], [], [], []
    for problem in gold["problems"]:
        (h_start, _), = locate(text, [problem["heading"]], seed)
        spans = locate(text[h_start:], problem["clauses"], seed)
        spans = [(a + h_start, b + h_start) for a, b in spans]
        for span, clause in zip(spans, problem["clauses"]):
            clause_oks.append(any(inside(span, it) for it in summary.problems))
            clause_labels.append(clause)
        para = (h_start, spans[-1][1])
        para_oks.append(any(it.start == para[0] and it.end >= para[1] for it in summary.problems))
        if problem.get("cause"):
            (c,) = locate(text[h_start:], [problem["cause"]], seed)
            cause_oks.append(any(getattr(it, "cause", None) and it.cause.start <= c[0] + h_start < it.cause.end
                                 for it in summary.problems))
    tally("problem clauses", clause_oks, clause_labels)
    tally("problem paragraphs", para_oks, [p["heading"] for p in gold["problems"]])
    tally("problem causes", cause_oks, [p["cause"] for p in gold["problems"] if p.get("cause")])
    for name, key, items in (("commitments", "commitments", summary.plans), ("measures", "measures", summary.measures)):
        spans = locate(text, gold[key], seed)
        tally(name, [own_item(s, spans, items) for s in spans], gold[key])
    spans = locate(text, gold["leadership"], seed)
    tally("leadership", [any(inside(s, it) for it in summary.leadership) for s in spans], gold["leadership"])
    out["plans coverage"] = plans_coverage(text, summary)
    facts = [*summary.measures, *summary.problems, *summary.plans, *summary.leadership]
    out["verbatim"] = (sum(text[f.start:f.end] == f.quote for f in facts), len(facts))
    return out


def plans_coverage(text: str, summary: Summary) -> tuple[int, int]:
    """Content characters of the plans part (sections and a forward-looking closing) inside some plans item."""
    ranges = [(s.start, s.end) for s in summary.sections if s.part == "plans" and s.parent is None]
    closing = closing_span(text, body_end(text))
    if closing and not any(a <= closing[0] < b for a, b in ranges):
        ranges.append(closing)
    covered = [False] * len(text)
    for it in summary.plans:
        covered[it.start:it.end] = [True] * (it.end - it.start)
    hit = total = 0
    for a, b in ranges:
        for i in range(a, b):
            if not _NOT_CONTENT.match(text[i]):
                total += 1
                hit += covered[i]
    return hit, total


def heldout_verbatim(folder: Path) -> tuple[int, int, int]:
    """Reports read, and spans (items, clauses, causes) that are / should be text[start:end], on real openings."""
    hit = total = reports = 0
    for path in sorted(folder.glob("*.txt")):
        doc = read_document(path)
        summary = drafter.summarize(doc)
        reports += 1
        for item in [*summary.measures, *summary.problems, *summary.plans, *summary.leadership]:
            for span in [item, *item.clauses, *([item.cause] if item.cause else [])]:
                total += 1
                hit += doc.text[span.start:span.end] == span.quote
    return reports, hit, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "gold" / "items")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--verbose", action="store_true", help="list each gold entry missed")
    parser.add_argument("--heldout", type=Path, default=ROOT / "tests" / "heldout",
                        help="real report openings: run them and check every span is verbatim")
    args = parser.parse_args()
    totals: dict[str, list[int]] = {}
    for gold_path in sorted(args.gold.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = read_document(args.seeds / gold["seed"])
        summary = drafter.summarize(doc)
        scores = score_seed(doc.text, summary, gold, gold["seed"], args.verbose)
        print(f"{gold['seed']:<24} " + "  ".join(f"{k} {h}/{t}" for k, (h, t) in scores.items()))
        for k, (h, t) in scores.items():
            acc = totals.setdefault(k, [0, 0])
            acc[0] += h
            acc[1] += t
    print()
    for k, (h, t) in totals.items():
        rate = h / t if t else 1.0
        bar = BARS.get(k)
        mark = "" if bar is None else ("  ok" if rate >= bar else f"  BELOW {bar:.2f}")
        print(f"{k:<20} {rate:6.3f}  ({h}/{t}){mark}")
    reports, hit, total = heldout_verbatim(args.heldout)
    print(f"{'heldout verbatim':<20} {hit / total if total else 1.0:6.3f}  ({hit}/{total} spans, {reports} reports)")


if __name__ == "__main__":
    main()
