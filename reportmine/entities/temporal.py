"""DATE entities: reportmine.dates plus ranges, open intervals, 上旬/中旬/下旬 and parts of day, as ISO values."""

from __future__ import annotations

import regex

from ..dates import find_dates
from .common import Entity, EntityContext, clear_of

_PART_OF_DAY = regex.compile(r"[ \t]*(?:上午|下午|晚上|中午|早上|傍晚|凌晨|晚)")


_RANGE_TO = regex.compile(r"[ \t]*(?:至|到|—|－|-|~|～)[ \t]*")


_DAY_ONLY = regex.compile(r"(\d{1,2})[ \t]*[日号]")


_SINCE = regex.compile(r"[ \t]*以来")


_TEN_DAYS = regex.compile(r"[ \t]*(上旬|中旬|下旬)")


_BARE_YEAR = regex.compile(r"(?<![\d.])((?:19|20)\d\d)(?=行动|专项|计划|版|攻坚)")


_YEAR_RANGE = regex.compile(r"(?<!\d)(\d{4})[ \t]*(?:—|－|-|~|～|至|到)[ \t]*(\d{4})[ \t]*年(?!\d)")


_VAGUE = frozenset({"今年", "去年"})



def find_date_entities(text: str, ctx: EntityContext) -> list[Entity]:
    """Dates with ISO values; ranges as ``start/end`` and open intervals as ``start/..``."""
    mentions = [m for m in find_dates(text, ref_year=ctx.year) if m.surface.strip() not in _VAGUE]
    out: list[Entity] = []
    for m in _BARE_YEAR.finditer(text):  # 整治2023行动: a year naming a campaign
        out.append(Entity("DATE", m.group(), m.start(), m.end(), value=m.group(1)))
    ranges = []
    for m in _YEAR_RANGE.finditer(text):  # 2024—2026年
        out.append(Entity("DATE", m.group(), m.start(), m.end(), value=f"{m.group(1)}/{m.group(2)}"))
        ranges.append(m.span())
    if ranges:
        clear = clear_of(ranges)
        mentions = [d for d in mentions if clear(*d.span)]
    i = 0
    while i < len(mentions):
        m = mentions[i]
        start, end, value = m.span[0], m.span[1], m.iso
        if text[end:end + 1] == "份" and m.granularity == "month":
            end += 1
        elif text[end:end + 1] == "度" and m.granularity == "year":
            end += 1
        elif m.granularity == "month" and (tens := _TEN_DAYS.match(text, end)):
            first = {"上旬": 1, "中旬": 11, "下旬": 21}[tens.group(1)]
            last = {"上旬": 10, "中旬": 20, "下旬": m.end.day}[tens.group(1)]
            value = f"{m.start.replace(day=first).isoformat()}/{m.start.replace(day=last).isoformat()}"
            end = tens.end()
        to = _RANGE_TO.match(text, end)  # offsets into the text itself: no copy of the rest per date
        if to and m.granularity == "day":
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            day_only = _DAY_ONLY.match(text, to.end())
            if nxt is not None and nxt.span[0] == to.end() and nxt.granularity == "day":
                value, end = f"{value}/{nxt.iso}", nxt.span[1]
                i += 1
            elif day_only:
                try:
                    last = m.start.replace(day=int(day_only.group(1)))
                    value, end = f"{value}/{last.isoformat()}", day_only.end()
                except ValueError:
                    pass
        elif (since := _SINCE.match(text, end)):
            value, end = f"{value}/..", since.end()
        if (part := _PART_OF_DAY.match(text, end)) and "/" not in value:
            end = part.end()
        out.append(Entity("DATE", text[start:end], start, end, value=value))
        i += 1
    return out
