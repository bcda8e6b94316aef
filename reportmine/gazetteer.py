"""Word lists the entity recognisers use: divisions of China, organisation heads and names, titles.

All of it is data in ``reportmine/data`` (see the header of each file); this module only
loads it once and answers questions such as "is this token a place name?". The divisions
table is generated from a maintained source by ``scripts/build_divisions.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .resources import data_lines

__all__ = ["Division", "divisions", "division_names", "data_set", "data_pairs",
           "PROVINCE_ABBREVIATIONS"]

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
def data_pairs(name: str) -> dict[str, str]:
    """``key<TAB>value`` lines of a data file as a dict (value defaults to the key)."""
    out = {}
    for line in data_lines(name):
        key, _, value = line.partition("\t")
        out[key.strip()] = value.strip() or key.strip()
    return out
