"""The llm backend against a loopback endpoint with simulated latency: calls, time and prompt tokens per report.

Usage: python bench/bench_llm.py [--latency 1.0]
Replays the curated fixtures (fixtures/llm) for the seeds, cache off, and prints per report the requests made,
wall time, prompt tokens and the bar `report tokens × 1.3 + 2,500` with the ratio to it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from drafter.llm.config import LLM
from drafter.pipeline import summarize
from drafter.ingest import read_document
from drafter.llm.config import load_settings
from drafter.replay.fake_server import FakeLLM
from drafter.llm.prompt import estimate_tokens

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=1.0)
    args = parser.parse_args()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    with FakeLLM(ROOT / "fixtures" / "llm", latency=args.latency) as server, tempfile.TemporaryDirectory() as cache:
        settings = load_settings(api_key="sk-bench", base_url=server.base_url, model="drafter-curated",
                                 cache_dir=Path(cache))
        print(f"{'report':<20} {'calls':>5} {'seconds':>8} {'prompt':>7} {'bar':>7} {'ratio':>6}")
        for seed in seeds:
            doc = read_document(seed)
            before = server.request_count
            started = time.perf_counter()
            summary = summarize(doc, LLM(settings, use_cache=False))
            elapsed = time.perf_counter() - started
            prompt = summary.provenance.usage.prompt_tokens
            bar = estimate_tokens(doc.text) * 1.3 + 2500
            print(f"{seed.stem:<20} {server.request_count - before:>5} {elapsed:>8.2f} {prompt:>7} {bar:>7.0f} "
                  f"{prompt / bar:>6.2f}")


if __name__ == "__main__":
    main()
