"""Find and read the quantities (counts, figures) stated in Chinese report text.

Why: a report's prose restates its statistics annex with hedged wording
("9200 多场", "超过 78 万", "近 70.8 万人次"); to check prose against the annex we
need, for each figure, the interval of true values the wording admits.

Public API
----------
``find_quantities(text)``  -> ``list[Quantity]`` in text order; never raises.
``parse_number(s)``        -> int | float for "9200", "1,234", "３.５万", "三百零五", "6.3亿".

Values are exact at any size: an int (beyond 64 bits if need be: 9999999999999999亿), a float when
the float prints as exactly the decimal written, else a ``Decimal`` (1234567890123456.12345678). The
arithmetic runs in :data:`EXACT`, where a result that would need rounding raises instead.
``to_chinese_numeral(n)``  -> "三百零五" for 305 (round-trips with parse_number).
``QUALIFIERS``             -> the semantics table below (a dict read from data/qualifiers.json; edit either).
``fold_traditional(text)`` -> the text with traditional characters folded to simplified, one for one
(:func:`reportmine.script.fold_traditional`, re-exported here).

Works on raw text (spaces between digits and CJK, full-width digits) as well as
on normalised text, in simplified or traditional script (個 項 場次 條 萬 億 餘 約 數 幾 are folded to
simplified one character for one, data/traditional_fold.tsv); spans always index the string that was
passed in, ``surface`` is as written there, ``unit`` and ``qualifier`` are the simplified canonical forms.

Semantics
---------
*step* = one unit of the last written non-zero digit, magnitude applied:
9200 -> 100, 16000 -> 1000, 70 -> 10, 70.8万 -> 1000, 78万 -> 10000.
*rounded* = a magnitude 万/亿 was written (78万, 3.5万册, 四万).

Every qualifier word maps to a ``QualifierRule(rule, position, priority)``.
``rule`` gives the interval (N = nominal value, s = step, t = tolerance):

=========== ======================================= ======== ==========================
rule        admits                                  bounds   words (default table)
=========== ======================================= ======== ==========================
exact       [N, N]; rounded: [N - s/2, N + s/2)     [] / [)  共 共有 共计 累计 达 总计 合计…
over_step   (N, N + s)                              ()       多 余 几 (9200多, 十几)
above       (N, None)                               (]       超过 逾 多于 以上 …
at_least    [N, None]                               []       至少 不少于 最少 …
near        [N - s, N)                              [)       近 将近 接近 近乎
about       [N - t*s, N + t*s]                      []       约 大约 大概 左右 上下
below       (None, N)                               [)       不足 不到 少于 以下 …
at_most     (None, N]                               []       不超过 至多 最高 以内 …
reaching    [M, 10M)                                [)       上百 上千 上万 (magnitude words)
several     (M, 10M)                                ()       数十 数百 几十 好几千 (magnitude words)
=========== ======================================= ======== ==========================

*Bare magnitudes*: a numeral that is a magnitude without a digit (十 百 千 万 十万 百万 亿, value M) is
read only with a qualifier: 近千人 (near on a bare magnitude admits [M/2, M)), 逾千次, 千余人 (over_step:
(M, 2M)), 上百场, 数十家, 过万人 (magnitude words: ``position`` "magnitude", the word ends in the magnitude
it qualifies, 上百万 = 上百 + 万). Words that are a figure by themselves (``position`` "word": 成千上万,
数以万计) admit [M, ∞), M their first magnitude. 千人计划, 千家万户 are not quantities.

``position`` says where the word is written: ``prefix`` (before the number),
``inner`` (right after the number or its 万/亿: 9200多场, 3万余人, 十余万) or
``suffix`` (after the unit: 1900条以上, 90%左右).  Prefix words whose rule is not
``exact`` belong to the surface ("超过 78 万"); ``exact`` prefixes (共有 112746 人)
are recorded as the qualifier but left out of the surface.  When several words
apply, the highest ``priority`` wins (inner > prefix > suffix > exact), so
"共 9200 多场" has qualifier 多.  ``not_after`` lists characters that, right before
a prefix word, make it part of another word (最近, 签约).

Kinds: ``count``; ``percent`` (99%, 百分之九十; unit "%"; also 1.2个百分点, data/unit_kinds.json);
``range`` (3至5场, 3-5场, 3～5万人, 一两个, 二三十家, 十二三个, 两三万; admits [lo, hi], value = lo);
``rate`` (8张/套; unit "张/套"; also 1.5倍).
A magnitude is applied to the value and not kept in the unit: "500万元" is
value 5000000, unit "元".

Not quantities: dates and times (2023年, 5月31日, 2023.7.3), 文号 (〔2023〕1号),
ordinals (第22个, 第七届), phone numbers, numerals in set phrases and names
(data/set_phrases.txt, and any Chinese numeral inside “…”, 「…」 or 《…》 quotes,
or followed by a non-unit character such as 二十冶), bare numbers with no unit,
magnitude or qualifier (2023行动), a lone 一 used as an article (一场生动的), and proportions (九成, 八折).
Units come from data/units.txt (longest match first).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import lru_cache

import regex

from .resources import data_json, data_lines
from .script import fold_traditional

__all__ = [
    "Quantity",
    "QualifierRule",
    "QUALIFIERS",
    "find_quantities",
    "parse_number",
    "exact_sum",
    "to_chinese_numeral",
    "fold_traditional",
]

# --------------------------------------------------------------------------- table


@dataclass(frozen=True)
class QualifierRule:
    """How one qualifier word bounds the true value (see module docstring)."""

    rule: str  # exact | over_step | above | at_least | near | about | below | at_most
    position: str  # prefix | inner | suffix
    priority: int = 1
    not_after: str = ""  # chars that, before a prefix word, make it part of another word


def _load_qualifiers() -> dict[str, QualifierRule]:
    """The default table, read from data/qualifiers.json (semantics are data, not code)."""
    table: dict[str, QualifierRule] = {}
    for entry in data_json("qualifiers.json")["qualifiers"]:
        rule = QualifierRule(entry["rule"], entry["position"], entry.get("priority", 1), entry.get("not_after", ""))
        if rule.rule not in RULES or rule.position not in POSITIONS:
            raise ValueError(f"reportmine/data/qualifiers.json: unknown rule or position in {entry!r}")
        table.update(dict.fromkeys(entry["words"].split(), rule))
    return table


#: Rules a qualifier can have, and where its word can be written (see the module docstring).
RULES = ("exact", "over_step", "above", "at_least", "near", "about", "below", "at_most", "reaching", "several")
POSITIONS = ("prefix", "inner", "suffix", "magnitude", "word")

QUALIFIERS: dict[str, QualifierRule] = _load_qualifiers()

# --------------------------------------------------------------------------- model

#: A value: int when integral, float when the float prints as exactly the decimal written, else Decimal
#: (a decimal fraction with more significant digits than a float holds); never a rounded value.
Num = int | float | Decimal

#: Longest numeral :func:`parse_number` reads; longer strings are not numbers anyone reports (and
#: Python refuses to print ints of more than 4,300 digits).
MAX_NUMERAL_CHARS = 4000
#: Decimal arithmetic here is exact: enough precision for any numeral read, and a result that would
#: have to be rounded raises (decimal.Inexact) instead of giving a wrong value.
EXACT = Context(prec=2 * MAX_NUMERAL_CHARS + 100, Emax=MAX_EMAX, Emin=MIN_EMIN,
                traps=[InvalidOperation, DivisionByZero, Overflow, Inexact])


@dataclass(frozen=True)
class Quantity:
    """One figure read from text, with the interval of values its wording admits."""

    surface: str
    span: tuple[int, int]
    value: Num
    unit: str | None
    unit_span: tuple[int, int] | None
    qualifier: str | None
    admits: tuple[Num | None, Num | None]
    bounds: str
    kind: str

    def contains(self, x: float) -> bool:
        """True if x lies in ``admits``, open or closed at each end as ``bounds`` says."""
        lo, hi = self.admits
        if lo is not None and (x < lo or (x == lo and self.bounds[0] == "(")):
            return False
        if hi is not None and (x > hi or (x == hi and self.bounds[1] == ")")):
            return False
        return True


# --------------------------------------------------------------------------- numerals

_CN_DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_ZEROS = "〇零"
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_CN_START = "".join(_CN_DIGITS) + "十拾"
_CN_BODY = _CN_START + "百佰千仟万萬亿億"
_DIGITS_RE = regex.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
_MIXED_RE = regex.compile(r"((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)([十百千万亿萬億拾佰仟]*)")


def _to_num(d: Decimal) -> Num:
    """Decimal -> int when integral, else float when the float is exactly ``d`` as written, else ``d`` itself."""
    if d == d.to_integral_value():
        return int(d)
    f = float(d)
    return f if Decimal(repr(f)) == d else d


def _parse_below_wan(s: str) -> int:
    """Read 0..9999 written with 十百千 (三百零五, 二十, 三百五 = 350)."""
    if not s:
        raise ValueError("empty numeral section")
    total, digit, last_unit, zero_gap = 0, None, 10**4, False
    for ch in s:
        if ch in _ZEROS:
            if digit is not None:
                raise ValueError(f"misplaced zero in {s!r}")
            zero_gap = True
        elif ch in _CN_DIGITS:
            if digit is not None:
                raise ValueError(f"two digits in a row in {s!r}")
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"units out of order in {s!r}")
            if digit is None:
                if unit != 10 or (total and not zero_gap):
                    raise ValueError(f"unit without digit in {s!r}")
                digit = 1
            total += digit * unit
            last_unit, digit, zero_gap = unit, None, False
        else:
            raise ValueError(f"not a Chinese numeral character: {ch!r} in {s!r}")
    if digit is not None:
        if zero_gap or last_unit in (10, 10**4):
            total += digit
        else:  # abbreviation: 三百五 = 350, 一千二 = 1200
            total += digit * (last_unit // 10)
    elif zero_gap and last_unit != 10**4:
        raise ValueError(f"trailing zero in {s!r}")
    return total


def _parse_cn_int(s: str) -> int:
    """Read a Chinese integer numeral, recursing on 亿 then 万 (一万二 = 12000)."""
    for big_char, big in (("亿", 10**8), ("億", 10**8), ("万", 10**4), ("萬", 10**4)):
        if big_char in s:
            hi, lo = s.split(big_char, 1)
            if not hi:
                raise ValueError(f"magnitude without a number in {s!r}")
            high = _parse_cn_int(hi) * big
            if not lo:
                return high
            if lo[0] in _ZEROS:
                low = _parse_cn_int(lo.lstrip(_ZEROS))
            elif len(lo) == 1 and lo in _CN_DIGITS:  # abbreviation: 一万二 = 12000
                low = _CN_DIGITS[lo] * (big // 10)
            else:
                low = _parse_cn_int(lo)
            if low >= big:
                raise ValueError(f"remainder too large after {big_char} in {s!r}")
            return high + low
    if len(s) > 1 and all(ch in _CN_DIGITS and ch not in "两兩" for ch in s):
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))  # positional: 二〇二三
    return _parse_below_wan(s)


def _parse_decimal(s: str) -> Decimal:
    """Exact Decimal value of a numeral string; ValueError if it is not one (or has over 4,000 digits)."""
    d = _read_decimal(s)
    if d.adjusted() >= MAX_NUMERAL_CHARS:
        raise ValueError(f"not a number: {s[:40]!r}… has more than {MAX_NUMERAL_CHARS} digits")
    return d


def _read_decimal(s: str) -> Decimal:
    t = s.strip().translate(_FULLWIDTH)
    if not t:
        raise ValueError("not a number: empty string")
    if len(t) > MAX_NUMERAL_CHARS:
        raise ValueError(f"not a number: a numeral of {len(t)} characters (at most {MAX_NUMERAL_CHARS} are read)")
    m = _MIXED_RE.fullmatch(t)
    if m:
        try:
            base = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
            raise ValueError(f"not a number: {s!r}") from exc
        mult = 1
        for ch in m.group(2):
            mult *= _CN_SMALL_UNITS.get(ch) or _CN_BIG_UNITS[ch]
        return base * mult
    if any(ch.isdigit() for ch in t) and not all(ch in _CN_BODY for ch in t):
        raise ValueError(f"not a number: {s!r}")
    if not all(ch in _CN_BODY for ch in t):
        raise ValueError(f"not a number: {s!r} (unexpected characters)")
    return Decimal(_parse_cn_int(t))


def exact_sum(values: Iterable[Num]) -> Num:
    """Sum of ints, floats and Decimals (Python's ``sum`` refuses Decimal + float). With a Decimal among
    them the sum is an exact Decimal, each float counting as the decimal it prints as; else plain ``sum``."""
    values = list(values)
    if not any(isinstance(v, Decimal) for v in values):
        return sum(values)
    with localcontext(EXACT):
        return sum((Decimal(repr(v)) if isinstance(v, float) else Decimal(v) for v in values), Decimal(0))


def parse_number(s: str) -> Num:
    """Read an Arabic, Chinese or mixed numeral ("1,234", "３.５万", "三百零五", "6.3亿").

    Returns an int when the value is integral, a float when it prints as the decimal written, else an
    exact Decimal. Raises ValueError for anything else.
    """
    if not isinstance(s, str):
        raise ValueError(f"not a number: {s!r} is not a string")
    with localcontext(EXACT):
        return _to_num(_parse_decimal(s))


def _small_to_cn(n: int, leading: bool) -> str:
    """Write 0 < n < 10000 with 千百十, a single 零 for each gap; 十 alone only when leading."""
    digits = "零一二三四五六七八九"
    out, gap = [], False
    for unit, char in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out.append("零")
            gap = False
        if not (unit == 10 and d == 1 and leading and not out):
            out.append(digits[d])
        out.append(char)
    return "".join(out)


def _cn(n: int, leading: bool) -> str:
    """Recursive helper of to_chinese_numeral for n > 0."""
    for big, char in ((10**8, "亿"), (10**4, "万")):
        if n >= big:
            hi, lo = divmod(n, big)
            head = _cn(hi, leading) + char
            if lo == 0:
                return head
            return head + ("零" if lo < big // 10 else "") + _cn(lo, False)
    return _small_to_cn(n, leading)


def to_chinese_numeral(n: int) -> str:
    """Write a non-negative int in Chinese numerals: 305 -> 三百零五, 12000 -> 一万二千."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"expected a non-negative int, got {n!r}")
    return "零" if n == 0 else _cn(n, True)


# --------------------------------------------------------------------------- data


def _read_list(name: str) -> tuple[str, ...]:
    """A one-item-per-line data file, duplicates dropped."""
    return tuple(dict.fromkeys(data_lines(name)))


@lru_cache(maxsize=1)
def _units() -> dict[str, tuple[str, ...]]:
    """Units grouped by first character, longest first."""
    groups: dict[str, list[str]] = {}
    for u in _read_list("units.txt"):
        groups.setdefault(u[0], []).append(u)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in groups.items()}


