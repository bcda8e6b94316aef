"""Find and resolve date expressions in Chinese government reports.

Reports write dates as ``2023年7月13日``, ``2023 年 7 月 13 日`` (PDF text keeps spaces
between digits and CJK), ``二〇二三年七月十三日``, ``2023.7.3`` or, inside the narrative,
as a bare month-day (``5月31日``) whose year is the report's own year.  This module turns
each expression into a :class:`DateMention` with an inclusive ``start``/``end`` range so
callers can compare dates of different granularity.

Granularity is one of ``"day"``, ``"month"`` or ``"year"``.  A part of day that follows a
date (``6月16日上午``) is not part of the mention: the mention is the day ``6月16日``.

What is recognised (``Y`` = 4 Arabic or Chinese digits, ``M``/``D`` = Arabic or Chinese
numerals, optional horizontal spaces between every token):

* ``Y年M月D日`` / ``Y年M月D号`` -> day;  ``Y年M月`` -> month;  ``Y年`` -> year (only for years
  in :data:`BARE_YEAR_RANGE`, so that quantities such as ``9000年`` are not taken as years);
* ``Y.M.D``, ``Y-M-D``, ``Y/M/D`` (Arabic digits, one separator used twice) -> day;
* ``今年``/``去年`` alone or followed by ``M月`` / ``M月D日`` -> year/month/day from ``ref_year``;
* ``M月D日`` -> day and Arabic ``M月`` -> month, both using ``ref_year``.

Expressions whose year would come from ``ref_year`` are skipped by :func:`find_dates` when
``ref_year`` is None (never guessed); mentions resolved through ``ref_year`` have
``year_inferred=True``.  Not dates: 文号 (``〔2023〕1号``), bare numbers (``2023行动``), phone
numbers (``021-23305878``), amounts (``9200多场``), numeric ``Y.M`` (a decimal look-alike),
Chinese-numeral months without a year (``一月`` is too often part of a word such as ``统一月度``).
Expressions that match the shape of a date but are invalid (``2023年2月30日``) are dropped whole.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

import regex

__all__ = ["DateMention", "parse_date", "find_dates", "BARE_YEAR_RANGE"]

BARE_YEAR_RANGE: tuple[int, int] = (1800, 2199)
"""Inclusive range of years accepted for a year written alone (``2020年``)."""

_CN_DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "○": 0,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}

_WS = r"[ \t\u00a0\u3000]*"
_AD = r"[0-9０-９]"
_CD = r"[〇零○一二三四五六七八九]"
_CN_NUM_CHARS = r"〇零○一二三四五六七八九十百千万两"

_YEAR = rf"(?:(?<!{_AD}){_AD}{{4}}(?!{_AD})|(?<![{_CN_NUM_CHARS}]){_CD}{{4}}(?![{_CN_NUM_CHARS}]))"
_MONTH_AR = rf"{_AD}{{1,2}}"
_MONTH_CN = r"(?:十[一二]?|[一二三四五六七八九])"
_MONTH = rf"(?:{_MONTH_AR}|{_MONTH_CN})"
_DAY = rf"(?:{_AD}{{1,2}}|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_DAY_END = rf"{_WS}[日号]"

# Alternatives sharing a first token are ordered longest first: at each position the
# first alternative that matches wins.  Group names are reused across alternatives
# (supported by ``regex``); ``kind`` tells which alternative matched.
_PATTERN = regex.compile(
    rf"""
    (?P<ymd>(?P<y>{_YEAR}){_WS}年{_WS}(?P<m>{_MONTH}){_WS}月{_WS}(?P<d>{_DAY}){_DAY_END})
    |(?P<ym>(?P<y>{_YEAR}){_WS}年{_WS}(?P<m>{_MONTH}){_WS}月)
    |(?P<num>(?<![0-9０-９.．\-－/／])(?P<y>{_AD}{{4}})(?P<sep>[.．\-－/／])(?P<m>{_AD}{{1,2}})
        (?P=sep)(?P<d>{_AD}{{1,2}})(?!{_AD}|[.．\-－/／]{_AD}))
    |(?P<rel>(?<![至迄如而现过失除回离])(?P<r>今年|去年)(?![轻均代])
        (?:{_WS}(?P<m>{_MONTH}){_WS}月(?:{_WS}(?P<d>{_DAY}){_DAY_END})?)?)
    |(?P<md>(?:(?<![0-9０-９.．])(?P<m>{_MONTH_AR})|(?<![{_CN_NUM_CHARS}])(?P<m>{_MONTH_CN}))
        {_WS}月{_WS}(?P<d>{_DAY}){_DAY_END})
    |(?P<year>(?P<y>{_YEAR}){_WS}年)
    |(?P<month>(?<![0-9０-９.．])(?P<m>{_MONTH_AR}){_WS}月)
    """,
    regex.VERBOSE,
)

_KINDS = ("ymd", "ym", "num", "rel", "md", "year", "month")
_RELATIVE_OFFSET = {"今年": 0, "去年": -1}


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text, resolved to an inclusive range of days."""

    surface: str
    span: tuple[int, int]
    start: datetime.date
    end: datetime.date
    granularity: str
    year_inferred: bool

    @property
    def iso(self) -> str:
        """ISO 8601 text at the mention's granularity: ``2023-05-31``, ``2023-05`` or ``2023``."""
        if self.granularity == "year":
            return f"{self.start.year:04d}"
        if self.granularity == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()


