"""Check the figures in the prose against the annex table and against themselves.

1. Every quantity in the prose (outside the annex) becomes a :class:`Claim`.
2. A claim is linked to the annex cell it restates when the units are compatible
   and the clause around it covers the cell's label (on jieba tokens), or, for a
   cell with a generic label such as 参与, when it follows a claim linked to the
   cell just before (a 场 claim followed by a 人次 claim). Ties and weak matches
   stay unlinked: a wrong link is worse than none.
3. A linked claim is ``consistent`` when the cell value lies in the interval its
   wording admits (9200多 -> (9200, 9300)), else ``contradicted``.
4. Internal checks: a whole and its parts (共54条次，其中26条次，13条次), and a stated
   count against the list before it (六家单位 with six names; 等 allows fewer).
"""

from __future__ import annotations

import dataclasses
import bisect
import functools
import json
import math
import os
import sys
import types
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Optional

import regex

from .arithmetic import InternalCheck, is_change_or_rate, part_whole_checks
from .frames import typed_frame
from .numbers import Quantity, find_quantities
from .tokens import (
    SENTENCE_BREAK,
    content_tokens,
    meaningful,
    segment,
    segment_cached,
)
from .record import Cell, TableCell
from .table_arithmetic import TableCheck, check_tables
from .genre_check import GenreCheck, check_genre, not_checked_lines
from .tables import bare_label, total_word
from .report import Report, parse
from .resources import data_json

__all__ = ["Claim", "InternalCheck", "CheckResult", "check_report", "check", "units_compatible"]

#: A label covered this much by the claim's context can be linked.
MIN_SCORE = 0.5
#: A grid-table cell needs a closer match: its labels are short and many cells share words.
MIN_TABLE_SCORE = 0.75
#: Column headers that say nothing about what was counted.
GENERIC_COLUMNS = frozenset({"数量", "数值", "数据", "本年", "合计数", "总数", "计"})
#: Units a table without a stated unit may be counting in (a 年报's 件, an activity table's 场 …).
COUNT_UNITS = frozenset({"件", "个", "条", "项", "场", "次", "人", "人次", "家", "起", "篇", "份", "期"})
#: A total word ending a row label: 工矿商贸小计 names 工矿商贸.
TOTAL_SUFFIX = regex.compile(r"(?:小计|合计|总计|共计|总数)$")
#: Words before a figure that say it is a total (共检查…, 累计…, 全年合计…).
TOTAL_CUE = regex.compile(r"共|累计|合计|总计|总数|全年|全市|全区|全县|全省|全部")
#: Scores closer than this are a tie: the claim stays unlinked.
TIE_MARGIN = 0.05
#: Without a near-certain label match, a cell more than this factor away from the claim is not it.
MAX_RATIO = 10.0

CLAUSE_BREAK = "，；。！？\n,;:："


@functools.lru_cache(maxsize=4096)
def units_compatible(a: Optional[str], b: Optional[str]) -> bool:
    """Same unit, or units of one group in ``data/unit_groups.json`` (场/场次, 人次/人, 个/条 …)."""
    if not a or not b:
        return False
    if a == b:
        return True
    return any(a in g and b in g for g in data_json("unit_groups.json")["groups"])


def _fmt(x: float | int | None) -> str:
    if x is None:
        return "∞"
    if isinstance(x, (int, Decimal)):       # exact, at any size (float() of a huge int overflows)
        return str(x)
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def admits_text(q: Quantity) -> str:
    """The admitted interval for people: '112746', '(9200, 9300)', '(780000, ∞)'."""
    lo, hi = q.admits
    if lo is not None and lo == hi:
        return _fmt(lo)
    left = "(" if lo is None else q.bounds[0]
    return f"{left}{'-∞' if lo is None else _fmt(lo)}, {_fmt(hi)}{')' if hi is None else q.bounds[1]}"


#: ``CheckResult.to_frame(kind=...)``.
FRAME_KINDS = ("claims", "all", "contradicted")
#: Columns of ``CheckResult.to_frame()`` (one row per prose figure).
CLAIM_FRAME_COLUMNS = ["surface", "start", "end", "line", "column", "value", "qualifier", "unit", "low", "high",
                       "bounds", "cell", "key", "cell_value", "cell_unit", "verdict", "expected", "found",
                       "explanation", "context", "table"]
#: Columns of ``CheckResult.to_frame(kind="all")``: ``kind`` first, ``note`` (what an internal check left out) last.
ALL_FRAME_COLUMNS = ["kind", *CLAIM_FRAME_COLUMNS, "note"]
#: Whole-number columns of those frames (typed Int64 even when no row has a value).
FRAME_INTS = {c: "Int64" for c in ("start", "end", "line", "column", "cell", "table")}


def _with_unit(text: str, unit: Optional[str]) -> str:
    return f"{text} {unit}" if unit else text


@dataclass
class Claim:
    """A figure stated in the prose; ``span`` indexes the original text."""

    quantity: Quantity            # as found in the normalised text
    surface: str
    span: tuple[int, int]
    line: int
    column: int
    context: str                  # the clause that says what was counted
    cell: Optional[int] = None    # index into record.annex.cells
    cell_key: Optional[str] = None
    table: Optional[int] = None   # the grid table of the cell (None: the annex)
    score: float = 0.0
    link: Optional[str] = None    # "label" | "pair"
    verdict: Optional[str] = None  # "consistent" | "contradicted" | None when unlinked
    explanation: str = ""

    @property
    def value(self):
        return self.quantity.value

    def to_dict(self) -> dict[str, Any]:
        q = self.quantity
        return {"surface": self.surface, "span": list(self.span), "value": q.value, "qualifier": q.qualifier,
                "unit": q.unit, "admits": list(q.admits), "bounds": q.bounds, "kind": q.kind,
                "cell": self.cell, "cell_key": self.cell_key, "table": self.table, "verdict": self.verdict,
                "line": self.line, "column": self.column, "context": self.context,
                "explanation": self.explanation}


