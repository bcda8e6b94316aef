"""Plain-text reports and what every loader shares: the load error, the :class:`Source` record,
byte decoding (UTF-8, GB18030, Big5 detected by its characters) and the text-shaping helpers.

It sits below :mod:`reportmine.io` and the format readers (``word``, ``pdf``, ``web``), so they use
it without importing each other.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import regex

from .grid import LoadedTable, TextBuilder

__all__ = ["ReportLoadError", "Source", "ENCODINGS", "decode_bytes", "require_text", "has_visible_text",
           "optional_module", "check_not_empty", "glue", "is_word_char", "paragraph_lines", "table_row",
           "finish_blocks", "finish_text", "CJK_CHAR", "looks_binary", "encoding_problem"]

#: Encodings tried, in order, for files without a BOM (GB18030 is a superset of GBK and GB2312).
ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030")

#: Optional extra (pyproject ``[project.optional-dependencies]``) and module each format needs.
EXTRAS = {".pdf": ("pdf", "pdfplumber"), ".docx": ("docx", "docx"), ".html": ("html", "bs4"),
          ".htm": ("html", "bs4")}

#: Non-ASCII characters looked at when judging whether a GB18030 decode is real text or mojibake.
ENCODING_SAMPLE = 20_000
#: Fewer non-ASCII characters than this is too little evidence to refuse a file for its encoding.
ENCODING_MIN_CHARS = 20
#: Fewer non-ASCII characters than this is too little evidence to read a file as Big5.
BIG5_MIN_CHARS = 4
#: Below this share of common characters (GB2312 punctuation and hanzi) a GB18030 decode is suspect.
GB_COMMON_MIN = 0.90
#: A Big5 decode is taken when at least this share of its characters are Big5's common ones.
BIG5_COMMON_MIN = 0.90


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
    ``pages`` is the page count of a PDF; ``notes`` are things the loader guessed (an encoding
    told apart by its characters), which :func:`reportmine.parse` turns into warnings; ``tables`` are
    the tables the file itself laid out as grids (Word, HTML, PDF), with their cells' offsets in ``text``.
    """

    path: str
    text: str
    encoding: str | None
    format: str = "text"
    pages: int | None = None
    notes: tuple[str, ...] = ()
    tables: tuple[LoadedTable, ...] = ()

    @property
    def name(self) -> str:
        return Path(self.path).name


# -- "is there any text at all" ------------------------------------------------------------------------

#: A character a reader can see: not whitespace (any kind), not a control or format character
#: (zero-width spaces and joiners, BOM, bidi marks), not unassigned.
_VISIBLE = regex.compile(r"[^\p{White_Space}\p{Cc}\p{Cf}\p{Cn}\p{Zs}\p{Zl}\p{Zp}\u2800\u3164\uffa0\u115f\u1160]")


def has_visible_text(text: str) -> bool:
    """True if ``text`` has at least one visible character (whitespace and invisible marks do not count)."""
    return _VISIBLE.search(text) is not None


def require_text(path: str | os.PathLike[str], text: str, what: str = "file") -> None:
    """Raise the clean "no text" :class:`ReportLoadError` when ``text`` has nothing visible in it."""
    if not has_visible_text(text):
        detail = "" if not text else " (only whitespace or invisible characters)"
        raise ReportLoadError(path, f"{what} is empty: no text{detail}")


# -- decoding ------------------------------------------------------------------------------------------

def looks_binary(data: bytes) -> bool:
    """NUL bytes or many C0 control characters mean this is not a text file."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D))
    return controls > max(8, len(sample) // 50)


def _decoded_pairs(codec: str, leads: range, trails: tuple[int, ...]) -> frozenset[str]:
    out = set()
    for a in leads:
        for b in trails:
            try:
                out.add(bytes((a, b)).decode(codec))
            except UnicodeDecodeError:
                continue
    return frozenset(out)


@lru_cache(maxsize=1)
def _gb_common() -> frozenset[str]:
    """GB2312's punctuation rows (1-3) and its 6,763 hanzi: the characters of everyday simplified Chinese."""
    trails = tuple(range(0xA1, 0xFF))
    return _decoded_pairs("gb2312", range(0xA1, 0xA4), trails) | _decoded_pairs("gb2312", range(0xB0, 0xF8), trails)


@lru_cache(maxsize=1)
def _big5_common() -> frozenset[str]:
    """Big5's punctuation rows (A1-A3) and its 5,401 frequently used hanzi (A4-C6): everyday traditional Chinese."""
    return _decoded_pairs("cp950", range(0xA1, 0xC7), (*range(0x40, 0x7F), *range(0xA1, 0xFF)))


_NON_ASCII = regex.compile(r"[^\x00-\x7f\s]")


def _common_share(text: str, common: frozenset[str]) -> tuple[float, int]:
    """Share of the (first :data:`ENCODING_SAMPLE`) non-ASCII characters of ``text`` that are in ``common``."""
    sample = []
    for m in _NON_ASCII.finditer(text):
        sample.append(m.group())
        if len(sample) >= ENCODING_SAMPLE:
            break
    if not sample:
        return 1.0, 0
    return sum(ch in common for ch in sample) / len(sample), len(sample)


def encoding_problem(text: str) -> str | None:
    """Why a GB18030 decode of non-UTF-8 bytes looks like mojibake, or None when it reads as Chinese."""
    share, n = _common_share(text, _gb_common())
    if n == 0 or share >= GB_COMMON_MIN:
        return None
    return f"read as GB18030 only {share:.0%} of its {n} non-ASCII characters are common Chinese ones"


