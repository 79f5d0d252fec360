"""`drafter track`: last year's commitments followed into this year's report of the same unit.

For each commitment (plan item) of PRIOR: `done`, `partial` or `not_found`, with the NEXT sentence that shows it;
and each PRIOR problem that NEXT states again among its own problems. Offline, by rules:

- Matching is by content: each side is cut into clauses (。；), stop-phrases that every plan uses (进一步, 持续,
  加强, 推进, 全面, 工作, 法治政府 …) are cut out, and what remains is compared as Han character bigrams, each
  weighted by its rarity among NEXT's sentences (so 执法 counts less than 共享). A clause's score against a
  sentence is the weighted share of its bigrams the sentence contains, plus a bonus when both fall in the same
  纲要 area (`Item.area`). A clause is found at score ≥ MATCH.
- Evidence for a commitment comes only from what NEXT reports as work done: sentences of its measures,
  leadership and other parts (and of sections without a part), never from the preamble, the 落款 or a title
  heading, and never from its plans or problems: a commitment repeated in NEXT's plans, or a problem in NEXT's
  problems, is no evidence of it being done. A repeated problem is looked for only in NEXT's problems part.
- Clauses: a plan sentence is cut further at its commas when each piece still names something, since plans list
  several promises in one sentence (a problem sentence is not: its comma pieces name topics, not shortcomings);
  `clauses_found` of `clauses` says how much of an item NEXT reports on. A coarse item — the only item of its
  section, quoting the section's opening only, as the rules backend gives today — stands for its whole section.
- Status, read from the best evidence sentence: `done` when it reports completion (完成/建成/出台/印发/实现/
  通过验收/制定/建立/上线, not negated by 未/尚/没); `partial` when it is found but under way (推进/开展/启动 …) or
  not reported complete; `not_found` when no clause is found. This works per item whether plan items are coarse
  (a section's opening, several promises) or one per promise; for a coarse item, `done` means its best-reported
  promise is done, and `clauses_found` shows how many of its promises were reported at all.
- One promise per item (as the rules backend cuts plans today): the promises of one PRIOR sentence that NEXT
  reports in one sentence are read together there, so "完善A制度，提高B质量" reported as "出台B规定，健全A制度" is
  done for both; a promise too short to be told apart by its own words ("抓好述法") may also be read with its
  section's heading. Problems, whole paragraphs, are compared clause by clause (`Item.clauses`); the clause NEXT
  states again is `RepeatedProblem.clause`.
- `commitment_status` gives PRIOR's commitments by span, for a draft's 落实情况 lines.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from drafter.errors import DrafterError
from drafter.extract.areas import classify_area
from drafter.extract.rules import _LEADING_NUMBER  # the numbering token (（一） 一是 1.) the rules backend strips
from drafter.files import write_atomic
from drafter.inputs import load_with_source
from drafter.models import AREA_LABELS, Area, Item, Part, Section, Span, Summary
from drafter.structure import SectionIndex
from drafter.text import clip, one_line

TRACK_SCHEMA_VERSION = "1.0"
Status = Literal["done", "partial", "not_found"]
STATUS_LABELS: dict[Status, str] = {"done": "已完成", "partial": "部分完成/推进中", "not_found": "未见报告"}

MATCH = 0.45  # share of a clause's weighted content bigrams a sentence must contain
PROBLEM_MATCH = 0.5  # problems share more boilerplate (不到位, 有待): a stricter bar
MIN_SHARED = 3  # fewer shared bigrams than this is a coincidence, whatever the share
# Tips a near-miss only: at 0.1 one shared term (行政执法, 依法治市: 3 bigrams of 7) in the same area was a match.
AREA_BONUS = 0.05
MIN_PIECE = 4  # content bigrams a comma-separated piece needs to count as a promise of its own
_MIN_BIGRAMS = 2  # a clause with fewer content bigrams says nothing trackable ("扎实推进各项工作")

# Phrases every plan and problem uses; cut out (as separators, so no bigram spans the gap) before matching.
STOP_PHRASES = (
    "进一步", "持续", "加强", "推进", "全面", "不断", "深入", "扎实", "着力", "切实", "大力", "积极", "努力", "坚持",
    "做好", "强化", "深化", "推动", "加快", "狠抓", "抓好", "继续", "始终", "认真", "有效", "稳步", "逐步", "健全",
    "完善", "提高", "提升", "优化", "加大", "充分", "着眼", "聚焦", "围绕", "紧紧", "牢牢", "以下", "主要", "各项",
    "高标准", "高质量", "高水平",
    # the guiding formula every report opens its plans with ("坚持以…为指导，深入贯彻党的二十大…精神")
    "习近平新时代中国特色社会主义思想", "为指导", "党的二十大", "二十届", "全会精神", "精神实质",
    "工作", "建设", "法治政府", "我市", "全市", "我区", "全区", "我县", "全县", "市政府", "区政府", "县政府",
    "各相关部门", "相关", "有关", "水平", "能力", "机制", "体系",
    # problem boilerplate
    "还需", "仍需", "有待", "不够", "不足", "不到位", "存在", "问题", "部分", "个别", "一些", "仍然", "还比较",
    "情况", "现象", "时有发生",
)
DONE_VERBS = ("通过验收", "完成", "建成", "出台", "印发", "实现", "制定", "建立", "上线", "投入使用", "挂牌")
# 通过省级验收, 通过了验收: a few characters may stand between 通过 and 验收.
_DONE = re.compile("|".join(re.escape(v) if v != "通过验收" else r"通过[^，,。；;]{0,6}?验收" for v in DONE_VERBS))
PARTIAL_VERBS = ("推进", "开展", "启动", "试点", "正在", "着手", "逐步", "稳步", "部署")
_NEGATION = re.compile(r"[未尚没]\S?$")
_COMMA = re.compile(r"[，,]")
_CLAUSE_END = re.compile(r"[。；;！!？?\n]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_STOP = re.compile("|".join(sorted(map(re.escape, STOP_PHRASES), key=len, reverse=True)))
_CONTENT_HEADINGS = ("runin", "lead")
_PUNCT = " ,，。；;:：、"
_MIN_SENTENCE = 4
_EVIDENCE_PARTS: frozenset[Part | None] = frozenset({"measures", "leadership", "other", None})


class Evidence(Span):
    """A sentence of NEXT, verbatim: quote == next_text[start:end]."""

    section: str | None = Field(None, description="id of the NEXT section it is in")
    part: Part | None = None
    score: float | None = Field(None, description="rules: share of the commitment's weighted content bigrams found "
                                                  "in it, plus the area bonus")
    shared: list[str] = Field(default_factory=list, description="the content words both sides share")


class TrackedCommitment(BaseModel):
    commitment: Item = Field(description="the PRIOR plan item, with its span in PRIOR")
    status: Status
    evidence: Evidence | None = None
    clauses: int | None = Field(None, description="rules: trackable clauses (promises) in the commitment")
    clauses_found: int | None = Field(None, description="rules: how many of them NEXT reports on")
    verb: str | None = Field(None, description="the completion or progress word read in the evidence")
    judge: Literal["rules", "llm"] = "rules"
    reason: str | None = Field(None, description="the model's one-line reason (llm)")


class RepeatedProblem(BaseModel):
    prior: Item = Field(description="the PRIOR problem item, with its span in PRIOR")
    clause: Span | None = Field(None, description="rules: the clause of the PRIOR problem NEXT states again")
    next: Evidence = Field(description="where NEXT states it again, among its problems")
    judge: Literal["rules", "llm"] = "rules"


class ReportRef(BaseModel):
    source: str
    sha256: str
    region: str | None = None
    report_year: int | None = None


class Tracking(BaseModel):
    schema_version: str = TRACK_SCHEMA_VERSION
    prior: ReportRef
    next: ReportRef
    commitments: list[TrackedCommitment]
    repeated_problems: list[RepeatedProblem] = Field(default_factory=list)
    counts: dict[Status, int] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    backend: Literal["rules", "llm"] = "rules"
    model: str | None = None


# ---- content bigrams -------------------------------------------------------------------------------------------

def content_bigrams(text: str) -> list[str]:
    """Han character bigrams of `text` after cutting out stop-phrases; none spans a cut, a digit or punctuation."""
    grams: list[str] = []
    for run in _HAN_RUN.findall(text):
        for piece in _STOP.split(run):
            grams.extend(piece[i:i + 2] for i in range(len(piece) - 1))
    return grams


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    section: str | None
    part: Part | None
    area: Area | None
    grams: frozenset[str]


def _clauses(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Clause spans (。；！？ and line ends), white space trimmed, within text[start:end]."""
    pos = start
    while pos < end:
        match = _CLAUSE_END.search(text, pos, end)
        stop = match.end() if match else end
        a, b = pos, stop
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] == "\n"):
            b -= 1
        if b > a:
            yield a, b
        pos = stop


