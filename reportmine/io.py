"""Read report files into text plus where the text came from.

Plain text is the primary format. Government archives are often GBK/GB18030, so
decoding tries UTF-8 (with or without BOM) first and then GB18030 (a superset of
GBK and GB2312). Every failure is a :class:`ReportLoadError` that names the file
and the problem, so a batch job can report it and move on.

Word (``.docx``), PDF and HTML files are turned into text of the same shape as a
``.txt`` report: paragraphs separated by a blank line, a line break inside a
paragraph kept as one newline, and every table row as one line of tab-separated
cell texts (the shape :mod:`reportmine.annex` reads). Offsets everywhere in
reportmine index into that extracted text (:attr:`Source.text`). The readers need
optional packages (``reportmine[docx]``, ``[pdf]``, ``[html]``), imported only when
such a file is read.
"""

from __future__ import annotations

import codecs
import importlib
import os
import statistics
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from types import ModuleType
from typing import Any

import regex

__all__ = ["ReportLoadError", "Source", "read_source", "decode_bytes"]

#: Encodings tried, in order, for files without a BOM.
ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030")

_TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
_HTML_SUFFIXES = {".html", ".htm"}
#: Optional extra (pyproject ``[project.optional-dependencies]``) and module each format needs.
_EXTRAS = {".pdf": ("pdf", "pdfplumber"), ".docx": ("docx", "docx"), ".html": ("html", "bs4"),
           ".htm": ("html", "bs4")}


