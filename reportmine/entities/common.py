"""What the recognisers share: the entity types, the token helpers and the word lists of function words."""

from __future__ import annotations

import bisect
import re
import datetime
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Callable, Iterable

import regex

from ..resources import data_lines
from ..tokens import Token, tokens_with_offsets

LABELS = ("ORG", "PERSON", "GPE", "LOC", "DATE", "EVENT")



@dataclass(frozen=True, slots=True)
class Entity:
    """One entity mention; ``start``/``end`` index the text the recogniser ran on (slots: a long text has many)."""

    label: str
    text: str
    start: int
    end: int
    canonical: str | None = None
    value: str | None = None
    roles: tuple[str, ...] = ()



@dataclass(frozen=True, slots=True)
class Event:
    """One happening the report names: its fullest mention (``start``/``end``), kind, what its sentences
    say about it, and every mention of it (``mentions``: spans in the text the rules ran on)."""

    name: str
    start: int
    end: int
    date: str | None = None
    venue: str | None = None
    organisers: tuple[str, ...] = ()
    kind: str | None = None
    participants: int | None = None  # people who took part, as the sentence states (300 for 参演人员300余人)
    participants_text: str | None = None  # that figure as written (300余人)
    mentions: tuple[tuple[int, int], ...] = ()



@dataclass(frozen=True)
class EntityContext:
    """What the recognisers need to know about the report: its region and date."""

    region: str | None = None  # provincial-level full name, e.g. 上海市
    city: str | None = None  # prefecture-level full name when the issuer is a city
    date: datetime.date | None = None
    county: str | None = None  # county-level full name (梁溪区, 江阴市) when the report is a county's
    town: str | None = None  # township-level name (周市镇, 簇桥街道, 巴彦乌拉苏木) when the report is a town's
    issuers: tuple[str, ...] = ()  # the issuing bodies: 局 of 局安委会 in a 局's report is the issuer itself

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


CJK = regex.compile(r"^[\p{Han}]+$")


#: 局, 公司, 集团 standing before a body for the issuer itself (局安全生产委员会 in the report of 中建三局,
#: 集团公司党委 in a group's): word -> what the issuer's name must contain. Longest first.
SELF_WORDS = {"集团公司": "集团", "局": "局", "公司": "公司", "集团": "集团"}


LEVEL_PREFIXES = frozenset({"市", "省", "区", "县", "州", "盟", "旗", "镇", "乡", "街道", "苏木", "自治区", "自治州"})


NATIONAL_PREFIXES = frozenset({"国家", "中国", "中华", "全国", "中央", "中共", "共青团", "团", "国务院"})


#: Words that end the leftward walk of a name: verbs and function words that precede names.
STOP_WORDS = frozenset("""
的 了 和 与 及 以及 或 同 跟 在 于 由 对 向 从 为 以 将 把 被 让 请 是 有 等 等等 也 都 还 又 并 并且 其 该 各 全 本 我 其中
包括 如 即 均 共 已 已经 正在 将要 要 会同 联合 牵头 主办 承办 协办 指导 支持 举办 组织 开展 召开 举行 邀请 按照 根据 利用 以上 以下 同台 地级 设区市 地级市 各设区市
通过 推出 策划 参与 参加 推动 督促 要求 印发 下发 发布 连线 依托 协调 配合 深入 走进 来到 前往 赴 到 派 经 经过 报送 函报
抄送 报 发 送 致 会 会上 向 同时 此外 另外 今年 期间 以来 近年来 目前 当天 上午 下午 晚上 每年 全年 分别 先后 积极 主动
切实 持续 不断 广泛 大力 充分 进一步 重点 主要 有关 相关 各级 各类 各区 各地 全市 全省 全区 各部门 各单位 我市 我省 本市
本省 有效 结合 围绕 聚焦 紧扣 突出 加强 强化 提升 提高 做好 落实 贯彻 学习 宣传 宣讲 培训 检查 督导 调研 走访 慰问 观看
收看 部署 启动 开幕 闭幕 出席 讲话 致辞 主持 介绍 表示 指出 强调 面向 针对 关于 带领 率 率队 陪同 参观 考察 视察 成立
""".split())


#: Words made only of generic nouns are not names (企业集团, 相关部门).
GENERIC_PARTS = frozenset("企业 单位 部门 机关 行业 重点 相关 有关 各类 基层 全市 地区 区域 各级 成员 成员单位 所属 下属 "
                          "主管 监管 属地 其他 多家 多个 有关部门 职能 生产".split())



def tokens_of(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """jieba tokens of ``text`` (or of ``text[start:end]``) with their offsets in ``text`` (the same
    segmentation as the spaCy pipeline)."""
    return tokens_with_offsets(text, start, end)


#: The offset of a token.
_START = itemgetter(1)


def token_extent(tokens: list[Token]) -> tuple[int, int]:
    """The character range ``[start, end)`` the tokens cover: where the text-level patterns of a
    recogniser look, so that a chunk of tokens is matched against its own part of the text only."""
    if not tokens:
        return 0, 0
    return tokens[0][1], tokens[-1][1] + len(tokens[-1][0])



@lru_cache(maxsize=65536)
def is_name_part(tok: str) -> bool:
    """A token that can stand inside a name: Han only, not a function word, not too long."""
    return bool(CJK.match(tok)) and tok not in STOP_WORDS and len(tok) <= 8


#: Single characters that join or govern words (和 与 在 为 …): a word jieba glued to one is split there.
FUNCTION_CHARS = frozenset("和与及向于对从在为同将把被由等是也都就还又并但而或")



@lru_cache(maxsize=1)
def person_titles() -> frozenset[str]:
    """The titles a person is named with (局长, 总书记, 联系人), from ``data/person_titles.txt``."""
    return frozenset(data_lines("person_titles.txt"))



def literal_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """One pattern of ``words``, longest first (never matching when there are none), for the standard
    library's ``re``: it compiles and scans a plain alternation of words several times faster than ``regex``."""
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))) or r"(?!)")


