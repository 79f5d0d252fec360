"""`drafter check`: structure and completeness of a draft or of a published report (.md .docx .txt .html .pdf).

Drafts (they carry placeholders, baselines or source citations) are held to the standard: five parts in order with
第一责任人 a part of its own, 主送机关, no unfilled placeholder, no baseline （2024年：218件） or reference material
left in, no footnote mark without its source, a standard title, sign-off and a 成文日期 in Arabic figures within the
督察规定's deadlines (报送 by 3月1日, or 4月1日 for a province; 公开 by 4月1日, 第二十四条), every baseline figure
found in its cited quote. Published reports are checked for the parts the 督察规定 requires (via drafter.structure)
and get warnings for layout and dates; the figure check does not apply to them, since they are the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from drafter.drafting.compose import CHECKLIST_HEADING
from drafter.drafting.docx import display_width, parse_markdown
from drafter.drafting.markdown import (
    BASELINE_RE,
    DATE_LINE_RE,
    FILLED_DATE_RE,
    FOOTNOTE_QUOTE_RE,
    FOOTNOTE_REF_RE,
    PLACEHOLDER_RE,
    REFERENCE_MARK,
    baseline_entries,
)
from drafter.errors import InputError
from drafter.ground import fold_alnum
from drafter.models import PART_LABELS, PARTS, REQUIRED_PARTS, Part
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
# Material that belongs in the companion file, not in a report: reference blocks, peer practice, the checklist.
_LEFTOVER_RE = re.compile(rf"{REFERENCE_MARK}|（参考[，,）]|不属于本报告|仅供参考|{CHECKLIST_HEADING}|^附件\d*[　 ]*同类地区|^\[[ xX]\]")
# A date in Chinese figures (二〇二六年二月十五日): GB/T 9704 7.3.5 wants Arabic figures.
_CHINESE_DATE_RE = re.compile(r"^[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日$")
# 省 and 直辖市 governments report to the centre by 4月1日; everyone else (市县乡, 部门) by 3月1日.
_PROVINCIAL_RE = re.compile(r"(?:省|自治区)人民政府$|^(?:北京|天津|上海|重庆)市人民政府$")


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
    dangling: int = 0  # footnote marks whose source is gone


def _dangling(text: str, defined: set[int]) -> int:
    return sum(1 for n in FOOTNOTE_REF_RE.findall(text) if int(n) not in defined)


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
                               quotes, _dangling(text, set(parsed.footnotes))))
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
        text = paragraph.text.replace("\n", "").strip()  # a title broken into lines is one title
        # In a .docx the sources are comments: any [^n] left in the text has lost its source.
        paras.append(_Para(FOOTNOTE_REF_RE.sub("", text).strip(), where, "Heading" in style or "Title" in style,
                           [_quote_of(comments[i]) for i in ids if i in comments], _dangling(text, set())))

    for n, block in enumerate(doc.iter_inner_content(), 1):
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        add(paragraph, f"第{n}段（表格）")
        else:
            add(block, f"第{n}段")
    return [p for p in paras if p.text]


_SPACE_BY_CJK = re.compile(r"(?<=[^\x00-\x7f])[ \t\u3000]+|[ \t\u3000]+(?=[^\x00-\x7f])")


def _text_paras(text: str) -> list[_Para]:
    """Lines as paragraphs; spaces PDF text puts between figures and Chinese (2026 年) dropped, a title broken over
    two lines joined."""
    paras = [_Para(FOOTNOTE_REF_RE.sub("", _SPACE_BY_CJK.sub("", line)).strip(), f"第{n}行",
                   dangling=_dangling(line, set())) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    for count in (2, 3):
        if len(paras) > count and not TITLE_RE.match(paras[0].text):
            joined = "".join(p.text for p in paras[:count])
            if TITLE_RE.match(joined):
                return [_Para(joined, paras[0].location, heading=True), *paras[count:]]
    return paras


def _detect_kind(paras: list[_Para]) -> Kind:
    draft = any(PLACEHOLDER_RE.search(p.text) or p.quotes or p.dangling or BASELINE_RE.search(p.text)
                or _LEFTOVER_RE.search(p.text) for p in paras)
    return "draft" if draft else "published"


def _signoff_index(paras: list[_Para]) -> int | None:
    """Index of the date paragraph of a two-line sign-off (issuer, then date)."""
    for i in range(1, len(paras)):
        if ((DATE_LINE_RE.match(paras[i].text) or _CHINESE_DATE_RE.match(paras[i].text)) and not paras[i - 1].heading
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
    findings = _part_findings(found, strict_order=False, missing=[p for p in REQUIRED_PARTS if p in compliance.missing])
    if "leadership" in compliance.present and "leadership" not in found:
        findings.append(Finding(severity="warning", code="leadership-part",
                                message=f"“{PART_LABELS['leadership']}”不是单独的一部分（督察规定要求单列报告）"))
    return findings


def _figure_findings(body: list[_Para]) -> list[Finding]:
    findings = []
    unsourced: list[tuple[str, _Para]] = []
    # A .txt, .html or .pdf copy has lost the citations: its baselines cannot be checked, only flagged as left in.
    cited = any(p.quotes for p in body)
    for para in body:
        if para.heading:
            continue
        text = fold_alnum(PLACEHOLDER_RE.sub("", _LIST_NUMBER_RE.sub("", para.text)))
        quotes = [re.sub(r"\s+", "", fold_alnum(q)) for q in para.quotes]
        for match in BASELINE_RE.finditer(text if cited else ""):
            for _, figure in baseline_entries(match):
                figures = _NUMBER_RE.findall(figure)
                if not any(all(f in q for f in figures) for q in quotes):
                    findings.append(Finding(severity="error", code="baseline-not-in-source",
                                            message=f"基数“{match.group(0)}”与所引原文不符或未注明来源",
                                            location=para.location))
                    break
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

    findings += _addressee_findings(paras, strict)
    if signoff is not None:
        findings += _date_findings(paras[signoff], title, strict)
    dangling = [p for p in paras if p.dangling]
    if dangling:
        findings.append(Finding(severity="error", code="dangling-footnote",
                                message=f"{sum(p.dangling for p in dangling)}处脚注标记没有对应的来源说明，应删除",
                                location=_locations(dangling)))
    placeholder_paras = [p for p in paras if PLACEHOLDER_RE.search(p.text)]
    if placeholder_paras:
        count = sum(len(PLACEHOLDER_RE.findall(p.text)) for p in placeholder_paras)
        findings.append(Finding(severity="error", code="placeholder", message=f"{count}处【待填】尚未填写",
                                location=_locations(placeholder_paras)))
    if kind == "draft":
        leftovers = [p for p in paras if _LEFTOVER_RE.search(p.text)]
        if leftovers:
            findings.append(Finding(severity="error", code="leftover",
                                    message=f"{len(leftovers)}处参考内容、同类地区做法或待填清单仍在文中，应移出报告",
                                    location=_locations(leftovers)))
        baselines = [p for p in body if not p.heading and BASELINE_RE.search(p.text)]
        if baselines:
            count = sum(len(BASELINE_RE.findall(p.text)) for p in baselines)
            findings.append(Finding(severity="error", code="baseline-left",
                                    message=f"{count}处上年度基数（如“{BASELINE_RE.search(baselines[0].text).group()}”）"
                                            "仍在文中，填好本年数字后应删除",
                                    location=_locations(baselines)))
        findings += _figure_findings(body)
    return CheckReport(path=path, kind=kind, findings=findings)


def _addressee_findings(paras: list[_Para], strict: Severity) -> list[Finding]:
    """7.3.4: the 主送机关 stands on the line after the title, ending in ："""
    after_title = paras[1] if len(paras) > 1 else None
    if after_title is not None and after_title.text.endswith(("：", ":")) and "。" not in after_title.text \
            and display_width(after_title.text) <= 60 and not _PART_HEADING_RE.match(after_title.text):
        return []
    return [Finding(severity=strict, code="addressee", message="缺少主送机关（标题下一行，如“中共××市委：”）",
                    location=after_title.location if after_title else None)]


def _deadlines(title: str) -> tuple[int, list[tuple[date, str]]] | None:
    """The report year and the 督察规定's deadlines for it, by the issuer's level."""
    match = TITLE_RE.match(title)
    if not match:
        return None
    year = int(match.group("year"))
    provincial = bool(_PROVINCIAL_RE.search(match.group("issuer")))
    report_by = date(year + 1, 4, 1) if provincial else date(year + 1, 3, 1)
    return year, [(report_by, f"报送期限（{report_by.month}月1日前）"), (date(year + 1, 4, 1), "公开期限（4月1日前，第二十四条）")]


def _date_findings(para: _Para, title: str, strict: Severity) -> list[Finding]:
    """成文日期: Arabic figures without padding (7.3.5), after the report year and within the deadlines."""
    text = para.text.strip()
    if PLACEHOLDER_RE.search(text):
        return []  # counted with the placeholders
    bad_form = Finding(severity=strict, code="date", location=para.location,
                       message=f"成文日期“{text}”格式不对：应使用阿拉伯数字，年份写全，月、日不编虚位（如2026年2月15日）")
    if _CHINESE_DATE_RE.match(text):
        return [bad_form]
    match = FILLED_DATE_RE.match(text)
    if match is None or any(part.startswith("0") for part in match.groups()[1:]):
        return [bad_form]
    try:
        signed = date(*(int(part) for part in match.groups()))
    except ValueError:
        return [Finding(severity=strict, code="date", message=f"成文日期“{text}”不是有效日期", location=para.location)]
    rules = _deadlines(title)
    if rules is None:
        return []
    year, deadlines = rules
    if signed <= date(year, 12, 31):
        return [Finding(severity=strict, code="date", location=para.location,
                        message=f"成文日期“{text}”早于{year}年度结束：年度报告应在次年成文")]
    late = [name for deadline, name in deadlines if signed > deadline]
    if late:
        return [Finding(severity=strict, code="deadline", location=para.location,
                        message=f"成文日期“{text}”晚于督察规定的" + "和".join(late))]
    return []


def check_markdown(markdown: str, path: str = "<markdown>", kind: Kind | None = None) -> CheckReport:
    paras = _markdown_paras(markdown)
    return _check(paras, "\n".join(p.text for p in paras), path, kind)


def check_text(text: str, path: str = "<text>", kind: Kind | None = None) -> CheckReport:
    return _check(_text_paras(text), text, path, kind)


def check_file(path: Path, kind: Kind | None = None) -> CheckReport:
    """Check a .md, .docx, .txt, .html or .pdf file; `kind` overrides the draft/published detection."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        paras = _docx_paras(path)
        return _check(paras, "\n".join(p.text for p in paras), str(path), kind)
    if suffix in (".md", ".markdown"):
        # Drafts come back from any editor: UTF-8, GBK or UTF-16, as ingest decodes reports.
        from drafter.ingest.decode import read_text_file

        return check_markdown(read_text_file(path), str(path), kind)
    if suffix not in (".txt", ".html", ".htm", ".pdf"):
        raise InputError(f"cannot check {suffix or 'a file without extension'} (use .md, .docx, .txt, .html or .pdf)")
    # A report as saved or published: ingest decodes GB18030, drops web-page junk and lays PDF lines out.
    from drafter.ingest import read_document

    return check_text(read_document(path).text, str(path), kind)
