"""The command line end to end: every command and exit path, per-input failures, no overwrite without --force,
and inputs as users have them (a GBK console, unreadable or unsupported files, drafts re-saved as GBK/UTF-16)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from draft_samples import fill
from llm_helpers import TEST_KEY
from typer.testing import CliRunner

import drafter
from drafter.cli import app
from drafter.models import Summary
from drafter.replay.fake_server import FakeLLM

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


# ---- every command and exit path --------------------------------------------------------------------------

ROOT = SEEDS.parent
STEMS = ["chuxiong-2024", "diaobingshan-2022", "ruzhou-2023", "xingning-2024", "zhoucun-2024"]


def test_version_prints_the_package_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and result.output == f"drafter {drafter.__version__}\n"


def test_no_report_files_is_one_line_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == "no report files found (.txt .md .docx .html .htm .pdf)\n"
    assert not (tmp_path / "out").exists()


def test_unsupported_files_in_a_folder_are_listed_as_skipped_with_the_reason(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "ruzhou-2023.txt", inputs / "ruzhou-2023.txt")
    for name in ("a.doc", "b.wps", "c.rtf", "d.xlsx", "e.png"):
        (inputs / name).write_bytes(b"\xd0\xcf\x11\xe0")
    result = runner.invoke(app, ["summarize", str(inputs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr  # skipping is no failure: the readable report is done
    convert = "skipped: convert with LibreOffice first (soffice --headless --convert-to docx)"
    assert result.stderr.splitlines() == [
        f"{inputs / 'a.doc'}: {convert}",
        f"{inputs / 'b.wps'}: {convert}",
        f"{inputs / 'c.rtf'}: {convert}",
        f"{inputs / 'd.xlsx'}: skipped: a spreadsheet, not a report",
    ]
    assert "1 of 1 reports summarised" in result.output


def test_an_unreadable_file_is_one_line_and_the_batch_goes_on(tmp_path: Path, monkeypatch) -> None:
    # Tests run as root, for whom chmod 000 changes nothing: refuse the read itself.
    locked = tmp_path / "locked.txt"
    shutil.copy(SEEDS / "ruzhou-2023.txt", locked)
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    out = tmp_path / "out"
    result = runner.invoke(app, ["summarize", str(locked), str(SEEDS / "zhoucun-2024.txt"), "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"{locked}: cannot read: Permission denied\n"
    assert (out / "zhoucun-2024.summary.json").exists()
    assert "1 of 2 reports summarised" in result.output


def test_a_fifo_or_folder_named_like_a_report_does_not_block_the_batch(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # reading it would wait forever for a writer
    result = runner.invoke(app, ["summarize", str(fifo), str(SEEDS / "zhoucun-2024.txt"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr == f"{fifo}: not a regular file\n"
    assert (tmp_path / "o" / "zhoucun-2024.summary.json").exists()


def test_a_bug_in_one_report_is_one_line_and_the_others_are_written(tmp_path: Path, monkeypatch) -> None:
    import drafter.pipeline

    real = drafter.pipeline.summarize

    def buggy(path, llm=None):
        if Path(path).stem == "ruzhou-2023":
            raise RuntimeError("index out of range")
        return real(path, llm)

    monkeypatch.setattr(drafter.pipeline, "summarize", buggy)  # what the batch runner calls
    result = runner.invoke(app, ["summarize", str(SEEDS), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (f"{SEEDS / 'ruzhou-2023.txt'}: internal error (RuntimeError: index out of range); "
                             "please report it\n")
    assert sorted(p.name for p in tmp_path.glob("*.json")) == [f"{s}.summary.json" for s in STEMS if s != "ruzhou-2023"]
    assert "Traceback" not in result.output + result.stderr


def run_module(args: list[str], cwd: Path, stdout_path: Path, encoding: str):
    """The real console script path: a fresh interpreter whose stdout is a file in `encoding`."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    with open(stdout_path, "wb") as log:
        return subprocess.run([sys.executable, "-m", "drafter.cli", *args], cwd=cwd, env=env, stdout=log,
                              stderr=subprocess.PIPE, timeout=120)


