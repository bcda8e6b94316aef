"""Undo text-extraction damage while keeping a map back to the original offsets.

Every edit is either a one-to-one character substitution (full-width digits to
ASCII, ASCII parentheses to full-width; traditional characters to simplified ones, see
:mod:`reportmine.script`; garbled characters to U+FFFD) or a deletion (page-number lines, line breaks inside a
paragraph, spaces between digits and Chinese, web-page furniture lines, pinyin glosses, lines of nothing but
mojibake). So each character of the normalised text comes from exactly one character of the original, and
:meth:`NormalizedText.to_original` maps any span back for auditing.
"""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import regex

from .furniture import furniture_lines
from .glosses import gloss_spans
from .mojibake import mojibake_runs
from .script import ScriptInfo, converter_available, script_of, to_simplified

__all__ = ["NormalizedText", "normalize", "CHAR_MAP", "SECTION_MARKER", "LINE_BREAK"]

#: One-to-one substitutions: full-width digits/percent become ASCII; parentheses
#: become full-width, the form GB/T 9704 uses in Chinese text.
CHAR_MAP: dict[str, str] = {
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "％": "%",
    "(": "（",
    ")": "）",
    "\u3000": " ",
    "\u00a0": " ",
    "\r": "\n",
}
#: Any character of :data:`CHAR_MAP` (the standard library's ``re``: a plain class is fast there).
_MAPPED = re.compile("[" + "".join(re.escape(c) for c in CHAR_MAP) + "]")


def _map_chars(text: str) -> str:
    """``text`` with :data:`CHAR_MAP` applied: the characters it names replaced where they stand (a report
    has tens of them) instead of a table look-up for every character (``str.translate``: ~10x slower)."""
    return _MAPPED.sub(lambda m: CHAR_MAP[m.group()], text)