@lru_cache(maxsize=1)
def _units_by_last() -> dict[str, tuple[str, ...]]:
    """Units grouped by last character, longest first."""
    groups: dict[str, list[str]] = {}
    for group in _units().values():
        for u in group:
            groups.setdefault(u[-1], []).append(u)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in groups.items()}


@lru_cache(maxsize=1)
def _unit_kinds() -> dict[str, str]:
    """Units whose figures are not counts -> their kind (个百分点: percent, 倍: rate), data/unit_kinds.json."""
    return dict(data_json("unit_kinds.json")["kinds"])


@lru_cache(maxsize=1)
def _set_phrases() -> tuple[str, ...]:
    """Set phrases whose numerals are not counts."""
    return _read_list("set_phrases.txt")


# --------------------------------------------------------------------------- patterns

_SP = " \t\u3000\xa0"
_AR = "[0-9０-９]"
_TIMEOUT = 1.0  # seconds per regex call; the patterns are linear, this only guards against hangs
_AR_NUM = rf"(?:{_AR}{{1,3}}(?:,{_AR}{{3}}){{1,5}}(?!{_AR})|{_AR}{{1,16}}(?!{_AR}))(?:[.．]{_AR}{{1,8}}(?!{_AR}))?"
_MAG_CHARS = "十拾百佰千仟万萬亿億"
_CN_NUM = rf"[{_CN_START}][{_CN_BODY}]{{0,30}}(?![{_CN_BODY}])"
_TOKEN_RE = regex.compile(
    rf"(?P<pct>百分之[{_SP}]{{0,2}}(?:(?P<pct_ar>{_AR_NUM})|(?P<pct_cn>{_CN_NUM})))"
    rf"|(?<![0-9０-９.．A-Za-z])(?P<ar>{_AR_NUM})"
    rf"|(?<![{_CN_BODY}])(?P<cn>{_CN_NUM})"
    rf"|(?<![{_CN_BODY}])(?P<mag>[百佰千仟万萬亿億][{_MAG_CHARS}]{{0,3}}(?![{_CN_BODY}]))"
)
_AR_MAG_RE = regex.compile(rf"[{_SP}]{{0,3}}(?:[百千](?:万亿|[万亿萬億])?|万亿|[万亿萬億])")
_BIG_MAG_RE = regex.compile(rf"[{_SP}]{{0,3}}[万亿萬億]")
_RANGE_SEP_RE = regex.compile(rf"[{_SP}]{{0,2}}(?:至|到|~|～|〜|-|－|—|–)[{_SP}]{{0,2}}")
_PCT_RE = regex.compile(rf"[{_SP}]{{0,2}}[%％‰]")
_RATE_SEP_RE = regex.compile(rf"[{_SP}]{{0,2}}[/／][{_SP}]{{0,2}}")
_CLOSE_RE = regex.compile(rf"[{_SP}]{{0,3}}[)）][{_SP}]{{0,3}}")

