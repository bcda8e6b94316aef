"""Statistics annex (统计表) -> items, cells, named fields and the reporter block.

A row of the table is ``N. item title<TAB>progress text``; the progress text
holds fill-in blanks ``（N）unit``. A blank belongs to the metric written just
before it (back to the previous clause break or blank), or, when nothing comes
before it, to the words after its unit (``（180350）人观看``). Templates in
``data/templates`` give each cell of a known annex design a stable ``key``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .dates import parse_date
from .normalize import NormalizedText
from .record import Annex, Cell, Item, NamedField, ParseWarning, Reporter
from .resources import data_json, data_lines, data_path
from .structure import Line

__all__ = ["read_annex", "templates", "match_template", "annex_year"]

ITEM_ROW = regex.compile(r"^(\d{1,2})[.．、]\s*([^\t]+?)\s*\t\s*(.*)$")
ITEM_ROW_NO_TAB = regex.compile(r"^(\d{1,2})[.．、]\s*(.+)$")
BLANK = regex.compile(r"（([^（）\n]*)）")
NUMBER = regex.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*$")
CLAUSE_BREAK = regex.compile(r"[，；。,;]")
REPORTER_FIELDS = {"填报单位": "org", "联系人": "contact", "电话": "phone", "联系电话": "phone", "填报日期": "date"}
REPORTER = regex.compile(r"(填报单位|联系人|联系电话|电话|填报日期)(?:（盖章）)?[：:]\s*")


@dataclass
class _RawCell:
    item: int
    label: str
    value: float | int | None
    unit: str | None
    span: tuple[int, int]          # normalised
    value_span: tuple[int, int] | None


@dataclass
class _Reading:
    title: str | None = None
    reporter: Reporter = field(default_factory=Reporter)
    items: list[Item] = field(default_factory=list)
    cells: list[_RawCell] = field(default_factory=list)
    named: list[tuple[int, str, str, tuple[int, int]]] = field(default_factory=list)


@lru_cache(maxsize=1)
def templates() -> tuple[dict, ...]:
    """All annex templates shipped in ``data/templates`` (one JSON file per annex design)."""
    folder = data_path("templates")
    return tuple(data_json(f"templates/{p.name}") for p in sorted(folder.iterdir(), key=lambda p: p.name)
                 if p.name.endswith(".json"))


@lru_cache(maxsize=1)
def _units() -> tuple[str, ...]:
    """Measure words that can follow a blank, longest first (general list + template units like 场/次)."""
    units = set(data_lines("units.txt"))
    units.update(c["unit"] for t in templates() for it in t["items"] for c in it["cells"] if c.get("unit"))
    return tuple(sorted(units, key=len, reverse=True))


def _number(text: str) -> float | int | None:
    m = NUMBER.match(text)
    if not m:
        return None
    whole = int(m.group(1).replace(",", ""))
    return float(f"{whole}.{m.group(2)}") if m.group(2) else whole


def _squash(s: str) -> str:
    """Label form used for matching: no spaces or quotes."""
    return regex.sub(r"[\s“”\"'‘’]", "", s)


class _AnnexReader:
    def __init__(self, norm: NormalizedText, lines: list[Line]):
        self.norm = norm
        self.lines = lines
        self.units = _units()
        self.warnings: list[ParseWarning] = []
        self.out = _Reading()

    def warn(self, code: str, message: str, at: int) -> None:
        o = self.norm.to_original(at, at)[0]
        line, col = self.norm.line_col(o)
        self.warnings.append(ParseWarning(code=code, message=message, line=line, column=col, span=(o, o)))

    def span(self, s: int, e: int) -> tuple[int, int]:
        return self.norm.to_original(s, e)

    def read(self) -> _Reading:
        lines = self.lines
        body = 1 if lines and regex.match(r"^附件\s*\d*$", lines[0].text) else 0
        if body < len(lines) and not ITEM_ROW.match(lines[body].text) and "填报" not in lines[body].text:
            self.out.title = lines[body].text
            body += 1
        current: tuple[int, int, int] | None = None   # item no, content start, content end (normalised)
        chunks: list[tuple[int, int, int]] = []
        for ln in lines[body:]:
            if "填报单位" in ln.text or "填报日期" in ln.text:
                self.read_reporter(ln)
            elif m := ITEM_ROW.match(ln.text) or (ITEM_ROW_NO_TAB.match(ln.text) if "\t" not in ln.text else None):
                no = int(m.group(1))
                title = m.group(2)
                self.out.items.append(Item(no=no, title=title.strip(),
                                           span=self.span(ln.start + m.start(2), ln.start + m.start(2) + len(title))))
                if m.re is ITEM_ROW:
                    current = (no, ln.start + m.start(3), ln.end)
                    chunks.append(current)
            elif "\t" in ln.text and not regex.search(r"\d", ln.text):
                continue   # the header row: 活动项目 / 活动进展情况
            elif current is not None:
                current = (current[0], ln.start, ln.end)   # continuation of the previous row
                chunks.append(current)
            elif self.out.items:
                chunks.append((self.out.items[-1].no, ln.start, ln.end))
        for no, s, e in chunks:
            self.read_content(no, s, e)
        return self.out

    def read_reporter(self, ln: Line) -> None:
        marks = list(REPORTER.finditer(ln.text))
        rep = self.out.reporter
        for k, m in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else len(ln.text)
            value = ln.text[m.end():end].strip()
            name = REPORTER_FIELDS[m.group(1)]
            if name == "date":
                try:
                    value = parse_date(value).isoformat()
                except ValueError:
                    self.warn("reporter_date", f"填报日期 {value!r} is not a date", ln.start + m.end())
            setattr(rep, name, value or None)
        rep.span = self.span(ln.start, ln.end)

    def read_content(self, item: int, start: int, end: int) -> None:
        """Cells and named fields of one row's progress text ``text[start:end]``."""
        text = self.norm.text
        boundary = start
        last_cell_end = start
        for m in BLANK.finditer(text, start, end):
            inner = m.group(1)
            prefix = text[boundary:m.start()]
            breaks = list(CLAUSE_BREAK.finditer(prefix))
            label_start = boundary + (breaks[-1].end() if breaks else 0)
            label = text[label_start:m.start()]
            lead = len(label) - len(label.lstrip(" 、\t"))
            label_start += lead
            label = label.strip(" 、\t")
            value = _number(inner)
            gap = len(text[m.end():end]) - len(text[m.end():end].lstrip(" "))
            unit = next((u for u in self.units if text.startswith(u, m.end() + gap, end)), None)
            if value is None and inner.strip() and not inner.strip().replace(",", "").replace(".", "").isdigit():
                # A text blank: a named field such as 活动名称（…）, or ordinary parentheses in prose.
                if label.endswith("名称") or label in _named_labels():
                    self.out.named.append((item, label, inner.strip(), (label_start, m.end())))
                    boundary = m.end()
                continue
            if value is None:
                self.warn("empty_blank", f"item {item}: blank for {label or '?'!r} holds no number", m.start())
            unit_end = m.end() + (gap + len(unit) if unit else 0)
            if not label:
                tail = regex.match(r"[^，；。、,;\s（]*", text[unit_end:end])
                label = tail.group() if tail else ""
                label_end = unit_end + len(label)
                label_start = m.start()
            else:
                label_end = unit_end
            if unit is None:
                self.warn("no_unit", f"item {item}: no known unit after blank for {label!r}", m.end())
            self.out.cells.append(_RawCell(item, label, value, unit, (label_start, label_end), m.span()))
            boundary = label_end if label_end > unit_end else unit_end
            last_cell_end = boundary
        self.check_unclosed(item, start, end)
        rest = text[last_cell_end:end].strip(" ，；。、\t")
        if rest and len(rest) > 20:
            it = next((i for i in self.out.items if i.no == item), None)
            if it is not None:
                it.note = rest if it.note is None else f"{it.note}\n{rest}"

    def check_unclosed(self, item: int, start: int, end: int) -> None:
        depth, opened = 0, None
        for i in range(start, end):
            ch = self.norm.text[i]
            if ch == "（":
                if depth:
                    self.warn("unclosed_bracket", f"item {item}: bracket opened here is not closed", opened)
                depth, opened = 1, i
            elif ch == "）":
                depth = 0
        if depth:
            self.warn("unclosed_bracket", f"item {item}: bracket opened here is not closed", opened)


