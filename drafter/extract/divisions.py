"""China's administrative divisions, from the data file shipped with `cpca` (adcode,name,longitude,latitude).

The CSV is located with `importlib.util.find_spec`, which does not execute `cpca/__init__.py` (that would pull in
pandas, ~0.3 s), and read once on first use (~20 ms). Adcodes: the first six digits are province (2), prefecture (2)
and county (2).

Conventions:
- level is "province", "prefecture" or "county" (county-level: 县, 区, 县级市, 旗, 林区…).
- A municipality (北京/天津/上海/重庆) is a province; its districts and counties have province = the municipality
  and prefecture None (the data's 市辖区/县 pseudo-prefectures are not real units).
- County-level units directly under a province (济源市, 仙桃市, 石河子市…) have prefecture None.
- A prefecture-level unit is its own prefecture (包头市 → prefecture 包头市).
- The data is cpca's snapshot (about 2016): later renamings (横县 → 横州市…) are unknown and look up as None.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

DivisionLevel = Literal["province", "prefecture", "county", "township"]

# Rows of the data file that are groupings, not places.
_PSEUDO_UNITS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
_MUNICIPALITY_PREFIXES = frozenset({"11", "12", "31", "50"})
# The peoples an autonomous unit is named after (黔西南布依族苗族自治州), longest first so 土家 wins over 土.
_PEOPLES = (
    "柯尔克孜|乌孜别克|俄罗斯|维吾尔|哈萨克|达斡尔|鄂温克|鄂伦春|塔吉克|塔塔尔|蒙古|朝鲜|布依|土家|哈尼|傈僳|拉祜|"
    "东乡|纳西|景颇|仫佬|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|德昂|保安|裕固|独龙|赫哲|门巴|珞巴|基诺|高山|"
    "回|藏|苗|彝|壮|满|侗|瑶|白|傣|黎|佤|畲|水|土|羌|怒|京"
)
# What a short name (兴宁, 楚雄, 广西) drops: the generic suffix, and for autonomous units the peoples' names too.
_SUFFIX = re.compile(
    rf"^(.{{2,}}?)(?:(?:(?:{_PEOPLES})族|维吾尔)*自治(?P<auto>区|州|县|旗)|特别行政区|林区|地区|省|市|县|区|州|盟|旗)$"
)
# Official abbreviations of banners that no suffix rule gives (东乌珠穆沁旗 is written 东乌旗).
_ABBREVIATIONS = {
    "东乌旗": "东乌珠穆沁旗", "西乌旗": "西乌珠穆沁旗", "东苏旗": "苏尼特左旗", "西苏旗": "苏尼特右旗",
    "达茂旗": "达尔罕茂明安联合旗", "科左中旗": "科尔沁左翼中旗", "科左后旗": "科尔沁左翼后旗",
    "科右前旗": "科尔沁右翼前旗", "科右中旗": "科尔沁右翼中旗", "察右前旗": "察哈尔右翼前旗",
    "察右中旗": "察哈尔右翼中旗", "察右后旗": "察哈尔右翼后旗", "土左旗": "土默特左旗", "土右旗": "土默特右旗",
}
_MAX_NAME = 12


@dataclass(frozen=True)
class Division:
    name: str
    adcode: str = ""  # six digits
    level: DivisionLevel = "county"
    province: str = ""
    prefecture: str | None = None

    @property
    def is_county_level_city(self) -> bool:
        """A 县级市: a county-level unit named …市 (its adcode has a non-zero county part)."""
        return self.level == "county" and self.name.endswith("市")


def short_name(name: str) -> str:
    """兴宁市 → 兴宁, 楚雄彝族自治州 → 楚雄, 内蒙古自治区 → 内蒙古; names too short to shorten stay as they are."""
    match = _SUFFIX.match(name)
    return match.group(1) if match else name


def _data_file() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca package (administrative divisions data) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


class _Index:
    def __init__(self, rows: list[tuple[str, str]]) -> None:
        names = {code: name for code, name in rows}
        self.by_name: dict[str, list[Division]] = {}
        self.by_short: dict[str, list[Division]] = {}
        aliases: dict[str, list[Division]] = {}
        for code, name in rows:
            if name in _PSEUDO_UNITS:
                continue
            division = _make_division(code, name, names)
            self.by_name.setdefault(name, []).append(division)
            key = short_name(name)
            if key != name:
                self.by_short.setdefault(key, []).append(division)
            alias = _alias(name)
            if alias:
                aliases.setdefault(alias, []).append(division)
        for alias, full in _ABBREVIATIONS.items():
            aliases.setdefault(alias, []).extend(self.by_name.get(full, []))
        # Names as reports write them: full names, and the short forms 黔西南州, 城步县, 东乌旗 that name no other unit.
        self.written = dict(self.by_name)
        for alias, found in aliases.items():
            self.written.setdefault(alias, found)
        # The lengths (2 to _MAX_NAME) of the written names by their last two characters, longest first: where a
        # name may end, only those are tried (most 市/区 in a text end no name at all).
        lengths: dict[str, set[int]] = {}
        for name in self.written:
            if 2 <= len(name) <= _MAX_NAME:
                lengths.setdefault(name[-2:], set()).add(len(name))
        self.lengths_by_tail = {tail: sorted(found, reverse=True) for tail, found in lengths.items()}


def _alias(name: str) -> str | None:
    """黔西南布依族苗族自治州 → 黔西南州: an autonomous unit's short name with its generic suffix."""
    match = _SUFFIX.match(name)
    return match.group(1) + match.group("auto") if match and match.group("auto") in ("州", "县", "旗") else None