#: For each pattern matched at a position: the characters its match can start with after the spaces it
#: allows, and how many spaces. A position where none stands is passed over without running the pattern.
_LEADS: dict[regex.Pattern, tuple[str, int]] = {
    _AR_MAG_RE: ("百千万亿萬億", 3),
    _BIG_MAG_RE: ("万亿萬億", 3),
    _RANGE_SEP_RE: ("至到~～〜-－—–", 2),
    _PCT_RE: ("%％‰", 2),
    _RATE_SEP_RE: ("/／", 2),
    _CLOSE_RE: (")）", 3),
}


def _match_at(pattern: regex.Pattern, text: str, pos: int) -> regex.Match | None:
    """``pattern.match(text, pos)`` (with the timeout), run only when a character it can start with is there."""
    firsts, spaces = _LEADS[pattern]
    i, end = pos, min(len(text), pos + spaces)
    while i < end and text[i] in _SP:
        i += 1
    if i >= len(text) or text[i] not in firsts:
        return None
    return pattern.match(text, pos, timeout=_TIMEOUT)

_DATE_CHARS = "年月日号號届屆时時点點分秒"
_NOT_COUNT_AFTER = _DATE_CHARS + "成折"  # 九成, 八折: proportions, not counts
_PAIR_RE = regex.compile("|".join(a + b for a, b in (
    ("一", "二"), ("一", "两"), ("两", "三"), ("二", "三"), ("三", "四"), ("四", "五"),
    ("五", "六"), ("六", "七"), ("七", "八"), ("八", "九"))))
