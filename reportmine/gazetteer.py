"""Word lists the entity recognisers use: divisions of China, organisation heads and names, titles.

All of it is data in ``reportmine/data`` (see the header of each file); this module only
loads it once and answers questions such as "is this token a place name?". The divisions
table is generated from a maintained source by ``scripts/build_divisions.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

import regex

from .resources import data_lines

__all__ = ["Division", "divisions", "division_names", "data_set", "data_pairs",
           "PROVINCE_ABBREVIATIONS", "division_path", "division_chain", "division_chain_of", "TOWN_SUFFIXES",
           "town_at", "split_town"]

#: Township-level suffixes (below counties; not in the divisions table): 周市镇, 簇桥街道, 巴彦乌拉苏木.
TOWN_SUFFIXES = ("街道", "苏木", "镇", "乡")
#: A town's name right after a county: a few characters (not a word of kind: 乡镇, 各街道) and its suffix.
_TOWN = regex.compile(r"([^\P{Han}乡镇各全本该每所属有关等和及与办处局委会]{1,5}?(?:街道|苏木|镇|乡))")


def town_at(text: str, pos: int = 0) -> str | None:
    """The township-level name that ``text`` has at ``pos`` (周市镇 in '周市镇人民政府'), or None."""
    m = _TOWN.match(text, pos)
    return m.group(1) if m else None


def split_town(path: str) -> tuple[str, str | None]:
    """A region path split into its divisions and its town: '江苏省苏州市昆山市周市镇' -> ('江苏省苏州市昆山市', '周市镇')."""
    for suffix in TOWN_SUFFIXES:
        if path.endswith(suffix):
            resolved = division_path(path)
            if resolved and path.startswith(resolved) and path != resolved:
                return resolved, path[len(resolved):]
    return path, None

def _abbreviations() -> dict[str, str]:
    """简称 -> full name from ``data/provinces.tsv`` (沪 -> 上海市, 川 and 蜀 -> 四川省)."""
    rows = [line.split("\t") for line in data_lines("provinces.tsv")[1:]]
    return {a: row[1] for row in rows for a in row[3].split(",") if a != "-"}


#: One-character abbreviations of the provincial-level divisions, used in 文号 and prose (来沪, 川渝).
PROVINCE_ABBREVIATIONS: dict[str, str] = _abbreviations()


@dataclass(frozen=True)
class Division:
    """An administrative division: 浦东新区 (county level) in 上海市."""

    adcode: str
    name: str
    level: str  # province | city | county
    province: str
    short: str


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    rows = [line.split("\t") for line in data_lines("divisions.tsv")[1:]]
    return tuple(Division(*(row + [""] * (5 - len(row)))[:5]) for row in rows)


@lru_cache(maxsize=64)
def division_names(province: str | None = None) -> dict[str, Division]:
    """Name -> division for every full name, provincial and prefecture short names, and the short
    names of counties in ``province`` (county short forms such as 金山 are only safe near home)."""
    out: dict[str, Division] = {}
    for d in divisions():
        out.setdefault(d.name, d)
    for d in divisions():
        if d.short and (d.level != "county" or d.province == province):
            out.setdefault(d.short, d)
            if d.name.endswith("自治州"):
                out.setdefault(d.short + "州", d)  # 凉山彝族自治州 -> 凉山州
    return out


@lru_cache(maxsize=None)
def data_set(name: str) -> frozenset[str]:
    """The entries of a one-word-per-line data file."""
    return frozenset(line.split("\t")[0] for line in data_lines(name))


@lru_cache(maxsize=None)
@lru_cache(maxsize=None)
def data_pairs(name: str) -> Mapping[str, str]:
    """``key<TAB>value`` lines of a data file as a read-only mapping (value defaults to the key), read once."""
    out = {}
    for line in data_lines(name):
        key, _, value = line.partition("\t")
        out[key.strip()] = value.strip() or key.strip()
    return MappingProxyType(out)


@lru_cache(maxsize=1)
def _by_adcode() -> dict[str, Division]:
    return {d.adcode: d for d in divisions()}


@lru_cache(maxsize=1)
def _full_names() -> dict[str, tuple[Division, ...]]:
    """Full name -> every division of that name (朝阳区 is in 北京市 and in 长春市)."""
    out: dict[str, list[Division]] = {}
    for d in divisions():
        out.setdefault(d.name, []).append(d)
    return {k: tuple(v) for k, v in out.items()}


def division_chain(division: Division) -> list[Division]:
    """The division and the ones above it, outermost first: 梁溪区 -> [江苏省, 无锡市, 梁溪区]."""
    codes = [division.adcode[:2] + "0000", division.adcode[:4] + "00", division.adcode]
    chain = [d for code in dict.fromkeys(codes) if (d := _by_adcode().get(code)) is not None]
    return chain or [division]


def division_path(text: str, province: str | None = None, towns: bool = False) -> str | None:
    """The full division path a name starts with: '无锡市梁溪区应急管理局' -> '江苏省无锡市梁溪区';
    '梁溪区安委办' -> the same when only one 梁溪区 exists (or one in ``province``). None when the text
    does not start with a division or the name is ambiguous. ``towns``: a town named right after a county
    is part of the path ('昆山市周市镇安委办' -> '江苏省苏州市昆山市周市镇')."""
    names = _full_names()
    pos, found = 0, []
    while pos < len(text):
        hit = next((text[pos:pos + n] for n in range(min(12, len(text) - pos), 1, -1) if text[pos:pos + n] in names),
                   None)
        if hit is None:
            break
        found.append(hit)
        pos += len(hit)
    if not found:
        return None
    deepest = [d for d in names[found[-1]]]
    outer = [d for name in found[:-1] for d in names[name]]
    if outer:   # the chain as written narrows the choice: 无锡市 + 梁溪区
        deepest = [d for d in deepest if all(any(o.adcode in (c.adcode for c in division_chain(d)) for o in names[n])
                                               for n in found[:-1])]
    elif province:
        local = [d for d in deepest if d.province == province]
        deepest = local or deepest
    if len(deepest) != 1:
        return None
    path = "".join(d.name for d in division_chain(deepest[0]))
    if towns and deepest[0].level == "county" and (town := town_at(text, pos)) is not None:
        path += town    # 昆山市周市镇…: a town of the county, below the divisions table
    return path


def division_chain_of(path: str) -> list[Division]:
    """The divisions a full path names, outermost first: '江苏省无锡市梁溪区' -> [江苏省, 无锡市, 梁溪区] (a town
    at its end is not a division of the table: see :func:`split_town`)."""
    resolved = division_path(split_town(path)[0])
    if resolved is None:
        return []
    names = _full_names()
    pos, found = 0, []
    while pos < len(resolved):
        hit = next((resolved[pos:pos + n] for n in range(min(12, len(resolved) - pos), 1, -1)
                    if resolved[pos:pos + n] in names), None)
        if hit is None:
            break
        found.append(hit)
        pos += len(hit)
    deepest = [d for d in names[found[-1]] if "".join(x.name for x in division_chain(d)) == resolved] if found else []
    return division_chain(deepest[0]) if deepest else []