def _make_division(code: str, name: str, names: dict[str, str]) -> Division:
    province = names.get(code[:2] + "0000", "")
    if code.endswith("0000"):
        return Division(name, code, "province", name, None)
    if code.endswith("00"):
        return Division(name, code, "prefecture", province, name)
    prefecture = names.get(code[:4] + "00")
    if prefecture in _PSEUDO_UNITS or code[:2] in _MUNICIPALITY_PREFIXES:
        prefecture = None
    return Division(name, code, "county", province, prefecture)


@lru_cache(maxsize=1)
def _index() -> _Index:
    with _data_file().open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        rows = [(row[0][:6], row[1]) for row in reader if len(row) >= 2 and len(row[0]) >= 6]
    return _Index(rows)


def candidates(name: str) -> list[Division]:
    """Every division called exactly `name`, or, failing that, whose short name is `name`'s short name and
    whose suffix agrees with the one `name` has (楚雄州 → 楚雄彝族自治州, 兴宁 → 兴宁市 and 兴宁区)."""
    index = _index()
    exact = index.written.get(name)
    if exact:
        return list(exact)
    key = short_name(name)
    found = index.by_short.get(key, [])
    suffix = name[len(key):]
    if suffix:
        found = [d for d in found if d.name.endswith(suffix)]
    return list(found)


def lookup(name: str, hint: str = "") -> Division | None:
    """The division called `name` (exact name first, then short name). When several match, the one whose
    province or prefecture is mentioned in `hint` (usually the report text) wins; still ambiguous → None."""
    name = name.strip()
    if not name or len(name) > _MAX_NAME:
        return None
    found = candidates(name)
    if len(found) <= 1:
        return found[0] if found else None
    if hint:
        hinted = [d for d in found if _mentioned(d, hint)]
        if len(hinted) == 1:
            return hinted[0]
    return None


def _mentioned(division: Division, hint: str) -> bool:
    names = [division.province, division.prefecture or ""]
    return any(n and (n in hint or short_name(n) in hint) for n in names if n != division.name)


@dataclass(frozen=True)
class Mention:
    name: str
    start: int
    end: int
    divisions: tuple[Division, ...]


_NAME_END = re.compile(r"[省市县区州旗盟]")


def mentions(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Division names (兴宁市, 周村区, 楚雄彝族自治州, and short forms such as 黔西南州 or 东乌旗) written in
    text[start:end], left to right.

    At each character that can end a name, the longest known name ending there wins; a mention never overlaps
    the previous one, so 北京市海淀区 gives 北京市 then 海淀区.
    """
    index = _index()
    stop = len(text) if end is None else end
    found: list[Mention] = []
    last_end = start
    for match in _NAME_END.finditer(text, start, stop):
        e = match.end()
        floor = max(last_end, e - _MAX_NAME)
        for length in index.lengths_by_tail.get(text[e - 2:e], ()):
            s = e - length
            if s < floor:
                continue
            divisions = index.written.get(text[s:e])
            if divisions:
                found.append(Mention(text[s:e], s, e, tuple(divisions)))
                last_end = e
                break
    return found


@lru_cache(maxsize=1)
def _province_names() -> re.Pattern[str]:
    names = [d.name for found in _index().by_name.values() for d in found if d.level == "province"]
    # Full names first, then short ones (广东省, then 广东), longest first within each.
    shorts = map(short_name, names)
    return re.compile("|".join(sorted(names, key=len, reverse=True) + sorted(shorts, key=len, reverse=True)))


def province_mentions(text: str) -> list[Mention]:
    """Provinces named in text by their full or short name (广东省, 广东, 内蒙古). Short names are unsafe for
    other units (兴宁 is two of them), but each province's is its own."""
    index = _index()
    found = []
    for match in _province_names().finditer(text):
        name = match.group()
        full = index.by_name.get(name) or [d for d in index.by_short.get(name, []) if d.level == "province"]
        if full:
            found.append(Mention(name, match.start(), match.end(), (full[0],)))
    return found
