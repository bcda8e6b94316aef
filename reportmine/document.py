"""The document model every stage reads: blocks (headings, paragraphs, tables) with spans.

Every loader hands over text; Word, PDF and HTML loaders also hand over their tables as grids
(:class:`reportmine.formats.grid.LoadedTable`, merged cells included), which are taken as they are.
This module finds the blocks of the text once, in one place: numbered or Markdown headings,
paragraphs, the loaders' tables, and tables written in the text as tab-separated rows, Markdown pipe
rows, ``[表格]…[/表格]`` blocks, or columns aligned by runs of two or more spaces. A :class:`Table` is
a grid of :class:`GridCell` (row, column, spans, text, span in the text); which rows are headers and
what each cell means is :mod:`reportmine.tables`' job.

All offsets are into the *normalised* text (``NormalizedText.text``); map them with
``norm.to_original`` before showing them to a user.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .formats.grid import LoadedTable
from .normalize import NormalizedText

__all__ = ["GridCell", "Table", "Block", "DocumentModel", "build_document", "HEADING_NUMBER", "heading_level"]

#: Numbering of 公文 headings and hierarchical row labels: 一、 （一） 1. （1）, ASCII brackets too.
HEADING_NUMBER = regex.compile(
    r"^\s*(?:(?P<l1>[一二三四五六七八九十]+)[、.．]|[（(]\s*(?P<l2>[一二三四五六七八九十]+)\s*[）)]"
    r"|(?P<l3>\d{1,2})\s*[.．、](?!\d)|[（(]\s*(?P<l4>\d{1,2})\s*[）)])\s*")
_MARKDOWN_HEADING = regex.compile(r"^\s*#{1,6}\s+")
_PIPE_ROW = regex.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = regex.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_TABLE_OPEN = regex.compile(r"^\s*\[表格\]\s*$")
_TABLE_CLOSE = regex.compile(r"^\s*\[/表格\]\s*$")
_ALIGNED_GAP = regex.compile(r"(?<=\S) {2,}(?=\S)")
#: Table kinds of grids handed over by a loader.
_LOADER_KINDS = frozenset({"docx", "html", "pdf", "ocr"})
#: A line longer than this is prose, even with a tab in it.
MAX_ROW_CHARS = 400


@lru_cache(maxsize=4096)
def heading_level(text: str) -> int | None:
    """The numbering level of a heading or row label (1 for 一、, 2 for （一）, 3 for 1., 4 for （1）)."""
    m = HEADING_NUMBER.match(text)
    if not m:
        return None
    return next(i for i, g in enumerate(("l1", "l2", "l3", "l4"), 1) if m.group(g))


@dataclass(frozen=True)
class GridCell:
    """One grid position of a table: its row and column, text and span (normalised offsets).

    A merged cell covers several positions; each holds its text and span, and ``origin`` is the
    top-left position of the merged cell (the position itself for an ordinary cell), so a reader can
    spread a group header over its columns yet count a merged value once. ``header`` is True when the
    file marks the cell as a header (``<th>``, a Word header row).
    """

    row: int
    col: int
    text: str
    span: tuple[int, int]
    origin: tuple[int, int] | None = None
    header: bool = False

    @property
    def covered(self) -> bool:
        """True for a position covered by a merged cell that starts elsewhere."""
        return self.origin is not None and self.origin != (self.row, self.col)

    @property
    def continues_down(self) -> bool:
        """True for a position covered by a merged cell that starts in a row above."""
        return self.origin is not None and self.origin[0] != self.row


@dataclass
class Table:
    """A grid of cells as laid out in the text; ``rows[i][j]`` is a :class:`GridCell` (text may be empty).

    ``kind`` says how it was written (``tabs``, ``markdown``, ``bracketed``, ``aligned``, or the loader
    that handed it over as a grid: ``docx``, ``html``, ``pdf``); ``caption``
    is the heading or title line just before it (or a one-cell row at its top), ``context`` the numbered
    headings it sits under, outermost first.
    """

    rows: list[list[GridCell]]
    span: tuple[int, int]
    kind: str
    caption: str | None = None
    caption_span: tuple[int, int] | None = None
    context: list[str] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def exact(self) -> bool:
        """True when the file itself laid the table out as a grid (merged cells known, not guessed)."""
        return self.kind in _LOADER_KINDS

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


    def __repr__(self) -> str:
        return f"<Table {self.kind} {self.n_rows}×{self.n_cols} {self.caption or ''}>".replace(" >", ">")


@dataclass
class Block:
    """A heading, a paragraph or a table; ``start``/``end`` index the normalised text."""

    kind: str
    start: int
    end: int
    text: str
    table: Table | None = None
    level: int | None = None


@dataclass
class DocumentModel:
    """The blocks of one normalised text, in reading order."""

    norm: NormalizedText
    blocks: list[Block]

    @property
    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.table is not None]



@dataclass(frozen=True)
class _RawLine:
    start: int
    end: int
    text: str          # the line as written (leading tabs kept: an empty first cell)

    @property
    def stripped(self) -> str:
        return self.text.strip(" \t")


def _raw_lines(text: str) -> list[_RawLine]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(_RawLine(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


#: One cell of a written row before the table is built: its text and span.
_Piece = tuple[str, tuple[int, int]]


def _split(line: _RawLine, separator: regex.Pattern[str] | str) -> list[_Piece]:
    """Cells of one row split at ``separator``, as (text, span); spans exclude the surrounding spaces."""
    text = line.text
    pieces, pos = [], 0
    if isinstance(separator, str):      # a literal: str.split finds it as a search for it would
        for part in text.split(separator):
            pieces.append((pos, pos + len(part)))
            pos += len(part) + len(separator)
    else:
        for m in separator.finditer(text):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, len(text)))
    cells = []
    for s, e in pieces:
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip(" "))
        body = chunk.strip(" ")
        cells.append((body, (line.start + s + lead, line.start + s + lead + len(body))))
    return cells


def _pipe_cells(line: _RawLine) -> list[_Piece]:
    text = line.text
    first = text.index("|")
    last = text.rindex("|")
    inner = _RawLine(line.start + first + 1, line.start + last, text[first + 1:last])
    return _split(inner, "|")


def _tab_cells(line: _RawLine) -> list[_Piece]:
    # trailing tabs are empty cells too, but a line's final spaces are not
    return _split(_RawLine(line.start, line.start + len(line.text.rstrip(" ")), line.text.rstrip(" ")), "\t")


def _aligned_cells(line: _RawLine) -> list[_Piece]:
    text = line.text.rstrip(" ")
    lead = len(text) - len(text.lstrip(" "))
    return _split(_RawLine(line.start + lead, line.start + len(text), text[lead:]), _ALIGNED_GAP)


def _grid(rows: list[list[_Piece]]) -> list[list[GridCell]]:
    return [[GridCell(i, j, text, span) for j, (text, span) in enumerate(r)] for i, r in enumerate(rows)]


def _normalized_offset(norm: NormalizedText, original: int) -> int:
    """The normalised position of an original offset (the next kept character when it was deleted)."""
    return bisect.bisect_left(norm.offsets, original)


def _loaded_grid(norm: NormalizedText, table: LoadedTable) -> list[list[GridCell]]:
    """A loader's table as a dense grid of :class:`GridCell`; rows with no text at all are left out."""
    grid: list[list[GridCell | None]] = [[None] * table.n_cols for _ in range(table.n_rows)]
    for c in table.cells:
        s, e = _normalized_offset(norm, c.start), _normalized_offset(norm, c.end)
        text = norm.text[s:e].strip()
        for i in range(c.row, min(table.n_rows, c.row + c.row_span)):
            for j in range(c.col, min(table.n_cols, c.col + c.col_span)):
                if grid[i][j] is None:
                    grid[i][j] = GridCell(i, j, text, (s, e), (c.row, c.col), c.header)
    rows = [r for r in grid if any(c is not None and c.text and not c.continues_down for c in r)]
    new_row = {id(r): i for i, r in enumerate(rows)}
    old_to_new = {i: new_row[id(r)] for i, r in enumerate(grid) if id(r) in new_row}
    out: list[list[GridCell]] = []
    for i, r in enumerate(rows):
        row: list[GridCell] = []
        anchor = next((c.span for c in r if c is not None), (0, 0))
        for j, c in enumerate(r):
            if c is None:
                row.append(GridCell(i, j, "", (anchor[0], anchor[0]), (i, j)))
                continue
            origin = (old_to_new.get(c.origin[0], i), c.origin[1]) if c.origin else (i, j)
            row.append(GridCell(i, j, c.text, c.span, origin, c.header))
            anchor = (c.span[1], c.span[1])
        out.append(row)
    return out


