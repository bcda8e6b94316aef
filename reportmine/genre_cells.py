"""Grid tables -> the cells of a genre's template, aligned by row labels and column order.

Each grid table of the report (:mod:`reportmine.tables`: cells with row and column header paths) is
matched to the template table whose rows and columns its labels name best. A row is found by its label
(numbering, spaces and punctuation ignored; a label cut short by the conversion still matches the start
of the template's) and by the group labels above it (``三、本年度办理结果/（三）不予公开/1.属于国家秘密``).
A column is found by its header; when the headers do not name the template's columns (generic ``数据1…``,
headers shifted or belonging to another table) and the row has exactly as many value cells as the template
has columns, the columns are taken in the template's order, with a warning saying so. Anything that cannot
be aligned is a warning naming the row — never a guessed key, never a 0. Template cells the report does not
have are ``missing``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import heading_level
from .genres import Template, TemplateEntry, TemplateTable
from .normalize import NormalizedText
from .record import GenreCell, ParseWarning, TableCell, TableRecord
from .tables import bare_label

__all__ = ["align_tables", "label_matches"]


def label_matches(label: str, alternative: str) -> int:
    """How well a written (bare) label names a template label: 3 the same, 2 it starts with it (部分公开 +
    its note), 1 it is the start of it (cut short), 0 not at all."""
    if not label or not alternative:
        return 0
    if label == alternative:
        return 3
    if label.startswith(alternative) and len(alternative) >= 2:
        return 2
    if alternative.startswith(label) and len(label) >= 4:
        return 1
    return 0


def _contains(label: str, alternative: str) -> bool:
    return bool(label) and (alternative in label or (len(label) >= 2 and label in alternative))


def _path_score(entry: TemplateEntry, labels: list[str], groups: frozenset[str]) -> int:
    """0 if ``labels`` (outermost first, bare) is not this entry; else a score (higher is closer).

    The leaf must name the entry's leaf. A label above the leaf that names a group of the template
    (``groups``: 不予公开, 无法提供 …) must be one of the entry's own groups; labels that name no group of the
    template (a heading above the table, 三、收到和处理政府信息公开申请情况) neither help nor hurt."""
    if not labels:
        return 0
    leaf = max((label_matches(labels[-1], alt) for alt in entry.path[-1]), default=0)
    if not leaf:
        return 0
    own = [alt for level in entry.path[:-1] for alt in level]
    matched = 0
    for a in labels[:-1]:
        if any(_contains(a, alt) for alt in own):
            matched += 1
        elif any(label_matches(a, g) >= 2 for g in groups):
            return 0                                   # under another group of the form
    return leaf * 10 + matched


def _group_row(entries: tuple[TemplateEntry, ...], labels: list[str]) -> TemplateEntry | None:
    """The row of a table whose rows are column groups (行政复议 / 未经复议直接起诉 …): the entry whose
    label the written labels contain, the longest match winning."""
    best, best_len, tie = None, 0, False
    for e in entries:
        n = max((len(alt) for alt in e.path[-1] if any(_contains(lb, alt) for lb in labels)), default=0)
        if n > best_len:
            best, best_len, tie = e, n, False
        elif n and n == best_len:
            tie = True
    return None if tie else best


def _shape(entries: tuple[TemplateEntry, ...]) -> tuple[frozenset[str], bool]:
    """The group labels of a set of template rows, and whether they nest (rows of several depths)."""
    return (frozenset(alt for e in entries for level in e.path[:-1] for alt in level),
            len({len(e.path) for e in entries}) > 1)


def _best(entries, labels: list[str], level: int | None = None,
          shape: tuple[frozenset[str], bool] | None = None) -> TemplateEntry | None:
    """The entry ``labels`` name best (None when none does or two tie). ``level``: the numbering level of the
    written leaf (1 for 四、, 2 for （六）, 3 for 3.); in a form whose rows nest, a row numbered at one level is
    never an entry of another depth (（六）其他处理 is not 3.其他)."""
    groups, nested = shape if shape is not None else _shape(tuple(entries))
    if level is not None and nested:
        entries = [e for e in entries if len(e.path) == level]
    initial = labels[-1][:1] if labels else ""      # a leaf matches only a label with its first character
    scored = sorted(((s, e) for e in entries if initial in e.leaf_initials and (s := _path_score(e, labels, groups))),
                    key=lambda x: -x[0])
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


def _split(path: list[str]) -> list[str]:
    """A header path with merged labels written into one cell (行政诉讼/复议后起诉/总计) taken apart."""
    return [p for part in path for p in part.split("/")]


def _groups_above(cell: TableCell) -> tuple[str, ...]:
    """The column labels above a cell's own (its column group): with its row and the table's caption, all a
    column-group table's row is read from (:meth:`_Aligner.row_labels`)."""
    return tuple(_split(cell.col)[:-1])


