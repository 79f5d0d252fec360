"""Resume: what a summarize run decides for each input before any work, and output names that stay put."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import drafter
from drafter.errors import DrafterError
from drafter.runner import RunIdentity, output_stems, plan, run_offline
from drafter.summary import write_summary

SEED = Path(__file__).resolve().parent.parent / "seeds" / "zhoucun-2024.txt"
RULES = RunIdentity("rules")


def test_output_names_do_not_depend_on_the_other_inputs(tmp_path: Path) -> None:
    (tmp_path / "2023").mkdir()
    (tmp_path / "2024").mkdir()
    a = tmp_path / "2023" / "兴宁.txt"
    b = tmp_path / "2024" / "兴宁.txt"
    alone = output_stems([a], [tmp_path])
    together = output_stems([a, b], [tmp_path])
    assert alone[a] == together[a] == "2023-兴宁"
    assert together[b] == "2024-兴宁"
    assert output_stems([b], [b]) == {b: "兴宁"}  # a file named on the command line keeps its stem


def test_same_name_in_one_folder_adds_the_type_to_both(tmp_path: Path) -> None:
    txt, docx = tmp_path / "a.txt", tmp_path / "a.docx"
    assert output_stems([txt, docx], [tmp_path]) == {txt: "a-txt", docx: "a-docx"}


def test_current_summary_is_skipped_changed_input_is_refused_force_reruns(tmp_path: Path) -> None:
    report = tmp_path / "zhoucun.txt"
    shutil.copy(SEED, report)
    out = tmp_path / "out"
    [job] = plan([report], [report], out, RULES)
    assert job.action == "run" and job.json_path == out / "zhoucun.summary.json"
    write_summary(drafter.summarize(report), out, "zhoucun")

    [job] = plan([report], [report], out, RULES)
    assert (job.action, job.reason) == ("skip", "up to date")
    [job] = plan([report], [report], out, RunIdentity("llm", "deepseek-chat", "extract/v1"))
    assert job.action == "refuse"  # made by another backend: not this run's summary

    report.write_text(SEED.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    [job] = plan([report], [report], out, RULES)
    assert job.action == "refuse" and job.reason == f"{out / 'zhoucun.summary.json'} exists; use --force to overwrite"
    [job] = plan([report], [report], out, RULES, force=True)
    assert job.action == "run"


def test_a_lone_markdown_file_is_never_taken_for_a_finished_summary(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    shutil.copy(SEED, report)
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.summary.md").write_text("my notes", encoding="utf-8")
    [job] = plan([report], [report], out, RULES)
    assert job.action == "refuse"


def test_a_pair_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = drafter.summarize(SEED)
    import drafter.summary as summary_module

    real = summary_module.write_atomic

    def fail_on_json(path: Path, data, force: bool = False) -> Path:
        if path.name.endswith(".json"):
            raise DrafterError(f"cannot write {path}: disk full")
        return real(path, data, force=force)

    monkeypatch.setattr(summary_module, "write_atomic", fail_on_json)
    with pytest.raises(DrafterError, match="disk full"):
        write_summary(summary, tmp_path, "z")
    assert list(tmp_path.iterdir()) == []  # the .md written first was taken back


def test_offline_run_in_processes_gives_the_same_files_as_one_process(tmp_path: Path) -> None:
    seeds = sorted(SEED.parent.glob("*.txt"))
    outputs = {}
    for processes in (1, 2):
        out = tmp_path / f"out{processes}"
        jobs = plan(seeds, [SEED.parent], out, RULES)
        results = list(run_offline(jobs, processes=processes))
        assert [r.job.path for r in results] == seeds and all(r.error is None for r in results)
        outputs[processes] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(outputs[1]) == 10 and outputs[1] == outputs[2]


def test_one_failing_input_is_one_result_and_the_rest_are_written(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    jobs = plan([empty, SEED], [empty, SEED], tmp_path / "out", RULES)
    results = list(run_offline(jobs, processes=2))
    assert [r.error for r in results] == ["empty", None]
    assert results[1].overview.startswith("周村区 (山东省 淄博市, district) · 2024年度")
    assert (tmp_path / "out" / "zhoucun-2024.summary.json").exists()


def test_a_long_one_line_report_given_as_text_is_read_as_text() -> None:
    # Longer than a file name may be (255 bytes) but a single line: summarised, not an OSError.
    text = SEED.read_text(encoding="utf-8").replace("\n", " ")[:3000]
    summary = drafter.summarize(text)
    assert summary.meta.region == "周村区" and summary.provenance.source == "<text>"


def test_the_summary_json_is_readable_indented_json_that_loads_back(tmp_path: Path) -> None:
    summary = drafter.summarize(SEED)
    json_path, _ = write_summary(summary, tmp_path, "z")
    written = json_path.read_text(encoding="utf-8")
    # two-space indent, Chinese as written (no \u escapes), one final newline: what json.dumps gives
    assert written == json.dumps(summary.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    assert '"region": "周村区"' in written
    assert drafter.load_summary(json_path) == summary


def test_figures_in_the_markdown_are_written_as_the_g_format_writes_them() -> None:
    from drafter.summary import _number

    values = [0.0, 1.0, 7.0, 218.0, 4.6, 46000.0, 999999.0, 1e6, 1234567.0, 0.5, 99.99, 1e-7, 12.0000001]
    values += [float(n) for n in range(0, 2_000_000, 9973)]
    assert [_number(v) for v in values] == [f"{v:g}" for v in values]
    assert _number(1234567.0) == "1.23457e+06"  # :g's six digits, kept as the summaries have always shown it
