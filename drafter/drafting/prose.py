"""`drafter draft --llm`: the model writes the opening prose of each section from last year's structured material.

Data flow:
  prose_plan(summaries) → the sections whose opening the model writes (ProseSlot), with their plans, measures,
      problems and baseline figures — the same sections, in the same order, as compose_draft writes
  slot batches within DRAFTER_CHUNK_TOKENS: one batch, so one call, per draft for any ordinary report
  per batch: build_messages → drafter.llm.call.ask(DraftProse, checked by the figure check): a cache hit, or the
      run's endpoint with retries and re-asks, usage into the run's ledger, the answer into the cache
  compose_draft(summaries, prose=…) → the rule-based draft with the checked paragraphs in place of the openings;
      reference items, baselines, footnotes and the placeholder checklist stay rule-based.

One call per draft rather than one per section: the system prompt and the tool schema (≈850 tokens) would be sent
again with each of a draft's 9–16 sections. On the seeds' drafts one call costs 1.2k–4.5k prompt tokens, one call
per section 3k–18k (≈4×). A re-ask resends the whole batch and the rejected answer (≈2× one call), still cheaper
than per-section calls unless nearly every draft needs two re-asks.

The figure check (the validator behind the re-ask): every number in a paragraph must be
  (a) a baseline figure of that section's material, with the prior year written before it in the same sentence
      ("2024年……218件", "（2024年：218件）"), or
  (b) inside a placeholder 【待填…】.
Chinese counts (三项, 两次) are numbers too; ordinals (一是, （一）, 第一), the years the request names, names in
quotation marks copied from the material (“全面振兴新突破三年行动”) and a few fixed terms (三项制度, 12345热线)
are not. A section must keep at least one placeholder except in part 四, so the new year's facts stay the writer's.
"""

from __future__ import annotations

import math
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr, model_validator

from drafter.drafting.compose import (
    PLACEHOLDER_RE,
    Draft,
    ProseParagraph,
    ProsePlan,
    ProseSlot,
    baseline_figure,
    compose_draft,
    format_figure,
    prose_plan,
)
from drafter.errors import DrafterError
from drafter.figures import figure_spans
from drafter.ground import fold_alnum
from drafter.llm.call import Call, ask
from drafter.llm.config import LLM, LLMSettings, UsageLedger
from drafter.llm.prompt import estimate_tokens, render, report_in
from drafter.llm.validation import RejectedFacts, ValidationScope
from drafter.models import Metric, Summary
from drafter.text import clip, one_line, sentence_start

PROMPT_VERSION = "draft/v1"
MATERIAL_TAG = "material"
_ITEM_CHARS = 150
# Terms with a number in their name, not a count: 行政执法“三项制度”, “八五”普法, 12345热线, “一件事”.
FIXED_TERMS = ("三项制度", "一件事", "一网通办", "一网统管", "一把手", "一规划两纲要", "两个确立", "两个维护",
               "四个意识", "四个自信", "七五", "八五", "九五", "十四五", "十五五", "12345")
_YEAR_RE = re.compile(r"(\d{4})年")
_CHINESE_DIGITS = set("零〇一二两三四五六七八九十百千万亿")
_QUOTED = re.compile(r"“([^”]{1,40})”")
_BAD_PLACEHOLDER = re.compile(r"××|ＸＸ|XX|xx|【(?!待填)[^】]*】")


class SectionProse(BaseModel):
    key: str = Field(description="材料中该节的key，原样照抄")
    paragraphs: list[str] = Field(min_length=1, max_length=3, description="该节开头正文，1至2段")


