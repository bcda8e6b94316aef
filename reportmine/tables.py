"""Any grid table -> numeric cells with row and column header paths, value, unit and span.

A :class:`~reportmine.document.Table` is only a grid of texts. This module decides what each cell
means: which top rows are column headers (merged group headers are spread over the columns under
them), which left columns label the rows (``序号`` columns are skipped, ``单位`` columns give units),
how hierarchical row labels nest (``三、本年度办理结果/（三）不予公开/1.属于国家秘密``, or a numbered
row under numbered headings), and each value's unit (a 单位 column, a unit in the column header such
as ``参与人次`` or ``（单位：万元）``, a unit in the row label or the caption). ``—``, ``/``, ``-`` and
empty cells are "not applicable": ``value=None``, never 0. A cell with digits that is not a number
is kept with ``value=None`` and a warning at its line:column.

Fill-in forms (``（9216）场``) are tables too, but their cells are read by :mod:`reportmine.annex`;
:func:`is_form` tells them apart. The words this module relies on are data:
``reportmine/data/table_words.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import regex

from .document import DocumentModel, GridCell, Table, heading_level
from .normalize import NormalizedText
from .record import ParseWarning, TableCell, TableRecord
from .resources import data_json, data_lines

__all__ = ["read_tables", "is_form", "bare_label", "unit_in_text", "cell_number", "total_word", "subtotal_word",
           "part_label"]

#: A fill-in blank: a bracketed number (or nothing) followed by text, as in 组织开展宣讲活动（9216）场.
_FORM_BLANK = regex.compile(r"（\s*[\d,，.]*\s*）\s*\p{Han}")
_NUMBER = regex.compile(r"^[+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_PERCENT = regex.compile(r"^[+-]?(?:\d+)(?:\.\d+)?%$")
_UNIT_IN_BRACKETS = regex.compile(r"[（(]\s*(?:单位\s*[：:]\s*)?([^（）()：:]{1,6}?)\s*[）)]")
_UNIT_AFTER_LABEL = regex.compile(r"单位\s*[：:]\s*([^\s，,；;）)]{1,6})")
_STATED_RULE = regex.compile(r"勾稽关系(?:为|是)?[：:]?\s*([^（）()]+)")
_BARE = regex.compile(r"[\s\p{P}“”‘’《》〈〉·]+")


@lru_cache(maxsize=1)
def _words() -> dict:
    return data_json("table_words.json")



@lru_cache(maxsize=1)
def _known_units() -> frozenset[str]:
    units = set(data_lines("units.txt")) | {"万元", "亿元", "元", "%", "吨", "万吨", "公里", "千米", "平方米", "亩",
                                            "公顷", "万人", "万人次", "万份", "万件", "小时", "天", "年度"}
    return frozenset(units)


_LABEL_NUMBER = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,2}\s*[.．、](?!\d))")


@lru_cache(maxsize=4096)
def bare_label(text: str) -> str:
    """A label without its numbering, spaces and punctuation: '（三） 不予公开' -> '不予公开'."""
    m = _LABEL_NUMBER.match(text)
    rest = text[m.end():] if m else text
    return _BARE.sub("", rest)


@lru_cache(maxsize=4096)
def total_word(text: str) -> bool:
    """True for labels such as 总计, 合计, （七）总计, 小计, 工矿商贸小计."""
    bare = bare_label(text)
    return bare in _words()["total_words"] or (len(bare) <= 12 and bare.endswith(("小计", "合计", "总计")))


def subtotal_word(text: str) -> bool:
    """True for a subtotal (小计, 工矿商贸小计): the sum of the rows since the previous total."""
    return bare_label(text).endswith("小计")


def part_label(text: str) -> bool:
    """True for 其中 rows: '其中：女性'."""
    return text.strip().startswith(tuple(_words()["part_prefixes"]))


@lru_cache(maxsize=1)
def _unit_suffixes() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(_words()["header_unit_suffixes"].items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=4096)
def unit_in_text(text: str) -> str | None:
    """The unit a header or label states: '（单位：万元）', '金额（万元）', '参与人次' -> '人次'."""
    known = _known_units()
    for m in _UNIT_AFTER_LABEL.finditer(text):
        if m.group(1) in known:
            return m.group(1)
    for m in _UNIT_IN_BRACKETS.finditer(text):
        if m.group(1).strip() in known:
            return m.group(1).strip()
    bare = _BARE.sub("", text)
    for suffix, unit in _unit_suffixes():
        if bare.endswith(suffix):
            return unit
    return None


@lru_cache(maxsize=8192)
def cell_number(text: str) -> tuple[str, int | float | None]:
    """Classify a cell's text: ``("number", v)``, ``("percent", v)``, ``("blank", None)``,
    ``("unreadable", None)`` (digits that are not one number) or ``("text", None)``."""
    t = text.strip()
    if not t or t in _words()["blank_markers"]:
        return "blank", None
    if _NUMBER.match(t):
        d = Decimal(t.lstrip("+").replace(",", ""))
        return "number", int(d) if d == d.to_integral_value() and "." not in t else float(d)
    if _PERCENT.match(t):
        try:
            return "percent", float(Decimal(t[:-1]))
        except InvalidOperation:   # pragma: no cover - the pattern admits only digits
            return "unreadable", None
    if regex.search(r"[\d０-９]", t) and not regex.search(r"[\p{Han}--[万亿萬億]]", t, flags=regex.V1):
        return "unreadable", None   # 9a16, 338O7, 1 459 084, 145.9万: not one plain number
    return "text", None             # words (4月, 约9216 and 九千二百 are words to this reader)


def is_form(table: Table) -> bool:
    """A fill-in form (blanks such as （9216）场 inside the cells): read by :mod:`reportmine.annex`."""
    hits = sum(len(_FORM_BLANK.findall(c.text)) for r in table.rows for c in r)
    return hits >= 2


# -- one grid -------------------------------------------------------------------------------------

@dataclass
class _Segment:
    """Rows of one table (a [表格] block may hold several, each led by a one-cell caption row)."""

    rows: list[list[GridCell]]
    caption: str | None
    caption_span: tuple[int, int] | None


def _kinds(row: list[GridCell]) -> list[str]:
    return [cell_number(c.text)[0] for c in row]


def _is_body(row: list[GridCell]) -> bool:
    """A row with a number or a not-applicable mark outside its first cell (or in it, for label-less rows)."""
    kinds = _kinds(row)
    rest = kinds[1:] if len(kinds) > 1 and kinds[0] == "text" else kinds
    filled = [k for k, c in zip(kinds[len(kinds) - len(rest):], row[len(kinds) - len(rest):]) if c.text.strip()]
    return any(k in ("number", "percent", "unreadable") for k in rest) or \
        (bool(filled) and all(k == "blank" for k in filled))


def _segments(table: Table) -> list[_Segment]:
    """Split a grid at one-cell caption rows that stand before a header row."""
    out: list[_Segment] = []
    current = _Segment([], table.caption, table.caption_span)
    rows = table.rows
    for i, row in enumerate(rows):
        filled = [c for c in row if c.text.strip() and not c.covered]
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if len(filled) == 1 and filled[0].col == 0 and cell_number(filled[0].text)[0] == "text" and nxt is not None \
                and not _is_body(nxt) \
                and len(row) <= max(len(r) for r in rows):
            if current.rows:
                out.append(current)
            current = _Segment([], filled[0].text, filled[0].span)
            continue
        current.rows.append(row)
    if current.rows:
        out.append(current)
    return out


def _horizontal_copy(cell: GridCell) -> bool:
    """A position covered by a merged cell that starts in a column to its left."""
    return cell.covered and cell.origin is not None and cell.origin[1] != cell.col


def _column_paths(header: list[list[GridCell]], n_cols: int, first_is_label: bool,
                  exact: bool = False) -> list[list[str]]:
    """Header path per column; an empty header cell takes the group header to its left when a deeper
    header row names a sub-column under it (a merged cell flattened into text). The row-label column's
    own header (项目, 类别 …) is never spread over the value columns. In an ``exact`` grid merged cells
    are known: a group header covers its columns, a header merged down counts once."""
    if exact:
        return [[r[j].text.strip() for r in header if j < len(r) and r[j].text.strip() and not r[j].continues_down]
                for j in range(n_cols)]
    grid = [[r[j].text.strip() if j < len(r) else "" for j in range(n_cols)] for r in header]
    filled = [row[:] for row in grid]
    for i in range(len(grid)):
        for j in range(1, n_cols):
            if j - 1 == 0 and first_is_label:
                continue
            if not grid[i][j] and filled[i][j - 1] and any(grid[k][j] for k in range(i + 1, len(grid))):
                filled[i][j] = filled[i][j - 1]
    return [[filled[i][j] for i in range(len(grid)) if filled[i][j]] for j in range(n_cols)]


def _merge_row_path(context: list[str], parts: list[str]) -> list[str]:
    """A row's label path: numbered labels nest under the numbered headings above the table."""
    parts = [p.strip() for part in parts for p in part.split("/") if p.strip()]
    if not parts:
        return []
    first = heading_level(parts[0])
    if first is None:
        if context and bare_label(parts[0]) == bare_label(context[-1]):
            return [*context, *parts[1:]]
        return parts
    stack = [(lv, c) for c in context if (lv := heading_level(c)) is not None and lv < first]
    for p in parts:
        lv = heading_level(p)
        if lv is None:
            if stack and bare_label(stack[-1][1]) == bare_label(p):
                continue
            stack.append((99, p))
            continue
        while stack and stack[-1][0] >= lv:
            stack.pop()
        stack.append((lv, p))
    return [p for _, p in stack]