@dataclass
class CheckResult:
    """Outcome of :func:`check_report`: linked claims, unlinked figures, internal checks, unmentioned cells."""

    report: Report = field(repr=False)
    claims: list[Claim]
    unlinked: list[Claim]
    internal_checks: list[InternalCheck]
    unmentioned_cells: list[int]
    table_checks: list[TableCheck] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    genre_checks: list[GenreCheck] = field(default_factory=list)

    @property
    def contradicted(self) -> list[Claim | InternalCheck | TableCheck | GenreCheck]:
        """Everything that disagrees: claims against cells, failed internal checks, table arithmetic and the
        genre's rules and statements."""
        return [c for c in self.claims if c.verdict == "contradicted"] + \
               [c for c in self.internal_checks if c.verdict == "contradicted"] + \
               [c for c in self.table_checks if c.verdict == "contradicted"] + \
               [c for c in self.genre_checks if c.verdict == "contradicted"]

    @property
    def questionable(self) -> list[GenreCheck]:
        """Qualitative claims the tables refute (全部维持 with 纠正 cases): worth a look, not contradictions."""
        return [c for c in self.genre_checks if c.verdict == "questionable"]

    @property
    def ok(self) -> bool:
        """Nothing disagrees. Not the same as "all checked": see :attr:`outcome` and :attr:`not_checked`."""
        return not self.contradicted

    @property
    def outcome(self) -> str:
        """``contradicted``; ``unchecked`` when nothing could be checked at all (no link, no internal or
        table check); ``partial`` when some checks ran but :attr:`not_checked` says what did not; else
        ``consistent``."""
        if self.contradicted:
            return "contradicted"
        if not self.claims and not self.internal_checks and not self.table_checks and \
                not any(c.verdict != "not_checked" for c in self.genre_checks):
            return "unchecked"
        return "partial" if self.not_checked else "consistent"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.report.source.name,
            "outcome": self.outcome,
            "not_checked": self.not_checked,
            "claims": [c.to_dict() for c in self.claims],
            "unlinked_quantities": [{"surface": c.surface, "span": list(c.span), "value": c.value,
                                     "unit": c.quantity.unit, "context": c.context} for c in self.unlinked],
            "internal_checks": [c.to_dict() for c in self.internal_checks],
            "table_checks": [c.to_dict() for c in self.table_checks],
            "genre_checks": [c.to_dict() for c in self.genre_checks],
            "unmentioned_cells": self.unmentioned_cells,
        }

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, default=str)  # Decimal: exact text

    def to_frame(self, kind: str = "claims"):
        """The checks as a DataFrame (column types as everywhere in reportmine: see the README).

        ``kind="claims"`` (default): one row per prose figure, linked or not, with the cell it restates, the
        ``verdict`` (``consistent``, ``contradicted`` or ``unlinked``: no cell restated) and its ``explanation``.
        ``kind="all"``: those rows and one per internal check (``part_whole``, ``enumeration``) and table check
        (``total_column``, ``total_row``, ``part_row``, ``stated_rule``), told apart by ``kind``, each with
        ``expected``, ``found``, ``explanation`` and line:column. ``kind="contradicted"``: the rows of ``all``
        that disagree.
        """
        if kind not in FRAME_KINDS:
            raise ValueError(f"kind must be one of {', '.join(FRAME_KINDS)}, not {kind!r}")
        cells = check_cells(self.report)
        rows = []
        for c in sorted(self.claims + self.unlinked, key=lambda c: c.span):
            q = c.quantity
            cell = cells[c.cell] if c.cell is not None else None
            rows.append({"kind": "claim", "surface": c.surface, "start": c.span[0], "end": c.span[1],
                         "line": c.line, "column": c.column,
                         "value": q.value, "qualifier": q.qualifier, "unit": q.unit,
                         "low": q.admits[0], "high": q.admits[1], "bounds": q.bounds,
                         "cell": c.cell, "key": c.cell_key, "cell_value": cell.value if cell else None,
                         "cell_unit": cell.unit if cell else None, "verdict": c.verdict or "unlinked",
                         "expected": _with_unit(admits_text(q), q.unit),
                         "found": _with_unit(_fmt(cell.value), cell.unit) if cell is not None and
                         cell.value is not None else None,
                         "explanation": c.explanation or "no table cell restates this figure",
                         "context": c.context, "table": c.table})
        seen = {(r["start"], r["end"]) for r in rows}
        for g in self.genre_checks:     # prose figures the genre's statements checked (no generic link)
            if g.kind in ("statement", "percent") and g.verdict != "not_checked" and g.span not in seen:
                rows.append({"kind": "claim", "surface": g.stated, "start": g.span[0], "end": g.span[1],
                             "line": g.line, "column": g.column, "key": g.cells[0] if g.cells else None,
                             "verdict": g.verdict, "expected": g.stated, "found": g.expected,
                             "explanation": g.explanation, "context": f"genre {g.kind} {g.id}"})
        rows.sort(key=lambda r: (r["start"], r["end"]))
        if kind == "claims":
            return typed_frame(rows, CLAIM_FRAME_COLUMNS, FRAME_INTS)   # huge ints and Decimals stay exact (object)
        norm = self.report.norm
        for ic in self.internal_checks:
            line, col = norm.line_col(ic.span[0])
            if ic.kind == "part_whole":
                expected, found = ic.whole, " + ".join(ic.parts)
            else:
                expected, found = ic.count, f"{ic.listed} listed: {'、'.join(ic.items)}"
            rows.append({"kind": ic.kind, "surface": norm.original[ic.span[0]:ic.span[1]], "start": ic.span[0],
                         "end": ic.span[1], "line": line, "column": col, "verdict": ic.verdict,
                         "expected": expected, "found": found, "explanation": ic.explanation, "note": ic.note})
        for tc in self.table_checks:
            rows.append({"kind": tc.kind, "surface": norm.original[tc.span[0]:tc.span[1]], "start": tc.span[0],
                         "end": tc.span[1], "line": tc.line, "column": tc.column, "verdict": tc.verdict,
                         "key": tc.total, "table": tc.table, "expected": tc.expected, "found": tc.found,
                         "explanation": tc.explanation})
        for g in self.genre_checks:     # the genre's rules, (already listed) statements and claims
            if g.kind in ("statement", "percent") and g.verdict != "not_checked" and g.span not in seen:
                continue
            rows.append({"kind": f"genre_{g.kind}", "surface": norm.original[g.span[0]:g.span[1]] or g.id,
                         "start": g.span[0], "end": g.span[1], "line": g.line, "column": g.column,
                         "verdict": g.verdict, "key": g.cells[0] if g.cells else None, "expected": g.expected,
                         "found": g.stated, "explanation": g.explanation})
        rows.sort(key=lambda r: (r["start"], r["end"]))
        if kind == "contradicted":
            rows = [r for r in rows if r["verdict"] == "contradicted"]
        return typed_frame(rows, ALL_FRAME_COLUMNS, FRAME_INTS)

    def to_text(self) -> str:
        out = [f"{self.report.source.name}: {len(self.claims)} prose figures restate table cells, "
               f"{len(self.contradicted)} contradicted"]
        out += [f"NOT CHECKED: {reason}" for reason in self.not_checked]
        for c in self.claims:
            mark = "OK " if c.verdict == "consistent" else "BAD"
            out.append(f"  {mark} {c.explanation}")
        if self.internal_checks:
            out.append("internal checks:")
            out += [f"  {'OK ' if c.verdict == 'consistent' else 'BAD'} {c.explanation}" for c in self.internal_checks]
        bad_tables = [c for c in self.table_checks if c.verdict == "contradicted"]
        if self.table_checks:
            out.append(f"table arithmetic: {len(self.table_checks)} totals and stated relations checked, "
                       f"{len(bad_tables)} disagree")
            out += [f"  BAD {c.explanation}" for c in bad_tables]
        if self.genre_checks:
            g = self.report.record.genre
            ran = [c for c in self.genre_checks if c.verdict != "not_checked"]
            out.append(f"genre {g.genre} ({g.template or 'no template'}): {len(ran)} rules, statements and claims "
                       f"checked, {sum(c.verdict == 'contradicted' for c in ran)} disagree, "
                       f"{len(self.questionable)} questionable")
            marks = {"contradicted": "BAD", "questionable": "???"}
            out += [f"  {marks[c.verdict]} {c.explanation}" for c in self.genre_checks if c.verdict in marks]
            out += [f"  OK  {c.explanation}" for c in self.genre_checks
                    if c.verdict == "consistent" and c.kind != "rule"]
        if self.unlinked:
            out.append(f"figures with no annex cell ({len(self.unlinked)}): " + "、".join(c.surface for c in self.unlinked))
        if self.unmentioned_cells:
            out.append(f"annex cells the prose never restates: {len(self.unmentioned_cells)}")
        return "\n".join(out)

    def __repr__(self) -> str:
        return (f"<CheckResult {self.report.source.name} {self.outcome}: {len(self.claims)} linked claims, "
                f"{len(self.contradicted)} contradicted, {len(self.unlinked)} unlinked, "
                f"{len(self.internal_checks)} internal checks>")

    def _repr_html_(self) -> str:
        """The verdict first, then what disagrees (linked into the text), the other checks on demand and the
        text with every figure marked; the cell and row of a figure light up under the pointer."""
        from .display import check_html

        return check_html(self, check_cells(self.report), admits_text)


