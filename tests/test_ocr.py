"""Scanned PDFs (the ``ocr`` extra): pages of the seed rendered to images only, read back by OCR.

The scans are made here: the seed's text PDF (the reportlab fixture of ``test_formats``) rendered with
pypdfium2 to greyscale images, written into a PDF that holds nothing but those images. Skipped, with the
reason, when the extra is not installed or ``../shared`` is absent.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import reportmine
from reportmine.check import check_report
from reportmine.io import ReportLoadError

from test_formats import seed_pdf  # noqa: F401  (the seed as a text PDF, a fixture)

OCR_PACKAGES = ("rapidocr", "onnxruntime", "pypdfium2", "numpy")
MISSING = [name for name in OCR_PACKAGES if importlib.util.find_spec(name) is None]
needs_ocr = pytest.mark.skipif(bool(MISSING), reason=f"the OCR extra is not installed ({', '.join(MISSING)} "
                                                      "missing): pip install 'reportmine[ocr]'")
#: Resolution of the made-up scans (a common scanner setting).
SCAN_DPI = 200
#: Of the seed annex's 35 cells, at least this many must come back with their values.
MIN_CELLS = 33


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page_texts(pdf: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [_squash(page.extract_text() or "") for page in doc.pages]


def _image_pdf(src: Path, pages: list[int | str], out: Path) -> Path:
    """A PDF of ``src``'s pages, those given by index as greyscale images only (no text layer), and
    those given as strings (``"3"``) copied with their text layer."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    doc = pdfium.PdfDocument(str(src))
    parts = []
    for spec in pages:
        i = int(spec)
        page = doc[i]
        width, height = page.get_size()
        parts.append((spec, width, height, page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil()))
    c = canvas.Canvas(str(out))
    text_pages = []
    for k, (spec, width, height, image) in enumerate(parts):
        c.setPageSize((width, height))
        if isinstance(spec, str):
            text_pages.append(k)       # a placeholder page, replaced below by the original
        else:
            c.drawImage(ImageReader(image), 0, 0, width=width, height=height)
        c.showPage()
    c.save()
    if text_pages:
        scanned = pdfium.PdfDocument(str(out))
        merged = pdfium.PdfDocument.new()
        for k, (spec, *_rest) in enumerate(parts):
            if k in text_pages:
                merged.import_pages(doc, [int(spec)])
            else:
                merged.import_pages(scanned, [k])
        scanned.close()
        tmp = out.with_suffix(".mixed.pdf")
        merged.save(str(tmp))
        merged.close()
        tmp.replace(out)
    doc.close()
    return out


@pytest.fixture(scope="module")
def chosen_pages(seed_pdf, gold_claims, gold_annex, seed_text) -> dict[str, list[int]]:  # noqa: F811
    """Pages of the seed PDF to scan, found by their content: the first page with prose figures of the
    gold, the page with the 附件说明 line (where the report says it has an annex), the annex table."""
    texts = _page_texts(seed_pdf)
    claims = [_squash(c["surface"]) for c in gold_claims["claims"]]
    first = next(i for i, t in enumerate(texts) if any(s in t for s in claims))
    note = next(i for i, t in enumerate(texts) if "附件：" in t)
    blanks = [_squash(seed_text[c["value_span"][0]:c["value_span"][1]]) for c in gold_annex["cells"]]
    annex = sorted({i for i, t in enumerate(texts) for b in blanks if b in t})
    return {"figures": [first], "scan": sorted({first, note, *annex}), "texts": texts}


@pytest.fixture(scope="module")
def scanned_report(seed_pdf, chosen_pages, tmp_path_factory):  # noqa: F811
    if MISSING:
        pytest.skip(f"the OCR extra is not installed ({', '.join(MISSING)} missing): pip install 'reportmine[ocr]'")
    path = _image_pdf(seed_pdf, chosen_pages["scan"], tmp_path_factory.mktemp("ocr") / "scan.pdf")
    assert not any(_page_texts(path)), "the scan must have no text layer"
    return reportmine.parse(path)


