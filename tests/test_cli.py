"""The summarize command end to end: outputs, per-input failures, exit codes, no overwrite without --force."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from drafter.cli import app
from drafter.models import Summary

SEEDS = Path(__file__).parent.parent / "seeds"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_summarize_seed_folder_writes_json_and_markdown(tmp_path: Path) -> None:
    result = invoke("summarize", str(SEEDS), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    stems = ["chuxiong-2024", "diaobingshan-2022", "ruzhou-2023", "xingning-2024", "zhoucun-2024"]
    assert names == sorted([f"{s}.summary.json" for s in stems] + [f"{s}.summary.md" for s in stems])
    assert "5 of 5 reports summarised" in result.output
    summary = Summary.model_validate_json((tmp_path / "zhoucun-2024.summary.json").read_text(encoding="utf-8"))
    assert summary.meta.region == "周村区"
    assert summary.provenance.backend == "rules"
    assert summary.provenance.source.endswith("zhoucun-2024.txt")
    markdown = (tmp_path / "zhoucun-2024.summary.md").read_text(encoding="utf-8")
    assert "| 地区 | 周村区 |" in markdown
    # the overview names the region, the year and the parts found
    assert "周村区 (山东省 淄博市, district) · 2024年度" in result.output


def test_bad_inputs_fail_one_line_each_and_do_not_stop_the_batch(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "ruzhou-2023.txt", inputs / "ruzhou-2023.txt")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "out"
    result = runner.invoke(app, ["summarize", str(inputs), str(tmp_path / "missing.txt"), "--out", str(out)])
    assert result.exit_code == 1
    assert (out / "ruzhou-2023.summary.json").exists()
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 3, errors
    assert any(line.startswith(str(inputs / "empty.txt") + ": ") for line in errors)
    assert any(line.startswith(str(inputs / "broken.docx") + ": ") for line in errors)
    assert any(line.startswith(str(tmp_path / "missing.txt") + ": ") for line in errors)
    assert "Traceback" not in result.output + result.stderr


def test_existing_outputs_are_not_overwritten_without_force(tmp_path: Path) -> None:
    seed = str(SEEDS / "chuxiong-2024.txt")
    assert invoke("summarize", seed, "--out", str(tmp_path)).exit_code == 0
    target = tmp_path / "chuxiong-2024.summary.json"
    target.write_text("edited by hand", encoding="utf-8")
    result = runner.invoke(app, ["summarize", seed, "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "exists; use --force to overwrite" in result.stderr
    assert target.read_text(encoding="utf-8") == "edited by hand"
    assert invoke("summarize", seed, "--out", str(tmp_path), "--force").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["meta"]["region"] == "楚雄市"


def test_same_stem_in_two_folders_gets_two_outputs(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SEEDS / "ruzhou-2023.txt", tmp_path / folder / "report.txt")
    out = tmp_path / "out"
    assert invoke("summarize", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out)).exit_code == 0
    assert sorted(p.name for p in out.glob("*.json")) == ["a-report-txt.summary.json", "b-report-txt.summary.json"]


def test_unknown_backend_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["summarize", str(SEEDS), "--backend", "gpt", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown backend 'gpt'" in result.stderr