# -- finding claims ------------------------------------------------------------

#: How far a sentence or clause reaches on each side of a figure: a "sentence" of thousands of characters
#: without a full stop (a list pasted as one line) is read as a window around the figure, so the cost of
#: checking stays linear in the text.
REACH = 400


@functools.lru_cache(maxsize=16)
def _break_patterns(breaks: str) -> tuple[regex.Pattern, regex.Pattern]:
    """The last and the first of the ``breaks`` characters in a stretch (searched backwards, forwards)."""
    one = f"[{''.join(map(regex.escape, breaks))}]"
    return regex.compile(one, regex.REVERSE), regex.compile(one)


def _bounded(text: str, pos: int, end: int, breaks: str, reach: int = REACH) -> tuple[int, int]:
    """The stretch around ``[pos, end)`` between the nearest break characters, at most ``reach`` characters
    on each side (cut at the last break within reach when there is one)."""
    lo, hi = max(0, pos - reach), min(len(text), end + reach)
    back, ahead = _break_patterns(breaks)
    m = back.search(text, lo, pos)
    s = lo if m is None else m.end()
    if s == lo and lo > 0:          # no break within reach: start at the first clause within reach
        cuts = [i for i in (text.find(ch, lo, pos) for ch in "，；,;") if i >= 0]
        s = min(cuts) + 1 if cuts else lo
    m = ahead.search(text, end, hi)
    e = hi if m is None else m.start()
    if e == hi and hi < len(text):  # and end with the last clause within reach
        e = max(max(text.rfind(ch, end, hi) for ch in "，；,;"), end) if any(ch in text[end:hi] for ch in "，；,;") \
            else hi
    return s, e


def _prose_quantities(report: Report) -> list[Quantity]:
    """Quantities of the normalised text outside the annex and every table: their numbers are cells,
    not prose figures."""
    norm, layout = report.norm, report.layout
    skip: list[tuple[int, int]] = []
    if layout.annex is not None:
        skip.append((layout.lines[layout.annex[0]].start, layout.lines[layout.annex[1] - 1].end))
    if report.document_model is not None:
        skip += [t.span for t in report.document_model.tables]
    out: list[Quantity] = []
    pos = 0
    for a0, a1 in sorted(skip) + [(len(norm.text), len(norm.text))]:
        if a0 > pos:
            out += [dataclasses.replace(q, span=(q.span[0] + pos, q.span[1] + pos))
                    for q in find_quantities(norm.text[pos:a0])]
        pos = max(pos, a1)
    return out


def _claim(report: Report, q: Quantity) -> Claim:
    norm = report.norm
    s, e = norm.to_original(*q.span)
    line, col = norm.line_col(s)
    cs, ce = _bounded(norm.text, q.span[0], q.span[1], CLAUSE_BREAK)
    return Claim(quantity=q, surface=norm.original[s:e], span=(s, e), line=line, column=col,
                 context=norm.text[cs:ce])


# -- linking -------------------------------------------------------------------

@dataclass
class _CellProfile:
    """A cell a prose figure may restate: an annex cell (``table`` None) or a grid-table cell."""

    index: int                      # annex cells first, then the tables' cells (see :func:`check_cells`)
    cell: Any                       # record.Cell or record.TableCell
    tokens: frozenset[str]
    generic: bool
    table: Optional[int] = None
    total: bool = False             # a 总计/合计 cell (row or column): what a prose total restates
    row_total: bool = False         # a 合计 row or a block's sum: the total of rows
    row_tokens: frozenset[str] = frozenset()   # a table cell's own row label, to tell which row a clause names
    grand_total: bool = False       # the table's 合计 row × 合计 column: what 全县共…N人次 restates
    caption_tokens: frozenset[str] = frozenset()   # what the cell's table is about (its caption's words)


def check_cells(report: Report) -> list:
    """The cells claims link to, in index order: the annex's cells, every table's numeric cells, then the
    sums of table blocks that state no total of their own (``status="sum"``)."""
    table_cells = [c for t in report.record.tables for c in t.cells]
    return [*report.record.annex.cells, *table_cells, *block_sums(report.record.tables)]


