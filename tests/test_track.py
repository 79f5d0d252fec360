"""`drafter track`: 兴宁市's 2024 commitments followed into a hand-written 2025 follow-up (tests/data/xingning-2025.txt),
against hand-labelled gold (tests/data/xingning-2024-2025.track-gold.json), with plans as today's coarse items and
as one item per promise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from track_samples import GOLD, NEXT, PRIOR, ROOT, per_promise
from typer.testing import CliRunner

from drafter.cli import app
from drafter.errors import DrafterError
from drafter.extract.areas import classify_area
from drafter.models import Item
from drafter.track import content_bigrams, load_with_text, progress_verb, track


@pytest.fixture(scope="module")
def pair():
    prior, prior_text = load_with_text(PRIOR)
    nxt, next_text = load_with_text(NEXT)
    return prior, prior_text, nxt, next_text


def assert_grounded(tracking, prior_text, next_text):
    for c in tracking.commitments:
        assert prior_text[c.commitment.start:c.commitment.end] == c.commitment.quote
        if c.evidence:
            assert next_text[c.evidence.start:c.evidence.end] == c.evidence.quote
    for r in tracking.repeated_problems:
        assert prior_text[r.prior.start:r.prior.end] == r.prior.quote
        assert next_text[r.next.start:r.next.end] == r.next.quote


def test_one_item_per_promise_matches_the_hand_labels(pair):
    prior, prior_text, nxt, next_text = pair
    tracking = track(per_promise(prior, prior_text), prior_text, nxt, next_text)
    assert_grounded(tracking, prior_text, next_text)
    got = [(c.commitment.quote, c.status) for c in tracking.commitments]
    assert got == [(p["quote"], p["status"]) for p in GOLD["promises"]]
    for c, promise in zip(tracking.commitments, GOLD["promises"]):
        if "evidence" in promise:
            assert promise["evidence"] in c.evidence.quote
        else:
            assert c.evidence is None
    assert tracking.counts == {"done": 3, "partial": 2, "not_found": 5}


def test_the_rules_backends_own_plan_items_match_the_hand_labels(pair):
    """The extractor cuts 2024's plans one promise each, headings and lead-in included: each as labelled."""
    prior, prior_text, nxt, next_text = pair
    tracking = track(prior, prior_text, nxt, next_text)
    assert_grounded(tracking, prior_text, next_text)
    assert [(c.commitment.quote, c.status) for c in tracking.commitments] == [
        (i["quote"], i["status"]) for i in GOLD["items"]]
    for c, want in zip(tracking.commitments, GOLD["items"]):
        assert (want["evidence"] in c.evidence.quote) if "evidence" in want else c.evidence is None
    # "持续完善…决策管理制度" and "提高合法性审查质量" are one 2024 sentence, reported in one 2025 sentence: the 出台
    # there is the progress word of both, though only one of them names the 规定.
    assert [c.verb for c in tracking.commitments if c.commitment.quote.startswith(("持续完善", "提高合法"))] == ["出台"] * 2
    # 2025's own plans repeat 行政执法 and 三项制度; a promise made again is no evidence of one kept.
    assert all(c.evidence.part == "measures" for c in tracking.commitments if c.evidence)


def coarse(prior, prior_text):
    """PRIOR with one plan item per plans section, its heading and first sentence, as older backends gave."""
    items = []
    for section in (s for s in prior.sections if s.part == "plans" and s.style == "paren"):
        end = prior_text.index("。", section.heading_end) + 1
        items.append(Item(quote=prior_text[section.start:end], start=section.start, end=end, title="t", summary="s",
                          section=section.id, area=classify_area(prior_text[section.start:end]), part="plans"))
    return prior.model_copy(update={"plans": items})


def test_coarse_plan_items_done_under_way_and_left_out(pair):
    prior, prior_text, nxt, next_text = pair
    tracking = track(coarse(prior, prior_text), prior_text, nxt, next_text)
    assert_grounded(tracking, prior_text, next_text)
    assert len(tracking.commitments) == len(GOLD["sections"]) == 3
    for c, want in zip(tracking.commitments, GOLD["sections"]):
        assert c.commitment.quote.startswith(want["heading"])
        assert c.status == want["status"]
        assert want["evidence"] in c.evidence.quote
    # 2025's own plans repeat 行政执法 and 三项制度; a promise made again is no evidence of one kept.
    assert all(c.evidence.part == "measures" for c in tracking.commitments)


