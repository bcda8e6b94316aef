"""Arithmetic a table states by its own layout: totals, 其中 rows and a stated 勾稽关系.

- A 总计/合计/小计 column equals the sum of the leaf columns under the same group header.
- A 总计/合计/小计 row equals the sum of the leaf rows under the same row header path — across the
  tables of one document when a converted table was split into pieces (the 年报's 三、本年度办理结果).
- A 其中 row is at most the row it belongs to.
- A relation the table states in words (本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)
  holds in every column.

Sums are exact (:class:`decimal.Decimal` from the written digits). A blank (—, empty) counts as
nothing in a sum; a check with an unreadable cell, or with fewer than two parts, is not run. Every
failure names the cells that disagree, with the line:column of the total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable

import regex

from .normalize import NormalizedText
from .numbers import parse_number
from .record import TableCell, TableRecord
from .tables import bare_label, part_label, subtotal_word, total_word

__all__ = ["TableCheck", "check_tables", "parse_stated_rule", "additive_units"]


def additive_units(parent: tuple[str, ...], paths: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The rows under ``parent`` that add up to its total: each child that is not itself a total, a
    其中 row or a breakdown of another row — going down into a child whose own children are an
    exhaustive split (三、本年度办理结果 → （三）不予公开 → 1…8), but not into one whose children start
    with 其中 (a partial breakdown: the child itself is the unit)."""
    depth = len(parent)
    nodes = list(dict.fromkeys(p[:k] for p in paths for k in range(1, len(p) + 1)))   # header rows too
    children = [p for p in nodes if len(p) == depth + 1 and p[:depth] == parent
                and not total_word(p[-1]) and not p[-1].startswith("其中")]
    out = []
    for child in children:
        grand = [p for p in nodes if len(p) == depth + 2 and p[:depth + 1] == child]
        if grand and not grand[0][-1].startswith("其中") and not any(total_word(p[-1]) for p in grand):
            out += additive_units(child, paths)
        elif grand and any(total_word(p[-1]) for p in grand):
            out += [p for p in grand if total_word(p[-1])][:1]
        else:
            out.append(child)
    return out


@dataclass
class TableCheck:
    """One arithmetic check of table cells; ``verdict`` is ``consistent`` or ``contradicted``."""

    kind: str                       # total_column | total_row | part_row | stated_rule
    verdict: str
    table: int
    total: str                      # key of the cell that states the total (or the rule's text)
    parts: list[str]
    explanation: str
    span: tuple[int, int]           # the total cell, in the original text
    line: int
    column: int
    expected: str | None = None
    found: str | None = None
    cells: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "verdict": self.verdict, "table": self.table, "total": self.total,
                "parts": self.parts, "expected": self.expected, "found": self.found, "span": list(self.span),
                "line": self.line, "column": self.column, "explanation": self.explanation}


def _dec(v: int | float) -> Decimal:
    return Decimal(str(v))


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))


def _path(xs: list[str]) -> tuple[str, ...]:
    return _bare_path(tuple(xs))


@lru_cache(maxsize=8192)
def _bare_path(xs: tuple[str, ...]) -> tuple[str, ...]:
    """A label path without numbering (remembered: the totals are matched against every cell's path)."""
    return tuple(bare_label(x) for x in xs)


def _col_key(c: TableCell) -> tuple[str, ...]:
    return _path(c.col)


def _additive(c: TableCell) -> bool:
    return c.unit != "%" and c.status != "unreadable"