def test_a_gbk_console_gets_replacement_marks_not_a_crash(tmp_path: Path) -> None:
    done = run_module(["summarize", str(SEEDS), "--out", "out"], tmp_path, tmp_path / "log.txt", "gbk")
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    assert sorted(p.name for p in (tmp_path / "out").glob("*.json")) == [f"{s}.summary.json" for s in STEMS]
    log = (tmp_path / "log.txt").read_bytes().decode("gbk")  # valid GBK throughout
    assert "周村区 (山东省 淄博市, district) · 2024年度 · parts: measures ?" in log
    assert "5 of 5 reports summarised" in log

    drafted = runner.invoke(app, ["draft", str(tmp_path / "out" / "zhoucun-2024.summary.json"), "-o", str(tmp_path)])
    assert drafted.exit_code == 0, drafted.stderr
    [md] = tmp_path.glob("*-草稿.md")
    done = run_module(["check", str(md), str(SEEDS / "zhoucun-2024.txt")], tmp_path, tmp_path / "check.txt", "gbk")
    assert done.returncode == 1, done.stderr.decode("gbk", "replace")  # the fresh draft has placeholders, baselines
    log = (tmp_path / "check.txt").read_bytes().decode("gbk")
    assert f"{md}: draft, 2 errors" in log and f"{SEEDS / 'zhoucun-2024.txt'}: published" in log


