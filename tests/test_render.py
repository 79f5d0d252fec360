"""render_docx: the GB/T 9704 layout in the .docx XML, comments from footnotes, safe writes."""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import datetime, timezone

import pytest

from draft_samples import SEEDS, diaobingshan_2022, xingning_2024
from drafter.drafting.compose import compose_draft
from drafter.errors import DrafterError
from drafter.files import write_atomic
from drafter.drafting.docx import (
    CHAR_PITCH_TWIPS,
    Fonts,
    export_docx,
    render_docx,
    save_draft,
    signoff_layout,
    title_lines,
    title_words,
)

FIXED = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def draft():
    return compose_draft([xingning_2024(), diaobingshan_2022()])


@pytest.fixture(scope="module")
def parts(draft):
    with zipfile.ZipFile(io.BytesIO(render_docx(draft.markdown, comment_time=FIXED))) as z:
        return {name: z.read(name).decode("utf-8") for name in z.namelist() if name.endswith(".xml")}


def style_xml(styles: str, style_id: str) -> str:
    return re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', styles, re.S).group(0)


def test_page_size_margins_and_line_grid(parts):
    doc = parts["word/document.xml"]
    # 37/26/35/28 mm in twips (1 mm = 1440/25.4 twips), rounded.
    assert re.search(r'<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"', doc)
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in doc
    assert re.search(r'<w:docGrid w:linePitch="579" w:type="lines"/>', doc)


def test_fonts_and_sizes_in_styles(parts):
    styles = parts["word/styles.xml"]
    expected = {"GBTitle": ("方正小标宋简体", "44"), "GBBody": ("仿宋_GB2312", "32"), "GBHeading1": ("黑体", "32"),
                "GBHeading2": ("楷体_GB2312", "32"), "GBHeading3": ("仿宋_GB2312", "32"),
                "GBPageNumber": ("宋体", "28")}
    for style_id, (font, size) in expected.items():
        xml = style_xml(styles, style_id)
        latin = font if style_id == "GBPageNumber" else "Times New Roman"  # figures half a cell wide
        assert f'w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{font}"' in xml, style_id
        assert f'<w:sz w:val="{size}"/>' in xml, style_id
    normal = style_xml(styles, "Normal")
    assert '<w:spacing w:lineRule="exact" w:line="579"' in normal  # fixed 28.95 pt lines: 22 to a page
    assert '<w:spacing w:val="-5"/>' in normal  # 28 characters of 15.75 pt fit the 156 mm line
    assert "Theme" not in re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    assert 'w:eastAsia="zh-CN"' in parts["word/settings.xml"]
    assert 'w:firstLine="630" w:firstLineChars="200"' in style_xml(styles, "GBBody")


def test_every_run_names_its_east_asian_font(parts):
    doc = parts["word/document.xml"]
    runs = [r for r in re.findall(r"<w:r>.*?</w:r>", doc, re.S) if "<w:t" in r]  # text runs, not comment marks
    assert runs and all('w:eastAsia="' in run for run in runs)
    title = re.search(r'<w:pStyle w:val="GBTitle"/>.*?</w:p>', doc, re.S).group(0)
    assert 'w:eastAsia="方正小标宋简体"' in title
    assert re.findall(r"<w:t>([^<]*)</w:t>", title) == ["兴宁市人民政府关于2025年度", "法治政府建设情况的报告"]
    assert title.count("<w:br/>") == 1


def test_odd_and_even_page_number_footers(parts):
    assert "<w:evenAndOddHeaders/>" in parts["word/settings.xml"]
    doc = parts["word/document.xml"]
    assert re.search(r'<w:footerReference w:type="default"', doc)
    assert re.search(r'<w:footerReference w:type="even"', doc)
    footers = [xml for name, xml in parts.items() if name.startswith("word/footer")]
    assert len(footers) == 2
    for xml in footers:
        assert "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in xml
        assert ">— </w:t>" in xml and "> —</w:t>" in xml
        assert 'w:eastAsia="宋体"' in xml
    aligns = sorted(re.search(r'<w:ind w:(left|right)="280"/><w:jc w:val="(\w+)"/>', x).groups() for x in footers)
    assert aligns == [("left", "left"), ("right", "right")]  # one character (14 pt) in from the edge


