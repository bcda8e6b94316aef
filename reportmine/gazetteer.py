"""Word lists the entity recognisers use: divisions of China, organisation heads and names, titles.

All of it is data in ``reportmine/data`` (see the header of each file); this module only
loads it once and answers questions such as "is this token a place name?". The divisions
table is generated from a maintained source by ``scripts/build_divisions.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .resources import data_lines

__all__ = ["Division", "divisions", "division_names", "province_of", "data_set", "data_pairs",
           "PROVINCE_ABBREVIATIONS"]

#: One-character abbreviations of the provincial-level divisions (沪 = 上海市 …), used in 文号 and prose.
PROVINCE_ABBREVIATIONS: dict[str, str] = {
    "京": "北京市", "津": "天津市", "沪": "上海市", "渝": "重庆市", "冀": "河北省", "晋": "山西省",
    "蒙": "内蒙古自治区", "辽": "辽宁省", "吉": "吉林省", "黑": "黑龙江省", "苏": "江苏省", "浙": "浙江省",
    "皖": "安徽省", "闽": "福建省", "赣": "江西省", "鲁": "山东省", "豫": "河南省", "鄂": "湖北省",
    "湘": "湖南省", "粤": "广东省", "桂": "广西壮族自治区", "琼": "海南省", "川": "四川省", "蜀": "四川省",
    "贵": "贵州省", "黔": "贵州省", "云": "云南省", "滇": "云南省", "藏": "西藏自治区", "陕": "陕西省",
    "秦": "陕西省", "甘": "甘肃省", "陇": "甘肃省", "青": "青海省", "宁": "宁夏回族自治区",
    "新": "新疆维吾尔自治区", "港": "香港特别行政区", "澳": "澳门特别行政区", "台": "台湾省",
}


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


def province_of(name: str) -> str | None:
    """The provincial-level division a name (full or short) belongs to."""
    d = division_names().get(name)
    return d.province if d else None


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