@lru_cache(maxsize=1)
def _named_labels() -> frozenset[str]:
    return frozenset(f["label"] for t in templates() for f in t.get("named_fields", []))


#: A year written before an annex title: "2022年全国“安全生产月”活动进展情况统计表".
TITLE_YEAR = regex.compile(r"^\s*(\d{4})\s*年度?")


def annex_year(title: str | None, reporter_date: str | None = None) -> int | None:
    """The year an annex is for: written before its title, else the year of its 填报日期."""
    if title and (m := TITLE_YEAR.match(title)):
        return int(m.group(1))
    if reporter_date and regex.match(r"^\d{4}-", reporter_date):
        return int(reporter_date[:4])
    return None


def match_template(title: str | None, cells: list[_RawCell], year: int | None = None
                   ) -> tuple[dict | None, list[str | None]]:
    """Best template for the annex and, per cell, the template key it matches (None = no match).

    Score: the share of cells that match template cells (of the larger of the two counts: the
    table's shape), + 0.5 when the title is the template's (a leading year such as 2022年 aside),
    + 0.25 when ``year`` (default: the year before the title) is one of the template's ``years``.
    Below 0.5 nothing matches; on a tie the template for the later years wins.
    """
    if year is None:
        year = annex_year(title)
    bare = _squash(TITLE_YEAR.sub("", title)) if title is not None else None
    best: tuple[tuple[float, int], dict | None, list[str | None]] = ((0.0, 0), None, [None] * len(cells))
    for tpl in templates():
        keys = _align(tpl, cells)
        matched = sum(k is not None for k in keys)
        title_ok = bare is not None and bare == _squash(TITLE_YEAR.sub("", tpl["title"]))
        year_ok = year is not None and year in tpl.get("years", [])
        score = (matched / max(len(cells), len(_template_cells(tpl)), 1) + (0.5 if title_ok else 0.0)
                 + (0.25 if year_ok else 0.0), max(tpl.get("years", [0])))
        if score > best[0]:
            best = (score, tpl, keys)
    (score, _), tpl, keys = best
    if tpl is None or score < 0.5:
        return None, [None] * len(cells)
    return tpl, keys


