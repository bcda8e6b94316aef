"""HTML pages saved from a government website: the article body only, as text of a .txt report's shape."""

from __future__ import annotations

import codecs
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import regex

from ..furniture import has_furniture, is_furniture, may_hold_furniture
from ..resources import data_json
from .grid import SourceCell, TextBuilder, grid_cells
from .text import (
    CJK_CHAR,
    ReportLoadError,
    Source,
    decode_report_bytes,
    encoding_problem,
    glue,
    has_visible_text,
    is_word_char,
    optional_module,
)

_FURNITURE = data_json("web_furniture.json")["html"]
_META_CHARSET = regex.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", regex.I)
_GB_CHARSETS = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936", "euc-cn", "gb18030", "csgb2312"}
#: Elements that are never article text.
_NON_TEXT_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
                  "button", "select", "input", "textarea", "head", "title", "meta", "link")
#: Page chrome by tag, and by id/class names (``data/web_furniture.json``): removed unless it holds most of
#: the page's text (a <form> around the whole page).
_CHROME_TAGS = frozenset(_FURNITURE["chrome_tags"])
_CHROME_NAME = regex.compile(_FURNITURE["chrome_names"], regex.I)
#: Ids/classes of the article body on government sites.
_BODY_NAME = regex.compile(_FURNITURE["body_names"], regex.I)
#: Hidden elements (anti-scraping digits in ``display:none`` spans, screen-reader text).
_HIDDEN_STYLE = regex.compile(_FURNITURE["hidden_style"], regex.I)
_HIDDEN_NAME = regex.compile(_FURNITURE["hidden_names"], regex.I)
#: Elements whose text is tested against the furniture line patterns: longer ones are never all furniture.
_FURNITURE_TEXT_MAX = 600
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
               "dl", "dt", "dd", "blockquote", "pre", "center", "address", "figure", "figcaption", "hr",
               "caption", "body", "html", "tr", "td", "th", "tbody", "thead", "tfoot", "table", "form", "fieldset"}
#: A block of nothing but digits on a page that has furniture: injected spam, not report text.
_SPAM_DIGITS = regex.compile(data_json("web_furniture.json")["lines"]["spam"])
_PARA = "\x00"     # paragraph break while rendering HTML
_SOFT = "\x01"     # a newline in the HTML source: nothing between Chinese characters, else a space
_TABLE_MARK = regex.compile("^\x02(\\d+)\x03$")   # where the n-th data table stands while rendering


def read_html(p: Path, data: bytes) -> Source:
    """The article body of a saved web page: no navigation, header, footer, scripts or styles."""
    bs4 = optional_module(p, ".html")
    text, encoding, notes = _decode_html(data, str(p))
    try:
        soup = bs4.BeautifulSoup(text, "html.parser")
        body = _html_body(soup, bs4)
        tables: list[list[SourceCell]] = []
        rendered = _render_html(body, bs4, tables)
        built = TextBuilder("html")
        for block in rendered.split("\n\n"):
            m = _TABLE_MARK.match(block.strip())
            if m:
                built.add_table(tables[int(m.group(1))])
            else:
                built.add_text(block.strip("\n"))
    except Exception as exc:
        raise ReportLoadError(p, f"cannot be read as HTML ({type(exc).__name__}: {exc})") from None
    if not has_visible_text(built.text):
        raise ReportLoadError(p, "HTML file has no visible text")
    return Source(str(p), built.text, encoding, "html", notes=notes, tables=tuple(built.tables))