def _numeral(token: str) -> int:
    """Value of an Arabic (ASCII/full-width) or Chinese numeral as matched by the patterns."""
    if token[0] not in _CN_DIGITS and token[0] != "十":
        return int(token)
    if "十" not in token:  # positional digits: 二〇二三 -> 2023, 七 -> 7
        value = 0
        for ch in token:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    tens, _, ones = token.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _day(year: int, month: int, day: int) -> datetime.date:
    """Build a date, with an error message that names the offending date."""
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"invalid date {year:04d}-{month:02d}-{day:02d}: {exc}") from None


def _month_range(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a month."""
    if not 1 <= month <= 12:
        raise ValueError(f"invalid month {month} in {year:04d}")
    first = _day(year, month, 1)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a year."""
    return _day(year, 1, 1), _day(year, 12, 31)


def _resolve(
    m: regex.Match[str], ref_year: int | None
) -> tuple[datetime.date, datetime.date, str, bool]:
    """Resolve one pattern match to (start, end, granularity, year_inferred).

    Raises ValueError for impossible dates and for expressions that need ``ref_year``
    when it is None.
    """
    kind = next(k for k in _KINDS if m.group(k) is not None)
    if kind in ("ymd", "ym", "num", "year"):
        year, inferred = _numeral(m.group("y")), False
        if kind == "year" and not BARE_YEAR_RANGE[0] <= year <= BARE_YEAR_RANGE[1]:
            raise ValueError(f"year {year} written alone is outside {BARE_YEAR_RANGE}")
    else:
        if ref_year is None:
            raise ValueError(f"{m.group(0)!r} has no year of its own; pass ref_year")
        year = ref_year + (_RELATIVE_OFFSET[m.group("r")] if kind == "rel" else 0)
        inferred = True
    month_s, day_s = m.group("m"), m.group("d")
    if month_s is None:
        return (*_year_range(year), "year", inferred)
    month = _numeral(month_s)
    if day_s is None:
        return (*_month_range(year, month), "month", inferred)
    if not 1 <= month <= 12:
        raise ValueError(f"invalid month {month} in {m.group(0)!r}")
    date = _day(year, month, _numeral(day_s))
    return date, date, "day", inferred


def parse_date(s: str, *, ref_year: int | None = None) -> datetime.date:
    """Parse a string that is exactly one full date (day granularity) into a ``date``.

    Accepts ``2023年7月13日``, ``2023 年 7 月 13 日``, ``二〇二三年七月十三日``, ``2023.7.3``,
    ``2023-07-03``, ``2023/7/3``; ``7月13日`` and ``今年7月13日`` need ``ref_year``.
    Surrounding whitespace is ignored.  Raises ValueError otherwise, including for
    impossible days such as ``2023年2月30日``.
    """
    text = s.strip()
    m = _PATTERN.fullmatch(text)
    if m is None:
        raise ValueError(f"not a date: {s!r}")
    start, _, granularity, _ = _resolve(m, ref_year)
    if granularity != "day":
        raise ValueError(f"not a full date (only a {granularity}): {s!r}")
    return start


def find_dates(text: str, *, ref_year: int | None = None) -> list[DateMention]:
    """Return every date expression in ``text`` in order; never raises for a str input.

    Spans are offsets into ``text`` as given.  Expressions that need ``ref_year`` are
    skipped when it is None, and invalid dates are skipped rather than reported.
    """
    mentions: list[DateMention] = []
    for m in _PATTERN.finditer(text):
        try:
            start, end, granularity, inferred = _resolve(m, ref_year)
        except (ValueError, OverflowError):
            continue
        mentions.append(
            DateMention(
                surface=m.group(0),
                span=m.span(),
                start=start,
                end=end,
                granularity=granularity,
                year_inferred=inferred,
            )
        )
    return mentions