def in_start_order(sections: Iterable[Section]) -> list[Section]:
    return sorted(sections, key=lambda s: (s.start, -s.end))


def _body_ranges(sections: list[Section], length: int) -> list[tuple[int, int]]:
    """The stretches of a report that state something: inside its sections (the preamble and the 落款 outside
    them only frame it), without title headings (一、… （一）…; a run-in 一是… heading is content). A text
    without numbered headings is all body."""
    if not sections:
        return [(0, length)]
    titles = [(s.start, s.heading_end) for s in sections if s.style not in _CONTENT_HEADINGS]
    cuts = sorted({0, length, *(s.start for s in sections), *(s.end for s in sections), *(b for _, b in titles)})
    first, last = min(s.start for s in sections), max(s.end for s in sections)
    return [(a, b) for a, b in zip(cuts, cuts[1:])
            if first <= a and b <= last and not any(t0 <= a and b <= t1 for t0, t1 in titles)]


def _sentences(summary: Summary, text: str) -> list[_Sentence]:
    """NEXT's clauses (never across a heading), each with the innermost section it lies in and that section's
    part."""
    sections = in_start_order(summary.sections)
    index = SectionIndex(sections)
    out = []
    for start, end in _body_ranges(sections, len(text)):
        for a, b in _clauses(text, start, end):
            inner = index.innermost(a)
            heading = inner.heading if inner else ""
            quote = text[a:b]
            if len(quote.strip(_PUNCT)) < _MIN_SENTENCE:
                continue
            out.append(_Sentence(a, b, inner.id if inner else None, inner.part if inner else None,
                                 classify_area(quote, context=heading), frozenset(content_bigrams(quote))))
    return out


