"""Ingest: every format and encoding reads to the same clean text; bad inputs fail with a one-line reason.

Fixtures (GB18030/BOM text, docx, gov-style HTML, two-page PDF) are generated in tmp_path from seed text.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.errors import InputError
from drafter.ingest import clean_text, read_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ZHOUCUN_TITLE = "周村区人民政府2024年度法治政府建设情况报告"


def zhoucun_paragraphs() -> list[str]:
    """The zhoucun body split where the web copy put a space between paragraphs (before 一、 and （一）…)."""
    body = (SEEDS / "zhoucun-2024.txt").read_text(encoding="utf-8").splitlines()[5]
    return body.rstrip(" |").split(" ")


# ------------------------------------------------------------------------------------------- plain text


@pytest.mark.parametrize("name", ["chuxiong-2024", "diaobingshan-2022", "ruzhou-2023", "xingning-2024"])
def test_clean_seeds_read_verbatim(name: str) -> None:
    path = SEEDS / f"{name}.txt"
    raw = path.read_bytes()
    doc = read_document(path)
    assert doc.text == raw.decode("utf-8").strip()
    assert doc.source.format == "txt"
    assert doc.source.encoding == "utf-8"
    assert doc.source.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.source.path == str(path)


def test_plain_text_ingest_imports_no_heavy_library() -> None:
    """Batch runs read thousands of .txt reports: docx, lxml, trafilatura and pdfium load only when needed."""
    code = (
        "import sys; from pathlib import Path; from drafter.ingest import read_document; "
        f"read_document(Path({str(SEEDS / 'zhoucun-2024.txt')!r})); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'lxml', 'trafilatura', 'pypdfium2'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_one_line_report_stays_one_line() -> None:
    doc = read_document(SEEDS / "xingning-2024.txt")
    assert "\n" not in doc.text
    assert doc.text.startswith("中共兴宁市委: 2024年,我市坚持")
    assert doc.text.endswith("兴宁市人民政府 2025年1月15日")


def test_zhoucun_web_junk_removed_body_intact() -> None:
    doc = read_document(SEEDS / "zhoucun-2024.txt")
    lines = doc.text.split("\n")
    assert lines[0] == ZHOUCUN_TITLE
    assert len(lines) == 2
    assert lines[1] == " ".join(zhoucun_paragraphs())
    for junk in ("【打印本页】", "【关闭窗口】", "|||", "|"):
        assert junk not in doc.text
    assert lines[1].endswith("切实增强全民法律意识和法治素养。")


def test_gb18030_reads_like_utf8_including_chars_missing_from_gbk(tmp_path: Path) -> None:
    text = (SEEDS / "diaobingshan-2022.txt").read_text(encoding="utf-8").replace("调兵山市人民政府", "䶮调兵山市人民政府", 1)
    with pytest.raises(UnicodeEncodeError):
        "䶮".encode("gbk")  # the fixture needs GB18030 proper, not its GBK subset
    utf8 = tmp_path / "u.txt"
    gb = tmp_path / "g.txt"
    utf8.write_bytes(text.encode("utf-8"))
    gb.write_bytes(text.encode("gb18030"))
    from_gb = read_document(gb)
    assert from_gb.text == read_document(utf8).text
    assert "䶮调兵山市人民政府" in from_gb.text
    assert from_gb.source.encoding == "gb18030"


def test_bom_and_crlf_variants_read_the_same(tmp_path: Path) -> None:
    text = (SEEDS / "zhoucun-2024.txt").read_text(encoding="utf-8")
    expected = read_document(SEEDS / "zhoucun-2024.txt").text
    bom_crlf = tmp_path / "bom.txt"
    bom_crlf.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    lone_cr = tmp_path / "cr.txt"
    lone_cr.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(text.encode("utf-16"))  # with BOM
    assert read_document(bom_crlf).text == expected
    assert read_document(bom_crlf).source.encoding == "utf-8-sig"
    assert read_document(lone_cr).text == expected
    assert read_document(utf16).text == expected
    assert read_document(utf16).source.encoding == "utf-16"


def test_utf8_cut_mid_character_keeps_the_report(tmp_path: Path) -> None:
    raw = (SEEDS / "ruzhou-2023.txt").read_bytes()
    path = tmp_path / "cut.txt"
    path.write_bytes(raw[:-1])  # the last 。 loses its final byte
    doc = read_document(path)
    assert doc.text == raw.decode("utf-8").strip()[:-1] + "\ufffd"
    assert doc.source.encoding == "utf-8"


@pytest.mark.parametrize("text", ["政府工作报告", "一"])
def test_short_gbk_text_decodes_right(tmp_path: Path, text: str) -> None:
    # "一" in GBK is D2 BB, which is also valid UTF-8 (Cyrillic һ): the plausibility check must reject that.
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode("gbk"))
    doc = read_document(path)
    assert doc.text == text
    assert doc.source.encoding == "gb18030"


@pytest.mark.parametrize("codec", ["big5", "utf-16-le"])
def test_bytes_that_only_decode_to_garbage_are_rejected(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "garbage.txt"
    path.write_bytes("法治政府建設年度報告，全面推進依法行政，行政執法與刑事司法銜接機制不斷完善。".encode(codec))
    with pytest.raises(InputError, match="not UTF-8 or GB18030|binary content"):
        read_document(path)


@pytest.mark.parametrize("controls, readable", [(1, True), (3, False)])
def test_binary_share_is_counted_among_the_odd_characters(tmp_path: Path, controls: int, readable: bool) -> None:
    # 200 characters with 1 or 3 control characters (0.5 % or 1.5 %): both pass the 2 % odd-character check, only
    # the first the 1 % binary one.
    text = "依法行政。" * 40
    path = tmp_path / "r.txt"
    path.write_bytes(("\x01" * controls + text[controls:]).encode("utf-8"))
    if readable:
        assert read_document(path).text == text[controls:]
    else:
        with pytest.raises(InputError, match="^binary content"):
            read_document(path)


def test_clean_text_drops_zero_width_and_control_characters() -> None:
    assert clean_text("依法\u200b行政\x07，\ufeff共１２件。") == "依法行政，共12件。"


def test_markdown_heading_marks_dropped(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("# XX县2024年法治政府建设情况报告\n\n## 一、主要举措\n\n**（一）深化改革。**全年办结12件。\n", "utf-8")
    doc = read_document(path)
    assert doc.text == "XX县2024年法治政府建设情况报告\n\n一、主要举措\n\n（一）深化改革。全年办结12件。"
    assert doc.source.format == "md"


# ------------------------------------------------------------------------------------------- clean_text


def test_clean_text_folds_widths_but_keeps_chinese_punctuation() -> None:
    assert clean_text("２０２４年，办理ＡＢ类案件１２件（次）；") == "2024年，办理AB类案件12件（次）；"


def test_clean_text_strips_indentation_and_collapses_blank_lines() -> None:
    raw = "\n\n\u3000\u3000一、总体情况  \n\u00a0\u00a0正文内容。\n\n\n\n（一）下一段\u3000\n\n"
    assert clean_text(raw) == "一、总体情况\n正文内容。\n\n（一）下一段"


def test_clean_text_turns_every_kind_of_line_break_into_newline() -> None:
    assert clean_text("第一页末行。\x0c第二页首行\r\n甲\r乙\u2028丙\x0b丁") == "第一页末行。\n第二页首行\n甲\n乙\n丙\n丁"


def test_clean_text_drops_site_widgets_but_not_text() -> None:
    raw = (
        "关于2024年度法治政府建设情况的报告 | |||\n【字体：大 中 小】【打印】\n分享到：微信 微博 QQ空间\n"
        "分享到户的帮扶资金全部到位。\n正文。【打印本页】【关闭窗口】\n| 指标 | 数量 |"
    )
    assert clean_text(raw) == "关于2024年度法治政府建设情况的报告\n分享到户的帮扶资金全部到位。\n正文。\n| 指标 | 数量 |"


# ------------------------------------------------------------------------------------------- docx


def test_docx_paragraphs_and_table_in_body_order(tmp_path: Path) -> None:
    from docx import Document as new_docx

    paragraphs = zhoucun_paragraphs()
    doc = new_docx()
    doc.core_properties.title = ZHOUCUN_TITLE
    doc.add_paragraph(ZHOUCUN_TITLE)
    for p in paragraphs[:3]:  # intro, 一、 heading, （一） — headings as plain numbered paragraphs
        doc.add_paragraph(p)
    table = doc.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标", "2023年", "2024年"], ["行政复议申请", "118件", "131件"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_paragraph("")
    doc.add_paragraph(paragraphs[3])
    assert {p.style.name for p in doc.paragraphs} == {"Normal"}
    path = tmp_path / "report.docx"
    doc.save(path)

    got = read_document(path)
    assert got.text.split("\n") == [
        ZHOUCUN_TITLE, *paragraphs[:3], "指标\t2023年\t2024年", "行政复议申请\t118件\t131件", "", paragraphs[3],
    ]
    assert got.source.format == "docx"
    assert got.source.title_hint == ZHOUCUN_TITLE


def add_numbered_list(doc, levels: list[tuple[str, str]]) -> str:  # noqa: ANN001 (docx Document)
    """Define a Word auto-numbered list (numFmt, lvlText per level) as Word writes it; returns its numId."""
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = doc.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering.insert(0, parse_xml(f'<w:abstractNum {ns} w:abstractNumId="90">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="91"><w:abstractNumId w:val="90"/></w:num>'))
    return "91"


def set_list_level(paragraph, num_id: str, level: int) -> None:  # noqa: ANN001 (docx Paragraph)
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {ns}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def test_docx_automatic_numbering_is_written_out(tmp_path: Path) -> None:
    """Headings numbered by Word itself (一、 （一） 1.) carry no number in their text; ingest restores it."""
    from docx import Document as new_docx

    doc = new_docx()
    num_id = add_numbered_list(doc, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")])
    outline = [
        (0, "主要举措和成效"), (1, "深化改革"), (2, "推行告知承诺制"), (2, "压减审批时限"), (1, "规范执法"),
        (0, "存在的不足和原因"), (1, "法治意识不强"),
    ]
    for level, text in outline:
        set_list_level(doc.add_paragraph(text), num_id, level)
    doc.add_paragraph("无编号的正文。")
    path = tmp_path / "numbered.docx"
    doc.save(path)
    assert read_document(path).text.split("\n") == [
        "一、主要举措和成效", "（一）深化改革", "1.推行告知承诺制", "2.压减审批时限", "（二）规范执法",
        "二、存在的不足和原因", "（一）法治意识不强", "无编号的正文。",
    ]


def test_truncated_docx_is_rejected(tmp_path: Path) -> None:
    from docx import Document as new_docx

    doc = new_docx()
    doc.add_paragraph("一、主要举措和成效")
    buffer = io.BytesIO()
    doc.save(buffer)
    path = tmp_path / "cut.docx"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(InputError, match=r"^not a valid \.docx \(.+\)$"):
        read_document(path)


# ------------------------------------------------------------------------------------------- html


def gov_page(container: str) -> bytes:
    """A TRS-style article page around the zhoucun body, with every kind of site chrome, in GB2312."""
    paragraphs = "".join(f'<p style="text-indent:2em;">{html.escape(p)}</p>\n' for p in zhoucun_paragraphs())
    page = f"""<!DOCTYPE html><html><head><meta charset="gb2312">