@pytest.fixture(scope="module")
def summaries(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("summaries")
    assert invoke("summarize", str(SEEDS / "xingning-2024.txt"), str(SEEDS / "diaobingshan-2022.txt"),
                  "--out", str(out), "--quiet").exit_code == 0
    return out


DRAFT_NAME = "兴宁市-2025年度法治政府建设情况报告-草稿"
# What `draft` writes beside the draft: the companion (reference material) and the data-collection sheet.
COMPANIONS = ["兴宁市-2025年度法治政府建设情况报告-参考材料.md", "兴宁市-2025年度法治政府建设情况报告-数据采集表.xlsx"]


def docx_text(path: Path) -> str:
    """The document's text, runs joined: the title is set in two lines broken at a word boundary (GB/T 9704 7.3.3)."""
    with zipfile.ZipFile(path) as z:
        return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", z.read("word/document.xml").decode("utf-8")))


def test_draft_from_summary_json(tmp_path: Path, summaries: Path) -> None:
    result = invoke("draft", str(summaries / "xingning-2024.summary.json"), "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"{DRAFT_NAME}.md", *COMPANIONS])
    written = [f"wrote {tmp_path / name}\n" for name in [f"{DRAFT_NAME}.md", *COMPANIONS]]
    assert result.output.startswith("".join(written) + "  兴宁市 2025年度 · 45 placeholders to fill")
    assert "# 兴宁市人民政府关于2025年度法治政府建设情况的报告" in (tmp_path / f"{DRAFT_NAME}.md").read_text(encoding="utf-8")


def test_draft_from_a_folder_of_summaries(tmp_path: Path, summaries: Path) -> None:
    result = invoke("draft", str(summaries), "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    # both summaries read; the first input (sorted: 调兵山 2022) sets region and year, 兴宁 is a peer
    stem = "调兵山市-2023年度法治政府建设情况报告"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{stem}-参考材料.md", f"{stem}-数据采集表.xlsx", f"{stem}-草稿.md"]
    assert result.output.splitlines()[3].startswith("  调兵山市 2023年度 · ")
    # 兴宁 is peer practice: in the companion, never in the report
    assert "兴宁市（2024年）：" in (tmp_path / f"{stem}-参考材料.md").read_text(encoding="utf-8")
    assert "兴宁" not in (tmp_path / f"{stem}-草稿.md").read_text(encoding="utf-8")


def test_draft_from_a_raw_report_with_docx(tmp_path: Path) -> None:
    result = invoke("draft", str(SEEDS / "xingning-2024.txt"), "--docx", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    companion_docx = COMPANIONS[0].replace(".md", ".docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{DRAFT_NAME}.docx", f"{DRAFT_NAME}.md", *COMPANIONS, companion_docx])
    assert docx_text(tmp_path / f"{DRAFT_NAME}.docx").startswith("兴宁市人民政府关于2025年度法治政府建设情况的报告中共兴宁市委：")
    again = runner.invoke(app, ["draft", str(SEEDS / "xingning-2024.txt"), "--docx", "--out", str(tmp_path)])
    assert again.exit_code == 1 and again.stderr == f"draft: {tmp_path / DRAFT_NAME}.md exists; use --force to overwrite\n"


def test_draft_with_a_bad_input_still_drafts_from_the_good_one_but_exits_1(tmp_path: Path, summaries: Path) -> None:
    bad = tmp_path / "other.json"
    bad.write_text('{"a": 1}', encoding="utf-8")
    result = runner.invoke(app, ["draft", str(bad), str(summaries / "xingning-2024.summary.json"), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}: not a drafter summary (")
    assert (tmp_path / f"{DRAFT_NAME}.md").exists()


def test_draft_with_nothing_to_read_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["draft", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == "no summaries (.summary.json) or report files found\n"


@pytest.fixture
def fresh_draft(tmp_path: Path, summaries: Path) -> Path:
    assert invoke("draft", str(summaries / "xingning-2024.summary.json"), "--out", str(tmp_path)).exit_code == 0
    return tmp_path / f"{DRAFT_NAME}.md"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_export_reads_a_draft_as_notepad_saved_it(fresh_draft: Path, encoding: str) -> None:
    markdown = fresh_draft.read_text(encoding="utf-8")
    fresh_draft.write_bytes(markdown.encode(encoding))
    result = invoke("export", str(fresh_draft))
    assert result.exit_code == 0, result.stderr
    target = fresh_draft.with_suffix(".docx")
    assert result.output == f"wrote {target}\n"
    assert docx_text(target).startswith("兴宁市人民政府关于2025年度法治政府建设情况的报告")
    again = runner.invoke(app, ["export", str(fresh_draft)])
    assert again.exit_code == 1 and again.stderr == f"{fresh_draft}: {target} exists; use --force to overwrite\n"
    assert invoke("export", str(fresh_draft), "--force", "-o", str(fresh_draft.with_name("copy.docx"))).exit_code == 0


def test_export_of_a_binary_file_is_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "draft.md"
    junk.write_bytes(bytes(range(256)) * 4)
    result = runner.invoke(app, ["export", str(junk)])
    assert result.exit_code == 1 and result.stderr.startswith(f"{junk}: binary content")
    assert not junk.with_suffix(".docx").exists()


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_check_a_filled_draft_passes_and_a_fresh_one_fails(fresh_draft: Path, encoding: str) -> None:
    filled = fresh_draft.with_name("filled.md")
    filled.write_bytes(fill(fresh_draft.read_text(encoding="utf-8")).encode(encoding))
    ok = invoke("check", str(filled))
    assert ok.exit_code == 0, ok.output
    assert ok.output.splitlines()[-1] == f"{filled}: draft, ok, 1 warnings"
    fresh_draft.write_bytes(fresh_draft.read_text(encoding="utf-8").encode(encoding))
    failed = invoke("check", str(fresh_draft), str(filled))
    assert failed.exit_code == 1
    assert f"{fresh_draft}: error [placeholder] 45处【待填】尚未填写" in failed.output
    assert f"{fresh_draft}: error [baseline-left] 18处上年度基数" in failed.output  # one per indicator line
    assert f"{fresh_draft}: draft, 2 errors, 1 warnings" in failed.output


def test_check_a_published_report_and_bad_inputs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(SEEDS / "zhoucun-2024.txt"), str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert f"{SEEDS / 'zhoucun-2024.txt'}: published, " in result.output
    assert result.stderr == f"{tmp_path / 'x.pdf'}: no such file\n"  # .pdf is read now; this one is missing
    usage = runner.invoke(app, ["check", str(SEEDS / "zhoucun-2024.txt"), "--kind", "final"])
    assert usage.exit_code == 2 and "unknown kind 'final'" in usage.stderr


def test_record_against_a_live_endpoint_writes_fixtures(tmp_path: Path, monkeypatch) -> None:
    report = tmp_path / "report.txt"
    shutil.copy(SEEDS / "zhoucun-2024.txt", report)
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"")
    for name, value in {"OPENAI_API_KEY": TEST_KEY, "DRAFTER_MODEL": "live-model", "DRAFTER_BACKOFF_INITIAL": "0.001",
                        "DRAFTER_CACHE_DIR": str(tmp_path / "cache")}.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "fx"
    with FakeLLM(schema_driven="echo") as live:
        monkeypatch.setenv("OPENAI_BASE_URL", live.base_url)
        result = runner.invoke(app, ["record", str(report), "--out", str(out)])
        assert result.exit_code == 0, result.stderr
        assert result.output == f"1 fixtures written to {out}/\n" and live.request_count == 1
        partial = runner.invoke(app, ["record", str(report), str(broken), "--out", str(tmp_path / "fx2")])
    assert partial.exit_code == 1 and partial.stderr == f"{broken}: empty\n"
    [fixture] = out.glob("*.json")
    assert TEST_KEY not in fixture.read_text(encoding="utf-8")
    with FakeLLM(out) as replay:  # what was recorded answers the same request again
        monkeypatch.setenv("OPENAI_BASE_URL", replay.base_url)
        replayed = runner.invoke(app, ["summarize", str(report), "--backend", "llm", "--no-cache", "-o", str(tmp_path / "s")])
    assert replayed.exit_code == 0, replayed.stderr
    monkeypatch.delenv("DRAFTER_MODEL")
    assert runner.invoke(app, ["record", str(report), "--out", str(out)]).exit_code == 2