def _weights(sentences: list[_Sentence]) -> dict[str, float]:
    df = Counter(g for s in sentences for g in s.grams)
    n = len(sentences)
    return {g: math.log((n + 1) / (count + 1)) + 1.0 for g, count in df.items()}


def _score(grams: list[str], area: Area | None, sentence: _Sentence, weights: dict[str, float]) -> float:
    unique = set(grams)
    unseen = max(weights.values(), default=1.0)  # a bigram NEXT never uses is as rare as any
    total = sum(weights.get(g, unseen) for g in unique)
    shared = unique & sentence.grams
    if not total or len(shared) < MIN_SHARED:
        return 0.0
    score = sum(weights[g] for g in shared) / total
    if area is not None and area == sentence.area:
        score += AREA_BONUS
    return score


def shared_words(text: str, grams: frozenset[str]) -> list[str]:
    """Runs of `text` made of bigrams in `grams`, merged: 执法不规范 rather than 执法, 法不, 不规, 规范."""
    words: list[str] = []
    for run in _HAN_RUN.findall(text):
        for piece in _STOP.split(run):
            i = 0
            while i < len(piece) - 1:
                if piece[i:i + 2] in grams:
                    j = i + 1
                    while j < len(piece) - 1 and piece[j:j + 2] in grams:
                        j += 1
                    word = piece[i:j + 1]
                    if word not in words:
                        words.append(word)
                    i = j + 1
                else:
                    i += 1
    return words