_RATE_DENOMINATORS = ("年", "月", "日", "季度")
_QUOTE_RE = regex.compile(r"“[^“”]{0,80}”|「[^「」]{0,80}」|『[^『』]{0,80}』|《[^《》]{0,100}》|〈[^〈〉]{0,100}〉")
_CN_RUN_RE = regex.compile(rf"[{_CN_BODY}]+")
_BLOCK_RE = regex.compile(
    "|".join(
        [
            # 文号: 〔2023〕1号, [2023]第19号
            rf"[〔［\[【(（][{_SP}]*(?:19|20){_AR}{{2}}[{_SP}]*[〕］\]】)）][{_SP}]*第?[{_SP}]*{_AR}{{1,5}}[{_SP}]*[号號]",
            # dates: 2023.7.3, 2023-07-03, 2023/7
            rf"(?<!{_AR})(?:19|20){_AR}{{2}}([./\-－])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12][0-9]|3[01])(?!{_AR})",
            rf"(?<!{_AR})(?:19|20){_AR}{{2}}[/\-－](?:0?[1-9]|1[0-2])(?![0-9０-９.．])",
            # times: 9:30
            rf"(?<!{_AR}){_AR}{{1,2}}[:：]{_AR}{{2}}(?!{_AR})",
            # phone numbers: 021-23305878, 13912345678, 400-123-4567
            rf"(?<!{_AR})0{_AR}{{2,3}}[-－—]?{_AR}{{7,8}}(?!{_AR})",
            rf"(?<!{_AR})1[3-9]{_AR}{{9}}(?!{_AR})",
            rf"(?<!{_AR})[48]00[-－]?{_AR}{{3}}[-－]?{_AR}{{4}}(?!{_AR})",
            # ordinals: 第22个, 第 22 个, 第七届; phases: 二期工程, 3期项目
            rf"第[{_SP}]*(?:{_AR}+|[{_CN_BODY}]+)",
            rf"(?<![{_CN_BODY}]|{_AR})(?:{_AR}{{1,2}}|[{_CN_BODY}]{{1,3}})期(?=工程|项目)",
        ]
    )
)

# --------------------------------------------------------------------------- scanning helpers


def _skip(text: str, i: int) -> int:
    """Index of the first non-space character at or after i."""
    while i < len(text) and text[i] in _SP:
        i += 1
    return i


def _skip_back(text: str, i: int) -> int:
    """Index just after the last non-space character before i."""
    while i > 0 and text[i - 1] in _SP:
        i -= 1
    return i


def _unit_at(text: str, i: int) -> str | None:
    """Longest unit starting at i."""
    if i >= len(text):
        return None
    for u in _units().get(text[i], ()):
        if text.startswith(u, i):
            return u
    return None


def _unit_ending_at(text: str, i: int) -> str | None:
    """Longest unit ending at i (for a label before the number: 参与人次超过78万)."""
    if i <= 0:
        return None
    for u in _units_by_last().get(text[i - 1], ()):
        if text.endswith(u, 0, i):
            return u
    return None


Table = dict[str, tuple[tuple[str, QualifierRule], ...]]


_TABLE_MEMO: list = [None, None]   # [the qualifier items the last table was built from, that table]


def _table(qualifiers: dict[str, QualifierRule]) -> Table:
    """Snapshot of a qualifier table: position -> (word, rule) pairs, longest word first (rebuilt only when
    the table was edited since the last call)."""
    items = list(qualifiers.items())
    if _TABLE_MEMO[0] != items:
        _TABLE_MEMO[:] = [items, _build_table(qualifiers)]
    return _TABLE_MEMO[1]


