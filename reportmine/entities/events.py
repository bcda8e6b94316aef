"""EVENT: names closed by an event head (…启动仪式 推进会 大赛 演练); the event model (one happening per
event, its kind, date, venue, organisers, participants and mentions) from ``data/event_kinds.json``."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate
from functools import lru_cache
import re

import regex

from ..gazetteer import data_set, division_names
from ..numbers import find_quantities
from ..resources import data_json
from ..tokens import Token, word_frequency, word_tags
from .common import (
    CJK,
    FUNCTION_CHARS,
    Entity,
    Event,
    head_start,
    last_chars,
    literal_pattern,
    token_extent,
    token_ranges,
    tokens_of,
)

_EVENT_HEADS = tuple(sorted(data_set("event_heads.txt"), key=len, reverse=True))




EVENT_STOP = frozenset("""
举办 举行 开展 组织 召开 参加 参与 承办 主办 协办 观看 收看 在 于 由 与 和 及 等 的 了 是 为 对 向 以 通过 开幕 进行
先后 分别 还 也 并 积极 共 同时 期间 其中 包括 首次 成功 顺利 隆重 圆满 并且 又 该 此次 本次 今年 各 各类 各区 相关 有关
将 把 被 让 请 要 已 正 推出 联手 推动 争取 纳入 作为 成为 列入 助力 发布 策划 打造 开设 上线 录制 邀请 依托 围绕 通过 利用 借助
""".split())


_INTRODUCING_VERBS = ("推出", "举办", "开展", "组织", "举行", "召开", "发布", "承办", "主办")


_SCOPES = ("全省", "全市", "全区", "全县", "全国")


_ORDINAL = regex.compile(r"^(?:首|第[\d一二三四五六七八九十]*)届?$")


_YEAR_DIGITS = regex.compile(r"^\d{4}$")



@lru_cache(maxsize=1)
def _event_name_pattern() -> re.Pattern[str]:
    return literal_pattern(data_set("event_names.txt"))



#: Closing mark -> (opening mark, how many tokens back it may be).
_CLOSERS = {"》": ("《", 40), "”": ("“", 24)}


def _opening(tokens: list[Token], close_at: int, opener: str, reach: int) -> int | None:
    """Index of the ``opener`` that the mark at ``close_at`` closes, within ``reach`` tokens, or None."""
    for k in range(close_at - 1, max(-1, close_at - reach - 1), -1):
        if tokens[k][0] == opener:
            return k
    return None


def _event_walk_left(tokens: list[Token], i: int, limit: int = 18) -> int:
    """Leftmost token of an event name ending at token ``i``: over words, quotes, 《titles》 and a year."""
    j = i
    while j > 0 and i - j < limit:
        prev = tokens[j - 1][0]
        if prev in _CLOSERS:  # 《title》 and “quoted name” belong to the name whole
            opener, reach = _CLOSERS[prev]
            k = _opening(tokens, j - 1, opener, reach)
            if k is None:
                break
            j = k
            continue
        if prev == "年":
            k = j - 2
            while k >= 0 and tokens[k][0].isspace():
                k -= 1
            if k >= 0 and _YEAR_DIGITS.match(tokens[k][0]):
                j = k
            break
        if prev in ("“", "”", "-", "－", "—", "·") or (CJK.match(prev) and prev not in EVENT_STOP and len(prev) <= 10
                                                         and not prev.endswith(_INTRODUCING_VERBS)):
            j -= 1
            continue
        if prev in ("和", "与") and any(_event_anchor(t) or t in _SCOPES for t, _ in tokens[max(0, j - 8):j - 1]):
            j -= 1  # 化工和危险化学品企业…培训班: 和 inside a name that has an anchor further left
            continue
        break
    return j



def _event_anchor(tok: str) -> bool:
    return (tok in ("“", "《", "全国", "国家", "中国") or _YEAR_DIGITS.match(tok) is not None
            or _ORDINAL.match(tok) is not None or tok in division_names() or tok in data_set("regions_extra.txt"))



def event_spans(tokens: list[Token], text: str) -> list[tuple[int, int]]:
    """Token ranges of named events: a head (…启动仪式 推进会 大赛 演练) after a name with an anchor —
    a year, a place, 全国, a “quoted” or 《titled》 name — or a fixed name (安全宣传咨询日)."""
    spans = token_ranges(tokens, (m.span() for m in _event_name_pattern().finditer(text, *token_extent(tokens))))
    last = last_chars(_EVENT_HEADS)
    for i in [i for i, (tok, _) in enumerate(tokens) if tok[-1:] in last]:
        h = head_start(tokens, i, _EVENT_HEADS)
        if h is None:
            continue
        j = _event_walk_left(tokens, h)
        anchor = next((k for k in range(j, h) if _event_anchor(tokens[k][0])), None)
        if anchor is None:
            continue
        scope = next((k for k in range(j, anchor) if tokens[k][0] in _SCOPES), None)
        if scope is not None:
            anchor = scope  # 全省…暨“安全生产月”…部署会: the scope belongs to a name that has an anchor
        words = [t for t, _ in tokens[anchor:i + 1]]
        if words.count("“") > words.count("”"):  # the head is inside quotes: the quoted name only
            anchor = max(k for k in range(anchor, i) if tokens[k][0] == "“") + 1
        if anchor >= h and "".join(t for t, _ in tokens[h:i + 1]) in _EVENT_HEADS:
            continue
        spans.append((anchor, i + 1))
    return spans



# --------------------------------------------------------------------------- the event model
#
# report.events: one row per happening. Mentions come from two places: the EVENT entities above (names
# with an anchor) and the heads of ``data/event_kinds.json`` read with the syntax around them — a name
# after a verb that introduces an event (召开…会议, 举行…仪式, 开展…演练, 举办…竞赛) or before 在…举行. Mentions
# that are not happenings are dropped (a recurring day named as a theme, a congress, a category, many
# events in one plural mention, a name inside a document title); the rest are merged into events.


@dataclass(frozen=True)
class EventTable:
    """The event model's word lists (``data/event_kinds.json``)."""

    kind_of: dict[str, str]
    heads: tuple[str, ...]
    verbs: tuple[str, ...]
    standalone: frozenset[str]
    generic: tuple[str, ...]
    plural_before: tuple[str, ...]
    count_after: regex.Pattern[str]
    day_head: str  # 活动 after a named day (“安全宣传咨询日”活动): a head there only
    not_events: frozenset[str]
    not_event_patterns: tuple[regex.Pattern[str], ...]
    participant_units: frozenset[str]
    not_participants_before: tuple[str, ...]
    not_followed_by: tuple[str, ...]
    name_stops: frozenset[str]
    lengths: tuple[int, ...]  # of the heads, longest first
    head_pattern: regex.Pattern[str]
    fixed_names: tuple[str, ...]  # data/event_names.txt, longest first
    coordinated: regex.Pattern[str]  # a head then 与 和 及 、: two names, not one
    object_verbs: regex.Pattern[str]  # 组织 邀请 …: the ORGs after them are not organisers
    reporting: regex.Pattern[str]  # 报道 刊发 …: the ORGs before them report, not organise