class _Checker:
    def __init__(self, tables: list[TableRecord], norm: NormalizedText):
        self.tables = tables
        self.norm = norm
        self.out: list[TableCheck] = []

    def emit(self, kind: str, total: TableCell, parts: list[TableCell], expected: Decimal, what: str,
             relation: str = "=") -> None:
        found = _dec(total.value)
        ok = found == expected if relation == "=" else found >= expected
        line, col = self.norm.line_col(total.span[0])
        part_text = " + ".join(f"{p.label}={_fmt(_dec(p.value)) if p.value is not None else '—'}" for p in parts)
        if relation == "=":
            expl = (f"table {total.table + 1}: {what} {total.label} = {_fmt(found)} at line {line}:{col}; "
                    f"its parts add up to {_fmt(expected)} ({part_text})")
        else:
            expl = (f"table {total.table + 1}: {parts[0].label} = {_fmt(expected)} is a part (其中) of "
                    f"{total.label} = {_fmt(found)} at line {line}:{col}")
        if not ok:
            expl += " — they disagree"
        self.out.append(TableCheck(kind=kind, verdict="consistent" if ok else "contradicted", table=total.table,
                                   total=total.key, parts=[p.key for p in parts], explanation=expl,
                                   span=tuple(total.span), line=line, column=col, expected=_fmt(expected),
                                   found=_fmt(found)))

    # -- totals by column ------------------------------------------------------------------------
    def total_columns(self) -> None:
        for t in self.tables:
            rows: dict[tuple[str, ...], list[TableCell]] = {}
            for c in t.cells:
                rows.setdefault(_path(c.row), []).append(c)
            for cells in rows.values():
                for total in cells:
                    if not total.col or not total_word(total.col[-1]) or total.value is None:
                        continue
                    parent = _col_key(total)[:-1]
                    parts = [c for c in cells if c is not total and _col_key(c)[:len(parent)] == parent
                             and len(c.col) > len(parent) and not total_word(c.col[-1])
                             and not any(total_word(x) for x in c.col[len(parent):])]
                    self.sum_check("total_column", total, parts, "the total column")

    # -- totals by row ---------------------------------------------------------------------------
    def total_rows(self) -> None:
        """A 合计/总计 row is the sum of the additive rows under its header (across the pieces of a split
        table); a 小计 row is the sum of the rows since the previous total of its table."""
        by_col: dict[tuple[str, ...], list[TableCell]] = {}
        order: dict[tuple[str, ...], int] = {}
        for t in self.tables:
            for c in t.cells:
                by_col.setdefault(_col_key(c), []).append(c)
                order.setdefault(_path(c.row), len(order))
        paths = list(order)
        for cells in by_col.values():
            by_path = {_path(c.row): c for c in cells}
            for total in cells:
                if not total.row or not total_word(total.row[-1]) or total.value is None:
                    continue
                path = _path(total.row)
                if subtotal_word(total.row[-1]):
                    since = [c for c in cells if c.table == total.table and order[_path(c.row)] < order[path]]
                    prev_totals = [order[_path(c.row)] for c in since if total_word(c.row[-1])]
                    start = max(prev_totals, default=-1)
                    units = [p for p in additive_units(path[:-1], paths) if start < order[p] < order[path]]
                    units = [p for p in units if p in {_path(c.row) for c in since}]
                else:
                    units = additive_units(path[:-1], paths)
                    if path[:-1] == ():
                        mine = {_path(c.row) for c in cells if c.table == total.table}
                        units = [p for p in units if p in mine]   # no header above: this table's rows only
                if not units or any(p not in by_path for p in units):
                    continue   # a row under the same header has no cell in this column: cannot add up
                self.sum_check("total_row", total, [by_path[p] for p in units], "the total row")

    def sum_check(self, kind: str, total: TableCell, parts: list[TableCell], what: str) -> None:
        if len(parts) < 2 or not _additive(total) or not all(_additive(p) for p in parts):
            return
        if any(p.unit and total.unit and p.unit != total.unit for p in parts):
            return
        numbers = [p for p in parts if p.value is not None]
        if not numbers:
            return
        self.emit(kind, total, parts, sum((_dec(p.value) for p in numbers), Decimal(0)), what)

    # -- 其中 rows -------------------------------------------------------------------------------
    def part_rows(self) -> None:
        for t in self.tables:
            order: list[tuple[str, ...]] = []
            cells_by_row: dict[tuple[str, ...], dict[tuple[str, ...], TableCell]] = {}
            for c in t.cells:
                key = _path(c.row)
                if key not in cells_by_row:
                    order.append(key)
                    cells_by_row[key] = {}
                cells_by_row[key][_col_key(c)] = c
            parent = None
            for key in order:
                row_cells = cells_by_row[key]
                label = next(iter(row_cells.values())).row[-1] if key else ""
                if key and part_label(label):
                    if parent is None:
                        continue
                    for col, part in row_cells.items():
                        whole = cells_by_row[parent].get(col)
                        if whole is None or whole.value is None or part.value is None or \
                                not _additive(whole) or not _additive(part):
                            continue
                        self.emit("part_row", whole, [part], _dec(part.value), "", relation=">=")
                else:
                    parent = key

    # -- a stated 勾稽关系 ------------------------------------------------------------------------
    def stated_rules(self) -> None:
        rules = list(dict.fromkeys(r for t in self.tables for r in t.stated_rules))
        for rule in rules:
            parsed = parse_stated_rule(rule)
            if parsed is None:
                continue
            left, right = parsed
            cells = [c for t in self.tables for c in t.cells]
            by_col: dict[tuple[str, ...], dict[int, TableCell]] = {}
            for c in cells:
                n = _top_number(c.row[0]) if c.row else None
                if n is None or c.value is None and c.status != "blank":
                    continue
                if len(c.row) == 1 or (len(c.row) == 2 and total_word(c.row[-1])):
                    by_col.setdefault(_col_key(c), {})[n] = c
            for col, items in by_col.items():
                if not all(n in items for n in (*left, *right)) or \
                        all(items[n].value is None for n in (*left, *right)):
                    continue
                lhs = [items[n] for n in left]
                rhs = [items[n] for n in right]
                a = sum((_dec(c.value) for c in lhs if c.value is not None), Decimal(0))
                b = sum((_dec(c.value) for c in rhs if c.value is not None), Decimal(0))
                anchor = rhs[0]
                line, column = self.norm.line_col(anchor.span[0])
                ok = a == b
                expl = (f"table {anchor.table + 1}, column {'/'.join(anchor.col) or '?'}: the table states "
                        f"“{rule}”: {' + '.join(_fmt(_dec(c.value or 0)) for c in lhs)} = {_fmt(a)}, "
                        f"{' + '.join(_fmt(_dec(c.value or 0)) for c in rhs)} = {_fmt(b)}"
                        + ("" if ok else " — they disagree"))
                self.out.append(TableCheck(kind="stated_rule", verdict="consistent" if ok else "contradicted",
                                           table=anchor.table, total=rule, parts=[c.key for c in lhs + rhs],
                                           explanation=expl, span=tuple(anchor.span), line=line, column=column,
                                           expected=_fmt(a), found=_fmt(b)))


