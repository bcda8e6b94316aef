"""Read report files into text plus where the text came from.

Plain text is the primary format. Government archives are often GBK/GB18030, so
decoding tries UTF-8 (with or without BOM) first and then GB18030 (a superset of
GBK and GB2312). Every failure is a :class:`ReportLoadError` that names the file
and the problem, so a batch job can report it and move on.

Word (``.docx``), PDF and HTML files are turned into text of the same shape as a
``.txt`` report: paragraphs separated by a blank line, a line break inside a
paragraph kept as one newline, and every table row as one line of tab-separated
cell texts (the shape :mod:`reportmine.annex` reads). Offsets everywhere in
reportmine index into that extracted text (:attr:`Source.text`). The readers live in
:mod:`reportmine.formats` (``word``, ``pdf``, ``web``) and need optional packages
(``reportmine[docx]``, ``[pdf]``, ``[html]``), imported only when such a file is read.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

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
        from .formats.word import read_docx

        return read_docx(p, data)
    if suffix == ".pdf":
        from .formats.pdf import read_pdf

        return read_pdf(p, data)
    if suffix in _HTML_SUFFIXES:
        from .formats.web import read_html

        return read_html(p, data)
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


_CJK_CHAR = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef]")


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


