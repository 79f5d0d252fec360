"""The safety nets, each pinned by its behaviour: odd/even page numbers, which HTTP failures are retried, the
Retry-After cap, quote alignment near its chunk, the refusal of unmatched quotes, atomic and paired writes,
per-input isolation of bugs, the report-year fallbacks, de-duplication of model facts, and secret scrubbing."""

from __future__ import annotations

import io
import json
import os
import re
import time
import zipfile
from pathlib import Path

import pytest
from draft_samples import xingning_2024
from llm_helpers import GOOD_ANSWER, REPORT, REPORT_SECTIONS, TEST_KEY, document, section, settings_for

import drafter
from drafter.batch import run_each
from drafter.drafting.compose import compose_draft
from drafter.drafting.docx import render_docx
from drafter.errors import DrafterError
from drafter.extract.llm import Facts, extract_facts, merge
from drafter.extract.meta import extract_meta
from drafter.files import write_atomic
from drafter.ground import Aligner
from drafter.llm.config import LLM, load_settings
from drafter.extract.llm.prompt import plan_chunks
from drafter.llm.secrets import REDACTED, redact
from drafter.models import Document, Item, Metric, SourceInfo
from drafter.pipeline import verify
from drafter.replay.fake_server import FakeLLM, Fault
from drafter.summary import write_summary

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


# ---- page numbers: odd pages right, even pages left (GB/T 9704-2012 7.5) -----------------------------------

def test_the_default_footer_is_the_odd_one_right_aligned_and_the_even_footer_is_left_aligned():
    with zipfile.ZipFile(io.BytesIO(render_docx(compose_draft([xingning_2024()]).markdown))) as z:
        document_xml = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
        targets = {m["id"]: m["target"] for m in re.finditer(r'<Relationship\b(?=[^>]*\bId="(?P<id>\w+)")'
                                                                r'(?=[^>]*\bTarget="(?P<target>footer\d*\.xml)")', rels)}

        def footer(kind: str) -> str:
            rid = re.search(rf'<w:footerReference w:type="{kind}" r:id="(\w+)"', document_xml).group(1)
            return z.read(f"word/{targets[rid]}").decode()

        odd, even = footer("default"), footer("even")
    # Odd pages: flush right, one character (14 pt = 280 twips) in from the right edge; even pages mirrored.
    assert re.search(r'<w:ind w:right="280"/><w:jc w:val="right"/>', odd)
    assert re.search(r'<w:ind w:left="280"/><w:jc w:val="left"/>', even)
    for xml in (odd, even):
        assert "PAGE" in xml and "— " in xml and " —" in xml


# ---- HTTP failures: which are retried, which fail at once -----------------------------------------------------

