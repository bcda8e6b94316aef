"""Scanned PDF pages read by OCR: each page rendered (pypdfium2) and recognised (RapidOCR on onnxruntime,
with the models its wheel ships: nothing is downloaded), then rebuilt from the text boxes into lines and
table rows in PDF points, so :mod:`reportmine.formats.pdf` lays them out as it lays out a text layer.

Ruled tables are found from their rules in the image (long runs of ink), cells from the rules present
between grid slots (so merged cells come out once); text aligned in columns without rules becomes rows
too. Digits the recogniser was unsure of are kept with their confidence, for a warning at their place.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import statistics
import sys
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from .grid import SourceCell
from .text import ReportLoadError, is_word_char

__all__ = ["OCR_DPI", "Doubt", "OcrLine", "OcrTable", "OcrPage", "ocr_installed", "require_ocr", "ruled_grids", "lines_from_boxes", "recognise_pages"]

#: Rendering resolution: 12 pt body text is ~33 px high, a 9 pt footnote ~25 px.
OCR_DPI = 200
#: The longer side of a rendered page is capped (a poster-size page is rendered at a lower resolution).
MAX_SIDE_PX = 4000
#: The detector looks at the page scaled to at most this many pixels on its longer side (speed; text
#: stays ~18 px high, enough to find it; recognition reads the full-resolution crops).
DETECT_SIDE_PX = 1280
#: Text regions recognised with less confidence than this are left out (specks, stamps, smudges) and counted.
MIN_REGION_SCORE = 0.5
#: A numeral character recognised with less confidence than this is flagged at its place in the text.
MIN_DIGIT_SCORE = 0.9
#: Characters that make a value: a doubt about one of them is a doubt about a number.
NUMERAL_CHARS = frozenset("0123456789０１２３４５６７８９.．%％〇零一二两三四五六七八九十百千万亿")
#: Grey level (0-255) below which a pixel is ink, for finding table rules.
INK_LEVEL = 160
#: Horizontal rules are ink runs at least this many text heights long, vertical rules at least this many.
H_RULE_EMS = 2.5
V_RULE_EMS = 1.2
#: A rule between two grid slots is there when ink covers this share of the boundary between them.
RULE_COVER = 0.85
#: A box this many text heights tall may be lines stacked close together (the detector joins the
#: one-character cells of a narrow column): it is cut at blank rows into bands of these heights.
STACKED_EMS = 1.6
BAND_EMS = (0.5, 1.3)
#: Inside a line, a gap of this many text heights is a space, of this many a column gap.
SPACE_EMS = 0.35
#: Between two Latin letters or digits a gap of this many text heights is already a space.
LATIN_SPACE_EMS = 0.2
COLUMN_EMS = 1.5
#: Module each OCR step needs (all installed by the ``ocr`` extra).
OCR_MODULES = ("numpy", "pypdfium2", "rapidocr", "onnxruntime")
#: Model files RapidOCR ships inside its wheel: PP-OCRv6 small detector and recogniser (the recogniser
#: carries its character list), the mobile text-direction classifier (unused: scans are upright).
MODEL_FILES = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
               "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}


class Doubt(NamedTuple):
    """A numeral the recogniser was unsure of: ``start``/``end`` index the text it belongs to."""

    start: int
    end: int
    char: str
    score: float


@dataclass(frozen=True)
class OcrLine:
    """One line of text on the page; coordinates in PDF points from the page's top-left corner."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    doubts: tuple[Doubt, ...] = ()


@dataclass(frozen=True)
class OcrTable:
    """A table as grid cells (a merged cell once, with its spans) and the doubts of each cell's text,
    keyed by the cell's ``(row, col)``."""

    top: float
    bottom: float
    cells: list[SourceCell]
    doubts: dict[tuple[int, int], tuple[Doubt, ...]] = field(default_factory=dict)

@dataclass(frozen=True)
class OcrPage:
    """What OCR read on one page (``index`` 0-based): lines outside tables, tables, regions left out."""

    index: int
    lines: list[OcrLine]
    tables: list[OcrTable]
    dropped: int = 0


#: One recognition at a time per process: the engine keeps each call's switches (a thread pool shares it).
_ENGINE_LOCK = threading.Lock()


# -- the engine ------------------------------------------------------------------------------------------

