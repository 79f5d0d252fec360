"""Keyword classifier from a passage to the 纲要 (2021—2025) task area it reports on.

Scores are weighted keyword counts; the section heading (`context`) counts at half weight, so a clause about
行政复议 under a 营商环境 heading still goes to `disputes`. One precompiled alternation, longest keyword first,
so that 谁执法谁普法 counts for publicity and not for the 执法 inside it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache

from drafter.models import AREAS, Area

_KEYWORDS: dict[Area, dict[str, float]] = {
    "functions": {
        "放管服": 3, "简政放权": 3, "证照分离": 3, "权责清单": 3, "权力清单": 2, "责任清单": 2, "负面清单": 2,
        "营商环境": 2, "行政审批": 2, "审批": 1, "行政许可": 2, "政务服务": 2, "便民服务": 1, "好差评": 2,
        "一件事": 2, "告知承诺制": 2, "市场监管": 1, "机构改革": 2, "职能转变": 2, "政府职能": 2, "涉企收费": 2,
        "12345": 1, "机构职能": 2, "职能配置": 2, "增值服务": 1,
    },
    "rules": {
        "规范性文件": 3, "备案审查": 3, "立法": 2, "政府规章": 3, "规章": 2, "制度建设": 1, "合法性审核": 2,
        "文件清理": 2, "公平竞争审查": 1,
    },
    "decisions": {
        "重大行政决策": 3, "决策程序": 2, "法律顾问": 2, "公职律师": 2, "合法性审查": 2, "集体讨论": 2,
        "专家论证": 2, "公众参与": 2, "风险评估": 1, "三重一大": 2, "政府合同": 1, "依法决策": 2, "民主决策": 2,
    },
    "enforcement": {
        "行政执法": 2, "执法": 1, "三项制度": 3, "综合执法": 3, "综合行政执法": 3, "执法人员": 2, "行政处罚": 2,
        "包容审慎": 3, "执法证": 2, "案卷评查": 3, "自由裁量": 3, "裁量基准": 3, "柔性执法": 3, "执法监督": 2,
        "行政执法监督": 3, "轻微违法": 2, "免予处罚": 2, "涉企检查": 2, "行政检查": 2, "双随机": 1, "免检免扰": 2,
    },
    "emergency": {
        "突发事件": 3, "应急": 2, "应急预案": 3, "应急演练": 3, "安全生产": 2, "防汛": 2, "抗旱": 1, "疫情": 2,
        "防灾减灾": 2, "救援": 1,
    },
    "disputes": {
        "行政复议": 3, "行政诉讼": 2, "行政应诉": 3, "应诉": 2, "出庭": 2, "调解": 2, "人民调解": 3, "信访": 2,
        "矛盾纠纷": 3, "纠纷": 1, "枫桥经验": 3, "行政裁决": 3, "府院联动": 2, "诉源治理": 2, "法律援助": 1,
        "公共法律服务": 1,
    },
    "oversight": {
        "监督": 1, "权力制约": 3, "政务公开": 3, "信息公开": 2, "依申请公开": 3, "人大代表建议": 3, "政协提案": 3,
        "委员提案": 3, "建议提案": 3, "审计": 2, "统计监督": 3, "诚信": 2, "政务诚信": 3, "督查": 1, "问责": 1,
        "舆论监督": 2, "社会监督": 1, "信用": 1,
    },
    "digital": {
        "数字": 2, "数字政府": 3, "信息化": 2, "一网通办": 3, "大数据": 2, "互联网+": 2, "智慧": 2, "政务数据": 3,
        "数据共享": 2, "数据资源": 2, "开放数据": 2, "电子证照": 2, "掌上办": 2, "网上办": 1,
    },
    "leadership": {
        "第一责任人": 3, "党的领导": 2, "述法": 3, "学法": 1, "习近平法治思想": 1, "领导干部": 1, "法治督察": 3,
        "考核": 1, "党政主要负责人": 2, "法治建设委员会": 2, "依法治市": 1, "依法治区": 1, "依法治县": 1,
        "理论学习中心组": 1, "示范创建": 1,
        # The leaders' own learning and ways of working: "学习贯彻习近平法治思想不够深入…领导干部运用法治思维…"
        # is a leadership shortcoming even when the paragraph goes on to 数字化.
        "学习贯彻": 1, "法治思维": 1, "关键少数": 2, "组织领导": 2, "集中统一领导": 2, "推进机制": 2, "法治政府建设示范": 2,
    },
    "publicity": {
        "普法": 3, "法治宣传": 3, "八五": 2, "法律明白人": 3, "法治文化": 3, "谁执法谁普法": 3, "宪法宣传": 3,
        "民法典": 2, "以案释法": 3, "法治副校长": 2, "法治教育": 2, "法治观念": 2, "法律意识": 2, "法治意识": 1,
    },
}

# Words that contain a keyword without meaning it (设立法庭 is no 立法); matched first, they score nothing.
_NEUTRAL = ("设立", "成立", "树立", "确立", "监督证")

_WEIGHTS: dict[str, tuple[Area, float]] = {kw: (area, w) for area, kws in _KEYWORDS.items() for kw, w in kws.items()}


def _trie_pattern(words: list[str]) -> str:
    """One alternation per shared prefix (行政复议|行政执法 → 行政(?:复议|执法)): the engine tries a handful of
    branches at each character instead of every keyword. Greedy optional tails keep the longest keyword first."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


