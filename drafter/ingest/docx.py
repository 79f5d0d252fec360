"""Word .docx: paragraphs and tables in body order, with Word's list numbering written out."""

from __future__ import annotations

import io
import re

from drafter.errors import InputError
from drafter.ingest.clean import stored_title
from drafter.ingest.decode import Read
from drafter.numerals import to_chinese
from drafter.text import describe


def read_docx(raw: bytes) -> Read:
    import zipfile

    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        doc = open_docx(io.BytesIO(raw))  # parses every XML part: damage shows here, not later
        title = stored_title(doc.core_properties.title)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError, EOFError) as exc:
        raise InputError(f"not a valid .docx ({describe(exc)})") from None
    except Exception as exc:  # lxml raises its own XMLSyntaxError on damaged parts
        if type(exc).__module__.startswith("lxml"):
            raise InputError(f"not a valid .docx ({describe(exc)})") from None
        raise
    numbering = _ListNumbering(doc)
    blocks: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            blocks.extend(_docx_rows(block))
        else:
            text = block.text
            blocks.append(numbering.label(block) + text if text.strip() else text)
    return "\n".join(blocks), None, title


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
                    "ideographDigital", "koreanCounting"}


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += numeral * count
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in _CHINESE_FORMATS:
        return to_chinese(n)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _HEAVENLY_STEMS[n - 1]
    if fmt in ("upperLetter", "lowerLetter") and 1 <= n <= 26:
        letter = chr(ord("A") + n - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    return str(n)


class _ListNumbering:
    """Word's automatic list numbers (一、 （一） 1.), which python-docx leaves out of paragraph text but
    the structure step needs to find headings. Counters run per abstract list, as Word counts them."""

    def __init__(self, doc) -> None:  # noqa: ANN001 (docx.Document, imported lazily)
        from docx.opc.constants import RELATIONSHIP_TYPE

        # (abstract id, level) → (start, format, level text); numId → (abstract id, {level: start override})
        self.levels: dict[tuple[str, int], tuple[int, str, str]] = {}
        self.lists: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.restarted: set[str] = set()
        try:
            root = doc.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
        except KeyError:
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            abstract_id = abstract.get(f"{_W}abstractNumId")
            for lvl in abstract.iter(f"{_W}lvl"):
                self.levels[(abstract_id, int(lvl.get(f"{_W}ilvl", "0")))] = (
                    int(_w_val(lvl, "start") or 1), _w_val(lvl, "numFmt") or "decimal", _w_val(lvl, "lvlText") or "",
                )
        for num in root.iter(f"{_W}num"):
            abstract_id = _w_val(num, "abstractNumId")
            overrides = {
                int(o.get(f"{_W}ilvl", "0")): int(_w_val(o, "startOverride"))
                for o in num.iter(f"{_W}lvlOverride") if _w_val(o, "startOverride") is not None
            }
            self.lists[num.get(f"{_W}numId")] = (abstract_id, overrides)

    def label(self, paragraph) -> str:  # noqa: ANN001 (docx Paragraph)
        """The number Word shows before this paragraph, advancing the counters; '' when it has none."""
        num_id, level = self._num_pr(paragraph)
        if num_id is None or num_id not in self.lists:
            return ""
        abstract_id, overrides = self.lists[num_id]
        if (abstract_id, level) not in self.levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.restarted:
            self.restarted.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        start, fmt, text = self.levels[(abstract_id, level)]
        if fmt in ("bullet", "none"):
            return ""
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]

        def number(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            lvl_start, lvl_fmt, _ = self.levels.get((abstract_id, lvl), (1, "decimal", ""))
            return _format_number(counters.get(lvl, lvl_start), lvl_fmt)

        return re.sub(r"%([1-9])", number, text)

    @staticmethod
    def _num_pr(paragraph) -> tuple[str | None, int]:  # noqa: ANN001
        """numId and level from the paragraph, else from its style chain."""
        sources = [paragraph._p.pPr]
        style = paragraph.style
        while style is not None:
            sources.append(style.element.pPr)
            style = style.base_style
        num_id, level = None, None
        for ppr in sources:
            num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
            if num_pr is None:
                continue
            if level is None and _w_val(num_pr, "ilvl") is not None:
                level = int(_w_val(num_pr, "ilvl"))
            if num_id is None and _w_val(num_pr, "numId") is not None:
                num_id = _w_val(num_pr, "numId")
            if num_id is not None:
                break
        if num_id == "0":  # numId 0 switches numbering off
            num_id = None
        return num_id, level or 0


def _w_val(element, child: str) -> str | None:  # noqa: ANN001 (lxml element)
    found = element.find(f"{_W}{child}")
    return None if found is None else found.get(f"{_W}val")


def _docx_rows(table) -> list[str]:  # noqa: ANN001 (docx.table.Table, imported lazily)
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is repeated once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(p.strip() for p in cell.text.split("\n") if p.strip()))
        rows.append("\t".join(cells))
    return rows
