"""EVENT: names closed by an event head (…启动仪式 推进会 大赛 演练), and each event's date, venue and organisers."""

from __future__ import annotations

import bisect
from functools import lru_cache

import regex

from ..gazetteer import data_set, division_names
from ..tokens import Token
from .common import CJK, Entity, Event, head_start, last_chars, token_extent, token_ranges

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
def _event_name_pattern() -> regex.Pattern[str]:
    names = sorted(data_set("event_names.txt"), key=len, reverse=True)
    return regex.compile("|".join(map(regex.escape, names)))



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
    for i, (tok, _) in enumerate(tokens):
        if tok[-1:] not in last:
            continue
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



#: Characters that start an event's sentence (the one after the last of them) and that end it.
_SENTENCE_START = "。；\n!！？"
_SENTENCE_END = "。；\n"
_SENTENCE_MARK = regex.compile(f"[{regex.escape(_SENTENCE_START)}]")

#: How far an event's sentence reaches either side of the name, at most: real sentences are far
#: shorter; the bound keeps a text with no sentence marks at all from costing events × entities.
SENTENCE_REACH = 2000


def find_events(text: str, entities: list[Entity]) -> list[Event]:
    """Each EVENT with the date, venue and organisers (ORGs before it) of its sentence.

    The date is the nearest day, month or range of days in the sentence, else the year the name
    itself carries (2021年…竞赛); the venue is the place after 在, a venue (LOC) before a division.
    Sentences and the entities in them are found by bisection, so the cost grows with the text.
    """
    starts_at = [m.start() for m in _SENTENCE_MARK.finditer(text)]
    ends_at = [i for i in starts_at if text[i] in _SENTENCE_END]
    order = sorted(range(len(entities)), key=lambda k: entities[k].start)
    by_start = [entities[k].start for k in order]
    events = []
    for ev in (e for e in entities if e.label == "EVENT"):
        k = bisect.bisect_left(starts_at, ev.start)
        s = max(starts_at[k - 1] + 1 if k else 0, ev.start - SENTENCE_REACH)
        k = bisect.bisect_left(ends_at, ev.end)
        e = min(ends_at[k] if k < len(ends_at) else len(text), ev.end + SENTENCE_REACH)
        lo, hi = bisect.bisect_left(by_start, s), bisect.bisect_right(by_start, e)
        inside = [entities[j] for j in sorted(order[lo:hi])]
        inside = [x for x in inside if x.end <= e and x is not ev]
        dates = [x for x in inside if x.label == "DATE" and not (ev.start <= x.start < ev.end)
                 and len(x.value or "") >= 7 and not (x.value or "").endswith("/..")]
        dates.sort(key=lambda x: abs(x.start - ev.start))
        own_year = [x for x in inside if x.label == "DATE" and ev.start <= x.start < ev.end and len(x.value or "") == 4]
        places = [x for x in inside if x.label in ("LOC", "GPE") and "在" in text[max(s, x.start - 12):x.start]]
        places.sort(key=lambda x: (x.label != "LOC", abs(x.start - ev.start)))
        orgs = [x.canonical or x.text for x in inside if x.label == "ORG" and x.end <= ev.start]
        date = dates[0].value if dates else (own_year[0].value if own_year else None)
        events.append(Event(ev.text, ev.start, ev.end, date=date, venue=places[0].text if places else None,
                            organisers=tuple(dict.fromkeys(orgs))))
    return events