def _installed(name: str) -> bool:
    """True when module ``name`` can be imported (found, and not blocked in ``sys.modules``), without importing it."""
    if name in sys.modules:
        return sys.modules[name] is not None
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def ocr_installed() -> bool:
    """True when every package OCR needs is installed (nothing heavy is imported to tell)."""
    return all(_installed(name) for name in OCR_MODULES)


def require_ocr(p: str | os.PathLike[str], why: str) -> None:
    """Nothing when OCR can run; else a :class:`ReportLoadError` saying ``why`` OCR is needed and which extra
    gives it."""
    missing = [name for name in OCR_MODULES if not _installed(name)]
    if missing:
        raise ReportLoadError(p, f"{why}: OCR is needed to read it; install the optional extra: "
                                 "pip install 'reportmine[ocr]' (or run ocrmypdf on it and pass the result)")


@lru_cache(maxsize=1)
def _engine() -> Any:
    """RapidOCR on onnxruntime with the models of its wheel, built once per process."""
    import rapidocr

    root = Path(rapidocr.__file__).parent / "models"
    paths = {step: root / name for step, name in MODEL_FILES.items()}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:     # never let RapidOCR fetch them: reportmine works offline
        raise RuntimeError(f"the OCR models shipped with rapidocr are missing ({', '.join(missing)}); "
                           "reinstall reportmine[ocr]")
    threads = min(2, os.cpu_count() or 1)
    params = {"Global.log_level": "error", "Global.text_score": 0.0, "Global.use_cls": False,
              "Det.limit_type": "max", "Det.limit_side_len": DETECT_SIDE_PX,
              "EngineConfig.onnxruntime.intra_op_num_threads": threads,
              "EngineConfig.onnxruntime.inter_op_num_threads": 1,
              **{f"{step}.model_path": str(path) for step, path in paths.items()}}
    return rapidocr.RapidOCR(params=params)


# -- reading pages ---------------------------------------------------------------------------------------

