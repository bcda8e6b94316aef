"""Arithmetic the prose states about itself: a whole and its parts (共54条次，其中26条次，13条次).

Why: a report that says "54, of which 26 and 13" can be checked without any table, and a part larger
than its whole is a typo a reader should be told about. A false alarm is worse than none, so a figure is
summed as a part only when the wording makes it one; anything doubtful is left out and said in ``note``.

Rules (the word lists are in ``data/part_whole.json``):

- A breakdown opens with 其中 starting a clause (``，其中``, ``其中：``, ``。其中，``), with ``（其中…）`` /
  ``（含…）`` next to a figure, with ``；其中`` after a breakdown (a second breakdown of the same whole), or with
  a dimension sentence (``按经营单位所在地分，`` ``分级次看:``) after a breakdown of the same whole.
- ``，其中…`` ends at its clause (``；`` ``。``). After ``其中：``, a sentence-initial ``其中，`` or a dimension
  opener, items may be ``；``-separated (one part per item, as punctuation rules have it); when the first item
  already holds several parts, the breakdown ends at the first ``；`` as well. Parts joined by ``、`` end at
  the next ``，``; a clause led by a verb of its own (覆盖…, 培育…) after noun-led parts is a new statement.
- The whole is the nearest figure before 其中 that is not a change (比上年增加…, 增长…) — the balance, not its
  change; in a sentence-initial breakdown, the only figure of the parts' unit in the sentence before. A
  whole that is a rate or average (人均, 每…, 年均) is not checked; two candidate wholes of the unit in one
  clause (8起较大事故和1起重大事故) are ambiguous and not checked; when an earlier figure of the unit in the
  same segment could be the whole (排查1200处，整改1100处，其中…), a contradiction must hold for it too.
- Parts have the whole's unit and are counts; percentages, changes, rates and values after 由/从 are skipped;
  figures inside a nested bracket belong to a nested breakdown; a total (共/累计…) or a stock (年末, 拥有量…)
  under a whole that is not one ends the breakdown.
- Each part must not exceed the whole. The parts are summed only when every part is a plain "label N unit"
  (no threshold such as 超10亿元的, no description after the figure such as 5起发生在…: such classes may
  overlap). The sum must equal the whole only when the last part is the rest (其余…); otherwise sum ≤ whole.
- Arithmetic is exact (``decimal.Decimal`` from the written digits) and interval-aware: a written decimal is
  taken as rounded to its last digit, a hedged figure (9200多, 近27万) by the interval it admits; a check fails
  only when no values inside the intervals could satisfy it (touching a bound counts as satisfying it).
- Not checked, on purpose: a total with no 其中 after a breakdown (``；共办理718件，结转31件`` is not a breakdown
  of ``共受理749件``: 办理 also counts the previous year's carry-over).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Optional, Sequence

import regex

from .normalize import NormalizedText
from .numbers import Quantity
from .resources import data_json

__all__ = ["is_change_or_rate", "InternalCheck", "part_whole_checks", "interval", "to_decimal"]

SENTENCE_END = "。！？!?\n"
SEGMENT_END = "；;" + SENTENCE_END
CLAUSE_END = "，,、：:" + SEGMENT_END
OPEN, CLOSE = "（(", "）)"
JOINERS = ("和", "及", "与", "以及", "、", "，", ",")
#: How far (characters) a clause, a whole or a breakdown may reach from its 其中: keeps the cost linear.
MAX_REACH = 400
#: How many figures back from 其中 the whole is looked for.
MAX_FIGURES = 12


@dataclass
class InternalCheck:
    """A statement checked against the prose itself (``part_whole`` or ``enumeration``)."""

    kind: str
    verdict: str
    span: tuple[int, int]
    explanation: str
    whole: Optional[str] = None
    parts: list[str] = field(default_factory=list)
    count: Optional[str] = None
    listed: Optional[int] = None
    items: list[str] = field(default_factory=list)
    note: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        if self.kind == "part_whole":
            d.update(whole=self.whole, parts=self.parts)
        else:
            d.update(count=self.count, listed=self.listed, items=self.items)
        if self.note:
            d["note"] = self.note
        d.update(verdict=self.verdict, span=list(self.span), explanation=self.explanation)
        return d


# -- rules ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Rules:
    change: regex.Pattern
    rate: regex.Pattern
    before_value: regex.Pattern
    stock: regex.Pattern
    threshold: regex.Pattern
    totals: frozenset[str]
    rest: regex.Pattern
    dimension: regex.Pattern
    bracket_openers: tuple[str, ...]
    statement: regex.Pattern


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    d = data_json("part_whole.json")
    return _Rules(change=regex.compile(d["change"]), rate=regex.compile(d["rate"]),
                  before_value=regex.compile(d["before_value"]), stock=regex.compile(d["stock"]),
                  threshold=regex.compile(d["threshold"]), totals=frozenset(d["total_qualifiers"]),
                  rest=regex.compile(d["rest"]), dimension=regex.compile(d["dimension_opener"]),
                  bracket_openers=tuple(d["bracket_openers"]),
                  statement=regex.compile("^(?:" + d["statement_verbs"] + ")"))


# -- exact intervals -----------------------------------------------------------

_ASCII = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_WRITTEN = regex.compile(r"[0-9０-９][0-9０-９,，]*(?:[.．]([0-9０-９]+))?")


def to_decimal(x: Any) -> Optional[Decimal]:
    """A Decimal from a Quantity value or bound: ints exactly, floats by their shortest repr (the digits
    that were written, for any figure of up to 15 significant digits), Decimals as they are."""
    if x is None:
        return None
    if isinstance(x, Decimal):
        return x
    if isinstance(x, int):
        return Decimal(x)
    return Decimal(repr(float(x)))


def interval(q: Quantity) -> tuple[Optional[Decimal], Optional[Decimal]]:
    """The values a figure admits, as Decimals; a plain written decimal (64105.2) is widened by half a unit
    of its last digit, since published decimals are rounded."""
    lo, hi = to_decimal(q.admits[0]), to_decimal(q.admits[1])
    if lo is not None and lo == hi:
        m = _WRITTEN.search(q.surface)
        if m and m.group(1):
            written = Decimal(m.group().translate(_ASCII).replace(",", ""))
            scale = lo / written if written else Decimal(1)   # 3477.6千公顷: value 3477600
            half = Decimal(5).scaleb(-len(m.group(1)) - 1) * scale
            lo, hi = lo - half, hi + half
    return lo, hi


def _fmt(x: Optional[Decimal], like: str = "") -> str:
    """A Decimal written plainly, in 亿 or 万 when the figure it is compared with was (3473.05亿)."""
    if x is None:
        return "∞"
    mag = next(((c, Decimal(10) ** e) for c, e in (("亿", 8), ("億", 8), ("万", 4), ("萬", 4)) if c in like), ("", Decimal(1)))
    s = format((x / mag[1]).normalize(), "f")
    return (s[:-2] if s.endswith(".0") else s) + mag[0]


# -- text helpers ----------------------------------------------------------------

@lru_cache(maxsize=None)
def _stop_pattern(stops: str, reverse: bool) -> regex.Pattern:
    return regex.compile(("(?r)" if reverse else "") + "[" + regex.escape(stops) + "]")


def _back(text: str, pos: int, stops: str) -> int:
    """Start of the stretch ending at ``pos`` that holds none of ``stops`` (at most MAX_REACH long)."""
    floor = max(0, pos - MAX_REACH)
    m = _stop_pattern(stops, True).search(text, floor, pos)
    return m.end() if m else floor


def _forward(text: str, pos: int, stops: str) -> int:
    """End of the stretch starting at ``pos`` that holds none of ``stops`` (at most MAX_REACH long)."""
    ceiling = min(len(text), pos + MAX_REACH)
    m = _stop_pattern(stops, False).search(text, pos, ceiling)
    return m.start() if m else ceiling


def _matching_close(text: str, pos: int) -> int:
    """Index of the bracket closing the one opened just before ``pos`` in the same sentence, or -1."""
    depth = 1
    for i in range(pos, min(pos + MAX_REACH, len(text))):
        if text[i] in OPEN:
            depth += 1
        elif text[i] in CLOSE:
            depth -= 1
            if depth == 0:
                return i
        elif text[i] in SENTENCE_END:
            return -1
    return -1


_BRACKET_OR_END = regex.compile("[" + regex.escape(OPEN + CLOSE + SENTENCE_END) + "]")


def _skip_spaces_back(text: str, pos: int) -> int:
    """``pos`` moved back over spaces and tabs."""
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos


def _separator_level(gap: str) -> int:
    """How strongly a stretch between two figures separates them: 、 1, ，2 (0 for a conjunction only)."""
    if any(c in gap for c in "，,"):
        return 2
    return 1 if any(c in gap for c in "、和及与") else 0


# -- figures and their labels --------------------------------------------------

@dataclass
class _Figure:
    """A quantity with the words before it in its clause."""

    q: Quantity
    lead: str      # from the clause start to the number
    label: str     # lead after the last figure inside it
    after_figure: bool  # another figure stands in the lead, joined by something other than a conjunction
    tail: str      # from the figure to its clause end

    @property
    def unit(self) -> Optional[str]:
        return self.q.unit


def _figure(text: str, q: Quantity, qs: Sequence[Quantity], idx: int) -> _Figure:
    cs = _back(text, q.span[0], CLAUSE_END + OPEN + CLOSE)
    lead = text[cs:q.span[0]]
    label, after = lead, False
    if idx > 0 and qs[idx - 1].span[1] > cs:
        label = text[qs[idx - 1].span[1]:q.span[0]]
        after = not label.startswith(JOINERS)
    tail = regex.split(r"和|及|与|以及", text[q.span[1]:_forward(text, q.span[1], CLAUSE_END + OPEN + CLOSE)])[0]
    return _Figure(q, lead, label, after, tail)


def is_change_or_rate(text: str, quantities: Sequence[Quantity], index: int) -> bool:
    """True for a figure that states a change (比年初增加214人, 同比增长…), a rate or share (人均…, 占…): it
    restates no count of a table, whatever words it shares with one."""
    f = _figure(text, quantities[index], quantities, index)
    return _is_change(f) or _is_rate(f)


def _is_change(f: _Figure) -> bool:
    return bool(_rules().change.search(f.label))


def _is_rate(f: _Figure) -> bool:
    r = _rules()
    return f.q.kind != "count" or "/" in (f.unit or "") or bool(r.rate.search(f.lead))


def _head(f: _Figure, start: int = 0) -> str:
    """The figure's label without the separators and the 其中 before it."""
    label = f.label[max(0, len(f.label) - (f.q.span[0] - start)):] if start else f.label
    return label.lstrip("，,、；;：: ").removeprefix("其中").lstrip("，,：: ")