@lru_cache(maxsize=1)
def event_table() -> EventTable:
    """The event model's table, read once."""
    raw = data_json("event_kinds.json")
    kind_of = {head: kind for kind, heads in raw["kinds"].items() for head in heads}
    units = "|".join(map(regex.escape, raw["count_units_after"]))
    return EventTable(
        kind_of=kind_of,
        heads=tuple(sorted(kind_of, key=len, reverse=True)),
        verbs=tuple(raw["introducing_verbs"]),
        standalone=frozenset(raw["standalone_heads"]),
        generic=tuple(sorted(raw["generic_words"], key=len, reverse=True)),
        plural_before=tuple(raw["plural_before"]),
        count_after=regex.compile(rf"”?\s*(?:活动)?\s*(?:[和及与、][^，。；：\d\n]{{0,12}}?)?"
                                  rf"\s*[（(]?\s*[\d０-９.,一二三四五六七八九十百千万两]+\s*(?:余|多)?\s*万?\s*[）)]?\s*(?:{units})"),
        day_head=raw["after_named_day"],
        not_events=frozenset(raw["not_events"]),
        not_event_patterns=tuple(regex.compile(p) for p in raw["not_event_patterns"]),
        participant_units=frozenset(raw["participant_units"]),
        not_participants_before=tuple(raw["not_participants_before"]),
        not_followed_by=tuple(raw["head_not_followed_by"]),
        name_stops=frozenset(raw["name_stop_words"]),
        lengths=tuple(sorted({len(h) for h in kind_of}, reverse=True)),
        head_pattern=regex.compile("|".join(map(regex.escape, sorted(kind_of, key=len, reverse=True)
                                                + [raw["after_named_day"]]))),
        fixed_names=tuple(sorted(data_set("event_names.txt"), key=len, reverse=True)),
        coordinated=regex.compile(f"(?:{'|'.join(map(regex.escape, kind_of))})[与和及、]"),
        object_verbs=regex.compile("|".join(map(regex.escape, raw["object_verbs"]))),
        reporting=regex.compile("|".join(map(regex.escape, raw["reporting_verbs"]))),
    )