@dataclass
class _Region:
    """A recognised text box (pixels), with per-character results when the recogniser gave them."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    score: float
    chars: list[tuple[str, float, float, float]] = field(default_factory=list)   # (text, score, x0, x1)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def recognise_pages(p: str | os.PathLike[str], data: bytes, indices: list[int]) -> list[OcrPage]:
    """OCR the pages ``indices`` (0-based) of the PDF in ``data``; a page without ink gives an empty page."""
    require_ocr(p, "PDF has pages without a text layer")
    np = importlib.import_module("numpy")
    pdfium = importlib.import_module("pypdfium2")
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:
        raise ReportLoadError(p, f"PDF pages cannot be rendered for OCR ({type(exc).__name__}: {exc})") from None
    out = []
    try:
        for index in indices:
            try:
                page = pdf[index]
                width, height = page.get_size()
                scale = min(OCR_DPI / 72, MAX_SIDE_PX / max(width, height, 1.0))
                image = page.render(scale=scale).to_numpy()
                page.close()
                if image.ndim == 2:
                    image = np.stack([image] * 3, axis=-1)
                image = np.ascontiguousarray(image[..., :3])
                out.append(_read_page(p, np, image, index, scale))
            except ReportLoadError:
                raise
            except Exception as exc:       # rendering or recognition failing on one page: say which
                raise ReportLoadError(p, f"OCR failed on page {index + 1} ({type(exc).__name__}: {exc})") from None
    finally:
        pdf.close()
    return out


def _read_page(p: str | os.PathLike[str], np: ModuleType, image: Any, index: int, scale: float) -> OcrPage:
    """Recognise one rendered page and rebuild its lines and tables (coordinates back in points)."""
    gray = image.mean(axis=2, dtype=np.float32)
    ink = gray < INK_LEVEL
    if not ink.any():
        return OcrPage(index, [], [])         # a blank page: the models are not even loaded
    try:
        engine = _engine()
    except Exception as exc:
        raise ReportLoadError(p, f"OCR could not start: {exc}") from None
    # every step named on every call: RapidOCR keeps the last call's switches
    with _ENGINE_LOCK:
        result = engine(image, use_det=True, use_cls=False, use_rec=True, return_word_box=True)
    regions, dropped = _regions(result)
    if not regions:
        return OcrPage(index, [], [], dropped)
    em = statistics.median(r.height for r in regions)
    regions = [piece for region in regions for piece in _unstack(engine, image, ink, region, em)]
    regions = [_widen(engine, image, ink, region, regions, em) for region in regions]
    grids = _ruled_tables(np, ink, em)
    lines: list[OcrLine] = []
    tables: list[OcrTable] = []
    free = list(regions)
    for grid in grids:
        inside = [r for r in free if grid.contains(r)]
        if not inside:
            continue
        free = [r for r in free if not grid.contains(r)]
        tables.append(grid.table(inside, em, scale))
    rows = _visual_lines(free)
    for is_table, block in _blocks(rows, em):
        if is_table:                         # an unruled table: rows of column segments
            top = min(r.top for row in block for seg in row for r in seg)
            bottom = max(r.bottom for row in block for seg in row for r in seg)
            cells, doubts = [], {}
            for i, row in enumerate(block):
                for j, seg in enumerate(row):
                    if seg:
                        text, cell_doubts = _cell(seg, em)
                        cells.append(SourceCell(i, j, text))
                        doubts[(i, j)] = cell_doubts
            tables.append(OcrTable(top / scale, bottom / scale, cells, doubts))
        else:
            text, doubts = _join_line(block, em)
            lines.append(OcrLine(text, min(r.x0 for r in block) / scale, max(r.x1 for r in block) / scale,
                                 min(r.top for r in block) / scale, max(r.bottom for r in block) / scale,
                                 tuple(doubts)))
    return OcrPage(index, lines, tables, dropped)


def lines_from_boxes(boxes: list[tuple[str, float, float, float, float]]) -> list[str]:
    """Text lines rebuilt from recognised boxes ``(text, x0, x1, top, bottom)`` (pixels, any order), top to
    bottom: the line step of the page layout on its own."""
    regions = [_Region(text, x0, x1, top, bottom, 1.0) for text, x0, x1, top, bottom in boxes if text.strip()]
    if not regions:
        return []
    em = statistics.median(r.height for r in regions)
    return [_join_line(line, em)[0] for line in _visual_lines(regions)]


def _regions(result: Any) -> tuple[list[_Region], int]:
    """The recogniser's boxes as regions; those below :data:`MIN_REGION_SCORE` are counted, not kept."""
    if result is None or getattr(result, "boxes", None) is None or getattr(result, "txts", None) is None:
        return [], 0
    words = getattr(result, "word_results", None) or [()] * len(result.txts)
    regions, dropped = [], 0
    for box, text, score, chars in zip(result.boxes, result.txts, result.scores, words):
        if not text or not text.strip():
            continue
        if score < MIN_REGION_SCORE:
            dropped += 1
            continue
        xs, ys = [float(pt[0]) for pt in box], [float(pt[1]) for pt in box]
        letters = []
        for item in chars or ():
            try:
                word, word_score, word_box = item[0], float(item[1]), item[2]
                letters.append((str(word), word_score, float(min(pt[0] for pt in word_box)),
                                float(max(pt[0] for pt in word_box))))
            except (TypeError, ValueError, IndexError):
                letters = []
                break
        regions.append(_Region(text.strip(), min(xs), max(xs), min(ys), max(ys), float(score), letters))
    return regions, dropped


def _unstack(engine: Any, image: Any, ink: Any, region: _Region, em: float) -> list[_Region]:
    """A box over lines stacked close together, cut into its lines at the blank rows between them, each
    line recognised on its own; any other box as it is."""
    if region.height < STACKED_EMS * em:
        return [region]
    y0, x0 = max(0, int(region.top)), max(0, int(region.x0))
    rows = ink[y0:int(region.bottom) + 1, x0:int(region.x1) + 1].any(axis=1).tolist()
    bands, start, blank = [], None, 0
    for y, has_ink in enumerate(rows + [False] * 3):
        if has_ink:
            start, blank = (y if start is None else start), 0
        elif start is not None:
            blank += 1
            if blank > max(1, int(0.08 * em)):          # a gap wider than a stroke gap ends the band
                bands.append((start, y - blank + 1))
                start, blank = None, 0
    lines = [(a, b) for a, b in bands if b - a >= BAND_EMS[0] * em]
    if len(lines) < 2 or any(b - a > BAND_EMS[1] * em for a, b in lines):
        return [region]
    pad = max(2, int(0.1 * em))
    out = []
    for a, b in lines:
        crop = image[max(0, y0 + a - pad):y0 + b + pad, x0:int(region.x1) + 1]
        text, score, confs = _recognise(engine, crop)
        if not text:
            continue
        chars = _spread(confs, region.x0, region.x1)
        out.append(_Region(text, region.x0, region.x1, y0 + a, y0 + b, score, chars))
    return out or [region]


