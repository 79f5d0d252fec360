"""The summary step's output: a Summary as JSON and as readable Markdown, written as a pair; and read back."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from drafter.errors import DrafterError
from drafter.files import write_atomic
from drafter.models import AREA_LABELS, PART_LABELS, REQUIRED_PARTS, Item, Summary

JSON_SUFFIX = ".summary.json"
MD_SUFFIX = ".summary.md"


def load_summary(path: Path) -> Summary:
    try:
        return Summary.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise DrafterError(f"cannot read summary: {exc.strerror or exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DrafterError(f"not a drafter summary ({where}: {first['msg']})") from None


def is_summary_file(path: Path) -> bool:
    # Any .json given to `draft` is meant as a summary: a wrong one gets "not a drafter summary", not "unsupported".
    return path.suffix.lower() == ".json"


def write_summary(summary: Summary, out_dir: Path, stem: str, *, force: bool = False) -> tuple[Path, Path]:
    json_path = out_dir / f"{stem}{JSON_SUFFIX}"
    md_path = out_dir / f"{stem}{MD_SUFFIX}"
    # Check both before writing either, so a refusal leaves no half-written pair.
    if not force:
        for path in (json_path, md_path):
            if path.exists():
                raise DrafterError(f"{path} exists; use --force to overwrite")
    # The serializer's own bytes: model_dump_json would decode them to a str that write_atomic encodes again
    # (half the cost of the JSON). Same bytes as json.dumps(indent=2, ensure_ascii=False).
    payload = summary.__pydantic_serializer__.to_json(summary, indent=2) + b"\n"
    # The .json goes last and marks the pair whole: if it cannot be written (or the run is interrupted), the new
    # .md is taken back, so a resumed run finds either both files or neither.
    had_md = md_path.exists()
    write_atomic(md_path, to_markdown(summary), force=True)
    try:
        write_atomic(json_path, payload, force=True)
    except BaseException:
        if not had_md:
            md_path.unlink(missing_ok=True)
        raise
    return json_path, md_path


def is_current(json_path: Path, sha256: str, backend: str, model: str | None, prompt_version: str | None) -> bool:
    """Whether the summary at `json_path` was made from the same input bytes by the same backend, model and
    prompt version, so a re-run can skip it (a damaged or foreign file is not current)."""
    try:
        provenance = Summary.model_validate_json(json_path.read_bytes()).provenance
    except (OSError, ValidationError):
        return False
    return (provenance.sha256, provenance.backend, provenance.model, provenance.prompt_version) == (
        sha256, backend, model, prompt_version)


def overview(summary: Summary) -> str:
    meta = summary.meta
    place = " ".join(x for x in (meta.province, meta.prefecture) if x)
    head = f"{meta.region or '(region unknown)'}"
    if place:
        head += f" ({place}{', ' + meta.level if meta.level else ''})"
    head += f" · {meta.report_year or '(year unknown)'}年度"
    parts = " ".join(
        f"{part} {'✓' if part in summary.compliance.present else '✗'}" for part in REQUIRED_PARTS
    )
    counts = (
        f"{len(summary.measures)} measures, {len(summary.problems)} problems, {len(summary.plans)} plans, "
        f"{len(summary.leadership)} leadership, {len(summary.metrics)} metrics"
    )
    return f"{head} · parts: {parts} · {counts}"


def to_markdown(summary: Summary) -> str:
    meta = summary.meta
    untitled = f"{meta.region or ''}{meta.report_year or ''}{'年度' if meta.report_year else ''}法治政府建设情况（原文无标题）"
    lines = [f"# {meta.title or untitled} · 摘要", ""]
    rows = [
        ("标题", meta.title), ("发文机关", meta.issuer), ("主送机关", meta.addressee), ("地区", meta.region),
        ("省份", meta.province), ("地市", meta.prefecture), ("层级", meta.level),
        ("报告年度", meta.report_year), ("成文日期", meta.issued_date),
    ]
    lines += ["| 字段 | 值 |", "|---|---|"]
    lines += [f"| {label} | {_cell(value) if value is not None else '—'} |" for label, value in rows]
    lines += _indicator_table(summary)
    lines += ["", "## 结构与合规", ""]
    for status in summary.compliance.parts:
        mark = "✓" if status.present else "✗"
        where = f"（章节 {', '.join(status.sections)}）" if status.sections else ""
        note = f"：{status.note}" if status.note else ""
        lines.append(f"- {mark} {PART_LABELS[status.part]}{where}{note}")
    for note in summary.compliance.notes:
        lines.append(f"- 注：{note}")
    lines += ["", "### 标题层级", ""]
    for section in summary.sections:
        part = f" 〔{PART_LABELS[section.part]}〕" if section.part else ""
        lines.append(f"{'  ' * (section.level - 1)}- {section.heading}{part}")
    for title, items in (
        ("主要举措和成效", summary.measures),
        ("第一责任人履职", summary.leadership),
        ("存在的不足和原因", summary.problems),
        ("下一年度主要安排", summary.plans),
    ):
        lines += ["", f"## {title}（{len(items)}）", ""]
        lines += [_item_line(item) for item in items] or ["（报告中未见）"]
    lines += ["", f"## 数据（{len(summary.metrics)}）", "", "| 指标 | 数值 | 单位 | 限定 | 原文 |", "|---|---:|---|---|---|"]
    for metric in summary.metrics:
        value = _number(metric.value) + (f"–{_number(metric.value_max)}" if metric.value_max is not None else "")
        lines.append(f"| {_cell(metric.label)} | {value} | {metric.unit} | {metric.qualifier or ''} | {_cell(metric.quote)} |")
    if summary.warnings:
        lines += ["", "## 警告", ""] + [f"- {w}" for w in summary.warnings]
    prov = summary.provenance
    lines += [
        "", "---", "",
        f"来源 `{prov.source}` · sha256 `{prov.sha256[:12]}` · backend `{prov.backend}`"
        + (f" · model `{prov.model}`" if prov.model else "")
        + f" · drafter {prov.drafter_version} · schema {summary.schema_version}",
        "",
    ]
    return "\n".join(lines)


def _indicator_table(summary: Summary) -> list[str]:
    """The figures that measure a standard indicator, in catalogue terms, with the figure as written."""
    measured = [m for m in summary.metrics if m.indicator]
    lines = ["", f"## 标准指标（{len(measured)}）", ""]
    if not measured:
        return lines + ["（报告中未见）"]
    lines += ["| 指标 | 数值 | 原文 |", "|---|---|---|"]
    for metric in measured:
        written = f"{metric.raw}{metric.unit}" + (f"（{metric.qualifier}）" if metric.qualifier else "")
        lines.append(f"| {_cell(metric.indicator.name)} | {_cell(written)} | {_cell(metric.quote)} |")  # type: ignore[union-attr]
    return lines


def _item_line(item: Item) -> str:
    area = f"〔{AREA_LABELS[item.area]}〕" if item.area else ""
    line = f"- **{item.title}**{area}：{item.summary}  \n  > {_cell(item.quote)} 〔{item.start}–{item.end}〕"
    # A problem's clauses and stated cause, each with its offsets, under the quote.
    if item.clauses:
        line += "".join(f"\n  - {_cell(c.quote)} 〔{c.start}–{c.end}〕" for c in item.clauses)
    if item.cause is not None:
        line += f"\n  - 原因：{_cell(item.cause.quote)} 〔{item.cause.start}–{item.cause.end}〕"
    return line


def _number(value: float) -> str:
    """A figure as `:g` writes it; a whole count below a million (nearly every figure) without the float format."""
    return str(int(value)) if value.is_integer() and 0 < value < 1e6 else f"{value:g}"


def _cell(value: object) -> str:
    text = value if type(value) is str else str(value)
    return text.replace("|", "\\|").replace("\n", " ") if "|" in text or "\n" in text else text