def _build_table(qualifiers: dict[str, QualifierRule]) -> Table:
    table: dict[str, list[tuple[str, QualifierRule]]] = {"prefix": [], "inner": [], "suffix": []}
    for word, rule in qualifiers.items():
        if word:
            table.setdefault(rule.position, []).append((word, rule))
    return {k: tuple(sorted(v, key=lambda wr: len(wr[0]), reverse=True)) for k, v in table.items()}


_BY_EDGE: dict[tuple[int, bool], tuple[tuple, dict[str, tuple]]] = {}


def _by_edge(words: tuple[tuple[str, QualifierRule], ...], last: bool) -> dict[str, tuple]:
    """``words`` grouped by their last (or first) character, each group in the order of ``words``: a word
    can end (start) at a position only if that character is there. Remembered per table."""
    key = (id(words), last)
    got = _BY_EDGE.get(key)
    if got is None or got[0] is not words:
        index: dict[str, list] = {}
        for pair in words:
            index.setdefault(pair[0][-1] if last else pair[0][0], []).append(pair)
        got = (words, {ch: tuple(group) for ch, group in index.items()})
        if len(_BY_EDGE) > 64:
            _BY_EDGE.clear()
        _BY_EDGE[key] = got
    return got[1]


def _word_ending_at(text: str, i: int, words: tuple[tuple[str, QualifierRule], ...]) -> tuple[str, QualifierRule] | None:
    """Longest qualifier word ending at i, honouring its rule's not_after."""
    for word, rule in _by_edge(words, True).get(text[i - 1], ()) if 0 < i <= len(text) else words:
        if text.endswith(word, 0, i):
            start = i - len(word)
            if start > 0 and text[start - 1] in rule.not_after:
                continue
            return word, rule
    return None


def _word_starting_at(text: str, i: int, words: tuple[tuple[str, QualifierRule], ...]) -> tuple[str, QualifierRule] | None:
    """Longest qualifier word starting at i."""
    for word, rule in _by_edge(words, False).get(text[i], ()) if 0 <= i < len(text) else words:
        if text.startswith(word, i):
            return word, rule
    return None


def _step(v: Decimal) -> Decimal:
    """One unit of the last non-zero digit of v (1 for zero)."""
    if v == 0:
        return Decimal(1)
    return Decimal(1).scaleb(v.normalize().as_tuple().exponent)


def _interval(v: Decimal, rule: str, rounded: bool, tolerance: float,
              bare: bool = False) -> tuple[tuple[Decimal | None, Decimal | None], str]:
    """Admitted interval and bounds for value v under a QUALIFIERS rule (``bare``: v is a magnitude written
    without a digit, 近千 / 上百 / 数十)."""
    s = _step(v)
    if rule == "reaching":
        return (v, v * 10), "[)"
    if rule == "several":
        return (v, v * 10), "()"
    if rule == "near" and bare:
        return (v / 2, v), "[)"
    if rule == "over_step":
        return (v, v + s), "()"
    if rule == "above":
        return (v, None), "(]"
    if rule == "at_least":
        return (v, None), "[]"
    if rule == "near":
        return (v - s, v), "[)"
    if rule == "about":
        t = Decimal(str(tolerance)) * s
        return (v - t, v + t), "[]"
    if rule == "below":
        return (None, v), "[)"
    if rule == "at_most":
        return (None, v), "[]"
    if rounded:
        return (v - s / 2, v + s / 2), "[)"
    return (v, v), "[]"


def _matches(pattern: regex.Pattern, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match]:
    """Yield non-overlapping matches like finditer, with the timeout applied to each search."""
    end = len(text) if endpos is None else endpos
    while pos <= end:
        m = pattern.search(text, pos, end, timeout=_TIMEOUT)
        if m is None:
            return
        yield m
        pos = m.end() if m.end() > m.start() else m.start() + 1


@lru_cache(maxsize=4)
def _phrase_pattern(phrases: tuple[str, ...]) -> regex.Pattern:
    """One pattern of the set phrases, longest first (never matching when there are none)."""
    return regex.compile("|".join(map(regex.escape, sorted(phrases, key=len, reverse=True))) or r"(?!)")


def _blocked_mask(text: str) -> bytearray:
    """Mark characters whose numerals are not counts: dates, 文号, phones, ordinals, set phrases, quoted names."""
    spans = [m.span() for m in _matches(_BLOCK_RE, text)]
    # every place a set phrase starts (overlapping ones too), the longest one there: their union is that
    # of every occurrence of every phrase
    spans += [m.span() for m in _phrase_pattern(_set_phrases()).finditer(text, overlapped=True, timeout=_TIMEOUT)]
    for q in _matches(_QUOTE_RE, text):
        for run in _matches(_CN_RUN_RE, text, q.start(), q.end()):
            if any(ch in _CN_START for ch in run.group()):
                spans.append(run.span())
    mask = bytearray(len(text))
    for a, b in spans:
        mask[a:b] = b"\x01" * (b - a)
    return mask


_CN_PAIRS = {
    ("一", "二"), ("一", "两"), ("两", "三"), ("二", "三"), ("三", "四"), ("四", "五"),
    ("五", "六"), ("六", "七"), ("七", "八"), ("八", "九"),
}


def _token_value(m: regex.Match) -> tuple[Decimal, bool, bool]:
    """(value, written with 万/亿, is positional Chinese like 二〇二三) of a token; ValueError if unreadable."""
    raw = m.group("ar") or m.group("cn") or m.group("pct_ar") or m.group("pct_cn") or m.group("mag")
    positional = len(raw) > 1 and all(ch in _CN_DIGITS for ch in raw)
    if positional and len(raw) == 2 and (raw[0], raw[1]) in _CN_PAIRS:
        return Decimal(_CN_DIGITS[raw[0]]), False, True  # 一两个: read as a range later
    if m.group("mag"):
        raw = "一" + raw  # 千余: 一千余
    return _parse_decimal(raw), any(ch in _CN_BIG_UNITS for ch in raw), positional