# ---- the matcher -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Match:
    sentence: _Sentence
    score: float
    grams: frozenset[str]  # the matched clause's content bigrams


def commitment_span(item: Item, prior: Summary, items: list[Item]) -> tuple[int, int]:
    """Where an item promises (or admits) something: its own span, or, for a coarse item — the only one of
    `items` from its section, quoting only the section's opening — the whole section, whose other clauses belong
    to it too."""
    section = next((s for s in prior.sections if s.id == item.section), None) if item.section else None
    if section is None or sum(1 for i in items if i.section == item.section) > 1:
        return item.start, item.end
    if not (section.start <= item.start and item.end <= section.end):
        return item.start, item.end
    return section.start, section.end


def commitment_text(item: Item, prior: Summary, prior_text: str, items: list[Item]) -> str:
    start, end = commitment_span(item, prior, items)
    return prior_text[start:end]


def _problem_clauses(item: Item, prior: Summary, prior_text: str) -> list[Span]:
    """A problem compared clause by clause: the clauses the extractor gives (a whole paragraph's shortcomings,
    without its heading), else the 。； clauses of what it admits."""
    if item.clauses:
        return item.clauses
    return [Span(quote=prior_text[a:b], start=a, end=b)
            for a, b in _clauses(prior_text, *commitment_span(item, prior, prior.problems))]


def _item_clauses(text: str, commas: bool) -> list[list[str]]:
    """The trackable clauses of `text`, as content bigrams. With `commas`, a sentence (。；) is cut further at its
    commas when each piece still names something (MIN_PIECE bigrams): plans list several promises in one
    sentence, while a problem's comma pieces (行政复议案件较多) name a topic, not the shortcoming. A numbering
    token or a generic heading ("扎实推进各项工作") has no content bigrams left and drops out."""
    out = []
    for a, b in _clauses(text, 0, len(text)):
        pieces: list[list[str]] = []
        clause = _LEADING_NUMBER.sub("", text[a:b])
        for piece in _COMMA.split(clause) if commas else [clause]:
            grams = content_bigrams(piece)
            if pieces and (len(set(grams)) < MIN_PIECE or len(set(pieces[-1])) < MIN_PIECE):
                pieces[-1] = pieces[-1] + grams  # too small to stand alone: joins its neighbour
            else:
                pieces.append(grams)
        out.extend(p for p in pieces if len(set(p)) >= _MIN_BIGRAMS)
    return out


def _heading_context(item: Item, prior: Summary, text: str) -> list[str]:
    """For a one-promise item too short to be told apart by its own words ("抓好述法": one bigram), the content
    bigrams its section's heading adds ("（一）压实第一责任人职责"), which name what it is about; none for a longer
    item, which stands on its own words, or for the heading itself."""
    own = set(content_bigrams(_LEADING_NUMBER.sub("", text)))
    section = next((s for s in prior.sections if s.id == item.section), None) if item.section else None
    if section is None or not own or len(own) >= MIN_PIECE:
        return []
    return [g for g in content_bigrams(_LEADING_NUMBER.sub("", section.heading)) if g not in own]


def _best(item: Item, clauses: list[list[str]], pool: list[_Sentence], weights: dict[str, float],
          bar: float, context: list[str] | None = None) -> list[_Match]:
    """The best sentence for each clause (content bigrams of what `item` says) that reaches `bar`; with
    `context`, a clause is also tried with those bigrams added, and the better reading counts (the context may
    only help a short promise be found, never hide one its own words find)."""
    found = []
    for grams in clauses:
        best: tuple[float, _Sentence, list[str]] | None = None
        for reading in [grams, grams + context] if context else [grams]:
            for sentence in pool:
                score = _score(reading, item.area, sentence, weights)
                if best is None or (score, -sentence.start) > (best[0], -best[1].start):
                    best = (score, sentence, reading)
        if best is not None and best[0] >= bar:
            found.append(_Match(best[1], best[0], frozenset(best[2])))
    return found