def _is_tab_row(line: _RawLine) -> bool:
    return "\t" in line.text and line.stripped != "" and len(line.text) <= MAX_ROW_CHARS


def _is_aligned_row(line: _RawLine) -> bool:
    s = line.stripped
    return bool(s) and "\t" not in s and len(s) <= MAX_ROW_CHARS and len(_ALIGNED_GAP.findall(s)) >= 1 \
        and not regex.search(r"[。！？]", s)


def build_document(norm: NormalizedText, loaded: Sequence[LoadedTable] = ()) -> DocumentModel:
    """Find the headings, paragraphs and tables of a normalised text; ``loaded`` are the tables the
    loader read as grids (offsets into ``norm.original``), taken as they are."""
    lines = _raw_lines(norm.text)
    blocks: list[Block] = []
    pending = sorted(((_normalized_offset(norm, t.start), _normalized_offset(norm, t.end), t) for t in loaded),
                     key=lambda x: x[0])
    i = 0
    while i < len(lines):
        ln = lines[i]
        s = ln.stripped
        while pending and pending[0][1] <= ln.start:
            pending.pop(0)                      # a loaded table normalisation left no line of
        if pending and ln.end > pending[0][0] and s:
            start, end, table = pending.pop(0)
            rows = _loaded_grid(norm, table)
            if rows:
                blocks.append(Block("table", start, end, "", Table(rows, (start, end), table.kind)))
            while i < len(lines) and lines[i].start < end:
                i += 1
            continue
        if not s:
            i += 1
            continue
        if _TABLE_OPEN.match(s):
            j = i + 1
            while j < len(lines) and not _TABLE_CLOSE.match(lines[j].stripped):
                j += 1
            body = [x for x in lines[i + 1:j] if x.stripped]
            if body:
                rows = [_pipe_cells(x) if _PIPE_ROW.match(x.text) else _tab_cells(x) for x in body
                        if not _PIPE_RULE.match(x.text)]
                _add_table(blocks, rows, body[0].start, body[-1].end, "bracketed")
            i = min(j + 1, len(lines))
            continue
        if _PIPE_ROW.match(ln.text):
            j = i
            rows = []
            while j < len(lines) and _PIPE_ROW.match(lines[j].text):
                if not _PIPE_RULE.match(lines[j].text):
                    rows.append(_pipe_cells(lines[j]))
                j += 1
            if rows:
                _add_table(blocks, rows, ln.start, lines[j - 1].end, "markdown")
            i = j
            continue
        if _is_tab_row(ln):
            j = i
            while j < len(lines) and (_is_tab_row(lines[j]) or _continues_row(lines, j)):
                j += 1
            rows = [_tab_cells(x) for x in lines[i:j] if x.stripped]
            if len(rows) >= 2 or len(rows[0]) >= 3:
                _add_table(blocks, rows, ln.start, lines[j - 1].end, "tabs")
                i = j
                continue
        if _is_aligned_row(ln):
            j = i
            while j < len(lines) and _is_aligned_row(lines[j]):
                j += 1
            rows = [_aligned_cells(x) for x in lines[i:j]]
            widths = [len(r) for r in rows]
            if j - i >= 3 and max(widths) >= 3 and sum(w == max(widths) for w in widths) >= (j - i) * 0.6:
                _add_table(blocks, rows, ln.start, lines[j - 1].end, "aligned")
                i = j
                continue
        text = _MARKDOWN_HEADING.sub("", s)
        lead = ln.start + (len(ln.text) - len(ln.text.lstrip(" \t"))) + (len(s) - len(text))
        level = heading_level(text)
        is_heading = bool(_MARKDOWN_HEADING.match(s)) or (level is not None and len(text) <= 60
                                                          and not regex.search(r"[。；]", text[:-1]))
        blocks.append(Block("heading" if is_heading else "paragraph", lead, lead + len(text), text, level=level))
        i += 1
    _attach_captions(blocks)
    return DocumentModel(norm, blocks)


