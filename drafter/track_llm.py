"""`drafter track --llm`: a model judges each of PRIOR's commitments and problems against NEXT's text.

One request per pair of reports: the commitments and problems as keyed lines, NEXT's cleaned text between
<report> lines (a Jinja variable, never parsed as a template; the fake server and the recorder key fixtures by
it). The answer is checked under the rules backend's grounding (the validator behind instructor's re-ask):
- every key once, in order; done/partial and repeated problems carry evidence, not_found and non-repeats none;
- evidence is verbatim NEXT text (drafter.ground.Aligner: exact, then after white-space/width folding; the span
  kept is always next_text[start:end]);
- a commitment's evidence lies outside NEXT's problems and plans parts, a repeated problem's inside its problems
  part (when NEXT has one): a promise made again is no evidence of one kept.
Answers are cached like the other llm steps (drafter.llm.cache) and checked again on a hit.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cached_property

from pydantic import BaseModel, Field, PrivateAttr, model_validator

from drafter.errors import DrafterError
from drafter.ground import Aligner
from drafter.llm.call import Call, ask
from drafter.llm.config import LLM
from drafter.llm.prompt import render, report_in
from drafter.llm.validation import RejectedFacts, ValidationScope
from drafter.models import Part, Section, Span, Summary
from drafter.structure import SectionIndex
from drafter.text import clip, one_line
from drafter.track import (
    Evidence,
    RepeatedProblem,
    Status,
    TrackedCommitment,
    Tracking,
    check_pair,
    content_bigrams,
    finish,
    in_start_order,
    progress_verb,
    shared_words,
)

PROMPT_VERSION = "track/v1"
_LINE_CHARS = 200


class CommitmentVerdict(BaseModel):
    key: str = Field(description="承诺的key，原样照抄")
    status: Status
    evidence: str | None = Field(None, description="本年度报告原文中逐字照抄的连续片段；not_found 时为 null")
    reason: str = Field("", description="不超过30字的判断依据")


class ProblemVerdict(BaseModel):
    key: str = Field(description="问题的key，原样照抄")
    repeated: bool
    evidence: str | None = Field(None, description="本年度报告“存在的不足”中逐字照抄的原文；未重复时为 null")


class TrackVerdicts(BaseModel):
    """The model's verdict on every commitment and problem of the request, by key."""

    commitments: list[CommitmentVerdict]
    problems: list[ProblemVerdict] = Field(default_factory=list)

    _spans: dict[str, Span] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _grounded(self) -> TrackVerdicts:
        scope = _scope.current()
        if scope is None:  # parsed outside a check scope (a schema dump): nothing to check against
            return self
        self._spans = check_verdicts(self, scope)
        return self

    @property
    def spans(self) -> dict[str, Span]:
        """The grounded evidence span of each key that has one."""
        return self._spans


class UngroundedVerdicts(RejectedFacts):
    noun = "verdict"
    problem = "not grounded in the NEXT report"

    def __init__(self, failures: list[str]) -> None:
        super().__init__(failures, "以下判断不符合要求，请改正后重新调用（evidence 须逐字照抄本年度报告原文的连续片段）：")


@dataclass(frozen=True)
class Scope:
    """What one answer is checked against."""

    commitment_keys: tuple[str, ...]
    problem_keys: tuple[str, ...]
    aligner: Aligner
    sections: tuple[Section, ...]

    @cached_property
    def index(self) -> SectionIndex:
        return SectionIndex(list(self.sections))

    def part_at(self, offset: int) -> Part | None:
        inner = self.index.innermost(offset)
        return inner.part if inner else None

    @property
    def has_problems(self) -> bool:
        return any(s.part == "problems" for s in self.sections)


_scope: ValidationScope[Scope] = ValidationScope("drafter_track_scope")


def checking(scope: Scope) -> AbstractContextManager[Scope]:
    return _scope.open(scope)


