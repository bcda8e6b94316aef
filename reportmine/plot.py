"""The common pictures of an archive (matplotlib, in the ``notebook`` extra): an indicator by region and year,
and the contradictions per document, with Chinese labels drawn in a CJK font found on the system.

>>> from reportmine import plot
>>> plot.indicator(corpus, "drills.enterprise_drills")   # 应急演练 by region and year
>>> plot.contradictions(corpus)                   # how many things disagree, per document

matplotlib's default font has no Chinese characters: labels become boxes, with a warning per missing glyph.
:func:`use_cjk_font` (called by every function here) picks the first font of ``data/cjk_fonts.json`` that is
installed and makes it matplotlib's sans-serif font; when there is none it warns ONCE, naming what to install,
and silences matplotlib's per-glyph warnings.
"""

from __future__ import annotations

import difflib
import os
import warnings
from functools import lru_cache
from typing import Any, Optional

from .display import corpus_contradictions
from .resources import data_json

__all__ = ["MissingFontWarning", "FONT_FAMILIES", "FONT_FILE_WORDS", "INSTALL_HINT", "find_cjk_font",
           "use_cjk_font", "indicator", "contradictions"]

_FONTS = data_json("cjk_fonts.json")
#: Family names tried in order (matplotlib's names: ``Noto Sans CJK SC``, ``WenQuanYi Zen Hei``, ``SimHei`` …).
FONT_FAMILIES: tuple[str, ...] = tuple(_FONTS["families"])
#: Words of font file names added to matplotlib when its font cache predates the font's installation.
FONT_FILE_WORDS: tuple[str, ...] = tuple(_FONTS["file_words"])
#: What to install when no CJK font is found.
INSTALL_HINT: str = _FONTS["install"]
#: matplotlib's warning for a character its font lacks ("Glyph 20013 (\\N{CJK UNIFIED IDEOGRAPH-4E2D}) missing …").
GLYPH_WARNING = r"Glyph \d+ .*missing from"


class MissingFontWarning(UserWarning):
    """No font with Chinese characters was found: plot labels will show boxes."""


_warned = False


@lru_cache(maxsize=8)
def _find(families: tuple[str, ...], file_words: tuple[str, ...]) -> Optional[str]:
    from matplotlib import font_manager

    def known() -> Optional[str]:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((f for f in families if f in names), None)

    found = known()
    if found is None and file_words:     # installed after matplotlib cached its font list: add the files
        for path in font_manager.findSystemFonts():
            name = os.path.basename(path).lower().replace("-", "").replace("_", "").replace(" ", "")
            if any(w in name for w in file_words):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = known()
    return found


def find_cjk_font(families: Optional[tuple[str, ...]] = None) -> Optional[str]:
    """The first of ``families`` (default :data:`FONT_FAMILIES`) that matplotlib can use, or None."""
    return _find(tuple(families) if families is not None else FONT_FAMILIES,
                 FONT_FILE_WORDS if families is None else ())


def use_cjk_font(families: Optional[tuple[str, ...]] = None) -> Optional[str]:
    """Make the first installed CJK font matplotlib's sans-serif font and return its name; with none, warn
    once (:class:`MissingFontWarning`, naming what to install) and silence the per-glyph warnings."""
    global _warned
    import matplotlib

    font = find_cjk_font(families)
    if font is not None:
        rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f != font]
        matplotlib.rcParams["font.sans-serif"] = [font, *rest]
        matplotlib.rcParams["font.family"] = ["sans-serif"]
        matplotlib.rcParams["axes.unicode_minus"] = False     # some CJK fonts lack U+2212
        return font
    if not _warned:
        _warned = True
        warnings.warn(f"reportmine.plot: no font with Chinese characters found, labels will show boxes; "
                      f"install one: {INSTALL_HINT} (then restart Python)", MissingFontWarning, stacklevel=3)
    warnings.filterwarnings("ignore", message=GLYPH_WARNING, category=UserWarning)
    return None


def _unique_docs(corpus: Any, frame: Any) -> Any:
    """Rows of documents that are not duplicates of another (``documents.duplicate_of``, when the corpus has it)."""
    docs = getattr(corpus, "documents", None)
    if docs is None or "duplicate_of" not in docs.columns or "doc_id" not in frame.columns:
        return frame
    dup = set(docs.loc[docs["duplicate_of"].notna(), "doc_id"])
    return frame[~frame["doc_id"].isin(dup)]


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=size)[1]


def indicator(data: Any, key: str, *, ax: Any = None, by: str = "region", title: Optional[str] = None) -> Any:
    """Bars of one cell (``key`` of ``corpus.cells``, such as ``drills.enterprise_drills``) per year, a bar
    per ``by`` (region); values of one region and year are added up. ``data``: a Corpus or a frame like
    ``corpus.cells``. Returns the matplotlib Axes."""
    use_cjk_font()
    cells = data.cells if hasattr(data, "cells") else data
    cells = _unique_docs(data, cells)
    rows = cells[cells["key"] == key]
    if rows.empty:
        keys = sorted(set(cells["key"].dropna().astype(str)))
        close = difflib.get_close_matches(key, keys, n=3, cutoff=0.5)
        hint = (f"; did you mean {', '.join(close)}?" if close
                else f"; keys look like {', '.join(keys[:3])}" if keys else "")
        raise KeyError(f"no cell with key {key!r} in the archive{hint}")
    rows = rows[rows["value"].notna() & rows["year"].notna()]
    table = rows.pivot_table(index="year", columns=by, values="value", aggfunc="sum").sort_index()
    table.index = [str(int(y)) for y in table.index]
    label = rows["label"].mode().iat[0] if "label" in rows.columns and rows["label"].notna().any() else key
    unit = rows["unit"].mode().iat[0] if "unit" in rows.columns and rows["unit"].notna().any() else ""
    ax = _axes(ax, (max(6.0, 1.2 * len(table) + 0.3 * table.size), 4.0))
    table.plot(kind="bar", ax=ax, rot=0, width=0.8)
    ax.set_title(title or (f"{label}（{unit}）" if unit else str(label)))
    ax.set_xlabel("年份")
    ax.set_ylabel(str(unit or "value"))
    ax.legend(title="地区" if by == "region" else by, fontsize="small", loc="best")
    ax.figure.tight_layout()
    return ax


def contradictions(data: Any, *, ax: Any = None, top: int = 30) -> Any:
    """Horizontal bars: how many things disagree in each document (at most ``top`` documents, most first;
    documents with none are counted too). ``data``: a Corpus. Returns the matplotlib Axes."""
    use_cjk_font()
    found, doc = corpus_contradictions(data)
    docs = data.documents
    if "duplicate_of" in docs.columns:
        dup = set(docs.loc[docs["duplicate_of"].notna(), "doc_id"])
        docs, found = docs[~docs["doc_id"].isin(dup)], found[~found[doc].isin(dup)]
    ids = list(docs["doc_id"])
    counts = found[doc].value_counts() if len(found) else {}
    per_doc = sorted(((int(counts.get(d, 0)), str(d)) for d in ids), key=lambda x: (-x[0], x[1]))[:top]
    per_doc.reverse()      # the most at the top
    ax = _axes(ax, (7.0, max(2.0, 0.35 * len(per_doc) + 1.0)))
    ax.barh([d for _, d in per_doc], [n for n, _ in per_doc], color="#c62828")
    ax.set_xlabel("contradictions")
    ax.set_title("矛盾之处（每份报告）")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.figure.tight_layout()
    return ax