def _key(caption: str | None, row: list[str], col: list[str]) -> str:
    pieces = []
    if caption and not heading_level(caption) and bare_label(caption) not in {bare_label(r) for r in row}:
        pieces.append(bare_label(caption))
    pieces.append("/".join(bare_label(r) for r in row))
    pieces.append("/".join(bare_label(c) for c in col))
    return "|".join(pieces)


class _GridReader:
    def __init__(self, norm: NormalizedText, index: int, table: Table, notes: list[str]):
        self.norm = norm
        self.index = index
        self.table = table
        self.notes = notes
        self.warnings: list[ParseWarning] = []

    def warn(self, code: str, message: str, at: int) -> None:
        o = self.norm.to_original(at, at)[0]
        line, col = self.norm.line_col(o)
        self.warnings.append(ParseWarning.trusted(code=code, message=message, line=line, column=col, span=(o, o)))

    def read(self) -> list[TableRecord]:
        out = []
        for seg in _segments(self.table):
            rec = self.read_segment(seg, len(out))
            if rec is not None:
                out.append(rec)
        return out

    def read_segment(self, seg: _Segment, part: int) -> TableRecord | None:
        rows = seg.rows
        n_cols = max(len(r) for r in rows)
        n_header = 0
        while n_header < len(rows) and (not _is_body(rows[n_header]) or
                                        all(c.header for c in rows[n_header] if not c.covered)):
            n_header += 1
        body = rows[n_header:]
        if not body:
            return None
        header = rows[:n_header]
        words = _words()
        kinds = {j: [cell_number(r[j].text)[0] if j < len(r) else "blank" for r in body] for j in range(n_cols)}
        first = [k for k in kinds[0] if k != "blank"]
        col_paths = _column_paths(header, n_cols, not first or sum(k == "text" for k in first) * 2 >= len(first),
                                  self.table.exact)
        role: dict[int, str] = {}
        for j in range(n_cols):
            last = col_paths[j][-1] if col_paths[j] else ""
            ks = [k for k in kinds[j] if k != "blank"]
            if last in words["serial_headers"] or (j == 0 and not last and ks and all(k == "number" for k in ks)
                                                   and self._serial(body, j)):
                role[j] = "serial"
            elif last in words["unit_columns"]:
                role[j] = "unit"
            elif ks and sum(k == "text" for k in ks) * 2 >= len(ks):
                role[j] = "label"
            elif not ks and (last in words["stub_headers"] or (j == 0 and not last)):
                role[j] = "label"
            else:
                role[j] = "value"
        if not any(r == "value" for r in role.values()):
            return None
        first_value = min(j for j, r in role.items() if r == "value")
        for j in range(first_value + 1, n_cols):
            if role[j] == "label":
                role[j] = "note"      # text to the right of the numbers: 备注, not the row's name
        caption = seg.caption
        caption_unit = unit_in_text(caption or "") or next((u for n in self.notes if (u := unit_in_text(n))), None)
        cells: list[TableCell] = []
        labels_above: dict[int, str] = {}
        numbered: list[str] | None = None      # the row path of the last row with a 序号
        detail_of: list[str] | None = None
        for r in body:
            texts = {j: (r[j].text.strip() if j < len(r) and not _horizontal_copy(r[j]) else "")
                     for j in range(n_cols)}
            label_cols = [j for j in range(n_cols) if role[j] == "label"]
            for k, j in enumerate(label_cols):   # merged row labels flattened: fill down
                if not texts[j] and any(texts[x] for x in label_cols[k + 1:]) and j in labels_above:
                    texts[j] = labels_above[j]
            for j in label_cols:
                if texts[j]:
                    labels_above[j] = texts[j]
            # a 合计 written in the 序号 column labels its row
            serial_cols = [j for j in range(n_cols) if role[j] == "serial"]
            serial_text = [texts[j] for j in serial_cols if texts[j] and cell_number(texts[j])[0] == "text"]
            labels = [texts[j] for j in label_cols if texts[j]]
            row_path = _merge_row_path(self.table.context, serial_text + labels)
            if serial_cols and not any(texts[j] for j in serial_cols) and labels and numbered is not None \
                    and (part_label(labels[0]) or detail_of == numbered):
                # a row without a 序号 under a numbered row: its 其中 breakdown
                row_path = [*numbered, *row_path]
                detail_of = numbered
            elif serial_cols and any(texts[j] for j in serial_cols):
                numbered, detail_of = row_path, None
            unit_col = next((texts[j] for j in range(n_cols) if role[j] == "unit" and texts[j]
                             and cell_number(texts[j])[0] == "text"), None)
            for j in range(n_cols):
                if role[j] != "value" or j >= len(r) or r[j].covered:
                    continue          # a merged value is counted once, at its first position
                gc = r[j]
                kind, value = cell_number(gc.text)
                col_path = col_paths[j]
                unit = ("%" if kind == "percent" else None) or \
                    next((u for h in reversed(col_path) if (u := unit_in_text(h))), None) or unit_col or \
                    next((u for h in reversed(row_path) if (u := unit_in_text(h))), None) or caption_unit
                if kind == "unreadable":
                    where = "/".join(row_path) or "?"
                    self.warn("unreadable_cell", f"table {self.index + 1}: cell {where} × {'/'.join(col_path) or '?'} "
                                                 f"holds {gc.text!r}, not a number; value left empty", gc.span[0])
                if kind == "text":   # words where a number belongs: kept empty, with a warning
                    kind = "unreadable"
                span = self.norm.to_original(*gc.span) if gc.span[1] > gc.span[0] else \
                    self.norm.to_original(gc.span[0], gc.span[0])
                cells.append(TableCell.trusted(table=self.index, key=_key(caption, row_path, col_path), row=row_path,
                                               col=col_path, value=value, unit=unit, raw=gc.text,
                                               status="value" if kind in ("number", "percent") else kind, span=span))
        if not cells:
            return None
        first, last = rows[0][0].span[0], rows[-1][-1].span[1]
        rules = [m.group(1).strip() for t in [*(c.text for r in header for c in r), *self.notes]
                 for m in _STATED_RULE.finditer(t)]
        return TableRecord.trusted(index=self.index, part=part, caption=caption, context=self.table.context,
                                   kind=self.table.kind, span=self.norm.to_original(first, max(first, last)),
                                   header_rows=n_header, n_rows=len(rows), n_cols=n_cols, cells=cells,
                                   stated_rules=list(dict.fromkeys(rules)))

    @staticmethod
    def _serial(body: list[list[GridCell]], j: int) -> bool:
        values = [cell_number(r[j].text)[1] for r in body if j < len(r) and cell_number(r[j].text)[0] == "number"]
        return len(values) >= 2 and values == list(range(int(values[0]), int(values[0]) + len(values)))


