"""Word, HTML and PDF tables arrive as grids with their merged cells, not as tab text guessed again.

One table in the shape of a 政府信息公开年报 application table — a group header merged across five
columns, headers merged down, row labels merged down over their sub-rows and across label columns —
is written as a real Word table, an HTML table with rowspan/colspan and a ruled PDF table with spans.
Each format must give every numeric cell once, with the header paths a reader of the grid sees and
its value, and a span that points at the value in the loaded text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportmine
from reportmine.check import check_report
from reportmine.document import build_document
from reportmine.formats.grid import SourceCell, TextBuilder, grid_cells, render_table
from reportmine.normalize import normalize

pytest.importorskip("docx")
pytest.importorskip("bs4")
pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

LABEL_COLS = 3
PARTS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
# (label cells: (text, row span, col span)), then values for 自然人, the five parts; 总计 is computed
BODY = [
    ([("一、本年新收政府信息公开申请数量", 1, 3)], [120, 8, 0, 1, 2, None]),
    ([("二、上年结转政府信息公开申请数量", 1, 3)], [6, 1, 0, 0, 0, 0]),
    ([("三、本年度办理结果", 5, 1), ("（一）予以公开", 1, 2)], [70, 4, 0, 0, 1, 0]),
    ([("（二）部分公开", 1, 2)], [12, 1, 0, 0, 0, 0]),
    ([("（三）不予公开", 3, 1), ("1.属于国家秘密", 1, 1)], [1, 0, 0, 0, 0, 0]),
    ([("2.其他法律行政法规禁止公开", 1, 1)], [3, 0, 0, 0, 0, 0]),
    ([("3.危及“三安全一稳定”", 1, 1)], [2, 1, 0, 0, 0, 0]),
]
CAPTION = "二、收到和处理政府信息公开申请情况"


def _spec() -> list[SourceCell]:
    """The table on its grid (header rows 0-1, body from row 2)."""
    rows: list[list[tuple[str, int, int, bool]]] = [
        [("申请人情况", 2, LABEL_COLS, True), ("自然人", 2, 1, True), ("法人或其他组织", 1, 5, True),
         ("总计", 2, 1, True)],
        [(p, 1, 1, True) for p in PARTS],
    ]
    for labels, values in BODY:
        total = sum(v or 0 for v in values)
        rows.append([(t, rs, cs, False) for t, rs, cs in labels] +
                    [("—" if v is None else str(v), 1, 1, False) for v in values] + [(str(total), 1, 1, False)])
    return grid_cells(rows)


def _expected() -> dict[tuple[tuple[str, ...], tuple[str, ...]], int]:
    """Every numeric body cell: (row labels covering it, headers covering its column) -> value."""
    cells = _spec()

    def covering(i: int, j: int) -> SourceCell:
        return next(c for c in cells if c.row <= i < c.row + c.row_span and c.col <= j < c.col + c.col_span)

    out = {}
    for c in cells:
        if c.row < 2 or c.col < LABEL_COLS or not c.text.isdigit():
            continue
        labels = tuple(dict.fromkeys(covering(c.row, j) for j in range(LABEL_COLS)))
        headers = tuple(dict.fromkeys(covering(i, c.col) for i in range(2)))
        out[(tuple(x.text for x in labels), tuple(x.text for x in headers))] = int(c.text)
    return out


def _write_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("某某县人民政府2024年政府信息公开工作年度报告")
    document.add_paragraph(CAPTION)
    cells = _spec()
    n_rows = max(c.row + c.row_span for c in cells)
    n_cols = max(c.col + c.col_span for c in cells)
    table = document.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    for c in cells:
        target = table.cell(c.row, c.col)
        if c.row_span > 1 or c.col_span > 1:
            target = target.merge(table.cell(c.row + c.row_span - 1, c.col + c.col_span - 1))
        target.text = c.text
    document.add_paragraph("三、政府信息公开行政复议、行政诉讼情况")
    document.save(path)


def _write_html(path: Path) -> None:
    from html import escape

    cells = _spec()
    rows: dict[int, list[str]] = {}
    for c in sorted(cells, key=lambda c: (c.row, c.col)):
        tag = "th" if c.header else "td"
        rows.setdefault(c.row, []).append(f'<{tag} rowspan="{c.row_span}" colspan="{c.col_span}">{escape(c.text)}</{tag}>')
    body = "".join(f"<tr>{''.join(r)}</tr>" for _, r in sorted(rows.items()))
    path.write_text(f"""<html><head><meta charset="utf-8"><title>年报</title></head><body>