<title>{ZHOUCUN_TITLE}_政务公开_淄博市周村区人民政府</title>
<script>var s = "当前位置";</script><style>.nav {{ color: red }}</style></head><body>
<div class="top"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 法治政府建设</div>
<div class="article"><h1>{ZHOUCUN_TITLE}</h1>
<div class="info">发布时间：2025-01-20 信息来源：区司法局 【字体：大 中 小】</div>
<div class="share">分享到：微信 微博 QQ空间</div>
<div {container}>{paragraphs}
<table><tr><td>指标</td><td>数量</td></tr><tr><td>行政复议申请</td><td>131件</td></tr></table>
<p>五、其他</p><p>无。</p></div>
<div class="tools">【打印本页】【关闭窗口】</div></div>
<div class="footer"><p>版权所有：淄博市周村区人民政府办公室</p><p>鲁ICP备05009001号 网站标识码3703060001</p></div>
</body></html>"""
    # Servers labelled gb2312 really send GBK (Python's strict gb2312 codec cannot even encode the — dash).
    return page.encode("gbk")


@pytest.mark.parametrize("container", ['id="zoom"', 'class="TRS_Editor"', 'class="main-text"'])
def test_gov_html_page_main_text_only(tmp_path: Path, container: str) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(gov_page(container))
    doc = read_document(path)
    lines = doc.text.split("\n")
    assert lines[0] == ZHOUCUN_TITLE
    assert lines[1 : 1 + len(zhoucun_paragraphs())] == zhoucun_paragraphs()  # 一、/（一） headings on own lines
    assert lines[-4:] == ["指标\t数量", "行政复议申请\t131件", "五、其他", "无。"]
    assert "《法治政府建设实施纲要(2021—2025年)》" in doc.text  # A1AA read as GB18030 gives — not ―
    for chrome in ("首页", "当前位置", "版权所有", "ICP备", "【打印本页】", "关闭窗口", "分享到", "字体", "发布时间", "var s"):
        assert chrome not in doc.text
    assert doc.source.encoding == "gb18030"
    assert doc.source.format == "html"
    assert doc.source.title_hint == ZHOUCUN_TITLE


def test_table_laid_out_html_page_keeps_paragraphs_and_drops_chrome(tmp_path: Path) -> None:
    """Old county sites put nav, article and footer in cells of one layout table, article in UTF-8."""
    paragraphs = "".join(f"<p>&nbsp;&nbsp;{html.escape(p)}</p>" for p in zhoucun_paragraphs())
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{ZHOUCUN_TITLE} - 周村区人民政府</title></head><body><table width="100%">
<tr><td colspan="2"><a href="/">首页</a> | <a>政务公开</a> | <a>新闻中心</a></td></tr>
<tr><td width="200"><ul><li><a>通知公告</a></li><li><a>政策文件</a></li></ul></td>
<td><div><b>{ZHOUCUN_TITLE}</b></div>{paragraphs}</td></tr>
<tr><td colspan="2">版权所有 周村区人民政府 鲁ICP备05009001号</td></tr></table></body></html>"""
    path = tmp_path / "old.html"
    path.write_bytes(page.encode("utf-8"))
    doc = read_document(path)
    assert doc.text.split("\n") == [ZHOUCUN_TITLE, *zhoucun_paragraphs()]
    assert doc.source.encoding == "utf-8"
    assert doc.source.title_hint == ZHOUCUN_TITLE


