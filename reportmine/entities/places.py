"""GPE and LOC: divisions of China, named regions, venues closed by a place head (…公园 广场 沙滩)."""

from __future__ import annotations

from functools import lru_cache
from typing import Callable
import re

import regex

from ..gazetteer import PROVINCE_ABBREVIATIONS, TOWN_SUFFIXES, data_set, division_names
from ..tokens import Token, word_tags
from .common import (
    GENERIC_PARTS,
    LEVEL_PREFIXES,
    Entity,
    EntityContext,
    head_start,
    is_name_part,
    joined,
    last_chars,
    literal_pattern,
    token_extent,
    token_ranges,
)

#: Development zones listed among the divisions; they are places (LOC), not administrative divisions.
_ZONES = ("园区", "开发区", "高新区", "示范区", "试验区", "新片区", "保税区")


_NOT_WATERS = frozenset("护城河 运河 小河 大河 内河 江河湖".split())


COUNTRIES = {"中国": "中华人民共和国", "中华人民共和国": "中华人民共和国"}


PLACE_HEADS = tuple(sorted(data_set("place_heads.txt"), key=len, reverse=True))


#: 来沪, 赴京: a province abbreviation as a place, unless it opens a document number (沪安委办函〔2023〕1号);
#: the issuer code before 〔 is short, and bounding it keeps a long run of Han characters linear.
_ABBREVIATION_CONTEXT = regex.compile(r"(?<=[来在赴驻离返留抵])([京津沪渝冀晋辽黑苏浙皖闽赣鲁豫鄂湘粤琼川蜀黔滇陕甘陇桂藏])"
                                      r"(?![\p{Han}]{0,64}[〔\[［]\d)")



_VENUE_CONTEXT = regex.compile(r"在(?P<x>\p{Han}{2,7}?)(?:沿线|水域|周边)?(?:集中|联合|组织|广泛)?(?:举行|举办|开展|设置)")
_NOT_VENUE_START = ("全", "各", "本", "该", "集团", "企业", "社区", "学校", "线上", "线下", "现场", "辖区", "基层", "此")
_NOT_VENUE_END = ("内", "中", "里", "上", "下", "后", "前", "时", "期间", "范围", "职工", "群众", "单位")


def venue_head(name: str) -> str:
    """The place head a name ends with (市民中心, 广场), or ''."""
    if not name.endswith(PLACE_HEADS):      # most names end in none: one test in C first
        return ""
    return next((h for h in PLACE_HEADS if name.endswith(h)), "")



def _division_at(tokens: list[Token], i: int, names: dict) -> tuple[int, object] | None:
    """The division named by the tokens at ``i`` (崇明 + 区 counts as one name): (token count, division)."""
    if i >= len(tokens):
        return None
    if i + 1 < len(tokens) and tokens[i + 1][0] in _AFTER_A_NAME:
        two = joined(tokens, i, 2)
        if two in names:
            return 2, names[two]
    return (1, names[tokens[i][0]]) if tokens[i][0] in names else None



@lru_cache(maxsize=1)
def _region_pattern() -> re.Pattern[str]:
    return literal_pattern(data_set("regions_extra.txt"))



def _nested(outer, inner) -> bool:
    """Is ``inner`` a division inside ``outer`` (北仑区 in 宁波市)?"""
    if outer is None or inner is None or outer.level == "county" or inner.level == "province":
        return False
    depth = 2 if outer.level == "province" else 4
    return inner.adcode[:depth] == outer.adcode[:depth] and inner.adcode != outer.adcode



#: Level words a division's short name may be followed by (崇明 + 区, 浦东 + 新区).
_AFTER_A_NAME = frozenset(LEVEL_PREFIXES) | {"新区", "自治区", "自治州", "自治县"}


@lru_cache(maxsize=4)
def _place_word_test(region: str | None) -> Callable[[str], bool]:
    """A test of whether a token can be or end a place by itself (a division name of ``region``'s table,
    a word ending like a place head, a country, a province abbreviation first), remembered per token."""
    names = division_names(region)
    place_last = last_chars(PLACE_HEADS)

    @lru_cache(maxsize=32768)
    def test(tok: str) -> bool:
        return tok in names or tok[-1:] in place_last or tok in COUNTRIES or tok[:1] in PROVINCE_ABBREVIATIONS

    return test


