"""`drafter draft --llm`: section prose from the model, checked so that no figure is invented.

Replay of the curated fixtures (fixtures/draft/) over the loopback fake server, the figure check itself, re-asks,
a clear failure with nothing written, batching, the cache, and the CLI end to end.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from draft_samples import chuxiong_2024, diaobingshan_2022, fill, ruzhou_2023, xingning_2024, zhoucun_2024
from drafter.drafting.check import check_markdown
from drafter.cli import app
from drafter.drafting.compose import PLACEHOLDER_RE, compose_draft, prose_plan
from drafter.errors import DrafterError
from drafter.llm.config import UsageLedger
from drafter.replay.fake_server import FakeLLM, arguments_of
from drafter.llm.prompt import estimate_tokens, report_in
from drafter.replay.wire import chunk_digest
from drafter.drafting.prose import (
    MATERIAL_TAG,
    PROMPT_VERSION,
    build_messages,
    compose_with_prose,
    paragraph_figures,
    plan_batches,
)
from llm_helpers import CURATED_MODEL, ROOT, TEST_KEY, settings_for

FIXTURES = ROOT / "fixtures" / "draft"
SAMPLES = {"xingning-2024": xingning_2024, "diaobingshan-2022": diaobingshan_2022, "chuxiong-2024": chuxiong_2024,
           "ruzhou-2023": ruzhou_2023, "zhoucun-2024": zhoucun_2024}
FIVE_PARTS = ("## 一、", "## 二、存在的不足和原因", "## 三、党政主要负责人", "## 四、", "## 五、其他需要报告的情况")


def curated(stem: str) -> dict:
    return json.loads(arguments_of(json.loads((FIXTURES / f"{stem}.json").read_text(encoding="utf-8"))["response"]))


def with_paragraph(answer: dict, key: str, paragraph: str) -> dict:
    """The answer with the first paragraph of section `key` replaced."""
    sections = [dict(s, paragraphs=[paragraph, *s["paragraphs"][1:]]) if s["key"] == key else s
                for s in answer["sections"]]
    return {"sections": sections}


def run(server: FakeLLM, tmp_path: Path, summary_maker=xingning_2024, ledger=None, **overrides):
    settings = settings_for(server, tmp_path / "cache", **overrides)
    return compose_with_prose([summary_maker()], settings, use_cache=False, ledger=ledger)


# ---- the figure check --------------------------------------------------------------------------------------------

def disputes_slot():
    plan = prose_plan([xingning_2024()])
    return next(s for s in plan.slots if s.key == "measures.disputes"), plan


YEARS = frozenset({2024, 2025, 2026})


def test_baseline_with_its_year_is_a_source_and_is_returned_for_citation():
    slot, _ = disputes_slot()
    used, stray = paragraph_figures("2025年，新收行政复议案件【待填】件（2024年：218件）。", slot, 2024, YEARS)
    assert stray == []
    assert [(m.label, m.value, m.quote) for m in used] == [("新收行政复议案件", 218, "新收行政复议案件218件")]


@pytest.mark.parametrize("text, named", [
    ("2025年新收行政复议案件218件。", "'218'：这是2024年的数据"),  # the right figure under the wrong year
    ("新收行政复议案件218件。", "'218'：这是2024年的数据"),  # no year at all
    ("2024年新收行政复议案件356件。", "'356'：材料中没有这个数字"),  # invented
    ("2024年218件，同比增长12%。", "'12'：材料中没有这个数字"),  # a rate the material does not give
    ("开展两次集中培训【待填】。", "'两'：材料中没有这个数字"),  # a Chinese count
    ("新增三项制度以外的十二项措施。", "'十二'：材料中没有这个数字"),
    ("新收案件XX件。", "占位符格式不对：'XX'"),
    ("新收案件【数量】件。", "占位符格式不对：'【数量】'"),
])
def test_stray_figures_are_named(text, named):
    slot, _ = disputes_slot()
    _, stray = paragraph_figures(text, slot, 2024, YEARS)
    assert len(stray) == 1 and stray[0].startswith(named), stray


def test_years_ordinals_placeholders_fixed_terms_and_quoted_names_are_not_figures():
    slot, _ = disputes_slot()
    material = "- 聚焦经济建设主战场,在法治建设助力“全面振兴新突破三年行动”上下功夫"
    text = ("2025年，一是落实行政执法三项制度，二是办好12345热线；第一，（一）（2）【待填：2025年新收案件数，较2024年增长几成】件；"
            "助力“全面振兴新突破三年行动”。")
    assert paragraph_figures(text, slot, 2024, YEARS, material) == ([], [])
    # The same name not in the material is not a name the model may use.
    assert paragraph_figures("助力“两年行动”。", slot, 2024, YEARS, material)[1] == ["'两'：材料中没有这个数字，应删去或写成【待填】"]
    # A year the request does not name is a figure like any other.
    assert paragraph_figures("2019年以来【待填】。", slot, 2024, YEARS)[1][0].startswith("'2019'")


def test_a_figure_written_with_wan_matches_its_scaled_baseline():
    plan = prose_plan([xingning_2024()])
    leadership = next(s for s in plan.slots if s.key == "leadership")
    used, stray = paragraph_figures("普法汇演线上互动观众【待填】人次（2024年：超16万人次）。", leadership, 2024, YEARS)
    assert stray == [] and [m.value for m in used] == [160000]


# ---- replay of the curated fixtures ----------------------------------------------------------------------------

@pytest.mark.parametrize("stem", SAMPLES)
def test_fixture_is_keyed_by_the_material_the_request_carries(stem):
    fixture = json.loads((FIXTURES / f"{stem}.json").read_text(encoding="utf-8"))
    plan = prose_plan([SAMPLES[stem]()])
    material = report_in(build_messages(plan, plan.slots)[1]["content"], MATERIAL_TAG)
    assert fixture["fingerprint"] == {"model": CURATED_MODEL, "prompt_version": PROMPT_VERSION,
                                      "chunk_sha256": chunk_digest(material), "turn": 0}
    assert [s["key"] for s in curated(stem)["sections"]] == [s.key for s in plan.slots]
    assert TEST_KEY not in json.dumps(fixture) and "authorization" not in json.dumps(fixture).lower()


@pytest.mark.parametrize("stem", SAMPLES)
def test_replayed_draft_keeps_its_structure_and_every_number_in_the_prose_is_sourced(stem, tmp_path):
    summary = SAMPLES[stem]()
    ledger = UsageLedger()
    with FakeLLM(FIXTURES) as server:
        draft = compose_with_prose([summary], settings_for(server, tmp_path, model=CURATED_MODEL), ledger=ledger)
    assert server.request_count == 1 and ledger.total.requests == 1  # one call per draft
    rules = compose_draft([summary])
    lines = draft.markdown.splitlines()
    # Five parts in order; the same sources and the same rule-based reference lines as the rule-based draft.
    positions = [next(i for i, line in enumerate(lines) if line.startswith(h)) for h in FIVE_PARTS]
    assert positions == sorted(positions)
    # Every source the rule-based draft cites, plus the baselines the prose quotes.
    assert {(n.start, n.end) for n in rules.sources} <= {(n.start, n.end) for n in draft.sources}
    assert [line for line in lines if line.startswith("### ")] == [line for line in rules.markdown.splitlines()
                                                                  if line.startswith("### ")]
    prior = summary.meta.report_year
    notes = {n.number: n for n in draft.sources}
    prose = [p for s in curated(stem)["sections"] for p in s["paragraphs"]]
    for paragraph in prose:
        line = next(line for line in lines if line.startswith(paragraph.rstrip("。")))
        cited = [notes[int(n)].quote for n in re.findall(r"\[\^(\d+)\]", line)]
        # Every Arabic figure outside placeholders is a year or a figure of a source quote the line cites.
        years = {str(prior), str(draft.year), str(draft.year + 1)}
        for figure in re.findall(r"\d+(?:\.\d+)?", PLACEHOLDER_RE.sub("", re.sub(r"\[\^\d+\]", "", line))):
            assert figure in years or any(figure in q for q in cited), (figure, line)
    # The opening placeholders of the written sections are gone; the checklist counts the model's placeholders.
    assert f"【待填：{draft.year}年本领域主要举措和成效】" not in draft.markdown
    assert len(draft.placeholders) == len(PLACEHOLDER_RE.findall(draft.markdown.split("## 待填事项清单")[0]))
    findings = {f.code for f in check_markdown(draft.markdown).findings}
    assert not findings & {"figure-without-source", "baseline-not-in-source", "missing-part", "part-order"}
    assert check_markdown(fill(draft.markdown)).ok  # once the writer fills the placeholders, the draft passes


def test_xingning_prose_cites_the_baselines_it_quotes(tmp_path):
    with FakeLLM(FIXTURES) as server:
        draft = compose_with_prose([xingning_2024()], settings_for(server, tmp_path, model=CURATED_MODEL))
    line = next(line for line in draft.markdown.splitlines() if line.startswith("2025年，我市继续发挥行政复议"))
    mark = re.search(r"新收行政复议案件【待填】件（2024年：218件）\[\^(\d+)\]。$", line)
    note = next(n for n in draft.sources if n.number == int(mark.group(1)))
    assert (note.quote, note.source.endswith("xingning-2024.txt")) == ("新收行政复议案件218件", True)
    # The indicator the prose quotes is listed under it once more, with the same source.
    assert f"1. 新收行政复议案件【待填】件（2024年：218件）[^{mark.group(1)}]。" in draft.markdown


def cited_quotes(draft, line: str) -> list[str]:
    notes = {n.number: n.quote for n in draft.sources}
    return [notes[int(n)] for n in re.findall(r"\[\^(\d+)\]", line)]


def test_ruzhou_prose_may_name_the_year_first_and_leaves_the_parts_the_report_lacks_to_the_rules(tmp_path):
    with FakeLLM(FIXTURES) as server:
        draft = compose_with_prose([ruzhou_2023()], settings_for(server, tmp_path, model=CURATED_MODEL))
    lines = draft.markdown.splitlines()
    line = next(line for line in lines if line.startswith("2024年，我市按照《汝州市人民政府关于改革完善应急管理体系的通知》"))
    assert "。2023年应急普查共采集数据3649条，【待填：2024年普查成果应用情况】；" in line
    # The quote keeps the seed's space ("3649 条"); the prose writes the figure without it.
    assert cited_quotes(draft, line) == ["共采集3649 条数据", "共开展各类应急演练180余次"]
    # The 2023 report has neither problems nor plans: no slot for them, so parts 二 and 四 stay rule-based.
    part2 = draft.markdown.split("## 二、")[1].split("## 三、")[0]
    assert "整改情况" not in part2 and "【待填：2025年主要安排】。" in lines


def test_zhoucun_prose_cites_decimal_and_wan_figures_and_writes_next_years_plans(tmp_path):
    with FakeLLM(FIXTURES) as server:
        draft = compose_with_prose([zhoucun_2024()], settings_for(server, tmp_path, model=CURATED_MODEL))
    lines = draft.markdown.splitlines()
    line = next(line for line in lines if line.startswith("2025年，我区持续深化“高效办成一件事”改革"))
    assert line.endswith("“齐好办·金融管家”授信【待填】亿元（2024年：7.45亿元），“远程电子勘验”办件量【待填】件（2024年：4万余件）"
                         "[^1][^2][^3]。")
    assert cited_quotes(draft, line) == ["项目审批一次性办结率达95%以上", "授信7.45亿元", "办件量4万余件"]
    plans = lines.index("## 四、2026年推进法治政府建设的主要安排")
    assert lines[plans:].index("### （二）行政决策") + 2 == lines[plans:].index(
        "2026年，我区将继续严格落实重大行政决策程序制度和行政规范性文件合法性审核机制，【待填：2026年具体安排】。")


# ---- re-asks and failures --------------------------------------------------------------------------------------

def test_a_fabricated_figure_is_reasked_naming_it_then_corrected(tmp_path):
    good = curated("xingning-2024")
    bad = with_paragraph(good, "measures.disputes",
                         "2025年，我市新收行政复议案件356件，比2024年增长【待填】，全年开展两次专项培训【待填】。")
    with FakeLLM(script=[bad, good]) as server:
        draft = run(server, tmp_path)
    assert server.request_count == 2
    reask = server.requests[1]["messages"]
    assert reask[-2]["role"] == "assistant"
    assert "sections[5]（measures.disputes）.paragraphs[0] '356'：材料中没有这个数字" in reask[-1]["content"]
    assert "'两'：材料中没有这个数字" in reask[-1]["content"]
    assert "356" not in draft.markdown and "两次专项培训" not in draft.markdown
    assert "2025年，我市继续发挥行政复议化解行政争议主渠道作用" in draft.markdown


def test_a_missing_section_and_a_section_without_placeholder_are_reasked(tmp_path):
    good = curated("chuxiong-2024")
    no_gap = with_paragraph(good, "leadership", "党政主要负责人认真履行推进法治建设第一责任人职责。")
    missing = {"sections": good["sections"][1:]}
    with FakeLLM(script=[missing, no_gap, good]) as server:
        draft = run(server, tmp_path, chuxiong_2024)
    first, second = (server.requests[i]["messages"][-1]["content"] for i in (1, 2))
    assert "sections 的 key 须与材料各节一一对应：缺少 measures.leadership" in first
    assert "sections[2]（leadership） 没有【待填】占位符" in second
    assert "统筹高位推动法治政府建设" in draft.markdown


def test_fabricated_every_time_fails_clearly_after_the_reasks(tmp_path):
    bad = with_paragraph(curated("chuxiong-2024"), "measures.publicity", "2025年培训“法律明白人”1200名【待填】。")
    ledger = UsageLedger()
    with FakeLLM(script=[bad] * 5) as server:
        with pytest.raises(DrafterError) as failure:
            run(server, tmp_path, chuxiong_2024, ledger=ledger, reasks=2)
    assert server.request_count == 3 and ledger.total.requests == 3
    assert str(failure.value) == (
        "llm draft: model answer rejected after 3 attempt(s): 1 figure neither a source figure with its year nor "
        "a placeholder, first: sections[1]（measures.publicity）.paragraphs[0] '1200'：材料中没有这个数字，应删去或写成【待填】"
    )


# ---- batching and cache ----------------------------------------------------------------------------------------

def test_one_call_per_draft_costs_less_than_one_per_section():
    plan = prose_plan([xingning_2024()])
    whole = sum(estimate_tokens(m["content"]) for m in build_messages(plan, plan.slots))
    per_section = sum(estimate_tokens(m["content"]) for s in plan.slots for m in build_messages(plan, [s]))
    assert len(plan.slots) == 14
    assert per_section > 4 * whole  # the system prompt alone is sent 14 times, before any tool schema


def test_a_small_budget_splits_the_sections_into_batches_that_still_cover_the_draft(tmp_path):
    plan = prose_plan([xingning_2024()])
    batches = plan_batches(plan, 500)
    assert len(batches) > 1 and [s.key for b in batches for s in b] == [s.key for s in plan.slots]
    by_key = {s["key"]: s for s in curated("xingning-2024")["sections"]}
    script = [{"sections": [by_key[s.key] for s in batch]} for batch in batches]
    with FakeLLM(script=script) as server:
        draft = run(server, tmp_path, chunk_tokens=500)
    assert server.request_count == len(batches)
    with FakeLLM(FIXTURES) as server:
        whole = compose_with_prose([xingning_2024()], settings_for(server, tmp_path, model=CURATED_MODEL),
                                   use_cache=False)
    assert draft.markdown == whole.markdown


# ---- the command line ------------------------------------------------------------------------------------------

def write_sample(tmp_path: Path) -> Path:
    path = tmp_path / "xingning-2024.summary.json"
    path.write_text(xingning_2024().model_dump_json(), encoding="utf-8")
    return path


def cli_env(server: FakeLLM, tmp_path: Path) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": TEST_KEY, "DRAFTER_MODEL": CURATED_MODEL,
            "DRAFTER_CACHE_DIR": str(tmp_path / "cache"), "DRAFTER_BACKOFF_INITIAL": "0.001"}


def test_cli_draft_llm_end_to_end_then_from_the_cache(tmp_path):
    summary_path, out = write_sample(tmp_path), tmp_path / "out"
    runner = CliRunner()
    with FakeLLM(FIXTURES) as server:
        env = cli_env(server, tmp_path)
        result = runner.invoke(app, ["draft", str(summary_path), "--llm", "--out", str(out)], env=env)
        assert result.exit_code == 0, result.output
        assert server.request_count == 1
        again = runner.invoke(app, ["draft", str(summary_path), "--llm", "--out", str(out), "--force"], env=env)
        assert again.exit_code == 0 and server.request_count == 1  # served from the cache
        rules = runner.invoke(app, ["draft", str(summary_path), "--out", str(tmp_path / "rules")], env=env)
        assert rules.exit_code == 0 and server.request_count == 1  # without --llm the model is never asked
    written = out / "兴宁市-2025年度法治政府建设情况报告-草稿.md"
    assert f"wrote {written}" in result.output
    assert re.search(r"llm usage: 1 requests, \d+ prompt \+ \d+ completion tokens", result.output)
    assert "llm usage: 0 requests" in again.output
    markdown = written.read_text(encoding="utf-8")
    assert "组织应急演练【待填】场次（2024年：7场次）[^" in markdown
    rule_markdown = next((tmp_path / "rules").glob("*-草稿.md")).read_text(encoding="utf-8")
    assert "组织应急演练" not in rule_markdown and "【待填：2025年本领域主要举措和成效】" in rule_markdown


def test_cli_fabricating_model_fails_in_one_line_and_writes_nothing(tmp_path):
    bad = with_paragraph(curated("xingning-2024"), "measures.functions", "2025年上线“一件事”事项【待填】，办结率达到98%。")
    summary_path, out = write_sample(tmp_path), tmp_path / "out"
    with FakeLLM(script=[bad] * 3) as server:
        result = CliRunner().invoke(app, ["draft", str(summary_path), "--llm", "--out", str(out)],
                                    env={**cli_env(server, tmp_path), "DRAFTER_REASKS": "2"})
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "draft: llm draft: model answer rejected after 3 attempt(s): 1 figure neither a source figure with its year "
        "nor a placeholder, first: sections[0]（measures.functions）.paragraphs[0] '98'：材料中没有这个数字，应删去或写成【待填】"
    )
    assert not out.exists() or not list(out.iterdir())
    assert "Traceback" not in result.output


def test_the_request_carries_each_sections_commitments_and_standard_indicators():
    plan = prose_plan([xingning_2024()])
    material = report_in(build_messages(plan, plan.slots)[1]["content"], MATERIAL_TAG)
    disputes = material.split("[measures.disputes]")[1].split("\n\n")[0]
    assert "2024年数据·标准指标（草稿在本节之后逐项列出；可引用，须写明“2024年”）：\n- 新收行政复议案件：218件" in disputes
    assert "2024年数据（可引用" not in disputes  # its only figure is the indicator: not listed twice
    rules = material.split("[measures.rules]")[1].split("\n\n")[0]
    assert "2024年报告所列2025年安排（须回应落实情况）：\n- 扎实推进各项工作。持续完善政府治理制度和决策管理制度,提高合法性审查质量" in rules
    emergency = material.split("[measures.emergency]")[1].split("\n\n")[0]
    # 应急演练 is a catalogue indicator (emergency_drills, drafter/data/indicators/v1.json): listed once, as one.
    assert "2024年数据·标准指标（草稿在本节之后逐项列出；可引用，须写明“2024年”）：\n- 应急演练：7场次" in emergency
    assert "2024年数据（可引用" not in emergency
