"""The same report saved as GB18030 text, .docx, a government web page or a PDF summarises to the same facts.

Each seed is re-published in each format (one paragraph per line, as a writer's file has it), read through
ingest and summarised by the rules backend; metadata, parts, items and figures must equal those of the .txt.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

import drafter
from drafter.ground import ungrounded
from drafter.ingest import read_document
from drafter.models import Summary
from test_ingest import write_pdf

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
# 兴宁's report is a single line as published; as a file of paragraphs it is covered by the other four.
MULTI_LINE = [s for s in SEEDS if s.stem != "xingning-2024"]


def paragraphs(seed: Path) -> list[str]:
    return [line for line in read_document(seed).text.split("\n") if line.strip()]


def as_gb18030(seed: Path, tmp: Path) -> Path:
    path = tmp / f"{seed.stem}.txt"
    path.write_bytes(seed.read_text(encoding="utf-8").replace("\n", "\r\n").encode("gb18030"))
    return path


def as_docx(seed: Path, tmp: Path) -> Path:
    from docx import Document as DocxDocument

    doc = DocxDocument()
    for paragraph in paragraphs(seed):  # no heading styles: headings are found by their numbering
        doc.add_paragraph(paragraph)
    path = tmp / f"{seed.stem}.docx"
    doc.save(str(path))
    return path


def as_html(seed: Path, tmp: Path) -> Path:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs(seed))
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>法治政府建设</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></div>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设年度报告</div>
<div class="TRS_Editor">{body}</div><div>【打印本页】【关闭窗口】</div>
<div class="footer">版权所有：人民政府办公室 ICP备05009001号</div></body></html>"""
    path = tmp / f"{seed.stem}.html"
    path.write_bytes(page.encode("gb18030"))
    return path


def as_pdf(seed: Path, tmp: Path) -> Path:
    path = tmp / f"{seed.stem}.pdf"
    lines = paragraphs(seed)
    # write_pdf centres its first paragraph as the title; reports that open with body text get an empty one.
    title = lines.pop(0) if "报告" in lines[0] and len(lines[0]) <= 40 else ""
    write_pdf(path, [title, *lines], lines_per_page=22)
    return path


def facts(summary: Summary) -> dict:
    meta = summary.meta.model_dump(exclude={"evidence", "title"})
    return {
        "meta": meta,
        "present": summary.compliance.present,
        "missing": summary.compliance.missing,
        "headings": [s.heading for s in summary.sections if s.level == 1],
        **{part: [i.title for i in getattr(summary, part)] for part in ("measures", "problems", "plans", "leadership")},
        "metrics": [(m.raw, m.unit, m.value) for m in summary.metrics],
    }


@pytest.mark.parametrize("publish", [as_gb18030, as_docx, as_html, as_pdf], ids=["gb18030", "docx", "html", "pdf"])
@pytest.mark.parametrize("seed", MULTI_LINE, ids=[s.stem for s in MULTI_LINE])
def test_every_format_gives_the_same_summary(seed: Path, publish, tmp_path: Path) -> None:
    expected = facts(drafter.summarize(read_document(seed)))
    doc = read_document(publish(seed, tmp_path))
    summary = drafter.summarize(doc)
    assert not ungrounded(doc.text, summary.facts())
    assert facts(summary) == expected