def _evidence(text: str, match: _Match, grams: Iterable[str]) -> Evidence:
    s = match.sentence
    quote = text[s.start:s.end]
    return Evidence(quote=quote, start=s.start, end=s.end, section=s.section, part=s.part,
                    score=round(match.score, 3), shared=shared_words(quote, frozenset(grams) & s.grams))


def _about(sentence: str, grams: frozenset[str]) -> str:
    """The comma pieces of `sentence` that speak of the matched clause (two of its bigrams or more), so that
    "启动A平台建设，B机制已建立" reads A as under way; the whole sentence when no piece does."""
    pieces = [p for p in _COMMA.split(sentence) if len(set(content_bigrams(p)) & grams) >= 2]
    return "，".join(pieces) or sentence


def progress_verb(sentence: str) -> tuple[Status, str | None]:
    """`done` with the completion word when `sentence` reports one (not negated), else `partial` with the
    progress word it uses, if any."""
    for m in _DONE.finditer(sentence):
        if not _NEGATION.search(sentence[max(0, m.start() - 2):m.start()]):
            return "done", m.group()
    return "partial", next((verb for verb in PARTIAL_VERBS if verb in sentence), None)


def track(prior: Summary, prior_text: str, next: Summary, next_text: str) -> Tracking:  # noqa: A002 - the brief's name
    """PRIOR's commitments followed into NEXT, and PRIOR's problems NEXT states again; by rules, offline."""
    warnings = check_pair(prior, next)
    sentences = _sentences(next, next_text)
    weights = _weights(sentences)
    reported = [s for s in sentences if s.part in _EVIDENCE_PARTS]
    # NEXT's problems part; where no section carries it, the sentences of its problem items.
    problems = [s for s in sentences if s.part == "problems"] or [
        s for s in sentences if any(i.start <= s.start < i.end for i in next.problems)]
    prior_sentences = [a for a, _ in _clauses(prior_text, 0, len(prior_text))]

    def sentence_of(item: Item) -> int:  # the start of the PRIOR sentence (。；) the item begins in
        return prior_sentences[max(0, bisect_right(prior_sentences, item.start) - 1)] if prior_sentences else 0

    matched = []
    for item in prior.plans:
        promised = commitment_text(item, prior, prior_text, prior.plans)
        clauses = _item_clauses(promised, commas=True)
        context = _heading_context(item, prior, promised)
        if context and not clauses:  # one bigram of its own ("述法"): trackable with its heading only
            clauses = [content_bigrams(_LEADING_NUMBER.sub("", promised))]
        matched.append((item, promised, len(clauses), _best(item, clauses, reported, weights, MATCH, context)))
    # One PRIOR sentence's promises, one item each ("完善A制度，提高B质量"), that NEXT reports in one sentence are
    # read together there ("出台B规定，健全A制度"): the progress word of either is the word of both.
    together: dict[tuple[int, int], frozenset[str]] = {}
    for item, _, _, found in matched:
        for m in found:
            key = (sentence_of(item), m.sentence.start)
            together[key] = together.get(key, frozenset()) | m.grams
    commitments = []
    for item, promised, clauses, found in matched:
        if not found:
            commitments.append(TrackedCommitment(commitment=item, status="not_found", clauses=clauses, clauses_found=0))
            continue
        top = max(found, key=lambda m: m.score)
        about = together[(sentence_of(item), top.sentence.start)]
        status, verb = progress_verb(_about(next_text[top.sentence.start:top.sentence.end], about))
        commitments.append(TrackedCommitment(
            commitment=item, status=status, evidence=_evidence(next_text, top, content_bigrams(promised)),
            clauses=clauses, clauses_found=len(found), verb=verb,
        ))
    repeated = []
    for item in prior.problems:
        best: tuple[Span, _Match] | None = None
        for clause in _problem_clauses(item, prior, prior_text):
            grams = content_bigrams(_LEADING_NUMBER.sub("", clause.quote))
            if len(set(grams)) < _MIN_BIGRAMS:
                continue
            for m in _best(item, [grams], problems, weights, PROBLEM_MATCH):
                if best is None or m.score > best[1].score:
                    best = (clause, m)
        if best:
            clause, m = best
            repeated.append(RepeatedProblem(prior=item, clause=clause, next=_evidence(next_text, m, m.grams)))
    return finish(prior, next, commitments, repeated, warnings)