<div class="nav">首页 &gt; 政府信息公开</div>
<div class="article"><h1>某某县人民政府2024年政府信息公开工作年度报告</h1>
<p>{CAPTION}</p><table border="1">{body}</table>
<p>三、政府信息公开行政复议、行政诉讼情况</p></div></body></html>""", encoding="utf-8")


def _write_pdf(path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=18)
    cells = _spec()
    n_rows = max(c.row + c.row_span for c in cells)
    n_cols = max(c.col + c.col_span for c in cells)
    data = [[""] * n_cols for _ in range(n_rows)]
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for c in cells:
        data[c.row][c.col] = Paragraph(c.text, style)
        if c.row_span > 1 or c.col_span > 1:
            commands.append(("SPAN", (c.col, c.row), (c.col + c.col_span - 1, c.row + c.row_span - 1)))
    table = Table(data, colWidths=[70, 70, 90] + [50] * (n_cols - 3))
    table.setStyle(TableStyle(commands))
    prose = "本年度，我县认真贯彻落实《中华人民共和国政府信息公开条例》，不断完善政府信息公开工作机制。" * 3
    story = [Paragraph("某某县人民政府2024年政府信息公开工作年度报告", body), Paragraph(prose, body),
             Paragraph(CAPTION, body), table]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)


WRITERS = {"docx": _write_docx, "html": _write_html, "pdf": _write_pdf}


@pytest.fixture(scope="module", params=sorted(WRITERS))
def loaded_report(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("grid") / f"table.{request.param}"
    WRITERS[request.param](path)
    return request.param, reportmine.parse(path)


def test_the_file_hands_its_table_over_as_a_grid(loaded_report):
    fmt, report = loaded_report
    assert [t.kind for t in report.source.tables] == [fmt]
    tables = report.document_model.tables
    assert [t.kind for t in tables] == [fmt] and tables[0].exact


def test_every_merged_cell_is_read_once_with_its_header_paths(loaded_report):
    _, report = loaded_report
    (table,) = report.record.tables
    got = {(tuple(c.row), tuple(c.col)): c.value for c in table.cells if c.value is not None}
    assert got == _expected()
    blanks = [c for c in table.cells if c.value is None]
    assert [(c.row[-1], c.col[-1], c.raw) for c in blanks] == [("一、本年新收政府信息公开申请数量", "其他", "—")]
    assert table.header_rows == 2 and table.caption == CAPTION


def test_cell_spans_point_at_their_values_in_the_loaded_text(loaded_report):
    _, report = loaded_report
    text = report.source.text
    for cell in report.record.tables[0].cells:
        assert text[cell.span[0]:cell.span[1]] == cell.raw


def test_table_arithmetic_over_a_merged_grid_is_clean(loaded_report):
    _, report = loaded_report
    result = check_report(report)
    assert [t for t in result.table_checks if t.verdict != "consistent"] == []
    assert len(result.table_checks) == len(BODY)     # the 总计 column was checked on every row


def test_rendered_rows_keep_columns_under_merged_labels():
    text, placed = render_table(_spec())
    lines = text.split("\n")
    assert lines[0].split("\t")[:3] == ["申请人情况", "自然人", "法人或其他组织"]
    # a row continuing merged labels from above starts with an empty cell for them
    assert lines[5].startswith("\t") and "（二）部分公开" in lines[5]
    for cell, start, end in placed:
        assert text[start:end] == cell.text


def test_grid_cells_place_cells_after_those_spanning_down():
    cells = grid_cells([[("a", 2, 1, False), ("b", 1, 2, False)], [("c", 1, 1, False), ("d", 1, 1, False)]])
    assert [(c.text, c.row, c.col) for c in cells] == [("a", 0, 0), ("b", 0, 1), ("c", 1, 1), ("d", 1, 2)]


# -- hostile and random grids ---------------------------------------------------------------------------

def test_hostile_spans_stay_cheap_and_readable(tmp_path):
    rows = "".join(f'<tr><td rowspan="99999" colspan="100000">行{i}</td><td colspan="-3">{i}</td>'
                   f'<td rowspan="x">{i * 2}</td></tr>' for i in range(200))
    path = tmp_path / "hostile.html"
    path.write_text(f"<html><body><p>某区安全生产月活动总结</p><table>{rows}</table></body></html>", encoding="utf-8")
    report = reportmine.parse(path)
    assert report.source.tables == ()        # too wide to be a real grid: its rows stay text
    assert "行199\t199\t398" in report.source.text
    narrow = tmp_path / "narrow.html"
    narrow.write_text('<html><body><p>某区总结</p><table><tr><td colspan="100">合计</td><td>5</td></tr>'
                      '<tr><td rowspan="99999">甲</td><td>3</td></tr></table></body></html>', encoding="utf-8")
    (table,) = reportmine.parse(narrow).source.tables
    assert table.n_cols == 101 and table.n_rows == 2


_TEXT = st.text(alphabet="甲乙丙丁合计其中0123456789—. ", min_size=0, max_size=6)


@given(st.lists(st.lists(st.tuples(_TEXT, st.integers(1, 3), st.integers(1, 3), st.booleans()),
                         min_size=1, max_size=5), min_size=1, max_size=6))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_grid_is_placed_so_every_cell_points_at_its_text(rows):
    cells = grid_cells(rows)
    text, placed = render_table(cells)
    assert sorted(id(c) for c, _, _ in placed) == sorted(id(c) for c in cells)
    for cell, start, end in placed:
        assert text[start:end] == cell.text.strip() or (not cell.text.strip() and start == end) \
            or text[start:end] == cell.text
    built = TextBuilder("html")
    built.add_text("前言")
    built.add_table(cells)
    if built.tables:
        norm = normalize(built.text)
        model = build_document(norm, built.tables)
        tables = [t for t in model.tables if t.exact]
        assert len(tables) == 1
        for row in tables[0].rows:
            for gc in row:
                assert norm.text[gc.span[0]:gc.span[1]].strip() == gc.text