@pytest.mark.parametrize("wrapping", ["nested divs", "br", "split spans"])
def test_html_without_known_container_finds_the_article_however_wrapped(tmp_path: Path, wrapping: str) -> None:
    esc = html.escape
    paragraphs = zhoucun_paragraphs()
    article = {
        "nested divs": "".join(f'<div class="para"><div><span>{esc(p)}</span></div></div>' for p in paragraphs),
        "br": "<div>" + "<br>\n".join(map(esc, paragraphs)) + "</div>",
        "split spans": "".join(f'<p><span class="fs">{esc(p[:9])}</span><span>{esc(p[9:])}</span></p>' for p in paragraphs),
    }[wrapping]
    related = "".join(f"<li><a>关于印发周村区第{i}批行政执法事项清单的通知</a></li>" for i in range(12))
    page = f"""<html><head><meta charset="utf-8"><title>{ZHOUCUN_TITLE}_周村区人民政府</title></head><body>
<div class="nav"><a>首页</a><a>政务公开</a><a>政务服务</a><a>互动交流</a></div>
<div class="main"><div class="side"><h3>相关文章</h3><ul>{related}</ul></div>
<div class="art"><h2>{ZHOUCUN_TITLE}</h2>{article}</div></div>
<div class="foot"><p>主办单位：淄博市周村区人民政府办公室 承办单位：周村区大数据中心</p>
<p>版权所有 鲁ICP备05009001号 网站标识码3703060001</p></div></body></html>"""
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("utf-8"))
    assert read_document(path).text.split("\n") == [ZHOUCUN_TITLE, *zhoucun_paragraphs()]