def _template_cells(tpl: dict) -> list[tuple[int, dict]]:
    return [(it["no"], c) for it in tpl["items"] for c in it["cells"]]


def _align(tpl: dict, cells: list[_RawCell]) -> list[str | None]:
    """Match cells to template cells of the same item, in order, by unit and label similarity."""
    keys: list[str | None] = []
    used: set[str] = set()
    by_item: dict[int, list[dict]] = {it["no"]: it["cells"] for it in tpl["items"]}
    for c in cells:
        candidates = [t for t in by_item.get(c.item, []) if t["key"] not in used and t.get("unit") == c.unit]
        label = _squash(c.label)
        exact = [t for t in candidates if _squash(t["label"]) == label]  # the common case; difflib is slow
        scored = [(1.0, exact[0])] if exact else [
            (difflib.SequenceMatcher(None, label, _squash(t["label"])).ratio(), t) for t in candidates]
        scored = [(s, t) for s, t in scored if s >= 0.6]
        if scored:
            t = max(scored, key=lambda st: st[0])[1]
            used.add(t["key"])
            keys.append(t["key"])
        else:
            keys.append(None)
    return keys


def read_annex(norm: NormalizedText, lines: list[Line]) -> tuple[Annex, list[ParseWarning]]:
    """Read the annex whose non-blank lines are ``lines`` (starting at the 附件 line)."""
    reader = _AnnexReader(norm, lines)
    got = reader.read()
    warnings = reader.warnings
    if not got.items:
        at = lines[0].start if lines else 0
        reader.warn("no_items", "annex has no numbered rows (1. …<TAB>…): table is truncated or not a table", at)
    tpl, keys = match_template(got.title, got.cells, annex_year(got.title, got.reporter.date))
    if tpl is None and got.cells:
        reader.warn("no_template", f"annex {got.title!r} matches no template; cells get generated keys",
                    lines[0].start if lines else 0)
    cells: list[Cell] = []
    per_item: dict[int, int] = {}
    for raw, key in zip(got.cells, keys):
        per_item[raw.item] = per_item.get(raw.item, 0) + 1
        if key is None:
            key = f"item{raw.item}_cell{per_item[raw.item]}"
            if tpl is not None:
                reader.warn("unknown_cell", f"cell {raw.label!r} ({raw.unit}) is not in template {tpl['id']}; "
                                            f"key {key}", raw.span[0])
        cells.append(Cell(item=raw.item, key=key, label=raw.label, value=raw.value, unit=raw.unit,
                          span=norm.to_original(*raw.span),
                          value_span=norm.to_original(*raw.value_span) if raw.value_span else None))
    named_keys = {f["label"]: f["key"] for f in (tpl or {}).get("named_fields", [])}
    named = [NamedField(item=i, key=named_keys.get(label, f"item{i}_{label}"), label=label, text=t,
                        span=norm.to_original(*sp)) for i, label, t, sp in got.named]
    if tpl is not None:
        missing = [k for _, c in _template_cells(tpl) if (k := c["key"]) not in set(keys)]
        if missing:
            reader.warn("missing_cells", f"annex lacks {len(missing)} cells of template {tpl['id']}: "
                                         f"{', '.join(missing[:5])}{'…' if len(missing) > 5 else ''}",
                        lines[-1].end if lines else 0)
    span = norm.to_original(lines[0].start, lines[-1].end) if lines else None
    annex = Annex(title=got.title, template=tpl["id"] if tpl else None, reporter=got.reporter,
                  items=got.items, cells=cells, named_fields=named, span=span)
    return annex, warnings
