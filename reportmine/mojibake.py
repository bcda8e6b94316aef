"""Garbled text (mojibake): UTF-8 bytes read as windows-1252/Latin-1 (``å®‰å…¨``, read twice ``Ã¥Â®``), GBK
reading replacement bytes (``锟斤拷``), uninitialised memory (``烫烫烫``) and U+FFFD runs.

Such runs are found so the parser can name them in a warning and take no figure from them: digits inside or
right next to a run may be cut or belong to garbled words. The marks are data (``data/web_furniture.json``).
"""

from __future__ import annotations

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


def mojibake_runs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` spans of garbled runs in ``text``, sorted and disjoint. Runs closer than a few
    characters on one line are one run; digits touching a run belong to it."""
    latin, marks, gap = _patterns()
    # UTF-8 read as windows-1252 always shows a lead byte as a Latin-1 letter (Ã Â å æ ç è é …)
    lead = _LEAD.search(text) is not None
    pieces = [m.span() for m in latin.finditer(text) if _is_mojibake(m.group())] if lead else []
    pieces += [m.span() for m in marks.finditer(text)]
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
