"""`drafter check`: structure and completeness of a draft (.md/.docx/.txt) or of a published report.

Drafts (they carry placeholders or source citations) are held to the standard: five parts in order, no unfilled
placeholder, a standard title, sign-off and date, every baseline figure found in its cited quote. Published reports
are checked for the parts the 督察规定 requires (via drafter.structure) and get warnings for layout; the figure check
does not apply to them, since they are the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from drafter.drafting.compose import BASELINE_RE, CHECKLIST_HEADING, FOOTNOTE_QUOTE_RE, FOOTNOTE_REF_RE, PLACEHOLDER_RE
from drafter.errors import InputError
from drafter.ground import fold_alnum
from drafter.models import PART_LABELS, PARTS, REQUIRED_PARTS, Part
from drafter.drafting.docx import DATE_LINE_RE, display_width, parse_markdown
from drafter.structure import CHINESE_DATE, assess_compliance, heading_parts, parse_sections, signoff_start
from drafter.text import clip

Severity = Literal["error", "warning"]
Kind = Literal["draft", "published"]

TITLE_RE = re.compile(r"^(?P<issuer>.+?)关于(?P<year>\d{4})年度?法治政府建设(?:工作)?情况的报告$")
_PART_HEADING_RE = re.compile(r"^[一二三四五六七八九十]+、")
_SIGNOFF_DATE_RE = re.compile(CHINESE_DATE)
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_YEAR_OR_DATE_RE = re.compile(r"\d{4}(?=年)|\d{1,2}(?=[月日])")
_LIST_NUMBER_RE = re.compile(r"^\s*(?:\d+[.．、]|[（(]\d+[)）])\s*")
# A filled-in value right before its baseline: 新收行政复议案件235件（2024年：218件）.
_FILLED_VALUE_RE = re.compile(r"(\d+(?:\.\d+)?)[^\d（]{0,6}（\d{4}年：")
_MAX_LOCATIONS = 5


class Finding(BaseModel):
    severity: Severity
    code: str
    message: str
    location: str | None = None


class CheckReport(BaseModel):
    path: str
    kind: Kind
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        """One line per finding, `path: severity [code] message (location)`, for the command line."""
        return [f"{self.path}: {f.severity} [{f.code}] {f.message}" + (f"（{f.location}）" if f.location else "")
                for f in self.findings]


@dataclass
class _Para:
    text: str  # footnote references removed
    location: str
    heading: bool = False
    quotes: list[str] = field(default_factory=list)  # quotes of the sources this paragraph cites


def _quote_of(note: str) -> str:
    match = FOOTNOTE_QUOTE_RE.search(note)
    return match.group(1) if match else note


def _markdown_paras(markdown: str) -> list[_Para]:
    parsed = parse_markdown(markdown)
    paras = []
    for block in parsed.blocks:
        texts = [" ".join(row) for row in block.rows] if block.kind == "table" else [block.text]
        for text in texts:
            quotes = [_quote_of(parsed.footnotes[int(n)]) for n in FOOTNOTE_REF_RE.findall(text)
                      if int(n) in parsed.footnotes]
            paras.append(_Para(FOOTNOTE_REF_RE.sub("", text).strip(), f"第{block.line}行", block.kind == "heading",
                               quotes))
    return paras


def _docx_paras(path: Path) -> list[_Para]:
    from docx import Document as open_docx
    from docx.oxml.ns import qn
    from docx.table import Table

    try:
        doc = open_docx(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for a broken package
        raise InputError(f"not a readable .docx ({exc.__class__.__name__})") from None
    comments = {c.comment_id: c.text for c in doc.comments}
    paras: list[_Para] = []

    def add(paragraph, where: str) -> None:
        ids = [int(el.get(qn("w:id"))) for el in paragraph._p.iter(qn("w:commentRangeStart"))]
        style = paragraph.style.name if paragraph.style is not None else ""
        paras.append(_Para(paragraph.text.strip(), where, "Heading" in style or "Title" in style,
                           [_quote_of(comments[i]) for i in ids if i in comments]))

    for n, block in enumerate(doc.iter_inner_content(), 1):
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        add(paragraph, f"第{n}段（表格）")
        else:
            add(block, f"第{n}段")
    return [p for p in paras if p.text]


def _text_paras(text: str) -> list[_Para]:
    return [_Para(line.strip(), f"第{n}行") for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _detect_kind(paras: list[_Para]) -> Kind:
    draft = any(PLACEHOLDER_RE.search(p.text) or p.quotes or p.text.startswith(CHECKLIST_HEADING) for p in paras)
    return "draft" if draft else "published"


def _signoff_index(paras: list[_Para]) -> int | None:
    """Index of the date paragraph of a two-line sign-off (issuer, then date)."""
    for i in range(1, len(paras)):
        if (DATE_LINE_RE.match(paras[i].text) and not paras[i - 1].heading
                and display_width(paras[i - 1].text) <= 40):
            return i
    return None


def _locations(paras: list[_Para]) -> str:
    shown = "、".join(p.location for p in paras[:_MAX_LOCATIONS])
    return shown + ("等" if len(paras) > _MAX_LOCATIONS else "")


def _draft_parts(body: list[_Para], title: str) -> list[Finding]:
    headings: dict[Part, _Para] = {}
    for para in body:
        if not _PART_HEADING_RE.match(para.text):
            continue
        part = next(iter(heading_parts(para.text)), None)
        if part and part not in headings:
            headings[part] = para
    findings = _part_findings(list(headings), strict_order=True)
    # The draft reports on the title's year and plans the one after: catch a year left over from a copy.
    title_match = TITLE_RE.match(title)
    if title_match:
        year = int(title_match.group("year"))
        for part, expected in (("measures", year), ("plans", year + 1)):
            para = headings.get(part)
            if para and re.search(r"\d{4}", para.text) and str(expected) not in para.text:
                findings.append(Finding(severity="warning", code="year",
                                        message=f"标题为{year}年度，但“{para.text}”不是{expected}年",
                                        location=para.location))
    return findings


def _part_findings(found: list[Part], *, strict_order: bool, missing: list[Part] | None = None) -> list[Finding]:
    findings = []
    for part in missing if missing is not None else [p for p in REQUIRED_PARTS if p not in found]:
        findings.append(Finding(severity="error", code="missing-part", message=f"缺少必备部分：{PART_LABELS[part]}"))
    if "other" not in found and strict_order:
        findings.append(Finding(severity="warning", code="missing-part",
                                message=f"缺少部分：{PART_LABELS['other']}（如无可写“无”）"))
    expected = [p for p in PARTS if p in found]
    if found != expected:
        findings.append(Finding(
            severity="error" if strict_order else "warning", code="part-order",
            message="部分顺序与规定不符：" + " → ".join(PART_LABELS[p] for p in found)))
    return findings


def _published_parts(text: str) -> list[Finding]:
    sections = parse_sections(text)
    compliance = assess_compliance(text, sections)
    # Order is judged on top-level sections: 第一责任人 as a subsection of 举措和成效 is common and allowed.
    found: list[Part] = []
    for section in sections:
        if section.parent is None and section.part and section.part not in found:
            found.append(section.part)
    found = [p for p in found if p in compliance.present]
    return _part_findings(found, strict_order=False, missing=[p for p in REQUIRED_PARTS if p in compliance.missing])


def _figure_findings(body: list[_Para]) -> list[Finding]:
    findings = []
    unsourced: list[tuple[str, _Para]] = []
    for para in body:
        if para.heading:
            continue
        text = fold_alnum(PLACEHOLDER_RE.sub("", _LIST_NUMBER_RE.sub("", para.text)))
        quotes = [re.sub(r"\s+", "", fold_alnum(q)) for q in para.quotes]
        for match in BASELINE_RE.finditer(text):
            figures = _NUMBER_RE.findall(match.group(2))
            if not any(all(f in q for f in figures) for q in quotes):
                findings.append(Finding(severity="error", code="baseline-not-in-source",
                                        message=f"基数“{match.group(0)}”与所引原文不符或未注明来源",
                                        location=para.location))
        filled = {m.start(1) for m in _FILLED_VALUE_RE.finditer(text)}
        skipped = BASELINE_RE.sub(lambda m: " " * len(m.group(0)), text)
        skipped = _YEAR_OR_DATE_RE.sub(lambda m: " " * len(m.group(0)), skipped)
        for match in _NUMBER_RE.finditer(skipped):
            if match.start() in filled or any(match.group() in q for q in quotes):
                continue
            unsourced.append((match.group(), para))
    if unsourced:
        shown = "、".join(f"{n}（{p.location}）" for n, p in unsourced[:_MAX_LOCATIONS])
        findings.append(Finding(severity="warning", code="figure-without-source",
                                message=f"{len(unsourced)}个数字没有来源或基数，请核实：{shown}"))
    return findings


def _check(paras: list[_Para], full_text: str, path: str, kind: Kind | None) -> CheckReport:
    kind = kind or _detect_kind(paras)
    strict: Severity = "error" if kind == "draft" else "warning"
    findings: list[Finding] = []
    signoff = _signoff_index(paras)
    # The report proper ends at the date; appendices and the checklist follow it.
    body = paras[: signoff + 1] if signoff is not None else paras
    checklist_at = next((i for i, p in enumerate(paras) if p.text.startswith(CHECKLIST_HEADING)), None)
    if signoff is None and checklist_at is not None:
        body = paras[:checklist_at]

    title = paras[0].text if paras else ""
    findings += _draft_parts(body, title) if kind == "draft" else _published_parts(full_text)

    if not TITLE_RE.match(title):
        shown = clip(title, 40)
        # A first paragraph that is running prose means the report has no title at all, not a malformed one.
        looks_like_title = "报告" in title and len(title) <= 60
        message = (f"标题不是标准形式“××关于××××年度法治政府建设情况的报告”：{shown}" if looks_like_title
                   else f"缺少标题（首段为正文：{shown}）")
        findings.append(Finding(severity=strict, code="title", message=message,
                                location=paras[0].location if paras else None))

    if signoff is None:
        # Plain-text copies often put issuer and date on one line, or after the last sentence: the parser's 落款.
        tail = signoff_start(full_text)
        if tail is None or _SIGNOFF_DATE_RE.match(full_text, tail):  # no 落款, or a date with no issuer
            findings.append(Finding(severity=strict, code="signoff", message="缺少落款（发文机关署名和成文日期）"))

    placeholder_paras = [p for p in paras if PLACEHOLDER_RE.search(p.text)]
    if placeholder_paras:
        count = sum(len(PLACEHOLDER_RE.findall(p.text)) for p in placeholder_paras)
        findings.append(Finding(severity="error", code="placeholder", message=f"{count}处【待填】尚未填写",
                                location=_locations(placeholder_paras)))
    if kind == "draft":
        leftovers = [p for p in paras if "定稿前删除" in p.text]
        if leftovers:
            findings.append(Finding(severity="warning", code="leftover",
                                    message=f"{len(leftovers)}处“定稿前删除”的参考内容或清单仍在文中",
                                    location=_locations(leftovers)))
        findings += _figure_findings(body)
    return CheckReport(path=path, kind=kind, findings=findings)


def check_markdown(markdown: str, path: str = "<markdown>", kind: Kind | None = None) -> CheckReport:
    paras = _markdown_paras(markdown)
    return _check(paras, "\n".join(p.text for p in paras), path, kind)


def check_text(text: str, path: str = "<text>", kind: Kind | None = None) -> CheckReport:
    return _check(_text_paras(text), text, path, kind)


def check_file(path: Path, kind: Kind | None = None) -> CheckReport:
    """Check a .md, .docx or .txt file; `kind` overrides the draft/published detection."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        paras = _docx_paras(path)
        return _check(paras, "\n".join(p.text for p in paras), str(path), kind)
    if suffix not in (".md", ".markdown", ".txt"):
        raise InputError(f"cannot check {suffix or 'a file without extension'} (use .md, .docx or .txt)")
    if suffix == ".txt":
        # A published report as saved: ingest decodes GB18030 and drops web-page junk before checking.
        from drafter.ingest import read_document

        return check_text(read_document(path).text, str(path), kind)
    from drafter.ingest.decode import read_text_file

    return check_markdown(read_text_file(path), str(path), kind)