def find_places(text: str, tokens: list[Token], ctx: EntityContext) -> list[Entity]:
    """GPE: division names as tokens; LOC: venues closed by a place head and named regions."""
    names = division_names(ctx.region)
    tags = word_tags()
    out: list[Entity] = []
    skip_to = -1
    lo, hi = token_extent(tokens)  # the part of the text these tokens cover
    region_at = {a: b for a, b in token_ranges(tokens, (m.span() for m in _region_pattern().finditer(text, lo, hi)))}
    # only tokens that can start or end a place are looked at: by the word itself, a named region starting
    # there, or a level word after it (崇明 + 区)
    may_be_place = _place_word_test(ctx.region)
    candidates = {i for i, (tok, _) in enumerate(tokens) if may_be_place(tok)}
    candidates.update(region_at)
    candidates.update(i - 1 for i, (tok, _) in enumerate(tokens) if i and tok in _AFTER_A_NAME)
    for i in sorted(candidates):
        tok, s = tokens[i]
        if i < skip_to:
            continue
        if i in region_at:  # 粤港澳大湾区, 长三角: named regions
            end = tokens[region_at[i] - 1][1] + len(tokens[region_at[i] - 1][0])
            out.append(Entity("LOC", text[s:end], s, end, canonical=text[s:end]))
            skip_to = region_at[i]
            continue
        first = _division_at(tokens, i, names)
        if first is not None:
            n, division = first
            inner = _division_at(tokens, i + n, names)
            if inner is not None and inner[1].name == joined(tokens, i + n, inner[0]) and _nested(division, inner[1]):
                n, division = n + inner[0], inner[1]  # 宁波市北仑区: one place, the district of the city
            surface = joined(tokens, i, n)
            label = "LOC" if division.name.endswith(_ZONES) else "GPE"  # 苏州工业园区: a zone, not a division
            out.append(Entity(label, surface, s, s + len(surface), canonical=division.name))
            skip_to = i + n
        elif 2 <= len(tok) <= 4 and all(ch in PROVINCE_ABBREVIATIONS for ch in tok) and tags.get(tok, "ns")[:1] in "nj":
            for k, ch in enumerate(tok):  # 川渝, 京津冀
                out.append(Entity("GPE", ch, s + k, s + k + 1, canonical=PROVINCE_ABBREVIATIONS[ch]))
        elif tok in COUNTRIES:
            out.append(Entity("GPE", tok, s, s + len(tok), canonical=COUNTRIES[tok]))
        elif (h := head_start(tokens, i, PLACE_HEADS)) is not None and (i > 0 or h < i):
            if h == i and len(tok) > 4:
                continue
            j = h
            while j > 0 and h - j < 4 and is_name_part(tokens[j - 1][0]) and tokens[j - 1][0] not in GENERIC_PARTS:
                j -= 1
            k = next((k for k in range(j, i + 1) if tokens[k][0] in names or tags.get(tokens[k][0]) == "ns"), None)
            if k is None or k > h or (k == h and len(tok) <= 1):
                if (k is None or k == i) and tok.endswith(("江", "河", "湖")) and (
                        (len(tok) == 2 and tags.get(tok) == "ns") or (len(tok) == 3 and tok not in _NOT_WATERS)):
                    out.append(Entity("LOC", tok, s, s + len(tok), canonical=tok))  # 岷江, 玄武湖: waters
                elif k is None and h == i and any(tok[:n] in names and len(tok) > n + len(venue_head(tok)) - 1
                                                  for n in (2, 3)):
                    out.append(Entity("LOC", tok, s, s + len(tok), canonical=tok))  # 广州塔: one jieba word
                continue
            head_len = len(venue_head(joined(tokens, h, i + 1 - h)))
            if tokens[k][0] in names and names[tokens[k][0]].name == tokens[k][0] and (
                    k < h - 1 or (k == h - 1 and len(text[tokens[k + 1][1]:s + len(tok)]) > head_len)):
                k += 1  # 杭州市西湖文化广场: the city is a place of its own, the venue starts after it
            start = tokens[k][1]
            out.append(Entity("LOC", text[start:s + len(tok)], start, s + len(tok)))
    found_at = {p.start for p in out}
    for m in _VENUE_CONTEXT.finditer(text, lo, hi):  # 在海心沙举行, 在情侣路沿线设置: the object of 在 before such a verb
        x, start = m.group("x"), m.start("x")
        if start in found_at or x.startswith(_NOT_VENUE_START) or x.endswith(_NOT_VENUE_END) or x in names:
            continue
        out.append(Entity("LOC", x, start, start + len(x), canonical=x))
    for m in _ABBREVIATION_CONTEXT.finditer(text, lo, hi):
        out.append(Entity("GPE", m.group(1), m.start(1), m.end(1), canonical=PROVINCE_ABBREVIATIONS[m.group(1)]))
    return out


def town_names(ctx: EntityContext) -> tuple[str, ...]:
    """The report's own town as written in full and in short (周市镇, 周市), when the report is a town's."""
    if not ctx.town:
        return ()
    short = next((ctx.town[: -len(x)] for x in TOWN_SUFFIXES if ctx.town.endswith(x)), ctx.town)
    return (ctx.town, short) if len(short) >= 2 else (ctx.town,)


def town_spans(text: str, lo: int, hi: int, ctx: EntityContext) -> list[tuple[int, int]]:
    """Where the report's town is named in ``text[lo:hi]``: in full, or in short before a name (周市派出所),
    not where its last character starts a word (一周市场: 市场)."""
    names = town_names(ctx)
    if not names:
        return []
    tags = word_tags()
    out = []
    for m in regex.finditer("|".join(map(regex.escape, names)), text[:hi], pos=lo):
        a, b = m.span()
        if m.group() != names[0] and (text[b - 1:b + 1] in tags or text[a - 1:a + 1] in tags):
            continue
        out.append((a, b))
    return out


def town_places(text: str, spans: list[tuple[int, int]], ctx: EntityContext, county: str | None) -> list[Entity]:
    """GPE mentions of the report's town (canonical: the county's name and the town's)."""
    canonical = (county or "") + (ctx.town or "")
    return [Entity("GPE", text[a:b], a, b, canonical=canonical) for a, b in spans]