def test_html_charset_label_that_lies_falls_back_to_detection(tmp_path: Path) -> None:
    path = tmp_path / "lying.html"
    body = "".join(f"<p>{html.escape(p)}</p>" for p in zhoucun_paragraphs())
    page = f'<html><head><meta charset="gbk"><title>{ZHOUCUN_TITLE}</title></head><body><div>{body}</div></body></html>'
    path.write_bytes(page.encode("utf-8"))
    doc = read_document(path)
    assert doc.source.encoding == "utf-8"
    assert doc.text.split("\n") == zhoucun_paragraphs()  # <title> alone is not page text: only a hint
    assert doc.source.title_hint == ZHOUCUN_TITLE


# ------------------------------------------------------------------------------------------- pdf

PDF_FONT = "STSong-Light"
FONT_SIZE = 16
CHARS_PER_LINE = 28


# Closing marks (GB/T 15834): a paragraph's last marks never stand on a line of their own; they hang past the right
# margin, as Word lets them. (pdfium, without a CJK system font, also drops a line of only "。" in a non-embedded font.)
_CLOSING_MARKS = frozenset("。，、；：？！”’）》」』")


def wrap(text: str, first_width: float, width: float) -> list[str]:
    """Greedy line filling by measured width, as a word processor does with mixed CJK and ASCII text."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line, limit = [], "", first_width
    for i, ch in enumerate(text):
        if line and stringWidth(line + ch, PDF_FONT, FONT_SIZE) > limit and not _CLOSING_MARKS.issuperset(text[i:]):
            lines.append(line)
            line, limit = "", width
        line += ch
    return [*lines, line]


def write_pdf(path: Path, paragraphs: list[str], lines_per_page: int, signature: tuple[str, ...] = ()) -> list[str]:
    """A GB/T 9704-like PDF: 28 CJK characters a line, 2-character first-line indent, '— n —' page numbers,
    a running header. Returns the printed lines, to check the fixture really wraps and breaks pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    width, height = A4
    left = (width - CHARS_PER_LINE * FONT_SIZE) / 2
    placed: list[tuple[float, str]] = []
    for i, paragraph in enumerate(paragraphs):
        if i == 0:  # centred title
            placed.append((-1, paragraph))
            continue
        lines = wrap(paragraph, (CHARS_PER_LINE - 2) * FONT_SIZE, CHARS_PER_LINE * FONT_SIZE)
        placed.append((left + 2 * FONT_SIZE, lines[0]))
        placed.extend((left, line) for line in lines[1:])
    right = left + CHARS_PER_LINE * FONT_SIZE
    placed.extend((-2 - right, line) for line in signature)  # x < -1: right-aligned at -(x + 2)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page_no, first in enumerate(range(0, len(placed), lines_per_page), start=1):
        pdf.setFont(PDF_FONT, 10)
        pdf.drawCentredString(width / 2, height - 40, "周村区人民政府文件")
        pdf.setFont(PDF_FONT, FONT_SIZE)
        y = height - 110
        for x, line in placed[first : first + lines_per_page]:
            if x < -1:
                pdf.drawRightString(-(x + 2), y, line)
            elif x < 0:
                pdf.drawCentredString(width / 2, y, line)
            else:
                pdf.drawString(x, y, line)
            y -= FONT_SIZE * 1.75
        pdf.setFont(PDF_FONT, 14)
        pdf.drawCentredString(width / 2, 45, f"— {page_no} —")
        pdf.showPage()
    pdf.save()
    return [line for _, line in placed]