def _decode_gb_or_big5(data: bytes, path: str) -> tuple[str, str, tuple[str, ...]] | None:
    """GB18030, or Big5 (cp950) when GB18030 gives mojibake and Big5 gives common characters.

    None when GB18030 cannot decode the bytes at all; :class:`ReportLoadError` when neither reads as Chinese.
    """
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    problem = encoding_problem(text) if text is not None else None
    if text is not None and problem is None:
        return text, "gb18030", ()
    try:
        big5 = data.decode("cp950")
    except UnicodeDecodeError:
        big5 = None
    if big5 is not None:
        share, n = _common_share(big5, _big5_common())
        if n >= BIG5_MIN_CHARS and share >= BIG5_COMMON_MIN:
            why = problem if problem else "it is not valid GB18030"
            return big5, "cp950", (f"decoded as Big5 (cp950), not GB18030: {why}; as Big5 {share:.0%} are common "
                                   "traditional Chinese characters",)
    if text is None:
        return None
    if _common_share(text, _gb_common())[1] < ENCODING_MIN_CHARS:
        return text, "gb18030", ()      # too few Chinese characters to judge
    raise ReportLoadError(path, f"encoding unclear: {problem}, and it is not Big5 either; it may be in another "
                                "encoding (Shift-JIS, EUC-KR …): re-save it as UTF-8")


def decode_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode report bytes; return ``(text, encoding)`` or raise :class:`ReportLoadError`."""
    text, encoding, _notes = decode_report_bytes(data, path)
    return text, encoding


def decode_report_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, str, tuple[str, ...]]:
    """Decode report bytes: ``(text, encoding, notes)``; notes say when an encoding was told apart by its
    characters (Big5 read as GB18030 gives valid but meaningless text). Raises :class:`ReportLoadError`
    for empty, binary, undecodable or unclear bytes."""
    if not data.strip():
        raise ReportLoadError(path, "file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ReportLoadError(path, f"has a UTF-8 BOM but invalid UTF-8 at byte {exc.start + 3}") from None
        require_text(path, text)
        return text, "utf-8-sig", ()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReportLoadError(path, "has a UTF-16 BOM but is not valid UTF-16") from None
        require_text(path, text)
        return text, "utf-16", ()
    if looks_binary(data):
        raise ReportLoadError(path, "looks like a binary file, not text (NUL or control bytes); "
                                    "convert it to .txt, or pass a .docx/.pdf/.html file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        found = _decode_gb_or_big5(data, path)
        if found is None:
            raise ReportLoadError(path, "cannot be decoded as UTF-8, GB18030/GBK or Big5; re-save it as UTF-8") \
                from None
        text, encoding, notes = found
        require_text(path, text)
        return text, encoding, notes
    require_text(path, text)
    return text, "utf-8", ()


# -- helpers the format readers share ------------------------------------------------------------------

def optional_module(p: str | os.PathLike[str], suffix: str) -> ModuleType:
    """Import the package a format needs, or say which extra to install."""
    extra, module = EXTRAS[suffix]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ReportLoadError(p, f"reading {suffix} files needs the optional extra: "
                                 f"pip install 'reportmine[{extra}]'") from None


def check_not_empty(p: str | os.PathLike[str], data: bytes) -> None:
    """An empty (or whitespace-only) file is a load error before any parser sees it."""
    if not data.strip():
        raise ReportLoadError(p, "file is empty")


CJK_CHAR = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef]")


def is_word_char(ch: str) -> bool:
    """An ASCII letter or digit: two of them must not be glued together without a space."""
    return ch.isascii() and ch.isalnum()


def glue(parts: list[str]) -> str:
    """Join pieces of one logical line (wrapped lines, a cell's paragraphs) without a newline.

    Chinese text joins directly; a space is put back only between two Latin letters or digits.
    """
    out = ""
    for part in (piece for text in parts for piece in text.replace("\t", " ").split("\n")):
        if not part:
            continue
        if out and not out[-1].isspace() and not part[0].isspace() and is_word_char(out[-1]) \
                and is_word_char(part[0]):
            out += " "
        out += part
    return out.strip()


def paragraph_lines(text: str) -> str:
    """A paragraph with its internal line breaks kept, blank and trailing-space lines removed."""
    return "\n".join(line.rstrip() for line in text.split("\n") if line.strip())


def table_row(cells: list[str]) -> str | None:
    """One table row as a tab-separated line, or None when every cell is empty."""
    if not any(c.strip() for c in cells):
        return None
    return "\t".join(cells).rstrip("\t ")


def finish_blocks(p: str | os.PathLike[str], blocks: list[str], what: str) -> str:
    """Blocks joined into a report's text (a blank line between them); no visible text is a load error."""
    text = "\n\n".join(b for b in blocks if b.strip())
    if not has_visible_text(text):
        raise ReportLoadError(p, f"{what} has no text")
    return text + "\n"


def finish_text(p: str | os.PathLike[str], built: TextBuilder, what: str) -> tuple[str, tuple[LoadedTable, ...]]:
    """A loader's joined text and its grid tables; no visible text is a load error."""
    text = built.text
    if not has_visible_text(text):
        raise ReportLoadError(p, f"{what} has no text")
    return text, tuple(built.tables)
