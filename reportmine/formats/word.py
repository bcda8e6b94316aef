"""Word (.docx) reports: paragraphs and real tables in body order, as text of a .txt report's shape."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

from .text import (
    ReportLoadError,
    Source,
    check_not_empty,
    finish_blocks,
    glue,
    optional_module,
    paragraph_lines,
    table_row,
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
    try:
        blocks = list(_docx_blocks(document.element.body))
    except Exception as exc:
        raise ReportLoadError(p, f"cannot be read as a .docx file ({type(exc).__name__}: {exc})") from None
    return Source(str(p), finish_blocks(p, blocks, "Word document"), None, "docx")


def _docx_blocks(container: Any) -> Iterator[str]:
    """Body children in document order: a paragraph's text, or a table as tab-separated rows."""
    from docx.oxml.ns import qn

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield paragraph_lines(_docx_text(child))
        elif child.tag == qn("w:tbl"):
            yield "\n".join(row for row in _docx_table_rows(child) if row is not None)
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent"))
            yield from _docx_blocks(content if content is not None else child)


def _docx_table_rows(tbl: Any) -> Iterator[str | None]:
    """Rows of a Word table, read from its XML so each cell comes once.

    A cell merged across columns (``gridSpan``) is one ``<w:tc>`` and gives one text; a cell merged
    down (``vMerge``) gives its text in its first row and an empty cell in the rows it continues into,
    so a continued row reads as the continuation of the row above, as in a .txt annex.
    """
    from docx.oxml.ns import qn

    for tr in tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr"):
        cells = []
        for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc"):
            if tc.vMerge == "continue":
                cells.append("")
                continue
            cells.append(glue([_docx_text(para) for para in tc.iter(qn("w:p"))]))
        yield table_row(cells)


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