_CJK = r"\p{Han}\u3000-\u303f\uff00-\uffef“”‘’《》〈〉、"
#: Spaces touching a digit on one side and Chinese text or punctuation on the other.
_DIGIT_SPACE = regex.compile(rf"(?<=\d)[ ]+(?=[{_CJK}])|(?<=[{_CJK}])[ ]+(?=\d)|(?<=\d)[ ]+(?=\d*[万亿])")
#: Page numbers that PDF extraction leaves on a line of their own: "— 3 —", "- 12 -", "第 3 页".
_PAGE_NUMBER_LINE = regex.compile(r"(?m)^[ \t]*(?:[—–\-－]{1,2}[ \t]*\d{1,4}[ \t]*[—–\-－]{1,2}|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*共[ \t]*\d+[ \t]*页)?)[ \t]*\n?")
#: What ends a line for :meth:`NormalizedText.line_col` (CRLF is one break).
LINE_BREAK = regex.compile("\r\n|[\n\r\x85\u2028\u2029]")
#: Heading markers of 公文 sections: 一、 （一） 1. （1）.
SECTION_MARKER = regex.compile(r"^[ \t]*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|（\d+）)")
#: A line that ends like a sentence or a heading label does not continue on the next line.
_CLOSED_LINE_END = regex.compile(r"[。！？；：:!?]\s*$")
#: Markdown table rows and headings, and [表格] markers: lines of their own, never a broken paragraph.
_TABLE_OR_MARKUP_LINE = regex.compile(r"^[ \t]*(?:\||#{1,6}[ \t]|\[/?表格\])|\|[ \t]*$")
#: Below this many characters a line without closing punctuation is taken as a title, not a broken paragraph.
MIN_BROKEN_LINE = 60


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus, for each character, its offset in ``original``."""

    text: str
    original: str
    offsets: Sequence[int] = field(repr=False)   # an array('q'): 8 bytes a character, not a tuple's ~40
    #: ``[start, end)`` spans in ``original`` of garbled runs (mojibake): not read, replaced or removed.
    garbled: tuple[tuple[int, int], ...] = field(default=(), repr=False, compare=False)
    #: How the text was written: traditional or not, and whether it was converted to simplified.
    script: ScriptInfo = field(default=ScriptInfo(False, 0.0, 0), repr=False, compare=False)
    _line_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = [0] + [m.end() for m in LINE_BREAK.finditer(self.original)]
        object.__setattr__(self, "_line_starts", tuple(starts))

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of :attr:`text` to the span it came from in :attr:`original`."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span ({start}, {end}) outside text of length {len(self.text)}")
        if start == end:
            return (self.offsets[start], self.offsets[start])
        return (self.offsets[start], self.offsets[end - 1] + 1)

    def original_slice(self, start: int, end: int) -> str:
        """The original characters behind a normalised span."""
        s, e = self.to_original(start, end)
        return self.original[s:e]

    def line_col(self, original_offset: int) -> tuple[int, int]:
        """1-based line and column of an offset in the original text.

        Lines end at any :data:`LINE_BREAK`: ``\\n``, ``\\r\\n``, a lone ``\\r`` (old Mac files), NEL
        (U+0085) and the Unicode line and paragraph separators (U+2028, U+2029).
        """
        line = bisect.bisect_right(self._line_starts, original_offset) - 1
        return line + 1, original_offset - self._line_starts[line] + 1


def _delete(text: str, offsets: array, spans: Iterable[tuple[int, int]]) -> tuple[str, array]:
    """Remove the given (sorted, non-overlapping) spans from text and offsets together."""
    out: list[str] = []
    out_offsets = array("q")
    pos = 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(text[pos:start])
        out_offsets.extend(offsets[pos:start])
        pos = end
    out.append(text[pos:])
    out_offsets.extend(offsets[pos:])
    return "".join(out), out_offsets


def _regex_spans(pattern: regex.Pattern[str]) -> Callable[[str], list[tuple[int, int]]]:
    return lambda text: [m.span() for m in pattern.finditer(text)]


def _broken_line_breaks(text: str) -> list[tuple[int, int]]:
    """Line breaks (with blank lines) that split one paragraph, e.g. a PDF page break mid-word.

    A break is healed when the line before is long (or ends with a comma), has no tab (table rows keep
    their breaks), does not end like a sentence, and the next line is not a heading.
    """
    spans = []
    for m in regex.finditer(r"\n(?:[ \t]*\n)*[ \t]*", text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start:m.start()]
        nxt_end = text.find("\n", m.end())
        nxt = text[m.end(): nxt_end if nxt_end >= 0 else len(text)]
        long_or_comma = len(line) >= MIN_BROKEN_LINE or (len(line) >= 8 and line.endswith(("，", "、")))
        if (long_or_comma and "\t" not in line and nxt and "\t" not in nxt
                and not _CLOSED_LINE_END.search(line) and not SECTION_MARKER.match(nxt)
                and not _TABLE_OR_MARKUP_LINE.match(line) and not _TABLE_OR_MARKUP_LINE.match(nxt)):
            spans.append(m.span())
    return spans


def _strip_line_ends(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in regex.finditer(r"[ ]+(?=\n)|[ ]+\Z", text)]


#: Line breaks (and the spaces around them) inside a bracketed fill-in blank: PDF extraction breaks
#: "（ 1234 ）场" as "（\n 1234 ）场" or "（ 1234\n）场". A break between two digits stays: "（12\n34）" may be
#: two numbers, so it is read as damage (None with a warning), never as 1234.
_BREAK_IN_BLANK = regex.compile(r"(?<=（[ \t]*)[ \t]*\n[ \t\n]*(?=[ \t\d,，.]{0,20}）)"
                                r"|(?<=（[ \t\d,，.]{0,20})[ \t]*\n[ \t\n]*(?=[ \t]*）)")
#: Two or more runs of two or more spaces on one line: columns aligned by spaces, not extraction damage.
_ALIGNED_COLUMNS = regex.compile(r"\S {2,}\S.* {2,}\S")


def _digit_spaces(text: str) -> list[tuple[int, int]]:
    """Spaces between a digit and Chinese text (``2023 年``, ``9216 场``), except the wide gaps of a
    table whose columns are aligned by spaces (``4月      412      386``)."""
    spans = []
    for m in _DIGIT_SPACE.finditer(text):
        if m.end() - m.start() >= 2:
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            if _ALIGNED_COLUMNS.search(text, line_start, len(text) if line_end < 0 else line_end):
                continue
        spans.append(m.span())
    return spans


#: CR of a CRLF pair, deleted before the one-to-one map so CRLF does not become two breaks.
_CR_BEFORE_LF = regex.compile(r"\r(?=\n)")

#: The deletion passes run after the character map, in order. Each returns the spans to delete.
def _running_headers(text: str) -> list[tuple[int, int]]:
    """A page's running header or footer left by PDF extraction: a short line right next to a page-number
    line (— 3 —) whose text also stands elsewhere in the document. Only the copies beside page numbers go."""
    lines = [(m.start(), m.end(), m.group().strip()) for m in regex.finditer(r"(?m)^.*$", text)]
    counts: dict[str, int] = {}
    for _, _, t in lines:
        if t:
            counts[t] = counts.get(t, 0) + 1
    page_rows = [i for i, (s, e, t) in enumerate(lines) if t and _PAGE_NUMBER_LINE.fullmatch(text, s, e)]
    first = {}
    for i, (_, _, t) in enumerate(lines):
        first.setdefault(t, i)     # the first copy is the document's own line (a title), never a header
    spans = []
    for i in page_rows:
        for step in (-1, 1):
            j, seen = i + step, 0
            while 0 <= j < len(lines) and seen < 2:
                s, e, t = lines[j]
                if t:
                    seen += 1
                    if len(t) <= 40 and counts.get(t, 0) >= 2 and first[t] != j and "\t" not in t \
                            and not _PAGE_NUMBER_LINE.fullmatch(t):
                        spans.append((s, min(e + 1, len(text))))
                    break
                j += step
    return sorted(set(spans))


PASSES: tuple[tuple[str, Callable[[str], list[tuple[int, int]]]], ...] = (
    ("pinyin_glosses", gloss_spans),
    ("web_furniture", furniture_lines),
    ("running_headers", _running_headers),
    ("page_numbers", _regex_spans(_PAGE_NUMBER_LINE)),
    ("blank_breaks", _regex_spans(_BREAK_IN_BLANK)),
    ("line_end_spaces", _strip_line_ends),
    ("broken_lines", _broken_line_breaks),
    ("digit_spaces", _digit_spaces),
)


def _garbled(text: str, offsets: array) -> tuple[str, array, tuple[tuple[int, int], ...]]:
    """Mojibake runs out of the text: a line of nothing else is deleted, a run inside a line becomes U+FFFD
    characters (so no digit of it is read and its neighbours are not glued together)."""
    runs = mojibake_runs(text)
    if not runs:
        return text, offsets, ()
    garbled = tuple((offsets[s], offsets[e - 1] + 1) for s, e in runs)
    chars = list(text)
    whole_lines = []
    for s, e in runs:
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line_end = len(text) if line_end < 0 else line_end
        if not text[line_start:s].strip(" \t\u3000\u00a0") and not text[e:line_end].strip(" \t\u3000\u00a0"):
            whole_lines.append((line_start, min(line_end + 1, len(text))))
        else:
            chars[s:e] = "\ufffd" * (e - s)
    text, offsets = _delete("".join(chars), offsets, whole_lines)
    return text, offsets, garbled


#: Offsets 0, 1, 2 … kept to copy from (a C copy instead of an int object per character), up to this many.
_IDENTITY_KEPT = 1 << 20
_IDENTITY = array("q")


def _identity(n: int) -> array:
    """``array("q", range(n))``: a slice of the kept identity map when it is short enough."""
    if n > _IDENTITY_KEPT:
        return array("q", range(n))
    if len(_IDENTITY) < n:
        _IDENTITY.extend(range(len(_IDENTITY), max(n, min(2 * len(_IDENTITY), _IDENTITY_KEPT))))
    return _IDENTITY[:n]


def normalize(original: str, *, simplify: bool = True) -> NormalizedText:
    """Clean extraction damage from ``original``; see the module docstring for what changes.

    ``simplify``: convert a text written in traditional characters to simplified ones (when OpenCC, the
    ``reportmine[trad]`` extra, is installed; :attr:`NormalizedText.script` says what was done).
    """
    text, offsets = _delete(original, _identity(len(original)), _regex_spans(_CR_BEFORE_LF)(original))
    text, offsets, garbled = _garbled(text, offsets)
    text = _map_chars(text)
    script = script_of(text)
    if simplify and script.traditional and converter_available():
        text = to_simplified(text)      # one character for one: the offsets stay as they are
        script = ScriptInfo(script.traditional, script.share, script.han, converted=True)
    for _name, find_spans in PASSES:
        text, offsets = _delete(text, offsets, find_spans(text))
    offsets.append(len(original))
    return NormalizedText(text=text, original=original, offsets=offsets, garbled=garbled, script=script)