def _pair_range(raw: str) -> tuple[Decimal, Decimal] | None:
    """二三十 -> (20, 30), 十二三 -> (12, 13), 两三万 -> (20000, 30000): two neighbouring digits written
    together give the two ends; None unless exactly one such pair makes two readable numerals."""
    pairs = [p for p in _matches(_PAIR_RE, raw)]
    if len(pairs) != 1 or not any(ch in _MAG_CHARS for ch in raw):
        return None
    a, b = pairs[0].span()
    try:
        lo = _parse_decimal(raw[:a] + raw[a] + raw[b:])
        hi = _parse_decimal(raw[:a] + raw[a + 1] + raw[b:])
    except ValueError:
        return None
    return (lo, hi) if lo < hi else None


def _is_bare_magnitude(raw: str) -> bool:
    """True for a magnitude written without a digit: 十 百 千 万 十万 百万 千万 亿 (上百, 数十万, 近千)."""
    if not raw or not all(ch in _MAG_CHARS for ch in raw):
        return False
    try:
        v = _parse_decimal("一" + raw)
    except ValueError:
        return False
    return v == Decimal(1).scaleb(v.adjusted())


@dataclass
class _Reading:
    """Mutable scratch state while reading around one number token."""

    start: int
    end: int
    value: Decimal
    rounded: bool
    kind: str = "count"
    high: Decimal | None = None
    unit: str | None = None
    unit_span: tuple[int, int] | None = None
    words: list[tuple[str, QualifierRule, int]] = field(default_factory=list)  # (word, rule, index)
    bare: str = ""  # the numeral when it is a bare magnitude (千 in 近千人, 十万 in 数十万)
    written: str = ""  # the Chinese numeral as written (五亿二千 in 五亿二千多万)
    late: bool = False  # the 万 of the part after 亿 follows the inner qualifier (1亿2千多万)


def _magnitude(s: str) -> Decimal:
    """Multiplier of a magnitude suffix such as 万, 千万, 万亿."""
    return _parse_decimal("1" + s.strip(_SP))


def _read_magnitude(text: str, r: _Reading, is_arabic: bool, table: Table | None = None) -> bool:
    """Apply a 万/亿 (or 百/千 after Arabic digits) written right after the number; True if one was."""
    m = _match_at(_AR_MAG_RE if is_arabic else _BIG_MAG_RE, text, r.end)
    if not m:
        return False
    r.value *= _magnitude(m.group())
    r.rounded = r.rounded or any(ch in _CN_BIG_UNITS for ch in m.group())
    r.end = m.end()
    if is_arabic and m.group().endswith(("亿", "億")):
        _read_after_yi(text, r, table)
    return True


_AR_AFTER_YI_RE = regex.compile(r"([0-9]{1,4})([千百十]?)")


def _read_after_yi(text: str, r: _Reading, table: Table | None) -> None:
    """1亿2千万, 1亿2000万 (and 1亿2千多万, with its 万 read after the inner qualifier): the part after 亿 in 万."""
    c = _AR_AFTER_YI_RE.match(text, r.end, timeout=_TIMEOUT)
    if not c:
        return
    part = Decimal(c.group(1)) * (_CN_SMALL_UNITS[c.group(2)] if c.group(2) else 1)
    if part >= 10**4:
        return
    if c.end() < len(text) and text[c.end()] in "万萬":
        r.value, r.end = r.value + part * 10**4, c.end() + 1
    elif table and (hit := _word_starting_at(text, c.end(), table.get("inner", ()))) and \
            text.startswith(("万", "萬"), c.end() + len(hit[0])):
        r.value, r.end, r.late = r.value + part * 10**4, c.end(), True  # 1亿2千多万: 万 read in _read_tail


def _late_wan(written: str, mag: str) -> Decimal | None:
    """Value of 五亿二千 + 多 + 万 = 5亿 + 2千万 (the 万 written after the qualifier scales the part after 亿);
    None unless ``written`` has 亿 and no 万 after it and ``mag`` is 万."""
    if mag not in ("万", "萬") or not written:
        return None
    cut = max(written.rfind("亿"), written.rfind("億"))
    head, tail = written[: cut + 1], written[cut + 1 :]
    if cut < 0 or not tail or any(ch in "万萬" for ch in tail):
        return None
    try:
        return _parse_decimal(head) + _parse_decimal(tail) * 10**4
    except ValueError:
        return None


def _read_range(text: str, r: _Reading, script: str, had_mag: bool) -> None:
    """Turn r into a range when 至/到/-/～ and a second number in the same script follow."""
    pct = _match_at(_PCT_RE, text, r.end)
    sep = _match_at(_RANGE_SEP_RE, text, pct.end() if pct else r.end)
    if not sep:
        return
    m = _TOKEN_RE.match(text, sep.end(), timeout=_TIMEOUT)
    if not m or not m.group(script):
        return
    try:
        high, big, positional = _token_value(m)
    except ValueError:
        return
    if positional:
        return
    second = _Reading(m.start(), m.end(), high, big)
    second_mag = _read_magnitude(text, second, script == "ar")
    low = r.value
    if second_mag and not had_mag:  # 3至5万: the magnitude applies to both ends
        low *= _magnitude(text[m.end() : second.end])
    if low > second.value:
        return
    r.value, r.high, r.end, r.kind = low, second.value, second.end, "range"
    r.rounded = r.rounded or second.rounded


def _read_rate(text: str, r: _Reading) -> None:
    """Extend a unit into a rate unit such as 张/套 or 元/年."""
    sep = _match_at(_RATE_SEP_RE, text, r.end)
    if not sep:
        return
    j = sep.end()
    denom = _unit_at(text, j) or next((d for d in _RATE_DENOMINATORS if text.startswith(d, j)), None)
    if denom and r.unit_span:
        r.unit = f"{r.unit}/{denom}"
        r.unit_span = (r.unit_span[0], j + len(denom))
        r.end = j + len(denom)
        if r.kind == "count":
            r.kind = "rate"


