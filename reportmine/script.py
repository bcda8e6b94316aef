"""Traditional-script text: detect it, and convert it to simplified characters one character for one.

Detection needs no extra: the share of Han characters that OpenCC's t2s would change, from
``data/traditional_chars.txt`` (generated from OpenCC by ``scripts/build_traditional.py``). Conversion
uses OpenCC (``reportmine[trad]``); its phrase dictionary picks the right character where one
traditional character has several simplified ones (乾隆/乾净). Every conversion keeps the length of the
text, so the offset map of :mod:`reportmine.normalize` stays valid: a line whose phrase conversion would
change its length is converted character by character instead.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

import regex

from .resources import data_lines

__all__ = ["TRADITIONAL_SHARE", "ScriptInfo", "traditional_chars", "traditional_share", "script_of",
           "converter_available", "converter_version", "converter_identity", "to_simplified", "ConverterMissing",
           "fold_traditional"]

#: A text whose Han characters are at least this share traditional-only is read as traditional. A
#: simplified report has almost none (於 as a surname, 乾隆); a traditional one has about a third. Short
#: texts are judged alike: converting a simplified text by mistake changes next to nothing (t2s leaves
#: simplified characters alone).
TRADITIONAL_SHARE = 0.05

_HAN = regex.compile(r"\p{Han}")


class ConverterMissing(RuntimeError):
    """OpenCC (the ``reportmine[trad]`` extra) is not installed."""


@dataclass(frozen=True)
class ScriptInfo:
    """How a text is written: the share of traditional-only characters and whether it was converted."""

    traditional: bool
    share: float
    han: int
    converted: bool = False


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Traditional -> simplified, one character to one (data/traditional_fold.tsv), for str.translate."""
    table: dict[int, str] = {}
    for line in data_lines("traditional_fold.tsv"):
        trad, simp = line.split("\t")
        table[ord(trad)] = simp
    return table


def fold_traditional(text: str) -> str:
    """``text`` with the traditional characters that reportmine's word lists match (個 萬 餘 場 約, 瀏覽 當前 …)
    written simplified, one character for one, so every offset stays valid. No extra needed: the table is
    data (``data/traditional_fold.tsv``, generated from OpenCC by ``scripts/build_traditional_fold.py``)."""
    if _fold_pattern().search(text) is None:     # most texts have none: a scan instead of a per-character map
        return text
    return text.translate(_fold_table())


@lru_cache(maxsize=1)
def _fold_pattern() -> re.Pattern[str]:
    """Any character :func:`fold_traditional` replaces (the standard library's ``re``: fast on a plain class)."""
    return re.compile("[" + "".join(sorted(re.escape(chr(c)) for c in _fold_table())) + "]")


@lru_cache(maxsize=1)
def traditional_chars() -> frozenset[str]:
    """Characters OpenCC's t2s replaces by another (個 萬 會 …), from ``data/traditional_chars.txt``."""
    return frozenset("".join(data_lines("traditional_chars.txt")))


#: Han characters for counting (the CJK blocks; the standard library's ``re`` does a plain class ten to
#: twenty times faster than ``regex`` does ``\p{Han}`` or a class of thousands of characters).
_HAN_RUNS = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


@lru_cache(maxsize=1)
def _traditional_pattern() -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(traditional_chars())) + "]")


def traditional_share(text: str) -> tuple[float, int]:
    """(share of Han characters that are traditional-only, number of Han characters) of ``text``.

    Counted by deleting the few that are traditional, then by runs (no object per character); a text with
    no traditional character at all (every simplified report) is not counted further: ``(0.0, 0)``."""
    n = len(text) - len(_traditional_pattern().sub("", text))
    if n == 0:
        return 0.0, 0
    han = sum(map(len, _HAN_RUNS.findall(text)))
    return (n / han if han else 0.0), han


#: Texts longer than this are judged on :data:`SAMPLES` evenly spaced slices of this total size.
SAMPLE = 200_000
SAMPLES = 20


def script_of(text: str) -> ScriptInfo:
    """Is ``text`` written in traditional characters (see :data:`TRADITIONAL_SHARE`)? A long text is judged
    on evenly spaced slices (:data:`SAMPLE` characters), so the cost stays bounded."""
    if len(text) > SAMPLE:
        step, size = len(text) // SAMPLES, SAMPLE // SAMPLES
        text = "".join(text[i:i + size] for i in range(0, step * SAMPLES, step))
    share, han = traditional_share(text)
    return ScriptInfo(traditional=han > 0 and share >= TRADITIONAL_SHARE, share=share, han=han)


@lru_cache(maxsize=1)
def _converter():
    try:
        import opencc
    except ImportError as exc:   # the extra is not installed
        raise ConverterMissing("traditional-script text needs OpenCC: pip install 'reportmine[trad]'") from exc
    return opencc.OpenCC("t2s")


def converter_version() -> str | None:
    """The installed OpenCC's version (None without it), read from its metadata without loading it: a
    cache of parsed reports must not mix results read with and without conversion."""
    from importlib import metadata

    try:
        return metadata.version("opencc")
    except metadata.PackageNotFoundError:
        return None


def converter_identity() -> str | None:
    """Where the installed OpenCC is, with its size and modification time (None without it): what the cache
    of parsed reports is keyed by. Found without loading OpenCC or reading package metadata (importing
    ``importlib.metadata`` and scanning the installed distributions cost ~15 ms at every cold start); an
    install or upgrade rewrites the file, so it changes."""
    from importlib.util import find_spec

    try:
        spec = find_spec("opencc")
        origin = spec.origin if spec is not None else None
        if not origin or not os.path.isfile(origin):
            return None
        st = os.stat(origin)
    except (ImportError, ValueError, OSError):
        return None
    return f"{origin}\0{st.st_size}\0{st.st_mtime_ns}"


def converter_available() -> bool:
    """True when OpenCC can be loaded."""
    try:
        _converter()
    except ConverterMissing:
        return False
    return True


@lru_cache(maxsize=65536)
def _char(ch: str) -> str:
    """One character converted alone; a character that would become several (or none) stays as it is."""
    try:
        out = _converter().convert(ch)
    except UnicodeEncodeError:   # a lone surrogate: nothing to convert
        return ch
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """``text`` in simplified characters, of exactly the same length (position i comes from position i).

    Converted line by line with OpenCC's phrases; a line whose length the phrases would change is
    converted character by character. Raises :class:`ConverterMissing` without the extra.
    """
    convert = _converter().convert
    out = []
    for line in text.splitlines(keepends=True):
        if not _HAN.search(line):
            out.append(line)
            continue
        try:
            converted = convert(line)
        except UnicodeEncodeError:   # a lone surrogate in text given as a str
            converted = ""
        if len(converted) != len(line):
            converted = "".join(_char(ch) for ch in line)
        out.append(converted)
    return "".join(out)