class ReportLoadError(ValueError):
    """A report file could not be read; ``path`` and ``problem`` say which and why."""

    def __init__(self, path: str | os.PathLike[str], problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


@dataclass(frozen=True)
class Source:
    """Text of one file. Offsets everywhere in reportmine index into ``text``.

    ``format`` is ``"text"``, ``"html"``, ``"docx"`` or ``"pdf"``; ``encoding`` is the codec the
    bytes were decoded with (``None`` for .docx and .pdf, whose text comes from a parser);
    ``pages`` is the page count of a PDF.
    """

    path: str
    text: str
    encoding: str | None
    format: str = "text"
    pages: int | None = None

    @property
    def name(self) -> str:
        return Path(self.path).name


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many C0 control characters mean this is not a text file."""
    if b"\x00" in data[:8192]:
        return True
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D))
    return controls > max(8, len(sample) // 50)


def decode_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode report bytes; return ``(text, encoding)`` or raise :class:`ReportLoadError`."""
    if not data.strip():
        raise ReportLoadError(path, "file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ReportLoadError(path, f"has a UTF-8 BOM but invalid UTF-8 at byte {exc.start + 3}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ReportLoadError(path, "has a UTF-16 BOM but is not valid UTF-16") from None
    if _looks_binary(data):
        raise ReportLoadError(path, "looks like a binary file, not text (NUL or control bytes); "
                                    "convert it to .txt, or pass a .docx/.pdf/.html file")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ReportLoadError(path, "cannot be decoded as UTF-8 or GB18030/GBK; "
                                "re-save it as UTF-8")


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read a report file (.txt in any of :data:`ENCODINGS`, .docx, .pdf or .html) into a :class:`Source`."""
    p = Path(path)
    if not p.exists():
        raise ReportLoadError(p, "file not found")
    if p.is_dir():
        raise ReportLoadError(p, "is a directory, not a report file")
    suffix = p.suffix.lower()
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReportLoadError(p, f"cannot be read ({exc.strerror})") from None
    if suffix in (".doc", ".wps"):
        raise ReportLoadError(p, f"{suffix} files are not supported; save the document as .docx (or .txt) first")
    if suffix == ".docx":
        return _read_docx(p, data)
    if suffix == ".pdf":
        return _read_pdf(p, data)
    if suffix in _HTML_SUFFIXES:
        return _read_html(p, data)
    text, encoding = decode_bytes(data, str(p))
    if "\ufffd" in text:
        raise ReportLoadError(p, "contains U+FFFD replacement characters: it was damaged by an earlier "
                                 "lossy conversion")
    return Source(str(p), text, encoding, "text")


# -- shared helpers ------------------------------------------------------------------------------------

def _optional(p: Path, suffix: str) -> ModuleType:
    """Import the package a format needs, or say which extra to install."""
    extra, module = _EXTRAS[suffix]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ReportLoadError(p, f"reading {suffix} files needs the optional extra: "
                                 f"pip install 'reportmine[{extra}]'") from None


def _check_not_empty(p: Path, data: bytes) -> None:
    if not data.strip():
        raise ReportLoadError(p, "file is empty")


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _glue(parts: list[str]) -> str:
    """Join pieces of one logical line (wrapped lines, a cell's paragraphs) without a newline.

    Chinese text joins directly; a space is put back only between two Latin letters or digits.
    """
    out = ""
    for part in (piece for text in parts for piece in text.replace("\t", " ").split("\n")):
        if not part:
            continue
        if out and not out[-1].isspace() and not part[0].isspace() and _is_word_char(out[-1]) \
                and _is_word_char(part[0]):
            out += " "
        out += part
    return out.strip()


def _paragraph_lines(text: str) -> str:
    """A paragraph with its internal line breaks kept, blank and trailing-space lines removed."""
    return "\n".join(line.rstrip() for line in text.split("\n") if line.strip())


def _table_row(cells: list[str]) -> str | None:
    """One table row as a tab-separated line, or None when every cell is empty."""
    if not any(c.strip() for c in cells):
        return None
    return "\t".join(cells).rstrip("\t ")


def _finish(p: Path, blocks: list[str], what: str) -> str:
    text = "\n\n".join(b for b in blocks if b.strip())
    if not text.strip():
        raise ReportLoadError(p, f"{what} has no text")
    return text + "\n"


# -- .docx ---------------------------------------------------------------------------------------------

def _read_docx(p: Path, data: bytes) -> Source:
    """Paragraphs and tables of a Word document, in body order."""
    docx = _optional(p, ".docx")
    _check_not_empty(p, data)
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
    return Source(str(p), _finish(p, blocks, "Word document"), None, "docx")


def _docx_blocks(container: Any) -> Iterator[str]:
    """Body children in document order: a paragraph's text, or a table as tab-separated rows."""
    from docx.oxml.ns import qn

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield _paragraph_lines(_docx_text(child))
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
            cells.append(_glue([_docx_text(para) for para in tc.iter(qn("w:p"))]))
        yield _table_row(cells)


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


# -- .pdf ----------------------------------------------------------------------------------------------

#: Page-number lines: "— 3 —", "- 3 -", "3", "第3页", "第 3 页 共 8 页", "3/8", "Page 3 of 8".
_PAGE_NUMBER = regex.compile(r"^\s*(?:[—–\-－_·\s]*\d{1,4}[—–\-－_·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                             r"|\d{1,4}\s*/\s*\d{1,4}|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)\s*$")
#: A line ending like this closes its paragraph even when the next line is not indented.
_PARAGRAPH_END = regex.compile(r"[。！？；：:!?]$")
_CJK_CHAR = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef]")


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
    rows: list[str]


def _read_pdf(p: Path, data: bytes) -> Source:
    """Text of a PDF in reading order: running headers, footers and page numbers dropped, lines wrapped
    inside a paragraph (also across a page break) joined, ruled tables as tab-separated rows."""
    pdfplumber = _optional(p, ".pdf")
    _check_not_empty(p, data)
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
    text = _pdf_text(layout)
    if text.count("(cid:") * 18 > len(text):          # half the text is unmapped glyphs
        raise ReportLoadError(p, "PDF fonts have no Unicode mapping, so its text layer is unreadable: "
                                 "OCR is needed to read it")
    return Source(str(p), _finish(p, [text], "PDF"), None, "pdf", pages=count)


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
        lines = [_table_row([_glue(cell.split("\n")) for cell in row if cell is not None]) for row in rows]
        tables.append((table.bbox, _PdfTable(index, table.bbox[1], [r for r in lines if r is not None])))
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


def _pdf_text(layout: list[tuple[list[_PdfLine], list[_PdfTable]]]) -> str:
    pages = [lines for lines, _ in layout]
    drop = _running_lines(pages)
    body = [ln for lines in pages for ln in lines if id(ln) not in drop]
    if not body and not any(tables for _, tables in layout):
        return ""
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
    out: list[str] = []
    previous = None
    for _page, _top, item in blocks:
        if isinstance(item, _PdfTable):
            if item.rows:
                out.append(("\n\n" if out else "") + "\n".join(item.rows))
            previous = None
            continue
        if previous is None:
            out.append(("\n\n" if out else "") + item.text)
        else:
            sep = separator(previous, item)
            if sep == "" and _is_word_char(previous.text[-1]) and _is_word_char(item.text[0]):
                sep = " "
            out.append(sep + item.text)
        previous = item
    return "".join(out)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- .html ---------------------------------------------------------------------------------------------

_META_CHARSET = regex.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", regex.I)
_GB_CHARSETS = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936", "euc-cn", "gb18030", "csgb2312"}
#: Elements that are never article text.
_NON_TEXT_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
                  "button", "select", "input", "textarea", "head", "title", "meta", "link")
#: Page chrome: removed unless it holds most of the page's text (a <form> around the whole page).
_CHROME_TAGS = {"nav", "header", "footer", "aside", "form", "menu"}
_CHROME_NAME = regex.compile(
    r"nav|menu|footer|breadcrumb|crumb|share|sidebar|toolbar|copyright|friendlink|pagination|qrcode"
    r"|(?:^|[-_])(?:head|header|foot|bottom|side|banner|top|search|login|links?|related|pager|print|close|tools?)"
    r"(?:$|[-_\d])",
    regex.I)
#: Ids/classes of the article body on government sites.
_BODY_NAME = regex.compile(r"^(?:zoom|content|article|trs_editor|custom_unionstyle|ucap-content|pages_content"
                           r"|main-content|article-content|article_content|news_content|newscontent|detail"
                           r"|zhengwen|text|wzy|xxgk_content|view)$|zoom|trs_editor|ueditor|unionstyle|content|article",
                           regex.I)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
               "dl", "dt", "dd", "blockquote", "pre", "center", "address", "figure", "figcaption", "hr",
               "caption", "body", "html", "tr", "td", "th", "tbody", "thead", "tfoot", "table", "form", "fieldset"}