def _recognise(engine: Any, crop: Any) -> tuple[str, float, list[tuple[str, float]]]:
    """One line image read by the recogniser alone: text, score, (character, confidence) when given."""
    with _ENGINE_LOCK:
        result = engine(crop, use_det=False, use_cls=False, use_rec=True, return_word_box=True)
    text = (result.txts[0] if getattr(result, "txts", None) else "").strip()
    if not text:
        return "", 0.0, []
    confs: list[tuple[str, float]] = []
    for info in getattr(result, "word_results", None) or ():
        scores = [float(c) for c in getattr(info, "confs", ()) or ()]
        words = [str(ch) for group in getattr(info, "words", ()) or () for ch in group]
        confs = list(zip(words, scores)) if len(scores) == len(words) else []
        break
    return text, float(result.scores[0]), confs


def _spread(confs: list[tuple[str, float]], x0: float, x1: float) -> list[tuple[str, float, float, float]]:
    """Per-character results without positions, spread evenly over ``x0``-``x1``."""
    width = (x1 - x0) / max(1, len(confs))
    return [(w, c, x0 + k * width, x0 + (k + 1) * width) for k, (w, c) in enumerate(confs)]


def _widen(engine: Any, image: Any, ink: Any, region: _Region, regions: list[_Region], em: float) -> _Region:
    """A box the detector drew short of its line (a leading 一、 or a trailing character left out), read
    again over the ink beside it: ink within a character's gap of the box, covered by no other box and
    not a rule, on the box's rows."""
    top, bottom = int(region.top + 0.15 * region.height), int(region.bottom - 0.15 * region.height) + 1
    if bottom - top < 3:
        return region
    h, w = ink.shape
    same_line = [r for r in regions if r is not region and r.top < region.bottom and region.top < r.bottom]
    limit_left = max([0] + [int(r.x1) + 1 for r in same_line if r.x1 <= region.x0])
    limit_right = min([w] + [int(r.x0) for r in same_line if r.x0 >= region.x1])
    band = ink[top:bottom]
    cols = band.any(axis=0)
    rule = band.mean(axis=0) >= 0.9                             # a vertical rule: a table cell ends there
    step = max(2, int(0.8 * em))

    def reach(start: int, stop: int, direction: int) -> int:
        edge, gap, x = start, 0, start + direction
        while (x >= stop if direction < 0 else x < stop) and gap <= step and not rule[x]:
            if cols[x]:
                edge, gap = x, 0
            else:
                gap += 1
            x += direction
        return edge

    x0 = reach(int(region.x0), limit_left, -1)
    x1 = reach(min(w - 1, int(region.x1)), limit_right, 1)
    if x0 > region.x0 - 0.3 * em and x1 < region.x1 + 0.3 * em:
        return region
    pad = max(2, int(0.15 * em))
    crop = image[max(0, int(region.top)):int(region.bottom) + 1, max(0, x0 - pad):min(w, x1 + pad + 1)]
    text, score, confs = _recognise(engine, crop)
    core = region.text.replace(" ", "")
    if len(text.replace(" ", "")) <= len(core) or core not in text.replace(" ", "") or score < MIN_REGION_SCORE:
        return region
    return _Region(text, float(min(x0, region.x0)), float(max(x1, region.x1)), region.top, region.bottom, score,
                   _spread(confs, float(min(x0, region.x0)), float(max(x1, region.x1))))


# -- text of regions -------------------------------------------------------------------------------------

def _doubts(region: _Region) -> list[Doubt]:
    """Numerals of ``region.text`` read with low confidence (per character; the whole region when the
    per-character results do not line up with the text)."""
    text = region.text
    if region.chars and "".join(w for w, *_ in region.chars).replace(" ", "") == text.replace(" ", ""):
        out, i = [], 0
        for word, score, *_ in region.chars:
            for ch in word.replace(" ", ""):
                while i < len(text) and text[i] == " ":
                    i += 1
                if score < MIN_DIGIT_SCORE and i < len(text) and _in_number(text, i):
                    out.append(Doubt(i, i + 1, text[i], score))
                i += 1
        return out
    if region.score < MIN_DIGIT_SCORE:
        return [Doubt(i, i + 1, ch, region.score) for i, ch in enumerate(text) if _in_number(text, i)]
    return []