@needs_ocr
def test_scanned_annex_gives_the_gold_cells(scanned_report, gold_annex):
    report = scanned_report
    assert report.source.format == "pdf" and report.source.ocr_pages == tuple(range(1, report.source.pages + 1))
    assert any(w.code == "ocr" and "OCR" in w.message for w in report.warnings)
    gold = [(c["item"], c["label"], c["value"], c["unit"]) for c in gold_annex["cells"]]
    got = [(c.item, c.label, c.value, c.unit) for c in report.record.annex.cells]
    matched = sum((Counter(gold) & Counter(got)).values())
    assert matched >= MIN_CELLS, (matched, sorted((Counter(gold) - Counter(got)).elements()))
    # a value OCR got wrong is never silent: a warning is at it
    doubts = [w.span for w in report.warnings if w.code == "ocr_uncertain"]
    gold_values: dict[tuple, list] = {}
    for c in gold_annex["cells"]:
        gold_values.setdefault((c["item"], c["label"], c["unit"]), []).append(c["value"])
    got_cells: dict[tuple, list] = {}
    for cell in report.record.annex.cells:
        got_cells.setdefault((cell.item, cell.label, cell.unit), []).append(cell)
    for key, cells in got_cells.items():
        wants = gold_values.get(key, [])
        if len(wants) != len(cells):
            continue
        for cell, want in zip(cells, wants):
            if cell.value is not None and cell.value != want:
                assert any(s[0] < cell.value_span[1] and cell.value_span[0] < s[1] for s in doubts), cell


@needs_ocr
def test_scanned_annex_table_is_handed_over_as_an_ocr_grid(scanned_report, gold_annex):
    grids = [t for t in scanned_report.source.tables if t.kind == "ocr"]
    assert len(grids) == 1
    grid = grids[0]
    assert grid.n_cols == 2 and grid.n_rows == len(gold_annex["items"]) + 1      # header row + one per item
    text = scanned_report.source.text
    header = sorted((c for c in grid.cells if c.row == 0), key=lambda c: c.col)
    assert [text[c.start:c.end] for c in header] == ["活动项目", "活动进展情况"]


@needs_ocr
def test_scanned_prose_figures_of_the_first_page_come_back(scanned_report, chosen_pages, gold_claims, seed_text):
    page = chosen_pages["texts"][chosen_pages["figures"][0]]
    result = check_report(scanned_report)
    claims = {c.to_dict()["surface"].replace(" ", ""): c.to_dict() for c in result.claims}
    on_page = [c for c in gold_claims["claims"] if _squash(c["surface"]) in page]
    assert on_page
    for want in on_page:
        got = claims.get(_squash(want["surface"]))
        assert got is not None, want["surface"]
        for name in ("value", "qualifier", "unit", "admits", "bounds", "cell", "verdict"):
            assert got[name] == want[name], (want["surface"], name)
    text = scanned_report.source.text
    kept = [i for i, ch in enumerate(text) if not ch.isspace()]
    squashed = "".join(text[i] for i in kept)
    unlinked = [q for q in gold_claims["unlinked_quantities"]
                if _squash(seed_text[q["span"][0] - 3:q["span"][1] + 3]) in page]
    assert len(unlinked) >= 5
    for want in unlinked:       # found at the same place (its context in the OCR text), and not linked
        before = _squash(seed_text[want["span"][0] - 3:want["span"][0]])
        at = squashed.find(before + _squash(want["surface"]) + _squash(seed_text[want["span"][1]:want["span"][1] + 3]))
        assert at >= 0, want["surface"]
        span = (kept[at + len(before)], kept[at + len(before) + len(_squash(want["surface"])) - 1] + 1)
        assert any(q.span[0] < span[1] and span[0] < q.span[1] for q in result.unlinked), want["surface"]
        assert not any(q.span[0] < span[1] and span[0] < q.span[1] for q in result.claims), want["surface"]


@pytest.fixture(scope="module")
def mixed_pdf(seed_pdf, chosen_pages, tmp_path_factory) -> Path:  # noqa: F811
    """The whole seed with its last page (印发 date and copies) scanned, every other page a text page."""
    if importlib.util.find_spec("pypdfium2") is None:
        pytest.skip("making a scan needs pypdfium2 (the OCR extra): pip install 'reportmine[ocr]'")
    n = len(chosen_pages["texts"])
    pages = [str(i) for i in range(n - 1)] + [n - 1]
    return _image_pdf(seed_pdf, pages, tmp_path_factory.mktemp("mixed") / "mixed.pdf")


@needs_ocr
def test_a_scanned_page_among_text_pages_is_read(mixed_pdf, gold_document, gold_annex):
    report = reportmine.parse(mixed_pdf)
    assert report.source.ocr_pages == (report.source.pages,)
    doc = report.record.document
    assert (doc.printed_by, doc.printed_date, doc.copies) == \
        (gold_document["printed_by"], gold_document["printed_date"], gold_document["copies"])
    assert len(report.record.annex.cells) == len(gold_annex["cells"])