def commitment_status(prior: Summary, prior_text: str, next: Summary,  # noqa: A002
                      next_text: str) -> dict[tuple[int, int], TrackedCommitment]:
    """PRIOR's commitments by their (start, end) in PRIOR, each as `track` follows it into NEXT: what a draft's
    落实情况 line needs about last year's promises. Raises DrafterError, as `track` does, on two units or a
    reversed pair."""
    return {(c.commitment.start, c.commitment.end): c for c in track(prior, prior_text, next, next_text).commitments}


def finish(prior: Summary, next: Summary, commitments: list[TrackedCommitment],  # noqa: A002
           repeated: list[RepeatedProblem], warnings: list[str], backend: Literal["rules", "llm"] = "rules",
           model: str | None = None) -> Tracking:
    counts: dict[Status, int] = {status: 0 for status in STATUS_LABELS}
    for c in commitments:
        counts[c.status] += 1
    if not prior.plans:
        warnings = [*warnings, "PRIOR 未列下一年度安排：没有可跟踪的承诺"]
    return Tracking(prior=_ref(prior), next=_ref(next), commitments=commitments, repeated_problems=repeated,
                    counts=counts, warnings=warnings, backend=backend, model=model)


def _ref(summary: Summary) -> ReportRef:
    return ReportRef(source=summary.provenance.source, sha256=summary.provenance.sha256,
                     region=summary.meta.region, report_year=summary.meta.report_year)


def check_pair(prior: Summary, next: Summary) -> list[str]:  # noqa: A002
    """Refuse two units or a reversed pair; warn on a gap of years or an unknown year."""
    a, b = prior.meta, next.meta
    if a.region and b.region and a.region not in b.region and b.region not in a.region:  # 静海区 ~ 天津市静海区
        raise DrafterError(f"PRIOR is {a.region}, NEXT is {b.region}: track follows one unit's reports")
    if a.report_year and b.report_year and b.report_year == a.report_year:
        raise DrafterError(f"PRIOR and NEXT both report on {a.report_year}: track needs two years")
    if a.report_year and b.report_year and b.report_year < a.report_year:
        raise DrafterError(f"NEXT ({b.report_year}) is earlier than PRIOR ({a.report_year}); swap them")
    warnings = []
    if a.report_year and b.report_year and b.report_year != a.report_year + 1:
        warnings.append(f"年度不连续：{a.report_year} → {b.report_year}")
    if not (a.report_year and b.report_year):
        warnings.append("报告年度不明，无法核对是否为连续年度")
    return warnings


# ---- inputs ----------------------------------------------------------------------------------------------------

def load_with_text(path: Path) -> tuple[Summary, str]:
    """A summary and its report's cleaned text (drafter.inputs.load_with_source)."""
    summary, doc = load_with_source(Path(path))
    return summary, doc.text


# ---- outputs ---------------------------------------------------------------------------------------------------

def output_stem(tracking: Tracking, prior_path: Path, next_path: Path) -> str:
    p, n = tracking.prior, tracking.next
    if p.region and p.report_year and n.report_year:
        return f"{p.region}-{p.report_year}-{n.report_year}"
    return f"{_stem(prior_path)}-{_stem(next_path)}"


def _stem(path: Path) -> str:
    name = Path(path).name
    return name.removesuffix(".summary.json") if name.endswith(".summary.json") else Path(name).stem


