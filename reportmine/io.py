"""Read report files into text plus where the text came from.

Plain text is the primary format. Government archives are often GBK/GB18030, so
decoding tries UTF-8 (with or without BOM) first and then GB18030 (a superset of
GBK and GB2312); Big5 files, which GB18030 decodes into valid but meaningless text,
are told apart by their characters (see :mod:`reportmine.formats.text`). Every failure
is a :class:`ReportLoadError` that names the file and the problem, so a batch job can
report it and move on.

Only regular files are read: a FIFO, socket or device (``/dev/zero``) is refused before it is
opened, and a file larger than :func:`size_limit` (default 200 MiB; the ``max_bytes`` argument
or the ``REPORTMINE_MAX_BYTES`` environment variable change it) is refused without being read.

Word (``.docx``), PDF and HTML files are turned into text of the same shape as a
``.txt`` report: paragraphs separated by a blank line, a line break inside a
paragraph kept as one newline, and every table row as one line of tab-separated
cell texts (the shape :mod:`reportmine.annex` reads); the tables themselves also come as grids with
their merged cells (:attr:`Source.tables`, read by :mod:`reportmine.document`). Offsets everywhere in
reportmine index into that extracted text (:attr:`Source.text`). The readers live in
:mod:`reportmine.formats` (``word``, ``pdf``, ``web``) and need optional packages
(``reportmine[docx]``, ``[pdf]``, ``[html]``), imported only when such a file is read.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import warnings
from pathlib import Path

from .formats.text import ENCODINGS, ReportLoadError, Source, decode_bytes, decode_report_bytes

__all__ = ["ReportLoadError", "Source", "read_source", "read_report_bytes", "source_from_bytes", "decode_bytes",
           "size_limit", "DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "ENCODINGS"]

#: Largest file read by default (200 MiB); see :func:`size_limit`.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
#: Seconds one file may take in a batch before it is reported as timed out (``parse_many(timeout=)``).
DEFAULT_TIMEOUT = 300.0
#: Environment variable that overrides :data:`DEFAULT_MAX_BYTES` (bytes, or with a K/M/G suffix: ``500M``).
MAX_BYTES_ENV = "REPORTMINE_MAX_BYTES"

_HTML_SUFFIXES = {".html", ".htm"}
#: A text file with more U+FFFD replacement characters than this share of its visible characters is refused;
#: fewer are read, each run named in a ``mojibake`` warning and no figure taken from it.
MAX_REPLACEMENT_SHARE = 0.05
_UNITS = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}


def size_limit(limit: int | None = None) -> int:
    """The size limit in force: ``limit`` if given, else ``$REPORTMINE_MAX_BYTES``, else 200 MiB.

    A malformed environment value warns and falls back to the default.
    """
    if limit is not None:
        if limit < 1:
            raise ValueError(f"max_bytes must be at least 1, not {limit}")
        return int(limit)
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    m = re.fullmatch(r"(\d+)\s*([KMG]?)(?:I?B)?", raw.upper())
    if m and int(m.group(1)) > 0:
        return int(m.group(1)) * _UNITS[m.group(2)]
    warnings.warn(f"{MAX_BYTES_ENV}={raw!r} is not a size such as 200000000 or 500M; using the default "
                  f"{DEFAULT_MAX_BYTES} bytes", RuntimeWarning, stacklevel=2)
    return DEFAULT_MAX_BYTES


def _size_text(n: int) -> str:
    return f"{n / 1024 ** 2:.1f} MiB" if n >= 1024 ** 2 else f"{n} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def _regular_file_stat(p: Path) -> os.stat_result:
    """``os.stat`` of a path that must be a regular file; every other case is a clear load error."""
    try:
        st = os.stat(p)
    except FileNotFoundError:
        if os.path.islink(p):
            raise ReportLoadError(p, f"is a broken symbolic link (its target {os.readlink(p)!r} does not exist)") \
                from None
        raise ReportLoadError(p, "file not found") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReportLoadError(p, "is a symbolic link that loops (it points back to itself)") from None
        if exc.errno == errno.ENAMETOOLONG:
            raise ReportLoadError(p, "path is too long") from None
        raise ReportLoadError(p, f"cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:          # embedded NUL in the path
        raise ReportLoadError(p, f"is not a valid path ({exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReportLoadError(p, "is a directory, not a report file")
    if not stat.S_ISREG(st.st_mode):
        raise ReportLoadError(p, f"is {_kind(st.st_mode)}, not a regular file; only regular files are read")
    return st


def read_report_bytes(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most :func:`size_limit` bytes, read once.

    FIFOs, sockets and devices are refused before they are opened (and the open itself never
    blocks); a file that grows past the limit while it is read is refused too.
    """
    p = Path(path)
    cap = size_limit(limit)
    st = _regular_file_stat(p)
    if st.st_size > cap:
        raise ReportLoadError(p, f"is {_size_text(st.st_size)}, larger than the {_size_text(cap)} limit "
                                 f"(raise it with max_bytes= or ${MAX_BYTES_ENV})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise ReportLoadError(p, f"cannot be read ({exc.strerror or exc})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):          # swapped for something else since the stat
            raise ReportLoadError(p, "is not a regular file; only regular files are read")
        chunks, total = [], 0
        while total <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise ReportLoadError(p, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if total > cap:
        raise ReportLoadError(p, f"grew past the {_size_text(cap)} limit while it was read "
                                 f"(raise it with max_bytes= or ${MAX_BYTES_ENV})")
    return b"".join(chunks)


def source_from_bytes(path: str | os.PathLike[str], data: bytes) -> Source:
    """Decode the bytes of a report file; ``path``'s suffix says the format (.txt, .docx, .pdf, .html)."""
    p = Path(path)
    suffix = p.suffix.lower()
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
    text, encoding, notes = decode_report_bytes(data, str(p))
    damaged = text.count("\ufffd")
    if damaged and damaged > MAX_REPLACEMENT_SHARE * len("".join(text.split())):
        raise ReportLoadError(p, f"contains {damaged} U+FFFD replacement characters: it was damaged by an earlier "
                                 "lossy conversion")
    return Source(str(p), text, encoding, "text", notes=notes)


def read_source(path: str | os.PathLike[str], max_bytes: int | None = None) -> Source:
    """Read a report file (.txt in any of :data:`ENCODINGS`, .docx, .pdf or .html) into a :class:`Source`.

    ``max_bytes``: refuse larger files (default :func:`size_limit`: ``$REPORTMINE_MAX_BYTES`` or 200 MiB).
    """
    return source_from_bytes(path, read_report_bytes(path, max_bytes))