def _decode_html(data: bytes, path: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode with the charset declared in ``<meta>``; without one (or with a wrong one) as plain text."""
    if not data.strip():
        raise ReportLoadError(path, "file is empty")
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_report_bytes(data, path)
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
                    return data.decode("utf-8"), "utf-8", ()
                except UnicodeDecodeError:
                    pass
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                text = None
            # A page saved as Big5 under a GB <meta> decodes without error into mojibake: judged as plain text.
            if text is not None and not (codec == "gb18030" and encoding_problem(text)):
                return text, codec, ()
    return decode_report_bytes(data, path)


def _cjk_count(el: Any) -> int:
    return len(CJK_CHAR.findall(el.get_text()))


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
        if not _removed(el):
            el.decompose()
    root = soup.body or soup
    total = _cjk_count(root)
    for el in root.find_all(True):
        if _removed(el):
            continue
        chrome = el.name in _CHROME_TAGS or any(_CHROME_NAME.search(n) for n in _names(el)) or _hidden(el)
        if chrome and _cjk_count(el) <= 0.5 * total:
            el.decompose()
    _drop_furniture_text(root, bs4)
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


def _removed(el: Any) -> bool:
    """Whether the element was decomposed (with an ancestor): it has no parent any more. (bs4's ``decomposed``
    searches the whole subtree of a live element for a tag of that name: quadratic on big pages.)"""
    return el.parent is None


def _hidden(el: Any) -> bool:
    """An element the browser does not show: ``hidden``, ``display:none``, ``font-size:0`` or a hiding class."""
    if el.has_attr("hidden"):
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(str(style))) or any(_HIDDEN_NAME.search(n) for n in _names(el))


def _drop_furniture_text(root: Any, bs4: ModuleType) -> None:
    """Remove elements told as furniture by their text (counters, breadcrumbs, share and print links, related
    headlines, footers) whatever their names; on such a page also bare digit runs (injected spam) outside tables."""
    web_page = False
    for el in root.find_all(True):
        if _removed(el) or el.name in ("td", "th", "tr", "table", "tbody", "thead", "tfoot", "caption"):
            continue
        raw = el.get_text()
        if len(raw) > _FURNITURE_TEXT_MAX or not may_hold_furniture(raw) or el.find_parent(("td", "th")) is not None:
            continue
        text = _render_html(el, bs4, [])
        if text.strip() and is_furniture(text, _link_text_test(el)):
            web_page = True
            el.decompose()
    if not web_page and not has_furniture(root.get_text("\n")):
        return
    for el in root.find_all(True):
        if _removed(el) or el.name in ("td", "th", "tr", "table") or el.find_parent(("td", "th")) is not None:
            continue
        text = el.get_text().strip(" \t\r\n\u3000\u00a0")
        if text and _SPAM_DIGITS.fullmatch(text) and el.name in _BLOCK_TAGS:
            el.decompose()


def _link_text_test(el: Any) -> Callable[[str], bool]:
    """Related headlines on a page are links or list items: a line may be one only if it is such text."""
    links = "\n".join(regex.sub(r"\s+", "", a.get_text()) for a in el.find_all(("a", "li")))
    return lambda line: bool(key := regex.sub(r"\s+", "", line)) and key in links


def _render_html(el: Any, bs4: ModuleType, tables: list[list[SourceCell]]) -> str:
    """The element's text as paragraphs; each data table is a paragraph ``\\x02n\\x03`` standing for
    ``tables[n]``, its cells on the grid."""
    out: list[str] = []
    _render_into(el, out, bs4, tables)
    return _html_paragraphs("".join(out))


def _render_into(el: Any, out: list[str], bs4: ModuleType, tables: list[list[SourceCell]] | None = None) -> None:
    for child in el.children:
        if isinstance(child, bs4.NavigableString):
            if not isinstance(child, (bs4.Comment, bs4.Doctype, bs4.ProcessingInstruction)):
                out.append(regex.sub(r"[ \t\r\f\n]+", lambda m: _SOFT if "\n" in m.group() else " ", str(child)))
        elif child.name == "br":
            out.append("\n")
        elif child.name == "table" and tables is not None and _is_data_table(child):
            caption = child.find("caption")
            if caption is not None and caption.find_parent("table") is child:
                out.append(_PARA + _html_cell(caption, bs4))
            tables.append(_html_table_cells(child, bs4))
            out.append(f"{_PARA}\x02{len(tables) - 1}\x03{_PARA}")
        elif child.name in _BLOCK_TAGS:
            out.append(_PARA)
            _render_into(child, out, bs4, tables)
            out.append(_PARA)
        else:
            _render_into(child, out, bs4, tables)


def _is_data_table(table: Any) -> bool:
    """A table of rows and columns, not a page-layout table (nested tables, or one column of blocks)."""
    if table.find("table") is not None:
        return False
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    return any(len(tr.find_all(("td", "th"), recursive=False)) >= 2 for tr in rows)


def _html_table_cells(table: Any, bs4: ModuleType) -> list[SourceCell]:
    """The cells of a data table on its grid, ``rowspan``/``colspan`` kept; ``<th>`` cells are headers."""
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        rows.append([(_html_cell(c, bs4), _span(c.get("rowspan")), _span(c.get("colspan")), c.name == "th")
                     for c in tr.find_all(("td", "th"), recursive=False)])
    return grid_cells(rows)


def _span(value: Any) -> int:
    """A rowspan/colspan attribute as a count (1 when missing or not a number; at most 1000)."""
    m = regex.match(r"\s*(\d+)", str(value or ""))
    return min(1000, max(1, int(m.group(1)))) if m else 1


def _html_cell(cell: Any, bs4: ModuleType) -> str:
    out: list[str] = []
    _render_into(cell, out, bs4)
    text = _resolve_soft("".join(out))
    return glue([part.strip(" \u3000\u00a0") for part in regex.split(f"[{_PARA}\n]", text)])


def _resolve_soft(text: str) -> str:
    def repl(m: regex.Match[str]) -> str:
        before = m.string[m.start() - 1] if m.start() else ""
        after = m.string[m.end()] if m.end() < len(m.string) else ""
        return " " if is_word_char(before) and is_word_char(after) else ""
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