class DraftProse(BaseModel):
    """The opening paragraphs of every section in the request, by key."""

    sections: list[SectionProse]

    _checked: dict[str, list[ProseParagraph]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _sourced(self) -> DraftProse:
        batch = _batch.current()
        if batch is None:  # parsed outside a check scope (a schema dump): nothing to check against
            return self
        self._checked = check_prose(self, batch)
        return self

    @property
    def paragraphs(self) -> dict[str, list[ProseParagraph]]:
        return self._checked


class StrayFigures(RejectedFacts):
    """Numbers in the prose that are neither a source figure with its year nor inside a placeholder."""

    noun = "figure"
    problem = "neither a source figure with its year nor a placeholder"

    def __init__(self, failures: list[str]) -> None:
        super().__init__(failures, "以下内容不符合要求：新一年的情况一律写成【待填】或【待填：说明】；只可引用材料所列上年度数据，"
                                   "照原样书写并在同一句中、数字之前写明年份。请改正后重新调用：")


@dataclass(frozen=True)
class Batch:
    """What one request asks for, and what its answer is checked against."""

    plan: ProsePlan
    slots: list[ProseSlot]
    years: frozenset[int]  # every year the request names
    material: str  # the request's material, for names quoted from it


_batch: ValidationScope[Batch] = ValidationScope("drafter_prose_batch")


def checking(batch: Batch) -> AbstractContextManager[Batch]:
    return _batch.open(batch)


# ---- the check -------------------------------------------------------------------------------------------------

def check_prose(answer: DraftProse, batch: Batch) -> dict[str, list[ProseParagraph]]:
    """The checked paragraphs by key, each with the baseline figures it quotes; raises on any stray figure."""
    slots = {slot.key: slot for slot in batch.slots}
    given = [section.key for section in answer.sections]
    missing = [key for key in slots if key not in given]
    unknown = [key for key in given if key not in slots]
    repeated = sorted({key for key in given if given.count(key) > 1})
    if missing or unknown or repeated:  # a plain ValueError: instructor re-asks with it
        wrong = [f"缺少 {', '.join(missing)}" if missing else "", f"材料中没有 {', '.join(unknown)}" if unknown else "",
                 f"重复 {', '.join(repeated)}" if repeated else ""]
        raise ValueError("sections 的 key 须与材料各节一一对应：" + "；".join(w for w in wrong if w))
    failures: list[str] = []
    checked: dict[str, list[ProseParagraph]] = {}
    for i, section in enumerate(answer.sections):
        slot = slots[section.key]
        paragraphs = [" ".join(p.split()) for p in section.paragraphs]
        where = f"sections[{i}]（{slot.key}）"
        if any(not p for p in paragraphs):
            failures.append(f"{where} 有空段落")
            continue
        if slot.kind != "plans" and not any(PLACEHOLDER_RE.search(p) for p in paragraphs):
            failures.append(f"{where} 没有【待填】占位符：{batch.plan.year}年的情况须留给撰稿人填写")
        checked[slot.key] = []
        for j, paragraph in enumerate(paragraphs):
            used, stray = paragraph_figures(paragraph, slot, batch.plan.prior_year, batch.years, batch.material)
            failures.extend(f"{where}.paragraphs[{j}] {problem}" for problem in stray)
            checked[slot.key].append(ProseParagraph(text=paragraph, sources=tuple(used)))
    if failures:
        raise StrayFigures(failures)
    return checked


def paragraph_figures(text: str, slot: ProseSlot, prior_year: int, years: frozenset[int],
                      material: str = "") -> tuple[list[Metric], list[str]]:
    """The baseline figures a paragraph quotes (in order, once each), and a description of every stray figure."""
    bad = [f"占位符格式不对：{m.group()!r}" for m in _BAD_PLACEHOLDER.finditer(text)]
    masked = fold_alnum(text)
    # Placeholders, fixed terms and the metrics' own names are not figures of the prose: blank them out, keeping
    # offsets, so a year inside a placeholder does not count as the year of a figure after it.
    names = (*FIXED_TERMS, *(m.label for m in slot.metrics))
    blanks = [PLACEHOLDER_RE, *(re.compile(re.escape(fold_alnum(name))) for name in names)]
    for pattern in blanks:
        masked = pattern.sub(lambda m: "□" * len(m.group()), masked)
    folded_material = fold_alnum(material)
    # A quoted name is copied whole from the material and has no Arabic figure (a quoted figure is data, not a name).
    masked = _QUOTED.sub(lambda m: "□" * len(m.group()) if m.group(1) in folded_material
                         and not any(c.isdigit() for c in m.group(1)) else m.group(), masked)
    used: list[Metric] = []
    for start, end, plain, scaled in figure_spans(masked):
        token = text[start:end]
        if end - start == 4 and token.isdigit() and int(token) in years:
            continue
        if _ordinal(masked, start, end):
            continue
        metric = next((m for m in slot.metrics if any(math.isclose(m.value, v, rel_tol=1e-9) for v in (plain, scaled))),
                      None)
        if metric is None:
            bad.append(f"{token!r}：材料中没有这个数字，应删去或写成【待填】")
            continue
        sentence = masked[sentence_start(masked, start):start]
        stated = _YEAR_RE.findall(sentence)
        if not stated or int(stated[-1]) != prior_year:
            bad.append(f"{token!r}：这是{prior_year}年的数据，须在同一句中、数字之前写明“{prior_year}年”")
            continue
        if metric not in used:
            used.append(metric)
    return used, bad


def _ordinal(text: str, start: int, end: int) -> bool:
    """第一, 一是, 一、 and （一）/（1） number things; they count nothing."""
    before, after = text[start - 1:start], text[end:end + 1]
    if before == "第":
        return True
    if before in "（(" and after in "）)":
        return True
    return text[start] in _CHINESE_DIGITS and after in ("是", "、")


# ---- requests --------------------------------------------------------------------------------------------------

def _line(text: str) -> str:
    return clip(one_line(text).rstrip("。；;，,"), _ITEM_CHARS)


def slot_variables(slot: ProseSlot) -> dict[str, Any]:
    """A slot as template variables: the items as one line each, the figures as written in the source."""
    return {
        "key": slot.key, "kind": slot.kind, "heading": slot.heading, "hint": slot.hint,
        "plans": [_line(i.summary) for i in slot.plans],
        "measures": [_line(i.summary) for i in slot.measures],
        "problems": [_line(f"{i.title}：{i.summary}" if i.title not in i.summary else i.summary) for i in slot.problems],
        # The standard indicators (the draft lists them under the section) apart from the section's other figures.
        "indicators": [{"label": _line(m.label), "value": baseline_figure(m)} for m in slot.indicators],
        "figures": [{"label": _line(m.label), "value": format_figure(m)} for m in slot.metrics
                    if m not in slot.indicators],
    }


def build_messages(plan: ProsePlan, slots: list[ProseSlot]) -> list[dict]:
    common = {"year": plan.year, "prior_year": plan.prior_year, "next_year": plan.year + 1}
    system = render(PROMPT_VERSION, "system", **common)
    user = render(PROMPT_VERSION, "user", issuer=plan.issuer, slots=[slot_variables(s) for s in slots], **common)
    if report_in(user, MATERIAL_TAG) is None:  # the fake server and the recorder key fixtures by the material
        raise DrafterError(f"prompt {PROMPT_VERSION}/user.md must wrap the material in <{MATERIAL_TAG}> lines")
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def plan_batches(plan: ProsePlan, budget: int) -> list[list[ProseSlot]]:
    """Consecutive slots per request, each batch's material within `budget` estimated tokens (at least one slot)."""
    batches: list[list[ProseSlot]] = []
    used = 0
    for slot in plan.slots:
        cost = estimate_tokens(str(slot_variables(slot)))
        if batches and used + cost <= budget:
            batches[-1].append(slot)
            used += cost
        else:
            batches.append([slot])
            used = cost
    return batches


def _years(messages: list[dict]) -> frozenset[int]:
    return frozenset(int(y) for m in messages for y in _YEAR_RE.findall(fold_alnum(m["content"])))


# ---- the run ---------------------------------------------------------------------------------------------------

def compose_with_prose(
    summaries: list[Summary], llm: LLM | LLMSettings, *, year: int | None = None, region: str | None = None,
    use_cache: bool = True, http_client: Any = None, ledger: UsageLedger | None = None,
    texts: dict[str, str] | None = None,
) -> Draft:
    """compose_draft with the model's checked prose opening each section that has prior-year material.

    `llm` is the run (its endpoint, cache choice and ledger), or bare settings with the run's choices given here.
    Raises DrafterError when the endpoint fails or a figure stays unsourced after the re-asks; nothing is written."""
    if isinstance(llm, LLMSettings):
        llm = LLM(llm, use_cache=use_cache, http_client=http_client, ledger=ledger or UsageLedger())
    plan = prose_plan(summaries, year, region)
    batches = plan_batches(plan, llm.settings.chunk_tokens)
    prose: dict[str, list[ProseParagraph]] = {}
    for n, slots in enumerate(batches, 1):
        messages = build_messages(plan, slots)
        batch = Batch(plan, slots, _years(messages), report_in(messages[1]["content"], MATERIAL_TAG) or "")
        call = Call(PROMPT_VERSION, messages, DraftProse, scope=lambda batch=batch: checking(batch),
                    meta={"sections": [s.key for s in slots]})
        try:
            answer = ask(llm, call).value
        except DrafterError as exc:
            where = f" sections {n}/{len(batches)}" if len(batches) > 1 else ""
            raise DrafterError(f"llm draft{where}: {exc}") from None
        prose.update(answer.paragraphs)
    return compose_draft(summaries, year=plan.year, region=region, prose=prose, texts=texts)


