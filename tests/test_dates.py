"""Tests for reportmine.dates: the seed report's dates plus round-trip properties."""

from __future__ import annotations

import calendar
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportmine.dates import DateMention, find_dates, parse_date

from conftest import SEED  # noqa: E402  (tests/conftest.py: ../shared or $REPORTMINE_SHARED)

_CN = "〇一二三四五六七八九"


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed report {SEED} not found: these tests need ../shared beside the repository "
                    "(or REPORTMINE_SHARED)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_dates(seed_text: str) -> list[DateMention]:
    return find_dates(seed_text, ref_year=2023)


def _at(text: str, mentions: list[DateMention], needle: str, nth: int = 0) -> list[DateMention]:
    """Mentions whose span lies inside the nth occurrence of needle in text."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return [m for m in mentions if pos <= m.span[0] and m.span[1] <= pos + len(needle)]


# --- the seed report --------------------------------------------------------------


def test_spans_match_surface(seed_text: str, seed_dates: list[DateMention]) -> None:
    assert seed_dates
    for m in seed_dates:
        assert seed_text[m.span[0] : m.span[1]] == m.surface


def test_signature_date_twice(seed_dates: list[DateMention]) -> None:
    full = [m for m in seed_dates if m.surface == "2023 年 7 月 13 日"]
    assert len(full) == 2
    for m in full:
        assert m.start == m.end == datetime.date(2023, 7, 13)
        assert (m.granularity, m.iso, m.year_inferred) == ("day", "2023-07-13", False)


def test_month_day_uses_ref_year(seed_text: str, seed_dates: list[DateMention]) -> None:
    [m] = _at(seed_text, seed_dates, "5 月 31 日")
    assert (m.start, m.granularity, m.year_inferred) == (datetime.date(2023, 5, 31), "day", True)
    assert parse_date("5 月 31 日", ref_year=2023) == datetime.date(2023, 5, 31)


def test_part_of_day_is_day(seed_text: str, seed_dates: list[DateMention]) -> None:
    [m] = _at(seed_text, seed_dates, "6 月 16 日上午")
    assert (m.surface, m.iso, m.granularity) == ("6 月 16 日", "2023-06-16", "day")


def test_dotted_fill_date(seed_text: str, seed_dates: list[DateMention]) -> None:
    [m] = _at(seed_text, seed_dates, "填报日期：2023.7.3")
    assert (m.surface, m.start, m.year_inferred) == ("2023.7.3", datetime.date(2023, 7, 3), False)


def test_months_and_years(seed_text: str, seed_dates: list[DateMention]) -> None:
    [feb] = _at(seed_text, seed_dates, "今年2月")
    assert (feb.iso, feb.granularity, feb.start, feb.end) == (
        "2023-02", "month", datetime.date(2023, 2, 1), datetime.date(2023, 2, 28),
    )
    [apr] = _at(seed_text, seed_dates, "。4月，")
    assert (apr.iso, apr.granularity, apr.year_inferred) == ("2023-04", "month", True)
    [since] = _at(seed_text, seed_dates, "2020年以来")
    assert (since.surface, since.iso, since.granularity) == ("2020年", "2020", "year")
    assert since.end == datetime.date(2020, 12, 31)
    [issue] = _at(seed_text, seed_dates, "7月刊")
    assert issue.iso == "2023-07"


@pytest.mark.parametrize(
    "needle",
    ["〔2023〕1号", "〔2023〕19号", "021-23305878", "9200 多场", "2023行动", "2023 行动", "第 22 个", "二十冶"],
)
def test_not_dates(seed_text: str, seed_dates: list[DateMention], needle: str) -> None:
    assert needle in seed_text
    assert _at(seed_text, seed_dates, needle) == []
    assert find_dates(needle, ref_year=2023) == []


def test_without_ref_year_nothing_is_guessed(seed_text: str) -> None:
    mentions = find_dates(seed_text)
    assert mentions and not any(m.year_inferred for m in mentions)
    assert "2023-07-03" in {m.iso for m in mentions}
    with pytest.raises(ValueError, match="ref_year"):
        parse_date("5 月 31 日")


# --- small examples ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年7月13日", datetime.date(2023, 7, 13)),
        ("2023 年 7 月 13 日", datetime.date(2023, 7, 13)),
        (" 2023.7.3 ", datetime.date(2023, 7, 3)),
        ("2023-07-03", datetime.date(2023, 7, 3)),
        ("2023/7/3", datetime.date(2023, 7, 3)),
        ("二〇二三年七月十三日", datetime.date(2023, 7, 13)),
        ("二零二三年十二月三十一日", datetime.date(2023, 12, 31)),
        ("２０２３年７月１３日", datetime.date(2023, 7, 13)),
    ],
)
def test_parse_date_forms(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["2023年2月30日", "2023年13月1日", "2023年7月", "2023", "〔2023〕1号", "2023.7.3.1", "", "7月13日"]
)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_relative_years() -> None:
    [m] = find_dates("去年6月", ref_year=2023)
    assert (m.iso, m.granularity, m.year_inferred) == ("2022-06", "month", True)
    [m] = find_dates("今年以来", ref_year=2023)
    assert (m.iso, m.granularity) == ("2023", "year")
    assert find_dates("今年2月") == []
    assert find_dates("至今年均增长", ref_year=2023) == []


def test_invalid_date_in_text_is_skipped() -> None:
    assert find_dates("2023年2月30日", ref_year=2023) == []
    assert [m.iso for m in find_dates("2月29日和3月1日", ref_year=2024)] == ["2024-02-29", "2024-03-01"]
    assert [m.iso for m in find_dates("2月29日和3月1日", ref_year=2023)] == ["2023-03-01"]


# --- properties -------------------------------------------------------------------

_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))


def _cn_year(y: int) -> str:
    return "".join(_CN[int(c)] for c in f"{y:04d}")


def _cn_small(n: int) -> str:
    """Chinese numeral for 1..31 as written in dates: 七, 十, 十三, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _CN[tens] + "十")) + (_CN[ones] if ones else "")