@dataclass
class _Row:
    """The value cells of one written row of a grid table, in column order."""

    table: TableRecord
    path: list[str]                 # the row's label path as written
    cells: list[TableCell]


def _rows(table: TableRecord) -> list[_Row]:
    out: list[_Row] = []
    for c in table.cells:
        if out and out[-1].path == c.row and c.col not in [x.col for x in out[-1].cells]:
            out[-1].cells.append(c)
        else:
            out.append(_Row(table, list(c.row), [c]))
    return out


#: Not in a memo yet (None is a remembered answer: no entry).
_UNSEEN = object()


class _Aligner:
    def __init__(self, template: Template, tables: list[TableRecord], norm: NormalizedText):
        self.template = template
        self.tables = tables
        self.norm = norm
        self.warnings: list[ParseWarning] = []
        self.found: dict[str, GenreCell] = {}
        self._rows: dict[tuple, TemplateEntry | None] = {}       # labels -> row, computed once per distinct path
        self._cols: dict[tuple, TemplateEntry | None] = {}
        self._entries: dict[tuple[str, str], tuple[TemplateEntry, ...]] = {}
        self._shapes: dict[str, tuple[frozenset[str], bool]] = {}

    def _shape(self, name: str, entries: tuple[TemplateEntry, ...]) -> tuple[frozenset[str], bool]:
        if name not in self._shapes:
            self._shapes[name] = _shape(tuple(entries))
        return self._shapes[name]

    def warn(self, code: str, message: str, at: tuple[int, int] | None) -> None:
        line = col = None
        if at is not None:
            line, col = self.norm.line_col(at[0])
        self.warnings.append(ParseWarning.trusted(code=code, message=message, line=line, column=col,
                                                  span=tuple(at) if at else None))

    # -- labels of a written cell, as the template table reads them --------------------------------
    @staticmethod
    def row_labels(tt: TemplateTable, table: TableRecord, cell: TableCell) -> list[str]:
        if tt.rows_from == "column_groups":
            return [x for x in (bare_label(table.caption or ""), *(bare_label(c) for c in _split(cell.col)[:-1]),
                                *(bare_label(r) for r in _split(cell.row))) if x]
        return [x for x in (bare_label(r) for r in _split(cell.row)) if x]

    @staticmethod
    def col_labels(tt: TemplateTable, cell: TableCell) -> list[str]:
        labels = [x for x in (bare_label(c) for c in _split(cell.col)) if x]
        return labels[-1:] if tt.rows_from == "column_groups" else labels

    def row_entry(self, tt: TemplateTable, table: TableRecord, cell: TableCell) -> TemplateEntry | None:
        key = (tt.id, table.caption, tuple(cell.row), _groups_above(cell) if tt.rows_from == "column_groups" else ())
        if key not in self._rows:
            self._rows[key] = self._row_entry(tt, table, cell)
        return self._rows[key]

    def col_entries(self, tt: TemplateTable, row_key: str) -> tuple[TemplateEntry, ...]:
        """The columns of a template row, remembered."""
        key = (tt.id, row_key)
        if key not in self._entries:
            self._entries[key] = tt.col_entries(row_key)
        return self._entries[key]

    def col_entry(self, tt: TemplateTable, row_key: str, cell: TableCell) -> TemplateEntry | None:
        key = (tt.id, row_key, tuple(cell.col))
        if key not in self._cols:
            entries = self.col_entries(tt, row_key)
            self._cols[key] = _best(entries, self.col_labels(tt, cell), shape=self._shape(tt.id + ":" + row_key, entries))
        return self._cols[key]

    def _row_entry(self, tt: TemplateTable, table: TableRecord, cell: TableCell) -> TemplateEntry | None:
        labels = self.row_labels(tt, table, cell)
        if tt.rows_from == "column_groups":
            return _group_row(tt.rows, labels)
        written = _split(cell.row)
        return _best(tt.rows, labels, heading_level(written[-1]) if written else None, self._shape(tt.id, tt.rows))

    def score(self, tt: TemplateTable, table: TableRecord) -> int:
        """How well ``table`` is ``tt``: 2 per written cell whose labels name a row and a column of it, 1 per
        cell that names only a row (its header may be generic)."""
        n, by_rows, groups = 0, int(tt.rows_from == "rows"), tt.rows_from == "column_groups"
        rows, cols = self._rows, self._cols
        for c in table.cells:            # row_entry and col_entry, their memos read here: every template
            row_path, col_path = tuple(c.row), tuple(c.col)      # table is scored against every cell
            row = rows.get((tt.id, table.caption, row_path, _groups_above(c) if groups else ()), _UNSEEN)
            if row is _UNSEEN:
                row = self.row_entry(tt, table, c)
            if row is None:
                continue
            col = cols.get((tt.id, row.key, col_path), _UNSEEN)
            if col is _UNSEEN:
                col = self.col_entry(tt, row.key, c)
            n += 2 if col is not None else by_rows
        return n

    # -- one grid table --------------------------------------------------------------------------------
    def align(self) -> None:
        for table in self.tables:
            has_values = any(c.value is not None or c.status == "unreadable" for c in table.cells)
            scored = sorted(((self.score(tt, table), k, tt) for k, tt in enumerate(self.template.tables)),
                            key=lambda x: (-x[0], x[1]))
            if not scored or scored[0][0] == 0:
                if has_values:
                    self.warn("genre_table_unmatched",
                              f"table {table.index + 1} ({table.caption or 'no caption'}): no row of the "
                              f"{self.template.id} template; its cells keep their derived keys and are not "
                              f"checked by the genre's rules", table.span)
                continue
            self.align_table(scored[0][2], table)

    def align_table(self, tt: TemplateTable, table: TableRecord) -> None:
        order_note = False
        for row in _rows(table):
            if all(not (c.raw or "").strip() for c in row.cells):
                continue                                   # a group label on a row of its own: nothing written
            if not any(c.value is not None or c.status == "unreadable" for c in row.cells) and \
                    self.row_entry(tt, table, row.cells[0]) is None:
                continue                                   # a header fragment with no numbers: nothing lost
            if tt.rows_from == "column_groups":
                groups = [self.row_entry(tt, table, c) for c in row.cells]
                if all(g is not None for g in groups):
                    by_group: dict[str, list[TableCell]] = {}
                    for g, c in zip(groups, row.cells):
                        by_group.setdefault(g.key, []).append(c)
                    for gkey, cells in by_group.items():
                        order_note |= self.place(tt, gkey, cells, row)
                elif len(row.cells) == len(tt.rows) * len(tt.cols):
                    for k, entry in enumerate(tt.rows):
                        n = len(tt.cols)
                        order_note |= self.place(tt, entry.key, row.cells[k * n:(k + 1) * n], row, force_order=True)
                else:
                    self.unaligned(tt, row, "its column groups (行政复议 / 行政诉讼 …) are not named and it has "
                                            f"{len(row.cells)} value cells, not {len(tt.rows) * len(tt.cols)}")
                continue
            entry = self.row_entry(tt, table, row.cells[0])
            if entry is None:
                self.unaligned(tt, row, "its label names no row of the template (or more than one)")
                continue
            order_note |= self.place(tt, entry.key, row.cells, row)
        if order_note:
            heads = list(dict.fromkeys("/".join(c.col) or "—" for c in table.cells))
            self.warn("columns_by_order",
                      f"table {table.index + 1} ({table.caption or 'no caption'}): its column headers "
                      f"({'、'.join(heads[:8])}) do not name the template's columns; its value columns were "
                      f"taken in the order of the national form ({'、'.join(c.path[-1][0] for c in tt.cols)})",
                      table.span)

    def place(self, tt: TemplateTable, row_key: str, cells: list[TableCell], row: _Row,
              force_order: bool = False) -> bool:
        """Key the cells of one written row; True if the columns had to be taken by order."""
        entries = self.col_entries(tt, row_key)
        by_label = [None if force_order else self.col_entry(tt, row_key, c) for c in cells]
        keys = [e.key for e in by_label if e is not None]
        if not force_order and all(e is not None for e in by_label) and len(set(keys)) == len(keys):
            for e, c in zip(by_label, cells):
                self.add(tt, row_key, e.key, c, "label")
            return False
        if len(cells) == len(entries):
            for e, c in zip(entries, cells):
                self.add(tt, row_key, e.key, c, "order")
            return True
        placed = 0
        for e, c in zip(by_label, cells):
            if e is not None and keys.count(e.key) == 1:
                self.add(tt, row_key, e.key, c, "label")
                placed += 1
        lost = [c for e, c in zip(by_label, cells) if e is None or keys.count(e.key) != 1]
        if lost:
            self.unaligned(tt, row, f"{len(lost)} of its {len(cells)} value cells have headers that name no "
                                    f"column of the template ({'、'.join('/'.join(c.col) or '—' for c in lost)}) "
                                    f"and the row has {len(cells)} value cells, not {len(entries)}",
                           cells=lost)
        return False

    def add(self, tt: TemplateTable, row_key: str, col_key: str, c: TableCell, how: str) -> None:
        key = tt.key(row_key, col_key)
        row_label = "/".join(lv[0] for lv in tt.row_by_key[row_key].path)
        col_label = tt.col_by_key[col_key].path[-1][0]
        cell = GenreCell.trusted(key=key, table=tt.id, row=row_key, col=col_key,
                                 label=f"{row_label} · {col_label}", value=c.value,
                                 unit=c.unit or tt.units.get(row_key) or tt.units.get("*"),
                                 status=c.status, raw=c.raw, span=tuple(c.span), source=c.table, aligned=how)
        old = self.found.get(key)
        if old is not None:
            if old.value != cell.value:
                self.warn("genre_duplicate_cell",
                          f"{key} ({cell.label}) is written twice: {old.raw!r} in table {old.source + 1} and "
                          f"{cell.raw!r} in table {cell.source + 1}; the first is kept", c.span)
            return
        self.found[key] = cell

    def unaligned(self, tt: TemplateTable, row: _Row, why: str, cells: list[TableCell] | None = None) -> None:
        cells = cells or row.cells
        values = "、".join(c.raw for c in cells if c.raw)
        name = "/".join(row.path) or "(a row without a label)"
        self.warn("genre_row_unaligned",
                  f"table {row.table.index + 1}: row “{name}” ({values or 'no values'}) could not be aligned to "
                  f"the {tt.title} table of {self.template.id}: {why}; its cells keep their derived keys and the "
                  f"genre's rules do not use them", cells[0].span)

    def result(self) -> list[GenreCell]:
        out: list[GenreCell] = []
        for tt in self.template.tables:
            present = [k for k in self.found if k.startswith(tt.id + "/")]
            rows_seen = {self.found[k].row for k in present}
            for r, c in tt.cells:
                key = tt.key(r, c)
                if key in self.found:
                    out.append(self.found[key])
                    continue
                row_label = next("/".join(lv[0] for lv in e.path) for e in tt.rows if e.key == r)
                col_label = next(e.path[-1][0] for e in tt.cols if e.key == c)
                out.append(GenreCell.trusted(key=key, table=tt.id, row=r, col=c, label=f"{row_label} · {col_label}",
                                             unit=tt.units.get(r) or tt.units.get("*"), status="missing",
                                             aligned="none"))
            if not present:
                self.warn("genre_table_missing", f"the {tt.title} table of {self.template.id} was not found "
                                                 f"in the report: its cells are missing", None)
                continue
            for entry in tt.rows:
                if entry.key not in rows_seen:
                    self.warn("genre_row_missing",
                              f"row “{'/'.join(lv[0] for lv in entry.path)}” of the {tt.title} table was not found: "
                              f"its cells are missing and rules that need them are not checked", None)
        return out


def align_tables(template: Template, tables: list[TableRecord], norm: NormalizedText
                 ) -> tuple[list[GenreCell], list[ParseWarning]]:
    """Every cell of ``template``, read from the report's grid tables, and the warnings of the alignment."""
    aligner = _Aligner(template, tables, norm)
    aligner.align()
    return aligner.result(), aligner.warnings
