"""Plain-text tables for terminals and ``repr``: columns aligned for Chinese text (two columns per CJK character)."""

from __future__ import annotations

import unicodedata
from typing import Sequence

__all__ = ["display_width", "pad", "clip", "format_table"]


def display_width(s: str) -> int:
    """Terminal columns of ``s``: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s: str, width: int, right: bool = False) -> str:
    """``s`` padded with spaces to ``width`` display columns (on the left when ``right``)."""
    fill = " " * max(0, width - display_width(s))
    return fill + s if right else s + fill


def clip(s: str, width: int) -> str:
    """Cut ``s`` to ``width`` display columns, marking the cut with an ellipsis."""
    if display_width(s) <= width:
        return s
    out, used = [], 0
    for ch in s:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = (),
                 max_width: int = 48) -> str:
    """Align columns for people reading Chinese in a terminal; long cells are clipped."""
    cells = [[clip("" if v is None else str(v), max_width) for v in row] for row in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(pad(h, w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(v, w, i in right) for i, (v, w) in enumerate(zip(r, widths))).rstrip() for r in cells]
    return "\n".join(lines)