def block_sums(tables) -> list[TableCell]:
    """The total of each block of rows (a row header with two or more rows under it, such as
    （三）不予公开 with its eight reasons) that has no 合计/总计 row of its own, per column: a prose total
    restates the block, not its first row. Only blocks whose cells are all numbers (or blanks) of one unit."""
    out = []
    rows: dict[tuple[str, ...], dict[tuple[str, ...], TableCell]] = {}
    for t in tables:   # across tables: a converted table may come in pieces (the 年报's 三、本年度办理结果)
        for c in t.cells:
            rows.setdefault(tuple(c.row), {})[tuple(c.col)] = c
    paths = list(rows)
    if paths:
        for depth in range(1, max((len(p) for p in paths), default=0)):
            for parent in dict.fromkeys(p[:depth] for p in paths if len(p) > depth):
                children = [p for p in paths if p[:depth] == parent and len(p) > depth]
                if len(children) < 2 or parent in rows or any(total_word(p[depth]) for p in children) \
                        or any(q[:len(p)] == p and q != p for p in children for q in children):
                    continue
                for col in dict.fromkeys(k for p in children for k in rows[p]):
                    cells = [rows[p].get(col) for p in children]
                    if any(c is None or c.status == "unreadable" or c.unit == "%" for c in cells) or \
                            len({c.unit for c in cells}) > 1 or all(c.value is None for c in cells):
                        continue
                    total = sum((Decimal(str(c.value)) for c in cells if c.value is not None), Decimal(0))
                    value = int(total) if total == total.to_integral_value() else float(total)
                    key = "/".join(bare_label(x) for x in parent) + "|" + "/".join(bare_label(x) for x in col)
                    out.append(TableCell.trusted(table=cells[0].table, key=f"{key}|sum", row=list(parent),
                                                 col=list(col), value=value, unit=cells[0].unit, raw="", status="sum",
                                                 span=(cells[0].span[0], cells[-1].span[1])))
    return out


@functools.lru_cache(maxsize=8192)
def _canonical(tokens: frozenset[str]) -> frozenset[str]:
    """Tokens with synonyms mapped to one form (``data/label_words.json``): 收到 and 新收 match."""
    table = _synonyms()
    return frozenset(table.get(t, t) for t in tokens)


@functools.lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    return {w: group[0] for group in data_json("label_words.json")["synonyms"] for w in group}


#: A period a row of a 分月/分季度 table is labelled with, and the same period named in prose.
PERIOD = regex.compile(r"(?<!\d)(?P<m>1[0-2]|0?[1-9])\s*月份?|第?(?P<q>[一二三四1-4])\s*季度|(?P<h>[上下])\s*半年")
#: Words that point back at the period named before: 当月开展宣讲活动1276场 after 6月…期间.
PERIOD_BACK = regex.compile(r"当月|该月|同月|本月|当季|该季度|同期")
_QUARTERS = {"一": "1", "二": "2", "三": "3", "四": "4"}


def _period_token(m: regex.Match[str]) -> str:
    if m.group("m"):
        return f"@{int(m.group('m'))}月"
    if m.group("q"):
        return f"@Q{_QUARTERS.get(m.group('q'), m.group('q'))}"
    return f"@H{'1' if m.group('h') == '上' else '2'}"


@functools.lru_cache(maxsize=8192)
def _label_period(label: str) -> frozenset[str]:
    """The period a row label is, when it is nothing but one (``6　月``, ``第二季度``, ``上半年``)."""
    m = PERIOD.fullmatch(bare_label(label))
    return frozenset({_period_token(m)}) if m else frozenset()


def _prose_periods(text: str, start: int, end: int, paragraph_start: int) -> frozenset[str]:
    """Periods named in ``text[start:end]``; 当月/该月… stand for the last period named before, in the paragraph."""
    found = {_period_token(m) for m in PERIOD.finditer(text, start, end) if not _in_date(text, m)}
    if PERIOD_BACK.search(text, start, end):
        last = None
        for m in PERIOD.finditer(text, paragraph_start, start):
            if not _in_date(text, m):
                last = m
        if last is not None:
            found.add(_period_token(last))
    return frozenset(found)


def _in_date(text: str, m: regex.Match[str]) -> bool:
    """A month inside a full date (2024年6月3日) or a span of months (4-6月) is not a row's period."""
    before = text[max(0, m.start() - 1):m.start()]
    after = text[m.end():m.end() + 1]
    return bool(m.group("m")) and (before in ("年", "-", "—", "至", "~", "～") or after == "日" or after.isdigit())


#: A column header that only numbers the data columns (数据1, 数据2).
_NUMBERED_DATA_COLUMN = regex.compile(r"^数据\d+$")


def _table_label_tokens(cell, stop: frozenset[str]) -> tuple[frozenset[str], bool]:
    """Tokens of a table cell's deepest row label and its non-total column labels (``stop``: units and label
    stop words, left out); and whether it is a total."""
    row = [bare_label(x) for x in cell.row]
    col = [bare_label(x) for x in cell.col]
    total = any(total_word(x) for x in cell.row + cell.col)
    words = [row[-1]] if row else []
    if row and total_word(row[-1]):   # 工矿商贸小计 names 工矿商贸; （七）总计 under 三 names 三
        named = TOTAL_SUFFIX.sub("", row[-1])
        words = [named] if named else ([row[-2]] if len(row) > 1 else [])
    period = _label_period(row[-1]) if row else frozenset()
    if period:
        words = words[1:]
    words += [x for x in col if not total_word(x) and x not in GENERIC_COLUMNS and not _NUMBERED_DATA_COLUMN.match(x)]
    tokens = frozenset().union(*(content_tokens(w, drop=stop) for w in words)) if words else frozenset()
    return _canonical(tokens) | period, total


def _idf(profiles: list[_CellProfile]) -> dict[str, float]:
    """Weight of each label token among a document's table cells: a word every row shares says little."""
    labels = {p.tokens for p in profiles if p.table is not None}
    df: dict[str, int] = {}
    for toks in labels:
        for t in toks:
            df[t] = df.get(t, 0) + 1
    n = max(len(labels), 1)
    return {t: math.log(1 + n / d) for t, d in df.items()}


def _weighted_coverage(label: frozenset[str], context: frozenset[str], weights: dict[str, float]) -> float:
    common = label & context
    if not common:
        return 0.0          # most cells share no word with a figure's clause
    total = sum(weights.get(t, 1.0) for t in label)
    return sum(weights.get(t, 1.0) for t in common) / total if total else 0.0