def _read_tail(text: str, r: _Reading, table: Table) -> bool:
    """Read inner qualifier, percent sign, unit, rate and suffix after the number; False if a date/time."""
    i = _skip(text, r.end)
    hit = _word_starting_at(text, i, table.get("inner", ()))
    if hit and r.kind != "range":
        r.words.append((hit[0], hit[1], i))
        r.end = i + len(hit[0])
        if r.end < len(text) and _CN_SMALL_UNITS.get(text[r.end], 0) * 10 == _step(r.value):
            r.end += 1  # 一百几十亿: the 十 only says which digit 几 stands for
        m = _match_at(_BIG_MAG_RE, text, r.end)
        if m and not r.rounded:  # 十余万
            r.value *= _magnitude(m.group())
            r.rounded, r.end = True, m.end()
        elif m and r.late and m.group().strip(_SP) in ("万", "萬"):  # 1亿2千多万: already counted
            r.end = m.end()
        elif m:  # 五亿二千多万: the 万 belongs to the part after 亿
            late = _late_wan(r.written, m.group().strip(_SP))
            if late is not None:
                r.value, r.end = late, m.end()
    pct = _match_at(_PCT_RE, text, r.end)
    i = _skip(text, r.end)
    if pct:
        r.unit, r.unit_span, r.end = pct.group().strip(_SP).replace("％", "%"), (pct.end() - 1, pct.end()), pct.end()
        r.kind = "percent" if r.kind == "count" else r.kind
    elif r.kind == "percent":
        r.unit = "%"  # 百分之九十
    elif text.startswith("周年", i):
        return False
    else:
        unit = _unit_at(text, i)
        if unit:
            r.unit, r.unit_span, r.end = unit, (i, i + len(unit)), i + len(unit)
            if unit in _unit_kinds() and r.kind == "count":
                r.kind = _unit_kinds()[unit]  # 提高1.2个百分点, 增长1.5倍: not counts
            _read_rate(text, r)
        elif i < len(text) and text[i] in _NOT_COUNT_AFTER:
            return False
    i = _skip(text, r.end)
    hit = _word_starting_at(text, i, table.get("suffix", ()))
    if hit:
        r.words.append((hit[0], hit[1], i))
        r.end = i + len(hit[0])
    return True


def _magnitude_word(text: str, r: _Reading, table: Table) -> tuple[str, QualifierRule] | None:
    """A magnitude word over the start of a bare magnitude: 上百 in 上百人 / 上百万, 数十 in 数十万."""
    for word, rule in table.get("magnitude", ()):
        stem = word.rstrip(_MAG_CHARS)
        tail = word[len(stem):]
        if stem and r.bare.startswith(tail) and _word_ending_at(text, r.start, ((stem, rule),)):
            return word, rule
    return None


def _read_head(text: str, r: _Reading, table: Table) -> int:
    """Read prefix qualifiers before the number; return where the label before them ends."""
    prefixes = table.get("prefix", ())
    hit = _magnitude_word(text, r, table) if r.bare else None
    longer = _word_ending_at(text, r.start, prefixes) if hit else None
    if longer and len(longer[0]) > len(hit[0].rstrip(_MAG_CHARS)):
        hit = None  # 突破千万: the prefix 突破, not the magnitude word 破千
    if hit:  # 上百人: the stem is part of the surface, the word is the qualifier
        stem = hit[0].rstrip(_MAG_CHARS)
        r.start -= len(stem)
        r.words.insert(0, (hit[0], hit[1], r.start))
    i = _skip_back(text, r.start)
    hit = _word_ending_at(text, i, prefixes)
    if hit and hit[1].rule != "exact":  # 超过 78 万: part of the surface
        r.start = i - len(hit[0])
        r.words.insert(0, (hit[0], hit[1], r.start))
        i = _skip_back(text, r.start)
        hit = _word_ending_at(text, i, prefixes)
    if hit and hit[1].rule == "exact":  # 共有 112746 人: qualifier only
        i -= len(hit[0])
        r.words.insert(0, (hit[0], hit[1], i))
        i = _skip_back(text, i)
    return i


def _read_bracketed(text: str, r: _Reading) -> None:
    """Annex cells '(9216)场' / '（ 4982 ）个': the unit follows the closing bracket."""
    i = _skip_back(text, r.start)
    if i == 0 or text[i - 1] not in "(（":
        return
    before = _skip_back(text, i - 1)
    if before == 0 or text[before - 1] in "\n\r":
        return  # enumerator at line start: （1）…
    close = _match_at(_CLOSE_RE, text, r.end)
    if not close:
        return
    unit = _unit_at(text, close.end())
    if unit:
        r.start = i - 1
        r.unit, r.unit_span = unit, (close.end(), close.end() + len(unit))
        r.end = close.end() + len(unit)
        _read_rate(text, r)


def _is_numeral_char(text: str, i: int) -> bool:
    """True if text[i] exists and is a digit or Chinese numeral."""
    return 0 <= i < len(text) and (text[i].isdigit() or text[i] in _CN_BODY)