def test_text_pdf_rejoins_wrapped_lines_and_drops_page_furniture(tmp_path: Path) -> None:
    # A full line that ends in a closing quote or bracket: its ink stops short of the margin, its cell does not.
    quoted = "深入开展“" + "法" * 20 + "”" + "主题宣传活动，建成法治文化阵地（" + "所" * 11 + "）" + "覆盖群众3万余人次。"
    paragraphs = [ZHOUCUN_TITLE, *zhoucun_paragraphs()[:4], quoted]
    signature = ("淄博市周村区人民政府", "2025年1月20日")
    path = tmp_path / "report.pdf"
    printed = write_pdf(path, paragraphs, lines_per_page=12, signature=signature)
    assert 24 < len(printed) <= 36  # three pages; the right-aligned signature ends the short last one
    page_break_line = printed[11]
    assert not page_break_line.endswith("。")  # …and a paragraph runs on across the page break
    wrapped = [line for line in printed if line.endswith(("”", "）"))]
    assert len(wrapped) >= 2 and all(line not in paragraphs for line in wrapped)

    doc = read_document(path)
    assert doc.text.split("\n") == [*paragraphs, *signature]
    assert "— 1 —" not in doc.text and "— 2 —" not in doc.text
    assert "周村区人民政府文件" not in doc.text
    assert doc.source.format == "pdf"