def _add_table(blocks: list[Block], rows: list[list[_Piece]], start: int, end: int, kind: str) -> None:
    table = Table(_grid(rows), (start, end), kind)
    blocks.append(Block("table", start, end, "", table))


def _continues_row(lines: list[_RawLine], j: int) -> bool:
    """A blank line between tab rows does not end the table when a tab row follows it."""
    return not lines[j].stripped and j + 1 < len(lines) and _is_tab_row(lines[j + 1])


_TABLE_TITLE = regex.compile(r"(?:表|情况|统计|汇总|一览|明细)|^[（(]?单位[：:]|项[）)]?$")


def _attach_captions(blocks: list[Block]) -> None:
    """Give each table the heading or title just before it and the numbered headings it sits under."""
    stack: list[tuple[int, str]] = []   # (level, text) of the numbered headings seen so far
    for k, b in enumerate(blocks):
        if b.kind == "heading" and b.level is not None:
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            stack.append((b.level, b.text))
        if b.table is None:
            continue
        t = b.table
        t.context = [text for _, text in stack]
        prev = blocks[k - 1] if k > 0 else None
        if prev is not None and prev.table is None and len(prev.text) <= 80 and \
                (prev.kind == "heading" or _TABLE_TITLE.search(prev.text)):
            t.caption, t.caption_span = prev.text, (prev.start, prev.end)