def test_without_the_extra_a_scan_is_an_error_that_names_it(tmp_path, monkeypatch):
    pytest.importorskip("pdfplumber", reason="PDF reading needs the pdf extra")
    from reportlab.pdfgen import canvas

    monkeypatch.setitem(sys.modules, "rapidocr", None)
    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan))
    c.setFillGray(0.8)
    c.rect(72, 300, 450, 400, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(ReportLoadError, match="no text layer") as err:
        reportmine.parse(scan)
    assert "reportmine[ocr]" in err.value.problem and "scan.pdf" in str(err.value)


def test_without_the_extra_a_scanned_page_among_text_pages_is_a_warning(mixed_pdf, monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    report = reportmine.parse(mixed_pdf)
    assert report.source.ocr_pages == ()
    warning = next(w for w in report.warnings if w.code == "pages_not_read")
    assert str(report.source.pages) in warning.message and "reportmine[ocr]" in warning.message


@needs_ocr
def test_ocr_works_offline(mixed_pdf):
    """A fresh process with every network call refused reads the scanned page: the models come with the wheel."""
    code = ("import socket, sys\n"
            "def refuse(*args, **kwargs):\n"
            "    raise OSError('network use during OCR')\n"
            "socket.socket.connect = socket.create_connection = socket.getaddrinfo = refuse\n"
            "import reportmine\n"
            "report = reportmine.parse(sys.argv[1])\n"
            "print(report.source.ocr_pages, report.record.document.copies)\n")
    done = subprocess.run([sys.executable, "-c", code, str(mixed_pdf)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[0].startswith("(") and "None" not in done.stdout


@needs_ocr
def test_merged_cells_of_a_scanned_ruled_table_keep_their_spans(tmp_path):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from test_formats import _cjk_font

    font = _cjk_font()
    rows = [["地区", "活动", "", "参与"],
            ["", "场次", "其中线上", "人次"],
            ["浦东新区", "120", "35", "8600"],
            ["", "44", "12", "2100"],
            ["合计", "164", "47", "10700"]]
    table = Table(rows, colWidths=[110, 80, 80, 80], rowHeights=28)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.8, colors.black), ("FONTNAME", (0, 0), (-1, -1), font),
                               ("FONTSIZE", (0, 0), (-1, -1), 12), ("SPAN", (1, 0), (2, 0)),
                               ("SPAN", (0, 0), (0, 1)), ("SPAN", (3, 0), (3, 1)), ("SPAN", (0, 2), (0, 3)),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    text_pdf = tmp_path / "table.pdf"
    SimpleDocTemplate(str(text_pdf), pagesize=A4).build([table])
    report = reportmine.parse(_image_pdf(text_pdf, [0], tmp_path / "scan.pdf"))
    (grid,) = [t for t in report.source.tables if t.kind == "ocr"]
    text = report.source.text
    cells = {(c.row, c.col): (text[c.start:c.end], c.row_span, c.col_span) for c in grid.cells}
    assert (grid.n_rows, grid.n_cols) == (5, 4)
    assert cells[(0, 0)] == ("地区", 2, 1) and cells[(0, 1)] == ("活动", 1, 2) and cells[(0, 3)] == ("参与", 2, 1)
    assert cells[(2, 0)] == ("浦东新区", 2, 1)
    assert [cells[(r, c)][0] for r in (2, 3, 4) for c in (1, 2, 3)] == \
        [v for row in rows[2:] for v in row[1:]]


@needs_ocr
def test_columns_aligned_without_rules_come_back_as_rows(tmp_path):
    """A table drawn without rules, with a narrow column of one-character cells close together (the
    detector boxes them as one): every row comes back with its cells."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from test_formats import _cjk_font

    font = _cjk_font()
    rows = [["指标", "单位", "2022年", "2023年"], ["办理申请", "件", "1250", "1384"], ["公开", "件", "980", "1102"],
            ["不予公开", "件", "35", "41"]]
    table = Table(rows, colWidths=[140, 60, 80, 80])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 12),
                               ("ALIGN", (2, 0), (-1, -1), "RIGHT")]))
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=18, wordWrap="CJK", firstLineIndent=24)
    text_pdf = tmp_path / "unruled.pdf"
    SimpleDocTemplate(str(text_pdf), pagesize=A4).build(
        [Paragraph("一、收到和处理政府信息公开申请情况", body), table, Paragraph("二、其他需要报告的事项", body)])
    report = reportmine.parse(_image_pdf(text_pdf, [0], tmp_path / "scan.pdf"))
    assert "\n".join("\t".join(row) for row in rows) in report.source.text
    (grid,) = [t for t in report.source.tables if t.kind == "ocr"]
    assert (grid.n_rows, grid.n_cols) == (4, 4)
    assert "一、收到和处理政府信息公开申请情况" in report.source.text.split("\n")[0]


@pytest.mark.skipif(importlib.util.find_spec("numpy") is None, reason="numpy (the OCR extra) is not installed")
def test_ruled_grids_find_every_drawn_cell_property():
    """Any grid of rules with merged cells (rows at least 1.4 text heights tall, columns 2.7 wide), drawn into an ink image,
    gives back exactly its cells."""
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from reportmine.formats.ocr import ruled_grids

    @st.composite
    def tables(draw):
        n_rows, n_cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
        heights = draw(st.lists(st.integers(42, 90), min_size=n_rows, max_size=n_rows))
        widths = draw(st.lists(st.integers(80, 200), min_size=n_cols, max_size=n_cols))
        free = {(r, c) for r in range(n_rows) for c in range(n_cols)}
        cells = []
        for r in range(n_rows):
            for c in range(n_cols):
                if (r, c) not in free:
                    continue
                rs = draw(st.integers(1, n_rows - r))
                cs = draw(st.integers(1, n_cols - c))
                while any((r + i, c + j) not in free for i in range(rs) for j in range(cs)):
                    rs, cs = (rs - 1, cs) if rs > 1 else (rs, cs - 1)
                for i in range(rs):
                    for j in range(cs):
                        free.discard((r + i, c + j))
                cells.append((r, c, rs, cs))
        return heights, widths, cells, draw(st.integers(1, 3))

    @settings(max_examples=100, deadline=None)
    @given(tables())
    def check(table):
        heights, widths, cells, thick = table
        ys = [40 + sum(heights[:i]) for i in range(len(heights) + 1)]
        xs = [50 + sum(widths[:j]) for j in range(len(widths) + 1)]
        ink = np.zeros((ys[-1] + 40, xs[-1] + 50), dtype=bool)
        for r, c, rs, cs in cells:          # each cell's border
            y0, y1, x0, x1 = ys[r], ys[r + rs], xs[c], xs[c + cs]
            ink[y0:y0 + thick, x0:x1 + thick] = ink[y1:y1 + thick, x0:x1 + thick] = True
            ink[y0:y1 + thick, x0:x0 + thick] = ink[y0:y1 + thick, x1:x1 + thick] = True
            ink[(y0 + y1) // 2 - 5:(y0 + y1) // 2 + 5, x0 + 12:x0 + 20] = True      # a bit of text
        found = ruled_grids(ink, em=30.0)
        if len(cells) == 1:
            assert found == []              # a box drawn around text is not a table
            return
        assert len(found) == 1
        assert sorted(found[0][1]) == sorted(_compact(cells))

    check()


def _compact(cells: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Cells renumbered on the grid lines that are drawn: a row or column boundary no rule crosses is not one."""
    rows = sorted({r for r, _, _, _ in cells} | {r + rs for r, _, rs, _ in cells})
    cols = sorted({c for _, c, _, _ in cells} | {c + cs for _, c, _, cs in cells})
    return [(rows.index(r), cols.index(c), rows.index(r + rs) - rows.index(r), cols.index(c + cs) - cols.index(c))
            for r, c, rs, cs in cells]


def test_lines_from_boxes_property():
    """Boxes of text lines, in any order, with jitter in height and position: each line comes back once, top
    to bottom, its boxes left to right, joined directly across a narrow gap and by a space across a wide one."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from reportmine.formats.ocr import lines_from_boxes

    words = st.text(alphabet="安全生产月活动宣讲场次参与人0123456789，。", min_size=1, max_size=12)
    box = st.tuples(words, st.sampled_from(["", " "]), st.integers(-3, 3), st.integers(-2, 2))
    page = st.lists(st.lists(box, min_size=1, max_size=4), min_size=1, max_size=8)

    @settings(max_examples=150, deadline=None)
    @given(page, st.randoms(use_true_random=False))
    def check(lines, rnd):
        boxes, want = [], []
        for i, line in enumerate(lines):
            x, text = 100.0, ""
            for k, (word, sep, dy, dh) in enumerate(line):
                if k:
                    x += 24 if sep == " " else 3          # a wide gap (0.8 text heights) or a narrow one
                    text += sep
                top = 60 + 48 * i + dy
                boxes.append((word, x, x + 30 * len(word), top, top + 30 + dh))
                x += 30 * len(word)
                text += word
            want.append(text)
        rnd.shuffle(boxes)
        assert lines_from_boxes(boxes) == want

    check()
