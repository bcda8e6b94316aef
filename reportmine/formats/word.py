"""Word (.docx) reports: paragraphs and real tables in body order, as text of a .txt report's shape."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

from .grid import MAX_COLUMNS, SourceCell, TextBuilder
from .text import (
    ReportLoadError,
    Source,
    check_not_empty,
    finish_text,
    glue,
    optional_module,
    paragraph_lines,
)


def read_docx(p: Path, data: bytes) -> Source:
    """Paragraphs and tables of a Word document, in body order."""
    docx = optional_module(p, ".docx")
    check_not_empty(p, data)
    try:
        document = docx.Document(BytesIO(data))
    except zipfile.BadZipFile:
        raise ReportLoadError(p, "is not a valid .docx file: not a ZIP package (corrupt, truncated, or another "
                                 "format renamed to .docx)") from None
    except KeyError as exc:
        raise ReportLoadError(p, f"is not a valid .docx file: a ZIP archive without the Word parts ({exc})") from None
    except Exception as exc:  # python-docx raises ValueError, PackageNotFoundError, lxml errors ...
        raise ReportLoadError(p, f"cannot be read as a .docx file ({type(exc).__name__}: {exc})") from None
    built = TextBuilder("docx")
    try:
        for block in _docx_blocks(document.element.body):
            if isinstance(block, str):
                built.add_text(block)
            else:
                built.add_table(block)
    except Exception as exc:
        raise ReportLoadError(p, f"cannot be read as a .docx file ({type(exc).__name__}: {exc})") from None
    text, tables = finish_text(p, built, "Word document")
    return Source(str(p), text, None, "docx", tables=tables)


def _docx_blocks(container: Any) -> Iterator[str | list[SourceCell]]:
    """Body children in document order: a paragraph's text, or a table as its cells."""
    from docx.oxml.ns import qn

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield paragraph_lines(_docx_text(child))
        elif child.tag == qn("w:tbl"):
            yield _docx_table_cells(child)
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent"))
            yield from _docx_blocks(content if content is not None else child)


def _docx_table_cells(tbl: Any) -> list[SourceCell]:
    """The cells of a Word table on its grid, read from the XML so each cell comes once.

    A cell merged across columns (``gridSpan``) covers that many grid columns; a cell merged down
    (``vMerge="restart"`` then ``"continue"``) covers the rows it continues into. Rows that skip
    grid columns at their start (``gridBefore``) start further right. Header rows (``tblHeader``)
    say so.
    """
    from docx.oxml.ns import qn

    cells: list[SourceCell] = []
    open_down: dict[int, int] = {}          # grid column -> index in ``cells`` of the cell merged down from above
    for i, tr in enumerate(tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr")):
        header = bool(tr.xpath("./w:trPr/w:tblHeader"))
        before = tr.xpath("./w:trPr/w:gridBefore/@w:val")
        j = int(before[0]) if before and str(before[0]).isdigit() else 0
        for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc"):
            span = tc.xpath("./w:tcPr/w:gridSpan/@w:val")
            width = max(1, min(int(span[0]), MAX_COLUMNS)) if span and str(span[0]).isdigit() else 1
            if tc.vMerge == "continue" and j in open_down:
                k = open_down[j]
                c = cells[k]
                cells[k] = SourceCell(c.row, c.col, c.text, i - c.row + 1, c.col_span, c.header)
            else:
                text = glue([_docx_text(para) for para in tc.iter(qn("w:p"))])
                cells.append(SourceCell(i, j, text, 1, width, header))
                if tc.vMerge == "restart":
                    open_down[j] = len(cells) - 1
                else:
                    open_down.pop(j, None)
            j += width
    return cells


def _docx_text(p: Any) -> str:
    """Text of a ``<w:p>``, read from the XML so that runs inside inline content controls (fill-in
    blanks of form templates), tracked insertions, smart tags and simple fields are kept, which
    python-docx's ``Paragraph.text`` skips. Text boxes are left out, as python-docx does."""
    from docx.oxml.ns import qn

    t, tab, br, cr, hyphen = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
    run, textbox = qn("w:r"), qn("w:txbxContent")
    parts = []
    for el in p.iter(t, tab, br, cr, hyphen):
        if el.getparent() is None or el.getparent().tag != run:
            continue              # e.g. the tab stops <w:tabs><w:tab/> of the paragraph properties
        if next(el.iterancestors(textbox), None) is not None:
            continue
        if el.tag == t:
            parts.append(el.text or "")
        else:
            parts.append({tab: "\t", hyphen: "-"}.get(el.tag, "\n"))
    return "".join(parts)