def check_verdicts(answer: TrackVerdicts, scope: Scope) -> dict[str, Span]:
    failures: list[str] = []
    for name, given, wanted in (("commitments", [v.key for v in answer.commitments], scope.commitment_keys),
                                ("problems", [v.key for v in answer.problems], scope.problem_keys)):
        if tuple(given) != wanted:  # a plain ValueError: instructor re-asks with it
            raise ValueError(f"{name} 的 key 须为 {', '.join(wanted) or '（空）'}，按此顺序各一次；收到 {', '.join(given) or '（空）'}")
    spans: dict[str, Span] = {}
    for v in answer.commitments:
        span = _ground(v.key, v.evidence, v.status != "not_found", scope, failures)
        if span is not None:
            if scope.part_at(span.start) in ("problems", "plans"):
                failures.append(f"{v.key} 的 evidence 取自“存在的不足”或“下一年度安排”，不是落实的证据")
            else:
                spans[v.key] = span
    for v in answer.problems:
        span = _ground(v.key, v.evidence, v.repeated, scope, failures)
        if span is not None:
            if scope.has_problems and scope.part_at(span.start) != "problems":
                failures.append(f"{v.key} 的 evidence 不在本年度报告“存在的不足”部分")
            else:
                spans[v.key] = span
    if failures:
        raise UngroundedVerdicts(failures)
    return spans


def _ground(key: str, evidence: str | None, needed: bool, scope: Scope, failures: list[str]) -> Span | None:
    if not needed:
        if evidence:
            failures.append(f"{key} 判为未见或未重复，evidence 应为 null")
        return None
    if not evidence or not evidence.strip():
        failures.append(f"{key} 缺少 evidence")
        return None
    found = scope.aligner.align(evidence)
    if found is None:
        failures.append(f"{key}.evidence {clip(one_line(evidence), 40)!r} 在本年度报告中找不到")
        return None
    return found[0]


def build_messages(prior: Summary, next: Summary, next_text: str) -> list[dict]:  # noqa: A002
    years = {"prior_year": prior.meta.report_year or "上一", "next_year": next.meta.report_year or "本"}
    system = render(PROMPT_VERSION, "system", **years)
    user = render(
        PROMPT_VERSION, "user", unit=prior.meta.region or next.meta.region or "（未识别）", report=next_text,
        commitments=[{"key": f"c{i}", "text": clip(one_line(item.quote), _LINE_CHARS)}
                     for i, item in enumerate(prior.plans, 1)],
        problems=[{"key": f"p{i}", "text": clip(one_line(item.quote), _LINE_CHARS)}
                  for i, item in enumerate(prior.problems, 1)],
        **years,
    )
    if report_in(user) != next_text:
        raise DrafterError(f"prompt {PROMPT_VERSION}/user.md must wrap the report in <report> lines")
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def track_with_llm(prior: Summary, prior_text: str, next: Summary, next_text: str, llm: LLM) -> Tracking:  # noqa: A002
    """`track` with the model as judge; raises DrafterError when the endpoint fails or an answer stays
    ungrounded after the re-asks (nothing is written)."""
    warnings = check_pair(prior, next)
    messages = build_messages(prior, next, next_text)
    scope = Scope(tuple(f"c{i}" for i in range(1, len(prior.plans) + 1)),
                  tuple(f"p{i}" for i in range(1, len(prior.problems) + 1)),
                  Aligner(next_text), tuple(in_start_order(next.sections)))
    try:
        answer = ask(llm, Call(PROMPT_VERSION, messages, TrackVerdicts, scope=lambda: checking(scope))).value
    except DrafterError as exc:
        raise DrafterError(f"llm track: {exc}") from None
    commitments = []
    for item, verdict in zip(prior.plans, answer.commitments):
        span = answer.spans.get(verdict.key)
        commitments.append(TrackedCommitment(
            commitment=item, status=verdict.status, judge="llm", reason=verdict.reason or None,
            evidence=_evidence(span, scope, item.quote) if span else None,
            verb=progress_verb(span.quote)[1] if span else None,
        ))
    repeated = [RepeatedProblem(prior=item, next=_evidence(answer.spans[v.key], scope, item.quote), judge="llm")
                for item, v in zip(prior.problems, answer.problems) if v.repeated]
    return finish(prior, next, commitments, repeated, warnings, backend="llm", model=llm.settings.model)


def _evidence(span: Span, scope: Scope, prior_quote: str) -> Evidence:
    section = scope.index.innermost(span.start)
    return Evidence(quote=span.quote, start=span.start, end=span.end, section=section.id if section else None,
                    part=section.part if section else None,
                    shared=shared_words(span.quote, frozenset(content_bigrams(prior_quote))))