_PATTERN = re.compile(_trie_pattern([*_WEIGHTS, *_NEUTRAL]))
_CONTEXT_WEIGHT = 0.5
_AREA_ORDER = {area: i for i, area in enumerate(AREAS)}


def area_scores(text: str, context: str = "") -> dict[Area, float]:
    """Weighted keyword hits per area; `context` (e.g. the section heading) counts at half weight."""
    return _with(_keyword_scores(text), context, _CONTEXT_WEIGHT)


def classify_area(text: str, context: str = "") -> Area | None:
    """The best-scoring 纲要 area for `text`, or None when no keyword matches. Ties go to the 纲要's order."""
    return _best(area_scores(text, context))


class AreaIndex:
    """The keywords of one text, found in one scan: the area of a stretch of it is then a sum over the keywords
    inside, not a scan of its own (a report asks for a hundred stretches). Same answers as classify_area on the
    stretch: the scan has no look-around, so a keyword inside is found alike; a stretch whose ends cut a keyword
    of the whole-text scan (clauses never do: no keyword holds a break) is scanned on its own."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._hits: list[tuple[Area, float] | None] = []  # None: a neutral word, which shadows but scores nothing
        for match in _PATTERN.finditer(text):
            self._starts.append(match.start())
            self._ends.append(match.end())
            self._hits.append(_WEIGHTS.get(match.group()))

    def classify(self, start: int, end: int, context: str = "", lead: str = "") -> Area | None:
        """The area of text[start:end] as classify_area gives it, or of lead + " " + text[start:end] with a
        `lead` (a heading before a body): no keyword holds a space, so the two are scored apart."""
        i = bisect_left(self._starts, start)
        j = bisect_left(self._starts, end, i)
        if (i and self._ends[i - 1] > start) or (j > i and self._ends[j - 1] > end):
            scores = _keyword_scores(self._text[start:end])
        else:
            scores = _tally(self._hits[i:j])
        return _best(_with(_with(scores, lead, 1.0), context, _CONTEXT_WEIGHT))


@lru_cache(maxsize=2)
def area_index(text: str) -> AreaIndex:
    # The figures and the items of one report both classify its stretches: one scan serves both.
    return AreaIndex(text)


def _keyword_scores(text: str) -> dict[Area, float]:
    return _tally(map(_WEIGHTS.get, _PATTERN.findall(text)))  # the words alone: no match objects to build


def _tally(hits: Iterable[tuple[Area, float] | None]) -> dict[Area, float]:
    scores: dict[Area, float] = {}
    for hit in hits:
        if hit is not None:
            scores[hit[0]] = scores.get(hit[0], 0.0) + hit[1]
    return scores


@lru_cache(maxsize=1024)
def _context_scores(context: str) -> dict[Area, float]:
    # Headings repeat for every figure and item under them; cached, and never mutated by callers.
    return _keyword_scores(context)


def _with(scores: dict[Area, float], context: str, weight: float) -> dict[Area, float]:
    """`scores` with the keywords of `context` added at `weight`."""
    if context:
        for area, score in _context_scores(context).items():
            scores[area] = scores.get(area, 0.0) + score * weight
    return scores


def _best(scores: dict[Area, float]) -> Area | None:
    if not scores:
        return None
    # max keeps the first of equal scores: sorted in the 纲要's order first, a tie goes to the earlier area.
    return max(sorted(scores, key=_AREA_ORDER.__getitem__), key=scores.__getitem__)
