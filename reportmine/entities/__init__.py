"""Named entities of a report: organisations, persons, places, dates and events.

Rules, not a trained model: each recogniser works on the jieba tokens of the normalised text
(``(token, offset)`` pairs, from the spaCy ``Doc`` or from :func:`tokens_of`) plus the word
lists in :mod:`reportmine.gazetteer`. They generalise by grammar rather than by listing one
report's names:

* ORG — a token that can close a name (…局 委 办 厅 部 司 中心 集团 公司 协会 总队 报 社 台 网 院 会,
  ``data/org_heads.txt``) extended to the left over name parts back to an anchor: a division
  name (上海市, 浦东新区, 金山), a level prefix (市, 省, 区, 国家, 全国), or a known body
  (应急管理部). Company, association and media heads need no anchor (申能（集团）有限公司).
  Adjacent names join (市委 + 宣传部). Abbreviations get a canonical name using the report's
  region (市应急局 -> 上海市应急管理局).
* PERSON — a surname-led name next to a title (局长马坚泓, 联系人：杨靖), with every role seen.
* GPE — division names (full everywhere; county short forms only in the report's province) and
  the province abbreviation used as a place (来沪). LOC — venues by head (…公园 广场 沙滩) and
  named regions (长三角).
* DATE — :mod:`reportmine.dates` plus ranges (6月1日至30日), open intervals (2020年以来), 份 and
  parts of day; values are ISO 8601 resolved against the report's year.
* EVENT — a name closed by an event head (…启动仪式 推进会 大赛 演练 咨询日). :func:`find_events` builds the
  event model from them and from the heads of ``data/event_kinds.json``: one :class:`Event` per happening, its
  mentions merged, with its kind, date, venue, organisers and participants.

One module per label (``orgs``, ``persons``, ``places``, ``temporal``, ``events``) and ``common`` for
what they share; this module prepares the tokens, runs them all and settles overlaps.
"""

from __future__ import annotations

import bisect
import datetime
from functools import lru_cache
from typing import Iterator, Sequence

import regex

from ..gazetteer import division_chain_of, division_names, split_town
from ..tokens import SENTENCE_BREAK, Token, safe_cut, word_tags
from .common import (
    CJK,
    FUNCTION_CHARS,
    LABELS,
    LEVEL_PREFIXES,
    SELF_WORDS,
    Entity,
    EntityContext,
    clear_of,
    covered_by,
    is_name_part,
    person_titles,
    rejoined,
    token_extent,
    token_span,
    tokens_of,
    within,
)
from .events import event_spans, find_events
from .orgs import bureau_spans, canonical_org, known_org_spans, org_spans, place_for, self_prefixes, unresolved_level
from .persons import find_persons, person_mentions, person_roles
from .places import find_places, town_names, town_places, town_spans
from .temporal import find_date_entities

__all__ = ["Entity", "Event", "EntityContext", "LABELS", "find_entities", "find_events", "find_persons",
           "find_places", "find_date_entities", "canonical_org", "infer_context", "context_for", "tokens_of", "chunks",
           "CHUNK"]


