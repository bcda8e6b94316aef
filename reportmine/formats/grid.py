"""Tables as loaders find them: Word, HTML and PDF tables handed over as grids, not guessed again.

A loader describes each table by its cells (:class:`SourceCell`: row, column, spans, text, header);
:func:`render_table` writes the rows as tab-separated lines (the text every stage reads) and records
where each cell's text lies in them; :class:`TextBuilder` joins paragraphs and tables into a report's
text and turns those places into offsets of the whole text (:class:`LoadedTable`, on
:attr:`reportmine.formats.text.Source.tables`). :mod:`reportmine.document` takes the grid from there,
with its merged cells, instead of splitting the tab rows again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SourceCell", "LoadedCell", "LoadedTable", "render_table", "TextBuilder", "grid_cells", "MAX_COLUMNS"]

#: A merged cell never reaches past this many columns (a hostile ``colspan="100000"`` stays cheap).
MAX_COLUMNS = 256


@dataclass(frozen=True)
class SourceCell:
    """One cell as the file has it: top-left grid position, how many rows/columns it covers, its text."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    header: bool = False


@dataclass(frozen=True)
class LoadedCell:
    """A :class:`SourceCell` placed in the report's text: ``start``/``end`` index :attr:`Source.text`."""

    row: int
    col: int
    start: int
    end: int
    row_span: int = 1
    col_span: int = 1
    header: bool = False


@dataclass(frozen=True)
class LoadedTable:
    """A table a loader read as a grid (``kind``: ``docx``, ``html``, ``pdf``, ``ocr``); offsets index
    :attr:`Source.text`, whose tab rows from ``start`` to ``end`` are this table written out."""

    kind: str
    start: int
    end: int
    n_rows: int
    n_cols: int
    cells: tuple[LoadedCell, ...]


def grid_cells(rows: list[list[tuple[str, int, int, bool]]]) -> list[SourceCell]:
    """Place the cells of HTML-like rows (text, rowspan, colspan, header) on a grid.

    Each row lists only the cells that start in it; a cell lands in the first column not covered by a
    cell spanning down from a row above, as browsers lay out ``rowspan``/``colspan``.
    """
    covered: set[tuple[int, int]] = set()
    out: list[SourceCell] = []
    for i, row in enumerate(rows):
        j = 0
        for text, row_span, col_span, header in row:
            while (i, j) in covered:
                j += 1
            row_span = max(1, min(row_span, len(rows) - i))
            col_span = max(1, min(col_span, MAX_COLUMNS - j))
            out.append(SourceCell(i, j, text, row_span, col_span, header))
            for di in range(row_span):
                for dj in range(col_span):
                    covered.add((i + di, j + dj))
            j += col_span
    return out


def render_table(cells: list[SourceCell]) -> tuple[str, list[tuple[SourceCell, int, int]]]:
    """The table as tab-separated rows, and each cell with its ``(start, end)`` in that text.

    A cell merged across columns is written once; a position covered by a cell from a row above is an
    empty cell when it stands before the row's own cells, so text readers see the row continue the
    one above. Rows with no text are left out (their cells keep an empty span at the next row).
    """
    if not cells:
        return "", []
    n_rows = max(c.row + c.row_span for c in cells)
    n_cols = max(c.col + c.col_span for c in cells)
    owner: dict[tuple[int, int], SourceCell] = {}
    for c in cells:
        for di in range(c.row_span):
            for dj in range(c.col_span):
                owner.setdefault((c.row + di, c.col + dj), c)
    lines: list[str] = []
    placed: list[tuple[SourceCell, int, int]] = []
    pos = 0
    pending: list[SourceCell] = []          # cells of rows with no text, placed at the next written row
    for i in range(n_rows):
        row_cells = sorted((c for c in cells if c.row == i), key=lambda c: c.col)
        if not any(c.text.strip() for c in row_cells):
            pending.extend(row_cells)
            continue
        parts: list[tuple[SourceCell | None, str]] = []
        j = 0
        while j < n_cols:
            c = owner.get((i, j))
            if c is None:
                parts.append((None, ""))
                j += 1
            elif c.row == i:
                parts.append((c, c.text))
                j = c.col + c.col_span
            else:                               # covered from above: an empty cell, once per covering cell
                parts.append((None, ""))
                j = c.col + c.col_span
        last = max(k for k, (_, text) in enumerate(parts) if text.strip())
        tail = [c for c, _ in parts[last + 1:] if c is not None]
        parts = parts[:last + 1]                # trailing empty cells add nothing to the text
        row_start = pos + (len(lines) and 1)   # after the newline that ends the previous row
        offset = row_start
        for k, (c, text) in enumerate(parts):
            if k:
                offset += 1                     # the tab
            if c is not None:
                placed.append((c, offset, offset + len(text)))
            offset += len(text)
        placed.extend((c, offset, offset) for c in tail)
        for c in pending:
            placed.append((c, row_start, row_start))
        pending = []
        lines.append("\t".join(t for _, t in parts))
        pos = offset
    end = pos
    for c in pending:
        placed.append((c, end, end))
    return "\n".join(lines), placed


@dataclass
class TextBuilder:
    """A report's text written piece by piece, with the tables' cells as offsets of that text.

    :meth:`add_text` and :meth:`add_table` put a blank line between blocks, as a .txt report has
    them; :meth:`write` and :meth:`write_table` append exactly what they are given (the PDF reader
    decides its own line breaks).
    """

    kind: str
    parts: list[str] = field(default_factory=list)
    tables: list[LoadedTable] = field(default_factory=list)
    length: int = 0

    def write(self, text: str) -> None:
        """Append ``text`` as it is."""
        self.parts.append(text)
        self.length += len(text)

    def write_table(self, cells: list[SourceCell]) -> bool:
        """Append a table's tab rows at the current end; False (nothing written) when it has no text.

        A grid wider than :data:`MAX_COLUMNS` (only hostile spans make one) is written as its rows'
        texts and not handed over as a grid, so its cost stays linear in the number of cells.
        """
        if max((c.col + c.col_span for c in cells), default=0) > MAX_COLUMNS:
            rows: dict[int, list[SourceCell]] = {}
            for c in cells:
                rows.setdefault(c.row, []).append(c)
            lines = ["\t".join(c.text for c in sorted(r, key=lambda c: c.col)) for _, r in sorted(rows.items())]
            text = "\n".join(line for line in lines if line.strip())
            if text.strip():
                self.write(text)
            return bool(text.strip())
        text, placed = render_table(cells)
        if not text.strip():
            return False
        start = self.length
        self.write(text)
        loaded = tuple(LoadedCell(c.row, c.col, start + s, start + e, c.row_span, c.col_span, c.header)
                       for c, s, e in placed)
        n_rows = max(c.row + c.row_span for c in cells)
        n_cols = max(c.col + c.col_span for c in cells)
        self.tables.append(LoadedTable(self.kind, start, start + len(text), n_rows, n_cols, loaded))
        return True

    def add_text(self, text: str) -> None:
        """A paragraph (or several, already separated by blank lines); blank text adds nothing."""
        if text.strip():
            self.write("\n\n" + text if self.length else text)

    def add_table(self, cells: list[SourceCell]) -> None:
        """A table given by its cells, as a block of its own; a table with no text adds nothing."""
        if not any(c.text.strip() for c in cells):
            return
        if self.length:
            self.write("\n\n")
        self.write_table(cells)

    @property
    def text(self) -> str:
        """The joined text, ending in a newline."""
        return "".join(self.parts) + "\n"