def _full_forms(d: datetime.date) -> list[str]:
    y, m, n = d.year, d.month, d.day
    return [
        f"{y}年{m}月{n}日",
        f"{y} 年 {m} 月 {n} 日",
        f"{y}年{m:02d}月{n:02d}日",
        f"{_cn_year(y)}年{_cn_small(m)}月{_cn_small(n)}日",
        f"{y}.{m}.{n}",
        f"{y}-{m:02d}-{n:02d}",
        f"{y}/{m}/{n}",
    ]


def _month_day_forms(d: datetime.date) -> list[str]:
    m, n = d.month, d.day
    return [f"{m}月{n}日", f"{m} 月 {n} 日", f"{_cn_small(m)}月{_cn_small(n)}日", f"今年{m}月{n}日"]


@given(_dates)
def test_full_forms_round_trip(d: datetime.date) -> None:
    for form in _full_forms(d):
        assert parse_date(form) == d, form


@given(_dates, st.sampled_from(["报告于", "，", "截至"]), st.sampled_from(["发布", "。", "上午"]))
def test_full_forms_found_in_text(d: datetime.date, before: str, after: str) -> None:
    for form in _full_forms(d):
        [m] = find_dates(before + form + after)
        assert (m.surface, m.start, m.granularity, m.year_inferred) == (form, d, "day", False)


@given(_dates)
def test_month_day_forms_use_ref_year(d: datetime.date) -> None:
    for form in _month_day_forms(d):
        assert parse_date(form, ref_year=d.year) == d, form
        [m] = find_dates(form, ref_year=d.year)
        assert (m.start, m.year_inferred) == (d, True)


@st.composite
def _invalid_ymd(draw: st.DrawFn) -> tuple[int, int, int]:
    y = draw(st.integers(1900, 2100))
    if draw(st.booleans()):
        m = draw(st.integers(1, 12))
        n = draw(st.integers(calendar.monthrange(y, m)[1] + 1, 99) | st.just(0))
    else:
        m, n = draw(st.integers(13, 99) | st.just(0)), draw(st.integers(1, 28))
    return y, m, n


@given(_invalid_ymd())
def test_invalid_dates_raise(ymd: tuple[int, int, int]) -> None:
    y, m, n = ymd
    for form in (f"{y}年{m}月{n}日", f"{y} 年 {m} 月 {n} 日", f"{y}.{m}.{n}", f"{y}-{m:02d}-{n:02d}"):
        with pytest.raises(ValueError):
            parse_date(form)
        assert find_dates(form) == []


_date_chars = st.sampled_from(list("0123456789０７年月日号.-/〔〕 今去一二三十〇零上午以来多场") + ["\u3000", "\n"])


@settings(max_examples=300)
@given(st.text() | st.text(_date_chars, max_size=40), st.none() | st.integers(-10**6, 10**6))
def test_find_dates_total(text: str, ref_year: int | None) -> None:
    mentions = find_dates(text, ref_year=ref_year)
    last_end = 0
    for m in mentions:
        s, e = m.span
        assert text[s:e] == m.surface
        assert last_end <= s < e
        last_end = e
        assert m.start <= m.end
        assert m.granularity in {"day", "month", "year"}
