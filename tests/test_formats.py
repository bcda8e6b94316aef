"""Word, PDF and HTML versions of the seed report give the same annex cells and 公文 fields as the .txt.

The fixtures are written here from the seed text: python-docx (annex as a real Word table with merged
cells and line breaks inside cells), reportlab (multi-page PDF with a running header, page numbers and
the annex as a ruled table) and a government-style web page (navigation, scripts and footer around the
article body).
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

import reportmine
from reportmine.io import ReportLoadError, read_source

#: Document fields of the gold file that a faithful conversion keeps.
DOC_FIELDS = ("issuers", "doc_number", "title", "addressee", "signatories", "date", "enclosure_title",
              "attachments", "disclosure", "cc", "printed_by", "printed_date", "copies")
RUNNING_HEAD = "上海市2023年“安全生产月”活动总结"        # the seed's body writes it with spaces around 2023
PAGE_NUMBER_LINE = re.compile(r"^\s*(?:[—–\-]\s*)?\d{1,3}(?:\s*[—–\-])?\s*$|^第\s*\d+\s*页")


def _seed_layout(seed_text: str) -> tuple[list[str], list[list[str]], list[str]]:
    """The seed as paragraphs before the annex table, the table rows (cell texts), paragraphs after."""
    blocks = [b.strip("\n") for b in seed_text.split("\n\n") if b.strip()]
    rows_at = [i for i, b in enumerate(blocks) if "\t" in b]
    first, last = rows_at[0], rows_at[-1]
    rows = [line.split("\t") for b in blocks[first:last + 1] for line in b.split("\n") if line.strip()]
    assert all(len(r) == 2 for r in rows) and rows[0] == ["活动项目", "活动进展情况"]
    assert blocks[first - 1].startswith("填报单位") and blocks[first - 3] == "附件"
    return blocks[:first], rows, blocks[last + 1:]


def _cells(report) -> list[tuple]:
    return [(c.item, c.label, c.value, c.unit) for c in report.record.annex.cells]


def _gold_cells(gold_annex: dict) -> list[tuple]:
    return [(c["item"], c["label"], c["value"], c["unit"]) for c in gold_annex["cells"]]


def _assert_document_matches(report, gold_document: dict) -> None:
    doc = report.record.document
    for name in DOC_FIELDS:
        assert getattr(doc, name) == gold_document[name], name
    assert report.record.campaign.model_dump() == gold_document["campaign"]


def _assert_items_match(report, gold_annex: dict) -> None:
    annex = report.record.annex
    assert [(i.no, i.title) for i in annex.items] == [(i["no"], i["title"]) for i in gold_annex["items"]]
    assert annex.title == gold_annex["annex_title"]
    assert annex.reporter.model_dump(include={"org", "contact", "phone", "date"}) == gold_annex["reporter"]


# -- .docx -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory, seed_text) -> Path:
    """Letter and narrative as paragraphs; the annex as a Word table: title and 填报 rows merged across both
    columns, item 3 split over two rows with its label cell merged down, line breaks inside cells."""
    import docx

    before, rows, after = _seed_layout(seed_text)
    title, reporter = before[-2], before[-1]
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = RUNNING_HEAD
    section.footer.paragraphs[0].text = "— 1 —"
    for block in before[:-2]:
        document.add_paragraph(block)            # a "\n" inside a block becomes a Word line break
    item_rows = rows[1:]
    third = next(i for i, (label, _) in enumerate(item_rows) if label.startswith("3."))
    table = document.add_table(rows=3 + len(item_rows) + 1, cols=2)
    table.style = "Table Grid"
    for r, text in ((0, title), (1, reporter)):
        merged = table.cell(r, 0).merge(table.cell(r, 1))
        merged.text = text
    table.cell(2, 0).text, table.cell(2, 1).text = rows[0]
    r = 3
    for i, (label, progress) in enumerate(item_rows):
        if i == third:                           # label merged down over two rows of progress text
            head, sep, tail = progress.partition("； ")
            table.cell(r, 1).text = head + sep
            table.cell(r + 1, 1).text = tail
            table.cell(r, 0).merge(table.cell(r + 1, 0)).text = label
            r += 2
            continue
        table.cell(r, 0).text = label
        cell = table.cell(r, 1)
        if label.startswith("1."):               # a line break inside the cell
            head, sep, tail = progress.partition("人次；")
            run = cell.paragraphs[0].add_run(head + sep)
            run.add_break()
            cell.paragraphs[0].add_run(tail)
        elif label.startswith("5."):             # two paragraphs in one cell
            head, sep, tail = progress.partition("人次，")
            cell.text = head + sep
            cell.add_paragraph(tail)
        else:
            cell.text = progress
        r += 1
    for block in after:
        document.add_paragraph(block)
    path = tmp_path_factory.mktemp("docx") / "seed.docx"
    document.save(path)
    return path


def test_docx_annex_table_gives_the_gold_cells(seed_docx, gold_annex):
    report = reportmine.parse(seed_docx)
    assert report.source.format == "docx"
    assert _cells(report) == _gold_cells(gold_annex)
    _assert_items_match(report, gold_annex)
    named = [(f.item, f.label, f.text) for f in report.record.annex.named_fields]
    assert named == [(f["item"], f["label"], f["text"]) for f in gold_annex["named_fields"]]


def test_docx_document_fields_match_the_gold(seed_docx, gold_document):
    _assert_document_matches(reportmine.parse(seed_docx), gold_document)


def test_docx_table_stays_in_place_and_merged_cells_come_once(seed_docx, gold_annex):
    text = read_source(seed_docx).text
    lines = text.split("\n")
    # the table sits between the 附件 paragraph and the closing paragraphs, not at the end
    assert text.index("\n附件\n") < text.index("活动项目\t活动进展情况") < text.index("(信息公开形式")
    # merged across columns: one line, no duplicated text; merged down: the item title once
    assert text.count(gold_annex["annex_title"]) == 2         # 附件说明 in the letter + the table's title row
    assert gold_annex["annex_title"] in lines
    assert sum(line.startswith("3. 聚焦专项排查整治行动") for line in lines) == 1
    # a line break and a second paragraph inside a cell do not split the row
    row1 = next(line for line in lines if line.startswith("1. "))
    assert row1.endswith("参与(545234)人次。") and "\t组织开展宣讲活动(9216)场" in row1
    row5 = next(line for line in lines if line.startswith("5. "))
    assert row5.endswith("参与（ 485767 ）人次。")
    # Word's page header and footer are not part of the body text
    assert RUNNING_HEAD not in text and "— 1 —" not in text


def test_corrupt_docx_names_the_file(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ReportLoadError, match="not a valid .docx") as err:
        reportmine.parse(path)
    assert err.value.path == str(path) and "broken.docx" in str(err.value)


def test_docx_without_word_parts_or_text_is_an_error(tmp_path):
    import zipfile

    import docx

    not_word = tmp_path / "archive.docx"
    with zipfile.ZipFile(not_word, "w") as z:
        z.writestr("readme.txt", "not a Word document")
    with pytest.raises(ReportLoadError, match="archive.docx"):
        reportmine.load(not_word)
    blank = tmp_path / "blank.docx"
    docx.Document().save(blank)
    with pytest.raises(ReportLoadError, match="no text"):
        reportmine.load(blank)


# -- .pdf ------------------------------------------------------------------------------------------------

PDF_TOP_MARGIN = 72.0       # points; the running header is drawn above it, page numbers below the bottom margin
PDF_BOTTOM_MARGIN = 72.0


def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory, seed_text) -> Path:
    """The seed on A4 pages: 公文-style indented paragraphs, a running header, "— N —" page numbers
    (alternating sides), the annex on a new page as a ruled table."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    font = _cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=18, wordWrap="CJK", firstLineIndent=24)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    before, rows, after = _seed_layout(seed_text)

    def para(block: str) -> Paragraph:
        return Paragraph(escape(block).replace("\n", "<br/>"), body)

    story = []
    for block in before:
        if block == "附件":
            story.append(PageBreak())
        story.append(para(block))
    table = Table([[Paragraph(escape(c), cell) for c in row] for row in rows], colWidths=[130, 330], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    story.extend(para(block) for block in after)

    def decorate(canvas, doc) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(width / 2, height - 40, RUNNING_HEAD)
        canvas.line(72, height - 46, width - 72, height - 46)
        number = f"— {doc.page} —"
        if doc.page % 2:
            canvas.drawRightString(width - 72, 36, number)
        else:
            canvas.drawString(72, 36, number)
        canvas.restoreState()

    path = tmp_path_factory.mktemp("pdf") / "seed.pdf"
    SimpleDocTemplate(str(path), pagesize=A4, topMargin=PDF_TOP_MARGIN, bottomMargin=PDF_BOTTOM_MARGIN,
                      title="seed").build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path


@pytest.fixture(scope="module")
def seed_pdf_report(seed_pdf):
    return reportmine.parse(seed_pdf)


def test_pdf_ruled_table_gives_the_gold_cells(seed_pdf_report, gold_annex):
    assert seed_pdf_report.source.format == "pdf"
    assert _cells(seed_pdf_report) == _gold_cells(gold_annex)
    _assert_items_match(seed_pdf_report, gold_annex)


def test_pdf_document_fields_match_the_gold(seed_pdf_report, gold_document):
    _assert_document_matches(seed_pdf_report, gold_document)


def test_pdf_drops_running_header_and_page_numbers(seed_pdf_report, gold_annex):
    source = seed_pdf_report.source
    assert source.pages is not None and source.pages >= 4
    lines = [line.strip() for line in source.text.split("\n")]
    assert not [line for line in lines if PAGE_NUMBER_LINE.match(line)]
    assert RUNNING_HEAD not in lines and "—" not in source.text.replace("——", "")
    # the table is read once, as rows, not also as loose text
    assert source.text.count("组织开展宣讲活动(9216)场") == 1
    assert "活动项目\t活动进展情况" in lines


def test_pdf_sentence_split_across_a_page_break_comes_back_joined(seed_pdf, seed_pdf_report):
    import pdfplumber

    splits = []
    with pdfplumber.open(seed_pdf) as pdf:
        pages = []
        for page in pdf.pages:
            body = [ln for ln in page.extract_text_lines()
                    if PDF_TOP_MARGIN - 2 <= ln["top"] and ln["bottom"] <= page.height - PDF_BOTTOM_MARGIN + 2]
            pages.append(body)
    for this, following in zip(pages, pages[1:]):
        if not this or not following:
            continue
        tail, head = this[-1], following[0]
        left = min(ln["x0"] for ln in this)
        continues = not re.search(r"[。！？；：]$", tail["text"]) and head["x0"] < left + 3
        if continues:
            splits.append((tail["text"], head["text"]))
    assert splits, "the fixture should break at least one paragraph across pages"
    text = seed_pdf_report.source.text
    for tail, head in splits:
        assert tail + head in text, (tail, head)


def test_pdf_without_text_layer_needs_ocr(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(2):
        c.setFillGray(0.8)
        c.rect(72, 300, 450, 400, fill=1)      # what a scanned page is to a text extractor: no characters
        c.showPage()
    c.save()
    with pytest.raises(ReportLoadError, match="no text layer") as err:
        reportmine.parse(path)
    assert "OCR" in err.value.problem and "scan.pdf" in str(err.value)


def test_encrypted_and_corrupt_pdf_are_clear_errors(tmp_path, seed_pdf):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    locked = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(locked), encrypt=StandardEncryption("user-secret", "owner-secret"))
    c.setFont(_cjk_font(), 12)
    c.drawString(72, 700, "沪安委办函〔2023〕1号")
    c.save()
    with pytest.raises(ReportLoadError, match="encrypted") as err:
        reportmine.load(locked)
    assert "locked.pdf" in str(err.value)

    truncated = tmp_path / "truncated.pdf"
    data = seed_pdf.read_bytes()
    truncated.write_bytes(data[: len(data) // 3])
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    for path in (truncated, garbage):
        with pytest.raises(ReportLoadError, match="not a readable PDF") as err:
            reportmine.load(path)
        assert path.name in str(err.value) and "Traceback" not in str(err.value)


# -- .html -----------------------------------------------------------------------------------------------

CHROME = ("办事服务", "互动交流", "当前位置", "版权所有", "沪ICP备", "导航脚本", "统计代码", "分享到", "相关新闻",
          "打印本页", "浏览次数", "color:", "站内搜索")


def _seed_page(seed_text: str, charset: str) -> str:
    """A government-site article page around the seed: header, menu, breadcrumb, sidebar, footer, scripts."""
    before, rows, after = _seed_layout(seed_text)
    e = html.escape

    def p(block: str) -> str:
        return f"<p style=\"text-indent:2em\">\n        {'<br>'.join(e(x) for x in block.split(chr(10)))}\n      </p>"

    paragraphs = [p(b) for b in before]
    # a newline in the HTML source inside a paragraph is not a line break of the text
    long_at = next(i for i, b in enumerate(before) if len(b) > 200)
    block = before[long_at]
    paragraphs[long_at] = f"<p>{e(block[:100])}\n        {e(block[100:])}</p>"
    table_rows = [f"<tr><th>{e(rows[0][0])}</th><th>{e(rows[0][1])}</th></tr>"]
    for label, progress in rows[1:]:
        if label.startswith("3."):           # label cell spanning two rows of progress text
            head, sep, tail = progress.partition("； ")
            table_rows.append(f"<tr><td rowspan=\"2\">{e(label)}</td><td>{e(head + sep)}</td></tr>")
            table_rows.append(f"<tr><td>{e(tail)}</td></tr>")
        elif label.startswith("1."):         # Word-exported cells: paragraphs and a <br> inside the cell
            head, sep, tail = progress.partition("人次；")
            table_rows.append(f"<tr><td><p class=\"MsoNormal\"><span>{e(label)}</span></p></td>"
                              f"<td><p>{e(head + sep)}<br/>{e(tail)}</p></td></tr>")
        else:
            table_rows.append(f"<tr>\n  <td>{e(label)}</td>\n  <td>{e(progress)}</td>\n</tr>")
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<title>上海市应急管理局</title>
<style>.nav li {{ color: red; }}</style>
<script type="text/javascript">var menu = "导航脚本";</script>
</head>
<body>
<div class="header"><div class="logo">上海市应急管理局</div>
  <form class="search"><input type="text" name="q"><button>站内搜索</button></form></div>
<nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="#">政务公开</a></li><li>办事服务</li>
  <li>互动交流</li></ul></nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 工作总结</div>
<div class="main">
  <div class="article">
    <h1>上海市安全生产委员会办公室 上海市应急管理局关于报送2023年“安全生产月”活动总结的函</h1>
    <div class="info">发布时间：2023-07-20 来源：市应急局 浏览次数：1024</div>
    <div id="zoom" class="TRS_Editor">
      {chr(10).join(paragraphs)}
      <table border="1" cellspacing="0">
        {chr(10).join(table_rows)}
      </table>
      {chr(10).join(p(b) for b in after)}
    </div>
    <div class="share">分享到：微信 微博</div>
    <div class="print"><a href="#">【打印本页】</a><a href="#">【关闭窗口】</a></div>
  </div>
  <div class="sidebar"><h3>相关新闻</h3><ul><li>2022年“安全生产月”活动总结</li><li>安全宣传“五进”工作动态</li></ul></div>
</div>
<footer><p>版权所有：上海市应急管理局　沪ICP备12345678号</p><p>主办单位：上海市应急管理局</p></footer>
<script>document.write("统计代码");</script>
</body>
</html>
"""


@pytest.fixture(scope="module", params=[("utf-8", "utf-8"), ("gb2312", "gbk")], ids=["utf-8", "gb2312"])
def seed_html(request, tmp_path_factory, seed_text) -> Path:
    charset, codec = request.param
    path = tmp_path_factory.mktemp("html") / f"seed-{charset}.html"
    path.write_bytes(_seed_page(seed_text, charset).encode(codec))
    return path


def test_html_article_body_gives_the_gold_cells(seed_html, gold_annex, gold_document):
    report = reportmine.parse(seed_html)
    assert report.source.format == "html"
    assert _cells(report) == _gold_cells(gold_annex)
    _assert_items_match(report, gold_annex)
    _assert_document_matches(report, gold_document)


def test_html_drops_navigation_scripts_and_footer(seed_html, seed_text):
    source = read_source(seed_html)
    assert source.encoding == ("utf-8" if "utf-8" in seed_html.name else "gb18030")
    leaked = [word for word in CHROME if word in source.text]
    assert not leaked
    paragraphs = source.text.split("\n\n")
    before, _, after = _seed_layout(seed_text)
    assert paragraphs[0] == before[0] and paragraphs[-1].strip() == after[-1]
    assert next(b for b in before if len(b) > 200) in paragraphs      # source newline inside <p> joined
    cc = next(b for b in after if b.startswith("抄送"))
    assert cc in paragraphs                                              # <br> kept as a line break
    assert sum(line.startswith("3. 聚焦") for line in source.text.split("\n")) == 1


def test_html_meta_charset_is_used(tmp_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head>'
            "<body><div class=\"content\"><p>上海市應急管理局</p><p>組織開展宣講活動（9216）場</p></div></body></html>")
    path = tmp_path / "big5.htm"
    path.write_bytes(page.encode("big5"))      # decoded as GB18030 this would be mojibake, not an error
    source = read_source(path)
    assert source.encoding == "big5"
    assert source.text == "上海市應急管理局\n\n組織開展宣講活動（9216）場\n"


# -- missing optional packages -------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix,module,extra", [(".pdf", "pdfplumber", "pdf"), (".docx", "docx", "docx"),
                                                 (".html", "bs4", "html")])
def test_missing_extra_names_it_and_the_file(tmp_path, monkeypatch, suffix, module, extra):
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"<p>x</p>" if suffix == ".html" else b"%PDF-1.4 or PK")
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ReportLoadError) as err:
        reportmine.load(path)
    message = str(err.value)
    assert f"reportmine[{extra}]" in message and f"report{suffix}" in message and suffix in message


def test_import_reportmine_needs_no_extras(seed_path):
    code = ("import sys\n"
            "for name in ('pdfplumber', 'docx', 'bs4', 'reportlab', 'rapidocr', 'onnxruntime', 'pypdfium2'):\n"
            "    sys.modules[name] = None\n"
            "import reportmine\n"
            f"print(len(reportmine.parse({str(seed_path)!r}).record.annex.cells))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "35"


def test_docx_keeps_text_in_content_controls_and_tracked_insertions(tmp_path):
    """Form templates put the fill-in blanks in content controls; python-docx's Paragraph.text skips them."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("附件")
    document.add_paragraph("placeholder")
    w = nsdecls("w")
    filled = parse_xml(
        f"<w:p {w}><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr>"
        "<w:r><w:t>1. 宣贯活动</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t xml:space=\"preserve\">组织开展宣讲活动（</w:t></w:r>"
        "<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>9216</w:t></w:r></w:sdtContent></w:sdt>"
        "<w:r><w:t>）场，</w:t></w:r><w:ins w:id=\"1\" w:author=\"a\"><w:r><w:t>参与（781937）人次</w:t></w:r></w:ins>"
        "<w:del w:id=\"2\" w:author=\"a\"><w:r><w:delText>删去的字</w:delText></w:r></w:del></w:p>")
    body = document.element.body
    body.replace(body[1], filled)
    path = tmp_path / "form.docx"
    document.save(path)
    text = read_source(path).text
    assert "1. 宣贯活动\t组织开展宣讲活动（9216）场，参与（781937）人次" in text.split("\n")
    assert "删去的字" not in text
