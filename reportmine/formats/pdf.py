"""PDF reports: the text layer in reading order, running headers, footers and page numbers dropped,
lines re-joined across pages, ruled tables as tab-separated rows."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import regex

from .grid import SourceCell, TextBuilder
from .text import (
    ReportLoadError,
    Source,
    check_not_empty,
    finish_text,
    glue,
    is_word_char,
    optional_module,
)

#: Page-number lines: "— 3 —", "- 3 -", "3", "第3页", "第 3 页 共 8 页", "3/8", "Page 3 of 8".
_PAGE_NUMBER = regex.compile(r"^\s*(?:[—–\-－_·\s]*\d{1,4}[—–\-－_·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                             r"|\d{1,4}\s*/\s*\d{1,4}|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)\s*$")
#: A line ending like this closes its paragraph even when the next line is not indented.
_PARAGRAPH_END = regex.compile(r"[。！？；：:!?]$")


@dataclass
class _PdfLine:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class _PdfTable:
    page: int
    top: float
    cells: list[SourceCell]


def read_pdf(p: Path, data: bytes) -> Source:
    """Text of a PDF in reading order: running headers, footers and page numbers dropped, lines wrapped
    inside a paragraph (also across a page break) joined, ruled tables as tab-separated rows."""
    pdfplumber = optional_module(p, ".pdf")
    check_not_empty(p, data)
    try:
        with pdfplumber.open(BytesIO(data)) as pdf:
            pages = pdf.pages
            if not pages:
                raise ReportLoadError(p, "PDF has no pages")
            if not any(ch.get("text", "").strip() for page in pages for ch in page.chars):
                raise ReportLoadError(p, f"PDF has no text layer ({len(pages)} page(s) of images or drawings, "
                                         "probably a scan): OCR is needed to read it, e.g. run ocrmypdf on it "
                                         "and pass the result")
            layout = [_pdf_page(page, i) for i, page in enumerate(pages)]
            count = len(pages)
    except ReportLoadError:
        raise
    except Exception as exc:
        raise ReportLoadError(p, _pdf_problem(exc)) from None
    built = _pdf_text(layout)
    text, tables = finish_text(p, built, "PDF")
    if text.count("(cid:") * 18 > len(text):          # half the text is unmapped glyphs
        raise ReportLoadError(p, "PDF fonts have no Unicode mapping, so its text layer is unreadable: "
                                 "OCR is needed to read it")
    return Source(str(p), text, None, "pdf", pages=count, tables=tables)


def _pdf_problem(exc: Exception) -> str:
    """A plain statement of why pdfplumber/pdfminer could not read the file."""
    inner = exc.args[0] if type(exc).__name__ == "PdfminerException" and exc.args else exc
    name = type(inner).__name__
    detail = str(inner) or name
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning") or "encrypt" in detail.lower():
        return "PDF is encrypted (password protected); remove the password (e.g. qpdf --decrypt) and try again"
    if name.startswith(("PDF", "PS")):
        return f"is not a readable PDF: corrupt or truncated ({detail})"
    return f"cannot be read as a PDF ({name}: {detail})"


def _pdf_page(page: Any, index: int) -> tuple[list[_PdfLine], list[_PdfTable]]:
    """Text lines outside ruled tables, and the tables (more than one cell) as rows."""
    tables = []
    for table in page.find_tables():
        rows = table.extract()
        if sum(1 for row in rows for cell in row if cell is not None) < 2:
            continue          # a box drawn around text is not a table
        tables.append((table.bbox, _PdfTable(index, table.bbox[1], _pdf_table_cells(table, rows))))
    boxes = [bbox for bbox, _ in tables]

    def outside_tables(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    body = page.filter(outside_tables) if boxes else page
    lines = [_PdfLine(index, ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"])
             for ln in body.extract_text_lines(return_chars=False) if ln["text"].strip()]
    return lines, [t for _, t in tables]


def _pdf_table_cells(table: Any, texts: list[list[str | None]]) -> list[SourceCell]:
    """The cells of a ruled table on its grid: a merged cell covers the grid lines inside its box."""
    boxes = [row.cells for row in table.rows]
    xs = sorted({round(box[0], 1) for row in boxes for box in row if box is not None})
    tops = sorted({round(box[1], 1) for row in boxes for box in row if box is not None})
    cells = []
    for i, (row, row_texts) in enumerate(zip(boxes, texts)):
        for j, (box, text) in enumerate(zip(row, row_texts)):
            if box is None or text is None:
                continue          # a grid position covered by a merged cell
            x0, top, x1, bottom = box
            col_span = max(1, sum(1 for x in xs if x0 - 0.5 <= x < x1 - 0.5))
            row_span = max(1, sum(1 for y in tops if top - 0.5 <= y < bottom - 0.5))
            cells.append(SourceCell(i, j, glue(text.split("\n")), row_span, col_span))
    return cells


def _running_lines(pages: list[list[_PdfLine]]) -> set[int]:
    """ids of header/footer lines: page numbers, and lines repeated at the same height on most pages.

    Only the two topmost and two bottommost lines of a page are candidates, so a body line with the
    same words as the running header (the report title, say) stays.
    """
    candidates = []
    for lines in pages:
        ordered = sorted(lines, key=lambda ln: ln.top)
        edge = ordered[:2] + [ln for ln in ordered[-2:] if ln not in ordered[:2]]
        candidates.extend(edge)
    drop = {id(ln) for ln in candidates if _PAGE_NUMBER.match(ln.text)}
    if len(pages) >= 2:
        def key(ln: _PdfLine) -> str:
            return regex.sub(r"\d+", "#", regex.sub(r"\s+", "", ln.text))
        seen: dict[str, list[_PdfLine]] = {}
        for ln in candidates:
            seen.setdefault(key(ln), []).append(ln)
        for group in seen.values():
            for ln in group:
                same_place = {o.page for o in group if abs(o.top - ln.top) <= 4}
                if len(same_place) >= max(2, len(pages) / 2):
                    drop.add(id(ln))
    return drop


def _pdf_text(layout: list[tuple[list[_PdfLine], list[_PdfTable]]]) -> TextBuilder:
    """The pages' lines and tables as one text, in reading order, with line breaks decided here."""
    built = TextBuilder("pdf")
    pages = [lines for lines, _ in layout]
    drop = _running_lines(pages)
    body = [ln for lines in pages for ln in lines if id(ln) not in drop]
    if not body and not any(tables for _, tables in layout):
        return built
    # The text column: its left edge, where full lines end, the width of a character, line spacing.
    left = _percentile([ln.x0 for ln in body], 0.1) if body else 0.0
    right = _percentile([ln.x1 for ln in body], 0.9) if body else 0.0
    heights = [ln.bottom - ln.top for ln in body] or [10.0]
    char = statistics.median([(ln.x1 - ln.x0) / max(1, len(ln.text)) for ln in body if len(ln.text) >= 4]
                             or heights)
    gaps = [b.top - a.bottom for lines in pages for a, b in zip(lines, lines[1:])
            if id(a) not in drop and id(b) not in drop and b.top > a.top]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    line_height = statistics.median(heights)

    def separator(a: _PdfLine, b: _PdfLine) -> str:
        """How line ``a`` continues into the next line ``b``: wrapped, hard break, or new paragraph."""
        if b.x0 > left + 0.6 * char:                       # indented, centred or right-aligned: new block
            return "\n\n"
        if a.page == b.page and b.top - a.bottom > usual_gap + 0.6 * line_height:
            return "\n\n"                                  # vertical space between paragraphs
        if a.x1 >= right - 2 * char:                       # a full line wraps into the next
            return ""
        return "\n\n" if _PARAGRAPH_END.search(a.text) else "\n"

    blocks: list[tuple[int, float, object]] = []
    for lines, tables in layout:
        blocks.extend((ln.page, ln.top, ln) for ln in lines if id(ln) not in drop)
        blocks.extend((t.page, t.top, t) for t in tables)
    blocks.sort(key=lambda b: (b[0], b[1]))
    previous = None
    for _page, _top, item in blocks:
        if isinstance(item, _PdfTable):
            built.add_table(item.cells)
            previous = None
            continue
        if previous is None:
            built.add_text(item.text)
        else:
            sep = separator(previous, item)
            if sep == "" and is_word_char(previous.text[-1]) and is_word_char(item.text[0]):
                sep = " "
            built.write(sep + item.text)
        previous = item
    return built


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