#: A document number (文号): up to twelve Han characters, then 〔2023〕12号.
DOC_NUMBER = regex.compile(r"[\p{Han}]{1,12}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
#: Its bracketed year and number, after a Han character: what :func:`doc_number_spans` looks for first.
_DOC_NUMBER_TAIL = regex.compile(r"(?<=\p{Han})[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
#: The Han characters just before a position (searched in a window of twelve).
_HAN_BEFORE = regex.compile(r"\p{Han}+\Z")


def doc_number_spans(text: str) -> list[tuple[int, int]]:
    """The spans :data:`DOC_NUMBER` finds in ``text`` (``finditer``), found from the rare bracketed year back
    to the name before it: the pattern itself, tried at every Han character, costs a millisecond a report."""
    out: list[tuple[int, int]] = []
    end = 0
    for m in _DOC_NUMBER_TAIL.finditer(text):
        at = m.start()
        if at <= end:       # the Han character before it closes the previous number (…1号〔2023〕2号)
            continue
        han = _HAN_BEFORE.search(text, max(end, at - 12), at)
        out.append((han.start(), m.end()))
        end = m.end()
    return out



#: How many distinct tokens :func:`_plain_tokens` remembers (a bound on its memory, about 10 MB).
_PLAIN_LIMIT = 100_000


_PLAIN: dict[int, set[str]] = {}


def _plain_tokens(tags: dict[str, str]) -> set[str]:
    """Tokens :func:`_prepared` keeps as they are whatever their neighbours (known words, single characters,
    non-Han tokens, none a title glued to a body), remembered per word-tag table."""
    if id(tags) not in _PLAIN:
        _PLAIN.clear()
        _PLAIN[id(tags)] = set()
    return _PLAIN[id(tags)]


def _prepared(text: str, tokens: list[Token], known: Sequence[tuple[int, int]], offset: int = 0) -> list[Token]:
    """Tokens ready for the rules: whitespace between tokens as tokens of its own, and words jieba
    did not know split where they swallowed a neighbour:

    * at the edge of a known name, next to a function character (中国应急管理报等 -> …报 + 等);
    * a function character before a level prefix (由省 -> 由 + 省) or after a name (冯嘉欣为; 局将 -> 局 + 将,
      局等州 -> 局 + 等 + 州);
    * a body's last character glued to a title (局局长 -> 局 + 局长), a party committee glued to its
      secretary after a level (局 + 党委书记 -> 党委 + 书记).

    ``offset``: where the text the tokens cover starts (a chunk's start). Unchanged tokens are kept
    as they are (no copy).
    """
    tags = word_tags()
    titles = person_titles()
    plain = _plain_tokens(tags)
    cuts = sorted({b for span in known for b in span})
    out: list[Token] = []
    end = offset
    for pair in tokens:
        tok, start = pair
        if start > end:
            out.append((text[end:start], end))  # spaCy keeps whitespace as token.whitespace_
        end = start + len(tok)
        if tok in plain:                          # a token seen before that no rule below splits
            out.append(pair)
            continue
        if len(tok) >= 3 and tok[0] in "局厅部委办处司" and tok[1:] in titles:
            out += [(tok[0], start), (tok[1:], start + 1)]
            continue
        if len(tok) >= 4 and tok.startswith(("党委", "党组")) and tok[2:] in titles and out and (
                out[-1][0] in LEVEL_PREFIXES or out[-1][0] in SELF_WORDS) and (
                len(out) < 2 or not is_name_part(out[-2][0])):
            out += [(tok[:2], start), (tok[2:], start + 2)]     # 局 + 党委书记 -> 局 + 党委 + 书记
            continue
        if tok in tags or len(tok) < 2 or not CJK.match(tok):
            if len(plain) < _PLAIN_LIMIT and not tok.startswith(("党委", "党组")):   # those depend on the neighbour
                plain.add(tok)
            out.append(pair)
            continue
        lo, hi = bisect.bisect_right(cuts, start), bisect.bisect_left(cuts, end)
        inner = [c - start for c in cuts[lo:hi] if tok[c - start] in FUNCTION_CHARS or tok[c - start - 1] in FUNCTION_CHARS]
        if inner:
            out += [(tok[x:y], start + x) for x, y in zip([0] + inner, inner + [len(tok)])]
        elif tok[0] in FUNCTION_CHARS and tok[1] in "省市区县州盟旗镇乡":
            out += [(tok[0], start), (tok[1:], start + 1)]
        elif len(tok) <= 3 and tok[0] in "局委办厅处" and tok[1] in FUNCTION_CHARS:   # 局将, 局等州: 应急局 + 将
            out += [(tok[0], start), (tok[1], start + 1)] + ([(tok[2:], start + 2)] if len(tok) == 3 else [])
        elif (len(tok) >= 3 and tok[-1] in FUNCTION_CHARS) or (len(tok) == 2 and tok[-1] in "等和及与"):
            out += [(tok[:-1], start), (tok[-1], end - 1)]
        else:
            out.append(pair)
    return out



#: Texts longer than this many characters are recognised in chunks of about this size: the tokens
#: of a whole 50 MB text (some 100 bytes each) would not fit in memory. Reports are far shorter.
CHUNK = 100_000

#: A quiet place to end a chunk: a line break after the end of a sentence.
_SENTENCE_THEN_LINE = regex.compile(r"[。！？；][ \t\u3000]*\n")

#: The first line that has text, from a position.
_NEXT_LINE = regex.compile(r"[\s]*[^\n]*")

#: Marks that a rule looks back for, from their closing mark (《…》, “…”, （…）).
_PAIRS = (("《", "》"), ("“", "”"), ("（", "）"), ("(", ")"))


def _quiet(text: str, at: int) -> bool:
    """Can a chunk start at ``at`` (after a sentence's line break) without any rule looking across?

    The rules look back across a line break only from a closing mark whose opening mark is not on
    its own line (《…》 names, （…） and “…” inside names); the next line must not start with one.
    """
    line = _NEXT_LINE.match(text, at).group()
    for opener, closer in _PAIRS:
        close = line.find(closer)
        if close != -1 and not -1 < line.find(opener) < close:
            return False
    return True


def chunks(text: str, size: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` ranges that cover ``text``, each about ``size`` characters or more, cut where
    the recognisers give the same entities as on the whole text: after a line break that follows a
    sentence end, before a line no rule looks back from. A text with no such place (no line breaks at
    all) is cut after a sentence break, else where no jieba token crosses, else at ``size``, so a
    chunk never grows without bound (``size``: :data:`CHUNK` by default)."""
    size = size or CHUNK
    a, n = 0, len(text)
    while n - a > 2 * size:
        b = next((m.end() for m in _SENTENCE_THEN_LINE.finditer(text, a + size, a + 2 * size)
                  if _quiet(text, m.end())), None)
        if b is None:
            b = next((m.end() for m in _ANY_BREAK.finditer(text, a + size, a + 2 * size)), None)
        if b is None:
            b = safe_cut(text, a + size, a + 2 * size) or a + 2 * size
        yield a, b
        a = b
    yield a, n


_ANY_BREAK = regex.compile(f"[{regex.escape(SENTENCE_BREAK)}]")


def find_entities(text: str, ctx: EntityContext | None = None, tokens: list[Token] | None = None,
                  labels: tuple[str, ...] = LABELS) -> list[Entity]:
    """Every entity in ``text`` (sorted by position), resolved with the report's context.

    Without ``tokens`` the text is segmented here, chunk by chunk (:func:`chunks`), so memory stays
    bounded; names, dates and overlaps are then settled over the whole text.
    """
    ctx = ctx or EntityContext()
    free = clear_of(doc_number_spans(text))
    pieces = [(tokens, 0)] if tokens is not None else ((tokens_of(text, a, b), a) for a, b in chunks(text))
    orgs: list[Entity] = []
    events: list[Entity] = []
    titled: dict[str, list[str]] = {}
    places: list[Entity] = []
    local = frozenset(town_names(ctx)) | frozenset(self_prefixes(ctx))
    for raw, offset in pieces:
        lo, hi = token_extent(raw)
        known = known_org_spans(text, lo, hi)
        towns = town_spans(text, lo, hi, ctx)
        toks = rejoined(_prepared(text, raw, known, offset), sorted(towns + bureau_spans(text, lo, hi)))
        del raw
        if "ORG" in labels:
            for s, e in org_spans(toks, ctx.region, text, known, local):
                a, b = token_span(toks, s, e)
                name = text[a:b]
                if free(a, b) and name.endswith("街道") and len(name) > 2:
                    places.append(Entity("GPE", name, a, b, canonical=name))   # 簇桥街道: a place, its 办事处 a body
                elif free(a, b) and not unresolved_level(name, ctx):
                    orgs.append(Entity("ORG", name, a, b, canonical=canonical_org(name, ctx)))
        if "EVENT" in labels:
            for s, e in event_spans(toks, text):
                a, b = token_span(toks, s, e)
                if free(a, b):
                    events.append(Entity("EVENT", text[a:b], a, b))
        if "PERSON" in labels:
            for name, roles in person_roles(text, toks).items():
                seen = titled.setdefault(name, [])
                seen += [r for r in roles if r not in seen]
        if {"GPE", "LOC", "ORG"} & set(labels):
            places += find_places(text, toks, ctx)
            places += town_places(text, towns, ctx, place_for(ctx.county[-1], ctx) if ctx.county else None)
        del toks
    out: list[Entity] = orgs + events
    if "PERSON" in labels:
        people = [p for p in person_mentions(text, titled) if free(p.start, p.end)]
        person_spans = {(p.start, p.end) for p in people}
        orgs = [o for o in orgs if (o.start, o.end) not in person_spans]  # 林海涛 in a list of experts
        out = [o for o in out if o.label != "ORG" or (o.start, o.end) not in person_spans]
        in_org = within([(o.start, o.end) for o in orgs])
        out += [p for p in people if not in_org(p.start, p.end)]
    place_spans = {(p.start, p.end) for p in places}
    out = [o for o in out if o.label != "ORG" or (o.start, o.end) not in place_spans]
    orgs = [o for o in orgs if (o.start, o.end) not in place_spans]
    if "GPE" in labels or "LOC" in labels:
        named = covered_by([(n.start, n.end) for n in orgs + events])  # no places inside names of other things
        in_loc = covered_by([(n.start, n.end) for n in places if n.label == "LOC"])
        for p in places:
            inside = named(p.start, p.end) or (p.label == "GPE" and in_loc(p.start, p.end))
            if p.label in labels and free(p.start, p.end) and not inside:
                out.append(p)
    if "DATE" in labels:
        out += [d for d in find_date_entities(text, ctx) if free(d.start, d.end)]
    return sorted(_dedupe(out, len(text)), key=lambda x: (x.start, -x.end, x.label))



def _dedupe(entities: list[Entity], size: int) -> list[Entity]:
    """Same-label overlaps keep the longest mention (an occupancy map of characters, one label at a time)."""
    kept: list[Entity] = []
    occupied = bytearray(size)
    for label in sorted({e.label for e in entities}):
        mine = [e for e in entities if e.label == label]
        for ent in sorted(mine, key=lambda x: (x.start - x.end, x.start)):
            if occupied.find(1, ent.start, ent.end) == -1:
                occupied[ent.start:ent.end] = b"\x01" * (ent.end - ent.start)
                kept.append(ent)
        for ent in mine:
            occupied[ent.start:ent.end] = bytes(ent.end - ent.start)  # cleared for the next label
    return kept


_FULL_DATE = regex.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")



def infer_context(text: str) -> EntityContext:
    """Region and date read from the text itself, for a ``Doc`` made without a parsed report."""
    from ..structure import region_of

    region = next((r for line in text.splitlines()[:12] if line.strip() and (r := region_of(line.strip()))), None)
    date = None
    for m in _FULL_DATE.finditer(text[:4000]):
        try:
            date = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            break
        except ValueError:
            continue
    return EntityContext(region=region, date=date)



@lru_cache(maxsize=64)
def _city_names(region: str | None) -> tuple[str, ...]:
    """Full names of the cities among the divisions :func:`division_names` knows for ``region``, in its order."""
    seen: dict[str, None] = {}
    for division in division_names(region).values():
        if division.level == "city":
            seen.setdefault(division.name)
    return tuple(seen)


def context_for(region: str | None, issuers: list[str], date: str | None, year: int | None) -> EntityContext:
    """The context of a parsed report: its province, the city when a city body issued it (or the report's
    region names one), the county for a county's report, the town for a town's, its date. ``region`` is a
    full division path (江苏省无锡市梁溪区, 江苏省苏州市昆山市周市镇) or a province."""
    city = county = town = None
    if region:
        town = split_town(region)[1]
        chain = division_chain_of(region)
        if chain:
            region = chain[0].name
            city = next((d.name for d in chain[1:] if d.level == "city"), None)
            county = next((d.name for d in chain[1:] if d.level == "county"), None)
    for issuer in issuers if city is None else ():
        found = next((name for name in _city_names(region) if issuer.startswith(name)), None)
        city = found or city                      # the last issuer that names a city decides
    when = None
    if date:
        try:
            when = datetime.date.fromisoformat(date)
        except ValueError:
            when = None
    if when is None and year:
        when = datetime.date(year, 12, 31)
    return EntityContext(region=region, city=city, date=when, county=county, town=town if county else None,
                         issuers=tuple(issuers))
