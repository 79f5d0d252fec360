"""Prompt templates rendered strictly, the structure outline, and section-wise chunking of long reports."""

from __future__ import annotations

import pytest

from drafter.errors import DrafterError
from drafter.extract.llm import extract_facts
from drafter.replay.fake_server import FakeLLM
from drafter.extract.llm.prompt import Chunk, build_messages, plan_chunks
from drafter.llm.config import LLM
from drafter.llm.prompt import estimate_tokens, render, report_in
from llm_helpers import REPORT, REPORT_SECTIONS, document, long_report, settings_for

def test_missing_template_variable_is_an_error():
    with pytest.raises(DrafterError, match="prompt extract/v2/user.md: 'outline' is undefined"):
        render("extract/v2", "user", report="x", chunk_index=1, chunk_count=1)


def test_messages_carry_outline_and_the_exact_report():
    messages = build_messages(REPORT, REPORT_SECTIONS, Chunk(0, len(REPORT)))
    system, user = (m["content"] for m in messages)
    assert "disputes=矛盾纠纷化解" in system and "{{" not in system and "{%" not in system
    assert "1｜measures｜一、主要举措和成效" in user and "2｜problems｜二、存在的不足" in user
    assert report_in(user) == REPORT
    assert "部分" not in user.split("标题结构")[0]  # a single chunk is not announced as a part


def test_short_report_is_one_chunk_and_long_report_is_cut_at_sections():
    assert plan_chunks(REPORT, REPORT_SECTIONS, 500) == [Chunk(0, len(REPORT))]
    text, sections = long_report()
    chunks = plan_chunks(text, sections, 700)
    assert len(chunks) >= 3
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(chunks, chunks[1:]))  # contiguous: nothing dropped or repeated
    starts = {s.start for s in sections}
    assert all(c.start in starts for c in chunks[1:])  # every cut falls on a section boundary
    assert all(estimate_tokens(text[c.start:c.end]) <= 700 for c in chunks)


def test_a_section_longer_than_the_budget_is_cut_at_sentence_ends():
    text = "".join(f"第{k}项工作办理事项{k}件，成效明显。" for k in range(200))  # one line, no headings
    chunks = plan_chunks(text, [], 600)
    assert "".join(text[c.start:c.end] for c in chunks) == text
    assert all(text[c.end - 1] == "。" for c in chunks)


def test_long_report_sends_every_chunk_and_merges_their_facts(tmp_path):
    text, sections = long_report()
    with FakeLLM(schema_driven="echo", latency=0.3) as server:
        settings = settings_for(server, tmp_path, chunk_tokens=700)
        facts = extract_facts(document(text), sections, LLM(settings, use_cache=False))
    chunks = plan_chunks(text, sections, 700)
    sent = {report_in(body["messages"][-1]["content"]): body["messages"][-1]["content"] for body in server.requests}
    assert server.request_count == len(chunks) and set(sent) == {text[c.start:c.end] for c in chunks}  # each once
    assert server.max_in_flight == len(chunks)  # the chunks of one report go out together
    assert f"第 2/{len(chunks)} 部分" in sent[text[chunks[1].start:chunks[1].end]]
    assert facts.chunks == len(chunks) and facts.usage.requests == len(chunks)
    for chunk in chunks:  # every chunk contributed grounded facts inside its own span
        assert any(chunk.start <= item.start < chunk.end for item in facts.items)
    assert all(text[m.start:m.end] == m.quote for m in facts.metrics)


def test_why_report_text_never_goes_through_instructor_context():
    """instructor renders every message as Jinja when `context` is given, which would eat `{{ x }}` in a report;
    so prompts are rendered by us and grounding travels in a ContextVar instead (drafter.llm.validation)."""
    from instructor.v2.core.templating import handle_templating

    kwargs = {"messages": [{"role": "user", "content": "建立“{{ x }}”台账"}]}
    assert handle_templating(kwargs, mode=None, context={"text": "…"})["messages"][0]["content"] == "建立“”台账"
    assert handle_templating(kwargs, mode=None, context=None) is kwargs
