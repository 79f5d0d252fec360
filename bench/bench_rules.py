"""Offline extraction throughput on one core: reports per second for the rules backend.

Usage: python bench/bench_rules.py [--rounds N] [PATH...]   (default: the seeds)
Reads each report once (ingest is I/O and not part of the target), then times drafter.summarize over
N rounds of the whole set and prints reports/s, ms/report and the ratio to the 200 reports/s target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from drafter.batch import collect_inputs
import drafter
from drafter.ingest import read_document

TARGET_PER_SECOND = 200


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", type=Path, default=[Path(__file__).parent.parent / "seeds"])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    docs = [read_document(p) for p in collect_inputs(args.paths)]
    chars = sum(len(d.text) for d in docs)
    drafter.summarize(docs[0])  # warm-up: lazy tables (divisions) load once per process
    times = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for doc in docs:
            drafter.summarize(doc)
        times.append(time.perf_counter() - t0)
    best, median = min(times), statistics.median(times)
    rate = len(docs) / median
    print(f"reports: {len(docs)}  chars: {chars}  rounds: {args.rounds}")
    print(f"median {median * 1000 / len(docs):.2f} ms/report  best {best * 1000 / len(docs):.2f} ms/report")
    print(f"throughput {rate:.0f} reports/s on one core  (target {TARGET_PER_SECOND}: ratio {rate / TARGET_PER_SECOND:.1f}x)")
    print(f"           {chars / median / 1e6:.2f} M chars/s")


if __name__ == "__main__":
    main()
