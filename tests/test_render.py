"""render_docx: the GB/T 9704 layout in the .docx XML, comments from footnotes, safe writes."""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import datetime, timezone

import pytest

from draft_samples import diaobingshan_2022, xingning_2024
from drafter.drafting.compose import compose_draft
from drafter.errors import DrafterError
from drafter.files import write_atomic
from drafter.drafting.docx import Fonts, export_docx, render_docx, save_draft

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
        assert f'w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"' in xml, style_id
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
    title_run = re.search(r'<w:pStyle w:val="GBTitle"/>.*?</w:p>', doc, re.S).group(0)
    assert 'w:eastAsia="方正小标宋简体"' in title_run and "兴宁市人民政府关于2025年度法治政府建设情况的报告" in title_run


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


def test_signoff_position(parts):
    doc = parts["word/document.xml"]
    issuer = re.search(r'<w:p><w:pPr><w:pStyle w:val="GBSign-off"/><w:keepNext/><w:ind ([^>]*)/></w:pPr>'
                       r"(?:(?!</w:p>).)*兴宁市人民政府</w:t>", doc, re.S)
    # 28 − 2 (right inset) − 7 characters = 19 characters of 315 twips.
    assert 'w:left="5985" w:leftChars="1900"' in issuer.group(1)
    date = re.search(r'<w:pStyle w:val="GBSign-off"/><w:ind ([^>]*)/></w:pPr>'
                     r"(?:(?!</w:p>).)*2026年", doc, re.S)
    assert 'w:leftChars="1400"' in date.group(1)  # 13-character placeholder date: pulled in to fit the line


def test_footnotes_become_comments(draft, parts):
    comments = parts["word/comments.xml"]
    assert comments.count("<w:comment ") == len(re.findall(r"\[\^\d+\]", draft.markdown.split("## 待填")[0]))
    assert "原文：“新收行政复议案件218件”" in comments
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


def test_appendix_starts_a_new_page(parts):
    doc = parts["word/document.xml"]
    assert re.search(r"<w:pageBreakBefore/>(?:(?!</w:p>).)*附件1", doc, re.S)


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


def test_save_draft_and_export(tmp_path, draft):
    md_path, docx_path = save_draft(draft, tmp_path, docx=True)
    assert md_path.name == "兴宁市-2025年度法治政府建设情况报告-草稿.md"
    assert md_path.read_text(encoding="utf-8") == draft.markdown
    assert zipfile.is_zipfile(docx_path)
    md_path.write_text(draft.markdown + "\n编辑过", encoding="utf-8")
    with pytest.raises(DrafterError, match="exists"):
        save_draft(draft, tmp_path)
    assert md_path.read_text(encoding="utf-8").endswith("编辑过")  # the writer's edits survive
    with pytest.raises(DrafterError, match="exists"):
        export_docx(md_path)
    os.utime(docx_path, ns=(0, 0))
    export_docx(md_path, force=True)
    assert docx_path.stat().st_mtime_ns != 0  # replaced
    with zipfile.ZipFile(docx_path) as z:
        assert "编辑过" in z.read("word/document.xml").decode()  # from the edited Markdown
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([md_path.name, docx_path.name])


def test_export_reports_unreadable_input(tmp_path):
    with pytest.raises(DrafterError, match="cannot read"):
        export_docx(tmp_path / "missing.md")