def _statement(f: _Figure, start: int = 0) -> bool:
    """The label begins with a verb of its own (覆盖…, 培育…): a new statement rather than a list item."""
    return bool(_rules().statement.search(_head(f, start)))


def _is_total(f: _Figure) -> bool:
    return f.q.qualifier in _rules().totals


# -- the breakdowns --------------------------------------------------------------

@dataclass
class _Breakdown:
    whole: Quantity
    whole_fig: _Figure
    start: int                 # where the opener starts
    parts: list[_Figure]
    end: int                   # where the breakdown's text ends
    notes: list[str]
    others: list[_Figure] = field(default_factory=list)   # other figures the 其中 may refer to


class _Finder:
    """Finds the breakdowns of one normalised text."""

    def __init__(self, text: str, quantities: Sequence[Quantity]) -> None:
        self.text = text
        self.qs = sorted(quantities, key=lambda q: q.span)
        self.starts = [q.span[0] for q in self.qs]
        self.figs = [_figure(text, q, self.qs, i) for i, q in enumerate(self.qs)]
        self.done: list[_Breakdown] = []
        # bracket depth after each bracket or sentence end (a sentence end resets it; never below 0)
        self.depth_at: list[int] = []
        self.depth: list[int] = []
        level = 0
        for m in _BRACKET_OR_END.finditer(text):
            c = m.group()
            level = level + 1 if c in OPEN else max(0, level - 1) if c in CLOSE else 0
            self.depth_at.append(m.start())
            self.depth.append(level)

    def _depth(self, pos: int) -> int:
        """Bracket depth at ``pos`` (within its sentence)."""
        i = bisect_right(self.depth_at, pos) - 1
        return self.depth[i] if i >= 0 else 0

    def _nested(self, f: _Figure, start: int) -> bool:
        """True if the figure stands inside a bracket opened after ``start``."""
        return self._depth(f.q.span[0]) > (self._depth(start - 1) if start > 0 else 0)

    # figures in a stretch
    def _between(self, start: int, end: int) -> list[_Figure]:
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.qs) and self.qs[i].span[1] <= end:
            out.append(self.figs[i])
            i += 1
        return out

    def run(self) -> list[_Breakdown]:
        """Every opener in text order (a dimension sentence needs the breakdown of the sentence before it)."""
        r = _rules()
        text = self.text
        qizhong = regex.compile(r"其中|（(?:" + "|".join(map(regex.escape, r.bracket_openers)) + ")")
        dimension = regex.compile(r"(?:^|(?<=[。！？!?\n]))[ \t]*(" + r.dimension.pattern.lstrip("^") + ")",
                                  flags=regex.MULTILINE)
        openers = [(m.start(), m.end(), "qizhong") for m in qizhong.finditer(text)]
        openers += [(m.start(1), m.end(1), "dimension") for m in dimension.finditer(text)]
        for start, end, kind in sorted(openers):
            if kind == "dimension":
                self._dimension(start, end)
            elif text[start] in OPEN:
                self._bracketed(start, end)
            else:
                at = _skip_spaces_back(text, start)
                prev = text[at - 1] if at > 0 else "\n"
                if prev in OPEN:
                    self._bracketed(at - 1, end)
                elif prev in SENTENCE_END:
                    self._sentence_initial(start, end)
                elif prev in "，,；;、" or self._figure_ending_at(at) is not None:
                    self._mid(start, end, after_semicolon=prev in "；;")
        return sorted(self.done, key=lambda b: b.start)

    def _figure_ending_at(self, pos: int) -> Optional[_Figure]:
        i = bisect_left(self.starts, pos) - 1
        if i >= 0 and self.qs[i].span[1] == pos:
            return self.figs[i]
        return None

    # -- wholes
    def _whole_before(self, pos: int, unit: Optional[str] = None) -> Optional[_Figure]:
        """The nearest figure before ``pos`` in its segment (of ``unit`` when given) that is not a change (the
        balance, not its change); None when that figure is a rate or an average (人均, 年均…): no parts."""
        seg = _back(self.text, pos, SEGMENT_END)
        for f in reversed(self._between(seg, pos)[-MAX_FIGURES:]):
            if self._nested(f, seg) or f.q.kind == "percent" or _is_change(f):
                continue
            if unit is not None and f.unit != unit:
                continue
            return None if _is_rate(f) else f
        return None

    def _candidate_parts(self, body: int, stop: int) -> list[_Figure]:
        """Figures in ``[body, stop)`` that could be parts of some whole (counts, not changes or rates)."""
        return [f for f in self._between(body, stop) if self._part_kind(f, None, body) == "part"]

    def _other_wholes(self, whole: _Figure) -> list[_Figure]:
        """Other figures of the whole's unit earlier in its segment (排查隐患1200处，整改1100处，其中…): the 其中
        may refer to them; a contradiction must hold for every reading."""
        seg = _back(self.text, whole.q.span[0], SEGMENT_END)
        return [f for f in self._between(seg, whole.q.span[0]) if f.unit == whole.unit and f.q.kind == "count"
                and not _is_change(f) and not _is_rate(f) and not self._nested(f, seg)]

    def _ambiguous(self, whole: _Figure, opener: int) -> bool:
        """Two figures of the whole's unit in the whole's clause before the opener (8起较大事故和1起重大事故):
        which one is split?"""
        cs = _back(self.text, whole.q.span[0], CLAUSE_END)
        ce = _forward(self.text, whole.q.span[1], CLAUSE_END)
        if opener > whole.q.span[0]:
            ce = min(ce, opener)
        return any(f.q is not whole.q and f.unit == whole.unit and f.q.kind == "count" and not _is_change(f)
                   and not self._nested(f, cs) for f in self._between(cs, ce))

    # -- openers
    def _mid(self, start: int, end: int, after_semicolon: bool) -> None:
        text = self.text
        colon = end < len(text) and text[end] in "：:"
        others: list[_Figure] = []
        if after_semicolon:   # W，其中A a，B b；其中C c: a second breakdown of the same whole
            prev = next((b for b in reversed(self.done[-3:])
                         if b.end < start and text[b.end:start].strip("；; ") == ""), None)
            if prev is None:
                return
            whole: Optional[_Figure] = prev.whole_fig
            others = prev.others
        else:
            whole = self._whole_before(start)
            cands = self._candidate_parts(end, _forward(text, end, SEGMENT_END))
            if whole is not None and cands and all(f.unit != whole.unit for f in cands):
                # 接待游客500万人次，实现收入50亿元，其中国内游客480万人次: the whole of the parts' unit
                whole = self._whole_before(start, cands[0].unit)
            if whole is None:
                return
            others = self._other_wholes(whole)
        body = end + (1 if colon else 0)
        if colon:
            self._listing(whole, start, body, others)
        else:
            stop = _forward(text, body, SEGMENT_END)
            notes = []
            if stop < len(text) and text[stop] in "；;":   # say what the clause end left out
                after = [f.q.surface for f in self._between(stop, _forward(text, stop + 1, SEGMENT_END))
                         if f.unit == whole.unit and self._part_kind(f, whole, stop) != "skip"]
                if after:
                    listed = "、".join(after[:4]) + ("…" if len(after) > 4 else "")
                    notes.append(f"the breakdown ends at ；, so {listed} after it: not parts")
            self._add(whole, start, body, stop, notes, others=others)

    def _sentence_initial(self, start: int, end: int) -> None:
        whole = self._whole_of_previous_sentence(start, end)
        if whole is not None:
            body = end + (1 if end < len(self.text) and self.text[end] in "，,：:" else 0)
            self._listing(whole, start, body)

    def _dimension(self, start: int, end: int) -> None:
        """按经营单位所在地分，A a；B b。 after a breakdown of W in the sentence before: a second breakdown of W."""
        prev_start = _back(self.text, start - 1, SENTENCE_END) if start > 0 else 0
        prev = None
        for b in reversed(self.done):
            if b.start < prev_start:
                break
            if b.start < start:
                prev = b
                break
        whole = prev.whole_fig if prev is not None else self._whole_of_previous_sentence(start, end)
        if whole is not None:
            self._listing(whole, start, end)

    def _whole_of_previous_sentence(self, start: int, end: int) -> Optional[_Figure]:
        """The only non-change count of the parts' unit in the sentence before (same paragraph)."""
        text = self.text
        at = _skip_spaces_back(text, start)
        if at == 0 or text[at - 1] == "\n" or text[at - 1] not in SENTENCE_END:
            return None
        prev_start = _back(text, at - 1, SENTENCE_END)
        if text[prev_start:start].lstrip().startswith("其中"):
            return None  # 。其中，A a。其中，B b: is B part of A or of the whole before? not said
        first = next(iter(self._candidate_parts(end, _forward(text, end, SENTENCE_END))), None)
        if first is None:
            return None
        cands = [f for f in self._between(prev_start, at - 1)
                 if f.unit == first.unit and f.q.kind == "count" and not _is_change(f)
                 and not self._nested(f, prev_start)]
        if len(cands) != 1 or _is_rate(cands[0]):
            return None
        return cands[0]

    def _bracketed(self, open_at: int, body: int) -> None:
        """W（其中a，b） or W（含a，b）, or （含a，b）W: a nested breakdown."""
        close = _matching_close(self.text, open_at + 1)
        if close < 0:
            return
        whole = self._figure_ending_at(_skip_spaces_back(self.text, open_at))
        if whole is None:
            i = bisect_left(self.starts, close + 1)
            if i < len(self.qs) and self.text[close + 1:self.qs[i].span[0]].strip() == "":
                whole = self.figs[i]
        if whole is None or _is_change(whole) or _is_rate(whole):
            return
        self._add(whole, open_at, body, close, [])

    # -- parts
    def _part_kind(self, f: _Figure, whole: Optional[_Figure] = None, body: int = 0) -> str:
        """'part', 'skip' (not a part, the breakdown goes on) or 'stop' (another whole or measure begins)."""
        r = _rules()
        own = self.text[max(body, f.q.span[0] - len(f.lead)):f.q.span[0]]  # the lead after the opener
        if f.q.kind == "percent" or _is_change(f) or _is_rate(f) or r.before_value.search(f.label):
            return "skip"
        if whole is not None and f.unit != whole.unit:
            return "skip"
        if _is_total(f) or "其中" in own:
            return "stop"
        if whole is not None and r.stock.search(f.lead) and not r.stock.search(whole.lead):
            return "stop"
        return "part"

    def _collect(self, whole: _Figure, start: int, end: int, notes: list[str]) -> tuple[list[_Figure], bool]:
        """Parts in ``[start, end)`` (figures inside nested brackets left out); True if a stop ended them."""
        parts: list[_Figure] = []
        level = 0   # the separator of the list: 1 for 、, 2 for ，
        for f in self._between(start, end):
            if self._nested(f, start):
                continue
            kind = self._part_kind(f, whole, start)
            if kind == "stop":
                notes.append(f"{f.q.surface} ends the breakdown (a total, a stock or a nested 其中)")
                return parts, True
            if kind == "part":
                if parts:
                    gap = _separator_level(self.text[parts[-1].q.span[1]:f.q.span[0]])
                    if level and gap > level:   # A 2家、B 12家、C 2家，培育D 2家: the 、-list ended at ，
                        notes.append(f"{f.q.surface} stands after the 、-list of parts: not one of them")
                        return parts, True
                    if gap >= 2 and _statement(f) and not _statement(parts[0], start):   # 干部200人，覆盖职工400人
                        notes.append(f"{f.q.surface} begins a new statement ({_head(f)}…): not a part")
                        return parts, True
                    level = level or gap
                parts.append(f)
        return parts, False

    def _listing(self, whole: _Figure, start: int, body: int, others: Sequence[_Figure] = ()) -> None:
        """Items after 其中： / 。其中， / 按…分，: ；-separated single parts, or one ，-separated item."""
        text = self.text
        sent_end = _forward(text, body, SENTENCE_END)
        seg_end = _forward(text, body, SEGMENT_END)
        notes: list[str] = []
        first, stopped = self._collect(whole, body, seg_end, notes)
        if len(first) != 1 or stopped or seg_end >= sent_end:
            self._add(whole, start, body, seg_end, notes, parts=first, others=others)
            return
        parts, end = list(first), seg_end
        while end < sent_end:
            nxt = _forward(text, end + 1, SEGMENT_END)
            item_notes: list[str] = []
            item, stopped = self._collect(whole, end + 1, nxt, item_notes)
            if len(item) == 1 and not stopped and _statement(item[0], end + 1) and not _statement(first[0], body):
                notes.append(f"the breakdown stops before {text[end + 1:nxt][:16]}…: a new statement")
                break
            if len(item) != 1 or stopped:
                if item or stopped:
                    notes.append(f"the breakdown stops before {text[end + 1:nxt][:16]}…: "
                                 + (item_notes[0] if item_notes else f"{len(item)} parts in one ；-item"))
                break
            parts += item
            end = nxt
        self._add(whole, start, body, end, notes, parts=parts, others=others)

    def _add(self, whole: _Figure, start: int, body: int, end: int, notes: list[str],
             parts: Optional[list[_Figure]] = None, others: Sequence[_Figure] = ()) -> None:
        if parts is None:
            parts, _ = self._collect(whole, body, end, notes)
        if not parts:
            return
        if self._ambiguous(whole, start):
            return
        if whole.q.kind != "count":
            return
        self.done.append(_Breakdown(whole.q, whole, start, parts, end, notes, list(others)))


