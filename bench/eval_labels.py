"""Figure labels and standard indicators against hand gold (tests/gold/labels/<seed>.json).

Usage: python bench/eval_labels.py [--show]   (--show lists every disagreement)

Each gold figure is one figure of a seed, found again by its clause (quote) and raw number, with a hand label,
the key terms that make a label name the same counted thing, and the indicator it measures (or null).
- A produced label *agrees* when every key is in it (white space and “” ignored): a key 'A/B' is met by A or B,
  a key ending in '$' must end the label (27个部门…抽查计划71个: 27 counts 部门, 71 counts 抽查计划).
  The keys are the subject, verb and counted noun the hand label cannot do without (法律顾问 + 涉法事项 for
  "法律顾问参与涉法事项70余次"); wording around them may differ.
- A label is *bare generic* when `drafter.extract.metrics.bare_label` says it names nothing on its own
  (方面, 事项, 金额, 成功率, 同比上升…).
- Indicators: of the gold figures that measure one, the share mapped to it; and the figures mapped that measure
  none or another one (false mappings).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from drafter.extract import rules
from drafter.extract.metrics import bare_label
from drafter.ingest import read_document
from drafter.models import Metric

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "labels"
SEEDS = ROOT / "seeds"
LABEL_TARGET, BARE_TARGET, INDICATOR_TARGET = 0.90, 0.03, 0.90


def agrees(label: str, keys: list[str]) -> bool:
    label = _plain(label)
    for key in keys:
        at_end = key.endswith("$")
        options = [_plain(o) for o in key.removesuffix("$").split("/")]
        if not any(label.endswith(o) if at_end else o in label for o in options):
            return False
    return True


def _plain(text: str) -> str:
    return "".join(text.split()).replace("“", "").replace("”", "")


def pair(gold: list[dict], produced: list[Metric]) -> list[tuple[dict, Metric | None]]:
    """Each gold figure with the produced figure of the same clause and raw number (the n-th for the n-th)."""
    pool: dict[tuple[str, str], list[Metric]] = defaultdict(list)
    for metric in produced:
        pool[(metric.quote, metric.raw)].append(metric)
    used: dict[tuple[str, str], int] = defaultdict(int)
    pairs = []
    for figure in gold:
        key = (figure["quote"], figure["raw"])
        found = pool[key][used[key]] if used[key] < len(pool[key]) else None
        used[key] += 1
        pairs.append((figure, found))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    totals = defaultdict(int)
    print(f"{'seed':<20}{'figures':>8}{'labels ok':>11}{'bare':>6}{'ind ok':>8}{'false':>7}")
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        doc = read_document(SEEDS / f"{gold['seed']}.txt")
        pairs = pair(gold["figures"], rules.summarize(doc).metrics)
        n = len(pairs)
        missing = sum(1 for _, m in pairs if m is None)
        ok = bare = ind_total = ind_ok = false = 0
        for figure, metric in pairs:
            label = metric.label if metric else ""
            got = metric.indicator.id if metric and metric.indicator else None
            want = figure["indicator"]
            ok += agrees(label, figure["keys"])
            bare += bool(metric) and bare_label(label)
            if want:
                ind_total += 1
                ind_ok += got == want
            false += got is not None and got != want
            if args.show and (not agrees(label, figure["keys"]) or got != want or (metric and bare_label(label))):
                print(f"  {gold['seed']} {figure['raw']}{figure['unit']}  [{label}] want [{figure['label']}]"
                      f" keys {'+'.join(figure['keys'])}  ind {got} want {want}  | {figure['quote'][:40]}")
        for name, value in (("n", n), ("ok", ok), ("bare", bare), ("ind_total", ind_total), ("ind_ok", ind_ok),
                            ("false", false), ("missing", missing)):
            totals[name] += value
        print(f"{gold['seed']:<20}{n:>8}{ok / n:>11.3f}{bare:>6}{ind_ok:>4}/{ind_total:<3}{false:>7}"
              + (f"  ({missing} gold figures not produced)" if missing else ""))
    n = totals["n"]
    label_rate, bare_rate = totals["ok"] / n, totals["bare"] / n
    ind_rate = totals["ind_ok"] / max(1, totals["ind_total"])
    print(f"label agreement {label_rate:.3f} (target ≥ {LABEL_TARGET})  over {n} figures"
          + (f", {totals['missing']} not produced" if totals["missing"] else ""))
    print(f"bare generic labels {totals['bare']} = {bare_rate:.1%} (target ≤ {BARE_TARGET:.0%})")
    print(f"indicators mapped right {totals['ind_ok']}/{totals['ind_total']} = {ind_rate:.3f} (target ≥ "
          f"{INDICATOR_TARGET}); false mappings {totals['false']} (target 0)")


if __name__ == "__main__":
    main()