def _profiles(cells: list[Cell], tables: list = (), sums: Optional[list] = None) -> list[_CellProfile]:
    """Label tokens per cell; a label shared by several cells (参与) or with no content is generic."""
    units = frozenset(u for g in data_json("unit_groups.json")["groups"] for u in g)
    counts: dict[str, int] = {}
    for c in cells:
        counts[c.label] = counts.get(c.label, 0) + 1
    out = []
    for i, c in enumerate(cells):
        toks = content_tokens(c.label, drop=units)
        out.append(_CellProfile(i, c, toks, generic=not toks or counts[c.label] > 1))
    seen: dict[frozenset[str], int] = {}
    table_profiles = []
    stop = units | frozenset(data_json("label_words.json")["stop"])
    captions = {t.index: t.caption for t in tables}
    for c in [*(c for t in tables for c in t.cells), *(block_sums(tables) if sums is None else sums)]:
        toks, total = _table_label_tokens(c, stop)
        total = total or c.status == "sum"
        seen[toks] = seen.get(toks, 0) + 1
        own = TOTAL_SUFFIX.sub("", bare_label(c.row[-1])) if c.row else ""
        row_tokens = (_label_period(own) or _canonical(content_tokens(own, drop=stop))) if own else frozenset()
        row_total = c.status == "sum" or bool(c.row and total_word(c.row[-1]))
        grand = bool(c.row and c.col) and c.status != "sum" and all(total_word(x) for x in [c.row[-1], c.col[-1]]) \
            and not toks
        caption = captions.get(c.table) or ""
        table_profiles.append(_CellProfile(len(out) + len(table_profiles), c, toks, generic=not toks,
                                           table=c.table, total=total, row_tokens=row_tokens, row_total=row_total,
                                           grand_total=grand,
                                           caption_tokens=_canonical(content_tokens(caption, drop=stop))
                                           if grand else frozenset()))
    for p in table_profiles:   # two cells with the same words (a label repeated in two tables) are ambiguous
        p.generic = p.generic or seen[p.tokens] > 1
    return out + table_profiles


def _coverage(label: frozenset[str], context: frozenset[str]) -> float:
    return len(label & context) / len(label) if label else 0.0


def _plausible(q: Quantity, cell: Cell, score: float) -> bool:
    return _plausible_value(q, cell.value, score)


def _plausible_value(q: Quantity, value, score: float) -> bool:
    if value is None or q.value is None:
        return False
    if score >= 0.9 or value == 0 or q.value == 0:
        return True
    low, high = sorted((Fraction(value), Fraction(q.value)))   # exact: ints of any size, Decimals
    return high <= max(low, Fraction(1, 10 ** 9)) * Fraction(MAX_RATIO)


#: A table unit with a magnitude: 484.9 in a 万元 column is 4849000 元 in the prose's terms.
MAGNITUDES = {"万": 10 ** 4, "亿": 10 ** 8}


def cell_value_unit(cell) -> tuple:
    """A cell's value and unit as prose quantities state them (万元 -> 元 with the value × 10⁴)."""
    unit, value = cell.unit, cell.value
    if unit and len(unit) >= 2 and unit[0] in MAGNITUDES and value is not None:
        scaled = Decimal(str(value)) * MAGNITUDES[unit[0]]
        return (int(scaled) if scaled == scaled.to_integral_value() else float(scaled)), unit[1:]
    return value, unit


def _clause_tokens(text: str, sentence: tuple[int, int], clause: tuple[int, int]) -> frozenset[str]:
    """Content tokens of a clause, cut from its sentence's tokens (cached per sentence): jieba splits at
    punctuation, so the clause's own cut would be the same words."""
    pos, inside = sentence[0], []
    for tok in segment_cached(text[sentence[0]:sentence[1]]):
        if pos >= clause[0] and pos + len(tok) <= clause[1]:
            inside.append(tok)
        pos += len(tok)
    return meaningful(inside)


def _own_sentence_tokens(text: str, sentence: tuple[int, int], span: tuple[int, int],
                         figures: list[tuple[int, int]]) -> frozenset[str]:
    """Content tokens of the sentence, leaving out the clauses after the figure's own that state figures of
    their own: in 共培训8635人次，其中企业主要负责人312人次、… the words of the 其中 clause belong to 312, not
    to 8635. Clauses before it stay: 共检查危险化学品企业168家，工贸企业642家 shares its verb."""
    ss, se = sentence
    keep: list[str] = []
    pos = ss
    while pos < se:
        cs, ce = _bounded(text, pos, pos, CLAUSE_BREAK)
        ce = min(max(ce, pos + 1), se)
        i = bisect.bisect_left(figures, (cs, -1))
        own = cs <= span[0] < ce
        if own or ce <= span[0] or not any(cs <= f[0] < ce for f in figures[i:i + 8] if f != span):
            keep.append(text[cs:ce])
        pos = ce + 1
    return content_tokens("，".join(keep))