# -- verdicts --------------------------------------------------------------------

def _plain(f: _Figure) -> Optional[str]:
    """None when a part is a plain 'label N unit'; else why it is not (its class may overlap another's)."""
    r = _rules()
    if f.after_figure or regex.search(r"(?<![A-Za-z])\d+(?![A-Za-z\d])", f.label) or r.threshold.search(f.label):
        return f"{f.q.surface} is a threshold class ({f.lead}{f.q.surface})"
    if regex.search(r"\p{Han}", f.tail):
        return f"{f.q.surface} is described after the figure ({f.q.surface}{f.tail})"
    return None


def _failures(whole: Quantity, parts: Sequence[_Figure], summed: bool, exhaustive: bool,
              surf) -> list[str]:
    """What the parts violate against this whole, judged on the intervals the wording admits."""
    w_lo, w_hi = interval(whole)
    bad = []
    for p in parts:
        p_lo = interval(p.q)[0]
        if w_hi is not None and p_lo is not None and p_lo > w_hi:
            bad.append(f"the part {surf(p.q)} alone exceeds the whole {surf(whole)}")
    if summed and len(parts) > 1:
        low = sum((interval(p.q)[0] or Decimal(0) for p in parts), Decimal(0))
        if w_hi is not None and low > w_hi:
            bad.append("the parts add up to more than the whole")
        highs = [interval(p.q)[1] for p in parts]
        if exhaustive and w_lo is not None and None not in highs and sum(highs, Decimal(0)) < w_lo:
            bad.append("the parts, the last one being the rest (其余…), add up to less than the whole")
    return bad