def _in_number(text: str, i: int) -> bool:
    """A numeral character, or a decimal point between digits (not the point of a list number "1.")."""
    if text[i] in ".．":
        return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
    return text[i] in NUMERAL_CHARS


def _join_line(regions: list[_Region], em: float) -> tuple[str, list[Doubt]]:
    """Regions of one visual line, left to right: directly joined, or with a space at a visible gap (a
    narrower one between two Latin letters or digits; a number cut into two boxes stays one number)."""
    text, doubts, previous = "", [], None
    for region in sorted(regions, key=lambda r: r.x0):
        if previous is not None and text:
            gap = region.x0 - previous.x1
            latin = is_word_char(text[-1]) and is_word_char(region.text[0])
            if gap >= SPACE_EMS * em or (latin and gap >= LATIN_SPACE_EMS * em):
                text += " "
        doubts.extend(Doubt(d.start + len(text), d.end + len(text), d.char, d.score) for d in _doubts(region))
        text += region.text
        previous = region
    return text, doubts


def _cell(regions: list[_Region], em: float) -> tuple[str, tuple[Doubt, ...]]:
    """A cell's text: its visual lines top to bottom, glued as wrapped lines of one paragraph."""
    text, doubts = "", []
    for line in _visual_lines(regions):
        part, part_doubts = _join_line(line, em)
        if text and is_word_char(text[-1]) and is_word_char(part[0]):
            text += " "
        doubts.extend(Doubt(d.start + len(text), d.end + len(text), d.char, d.score) for d in part_doubts)
        text += part
    return text, tuple(doubts)


def _visual_lines(regions: list[_Region]) -> list[list[_Region]]:
    """Regions grouped into lines (overlapping by half the smaller height), top to bottom."""
    lines: list[list[_Region]] = []
    extents: list[list[float]] = []          # [top, bottom] of each line
    for region in sorted(regions, key=lambda r: (r.top, r.x0)):
        best, best_overlap = None, 0.0
        for i in range(len(lines) - 1, max(-1, len(lines) - 6), -1):     # only the last few lines can overlap
            top, bottom = extents[i]
            overlap = min(bottom, region.bottom) - max(top, region.top)
            if overlap >= 0.5 * min(bottom - top, region.height) and overlap > best_overlap:
                best, best_overlap = i, overlap
        if best is None:
            lines.append([region])
            extents.append([region.top, region.bottom])
        else:
            lines[best].append(region)
            # the line's extent stays that of its first region: a tall neighbour must not swallow the next line
    order = sorted(range(len(lines)), key=lambda i: (statistics.median(r.cy for r in lines[i]),
                                                      min(r.x0 for r in lines[i])))
    return [sorted(lines[i], key=lambda r: r.x0) for i in order]


def _segments(line: list[_Region], em: float) -> list[list[_Region]]:
    """A visual line cut at column gaps (:data:`COLUMN_EMS` text heights or more)."""
    out = [[line[0]]]
    for region in line[1:]:
        if region.x0 - max(r.x1 for r in out[-1]) >= COLUMN_EMS * em:
            out.append([region])
        else:
            out[-1].append(region)
    return out


def _blocks(lines: list[list[_Region]], em: float) -> list[tuple[bool, Any]]:
    """Lines of text ``(False, regions)``, and runs of two or more lines whose column gaps line up as
    unruled tables ``(True, rows)`` (a row is a list of column segments)."""
    out: list[tuple[bool, Any]] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(_segments(lines[j], em)) >= 2:
            j += 1
        table = _aligned_table(lines[i:j], em) if j - i >= 2 else None
        if table is not None:
            out.append((True, table))
            i = j
        else:
            out.append((False, lines[i]))
            i += 1
    return out


def _aligned_table(lines: list[list[_Region]], em: float) -> list[list[list[_Region]]] | None:
    """Rows of column segments when the lines' segments fall into shared columns (the x-projection of all
    segments leaves gutters), else None."""
    spans = sorted((min(r.x0 for r in seg), max(r.x1 for r in seg)) for line in lines for seg in _segments(line, em))
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 < columns[-1][1] + SPACE_EMS * em:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    if len(columns) < 2:
        return None
    rows = []
    for line in lines:
        row: list[list[_Region]] = [[] for _ in columns]
        for seg in _segments(line, em):
            x0 = min(r.x0 for r in seg)
            k = max(c for c, col in enumerate(columns) if col[0] <= x0 + 0.5)
            row[k].extend(seg)
        if sum(1 for cell in row if cell) < 2:
            return None
        rows.append(row)
    return rows