def _candidates(report: Report, claim: Claim, profiles: list[_CellProfile],
                previous: Optional[Claim], weights: dict[str, float],
                figures: list[tuple[int, int]] = ()) -> list[tuple[float, int, str]]:
    """(score, cell index, how) for every cell the claim could restate."""
    q = claim.quantity
    text = report.norm.text
    ss, se = _bounded(text, q.span[0], q.span[1], SENTENCE_BREAK)
    sentence = content_tokens(text[ss:se])
    clause_span = _bounded(text, q.span[0], q.span[1], CLAUSE_BREAK)
    clause = _clause_tokens(text, (ss, se), clause_span)
    out = []
    has_tables = bool(profiles) and profiles[-1].table is not None   # table cells come after the annex's
    canon_clause = canon_sentence = before = canon_lead = frozenset()
    named_rows: set[int] = set()
    total_cue = False
    if has_tables:
        canon_clause = _canonical(clause)
        canon_sentence = _canonical(_own_sentence_tokens(text, (ss, se), q.span, list(figures)) if figures
                                    else sentence)
        before = _canonical(_clause_tokens(text, (ss, se), (ss, q.span[1])))
        # the words since the previous figure of the clause: 其中企业主要负责人 [312人次]、安全管理人员 [918人次]
        lead_start = clause_span[0]
        i = bisect.bisect_left(figures, (q.span[0], -1))
        if i > 0 and figures[i - 1][1] > clause_span[0]:
            lead_start = figures[i - 1][1]
        canon_lead = _canonical(_clause_tokens(text, (ss, se), (lead_start, q.span[0])))
        clause_before = _canonical(_clause_tokens(text, (ss, se), (clause_span[0], q.span[0])))
        paragraph_start = max(text.rfind("\n", 0, ss) + 1, ss - 400)
        periods = _prose_periods(text, ss, q.span[0], paragraph_start)
        if periods:   # 6月 / 当月 before the figure names the row of a 分月 table
            before, canon_sentence = before | periods, canon_sentence | periods
            canon_clause = canon_clause | _prose_periods(text, clause_span[0], q.span[0], paragraph_start)
            canon_lead = canon_lead | _prose_periods(text, lead_start, q.span[0], paragraph_start)
            clause_before = clause_before | _prose_periods(text, clause_span[0], q.span[0], paragraph_start)
        named_rows = {p.table for p in profiles if p.table is not None and not p.row_total and p.row_tokens
                      and p.row_tokens <= before}
        total_cue = bool(TOTAL_CUE.search(text[ss:q.span[0]]))
    paired_cell = None
    previous_row = None
    if previous is not None and previous.cell is not None:
        ps = _bounded(text, previous.quantity.span[0], previous.quantity.span[1], SENTENCE_BREAK)
        if ps == (ss, se) or (text[ps[1]: ps[1] + 1] == "；" and ps[1] + 1 == ss):
            paired_cell = previous.cell + 1
            prev = profiles[previous.cell] if previous.cell < len(profiles) else None
            if prev is not None and prev.table is not None and prev.cell.status != "sum" and \
                    not any(ch in "。！？；" for ch in text[previous.quantity.span[1]:q.span[0]]):
                previous_row = (prev.table, tuple(prev.cell.row))
    next_in_row = None
    if previous_row is not None:   # the first cell to the right of the previous figure's cell, in units of this one
        prev_cell = profiles[previous.cell].cell
        row = [p for p in profiles if p.table == previous_row[0] and tuple(p.cell.row) == previous_row[1]
               and p.cell.status != "sum"]
        after = row[row.index(profiles[previous.cell]) + 1:] if profiles[previous.cell] in row else []
        next_in_row = next((p.index for p in after if p.cell.value is not None and p.cell.col != prev_cell.col
                            and units_compatible(q.unit, cell_value_unit(p.cell)[1])), None)
    for p in profiles:
        if p.table is not None:
            if p.cell.value is None:
                continue
            value, unit = cell_value_unit(p.cell)
            if p.index == next_in_row:   # 开展X活动486场，参与15203人次: the same row, the next column
                out.append((1.2, p.index, "pair"))  # (its label may score higher still, below)
            if p.grand_total and total_cue and p.caption_tokens & canon_clause and q.unit == unit \
                    and not any(x.row_tokens & before for x in profiles if x.table == p.table and not x.row_total):
                # 全县共培训各类人员8635人次: the table's 合计 × 合计, when the clause says what the table counts
                # (a word of its caption) and names none of its rows
                score = 0.9 + (0.02 if q.contains(value) else 0.0)
                if _plausible_value(q, value, score):
                    out.append((score, p.index, "table"))
                continue
            if p.generic or (p.row_total and not p.row_tokens and not total_cue):
                continue   # a bare 合计 row is what the prose calls 共/累计/全区…, not any figure of its column
            if not p.row_total and p.cell.row and (not p.row_tokens or not p.row_tokens & (canon_sentence | before)):
                continue   # the row must be named too: 其他 or a row the sentence never mentions is not it
            # the words since the previous figure, with the row named earlier in the clause:
            # 当月开展宣讲活动1276场、应急演练1043场 — 应急演练 in 6月's row
            lead = _weighted_coverage(p.tokens, canon_lead | (p.row_tokens & clause_before), weights)
            score = max(_weighted_coverage(p.tokens, canon_clause, weights),
                        0.8 * _weighted_coverage(p.tokens, canon_sentence, weights),
                        lead + (0.1 if lead >= 0.999 else 0.0))
            if lead < 0.999 and p.row_tokens and p.row_tokens <= canon_lead and p.tokens <= before:
                score += 0.1   # the row named right before the figure, the rest earlier: 罚款…，其中工矿商贸行业355.0万元
            same_unit = q.unit == unit or (unit is None and q.unit in COUNT_UNITS)
            if not same_unit and not (units_compatible(q.unit, unit) and p.row_tokens and p.row_tokens <= canon_clause):
                continue   # 人 for a 人次 column only when the clause names the row: persons are not attendances
            score += 0.1 if same_unit else 0.0
            if p.row_total:   # a prose total restates the block's total — unless the sentence names one of its rows
                score += -0.2 if p.table in named_rows else (0.05 if total_cue else 0.0)
            else:
                if p.total:
                    score += 0.03   # the row's 总计 column rather than one of its parts
                if p.row_tokens and p.row_tokens <= canon_clause:
                    score += 0.05
            if q.contains(value):
                score += 0.02   # tie-break only
            if score >= MIN_TABLE_SCORE and _plausible_value(q, value, score):
                out.append((score, p.index, "table"))
            continue
        if not units_compatible(q.unit, p.cell.unit):
            continue
        if p.index == paired_cell and p.generic and previous.cell < len(profiles) and \
                profiles[previous.cell].table is None and p.cell.item == profiles[previous.cell].cell.item:
            out.append((1.2, p.index, "pair"))
            continue
        if p.generic:
            continue
        score = max(_coverage(p.tokens, clause), 0.8 * _coverage(p.tokens, sentence))
        if q.unit == p.cell.unit:
            score += 0.1
        if p.cell.value is not None and q.contains(p.cell.value):
            score += 0.02   # tie-break only
        if score >= MIN_SCORE and (not _linkable(p.cell) or _plausible(q, p.cell, score)):
            out.append((score, p.index, "label"))   # an unreadable cell still claims its figure (see _link)
    best: dict[int, tuple[float, int, str]] = {}
    for cand in out:   # a cell found two ways (its label and the pair rule) is one candidate, not a tie
        if cand[1] not in best or cand[0] > best[cand[1]][0]:
            best[cand[1]] = cand
    return sorted(best.values(), reverse=True)


def _link(report: Report, claims: list[Claim]) -> None:
    sums = block_sums(report.record.tables)
    cells = [*report.record.annex.cells, *(c for t in report.record.tables for c in t.cells), *sums]
    profiles = _profiles(report.record.annex.cells, report.record.tables, sums)
    weights = _idf(profiles)
    previous: Optional[Claim] = None
    quantities = [c.quantity for c in claims]
    figures = sorted(q.span for q in quantities)
    for i, claim in enumerate(claims):
        if claim.quantity.kind not in ("count",) or claim.quantity.unit is None or \
                is_change_or_rate(report.norm.text, quantities, i):
            previous = claim
            continue   # 比年初增加214人, 人均…: a change or a rate restates no count of a table
        cands = _candidates(report, claim, profiles, previous, weights, figures)
        if cands and (len(cands) == 1 or cands[0][0] - cands[1][0] >= TIE_MARGIN):
            score, idx, how = cands[0]
            if not _linkable(cells[idx]):
                previous = claim
                continue    # the figure restates a cell that could not be read: no link, and none elsewhere
            claim.cell, claim.cell_key, claim.score, claim.link = idx, cells[idx].key, score, how
            _judge(claim, cells[idx])
        previous = claim
    _drop_outscored_contradictions(claims)


def _linkable(cell: Cell) -> bool:
    """A cell a prose figure may be linked to: it holds a value and its row kept its alignment (cells of
    other kinds, without ``aligned``, are placed by their table)."""
    return cell.value is not None and getattr(cell, "aligned", True)


