"""Read report files into text plus where the text came from.

Plain text is the primary format. Government archives are often GBK/GB18030, so
decoding tries UTF-8 (with or without BOM) first and then GB18030 (a superset of
GBK and GB2312). Every failure is a :class:`ReportLoadError` that names the file
and the problem, so a batch job can report it and move on.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["ReportLoadError", "Source", "read_source", "decode_bytes"]

#: Encodings tried, in order, for files without a BOM.
ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030")

_TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
_HTML_SUFFIXES = {".html", ".htm"}


class ReportLoadError(ValueError):
    """A report file could not be read; ``path`` and ``problem`` say which and why."""

    def __init__(self, path: str | os.PathLike[str], problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


@dataclass(frozen=True)
class Source:
    """Decoded text of one file. Offsets everywhere in reportmine index into ``text``."""

    path: str
    text: str
    encoding: str
    format: str = "text"

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
                                    "convert it to .txt, or pass a .docx/.html file")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ReportLoadError(path, "cannot be decoded as UTF-8 or GB18030/GBK; "
                                "re-save it as UTF-8")


class _HTMLText(HTMLParser):
    """Collect visible text, one line per block element, table cells tab-separated."""

    _BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser signature
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("td", "th"):
            self.parts.append("\t")
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data.replace("\n", ""))


def _html_to_text(markup: str) -> str:
    parser = _HTMLText()
    parser.feed(markup)
    lines = [line.strip(" \t").replace("\t\t", "\t") for line in "".join(parser.parts).split("\n")]
    return html.unescape("\n\n".join(line for line in lines if line))


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read a report file (.txt in any of :data:`ENCODINGS`, or .html) into a :class:`Source`."""
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
    if suffix in (".docx", ".pdf", ".doc"):
        raise ReportLoadError(p, f"{suffix} files are not supported yet; extract the text to .txt first")
    text, encoding = decode_bytes(data, str(p))
    if suffix in _HTML_SUFFIXES:
        text = _html_to_text(text)
        if not text.strip():
            raise ReportLoadError(p, "HTML file has no visible text")
        return Source(str(p), text, encoding, "html")
    if "\ufffd" in text:
        raise ReportLoadError(p, "contains U+FFFD replacement characters: it was damaged by an earlier "
                                 "lossy conversion")
    return Source(str(p), text, encoding, "text")