def event_kind(name: str) -> str | None:
    """The kind of an event name: that of the first part of a 暨-joined name that ends in a head
    (启动仪式暨…发布会 is a launch), else of its last head."""
    table = event_table()
    parts = [p for p in squash(name).split("暨") if p]
    for part in parts:
        for head in table.heads:
            if part.endswith(head):
                return table.kind_of[head]
    for head in table.heads:  # 主题宣讲启动仪式: the last head wins when no part ends in one
        if head in squash(name):
            return table.kind_of[head]
    return None


def squash(s: str) -> str:
    """A name without whitespace (line breaks of a PDF, spaces between digits and Chinese)."""
    return "".join(s.split())


# A line break inside a name (…启\n\n动仪式): a line of text that does not end a sentence, then text.
_BROKEN_LINE = regex.compile(r"(?<=[\p{Han}”》）])[ \t\u3000]*(?:\r?\n[ \t\u3000]*)+(?=[\p{Han}“《（])")

#: A line shorter than this is a heading or a signature, not a sentence broken by the page.
_MIN_BROKEN_LINE = 20


class ReadingView:
    """The text with lines broken inside a sentence joined (PDF damage the normaliser leaves), and the
    way back: ``to_text`` maps a position of the view to the text. Removals are kept sparse (bisection)."""

    def __init__(self, text: str):
        pieces, self._at, self._shift = [], [], []
        last = removed = 0
        for m in _BROKEN_LINE.finditer(text):
            if "\n" in text[max(0, m.start() - _MIN_BROKEN_LINE):m.start()]:  # a short line: a heading
                continue
            pieces.append(text[last:m.start()])
            self._at.append(m.start() - removed)
            removed += m.end() - m.start()
            self._shift.append(removed)
            last = m.end()
        pieces.append(text[last:])
        self.text = "".join(pieces)

    def to_text(self, pos: int) -> int:
        k = bisect.bisect_right(self._at, pos)
        return pos + (self._shift[k - 1] if k else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A view span ``[start, end)`` in text offsets (the end after its last character)."""
        return self.to_text(start), self.to_text(end - 1) + 1 if end > start else self.to_text(start)


_SENTENCE_MARKS = "。；！？\n"
_SENTENCE_SPLIT = regex.compile(f"[{regex.escape(_SENTENCE_MARKS)}]")

#: The subject pattern: a name then (在 + place) + 举行/举办/召开.
_HELD_AFTER = regex.compile(r"\s*(?:在[^，。；、\n]{1,20}?)?(?:隆重|正式|顺利|成功|同步)?(?:举行|举办|召开|开幕|开赛|开讲)")

#: A venue: 在 + place + the verb of holding (the place as written between them).
_VENUE = regex.compile(r"在(?P<x>[^，。；、：\n在]{2,20}?)(?:沿线|水域|海域|江段|周边)?\s*(?:联合|共同|同步|集中|隆重|正式|先后|分别)?"
                       r"(?:举办|举行|召开|组织开展|组织|开展|进行|启动|设置|推出|开幕|上演|设立)")
_NOT_VENUE = regex.compile(r"^(?:全|各|本|该|线上|线下|网上|此|其)|(?:内|中|里|上|期间|范围|之际|前后|当天|同时)$")
_FULL_DIVISION = regex.compile(r"[省市区县州旗盟]$")

_YEAR_PREFIX = regex.compile(r"^\d{4}年")
_QUOTES = regex.compile(r"[“”\"《》〈〉「」]")


@dataclass
class Mention:
    """One mention of an event (offsets in the text) and what its sentence says about it."""

    start: int
    end: int
    name: str
    kind: str | None
    date: str | None = None
    venue: str | None = None
    organisers: tuple[str, ...] = ()
    participants: int | None = None
    participants_text: str | None = None
    anchored: bool = True
    plural: bool = False


def sentence_start(text: str, at: int) -> int:
    """Where the sentence around ``at`` starts, looking back at most :data:`SENTENCE_REACH` characters."""
    lo = max(0, at - SENTENCE_REACH)
    return max(lo, max(text.rfind(c, lo, at) for c in _SENTENCE_MARKS) + 1)


def _opening_mark(view: str, at: int, s: int) -> bool:
    """Is ``view[at]`` inside a 《…》 or 〈…〉 title opened after ``s`` and not yet closed?"""
    for opener, closer in (("《", "》"), ("〈", "〉")):
        o = view.rfind(opener, s, at)
        if o != -1 and view.rfind(closer, o, at) == -1:
            return True
    return False


def _walk(tokens: list[Token], h: int) -> int:
    """Leftmost token of a name ending at the head at token ``h``: the entity walk, plus short
    parenthesised parts inside the name (成员单位联络员（扩大）会议)."""
    j = _event_walk_left(tokens, h)
    while j > 1 and tokens[j - 1][0] in ("）", ")"):
        k = next((k for k in range(j - 2, max(-1, j - 5), -1) if tokens[k][0] in ("（", "(")), None)
        if k is None or len("".join(t for t, _ in tokens[k + 1:j - 1])) > 4:
            break
        j = _event_walk_left(tokens, k) if k > 0 else k
    stops = event_table().name_stops
    cut = [k for k in range(j, h) if tokens[k][0] in stops or _DASHES.match(tokens[k][0] + tokens[k + 1][0])]
    if not cut:
        return j
    k = cut[-1]
    return k + 2 if _DASHES.match(tokens[k][0] + tokens[k + 1][0]) and len(tokens[k][0]) == 1 else k + 1


#: A dash of two characters (——) sets off an apposition: a name does not run across it.
_DASHES = regex.compile(r"^[—－]{2}")
_DASH_RUN = regex.compile(r"[—－]{2,}")


def _introduced(tokens: list[Token], j: int, verbs: tuple[str, ...]) -> bool:
    """Is the name starting at token ``j`` the object of a verb that introduces an event (召开 举办 开展 …)?"""
    k = j - 1
    while k >= 0 and (tokens[k][0].isspace() or tokens[k][0] == "了"):
        k -= 1
    return k >= 0 and tokens[k][0].endswith(verbs)


def _content(name: str, head: str, table: EventTable) -> str:
    """What a name says beyond its head, its year, scope and generic words (全国启动仪式 says nothing)."""
    core = _YEAR_PREFIX.sub("", _QUOTES.sub("", squash(name)))
    core = core[:len(core) - len(head)] if core.endswith(head) else core
    for word in table.generic:
        core = core.replace(word, "")
    return core


def _is_theme(name: str) -> bool:
    """A recurring day or a congress named alone (安全宣传咨询日, 全国“安全宣传咨询日”, 党的二十大): not a happening."""
    table = event_table()
    core = _QUOTES.sub("", squash(name))
    if core in table.not_events or any(p.search(core) for p in table.not_event_patterns):
        return True
    return core.removeprefix("全国") in data_set("event_names.txt") or core in data_set("event_names.txt")


def _plural(view: str, s: int, a: int, b: int, table: EventTable) -> bool:
    """A category or many events in one mention: 各类…, 形式多样的…, 演练3.2万余场."""
    before = view[max(s, a - 6):a]
    if before.endswith(table.plural_before):
        return True
    return table.count_after.match(view, b) is not None


def _head_at(view: str, tokens: list[Token], i: int, starts: dict[int, int],
             table: EventTable) -> tuple[int, str] | None:
    """The longest head ending with token ``i`` and starting on a token boundary: (its first token, head)."""
    end = tokens[i][1] + len(tokens[i][0])
    for n in table.lengths:
        a = end - n
        if a in starts and view[a:end] in table.kind_of:
            return starts[a], view[a:end]
    tok = tokens[i][0]
    head = next((tok[-n:] for n in table.lengths if n < len(tok) and tok[-n:] in table.kind_of), None)
    if head is not None:  # 知识讲座, one token: the head is the token
        return i, head
    if tokens[i][0] == table.day_head:  # “安全宣传咨询日”活动, 主场活动 of a named day
        k = i - 1
        if k >= 0 and tokens[k][0] == "”":
            k -= 1
        if k >= 0 and view.endswith(table.fixed_names, 0, tokens[k][1] + len(tokens[k][0])):
            return i, table.day_head
    return None


def _view_mentions(view: str, table: EventTable) -> list[tuple[int, int, str, bool]]:
    """Event names in the view found from the heads and the syntax around them: ``(start, end, head,
    anchored)`` — anchored when the name carries a year, a place, 全国 or quotes."""
    out: list[tuple[int, int, str, bool]] = []
    for s, e, ends in _head_sentences(view, table):
        tokens = _split_function_chars(tokens_of(view, s, e))
        starts = {off: n for n, (_, off) in enumerate(tokens)}
        for i, (tok, off) in enumerate(tokens):
            if off + len(tok) not in ends:
                continue
            found = _head_at(view, tokens, i, starts, table)
            if found is None:
                continue
            h, head = found
            a, b = None, off + len(tok)
            if head != table.day_head and view.startswith(table.not_followed_by, b):  # 宣讲队, 决赛场上: not the event
                continue
            j = _walk(tokens, h)
            anchored = any(_event_anchor(tokens[k][0]) for k in range(j, h))
            if not anchored and view.startswith(table.day_head, b):  # 组织…答题竞答活动: a kind of activity
                continue
            if head == table.day_head:
                name = view[tokens[j][1]:b]
                fixed = next((f for f in table.fixed_names if f in name), "")
                prefix = name[:name.find(fixed)] if fixed else ""
                named = bool(_YEAR_PREFIX.match(squash(prefix)) or _scope(prefix))  # 2023年上海市“…咨询日”活动
                if fixed and named and (_introduced(tokens, j, table.verbs) or _HELD_AFTER.match(view, b)):
                    a = tokens[j][1]
            elif _introduced(tokens, j, table.verbs) or _HELD_AFTER.match(view, b):
                a = tokens[j][1]
            else:
                anchor = next((k for k in range(j, h) if _event_anchor(tokens[k][0])), None)
                if anchor is not None:
                    scope = next((k for k in range(j, anchor) if tokens[k][0] in _SCOPES), None)
                    a = tokens[scope if scope is not None else anchor][1]
            if a is None:
                continue
            name = view[a:b]
            if name.count("“") > name.count("”"):  # the head inside quotes: the quoted name, when closed after it
                if view[b:b + 1] != "”":
                    continue
                a = view.rfind("“", a, b) + 1
            out.append((a, b, head, anchored or view[a - 1:a] == "“"))
    return out


def _head_sentences(view: str, table: EventTable):
    """``(start, end, head ends)`` of each sentence with a head in it (活动 only after a named day: …咨询日”活动),
    so that only those sentences are segmented."""
    s = e = -1
    ends: set[int] = set()
    for m in table.head_pattern.finditer(view, overlapped=True):
        if m.group() == table.day_head:
            p = m.start() - (view[m.start() - 1:m.start()] == "”")
            if not view.endswith(table.fixed_names, 0, p):
                continue
        if m.start() >= e:
            if ends:
                yield s, e, ends
            k = next((x.end() for x in _SENTENCE_SPLIT.finditer(view, m.end())), len(view))
            s = sentence_start(view, m.start())
            e, ends = min(k, m.end() + SENTENCE_REACH), set()
        ends.add(m.end())
    if ends:
        yield s, e, ends


def _split_function_chars(tokens: list[Token]) -> list[Token]:
    """Tokens with a function character jieba glued to the end of an unknown word cut off (长江云对 -> 长江云 + 对)."""
    tags = word_tags()
    out: list[Token] = []
    for tok, off in tokens:
        if len(tok) >= 2 and tok[-1] in FUNCTION_CHARS and tok not in tags and CJK.match(tok):
            out += [(tok[:-1], off), (tok[-1], off + len(tok) - 1)]
        else:
            out.append((tok, off))
    return out


def _acceptable(view: str, s: int, a: int, b: int, head: str | None, table: EventTable) -> bool:
    """Is ``view[a:b]`` (in the sentence from ``s``) one happening rather than a theme, a category or a title?"""
    name = view[a:b]
    if _is_theme(name) or _opening_mark(view, a, s):
        return False
    if view[a - 1:a] == "“" and view[b:b + 1] != "”":  # “安全宣讲小分队”: the quoted thing goes on
        return False
    if table.coordinated.search(name):  # 全省竞赛与全国竞赛: two, not one name
        return False
    if name.startswith(table.plural_before):  # 一系列重要会议
        return False
    head = head or next((h for h in table.heads if squash(name).endswith(h)), "")
    quoted = (view[a - 1:a] == "“" or name.startswith(("“", "《"))) and _QUOTES.sub("", name) != head  # not “公开课”
    if head != table.day_head and not quoted and not _content(name, head, table) and head not in table.standalone:
        return False
    return not _plural(view, s, a, b, table)


def _organisers(inside: list[Entity], text: str, start: int, floor: int, table: EventTable) -> list[str]:
    """The bodies that hold the event: the ORGs of its sentence before its name (after the event before it),
    not those a verb makes objects (市安委办组织县住建局…开展: 住建局 is not an organiser), not a place
    after 在 (在青岛第二中学举办), and none when the sentence only reports on it (新华社…报道了…)."""
    orgs = [x for x in inside if x.label == "ORG" and floor <= x.start and x.end <= start]
    clause = max(floor, text.rfind("，", floor, start) + 1)
    if any(x.start >= clause for x in orgs):  # …，广州港集团在南沙港区开展…检查: the clause's own subject
        floor, orgs = clause, [x for x in orgs if x.start >= clause]
    if not orgs or table.reporting.search(text, orgs[0].end, start):
        return []
    cut = table.object_verbs.search(text, floor, start)
    if cut is not None:
        orgs = [x for x in orgs if x.end <= cut.start()]
    return [x.canonical or x.text for x in orgs if not text.endswith("在", max(floor, x.start - 1), x.start)]


def _venue(text: str, s: int, e: int, a: int, b: int, inside: list[Entity]) -> str | None:
    """The place written between 在 and the verb that holds the event: right before its name (在X举办Y)
    or right after it (Y在X举行). A full division before a venue of its own name is left out
    (杭州市西湖文化广场 -> 西湖文化广场), unless the two are one word (深圳市民中心)."""
    place = None
    for m in _VENUE.finditer(text, max(s, a - 40), a):  # 在 + place (20 at most) + verb, right before the name
        rest = text[m.end():a]
        if not rest.strip(" 了\u3000"):
            place = m
    if place is None:
        m = _VENUE.match(text, b + len(text[b:e]) - len(text[b:e].lstrip()), e)
        place = m if m is not None and m.start() <= b + 2 else None
    if place is None:
        return None
    x0, x1 = place.span("x")
    x = text[x0:x1].strip()
    if not x or _NOT_VENUE.search(x):
        return None
    gpes = [g for g in inside if g.label == "GPE" and x0 <= g.start < x1]
    k, at = x0, None
    for g in sorted(gpes, key=lambda g: g.start):
        if g.start != k or not _FULL_DIVISION.search(g.text):
            break
        k = at = g.end
    if at is not None and x1 - at >= 3:
        rest = text[at:x1].strip()
        cut = {off for _, off in tokens_of(text, x0, x1)}
        one_word = at not in cut or word_frequency(text[at - 1] + rest[:1]) > 0  # 深圳市民中心
        if not one_word and not rest.startswith(event_table().generic):  # 青岛市应急救援训练基地 stays whole
            return rest
    return x


def _participants(text: str, b: int, e: int, table: EventTable) -> tuple[int | None, str | None]:
    """People who took part, as the sentence after the name states it (参演人员300余人, 260余名队员)."""
    if not _PEOPLE.search(text, b, e):
        return None, None
    for q in find_quantities(text[b:e]):
        if q.unit not in table.participant_units or q.kind != "count":
            continue
        if text[max(b, b + q.span[0] - 6):b + q.span[0]].endswith(table.not_participants_before) or any(
                w in text[max(b, b + q.span[0] - 6):b + q.span[0]] for w in table.not_participants_before):
            continue
        value = q.value
        return (int(value) if value == int(value) else None), q.surface
    return None, None


#: A figure of people, roughly: what makes reading the quantities of a sentence worth it.
_PEOPLE = regex.compile(r"[\d０-９一二三四五六七八九十百千万]\s*(?:余|多)?\s*(?:人|名|位)")


@lru_cache(maxsize=4096)
def _skeleton(name: str) -> str:
    """What two mentions of one event share: the name without quotes, year, scope words and divisions."""
    core = _YEAR_PREFIX.sub("", _QUOTES.sub("", squash(name)))
    core = _division_pattern().sub("", core)
    for word in ("全国", "全省", "全市", "全区", "全县", "我省", "我市", "我区", "本市", "本省", "系列"):
        core = core.replace(word, "")
    return core


@lru_cache(maxsize=4096)
def _scope(name: str) -> str | None:
    """The region a name is about when it names one (全国, 上海市), for telling a national event from the region's."""
    core = squash(name)
    if "全国" in core:
        return "全国"
    m = _division_pattern().search(core)
    return m.group() if m else None


@lru_cache(maxsize=1)
def _division_pattern() -> regex.Pattern[str]:
    names = sorted({n for n in division_names() if len(n) >= 3 and _FULL_DIVISION.search(n)}, key=len, reverse=True)
    return regex.compile("|".join(map(regex.escape, names)))


def _day(date: str | None) -> str | None:
    return date if date and len(date) >= 10 else None


def _same_event(a: Mention, b: Mention) -> bool:
    """Two mentions of one happening: compatible kinds, regions and days, and one name inside the other."""
    if a.kind and b.kind and a.kind != b.kind:
        return False
    short, long = sorted((a.name, b.name), key=lambda n: (len(_skeleton(n)), len(squash(n))))
    if _scope(short) and _scope(short) != _scope(long):  # 浙江省…知识竞赛 is not the “甬安杯” one of a city
        return False
    if _day(a.date) and _day(b.date) and _day(a.date) != _day(b.date):
        return False
    x, y = sorted((_skeleton(a.name), _skeleton(b.name)), key=len)
    return bool(x) and x in y


def find_events(text: str, entities: list[Entity]) -> list[Event]:
    """Each happening the report names — one :class:`Event` per happening, its mentions merged — with
    its kind, date, venue, organisers and participants from the sentences that mention it.

    The date is the nearest day, month or range of days in the sentence, else the year the name itself
    carries (2021年…竞赛); the venue is the place between 在 and the verb that holds the event (else a
    place after 在 in the same clause); organisers are the bodies that hold it (:func:`_organisers`).
    Sentences and the entities in them are found by bisection, so the cost grows with the text.
    """
    table = event_table()
    view = ReadingView(text)
    spans: list[tuple[int, int, bool]] = []
    for a, b, head, anchored in _view_mentions(view.text, table):
        s = sentence_start(view.text, a)
        if _acceptable(view.text, s, a, b, head, table):
            spans.append((*view.span(a, b), anchored))
    taken = sorted((a, b) for a, b, _ in spans)
    starts, reach = [a for a, _ in taken], list(accumulate((b for _, b in taken), max))
    for ent in (x for x in entities if x.label == "EVENT"):
        k = bisect.bisect_left(starts, ent.end)  # the spans that start before it ends: does one reach into it?
        if k and reach[k - 1] > ent.start:
            continue
        s = sentence_start(text, ent.start)
        a = max(ent.start, max((m.end() for m in _DASH_RUN.finditer(text, ent.start, ent.end)), default=ent.start))
        if a < ent.end and _acceptable(text, s, a, ent.end, None, table):
            spans.append((a, ent.end, True))
    mentions = _describe(text, entities, _longest(spans), table)
    return _merge(text, [m for m in mentions if m.anchored or (not m.plural and (m.date or m.venue or m.organisers))])


def _longest(spans: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Overlapping mentions keep the longest (the entity walk and the syntax may cut one name differently)."""
    kept: list[tuple[int, int, bool]] = []  # sorted by start, apart: a new span is tested against its neighbours
    for span in sorted(spans, key=lambda x: (x[0] - x[1], x[0])):
        k = bisect.bisect_left(kept, span)
        if (k == 0 or kept[k - 1][1] <= span[0]) and (k == len(kept) or span[1] <= kept[k][0]):
            kept.insert(k, span)
    return kept


def _describe(text: str, entities: list[Entity], spans: list[tuple[int, int, bool]],
              table: EventTable) -> list[Mention]:
    """Each mention with the date, venue, organisers and participants of its sentence, and whether the
    sentence's subject is a list of places (嘉兴市、湖州市…开展…演练: many drills, not one)."""
    starts_at = [m.start() for m in _SENTENCE_MARK.finditer(text)]
    ends_at = [i for i in starts_at if text[i] in _SENTENCE_END]
    order = sorted(range(len(entities)), key=lambda k: entities[k].start)
    by_start = [entities[k].start for k in order]
    out = []
    for n, (start, end, anchored) in enumerate(spans):
        k = bisect.bisect_left(starts_at, start)
        s = max(starts_at[k - 1] + 1 if k else 0, start - SENTENCE_REACH)
        k = bisect.bisect_left(ends_at, end)
        e = min(ends_at[k] if k < len(ends_at) else len(text), end + SENTENCE_REACH)
        prev_end = max(s, spans[n - 1][1]) if n and spans[n - 1][0] >= s else s  # spans: sorted, apart
        next_start = min(e, spans[n + 1][0]) if n + 1 < len(spans) else e
        lo, hi = bisect.bisect_left(by_start, s), bisect.bisect_right(by_start, e)
        inside = [entities[j] for j in sorted(order[lo:hi])]
        inside = [x for x in inside if x.end <= e and x.label != "EVENT"]
        dates = [x for x in inside if x.label == "DATE" and not (start <= x.start < end)
                 and len(x.value or "") >= 7 and not (x.value or "").endswith("/..")]
        dates.sort(key=lambda x: abs(x.start - start))
        own_year = [x for x in inside if x.label == "DATE" and start <= x.start < end and len(x.value or "") == 4]
        venue = _venue(text, s, e, start, end, inside)
        if venue is None:
            places = [x for x in inside if x.label in ("LOC", "GPE") and "在" in text[max(s, x.start - 12):x.start]
                      and not (start <= x.start < end) and not _CLAUSE_BREAK.search(
                          text[min(x.end, end):max(x.start, start)])]  # 在X举行，作为Y的…: X is not Y's
            places.sort(key=lambda x: (x.label != "LOC", abs(x.start - start)))
            venue = places[0].text if places else None
        orgs = _organisers(inside, text, start, prev_end, table)
        clause = max(prev_end, text.rfind("，", prev_end, start) + 1)
        subject = next((x for x in inside if x.label not in ("DATE", "PERSON") and clause <= x.start < start), None)
        subject = subject or next((x for x in inside if x.label not in ("DATE", "PERSON")
                                   and x.start >= prev_end), None)
        plural = False
        if subject is not None and subject.label == "GPE" and subject.end <= start:
            after = text[subject.end:subject.end + 1]
            plural = after in ("、", "等")
            if _HOLDS.match(text, subject.end) and not orgs:
                orgs = [subject.text]  # 崂山区在崂山风景区举行…: the district holds it
        people, surface = _participants(text, end, next_start, table)
        name = text[start:end]
        out.append(Mention(start, end, name, event_kind(name),
                           date=dates[0].value if dates else (own_year[0].value if own_year else None),
                           venue=venue, organisers=tuple(dict.fromkeys(orgs)), participants=people,
                           participants_text=surface, anchored=anchored, plural=plural))
    return out


_CLAUSE_BREAK = regex.compile(r"[，,；;：:]")

#: What follows a place that holds an event as the subject of its sentence.
_HOLDS = regex.compile(r"(?:在|组织|举办|举行|召开|开展|联合|承办|主办)")


#: How many earlier events of its kind a mention is compared with (and how many of their mentions).
MERGE_REACH = 200


def _merge(text: str, mentions: list[Mention]) -> list[Event]:
    """Mentions of one happening become one event: the fullest name, the most precise date, and what
    any mention says of its venue, organisers and participants; every mention's span is kept."""
    groups: list[list[Mention]] = []
    distinct: dict[int, dict[tuple, Mention]] = {}  # per group: its mentions that differ in name or day
    by_kind: dict[str | None, list[int]] = {}
    for m in mentions:  # the latest groups of its kind only, their distinct mentions: a bounded cost per mention
        key = (m.name, _day(m.date))
        recent = by_kind.setdefault(m.kind, [])[-MERGE_REACH:]
        n = next((n for n in recent if key in distinct[n] or all(
            _same_event(m, x) for x in list(distinct[n].values())[:MERGE_REACH])), None)
        if n is None:
            n = len(groups)
            groups.append([])
            distinct[n] = {}
            by_kind[m.kind].append(n)
        groups[n].append(m)
        distinct[n].setdefault(key, m)
    events = []
    for group in groups:
        main = max(group, key=lambda m: (len(squash(m.name)), -m.start))
        dated = sorted((m for m in group if m.date), key=lambda m: (-len(m.date or ""), m.start))
        venue = next((m.venue for m in group if m.venue and m.date), None) or next(
            (m.venue for m in group if m.venue), None)
        people = next((m for m in group if m.participants is not None), None)
        orgs = tuple(dict.fromkeys(o for m in group for o in m.organisers))
        events.append(Event(_one_line(main.name), main.start, main.end, date=dated[0].date if dated else None,
                            venue=venue, organisers=orgs,
                            kind=main.kind or next((m.kind for m in group if m.kind), None),
                            participants=people.participants if people else None,
                            participants_text=people.participants_text if people else None,
                            mentions=tuple((m.start, m.end) for m in group)))
    return sorted(events, key=lambda ev: ev.mentions[0])


def _one_line(name: str) -> str:
    """A name as written, without the line breaks a page put inside it."""
    return regex.sub(r"\s*\n\s*", "", name)


#: Characters that start an event's sentence (the one after the last of them) and that end it.
_SENTENCE_START = "。；\n!！？"
_SENTENCE_END = "。；\n"
_SENTENCE_MARK = regex.compile(f"[{regex.escape(_SENTENCE_START)}]")

#: How far an event's sentence reaches either side of the name, at most: real sentences are far
#: shorter; the bound keeps a text with no sentence marks at all from costing events × entities.
SENTENCE_REACH = 2000