def to_json(tracking: Tracking) -> str:
    return json.dumps(tracking.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def to_markdown(tracking: Tracking) -> str:
    p, n = tracking.prior, tracking.next
    unit = p.region or n.region or ""
    lines = [f"# {unit} {p.report_year or '?'}年度承诺在{n.report_year or '?'}年度报告中的落实情况", ""]
    counts = "，".join(f"{STATUS_LABELS[s]} {tracking.counts.get(s, 0)}" for s in STATUS_LABELS)
    lines += [f"承诺 {len(tracking.commitments)} 项：{counts}；重复出现的问题 {len(tracking.repeated_problems)} 个。",
              f"判定：{tracking.backend}" + (f"（{tracking.model}）" if tracking.model else ""), ""]
    lines += ["| # | 上年承诺 | 领域 | 状态 | 本年报告原文（证据） |", "|---:|---|---|---|---|"]
    for i, c in enumerate(tracking.commitments, 1):
        area = AREA_LABELS[c.commitment.area] if c.commitment.area else ""
        evidence = f"{_cell(c.evidence.quote)}〔{c.evidence.start}–{c.evidence.end}〕" if c.evidence else "—"
        status = STATUS_LABELS[c.status]
        if c.clauses and c.clauses > 1:
            status += f"（{c.clauses_found}/{c.clauses}）"
        lines.append(f"| {i} | {_cell(c.commitment.quote)} | {area} | {status} | {evidence} |")
        if c.reason:
            lines.append(f"| | | | | 理由：{_cell(c.reason)} |")
    lines += ["", "## 重复出现的问题", ""]
    for r in tracking.repeated_problems:
        said = r.clause or r.prior  # the clause NEXT states again, when the judge names one
        lines += [f"- 上年：{one_line(said.quote)}〔{said.start}–{said.end}〕",
                  f"  本年：{one_line(r.next.quote)}〔{r.next.start}–{r.next.end}〕"]
    if not tracking.repeated_problems:
        lines.append("（未见）")
    if tracking.warnings:
        lines += ["", "## 警告", ""] + [f"- {w}" for w in tracking.warnings]
    lines += ["", "---", "", f"上年 `{p.source}` · 本年 `{n.source}`", ""]
    return "\n".join(lines)


def to_xlsx(tracking: Tracking) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "承诺落实"
    sheet.append(["#", "上年承诺", "领域", "状态", "本年报告原文（证据）", "证据位置", "得分", "判定", "理由"])
    for i, c in enumerate(tracking.commitments, 1):
        e = c.evidence
        sheet.append([i, one_line(c.commitment.quote), AREA_LABELS[c.commitment.area] if c.commitment.area else "",
                      STATUS_LABELS[c.status], one_line(e.quote) if e else "", f"{e.start}–{e.end}" if e else "",
                      e.score if e else None, c.judge, c.reason or ""])
    problems = book.create_sheet("重复问题")
    problems.append(["上年问题", "上年位置", "本年原文", "本年位置"])
    for r in tracking.repeated_problems:
        said = r.clause or r.prior
        problems.append([one_line(said.quote), f"{said.start}–{said.end}", one_line(r.next.quote),
                         f"{r.next.start}–{r.next.end}"])
    for ws, widths in ((sheet, (5, 60, 14, 14, 60, 12, 8, 8, 30)), (problems, (60, 12, 60, 12))):
        for col, width in zip("ABCDEFGHI", widths):
            ws.column_dimensions[col].width = width
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_tracking(tracking: Tracking, out_dir: Path, stem: str, *, force: bool = False) -> list[Path]:
    payloads = {".track.json": to_json(tracking), ".track.md": to_markdown(tracking), ".track.xlsx": to_xlsx(tracking)}
    paths = {out_dir / f"{stem}{suffix}": data for suffix, data in payloads.items()}
    if not force:  # check all before writing any: a refusal leaves no partial set
        for path in paths:
            if path.exists():
                raise DrafterError(f"{path} exists; use --force to overwrite")
    return [write_atomic(path, data, force=True) for path, data in paths.items()]


def _cell(text: str) -> str:
    return clip(one_line(text), 160).replace("|", "\\|")
