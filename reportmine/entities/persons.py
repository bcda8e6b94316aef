"""PERSON: surname-led names next to a title (局长马坚泓, 习近平总书记, 联系人：杨靖), with every role."""

from __future__ import annotations

import bisect
from operator import itemgetter
from functools import lru_cache

import regex

from ..resources import data_lines
from ..tokens import Token, word_frequency, word_tags
from .common import (
    CJK,
    FUNCTION_CHARS,
    Entity,
    title_pattern,
    token_extent,
)


@lru_cache(maxsize=1)
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    names = data_lines("surnames.txt")
    return frozenset(n for n in names if len(n) == 1), frozenset(n for n in names if len(n) == 2)


#: Marks that end a clause: earlier titles of the same clause are roles of the same person.
_CLAUSE_MARK = regex.compile("[，。；\n]")

#: How far back a clause reaches at most (real clauses are far shorter; a text without marks stays linear).
CLAUSE_REACH = 500

_NAME_END = set("出在等的和与、，。及同为作讲主带率参到指对表致介进宣是就也都将从向于了说称")



def _name_at(text: str, pos: int, tokens_at: dict[int, str], after_title: bool = False) -> int | None:
    """End offset of a person's name starting at ``pos`` (surname first, 2-4 characters), or None.

    The name must not be a dictionary word, and what follows the surname must not be one either
    (负责人谈安全 is not a person): jieba splits unknown names into single characters.
    """
    single, double = _surnames()
    tags = word_tags()
    whole = tokens_at.get(pos, "")
    if 2 <= len(whole) <= 4 and tags.get(whole, "") in ("nr", "nrfg") and CJK.match(whole):
        return pos + len(whole)
    if whole in FUNCTION_CHARS:
        return None
    if text[pos:pos + 2] in double:
        lengths, given_at = (4, 3), pos + 2
    elif text[pos:pos + 1] in single:
        lengths, given_at = (3, 2), pos + 1
    else:
        return None
    if len(whole) in lengths and tags.get(whole, "nr").startswith("nr"):
        return pos + len(whole)
    if len(whole) >= 2 and not tags.get(whole, "nr").startswith("nr"):
        return None
    if pos not in tokens_at and not after_title:
        return None
    given = tokens_at.get(given_at, "")
    if len(given) >= 2 and word_frequency(given) > 5000:
        return None  # 负责人谈安全: a common word after a surname character is not a given name
    for n in lengths:
        name = text[pos:pos + n]
        if len(name) != n or not CJK.match(name) or any(ch in _NAME_END for ch in name[1:]):
            continue
        after = text[pos + n:pos + n + 1]
        if (pos + n in tokens_at or n == lengths[-1] or after in _NAME_END or after in FUNCTION_CHARS
                or text[pos + n:pos + n + 2] in tags or not CJK.match(after or "。")):
            return pos + n  # 许建中通报: a word (通报) starts right after the name
    return None



def find_persons(text: str, tokens: list[Token]) -> list[Entity]:
    """Persons next to a title: 局长马坚泓, 习近平总书记, 联系人：杨靖. Roles are gathered per name."""
    return person_mentions(text, person_roles(text, tokens))


def person_roles(text: str, tokens: list[Token]) -> dict[str, list[str]]:
    """Names seen next to a title in the part of ``text`` the tokens cover, each with its titles in order."""
    tokens_at = dict(zip(map(itemgetter(1), tokens), map(itemgetter(0), tokens)))
    tags = word_tags()
    lo, hi = token_extent(tokens)
    clause_marks = [m.start() for m in _CLAUSE_MARK.finditer(text, max(0, lo - CLAUSE_REACH), hi)]
    spans: list[tuple[int, int, str]] = []
    for m in title_pattern().finditer(text, lo, hi):
        title, after = m.group(), m.end()
        if text[after:after + 1] in "：:":
            after += 1
            while text[after:after + 1] in " \u3000":
                after += 1
        end = _name_at(text, after, tokens_at, after_title=True)
        if end is not None and text[end:end + 1] not in ("局", "厅", "委", "部", "办", "司", "处"):
            spans.append((after, end, title))
            k = bisect.bisect_left(clause_marks, m.start())
            clause = max(clause_marks[k - 1] + 1 if k else 0, m.start() - CLAUSE_REACH)
            for earlier in title_pattern().finditer(text, clause, m.start()):  # 党委书记、局长马坚泓
                spans.append((after, end, earlier.group()))
            continue
        for n in (3, 2, 4):  # the name before the title: 习近平总书记
            s = m.start() - n
            if s < 0 or _name_at(text, s, tokens_at) != m.start():
                continue
            if tags.get(tokens_at.get(s, ""), "") in ("nr", "nrfg") or s == 0 or text[s - 1] in "，、。（(：:“ \n":
                spans.append((s, m.start(), title))
                break
    roles: dict[str, list[str]] = {}
    for s, e, title in spans:
        roles.setdefault(text[s:e], [])
        if title not in roles[text[s:e]]:
            roles[text[s:e]].append(title)
    return roles


def person_mentions(text: str, roles: dict[str, list[str]]) -> list[Entity]:
    """Every mention in ``text`` of a name seen with a title: the same person, with all its roles."""
    out: dict[tuple[int, int], Entity] = {}
    mentions = _mentions(text, roles)
    for name, rs in roles.items():
        for a in mentions.get(name, ()):
            out[(a, a + len(name))] = Entity("PERSON", name, a, a + len(name), canonical=name, roles=tuple(rs))
    return sorted(out.values(), key=lambda e: e.start)


def _mentions(text: str, names) -> dict[str, list[int]]:
    """Start offsets of every mention of each name, as ``regex.finditer`` of the name alone finds them
    (left to right, not overlapping one another), in one pass per name length over the text."""
    out: dict[str, list[int]] = {}
    for n in sorted({len(name) for name in names}):
        same = [name for name in names if len(name) == n]
        for m in regex.finditer(r"\L<names>", text, names=same, overlapped=True):
            starts = out.setdefault(m.group(), [])
            if not starts or m.start() >= starts[-1] + n:
                starts.append(m.start())
    return out
