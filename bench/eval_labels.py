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
from dataclasses import dataclass, field
from pathlib import Path

import drafter
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


@dataclass
class Scores:
    figures: int = 0
    agree: int = 0
    bare: int = 0
    measured: int = 0  # gold figures that measure an indicator
    mapped_right: int = 0
    false_mappings: int = 0
    missing: int = 0
    rows: list[str] = field(default_factory=list)  # one line per seed
    disagreements: list[str] = field(default_factory=list)

    @property
    def label_rate(self) -> float:
        return self.agree / self.figures

    @property
    def bare_rate(self) -> float:
        return self.bare / self.figures

    @property
    def indicator_rate(self) -> float:
        return self.mapped_right / max(1, self.measured)


def evaluate() -> Scores:
    scores = Scores()
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        doc = read_document(SEEDS / f"{gold['seed']}.txt")
        seed = Scores()
        for figure, metric in pair(gold["figures"], drafter.summarize(doc).metrics):
            label = metric.label if metric else ""
            got = metric.indicator.id if metric and metric.indicator else None
            want = figure["indicator"]
            ok, bare = agrees(label, figure["keys"]), bool(metric) and bare_label(label)
            seed.figures += 1
            seed.missing += metric is None
            seed.agree += ok
            seed.bare += bare
            seed.measured += bool(want)
            seed.mapped_right += bool(want) and got == want
            seed.false_mappings += got is not None and got != want
            if not ok or bare or got != want:
                scores.disagreements.append(
                    f"  {gold['seed']} {figure['raw']}{figure['unit']}  [{label}] want [{figure['label']}]"
                    f" keys {'+'.join(figure['keys'])}  indicator {got} want {want}  | {figure['quote'][:40]}")
        scores.rows.append(
            f"{gold['seed']:<20}{seed.figures:>8}{seed.label_rate:>11.3f}{seed.bare:>6}"
            f"{seed.mapped_right:>4}/{seed.measured:<3}{seed.false_mappings:>7}"
            + (f"  ({seed.missing} gold figures not produced)" if seed.missing else ""))
        for name in ("figures", "agree", "bare", "measured", "mapped_right", "false_mappings", "missing"):
            setattr(scores, name, getattr(scores, name) + getattr(seed, name))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    scores = evaluate()
    print(f"{'seed':<20}{'figures':>8}{'labels ok':>11}{'bare':>6}{'ind ok':>8}{'false':>7}")
    print("\n".join(scores.rows))
    if args.show:
        print("\n".join(scores.disagreements))
    print(f"label agreement {scores.label_rate:.3f} (target ≥ {LABEL_TARGET})  over {scores.figures} figures"
          + (f", {scores.missing} not produced" if scores.missing else ""))
    print(f"bare generic labels {scores.bare} = {scores.bare_rate:.1%} (target ≤ {BARE_TARGET:.0%})")
    print(f"indicators mapped right {scores.mapped_right}/{scores.measured} = {scores.indicator_rate:.3f} "
          f"(target ≥ {INDICATOR_TARGET}); false mappings {scores.false_mappings} (target 0)")


if __name__ == "__main__":
    main()
