"""CPU instructions per seed report for one stage of the offline pipeline, counted by valgrind (callgrind).

Usage: python bench/instructions.py [STAGE ...]   (from the checkout to measure; needs valgrind)
STAGE: read sections meta metrics compliance items markdown json summarize all (default: summarize all)

Wall time on a shared machine moves by ±20 % run to run and by more over a day; an instruction count does not, so
it is what tells whether a change made a stage cheaper. Each stage runs over the 5 seeds once and then 4 times under
callgrind, with the inputs it needs prepared beforehand; the difference divided by 3 × 5 is the cost per report,
without start-up. PYTHONHASHSEED is fixed (set and dict order moves counts by ~0.5 % otherwise). `all` is what
`drafter summarize` does for one report: read it, summarise it, write its .md and .json.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path.cwd()
SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
STAGES = ("read", "sections", "meta", "metrics", "compliance", "items", "markdown", "json", "summarize", "all")


def run_stage(stage: str, rounds: int) -> None:
    sys.path.insert(0, str(ROOT))  # the checkout in the working directory, as `python -m` would import it
    from drafter.extract import areas, rules
    from drafter.extract.meta import extract_meta
    from drafter.extract.metrics import extract_metrics
    from drafter.ingest import read_document
    from drafter.pipeline import summarize
    from drafter.structure import assess_compliance, parse_sections
    from drafter.summary import to_markdown, write_summary

    docs = [read_document(p) for p in SEEDS]
    sections = [parse_sections(d.text) for d in docs]
    summaries = [summarize(d) for d in docs]
    out = Path(tempfile.mkdtemp())
    steps = {
        "read": lambda i: read_document(SEEDS[i]),
        "sections": lambda i: parse_sections(docs[i].text),
        "meta": lambda i: extract_meta(docs[i], sections[i]),
        # The figures and the items share one keyword scan per text: each stage pays for it, as a lone call would.
        "metrics": lambda i: (areas.area_index.cache_clear(), extract_metrics(docs[i].text, sections[i])),
        "compliance": lambda i: assess_compliance(docs[i].text, sections[i]),
        "items": lambda i: (areas.area_index.cache_clear(), rules.extract_items(docs[i].text, sections[i])),
        "markdown": lambda i: to_markdown(summaries[i]),
        "json": lambda i: summaries[i].__pydantic_serializer__.to_json(summaries[i], indent=2),
        "summarize": lambda i: summarize(docs[i]),
        "all": lambda i: write_summary(summarize(SEEDS[i]), out, SEEDS[i].stem, force=True),
    }
    step = steps[stage]
    for _ in range(rounds):
        for i in range(len(SEEDS)):
            step(i)
    shutil.rmtree(out)


def count(stage: str, rounds: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", sys.executable, __file__,
             "--run", stage, str(rounds)],
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        sys.exit(f"{stage}: callgrind failed: {done.stderr.strip()[-300:]}")
    return int(found.group(1))


def main() -> None:
    if sys.argv[1:2] == ["--run"]:
        run_stage(sys.argv[2], int(sys.argv[3]))
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    stages = sys.argv[1:] or ["summarize", "all"]
    for stage in stages:
        if stage not in STAGES:
            sys.exit(f"unknown stage {stage!r}; one of: {' '.join(STAGES)}")
        per_report = (count(stage, 4) - count(stage, 1)) / (3 * len(SEEDS))
        print(f"{stage:10s} {per_report / 1e6:6.2f} M instructions per seed report")


if __name__ == "__main__":
    main()
