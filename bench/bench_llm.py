"""The llm backend against a loopback endpoint with simulated latency: concurrency, a cached re-run, tokens per
report, and (with --faults) what a broken endpoint costs with the default settings.

Usage: python bench/bench_llm.py [--reports 32] [--latency 0.3] [--concurrency 16] [--rpm R] [--faults]

1. Concurrency: N distinct reports (the seeds, each copy made distinct by a closing line), cache off, at
   concurrency 1 and at C through drafter.pipeline.summarize_many (what `drafter summarize` runs), against the ideal
   bound max(latency × ⌈N/C⌉, N/rate); requests sent and the most in flight at once (counted by the server).
   One request before the timed runs pays the one-time import of openai and instructor. Then a re-run from the
   cache (no request).
2. Tokens: the curated fixtures replayed for the seeds: per report, requests and prompt tokens against the bar
   `report tokens × 1.3 + 2,500`.
3. --faults, default settings (only key, model, base URL): a hung endpoint (3 reports), a dead port (5), a 429 with
   Retry-After: 3600 (5), a server trickling a byte a second (1), an 8 MB input (1): seconds and the line per report.
"""

from __future__ import annotations

import argparse
import math
import platform
import tempfile
import time
from pathlib import Path

from drafter.ingest import read_document
from drafter.llm.config import LLM, load_settings
from drafter.llm.prompt import estimate_tokens
from drafter.pipeline import summarize_many
from drafter.replay.fake_server import FakeLLM, Fault, dead_base_url

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def distinct_reports(n: int) -> list[str]:
    texts = [read_document(seed).text for seed in SEEDS]
    return [f"{texts[i % len(texts)]}\n（第{i + 1}份）" for i in range(n)]


def timed_run(reports: list[str], llm: LLM) -> tuple[float, int]:
    started = time.perf_counter()
    failed = sum(1 for outcome in summarize_many(reports, llm) if outcome.error is not None)
    return time.perf_counter() - started, failed


def concurrency(args: argparse.Namespace, cache: Path) -> None:
    reports = distinct_reports(args.reports)
    n, c, latency = len(reports), args.concurrency, args.latency
    print(f"## concurrency: {n} distinct reports, {latency * 1000:.0f} ms a request"
          + (f", --rpm {args.rpm:g}" if args.rpm else ""))
    print(f"{'run':<24} {'seconds':>8} {'ideal':>7} {'requests':>8} {'in flight':>9} {'failed':>6}")
    rows = {}
    for label, workers, use_cache in (("--concurrency 1", 1, False), (f"--concurrency {c}", c, True),
                                      (f"--concurrency {c} cached", c, True)):
        with FakeLLM(schema_driven="echo", latency=latency) as server:
            settings = load_settings(api_key="sk-bench", base_url=server.base_url, model="bench-model",
                                     cache_dir=cache, concurrency=workers, rpm=args.rpm, log=False)
            llm = LLM(settings, use_cache=use_cache)
            if not use_cache:  # the first request imports openai and instructor (~1-2 s, once per process)
                timed_run(distinct_reports(len(reports) + 1)[-1:], llm)
                server.requests.clear()
                server.max_in_flight = 0
            seconds, failed = timed_run(reports, llm)
            sent = server.request_count
            ideal = 0.0 if sent == 0 else max(latency * math.ceil(n / workers), n / (args.rpm / 60) if args.rpm else 0)
            rows[label] = seconds
            print(f"{label:<24} {seconds:>8.2f} {ideal:>7.2f} {sent:>8} {server.max_in_flight:>9} {failed:>6}")
    print(f"speed-up at --concurrency {c}: {rows['--concurrency 1'] / rows[f'--concurrency {c}']:.1f}×")


def tokens(cache: Path) -> None:
    print("\n## tokens: the curated fixtures replayed, cache off")
    print(f"{'report':<20} {'calls':>5} {'prompt':>7} {'bar':>7} {'ratio':>6}")
    with FakeLLM(ROOT / "fixtures" / "llm") as server:
        settings = load_settings(api_key="sk-bench", base_url=server.base_url, model="drafter-curated",
                                 cache_dir=cache, log=False)
        for seed in SEEDS:
            [outcome] = summarize_many([seed], LLM(settings, use_cache=False))
            if outcome.error is not None:  # e.g. fixtures keyed for another prompt version than this drafter's
                print(f"{seed.stem:<20} failed: {outcome.error}")
                continue
            summary = outcome.value
            prompt = summary.provenance.usage.prompt_tokens
            bar = estimate_tokens(read_document(seed).text) * 1.3 + 2500
            print(f"{seed.stem:<20} {summary.provenance.usage.requests:>5} {prompt:>7} {bar:>7.0f} {prompt / bar:>6.2f}")


def faults(cache: Path) -> None:
    print("\n## broken endpoints, default settings")
    one = read_document(SEEDS[0]).text + "\n"
    big = one * math.ceil(8e6 / len(one.encode("utf-8")))  # 8 MB of UTF-8
    cases = [
        ("hung (accepts, never answers)", Fault("hang"), distinct_reports(3)),
        ("dead port", None, distinct_reports(5)),
        ("429 Retry-After: 3600", Fault("429", retry_after=3600), distinct_reports(5)),
        ("trickling 1 byte/s", Fault("trickle", delay=1.0), distinct_reports(1)),
        (f"{len(big.encode()) / 1e6:.1f} MB input", None, [big]),
    ]
    for label, fault, reports in cases:
        with FakeLLM(fault=fault, schema_driven="echo") as server:
            base_url = dead_base_url() if label == "dead port" else server.base_url
            settings = load_settings(api_key="sk-bench", base_url=base_url, model="bench-model", cache_dir=cache,
                                     log=False)
            started = time.perf_counter()
            lines = [o.error for o in summarize_many(reports, LLM(settings, use_cache=False))]
            seconds = time.perf_counter() - started
            print(f"- {label}: {len(reports)} report(s) in {seconds:.1f} s, {server.request_count} requests")
            for line in sorted(set(lines), key=lines.index):
                print(f"    {lines.count(line)}× {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rpm", type=float, default=None)
    parser.add_argument("--faults", action="store_true", help="also time broken endpoints (about 4 minutes)")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.system()}")
    with tempfile.TemporaryDirectory() as cache:
        concurrency(args, Path(cache))
        tokens(Path(cache))
        if args.faults:
            faults(Path(cache))


if __name__ == "__main__":
    main()