def _drop_outscored_contradictions(claims: list[Claim]) -> None:
    """A figure that disagrees with a cell another figure restates better is not about that cell.

    "突出问题3200余个" shares words with the cell 曝光重大事故隐患和突出问题 (6241个), but the report also
    says "曝光…突出问题6200余个", which links with a higher score and agrees: the first is unlinked.
    """
    best: dict[int, Claim] = {}
    for c in claims:
        if c.cell is not None and c.verdict == "consistent" and (c.cell not in best or c.score > best[c.cell].score):
            best[c.cell] = c
    dropped = False
    for c in claims:   # a 参与 figure paired with a dropped figure goes with it: its place came from that link
        if c.cell is not None and (c.verdict == "contradicted" and c.cell in best and best[c.cell].score > c.score
                                   or c.link == "pair" and dropped):
            c.cell = c.cell_key = c.link = c.verdict = c.table = None
            c.score, c.explanation = 0.0, ""
            dropped = True
        else:
            dropped = False


def _judge(claim: Claim, cell) -> None:
    q = claim.quantity
    value = cell_value_unit(cell)[0] if isinstance(cell, TableCell) else cell.value
    ok = value is not None and q.contains(value)
    claim.verdict = "consistent" if ok else "contradicted"
    said = f"prose says {claim.surface.replace(' ', '')} (admits {admits_text(q)}) at line {claim.line}:{claim.column}"
    value = f"{_fmt(cell.value) if cell.value is not None else '(blank)'}{cell.unit or ''}"
    if isinstance(cell, TableCell) and cell.status == "sum":
        claim.table = cell.table
        table = f"table {cell.table + 1}: the rows under {cell.label} add up to {value}"
    elif isinstance(cell, TableCell):
        claim.table = cell.table
        table = f"table {cell.table + 1} cell {cell.label} says {value}"
    else:
        table = f"annex item {cell.item} {cell.label} says {value}"
    claim.explanation = f"{said}; {table}" + ("" if ok else " — outside what the prose admits")


# -- internal checks -----------------------------------------------------------

#: Tokens that join the items of a list; found as jieba tokens so 参与 or 和平 are not split.
LIST_JOINERS = frozenset({"、", "和", "及", "与", "以及"})


def _list_items(listing: str) -> tuple[list[str], bool]:
    """Items of an enumeration and whether a conjunction (和/及/与) joins the last one."""
    items, current, joined = [], "", False
    for tok in segment(listing):
        if tok in LIST_JOINERS:
            items.append(current)
            current = ""
            joined = joined or tok != "、"
        else:
            current += tok
    items.append(current)
    items = [x.strip() for x in items if x.strip()]
    return _split_glued_conjunction(items), joined


def _split_glued_conjunction(items: list[str]) -> list[str]:
    """The last item split at a 和/及/与 that segmentation glued to the next word (县交通运输局和县市场监管局:
    jieba reads 和县 as a place) when both halves end like the items before them (…局)."""
    if len(items) < 2 or len({it[-1] for it in items[:-1]}) != 1:
        return items
    last, end = items[-1], items[0][-1]
    for i in range(1, len(last) - 1):
        if last[i] in "和及与" and last[i - 1] == end and last.endswith(end) and len(last) - i - 1 >= 2:
            return [*items[:-1], last[:i], last[i + 1:]]
    return items


_NUMERAL_MEASURE = regex.compile(r"[\d一二两兩三四五六七八九十百千]+[个個项項条條家名位种種类類省市县縣区區套部件大]")


def _doubtful_list(listing: str, items: list[str], after: str, count: int) -> bool:
    """True when a list could have been cut wrongly (``data/enumeration.json``): 和 inside an item
    (互相尊重主权和领土完整、互不侵犯…), counted things inside items (两省的深圳), vague items (其他若干省),
    a verb between the list and its count (…食品工业部共有三十九个项目), or a count of characters (八个字)."""
    words = data_json("enumeration.json")
    tokens = segment(listing)
    joiners = [i for i, tok in enumerate(tokens) if tok in LIST_JOINERS and tok != "、"]
    last_comma = max((i for i, tok in enumerate(tokens) if tok == "、"), default=-1)
    if count < 2 or len(joiners) > 1 or (joiners and joiners[0] < last_comma):
        return True   # 和 inside an item, or a list joined by 和 before its last 、
    if any(w in it for it in items for w in words["doubtful_item_words"]) or \
            any(_NUMERAL_MEASURE.search(it) for it in items) or listing.count("“") != listing.count("”") or \
            listing.count("（") != listing.count("）"):
        return True
    if items and items[-1].endswith(tuple(words["verbs_before_count"])):
        return True
    noun = regex.sub(r"^[个项条家名位种类]", "", after)
    return not noun or noun[:1] in words["nouns_not_items"] or not regex.match(r"\p{Han}", noun) \
        or noun[:1] in LIST_JOINERS   # 八所和安徽…等港: what is counted is not said


_PLACING = regex.compile(r"在(?P<list>[^在，。；]{4,}?)(?P<verb>\p{Han}{1,2})$")


def _placing_check(report: Report, cs: int, q: Quantity) -> Optional[InternalCheck]:
    """在A、B、C、D和E设立四个分会场: each place named got at least one, so fewer than the places listed
    disagrees; as many or more says nothing (a place may have several)."""
    text, norm = report.norm.text, report.norm
    m = _PLACING.search(text[cs:q.span[0]])
    if not m or m.group("verb") not in data_json("enumeration.json")["placing_verbs"]:
        return None
    items, _ = _list_items(m.group("list"))
    n = int(q.value)
    if len(items) < 3 or n >= len(items) or any(regex.search(r"\d", it) for it in items) or \
            len({it[-2:] for it in items}) > 1 and len({it[-1] for it in items}) > 1:
        return None   # not a list of like places, or nothing to say
    s = norm.to_original(*q.span)
    count_surface = norm.original[s[0]:s[1]]
    noun = regex.match(r"\p{Han}{0,3}", text[q.span[1]:]).group()
    expl = (f"{count_surface.replace(' ', '')}{noun} at line {norm.line_col(s[0])[0]}: {len(items)} places listed "
            f"({'、'.join(items)}), each {m.group('verb')} at least one — fewer than the places named")
    return InternalCheck(kind="enumeration", verdict="contradicted", span=norm.to_original(cs + m.start(), q.span[1]),
                         explanation=expl, count=count_surface, listed=len(items), items=items)