# -- ruled tables ----------------------------------------------------------------------------------------

class _Grid:
    """A ruled table: its row and column boundaries (pixels) and the cells the rules make of the slots."""

    def __init__(self, ys: list[float], xs: list[float], cells: dict[tuple[int, int], tuple[int, int, int, int]]):
        self.ys, self.xs = ys, xs
        self.cells = cells          # top-left slot -> (row0, col0, row1, col1), inclusive

    def contains(self, region: _Region) -> bool:
        cx = (region.x0 + region.x1) / 2
        return self.xs[0] <= cx <= self.xs[-1] and self.ys[0] <= region.cy <= self.ys[-1]

    def _slot(self, x: float, y: float) -> tuple[int, int]:
        col = max(0, min(len(self.xs) - 2, sum(1 for b in self.xs[1:-1] if x >= b)))
        row = max(0, min(len(self.ys) - 2, sum(1 for b in self.ys[1:-1] if y >= b)))
        return row, col

    def _owner(self, slot: tuple[int, int]) -> tuple[int, int]:
        r, c = slot
        for anchor, (r0, c0, r1, c1) in self.cells.items():
            if r0 <= r <= r1 and c0 <= c <= c1:
                return anchor
        return slot

    def table(self, regions: list[_Region], em: float, scale: float) -> OcrTable:
        """The regions placed in their cells (a region over a rule is cut there, by its characters)."""
        content: dict[tuple[int, int], list[_Region]] = {}
        for region in regions:
            for piece in self._split(region):
                owner = self._owner(self._slot((piece.x0 + piece.x1) / 2, piece.cy))
                content.setdefault(owner, []).append(piece)
        cells, doubts = [], {}
        for (r0, c0), (_, _, r1, c1) in sorted(self.cells.items()):
            text, cell_doubts = _cell(content.get((r0, c0), []), em)
            cells.append(SourceCell(r0, c0, text, r1 - r0 + 1, c1 - c0 + 1))
            doubts[(r0, c0)] = cell_doubts
        return OcrTable(self.ys[0] / scale, self.ys[-1] / scale, cells, doubts)

    def _split(self, region: _Region) -> list[_Region]:
        """``region`` cut at the column rules it crosses, when its characters say where."""
        cuts = [x for x in self.xs[1:-1] if region.x0 < x < region.x1]
        if not cuts or not region.chars:
            return [region]
        pieces: list[list[tuple[str, float, float, float]]] = []
        keys: list[int] = []
        for ch in region.chars:
            key = sum(1 for x in cuts if (ch[2] + ch[3]) / 2 >= x)
            if not keys or keys[-1] != key:
                pieces.append([])
                keys.append(key)
            pieces[-1].append(ch)
        if len(pieces) == 1:
            return [region]
        return [_Region("".join(w for w, *_ in chars), chars[0][2], chars[-1][3], region.top, region.bottom,
                        region.score, chars) for chars in pieces]


def ruled_grids(ink: Any, em: float) -> list[tuple[tuple[float, float, float, float], list[tuple[int, int, int, int]]]]:
    """The tables drawn with rules in a boolean ink image (text ``em`` pixels high): for each, its box
    ``(x0, top, x1, bottom)`` and its cells as ``(row, col, row_span, col_span)``, merged cells once."""
    import numpy as np

    out = []
    for grid in _ruled_tables(np, ink, em):
        cells = [(r0, c0, r1 - r0 + 1, c1 - c0 + 1) for (r0, c0), (_, _, r1, c1) in sorted(grid.cells.items())]
        out.append(((grid.xs[0], grid.ys[0], grid.xs[-1], grid.ys[-1]), cells))
    return out