def test_scanned_pdf_without_text_layer_is_rejected(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page_no in (1, 2):  # the scanned page image, plus a page number a tool stamped on as text
        pdf.rect(50, 80, 400, 600, fill=1)
        pdf.drawCentredString(A4[0] / 2, 45, f"- {page_no} -")
        pdf.showPage()
    pdf.save()
    with pytest.raises(InputError, match=r"^no text layer \(scanned PDF\?\); run OCR first$"):
        read_document(path)


def test_pdf_whose_text_is_not_chinese_is_rejected(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "symbols.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont("Symbol", 12)  # stands in for a font without a Unicode map: the text layer is not Chinese
    pdf.drawString(72, 720, "abcdefghijklmnopqrstuvwxyz abcdefghij")
    pdf.save()
    with pytest.raises(InputError, match="^text layer is not readable Chinese text"):
        read_document(path)


# ------------------------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "^empty$"),
        ("blank.txt", b" \r\n\t\n  \n", "^empty$"),
        ("junk.txt", "|\n|||\n【打印本页】\n".encode(), "^empty$"),
        ("binary.txt", bytes(range(256)) * 8, "^binary content"),
        ("noise.txt", bytes([0x80, 0xFF, 0xFE, 0x81, 0x30]) * 40, "^cannot decode: not UTF-8 or GB18030"),
        ("report.doc", b"\xd0\xcf\x11\xe0 legacy", r"^unsupported \.doc file; convert with LibreOffice first \(soffice"),
        ("report.wps", b"wps", r"^unsupported \.wps file; convert with LibreOffice first \(soffice"),
        ("table.xlsx", b"PK\x03\x04",
         r"^unsupported \.xlsx file; a spreadsheet, not a report$"),
        ("scan.jpg", b"\xff\xd8\xff", r"^unsupported file type \.jpg"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", r"^not a valid \.pdf \("),
        ("menu.html", b"<html><body><ul><li><a>Home</a></li></ul></body></html>", "^no article text found"),
    ],
)
def test_bad_inputs_fail_with_a_reason(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_document(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="^no such file$"):
        read_document(tmp_path / "missing.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(InputError, match="^is a directory"):
        read_document(tmp_path / "folder.txt")


def test_fifo_is_refused_and_a_symlink_is_followed(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(InputError, match="^not a regular file$"):
        read_document(tmp_path / "pipe.txt")
    (tmp_path / "report.txt").write_text("依法行政。", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "report.txt")
    assert read_document(tmp_path / "link.txt").text == "依法行政。"