def _enumerations(report: Report, quantities: list[Quantity]) -> list[InternalCheck]:
    """A count right after a list (A、B和C三个环节; …等6家单位) against the number of items listed."""
    text, norm = report.norm.text, report.norm
    out = []
    for q in quantities:
        if q.kind != "count" or q.admits[0] != q.admits[1] or q.value is None or q.value > 50:
            continue
        cs, _ = _bounded(text, q.span[0], q.span[1], "，；。！？：\n,;:")
        before = text[cs:q.span[0]]
        placed = _placing_check(report, cs, q)
        if placed is not None:
            out.append(placed)
            continue
        has_etc = before.endswith("等")
        listing = before[:-1] if has_etc else before
        items, joined = _list_items(listing)
        if len(items) < 2 or not (len(items) >= 3 or has_etc):
            continue  # 场馆和体验点37个: two kinds counted together, not a list of 37
        if "的" in items[-1] or "等" in items[-1] or any(regex.search(r"\d", it) for it in items):
            continue  # 来自A和B的16名 / A、B等主题微视频20个: the count is of what the list describes;
            # 海报3万套、…6部: each item carries its own count
        n = int(q.value)
        ok = len(items) == n or (has_etc and len(items) < n)
        if not ok and _doubtful_list(listing, items, text[q.span[1]:q.span[1] + 3], n):
            continue   # a mismatch on a list we may have cut wrongly would be a false alarm
        note = "list ends with 等: fewer names than the count is consistent" if has_etc and len(items) < n else None
        s = norm.to_original(*q.span)
        count_surface = norm.original[s[0]:s[1]]
        noun = regex.match(r"\p{Han}{0,2}", text[q.span[1]:]).group()
        expl = (f"{count_surface.replace(' ', '')}{noun} at line {norm.line_col(s[0])[0]}: "
                f"{len(items)} listed{' (…等)' if has_etc else ''}")
        out.append(InternalCheck(kind="enumeration", verdict="consistent" if ok else "contradicted",
                                 span=norm.to_original(cs, q.span[1]), explanation=expl, count=count_surface,
                                 listed=len(items), items=items, note=note))
    return out


# -- entry points --------------------------------------------------------------

def check_report(report: Report) -> CheckResult:
    """Check a parsed report's prose figures against its tables (annex form and grid tables) and against
    themselves, and the tables against their own arithmetic."""
    quantities = _prose_quantities(report)
    claims = [_claim(report, q) for q in quantities]
    _link(report, claims)
    linked = [c for c in claims if c.cell is not None]
    unlinked = [c for c in claims if c.cell is None]
    internal = part_whole_checks(report.norm, quantities) + _enumerations(report, quantities)
    internal.sort(key=lambda c: c.span)
    mentioned = {c.cell for c in linked}
    unmentioned = [i for i in range(len(report.record.annex.cells)) if i not in mentioned]
    table_checks = check_tables(report.record.tables, report.norm)
    genre_checks = check_genre(report.record, report.norm, report.document_model)
    if genre_checks:
        covered = {c.source for c in report.record.genre.cells if c.source is not None}
        linked, unlinked, table_checks = _defer_to_genre(genre_checks, linked, unlinked, table_checks, covered)
    not_checked = _not_checked(report, claims, linked)
    if any(c.kind == "statement" and c.verdict != "not_checked" for c in genre_checks):
        # the genre's statements compared prose figures with the tables: "none could be linked" is not so
        not_checked = [r for r in not_checked if "no prose figure could be linked" not in r]
    not_checked += not_checked_lines(genre_checks)
    return CheckResult(report, linked, unlinked, internal, unmentioned, table_checks, not_checked, genre_checks)


def _defer_to_genre(genre_checks: list[GenreCheck], linked: list[Claim], unlinked: list[Claim],
                    table_checks: list[TableCheck], covered: set[int]
                    ) -> tuple[list[Claim], list[Claim], list[TableCheck]]:
    """The genre knows what its cells mean: a prose figure one of its statements checked is no longer
    "unlinked"; a generic link to a cell of the genre's tables that disagrees — with the genre's reading of
    the same figure, or where the genre's statements see no restatement of its cells (行政复议案件356件 of a
    司法局's own business) — is dropped (the figure is unlinked again); so is a generic total the genre's
    rules found consistent. A wrong link is worse than none."""
    stated = {c.span: c for c in genre_checks if c.kind in ("statement", "percent") and c.verdict != "not_checked"}
    unlinked = [c for c in unlinked if tuple(c.span) not in stated]
    dropped = [c for c in linked if c.verdict == "contradicted" and (
        (tuple(c.span) in stated and stated[tuple(c.span)].verdict == "consistent")
        or (tuple(c.span) not in stated and c.table is not None and c.table in covered))]
    linked = [c for c in linked if c not in dropped]
    for c in dropped:
        c.cell = c.cell_key = c.table = c.verdict = c.link = None
        c.explanation = ""
    unlinked = sorted(unlinked + [c for c in dropped if tuple(c.span) not in stated], key=lambda c: c.span)
    ruled_ok = {s for c in genre_checks if c.kind == "rule" and c.verdict == "consistent" for s in c.cell_spans}
    ruled_bad = {s for c in genre_checks if c.kind == "rule" and c.verdict == "contradicted" for s in c.cell_spans}
    table_checks = [c for c in table_checks if not (c.verdict == "contradicted" and tuple(c.span) in ruled_ok
                                                    and tuple(c.span) not in ruled_bad)]
    return linked, unlinked, table_checks


def _not_checked(report: Report, claims: list[Claim], linked: list[Claim]) -> list[str]:
    """What could not be checked, in words: a check that did not run must never look like a pass."""
    record = report.record
    cells = [c for c in (*record.annex.cells, *(c for t in record.tables for c in t.cells)) if c.value is not None]
    out = []
    if not cells:
        out.append(f"no statistics table with numbers was found, so the {len(claims)} figures in the prose "
                   "were not compared with any table")
    elif not linked:
        out.append(f"the report has {len(cells)} table cells but no prose figure could be linked to one "
                   "with confidence, so no figure was compared with the table")
    unreadable = [w for w in record.warnings if w.code in ("unreadable_cell", "empty_blank", "unreadable_blank")]
    if unreadable:
        out.append(f"{len(unreadable)} table cells could not be read (see the warnings); figures about them "
                   "were not checked")
    return out


def check(source: "Report | str | os.PathLike[str]") -> CheckResult:
    """Check a report: a parsed :class:`~reportmine.report.Report`, or a file to parse first.

    ``reportmine.check(source)`` is the same call (this module is callable).
    """
    if isinstance(source, Report):
        return check_report(source)
    if isinstance(source, CheckResult):
        return source
    return check_report(parse(source))


def _report_check(self: Report) -> CheckResult:
    """Check this report's figures (:func:`check_report`)."""
    return check_report(self)


# ``report.check()``: registered here, where checking lives (report.py cannot import this module: it
# imports report.py).
Report.check = _report_check


class _CallableModule(types.ModuleType):
    """This module, callable: ``reportmine.check(path_or_report)`` is :func:`check`, while
    ``reportmine.check.check_report`` and ``from reportmine.check import …`` keep working."""

    def __call__(self, source: "Report | str | os.PathLike[str]") -> CheckResult:
        return check(source)


sys.modules[__name__].__class__ = _CallableModule