def read_tables(doc: DocumentModel, start: int = 0, end: int | None = None
                ) -> tuple[list[TableRecord], list[ParseWarning]]:
    """Read every grid table (not fill-in forms) whose block lies in ``[start, end)`` of the normalised text.

    Paragraphs that state a unit (（单位：万元）) or the table's arithmetic (本列数据的勾稽关系为…) just
    before a table — or anywhere earlier in the same numbered section — are read as its notes.
    """
    end = len(doc.norm.text) if end is None else end
    out: list[TableRecord] = []
    warnings: list[ParseWarning] = []
    notes: list[str] = []
    for b in doc.blocks:
        if b.kind == "heading" and b.level == 1 and not any(t.caption_span == (b.start, b.end) for t in doc.tables):
            notes = []
        if b.table is None:
            if "勾稽关系" in b.text or (len(b.text) <= 40 and _UNIT_AFTER_LABEL.search(b.text)):
                notes.append(b.text)
            continue
        if b.start < start or b.end > end or is_form(b.table):
            continue
        reader = _GridReader(doc.norm, len(out), b.table, notes)
        for rec in reader.read():
            rec.index = len(out)
            for c in rec.cells:
                c.table = rec.index
            out.append(rec)
        warnings.extend(reader.warnings)
    return out, warnings