def test_the_repeated_problem_is_flagged_and_problems_fixed_in_the_measures_are_not(pair):
    prior, prior_text, nxt, next_text = pair
    tracking = track(prior, prior_text, nxt, next_text)
    [repeated] = tracking.repeated_problems
    want = GOLD["repeated_problems"][0]
    assert want["prior"] in repeated.prior.quote and want["next"] in repeated.next.quote
    assert repeated.next.part == "problems" and "执法不规范" in repeated.next.shared
    # 2025's section (六) says 文件及决策管理 and 政务公开 were fixed: no repeat.
    assert not any(phrase in r.prior.quote for r in tracking.repeated_problems for phrase in GOLD["not_repeated"])


def test_a_report_against_itself_has_no_evidence_outside_measures():
    # Every 2024 plan is in its own plans part only: tracked against itself, nothing is reported done.
    prior, text = load_with_text(PRIOR)
    later = prior.model_copy(update={"meta": prior.meta.model_copy(update={"report_year": 2025})})
    tracking = track(prior, text, later, text)
    assert all(c.evidence is None or c.evidence.part not in ("plans", "problems") for c in tracking.commitments)
    assert len(tracking.repeated_problems) == 3  # each problem is, trivially, stated again


@pytest.mark.parametrize("sentence, status, verb", [
    ("建成全市行政执法信息共享平台", "done", "建成"),
    ("“八五”普法规划顺利通过省级验收", "done", "通过省级验收"),
    ("目前尚未完成平台建设，正在推进", "partial", "推进"),
    ("启动政务公开流程优化工作", "partial", "启动"),
    ("合法性审查质量明显提高", "partial", None),
])
def test_progress_words(sentence, status, verb):
    assert progress_verb(sentence) == (status, verb)


def test_stop_phrases_never_make_bigrams_across_the_cut():
    assert content_bigrams("进一步加强行政执法") == ["行政", "政执", "执法"]
    assert content_bigrams("扎实推进各项工作") == []
    assert content_bigrams("执法,2024规范") == ["执法", "规范"]


def test_two_units_or_a_reversed_pair_are_refused(pair):
    prior, prior_text, nxt, next_text = pair
    other, other_text = load_with_text(ROOT / "seeds" / "zhoucun-2024.txt")
    with pytest.raises(DrafterError, match="PRIOR is 兴宁市, NEXT is 周村区"):
        track(prior, prior_text, other, other_text)
    with pytest.raises(DrafterError, match="earlier than PRIOR .2025.; swap them"):
        track(nxt, next_text, prior, prior_text)
    with pytest.raises(DrafterError, match="both report on 2024"):
        track(prior, prior_text, prior, prior_text)


# ---- the command -------------------------------------------------------------------------------------------------