def paragraph_of(doc: str, text: str) -> str:
    """The paragraph whose text is `text`, else the first that contains it."""
    paragraphs = [(p, "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))) for p in re.findall(r"<w:p>.*?</w:p>", doc, re.S)]
    return next((p for p, t in paragraphs if t == text), None) or next(p for p, t in paragraphs if text in t)


def indent(paragraph: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'w:(\w+)="(-?\d+)"', re.search(r"<w:ind [^>]*/>", paragraph).group(0))}


def test_signoff_position(parts):
    """7.3.5.2 for 兴宁市人民政府 (7 cells) and a date of 2026年2月15日 (6.5 cells and 5 script gaps of 0.2): the date is
    the longer line, two characters in from the right; the issuer starts two characters left of it."""
    doc = parts["word/document.xml"]
    issuer, date = paragraph_of(doc, "兴宁市人民政府"), paragraph_of(doc, "2026年【待填】月【待填】日")
    assert '<w:jc w:val="right"/>' in issuer and '<w:jc w:val="right"/>' in date
    assert indent(date)["rightChars"] == 200 and indent(date)["right"] == 2 * CHAR_PITCH_TWIPS
    # issuer right = 2 + 7.5 + 2 − 7 = 4.5 characters: its first character is two left of the date's.
    assert indent(issuer)["rightChars"] == 450 and indent(issuer)["right"] == round(4.5 * CHAR_PITCH_TWIPS)
    assert indent(issuer)["leftChars"] == indent(date)["leftChars"] == 0
    # Before <w:p> of the issuer: one blank line after the text.
    before = doc[: doc.index(issuer)]
    assert before.rstrip().endswith('<w:p><w:pPr><w:pStyle w:val="GBBody"/><w:keepNext/></w:pPr></w:p>')


@pytest.mark.parametrize("issuer, date, sealed, expected", [
    ("兴宁市人民政府", "2026年【待填】月【待填】日", False, (4.5, 2)),  # measured as filled: filling moves nothing
    ("兴宁市人民政府", "2026年2月15日", False, (4.5, 2)),
    ("兴宁市人民政府", "2026年12月15日", False, (5.0, 2)),  # re-exported with a longer date: the issuer moves left
    ("楚雄彝族自治州人民政府", "2026年2月15日", False, (2, 3.5)),  # the issuer is the longer: it is two in
    ("兴宁市人民政府", "2026年2月15日", True, (4.25, 4)),  # 7.3.5.1: date four in, issuer centred over it
])
def test_signoff_layout_rules(issuer, date, sealed, expected):
    layout = signoff_layout(issuer, date, year=2026, sealed=sealed)
    assert (round(layout.issuer_right, 2), round(layout.date_right, 2)) == expected


def test_sealed_signoff_in_the_document(draft):
    doc = zipfile.ZipFile(io.BytesIO(render_docx(draft.markdown, sealed=True))).read("word/document.xml").decode()
    assert indent(paragraph_of(doc, "2026年【待填】月【待填】日"))["rightChars"] == 400
    assert indent(paragraph_of(doc, "兴宁市人民政府"))["rightChars"] == 425


@pytest.mark.parametrize("title", [
    "兴宁市人民政府关于2025年度法治政府建设情况的报告",
    "楚雄彝族自治州人民政府关于2025年度法治政府建设情况的报告",
    "中共某某市委全面依法治市委员会办公室关于某某市司法局2025年度法治政府建设工作情况的报告",
    "国家市场监督管理总局关于2024年法治政府建设情况的报告",
])
def test_title_lines_break_between_words_in_a_symmetric_shape(title):
    lines = title_lines(title)
    assert "".join(lines) == title and len(lines) >= 2
    # Every break falls on a word boundary of the segmenter (2025年度 counts as one word).
    boundaries, pos = set(), 0
    for word in title_words(title):
        pos += len(word)
        boundaries.add(pos)
    breaks = [sum(len(line) for line in lines[:i]) for i in range(1, len(lines))]
    assert all(b in boundaries for b in breaks), lines
    assert not any(line.startswith(("的", "和")) for line in lines[1:])
    widths = [sum(0.5 if ord(c) < 128 else 1 for c in line) for line in lines]
    assert max(widths) <= 19 and max(widths) - min(widths) <= 6, lines


def test_short_title_stays_on_one_line():
    assert title_lines("某县人民政府关于2025年度法治政府建设情况的报告"[:15]) == ["某县人民政府关于2025年度法"]


def test_addressee_flush_left_and_opening_indented(parts):
    doc = parts["word/document.xml"]
    addressee, opening = paragraph_of(doc, "中共兴宁市委："), paragraph_of(doc, "现将我市2025年度")
    assert indent(addressee)["firstLineChars"] == 0
    assert "<w:ind" not in opening and '<w:pStyle w:val="GBBody"/>' in opening  # the style's 2-character indent


def test_every_placeholder_run_is_highlighted(draft, parts):
    doc = parts["word/document.xml"]
    runs = re.findall(r"<w:r>(.*?)</w:r>", doc, re.S)
    gaps = [r for r in runs if "【待填" in r]
    assert len(gaps) == len(draft.placeholders)
    assert all('<w:highlight w:val="yellow"/>' in r for r in gaps)
    assert all(re.search(r"<w:t[^>]*>【待填[^<]*】</w:t>", r) for r in gaps)  # the placeholder is the whole run
    assert not any('<w:highlight' in r for r in runs if "【待填" not in r)


def test_copies_line_between_rules_and_document_properties(parts):
    doc = parts["word/document.xml"]
    copies = paragraph_of(doc, "抄送：")
    assert '<w:top w:val="single" w:sz="8"' in copies and '<w:bottom w:val="single" w:sz="8"' in copies
    assert '<w:sz w:val="28"/>' in copies  # 4号
    core = parts["docProps/core.xml"]
    assert "<dc:title>兴宁市人民政府关于2025年度法治政府建设情况的报告</dc:title>" in core
    assert "<dc:creator>兴宁市人民政府</dc:creator>" in core and "python-docx" not in core


def test_footnotes_become_comments_citing_section_and_quote(draft, parts):
    comments = parts["word/comments.xml"]
    body = draft.markdown.split("\n[^1]:")[0]
    assert comments.count("<w:comment ") == len(re.findall(r"\[\^\d+\]", body))
    assert "原文：“新收行政复议案件218件”" in comments
    assert "字）" not in comments  # no character offsets: a Word reader cannot use them
    doc = parts["word/document.xml"]
    assert "[^" not in doc
    anchored = re.search(r'<w:commentRangeStart w:id="(\d+)"/><w:r>(?:(?!</w:r>).)*新收行政复议案件', doc, re.S)
    assert anchored
    assert 'w:date="2026-01-01T00:00:00Z"' in comments


def test_rendering_is_deterministic_with_a_fixed_comment_time(draft, parts):
    with zipfile.ZipFile(io.BytesIO(render_docx(draft.markdown, comment_time=FIXED))) as z:
        assert z.read("word/document.xml").decode() == parts["word/document.xml"]
        assert z.read("word/comments.xml").decode() == parts["word/comments.xml"]


def test_fonts_are_configurable(draft):
    data = render_docx(draft.markdown, Fonts(body="方正仿宋_GBK"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode()
    assert 'w:eastAsia="方正仿宋_GBK"' in style_xml(styles, "GBBody")
    assert "仿宋_GB2312" not in styles


def test_write_atomic_never_overwrites_without_force(tmp_path):
    target = tmp_path / "a.md"
    write_atomic(target, "一", force=False)
    with pytest.raises(DrafterError, match="exists; use --force"):
        write_atomic(target, "二", force=False)
    assert target.read_text(encoding="utf-8") == "一"
    write_atomic(target, "二", force=True)
    assert target.read_text(encoding="utf-8") == "二"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]  # no temp file left behind
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)


def test_failed_atomic_write_leaves_no_temp_file(tmp_path):
    (tmp_path / "taken").mkdir()  # os.replace cannot put a file over a directory
    with pytest.raises(DrafterError, match="cannot write"):
        write_atomic(tmp_path / "taken", b"x", force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_save_draft_writes_the_draft_and_its_companions_and_export(tmp_path, draft):
    written = save_draft(draft, tmp_path, docx=True)
    names = [p.name for p in written]
    assert names == ["兴宁市-2025年度法治政府建设情况报告-草稿.md", "兴宁市-2025年度法治政府建设情况报告-参考材料.md",
                     "兴宁市-2025年度法治政府建设情况报告-数据采集表.xlsx", "兴宁市-2025年度法治政府建设情况报告-草稿.docx",
                     "兴宁市-2025年度法治政府建设情况报告-参考材料.docx"]
    md_path, companion, sheet, docx_path, _ = written
    assert md_path.read_text(encoding="utf-8") == draft.markdown
    assert companion.read_text(encoding="utf-8") == draft.companion
    assert zipfile.is_zipfile(docx_path)
    md_path.write_text(draft.markdown + "\n编辑过", encoding="utf-8")
    sheet.write_bytes(b"edited")
    with pytest.raises(DrafterError, match="exists"):
        save_draft(draft, tmp_path)
    assert md_path.read_text(encoding="utf-8").endswith("编辑过")  # the writer's edits survive
    md_path.unlink()
    companion.unlink()
    with pytest.raises(DrafterError, match="数据采集表.xlsx exists"):  # every target checked before any write
        save_draft(draft, tmp_path)
    assert not md_path.exists() and sheet.read_bytes() == b"edited"
    save_draft(draft, tmp_path, force=True)
    md_path.write_text(draft.markdown + "\n编辑过", encoding="gbk")  # re-saved by an editor in GBK
    with pytest.raises(DrafterError, match="exists"):
        export_docx(md_path)
    os.utime(docx_path, ns=(0, 0))
    export_docx(md_path, force=True)
    assert docx_path.stat().st_mtime_ns != 0  # replaced
    with zipfile.ZipFile(docx_path) as z:
        assert "编辑过" in z.read("word/document.xml").decode()  # from the edited Markdown
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def test_data_sheet_has_a_row_per_figure(tmp_path, draft):
    from openpyxl import load_workbook

    written = save_draft(draft, tmp_path)
    sheet = load_workbook(written[2]).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("类别", "草稿章节", "指标", "单位", "上年度基数（原文）", "2025年数值", "提供单位")
    assert len(rows) - 1 == len(draft.data_rows) == 8
    # The indicator by its catalogue name (drafter/data/indicators), the figure's own label in the draft line.
    review = next(r for r in rows if r[2] == "行政复议收案（新收、受理）")
    assert review[:7] == ("标准指标", "一（六）矛盾纠纷化解", "行政复议收案（新收、受理）", "件", "2024年：218件", None,
                          "司法局（行政复议机构）")
    assert review[8] == "新收行政复议案件218件"


def test_filling_the_date_keeps_the_layout(draft):
    """The date filled in the Markdown and re-exported lays out as the unfilled one did (measured as filled)."""
    filled = draft.markdown.replace("2026年【待填】月【待填】日", "2026年2月15日")
    docs = [zipfile.ZipFile(io.BytesIO(render_docx(md))).read("word/document.xml").decode() for md in (draft.markdown, filled)]
    assert indent(paragraph_of(docs[0], "2026年【待填】月【待填】日")) == indent(paragraph_of(docs[1], "2026年2月15日"))
    assert indent(paragraph_of(docs[0], "兴宁市人民政府")) == indent(paragraph_of(docs[1], "兴宁市人民政府"))


def test_export_reports_unreadable_input(tmp_path):
    with pytest.raises(DrafterError, match="cannot read"):
        export_docx(tmp_path / "missing.md")


def test_cli_draft_from_a_summary_file_writes_the_companions_and_cites_paragraphs(tmp_path):
    from typer.testing import CliRunner

    from drafter.cli import app

    runner = CliRunner()
    seed = SEEDS / "zhoucun-2024.txt"
    assert runner.invoke(app, ["summarize", str(seed), "--out", str(tmp_path)]).exit_code == 0
    result = runner.invoke(app, ["draft", str(tmp_path / "zhoucun-2024.summary.json"), "--out", str(tmp_path),
                                 "--docx", "--sealed"])
    assert result.exit_code == 0, result.output
    stem = "周村区-2025年度法治政府建设情况报告"
    for name in ("-草稿.md", "-参考材料.md", "-数据采集表.xlsx", "-草稿.docx", "-参考材料.docx"):
        assert (tmp_path / f"{stem}{name}").exists(), name
    markdown = (tmp_path / f"{stem}-草稿.md").read_text(encoding="utf-8")
    # The summary's source is still there unchanged: citations name the paragraph (checked by hand in the seed).
    assert re.search(r"^\[\^\d+\]: 《周村区人民政府2024年度法治政府建设情况报告》二、（五）第1段 原文：“共收到行政复议申请131件”$",
                     markdown, re.M)
    doc = zipfile.ZipFile(tmp_path / f"{stem}-草稿.docx").read("word/document.xml").decode()
    assert indent(paragraph_of(doc, "2026年【待填】月【待填】日"))["rightChars"] == 400  # --sealed


def test_the_segmenter_is_quiet():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-W", "default", "-c",
                           "from drafter.drafting.docx import title_lines; print(title_lines('兴宁市人民政府关于2025年度法治政府建设情况的报告'))"],
                          capture_output=True, text=True, cwd=SEEDS.parent)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.strip() == "['兴宁市人民政府关于2025年度', '法治政府建设情况的报告']"
