"""Garbled text (mojibake): UTF-8 bytes read as windows-1252/Latin-1 (``å®‰å…¨``, read twice ``Ã¥Â®``) or as
GBK (``鍏ㄥ競缁勭粐``), GBK reading replacement bytes (``锟斤拷``), uninitialised memory (``烫烫烫``) and U+FFFD
runs.

Such runs are found so the parser can name them in a warning and take no figure from them: digits inside or
right next to a run may be cut or belong to garbled words. The marks are data (``data/web_furniture.json``).
"""

from __future__ import annotations

import bisect
from functools import lru_cache

import regex

from .resources import data_json

__all__ = ["mojibake_runs"]


_LEAD = regex.compile("[\u00c2-\u00f4]")


@lru_cache(maxsize=1)
def _cp1252() -> dict[str, int]:
    """Character -> byte of windows-1252 as browsers decode it (undefined bytes give the C1 control)."""
    table = {}
    for b in range(0x80, 0x100):
        try:
            table[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:
            table[chr(b)] = b
    for b in range(0x80, 0x100):
        table.setdefault(chr(b), b)
    return table


@lru_cache(maxsize=1)
def _patterns() -> tuple[regex.Pattern[str], regex.Pattern[str], int]:
    data = data_json("web_furniture.json")["mojibake"]
    chars = "".join(regex.escape(c) for c in sorted(_cp1252()))
    latin = regex.compile(rf"[{chars}]+(?:[\x20-\x7e]{{1,12}}[{chars}]+)*")
    marks = regex.compile("(?:" + "|".join(regex.escape(m) for m in data["marks"]) + ")+")
    return latin, marks, int(data["max_gap"])


def _is_mojibake(run: str) -> bool:
    """Whether the run, turned back into windows-1252 bytes, reads as UTF-8 Chinese text or as Latin-1 again."""
    table = _cp1252()
    data = bytes(table.get(c, ord(c) if ord(c) < 0x80 else 0x3F) for c in run)
    decoded = data.decode("utf-8", errors="replace")
    wide = sum(1 for c in decoded if "\u2000" <= c <= "\u9fff" or "\uac00" <= c <= "\ufffc")
    latin = sum(1 for c in decoded if "\u0080" <= c <= "\u00ff")
    bad = decoded.count("\ufffd")
    good = wide + latin
    return (wide >= 1 or latin >= 2) and good >= bad


#: Non-ASCII stretches that may be UTF-8 read as GBK (``浣犲ソ`` for 你好): checked by re-encoding as GBK.
_WIDE_RUN = regex.compile(r"[^\x00-\x7f\n]{4,}")
#: Fewest Chinese characters a GBK stretch must re-read as to count as mojibake on its own (chance gives
#: fewer); next to other garbled text two are enough.
MIN_GBK_CHARS = 4
_UTF8_LEADS = frozenset([*range(0xE3, 0xEA), 0xEF])
_UTF8_STRETCH = regex.compile(rb"(?:[\xe3-\xe9\xef][\x80-\xbf]{2}){%d,}" % MIN_GBK_CHARS)


def _gbk_runs(text: str) -> list[tuple[int, int, int]]:
    """Stretches whose GBK bytes are, from a character boundary on, the UTF-8 of two or more Chinese
    characters, with that count: UTF-8 text that was decoded as GBK when the count reaches
    :data:`MIN_GBK_CHARS` or the stretch touches other garbled text."""
    if "\ufffd" not in text and not _UTF8_STRETCH.search(text.encode("gbk", errors="replace")):
        return []     # GBK is stateless: a stretch in any run would be in the whole text's bytes too
    out = []
    for m in _WIDE_RUN.finditer(text):
        if not _UTF8_STRETCH.search(m.group().encode("gbk", errors="replace")) and "\ufffd" not in m.group():
            continue
        data, starts = bytearray(), []
        for ch in m.group():
            starts.append(len(data))
            data += ch.encode("gbk", errors="replace")
        boundary = {p: i for i, p in enumerate(starts)}
        p = 0
        while p < len(data):
            if p not in boundary:
                p += 1
                continue
            q, k = p, 0
            while q + 3 <= len(data) and data[q] in _UTF8_LEADS and 0x80 <= data[q + 1] <= 0xBF \
                    and 0x80 <= data[q + 2] <= 0xBF:
                q, k = q + 3, k + 1
            if k >= 2:
                first = boundary[p]
                last = bisect.bisect_left(starts, q) - 1
                out.append((m.start() + first, m.start() + last + 1, k))
                p = q
            else:
                p += 1
    return out


def mojibake_runs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` spans of garbled runs in ``text``, sorted and disjoint. Runs closer than a few
    characters on one line are one run; digits touching a run belong to it."""
    latin, marks, gap = _patterns()
    # UTF-8 read as windows-1252 always shows a lead byte as a Latin-1 letter (Ã Â å æ ç è é …)
    lead = _LEAD.search(text) is not None
    pieces = [m.span() for m in latin.finditer(text) if _is_mojibake(m.group())] if lead else []
    pieces += [m.span() for m in marks.finditer(text)]
    gbk = _gbk_runs(text)
    pieces += [(s, e) for s, e, k in gbk if k >= MIN_GBK_CHARS]
    sure = sorted(pieces)
    starts = [s for s, _ in sure]
    for s, e, k in gbk:
        if k < MIN_GBK_CHARS and sure:
            i = bisect.bisect_right(starts, s)
            near = [sure[j] for j in (i - 1, i) if 0 <= j < len(sure)]
            if any(b >= s - 1 and a <= e + 1 for a, b in near):
                pieces.append((s, e))
    pieces.sort()
    runs: list[list[int]] = []
    for s, e in pieces:
        if runs and s - runs[-1][1] <= gap and "\n" not in text[runs[-1][1]:s]:
            runs[-1][1] = max(runs[-1][1], e)
        elif runs and s < runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], e)
        else:
            runs.append([s, e])
    out = []
    for s, e in runs:
        while s > 0 and (text[s - 1].isdigit() or text[s - 1] in ".,"):
            s -= 1
        while e < len(text) and (text[e].isdigit() or text[e] in ".,"):
            e += 1
        out.append((s, e))
    return out