def test_cli_writes_json_markdown_and_xlsx_and_never_overwrites(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["track", str(PRIOR), str(NEXT), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    stem = tmp_path / "兴宁市-2024-2025"
    data = json.loads(Path(f"{stem}.track.json").read_text(encoding="utf-8"))
    assert [c["status"] for c in data["commitments"]] == [i["status"] for i in GOLD["items"]]
    [repeated] = data["repeated_problems"]
    # The clause of the 2024 paragraph that 2025 states again, not the paragraph's heading or other clauses.
    assert repeated["clause"]["quote"] == "部分执法人员监管不到位、执法不规范、不严格、执法随意性大等问题仍然存在"
    md = Path(f"{stem}.track.md").read_text(encoding="utf-8")
    assert "| 4 | 聚焦法治建设“一规划两纲要”" in md and "部分执法人员执法不规范" in md
    assert "- 上年：部分执法人员监管不到位" in md
    book = load_workbook(f"{stem}.track.xlsx")
    sheet = book["承诺落实"]
    assert sheet.freeze_panes == "A2" and sheet["D5"].value == "已完成" and sheet["D2"].value == "未见报告"
    assert sheet.max_row == len(GOLD["items"]) + 1
    assert "执法随意性大" in book["重复问题"]["C2"].value and book["重复问题"]["A2"].value.startswith("部分执法人员")
    again = runner.invoke(app, ["track", str(PRIOR), str(NEXT), "--out", str(tmp_path)])
    assert again.exit_code == 1 and "exists; use --force" in again.output
    assert runner.invoke(app, ["track", str(PRIOR), str(NEXT), "--out", str(tmp_path), "--force"]).exit_code == 0


def test_cli_takes_summaries_and_gives_one_line_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["summarize", str(PRIOR), str(NEXT), "--out", str(tmp_path), "-q"]).exit_code == 0
    out = tmp_path / "track"
    result = runner.invoke(app, ["track", str(tmp_path / "xingning-2024.summary.json"),
                                 str(tmp_path / "xingning-2025.summary.json"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "兴宁市-2024-2025.track.json").exists()
    bad = runner.invoke(app, ["track", str(PRIOR), str(ROOT / "seeds" / "zhoucun-2024.txt"), "--out", str(out)])
    assert bad.exit_code == 1 and bad.output.strip().count("\n") == 0 and "track follows one unit" in bad.output
    missing = runner.invoke(app, ["track", str(tmp_path / "nope.txt"), str(NEXT), "--out", str(out)])
    assert missing.exit_code == 1 and "nope.txt: no such file" in missing.output


def test_a_summary_whose_report_moved_or_changed_is_refused(tmp_path):
    summary, _ = load_with_text(PRIOR)
    moved = summary.model_copy(update={"provenance": summary.provenance.model_copy(update={"source": "gone/x.txt"})})
    (tmp_path / "moved.summary.json").write_text(moved.model_dump_json(), encoding="utf-8")
    with pytest.raises(DrafterError, match=r"^source report gone/x.txt not found \(looked in "):
        load_with_text(tmp_path / "moved.summary.json")
    changed = summary.model_copy(update={"provenance": summary.provenance.model_copy(update={"sha256": "0" * 64})})
    (tmp_path / "changed.summary.json").write_text(changed.model_dump_json(), encoding="utf-8")
    with pytest.raises(DrafterError, match="changed since it was summarised"):
        load_with_text(tmp_path / "changed.summary.json")


def test_a_second_pair_in_one_line_layout_matches_its_hand_labels():
    gold = json.loads((ROOT / "tests" / "data" / "zhoucun-2024-2025.track-gold.json").read_text(encoding="utf-8"))
    prior, prior_text = load_with_text(ROOT / "seeds" / "zhoucun-2024.txt")
    nxt, next_text = load_with_text(ROOT / "tests" / "data" / "zhoucun-2025.txt")
    seed_gold = json.loads((ROOT / "gold" / "seeds" / "zhoucun-2024.gold.json").read_text(encoding="utf-8"))

    def items(kind):
        return [Item(**{k: e[k] for k in ("quote", "start", "end")}, title="t", summary="s",
                     area=classify_area(e["quote"]), part=kind) for e in seed_gold[kind]]

    tracking = track(prior.model_copy(update={"plans": items("plans"), "problems": items("problems")}),
                     prior_text, nxt, next_text)
    assert_grounded(tracking, prior_text, next_text)
    assert [c.status for c in tracking.commitments] == [p["status"] for p in gold["promises"]]
    for c, promise in zip(tracking.commitments, gold["promises"]):
        assert (promise["evidence"] in c.evidence.quote) if "evidence" in promise else c.evidence is None
    # The title heading "（一）规范行政决策。" and the preamble are never evidence.
    assert all(not c.evidence or not c.evidence.quote.startswith(("(", "2025年,周村区")) for c in tracking.commitments)
    [repeated] = tracking.repeated_problems
    want = gold["repeated_problems"][0]
    assert want["prior"] in repeated.prior.quote and want["next"] in repeated.next.quote
    assert not any(p in r.prior.quote for r in tracking.repeated_problems for p in gold["not_repeated"])


def test_the_progress_word_is_read_where_the_sentence_speaks_of_the_commitment(pair):
    prior, prior_text, nxt, _ = pair
    text = ("一、主要举措和成效\n（一）推进政务公开\n启动政务公开流程优化工作，逐步规范信息发布和更新，政府网站巡检制度已建立。\n"
            "二、存在的不足\n（一）仍有不足\n个别单位答复不及时。\n")
    from llm_helpers import document

    import drafter

    later = drafter.summarize(document(text)).model_copy(update={"meta": nxt.meta})
    tracking = track(per_promise(prior, prior_text), prior_text, later, text)
    open_government = tracking.commitments[4]  # 优化政务公开流程,加强信息发布和更新,…
    assert open_government.status == "partial" and open_government.verb == "启动"


def test_a_promise_too_short_to_tell_apart_is_read_with_its_section_heading():
    from llm_helpers import document

    import drafter

    prior_text = ("一、主要举措和成效\n（一）推进依法行政\n全年审查规范性文件12件。\n二、存在的不足\n（一）执法不规范\n个别执法人员执法不规范。\n"
                  "三、下一步工作安排\n（一）压实第一责任人职责\n抓好述法。\n")
    next_text = ("一、主要举措和成效\n（一）履职尽责\n区政府主要负责人切实履行第一责任人职责，带头述法。\n（二）普法\n开展宪法宣传活动。\n"
                 "二、存在的不足\n（一）仍有不足\n个别单位答复不及时。\n")
    prior = drafter.summarize(document(prior_text))
    nxt = drafter.summarize(document(next_text)).model_copy(update={"meta": prior.meta.model_copy(update={
        "report_year": (prior.meta.report_year or 2024) + 1})})
    start = prior_text.index("抓好述法")
    section = next(s for s in prior.sections if s.heading.endswith("压实第一责任人职责"))
    promise = Item(quote="抓好述法", start=start, end=start + 4, title="t", summary="s", section=section.id, part="plans")
    # "述法" alone is one bigram, no promise of its own; the heading says whose duty it is.
    [c] = track(prior.model_copy(update={"plans": [promise]}), prior_text, nxt, next_text).commitments
    assert c.status == "partial" and c.evidence.quote == "区政府主要负责人切实履行第一责任人职责，带头述法。"
    loose = promise.model_copy(update={"section": None})
    [c] = track(prior.model_copy(update={"plans": [loose]}), prior_text, nxt, next_text).commitments
    assert c.status == "not_found" and c.evidence is None


def test_commitment_status_gives_each_prior_plan_by_its_span(pair):
    from drafter.track import commitment_status

    prior, prior_text, nxt, next_text = pair
    status = commitment_status(prior, prior_text, nxt, next_text)
    assert list(status) == [(i.start, i.end) for i in prior.plans]
    first_done = next(i for i in GOLD["items"] if i["status"] == "done")
    item = next(i for i in prior.plans if i.quote == first_done["quote"])
    assert status[(item.start, item.end)].status == "done"
    assert first_done["evidence"] in status[(item.start, item.end)].evidence.quote
    with pytest.raises(DrafterError, match="swap them"):
        commitment_status(nxt, next_text, prior, prior_text)


def test_the_second_pair_with_the_rules_backends_own_items_agrees_with_the_promise_labels():
    """周村's plan items as the extractor cuts them (one per promise, headings too), against the hand labels of the
    gold clauses they lie in: an item gets its clause's status or, when 2025 speaks of another promise of that
    clause, not_found; every clause reported done or under way has an item that says so; nothing else is done."""
    gold = json.loads((ROOT / "tests" / "data" / "zhoucun-2024-2025.track-gold.json").read_text(encoding="utf-8"))
    prior, prior_text = load_with_text(ROOT / "seeds" / "zhoucun-2024.txt")
    nxt, next_text = load_with_text(ROOT / "tests" / "data" / "zhoucun-2025.txt")
    tracking = track(prior, prior_text, nxt, next_text)
    assert_grounded(tracking, prior_text, next_text)
    labelled = [(prior_text.index(p["quote"]), prior_text.index(p["quote"]) + len(p["quote"]), p) for p in gold["promises"]]
    seen = set()
    for c in tracking.commitments:
        promise = next((p for a, b, p in labelled if a <= c.commitment.start and c.commitment.end <= b), None)
        if promise is None:  # a section heading ("加强党的领导"): a theme, never a kept promise
            assert c.status != "done", c.commitment.quote
            continue
        assert c.status in (promise["status"], "not_found"), (c.commitment.quote, c.status)
        if c.status == promise["status"] != "not_found":
            seen.add(promise["quote"])
    assert seen == {p["quote"] for p in gold["promises"] if p["status"] != "not_found"}
    assert sum(c.status == "done" for c in tracking.commitments) == 8  # 示范项目 ×3, 决策程序, 八五普法 ×4