_PARA = "\x00"     # paragraph break while rendering HTML
_SOFT = "\x01"     # a newline in the HTML source: nothing between Chinese characters, else a space


def _read_html(p: Path, data: bytes) -> Source:
    """The article body of a saved web page: no navigation, header, footer, scripts or styles."""
    bs4 = _optional(p, ".html")
    text, encoding = _decode_html(data, str(p))
    try:
        soup = bs4.BeautifulSoup(text, "html.parser")
        body = _html_body(soup, bs4)
        rendered = _render_html(body, bs4)
    except Exception as exc:
        raise ReportLoadError(p, f"cannot be read as HTML ({type(exc).__name__}: {exc})") from None
    if not rendered.strip():
        raise ReportLoadError(p, "HTML file has no visible text")
    return Source(str(p), rendered, encoding, "html")


def _decode_html(data: bytes, path: str) -> tuple[str, str]:
    """Decode with the charset declared in ``<meta>``; without one (or with a wrong one) as plain text."""
    if not data.strip():
        raise ReportLoadError(path, "file is empty")
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data, path)
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii").lower()
        codec = "gb18030" if declared in _GB_CHARSETS else declared
        try:
            codec = codecs.lookup(codec).name
        except LookupError:
            codec = None
        if codec is not None:
            if codec == "gb18030" and not data.isascii():
                # Pages re-saved as UTF-8 often keep their old GB2312 <meta>; GB text is never valid UTF-8.
                try:
                    return data.decode("utf-8"), "utf-8"
                except UnicodeDecodeError:
                    pass
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass
    return decode_bytes(data, path)


def _cjk_count(el: Any) -> int:
    return len(_CJK_CHAR.findall(el.get_text()))


def _names(el: Any) -> list[str]:
    classes = el.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    return [n for n in [el.get("id") or "", *classes] if n]