def _read_one(text: str, m: regex.Match, table: Table, tolerance: float) -> Quantity | None:
    """Read the quantity around one number token, or None if it is not a count."""
    if "word" in m.re.groupindex and m.group("word"):
        return _read_word(text, m, table, tolerance)
    script = "ar" if m.group("ar") else "cn" if m.group("cn") else "mag" if m.group("mag") else "pct"
    raw = m.group() if script == "pct" else m.group(script)
    if script == "ar":
        digits = raw.translate(_FULLWIDTH)
        if len(digits) > 1 and digits[0] == "0" and digits[1] != ".":
            return None  # codes and phone prefixes: 021
    pair = _pair_range(raw) if script == "cn" else None  # 二三十, 一二万: a range, never positional 23 / 12万
    if pair:
        value, big, positional = pair[0], any(ch in _CN_BIG_UNITS for ch in raw), False
    else:
        value, big, positional = _token_value(m)
    r = _Reading(m.start(), m.end(), value, big, kind="percent" if script == "pct" else "count",
                 written=raw if script == "cn" else "")
    if pair:  # 二三十家, 两三万
        r.high, r.kind = pair[1], "range"
    elif script != "pct":
        had_mag = _read_magnitude(text, r, script == "ar", table) or big
        if script != "mag":
            _read_range(text, r, script, had_mag)
        written = "".join(ch for ch in text[m.start() : r.end] if ch not in _SP)
        if script != "ar" and r.kind == "count" and _is_bare_magnitude(written):
            r.bare = written
    if positional and r.kind != "range":
        if len(raw) != 2 or (raw[0], raw[1]) not in _CN_PAIRS:
            return None  # 二〇二三, 五一
        r.value, r.high, r.kind = Decimal(_CN_DIGITS[raw[0]]), Decimal(_CN_DIGITS[raw[1]]), "range"
    if script == "ar" and r.kind == "count":
        _read_bracketed(text, r)
    if r.unit is None and not _read_tail(text, r, table):
        return None
    label_end = _read_head(text, r, table)
    semantic = any(rule.rule != "exact" for _, rule, _ in r.words)
    if script == "mag" and not semantic:
        return None  # a magnitude alone is a name or an idiom: 千人计划, 百场宣讲, 千家万户
    if r.kind == "range" and r.unit is None and not r.rounded:
        return None
    if r.kind == "count" and r.unit is None and not r.rounded and not r.words:
        return None  # bare number: 2023行动, 二十冶
    if r.kind == "count" and raw in ("一", "壹") and not r.rounded and not semantic:
        return None  # article: 一场生动的, 一项重点
    if r.kind == "count" and r.unit is None and (r.rounded or semantic):
        unit = _unit_ending_at(text, label_end)  # 参与人次超过 78 万
        if unit and not _is_numeral_char(text, label_end - len(unit) - 1):
            r.unit, r.unit_span = unit, (label_end - len(unit), label_end)
    return _finish(text, r, tolerance)


def _read_word(text: str, m: regex.Match, table: Table, tolerance: float) -> Quantity | None:
    """A word that is a figure by itself (成千上万, 数以万计): its magnitude under its rule, then a unit."""
    word = m.group("word")
    rule = dict(table.get("word", ()))[word]
    bare = _CN_RUN_RE.search(word).group()  # 成千上万 -> 千, 数以十万计 -> 十万
    value = _parse_decimal("一" + bare)
    r = _Reading(m.start(), m.end(), value, False, words=[(word, rule, m.start())], bare=bare)
    if not _read_tail(text, r, table):
        return None
    _read_head(text, r, table)
    return _finish(text, r, tolerance)


def _finish(text: str, r: _Reading, tolerance: float) -> Quantity:
    """Build the Quantity: pick the deciding qualifier, compute admits and bounds."""
    chosen = max(r.words, key=lambda w: (w[1].priority, -w[2]), default=None)
    if r.kind == "range":
        admits, bounds = (r.value, r.high), "[]"
    else:
        admits, bounds = _interval(r.value, chosen[1].rule if chosen else "exact", r.rounded, tolerance, bool(r.bare))
    return Quantity(
        surface=text[r.start : r.end],
        span=(r.start, r.end),
        value=_to_num(r.value),
        unit=r.unit,
        unit_span=r.unit_span,
        qualifier=chosen[0] if chosen else None,
        admits=(None if admits[0] is None else _to_num(admits[0]), None if admits[1] is None else _to_num(admits[1])),
        bounds=bounds,
        kind=r.kind,
    )


def find_quantities(text: str, *, tolerance: float = 0.5) -> list[Quantity]:
    """All quantities in text, in text order. Never raises; a regex timeout warns and stops early."""
    if not isinstance(text, str) or not text:
        return []
    found: list[Quantity] = []
    table = _table(QUALIFIERS)
    folded = fold_traditional(text)  # 個 萬 餘 -> 个 万 余, one character for one: spans stay valid
    with localcontext(EXACT):
        _scan(folded, table, tolerance, found)
    if folded != text:  # the surface as written; unit and qualifier stay in their canonical (simplified) form
        found = [replace(q, surface=text[q.span[0] : q.span[1]]) for q in found]
    return found


@lru_cache(maxsize=8)
def _token_re(words: tuple[str, ...]) -> regex.Pattern:
    """The number-token pattern, led by the words that are figures by themselves (成千上万)."""
    if not words:
        return _TOKEN_RE
    alternatives = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    return regex.compile(f"(?P<word>{alternatives})|{_TOKEN_RE.pattern}")


def _scan(text: str, table: Table, tolerance: float, found: list[Quantity]) -> None:
    """Append the quantities of ``text`` to ``found``; a regex timeout warns and stops early."""
    try:
        blocked = _blocked_mask(text)
        last_end = 0
        for m in _matches(_token_re(tuple(w for w, _ in table.get("word", ()))), text):
            if m.start() < last_end or blocked[m.start()]:
                continue        # a quantity holds its number token: one read there would be dropped below
            try:
                q = _read_one(text, m, table, tolerance)
            except (ValueError, ArithmeticError):
                continue
            if q is None or q.span[0] < last_end or any(blocked[q.span[0] : q.span[1]]):
                continue
            found.append(q)
            last_end = q.span[1]
    except TimeoutError:
        warnings.warn("reportmine.numbers: regex timed out; quantities may be incomplete", RuntimeWarning, stacklevel=3)