def _runs(np: ModuleType, mask: Any, length: int) -> list[tuple[int, int, int]]:
    """Runs of at least ``length`` True pixels along each row of ``mask``: (row, first, last)."""
    h, w = mask.shape
    if length >= w:
        return []
    total = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=total[:, 1:])
    full = (total[:, length:] - total[:, :-length]) == length          # window starting at x is all ink
    padded = np.zeros((h, full.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = full
    edges = np.diff(padded, axis=1)
    starts = np.argwhere(edges == 1)
    ends = np.argwhere(edges == -1)
    return [(int(r), int(s), int(e) - 1 + length - 1) for (r, s), (_, e) in zip(starts, ends)]


def _rules(runs: list[tuple[int, int, int]], gap: int) -> list[list[float]]:
    """Runs in neighbouring rows that overlap merged into rules: [across0, across1, along0, along1]."""
    rules: list[list[float]] = []
    open_rules: list[list[float]] = []
    for row, a, b in sorted(runs):
        for rule in open_rules:
            if row - rule[1] <= gap and a <= rule[3] and b >= rule[2]:
                rule[1] = row
                rule[2], rule[3] = min(rule[2], a), max(rule[3], b)
                break
        else:
            rule = [row, row, a, b]
            open_rules.append(rule)
            rules.append(rule)
        open_rules = [r for r in open_rules if row - r[1] <= gap]
    return rules


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _ruled_tables(np: ModuleType, ink: Any, em: float) -> list[_Grid]:
    """Tables drawn with rules: groups of crossing horizontal and vertical rules (two or more of each)."""
    tol = max(3.0, em / 6)
    gap = max(2, int(tol / 2))
    thin = max(6.0, em / 3)          # thicker ink is a block (a scan's dark border, a photo), not a rule
    horizontal = [(r[0], r[1], r[2], r[3]) for r in _rules(_runs(np, ink, int(H_RULE_EMS * em)), gap)
                  if r[1] - r[0] < thin]
    vertical = [(r[0], r[1], r[2], r[3]) for r in _rules(_runs(np, ink.T, int(V_RULE_EMS * em)), gap)
                if r[1] - r[0] < thin]
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (hy0, hy1, hx0, hx1) in enumerate(horizontal):
        for j, (vx0, vx1, vy0, vy1) in enumerate(vertical):
            if hx0 - tol <= vx1 and vx0 <= hx1 + tol and vy0 - tol <= hy1 and hy0 <= vy1 + tol:
                parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, rule in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(rule)
    for j, rule in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(rule)
    grids = []
    for hs, vs in groups.values():
        if len(hs) < 2 or len(vs) < 2:
            continue
        left = min(min(h[2] for h in hs), min(v[0] for v in vs))
        right = max(max(h[3] for h in hs), max(v[1] for v in vs))
        top = min(min(h[0] for h in hs), min(v[2] for v in vs))
        bottom = max(max(h[1] for h in hs), max(v[3] for v in vs))
        ys = _cluster([(h[0] + h[1]) / 2 for h in hs] + [top, bottom], tol)
        xs = _cluster([(v[0] + v[1]) / 2 for v in vs] + [left, right], tol)
        if len(ys) < 2 or len(xs) < 2:
            continue
        cells = _cells(np, ink, ys, xs, tol)
        if len(cells) >= 2:         # a box drawn around text is not a table
            grids.append(_Grid(ys, xs, cells))
    return grids


def _cells(np: ModuleType, ink: Any, ys: list[float], xs: list[float], tol: float) -> dict:
    """Grid slots joined where no rule separates them, as cells keyed by their top-left slot."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    t = int(round(tol))
    h, w = ink.shape

    def covered(a0: float, a1: float, at: float, vertical: bool) -> bool:
        lo, hi = int(a0 + tol), int(a1 - tol)
        if hi <= lo:
            return True
        c0, c1 = max(0, int(at) - t), int(at) + t + 1
        band = ink[lo:hi, c0:min(w, c1)] if vertical else ink[c0:min(h, c1), lo:hi].T
        return band.size > 0 and float(band.any(axis=1).mean()) >= RULE_COVER

    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(s: tuple[int, int]) -> tuple[int, int]:
        while parent[s] != s:
            s = parent[s]
        return s

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not covered(ys[r], ys[r + 1], xs[c + 1], True):
                union((r, c), (r, c + 1))
            if r + 1 < n_rows and not covered(xs[c], xs[c + 1], ys[r + 1], False):
                union((r, c), (r + 1, c))
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for slot in parent:
        members.setdefault(find(slot), []).append(slot)
    cells = {}
    for slots in members.values():
        r0, c0 = min(s[0] for s in slots), min(s[1] for s in slots)
        cells[(r0, c0)] = (r0, c0, max(s[0] for s in slots), max(s[1] for s in slots))
    return cells