_TOP = regex.compile(r"^\s*([一二三四五六七八九十]+)[、.．]")
_ITEM = regex.compile(r"第([一二三四五六七八九十\d]+)项")


def _top_number(label: str) -> int | None:
    m = _TOP.match(label)
    return int(parse_number(m.group(1))) if m else None


def parse_stated_rule(rule: str) -> tuple[list[int], list[int]] | None:
    """'第一项加第二项之和，等于第三项加第四项之和' -> ([1, 2], [3, 4]); None if it is not of that shape."""
    if "等于" not in rule:
        return None
    left, _, right = rule.partition("等于")
    lhs = [int(parse_number(x)) for x in _ITEM.findall(left)]
    rhs = [int(parse_number(x)) for x in _ITEM.findall(right)]
    if not lhs or not rhs or regex.search(r"减|乘|除", rule):
        return None
    return lhs, rhs


def check_tables(tables: Iterable[TableRecord], norm: NormalizedText) -> list[TableCheck]:
    """Every arithmetic check the tables' layout and stated rules allow, in document order."""
    checker = _Checker(list(tables), norm)
    checker.total_columns()
    checker.total_rows()
    checker.part_rows()
    checker.stated_rules()
    seen, out = set(), []
    for c in sorted(checker.out, key=lambda c: (c.span, c.kind)):
        ident = (c.kind, c.total, tuple(c.parts))
        if ident not in seen:
            seen.add(ident)
            out.append(c)
    return out
