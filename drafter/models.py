"""Typed data at every boundary of the pipeline: ingest → structure → extract → ground → summary → compose.

Every offset anywhere is a character offset into `Document.text`, and every fact's `quote` equals
`text[start:end]`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"

Part = Literal["measures", "problems", "leadership", "plans", "other"]
PARTS: tuple[Part, ...] = ("measures", "problems", "leadership", "plans", "other")
# The four parts the 督察规定 requires; "other" (其他需要报告的情况) is optional in practice.
REQUIRED_PARTS: tuple[Part, ...] = ("measures", "problems", "leadership", "plans")
PART_LABELS: dict[Part, str] = {
    "measures": "主要举措和成效",
    "problems": "存在的不足和原因",
    "leadership": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "plans": "下一年度主要安排",
    "other": "其他需要报告的情况",
}

# The 纲要 (2021—2025) task areas, parts 二–十, in the 纲要's order, plus 普法.
Area = Literal[
    "functions", "rules", "decisions", "enforcement", "emergency",
    "disputes", "oversight", "digital", "leadership", "publicity",
]
AREAS: tuple[Area, ...] = (
    "functions", "rules", "decisions", "enforcement", "emergency",
    "disputes", "oversight", "digital", "leadership", "publicity",
)
AREA_LABELS: dict[Area, str] = {
    "functions": "政府机构职能",
    "rules": "依法行政制度",
    "decisions": "行政决策",
    "enforcement": "行政执法",
    "emergency": "突发事件应对",
    "disputes": "矛盾纠纷化解",
    "oversight": "权力制约监督",
    "digital": "数字法治政府",
    "leadership": "党的领导和推进机制",
    "publicity": "法治宣传教育",
}

# township: a 乡, 镇, 街道 or 苏木; a 新区 or 开发区 counts as a district; a 自治州 or 盟 as a prefecture-city.
Level = Literal["township", "county", "district", "county-level-city", "prefecture-city", "province", "department"]
SourceFormat = Literal["txt", "md", "docx", "html", "pdf"]
HeadingStyle = Literal["chinese", "paren", "arabic", "paren_arabic", "runin", "lead"]


ModelT = TypeVar("ModelT", bound=BaseModel)


def build(model: type[ModelT], **fields: Any) -> ModelT:
    """`model(**fields)`, validated alike, without BaseModel.__init__'s Python layers: the offline pipeline builds
    a hundred facts and sections and more per report, and those layers cost a third of each one's construction."""
    return model.__pydantic_validator__.validate_python(fields)


class SourceInfo(BaseModel):
    path: str
    format: SourceFormat
    encoding: str | None = None
    sha256: str = Field(description="sha256 of the raw input bytes")
    title_hint: str | None = Field(None, description="title carried by the container (HTML <title>, docx core props)")


class Document(BaseModel):
    text: str
    source: SourceInfo


class Span(BaseModel):
    """A verbatim stretch of `Document.text`."""

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start or self.end - self.start != len(self.quote):
            raise ValueError(f"span [{self.start}, {self.end}) does not fit quote of length {len(self.quote)}")
        return self


class Section(BaseModel):
    id: str = Field(description="dotted position in the heading tree, e.g. '2' or '1.3'")
    heading: str = Field(description="heading text as written, numbering included")
    number: str | None = Field(None, description="the numbering token, e.g. '一、', '（三）', '1.', '一是'")
    style: HeadingStyle
    level: int = Field(ge=1, le=5)
    parent: str | None = None
    part: Part | None = None
    start: int = Field(ge=0, description="start of the heading")
    heading_end: int = Field(ge=0, description="end of the heading text; the body follows")
    end: int = Field(ge=0, description="end of the section including its children")


class Item(Span):
    """A measure, problem, plan or leadership statement."""

    title: str
    summary: str
    area: Area | None = None
    part: Part
    section: str | None = Field(None, description="id of the section the item comes from")
    clauses: list[Span] = Field(default_factory=list, description="a problem's clauses, each verbatim, in order")
    cause: Span | None = Field(None, description="the cause (原因) a problem states, when it states one")


class IndicatorRef(BaseModel):
    """A standard indicator of the catalogue (drafter/data/indicators) that a figure measures."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str


class Metric(Span):
    label: str
    value: float
    value_max: float | None = Field(None, description="upper end of a range as written (1—2小时 → 2); None otherwise")
    unit: str = Field(description="unit as written: 件/次/人/%/万元/亿元/场次…; '' when none")
    qualifier: str | None = Field(None, description="余/超/以上/达/近… as written")
    raw: str = Field(description="the figure as written, e.g. '4.6万'")
    part: Part | None = None
    area: Area | None = None
    indicator: IndicatorRef | None = None


class MetaEvidence(Span):
    field: str


class Meta(BaseModel):
    title: str | None = None
    issuer: str | None = None
    addressee: str | None = None
    region: str | None = None
    province: str | None = None
    prefecture: str | None = None
    level: Level | None = None
    report_year: int | None = None
    issued_date: date | None = None
    evidence: list[MetaEvidence] = Field(default_factory=list)


class PartStatus(BaseModel):
    part: Part
    present: bool
    sections: list[str] = Field(default_factory=list, description="ids of the sections that carry this part")
    note: str | None = None


class Compliance(BaseModel):
    present: list[Part]
    missing: list[Part]
    parts: list[PartStatus]
    notes: list[str] = Field(default_factory=list)


class Usage(BaseModel):
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            requests=self.requests + other.requests,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class Provenance(BaseModel):
    source: str
    format: SourceFormat
    sha256: str
    backend: Literal["rules", "llm"]
    drafter_version: str
    model: str | None = None
    prompt_version: str | None = None
    usage: Usage | None = None
    cached: bool = False


class Summary(BaseModel):
    schema_version: str = SCHEMA_VERSION
    meta: Meta
    sections: list[Section]
    measures: list[Item] = Field(default_factory=list)
    problems: list[Item] = Field(default_factory=list)
    plans: list[Item] = Field(default_factory=list)
    leadership: list[Item] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    compliance: Compliance
    warnings: list[str] = Field(default_factory=list)
    provenance: Provenance

    def facts(self) -> list[Span]:
        """Every grounded fact, for checks that each quote equals text[start:end]."""
        return [*self.measures, *self.problems, *self.plans, *self.leadership, *self.metrics, *self.meta.evidence]