@lru_cache(maxsize=1)
def title_pattern() -> re.Pattern[str]:
    """One pattern of every person title, longest first."""
    return literal_pattern(data_lines("person_titles.txt"))



@lru_cache(maxsize=8)
def last_chars(heads: tuple[str, ...]) -> frozenset[str]:
    """The last characters of ``heads``: a token ending in none of them cannot end a head (a quick filter)."""
    return frozenset(h[-1] for h in heads)



def head_start(tokens: list[Token], i: int, heads: tuple[str, ...]) -> int | None:
    """Index of the first token of a head word that ends with token ``i`` (启动 + 仪式), or None."""
    if tokens[i][0][-1:] not in last_chars(heads):
        return None
    tail, found = "", None
    for k in range(i, max(-1, i - 3), -1):
        tail = tokens[k][0] + tail
        if tail in heads:
            found = k
        if len(tail) >= 6:
            break
    if found is not None:
        return found
    tok = tokens[i][0]
    return i if tok.endswith(heads) and len(tok) > 1 else None



def token_ranges(tokens: list[Token], spans) -> list[tuple[int, int]]:
    """Token index ranges of character spans that start and end on token boundaries."""
    spans = list(spans)
    if not spans:
        return []
    starts = list(map(_START, tokens))
    out = []
    for a, b in spans:
        i = bisect.bisect_left(starts, a)
        j = bisect.bisect_left(starts, b)
        if i < len(starts) and starts[i] == a and (j == len(starts) or starts[j] == b) and j > i and (
                tokens[j - 1][1] + len(tokens[j - 1][0]) == b):
            out.append((i, j))
    return out



def joined(tokens: list[Token], i: int, n: int) -> str:
    """The text of ``n`` tokens from token ``i``."""
    return "".join(t for t, _ in tokens[i:i + n])



def token_span(tokens: list[Token], s: int, e: int) -> tuple[int, int]:
    """Character span of the token range ``[s, e)``."""
    return tokens[s][1], tokens[e - 1][1] + len(tokens[e - 1][0])



def clear_of(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test of whether ``[s, e)`` overlaps none of ``spans`` (sorted, not overlapping each other).

    By bisection, so that checking every mention of a long text stays linear.
    """
    starts, ends = [a for a, _ in spans], [b for _, b in spans]

    def clear(s: int, e: int) -> bool:
        i = bisect.bisect_right(ends, s)  # the first span that ends after s
        return i == len(ends) or starts[i] >= e

    return clear


def within(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test of whether ``[s, e)`` lies inside one of ``spans`` (any order, may overlap).

    Spans sorted by start with the running maximum of their ends: bisection instead of a scan.
    """
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach, furthest = [], -1
    for _, b in ordered:
        furthest = max(furthest, b)
        reach.append(furthest)

    def inside(s: int, e: int) -> bool:
        k = bisect.bisect_right(starts, s)  # spans that start at or before s
        return k > 0 and reach[k - 1] >= e

    return inside


def covered_by(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test of whether every character of ``[s, e)`` lies in some span of ``spans`` (not
    necessarily the same one). The union is merged once; each test is a bisection."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(spans):
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        elif a < b:
            starts.append(a)
            ends.append(b)

    def covered(s: int, e: int) -> bool:
        if s >= e:
            return True
        k = bisect.bisect_right(starts, s)
        return k > 0 and ends[k - 1] >= e

    return covered


def rejoined(tokens: list[Token], spans: list[tuple[int, int]]) -> list[Token]:
    """``tokens`` with each span of ``spans`` (sorted, not overlapping) made one token: tokens crossing a
    span's edge are cut there first (jieba's 周 + 市镇 + 人民政府 -> 周市镇 + 人民政府 for the town 周市镇).

    Work is done only around the spans (bisection over the token starts), not token by token."""
    if not spans:
        return tokens
    starts = list(map(_START, tokens))
    cut_at: dict[int, list[int]] = {}          # token index -> offsets inside it where a span edge falls
    for c in sorted({c for span in spans for c in span}):
        i = bisect.bisect_right(starts, c) - 1
        if i >= 0 and starts[i] < c < starts[i] + len(tokens[i][0]):
            cut_at.setdefault(i, []).append(c - starts[i])
    if cut_at:
        pieces: list[Token] = []
        done = 0
        for i in sorted(cut_at):
            pieces += tokens[done:i]
            tok, start = tokens[i]
            inner = cut_at[i]
            pieces += [(tok[x:y], start + x) for x, y in zip([0, *inner], [*inner, len(tok)])]
            done = i + 1
        pieces += tokens[done:]
        starts = [s for _, s in pieces]
    else:
        pieces = tokens
    out: list[Token] = []
    done = 0
    for a, b in spans:
        i = bisect.bisect_left(starts, a)
        if i < done or i >= len(pieces) or starts[i] != a:
            continue
        j = bisect.bisect_left(starts, b, i)
        if j > i + 1 and pieces[j - 1][1] + len(pieces[j - 1][0]) == b:
            out += pieces[done:i]
            out.append(("".join(t for t, _ in pieces[i:j]), a))
            done = j
    out += pieces[done:]
    return out