def _judge(norm: NormalizedText, b: _Breakdown) -> InternalCheck:
    """Verdict of one breakdown: no part above the whole; the sum (when summable) not above it; equal when the
    last part is the rest. Contradicted only when no values the wording admits could satisfy the relation, and
    only when that holds whichever figure of the sentence the 其中 refers to."""
    surf = lambda q: norm.original_slice(*q.span)  # noqa: E731
    like = surf(b.whole)
    nominal_whole = to_decimal(b.whole.value)
    notes = list(b.notes)
    why_not = [w for w in (_plain(p) for p in b.parts) if w]
    summed = len(b.parts) == 1 or not why_not
    if not summed:
        notes.append("parts not summed: " + why_not[0])
    exhaustive = summed and len(b.parts) > 1 and bool(_rules().rest.search(b.parts[-1].label))
    bad = _failures(b.whole, b.parts, summed, exhaustive, surf)
    if bad:
        fine = next((o for o in b.others if not _failures(o.q, b.parts, summed, exhaustive, surf)), None)
        if fine is not None:
            notes.append(f"not flagged ({bad[0]}): the 其中 may refer to {surf(fine.q)} earlier in the sentence")
            bad = []
    nominal = sum((to_decimal(p.q.value) or Decimal(0) for p in b.parts), Decimal(0))
    if summed and not exhaustive and len(b.parts) > 1 and nominal_whole is not None and nominal < nominal_whole:
        notes.append("not claimed equal: nothing marks the breakdown as exhaustive (其余…)")
    w_hi = interval(b.whole)[1]
    line = norm.line_col(norm.to_original(*b.whole.span)[0])[0]
    if summed:
        shown = nominal if len(b.parts) > 1 else (to_decimal(b.parts[0].q.value) or Decimal(0))
        if bad:
            rel = "<" if bad[-1].startswith("the parts, the last") else ">"
        elif nominal_whole is not None and shown == nominal_whole:
            rel = "="
        elif nominal_whole is not None and shown > nominal_whole:
            rel = "≈"   # within the rounding or hedging the wording admits, or another reading of 其中
        else:
            rel = "≤"
        expl = (f"{surf(b.whole)} of which {' + '.join(surf(p.q) for p in b.parts)} = {_fmt(shown, like)} "
                f"{rel} {_fmt(nominal_whole, like)}")
        if (rel == "≈" or bad) and w_hi != to_decimal(b.whole.value):
            expl += f" (the whole admits up to {_fmt(w_hi, like)})"
    else:
        worst = max((to_decimal(p.q.value) or Decimal(0) for p in b.parts), default=Decimal(0))
        expl = (f"{surf(b.whole)} of which {', '.join(surf(p.q) for p in b.parts)} (each part, not summed): "
                f"largest {_fmt(worst, like)} {'>' if bad else '≤'} {_fmt(nominal_whole, like)}")
    expl += f" at line {line}"
    if bad:
        expl += " — " + "; ".join(dict.fromkeys(bad))
    start = norm.to_original(*min(b.whole.span, b.parts[0].q.span))[0]   # （含a，b）W: the whole comes last
    end = norm.to_original(*max(b.whole.span, b.parts[-1].q.span))[1]
    return InternalCheck(kind="part_whole", verdict="contradicted" if bad else "consistent", span=(start, end),
                         explanation=expl, whole=surf(b.whole), parts=[surf(p.q) for p in b.parts],
                         note="; ".join(notes) or None)


def part_whole_checks(norm: NormalizedText, quantities: Sequence[Quantity]) -> list[InternalCheck]:
    """One check per 其中 breakdown of the prose (see the module docstring for what is summed and why).

    ``quantities`` are those of ``norm.text`` (``numbers.find_quantities``), spans in the normalised text;
    the checks' spans and surfaces are in the original text.
    """
    return [_judge(norm, b) for b in _Finder(norm.text, quantities).run()]