def _html_body(soup: Any, bs4: ModuleType) -> Any:
    """The element holding the article: chrome removed, then a known body id/class or the text's home."""
    for node in soup.find_all(string=lambda s: isinstance(s, (bs4.Comment, bs4.Doctype, bs4.ProcessingInstruction))):
        node.extract()
    for el in soup.find_all(list(_NON_TEXT_TAGS)):
        if not el.decomposed:
            el.decompose()
    root = soup.body or soup
    total = _cjk_count(root)
    for el in root.find_all(True):
        if el.decomposed:
            continue
        chrome = el.name in _CHROME_TAGS or any(_CHROME_NAME.search(n) for n in _names(el))
        if chrome and _cjk_count(el) <= 0.5 * total:
            el.decompose()
    total = _cjk_count(root)
    named = [(n, el) for el in root.find_all(True)
             if any(_BODY_NAME.search(name) for name in _names(el)) and (n := _cjk_count(el)) >= max(20, 0.3 * total)]
    if named:
        most = max(n for n, _ in named)
        # The smallest named element that still holds (nearly) all of the largest one's text.
        return min((el for n, el in named if n >= 0.8 * most), key=_cjk_count)
    # No known name: go down from <body> (through layout tables too) while one child holds nearly all
    # the text; a data table is rendered by its parent, so the descent stops above it.
    el = root
    while True:
        inner = next((c for c in el.find_all(True, recursive=False) if _cjk_count(c) >= 0.8 * total), None)
        if inner is None or inner.name == "p" or (inner.name == "table" and _is_data_table(inner)):
            return el
        el = inner


def _render_html(el: Any, bs4: ModuleType) -> str:
    out: list[str] = []
    _render_into(el, out, bs4)
    return _html_paragraphs("".join(out))


def _render_into(el: Any, out: list[str], bs4: ModuleType) -> None:
    for child in el.children:
        if isinstance(child, bs4.NavigableString):
            if not isinstance(child, (bs4.Comment, bs4.Doctype, bs4.ProcessingInstruction)):
                out.append(regex.sub(r"[ \t\r\f\n]+", lambda m: _SOFT if "\n" in m.group() else " ", str(child)))
        elif child.name == "br":
            out.append("\n")
        elif child.name == "table" and _is_data_table(child):
            rows = [_table_row([_html_cell(c, bs4) for c in tr.find_all(("td", "th"), recursive=False)])
                    for tr in child.find_all("tr") if tr.find_parent("table") is child]
            caption = child.find("caption")
            if caption is not None and caption.find_parent("table") is child:
                out.append(_PARA + _html_cell(caption, bs4))
            out.append(_PARA + "\n".join(r for r in rows if r is not None) + _PARA)
        elif child.name in _BLOCK_TAGS:
            out.append(_PARA)
            _render_into(child, out, bs4)
            out.append(_PARA)
        else:
            _render_into(child, out, bs4)


def _is_data_table(table: Any) -> bool:
    """A table of rows and columns, not a page-layout table (nested tables, or one column of blocks)."""
    if table.find("table") is not None:
        return False
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    return any(len(tr.find_all(("td", "th"), recursive=False)) >= 2 for tr in rows)


def _html_cell(cell: Any, bs4: ModuleType) -> str:
    out: list[str] = []
    _render_into(cell, out, bs4)
    text = _resolve_soft("".join(out))
    return _glue([part.strip(" \u3000\u00a0") for part in regex.split(f"[{_PARA}\n]", text)])


def _resolve_soft(text: str) -> str:
    def repl(m: regex.Match[str]) -> str:
        before = m.string[m.start() - 1] if m.start() else ""
        after = m.string[m.end()] if m.end() < len(m.string) else ""
        return " " if _is_word_char(before) and _is_word_char(after) else ""
    return regex.sub(rf"[ ]*{_SOFT}[{_SOFT} ]*", repl, text)


def _html_paragraphs(text: str) -> str:
    """Blocks become paragraphs separated by a blank line; a <br> stays a line break inside its paragraph,
    except on pages laid out with <br> alone: there ``<br><br>``, or a <br> followed by an indent
    (``&nbsp;``/full-width spaces), starts a new paragraph."""
    paragraphs = []
    for block in _resolve_soft(text).split(_PARA):
        current: list[str] = []
        previous_blank = False
        for raw in block.split("\n"):
            line = raw.strip(" \u3000\u00a0\r\f")
            if not line.strip():
                previous_blank = bool(current)
                continue
            if current and (previous_blank or raw.lstrip(" ")[:1] in ("\u3000", "\u00a0")):
                paragraphs.append("\n".join(current))
                current = []
            current.append(line)
            previous_blank = False
        if current:
            paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""