class StatusLLM(FakeLLM):
    """The fake endpoint answering `status` to the first `times` requests, then as scripted."""

    def __init__(self, status: int, times: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.status, self.times = status, times

    def answer(self, body, headers):
        with self._lock:
            failing = self.times > 0
            self.times -= failing
            if failing:
                self.requests.append(body)
                self.headers.append(headers)
        if failing:
            error = {"error": {"message": f"status {self.status}", "type": "test"}}
            return self.status, {}, json.dumps(error).encode(), 0.0
        return super().answer(body, headers)


def extract(server: FakeLLM, tmp_path: Path, **overrides) -> Facts:
    settings = settings_for(server, tmp_path / "cache", **overrides)
    return extract_facts(document(REPORT), REPORT_SECTIONS, LLM(settings, use_cache=False))


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_then_succeed(tmp_path, status):
    with StatusLLM(status, 2, script=[GOOD_ANSWER]) as server:
        facts = extract(server, tmp_path, http_attempts=3)
    assert server.request_count == 3 and len(facts.items) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_fail_at_once(tmp_path, status):
    with StatusLLM(status, 5, script=[GOOD_ANSWER]) as server:
        with pytest.raises(DrafterError, match=rf"\b{status}\b") as failure:
            extract(server, tmp_path, http_attempts=5)
    assert server.request_count == 1
    assert "gave up" not in str(failure.value)


def test_retry_after_within_the_cap_is_waited_and_beyond_it_fails_at_once_naming_the_wait(tmp_path):
    with FakeLLM(script=[Fault("429", retry_after=1), GOOD_ANSWER]) as server:
        started = time.monotonic()
        facts = extract(server, tmp_path, retry_after_max=2)
        waited = time.monotonic() - started
    assert server.request_count == 2 and len(facts.items) == 2
    assert 1 <= waited < 3  # the second asked for waits what the server asked
    with FakeLLM(script=[Fault("429", retry_after=4), GOOD_ANSWER]) as server:
        started = time.monotonic()
        with pytest.raises(DrafterError, match=r"asks to wait 4s \(Retry-After\), more than DRAFTER_RETRY_AFTER_MAX"):
            extract(server, tmp_path, retry_after_max=0.2)
        assert time.monotonic() - started < 1 and server.request_count == 1


# ---- quotes are aligned near where they were quoted ----------------------------------------------------------

def test_a_repeated_sentence_is_aligned_to_the_occurrence_at_or_after_the_hint():
    text = "一、工作\n坚持依法行政。推进公正文明执法。\n二、计划\n坚持依法行政。加强监督。\n"
    second = text.rindex("坚持依法行政。")
    aligner = Aligner(text)
    span, status = aligner.align("坚持依法行政。", hint=text.index("二、"))
    assert (span.start, status) == (second, "exact")
    assert aligner.align("坚持依法行政。")[0].start == text.index("坚持依法行政。")
    # after normalisation too (a half-width comma, spaces), and back to the first one past the last occurrence
    text2 = "坚持依法行政，推进执法。其他。坚持依法行政，推进执法。"
    span, status = Aligner(text2).align("坚持依法行政, 推进执法。", hint=10)
    assert (span.start, status) == (text2.rindex("坚持"), "normalized")
    assert Aligner(text2).align("坚持依法行政。推进执法", hint=len(text2)) is None
    assert Aligner(text).align("坚持依法行政。", hint=second + 1)[0].start == text.index("坚持依法行政。")


def test_each_chunk_of_a_long_report_grounds_its_repeated_sentence_in_itself(tmp_path):
    numerals = "一二三四五六七八"
    text, sections = "", []
    for n in range(8):
        start = len(text)
        heading = f"{numerals[n]}、第{n + 1}方面工作\n"
        body = "坚持依法行政。" + "".join(f"第{n + 1}方面第{k}项办理事项{n * 100 + k}件。" for k in range(14)) + "\n"
        text += heading + body
        sections.append(section(str(n + 1), heading.strip(), start, len(text), part="measures"))
    chunks = plan_chunks(text, sections, 700)
    assert len(chunks) >= 3
    answer = {"items": [{"part": "measures", "title": "依法行政", "summary": "坚持依法行政", "area": None,
                         "quote": "坚持依法行政。"}], "metrics": []}
    with FakeLLM(script=[answer] * len(chunks)) as server:
        facts = extract_facts(document(text), sections, LLM(settings_for(server, tmp_path, chunk_tokens=700),
                                                            use_cache=False))
    starts = [item.start for item in facts.items]
    assert len(starts) == len(chunks)
    for chunk, start in zip(chunks, starts):
        assert chunk.start <= start < chunk.end  # not the first occurrence in the report for every chunk
        assert text[start:start + 7] == "坚持依法行政。"


# ---- nothing leaves summarize with a quote that is not text[start:end] --------------------------------------

def test_verify_refuses_a_summary_with_a_shifted_quote():
    doc = drafter.read_document(SEEDS / "ruzhou-2023.txt")
    summary = drafter.summarize(doc)
    verify(doc.text, summary)  # the real one passes
    item = summary.measures[0]
    shifted = item.model_copy(update={"start": item.start + 1, "end": item.end + 1})
    bad = summary.model_copy(update={"measures": [shifted, *summary.measures[1:]]})
    with pytest.raises(DrafterError, match=r"^1 quotes do not match the text"):
        verify(doc.text, bad)


def test_summarize_refuses_when_a_backend_returns_an_unmatched_quote(monkeypatch):
    from drafter.extract import rules

    real = rules.extract_items

    def off_by_one(text, sections):
        found = real(text, sections)
        first = found["measures"][0]
        found["measures"][0] = first.model_copy(update={"start": first.start + 1, "end": first.end + 1})
        return found

    monkeypatch.setattr(rules, "extract_items", off_by_one)
    with pytest.raises(DrafterError, match="quotes do not match the text"):
        drafter.summarize(SEEDS / "ruzhou-2023.txt")


# ---- writes: atomic, and a pair is checked before either file is written ------------------------------------

def test_a_failed_rename_leaves_the_existing_file_as_it_was(tmp_path, monkeypatch):
    target = tmp_path / "draft.md"
    target.write_text("写作者改过的稿子", encoding="utf-8")
    inode = target.stat().st_ino

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(DrafterError, match="cannot write .*No space left on device"):
        write_atomic(target, "新内容" * 1000, force=True)
    assert target.read_text(encoding="utf-8") == "写作者改过的稿子"
    assert target.stat().st_ino == inode
    assert [p.name for p in tmp_path.iterdir()] == ["draft.md"]  # the temp file is gone too


def test_a_forced_write_replaces_the_file_by_rename_not_in_place(tmp_path):
    target = tmp_path / "draft.md"
    target.write_text("旧", encoding="utf-8")
    old = target.open("rb")  # a reader holding the old file keeps seeing it whole
    inode = target.stat().st_ino
    write_atomic(target, "新", force=True)
    assert target.read_text(encoding="utf-8") == "新" and target.stat().st_ino != inode
    assert old.read().decode("utf-8") == "旧"
    old.close()


@pytest.mark.parametrize("existing", [".summary.json", ".summary.md"])
def test_either_file_of_the_pair_existing_stops_both(tmp_path, existing):
    summary = drafter.summarize(SEEDS / "ruzhou-2023.txt")
    (tmp_path / f"ruzhou{existing}").write_text("edited", encoding="utf-8")
    with pytest.raises(DrafterError, match=rf"ruzhou{re.escape(existing)} exists; use --force"):
        write_summary(summary, tmp_path, "ruzhou")
    assert [p.name for p in tmp_path.iterdir()] == [f"ruzhou{existing}"]
    assert (tmp_path / f"ruzhou{existing}").read_text(encoding="utf-8") == "edited"
    json_path, md_path = write_summary(summary, tmp_path, "ruzhou", force=True)
    assert json.loads(json_path.read_text(encoding="utf-8"))["meta"]["region"] == "汝州市"
    assert md_path.read_text(encoding="utf-8").startswith("# ")


# ---- a bug in one input is that input's line; the others go on ----------------------------------------------

def test_an_unexpected_error_in_one_input_fails_only_that_input():
    def step(path: Path) -> str:
        if path.name == "b":
            raise RuntimeError("boom")
        if path.name == "c":
            raise DrafterError("empty")
        return path.name.upper()

    outcomes = list(run_each([Path("a"), Path("b"), Path("c"), Path("d")], step))
    assert [(o.path.name, o.value, o.error) for o in outcomes] == [
        ("a", "A", None),
        ("b", None, "internal error (RuntimeError: boom); please report it"),
        ("c", None, "empty"),
        ("d", "D", None),
    ]


def test_a_keyboard_interrupt_still_stops_the_batch():
    def step(path: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        list(run_each([Path("a"), Path("b")], step))


# ---- the report year: title, else opening, else the body's most named year, else the year before issue ------

def year_of(text: str) -> int | None:
    doc = Document(text=text, source=SourceInfo(path="r.txt", format="txt", sha256="0" * 64))
    meta = extract_meta(doc, [])
    for evidence in meta.evidence:
        assert text[evidence.start:evidence.end] == evidence.quote
    return meta.report_year


@pytest.mark.parametrize(("text", "year"), [
    # the title wins over a different year in the opening and body
    ("某县人民政府关于2022年度法治政府建设情况的报告\n2023年，我县坚持依法行政。2023年完成立法。\n", 2022),
    # a title year written in Chinese numerals
    ("某县人民政府关于二〇二一年度法治政府建设情况的报告\n我县坚持依法行政。2023年完成立法。\n", 2021),
    # no title: the opening's year, though the body names another year more often
    ("现将我县2020年度法治政府建设情况报告如下。\n一是2019年出台规划，2019年完成清理，2019年开展培训。\n", 2020),
    # no title, no year in the opening: the year the body names most
    ("我县坚持依法行政，全面推进各项工作。" + "普法宣传持续开展。" * 30 + "\n2018年完成清理，2018年开展培训，2017年出台规划。\n", 2018),
    # a tie in the body goes to the earlier year: the later one is usually next year's plan
    ("我县坚持依法行政，全面推进各项工作。" + "普法宣传持续开展。" * 30 + "\n2019年完成清理，2018年开展培训，2019年、2018年均通过评估。\n", 2018),
    # no year at all but the date issued: the year before it
    ("我县坚持依法行政，全面推进各项工作。\n某县人民政府\n2024年2月5日\n", 2023),
    # nothing to go on
    ("我县坚持依法行政，全面推进各项工作。\n", None),
])
def test_report_year_fallbacks(text, year):
    assert year_of(text) == year


# ---- the model's facts: a repeated fact is kept once ---------------------------------------------------------

def test_merge_keeps_a_repeated_model_fact_once_and_distinct_facts_all(tmp_path):
    settings = load_settings(api_key=TEST_KEY, model="test-model", cache_dir=tmp_path)
    base = drafter.summarize(document(REPORT)).model_copy(update={"sections": REPORT_SECTIONS})
    aligner = Aligner(REPORT)

    def item(quote: str, part: str) -> Item:
        span, _ = aligner.align(quote)
        return Item(**span.model_dump(), title="t", summary="s", part=part)

    first = item("全年办理行政复议案件4.6万件，同比增长12%。", "measures")
    other = item("执法队伍素质有待提高。", "problems")
    span, _ = aligner.align("开展普法活动三百场。")
    metric = Metric(**span.model_dump(), label="普法活动", value=300, unit="场", raw="三百")
    facts = Facts(items=[first, other, first, item("执法队伍素质有待提高。", "measures")], metrics=[metric, metric])
    merged = merge(base, facts, settings.model)
    assert [i.quote for i in merged.measures] == [first.quote, other.quote]  # same span, other part: both kept
    assert [i.quote for i in merged.problems] == [other.quote]
    assert [m.quote for m in merged.metrics].count(metric.quote) == 1
    assert merged.measures[0].section == "1" and merged.problems[0].section == "2"


# ---- secrets never reach a fixture, a log or a message -------------------------------------------------------

def test_token_looking_strings_are_scrubbed():
    assert redact("key sk-abcdefgh1234 used") == f"key {REDACTED} used"
    assert redact(f"echoed {TEST_KEY}; sk-proj-Ab_9-xY") == f"echoed {REDACTED}; {REDACTED}"  # no secrets given
    assert redact("Authorization: Bearer eyJhbGciOi.J9-x_yz") == f"Authorization: {REDACTED}"
    assert redact("sk-short and Bearer abc") == "sk-short and Bearer abc"  # too short to be a key
    assert redact("task-abcdefghijk") == "task-abcdefghijk"  # sk- inside a word is not a key


def test_given_secrets_are_scrubbed_but_a_short_placeholder_key_is_not():
    assert redact(f"model not available for {TEST_KEY}!", (TEST_KEY,)) == f"model not available for {REDACTED}!"
    assert redact("mysecretvalue123 again mysecretvalue123", ("mysecretvalue123",)) == f"{REDACTED} again {REDACTED}"
    assert redact("http://localhost:11434/v1", ("local",)) == "http://localhost:11434/v1"


def test_secret_named_fields_are_scrubbed_at_any_depth():
    value = {
        "api_key": "plain", "API-KEY": "plain", "Authorization": "Basic abc", "client_secret": "s",
        "access_token": "t", "prompt_tokens": 12, "max_tokens": "100", "tokens": "kept",
        "nested": [{"apikey": "x", "note": f"uses {TEST_KEY}"}],
    }
    assert redact(value, (TEST_KEY,)) == {
        "api_key": REDACTED, "API-KEY": REDACTED, "Authorization": REDACTED, "client_secret": REDACTED,
        "access_token": REDACTED, "prompt_tokens": 12, "max_tokens": "100", "tokens": "kept",
        "nested": [{"apikey": REDACTED, "note": f"uses {REDACTED}"}],
    }


# ---- found by the mutation pass (bench/mutants.py): nothing pinned these --------------------------------------

def test_a_placeholder_with_a_hint_left_in_a_draft_fails_the_check():
    from draft_samples import fill
    from drafter.drafting.check import check_markdown

    filled = fill(compose_draft([xingning_2024()]).markdown)
    assert check_markdown(filled).ok
    left = filled.replace("已按计划完成", "【待填：2025年新收行政复议案件数】", 1)
    [error] = check_markdown(left).errors
    assert (error.code, error.message) == ("placeholder", "1处【待填】尚未填写")


def test_a_text_without_a_report_year_says_so_and_one_with_a_year_does_not():
    assert "未找到报告年度" in drafter.summarize("一、主要工作\n我县坚持依法行政，推进法治政府建设。\n").warnings
    assert "未找到报告年度" not in drafter.summarize("一、2024年主要工作\n2024年，我县坚持依法行政，推进法治政府建设。\n").warnings


def test_the_check_names_the_first_five_places_then_says_more():
    from drafter.drafting.check import check_markdown

    draft = compose_draft([xingning_2024()])
    placeholder = next(f for f in check_markdown(draft.markdown).findings if f.code == "placeholder")
    lines = sorted({p.line for p in draft.placeholders})
    assert len(lines) > 5
    assert placeholder.location == "、".join(f"第{n}行" for n in lines[:5]) + "等"


def test_a_damaged_cache_entry_is_a_miss_and_the_model_is_asked_again(tmp_path):
    with FakeLLM(script=[GOOD_ANSWER, GOOD_ANSWER]) as server:
        settings = settings_for(server, tmp_path / "cache")
        extract_facts(document(REPORT), REPORT_SECTIONS, LLM(settings))
        [entry] = (tmp_path / "cache" / "llm").rglob("*.json")
        entry.write_text('{"answer": {"items": [', encoding="utf-8")  # cut off mid-write by a crash
        facts = extract_facts(document(REPORT), REPORT_SECTIONS, LLM(settings))
    assert server.request_count == 2 and len(facts.items) == 2
    assert json.loads(entry.read_text(encoding="utf-8"))["answer"]["items"]  # and the entry is whole again


def test_a_prose_answer_repeating_a_section_is_reasked(tmp_path):
    from test_draft_llm import curated

    from draft_samples import chuxiong_2024
    from drafter.drafting.prose import compose_with_prose

    good = curated("chuxiong-2024")
    repeated = {"sections": [*good["sections"], good["sections"][0]]}
    with FakeLLM(script=[repeated, good]) as server:
        compose_with_prose([chuxiong_2024()], settings_for(server, tmp_path / "cache"), use_cache=False)
    reask = server.requests[1]["messages"][-1]["content"]
    assert f"sections 的 key 须与材料各节一一对应：重复 {good['sections'][0]['key']}" in reask


def test_a_five_year_plan_range_is_no_vote_for_the_report_year():
    body = "我县坚持依法行政，全面推进各项工作。" + "普法宣传持续开展。" * 30
    text = body + "\n2022年完成清理。落实2021年至2025年规划和2021年至2025年纲要、2021年—2025年方案。\n"
    assert year_of(text) == 2022


def test_build_validates_as_the_constructor_does() -> None:
    from pydantic import ValidationError

    from drafter.models import Item, Span, build

    fields = dict(quote="新收行政复议案件218件", start=5, end=17, title="新收行政复议案件", summary="新收218件", part="measures")
    built = build(Item, **fields)
    assert built == Item(**fields) and built.model_fields_set == Item(**fields).model_fields_set
    assert built.area is None and built.clauses == []
    with pytest.raises(ValidationError, match="does not fit quote"):
        build(Span, quote="ab", start=0, end=3)
    with pytest.raises(ValidationError, match="part"):
        build(Item, **{**fields, "part": "achievements"})
