"""Genres as data: what kind of report a text is, and the table template of its format.

A genre is a JSON file under ``reportmine/data/genres/``: how to recognise it (title and heading patterns),
its record fields, its table templates with a stable key for every cell (rows × columns), its arithmetic
rules, the prose statements that restate cells and the qualitative claims a table can refute. This module
only loads those files, recognises a genre in a parsed text and picks the template of its format; what the
cells are and how they are checked is :mod:`reportmine.genre_cells` and :mod:`reportmine.genre_check`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import regex

from .resources import data_json, data_path

__all__ = ["Genre", "Template", "TemplateTable", "TemplateEntry", "genres", "genre", "recognise", "choose_template",
           "expand", "issuer_and_year"]


@dataclass(frozen=True)
class TemplateEntry:
    """A row or a column of a template table: its key and its label path, each level a tuple of alternatives."""

    key: str
    path: tuple[tuple[str, ...], ...]
    #: First characters of the leaf's labels: a written label starting with another character names none.
    leaf_initials: frozenset[str] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "leaf_initials", frozenset(alt[:1] for alt in self.path[-1]) if self.path
                           else frozenset())


def _first_by_key(entries: tuple[TemplateEntry, ...]) -> dict[str, TemplateEntry]:
    """Entries by key, the first of a key winning."""
    out: dict[str, TemplateEntry] = {}
    for e in entries:
        out.setdefault(e.key, e)
    return out


@dataclass(frozen=True)
class TemplateTable:
    """One table of a template: rows × columns, or explicit cells (``cells[(row, col)] = col label path``)."""

    id: str
    title: str
    rows_from: str                         # "rows": rows are row labels; "column_groups": groups of the columns
    rows: tuple[TemplateEntry, ...]
    cols: tuple[TemplateEntry, ...]
    cells: tuple[tuple[str, str], ...]     # (row key, col key) pairs that exist, in reading order
    units: dict[str, str] = field(default_factory=dict, hash=False, compare=False)   # row key -> unit

    def key(self, row: str, col: str) -> str:
        return f"{self.id}/{row}/{col}"

    @cached_property
    def row_by_key(self) -> dict[str, TemplateEntry]:
        """The rows by key (the first of a key)."""
        return _first_by_key(self.rows)

    @cached_property
    def col_by_key(self) -> dict[str, TemplateEntry]:
        """The columns by key (the first of a key)."""
        return _first_by_key(self.cols)

    @cached_property
    def cell_pairs(self) -> frozenset[tuple[str, str]]:
        """:attr:`cells` as a set."""
        return frozenset(self.cells)

    def col_entries(self, row: str) -> tuple[TemplateEntry, ...]:
        """The columns a row has (every column, or the row's own for tables given cell by cell)."""
        have = {c for r, c in self.cells if r == row}
        return tuple(c for c in self.cols if c.key in have)


@dataclass(frozen=True)
class Template:
    id: str
    format: str
    years: tuple[int, int]
    evidence: tuple[str, ...]
    tables: tuple[TemplateTable, ...]

    def table(self, table_id: str) -> TemplateTable | None:
        return next((t for t in self.tables if t.id == table_id), None)

    def cell_keys(self) -> list[str]:
        return [t.key(r, c) for t in self.tables for r, c in t.cells]


@dataclass(frozen=True)
class Genre:
    """A genre file, loaded: ``data`` is the JSON as written, ``templates`` its formats."""

    id: str
    name: str
    data: dict[str, Any] = field(hash=False, compare=False, repr=False)
    templates: tuple[Template, ...] = ()

    def template(self, template_id: str) -> Template | None:
        return next((t for t in self.templates if t.id == template_id), None)


def _path(levels: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(alts) for alts in levels)


def _entries(items: list[dict]) -> tuple[TemplateEntry, ...]:
    return tuple(TemplateEntry(x["key"], _path(x["path"])) for x in items)


def _build_table(table_id: str, spec: dict) -> TemplateTable:
    if "cells" in spec:                    # given row by row, each with its own columns
        rows, cols, cells, units = [], {}, [], {}
        for item in spec["cells"]:
            rows.append(TemplateEntry(item["row"], _path(item["path"])))
            for col_key, labels in item["cols"]:
                cols.setdefault(col_key, TemplateEntry(col_key, (tuple(labels),)))
                cells.append((item["row"], col_key))
            if item.get("unit"):
                units[item["row"]] = item["unit"]
        if spec.get("unit"):
            units["*"] = spec["unit"]
        return TemplateTable(table_id, spec["title"], spec["rows_from"], tuple(rows), tuple(cols.values()),
                             tuple(cells), units)
    rows = _entries(spec["rows"])
    cols = _entries(spec["cols"])
    return TemplateTable(table_id, spec["title"], spec["rows_from"], rows, cols,
                         tuple((r.key, c.key) for r in rows for c in cols), {"*": spec["unit"]} if spec.get("unit") else {})


def _build_template(data: dict, spec: dict) -> Template:
    tables = []
    common = data.get("common_tables", {})
    for table_id, own in spec["tables"].items():
        merged = {**common.get(table_id, {}), **own}
        if table_id == "requests" and "request_rows" in data:
            r = data["request_rows"]
            merged["rows"] = r["head"] + own.get("rows_middle", []) + r["tail"]
        tables.append(_build_table(table_id, merged))
    for table_id, spec_common in common.items():
        if table_id not in spec["tables"]:
            tables.append(_build_table(table_id, spec_common))
    lo, hi = spec.get("years", [0, 9999])
    return Template(spec["id"], spec.get("format", ""), (lo, hi), tuple(spec.get("evidence", [])), tuple(tables))


def _annex_template(name: str) -> Template:
    """A fill-in annex form of ``data/templates/`` as a genre's template (its cells are read by
    :mod:`reportmine.annex`, which picks the template; the genre only names it)."""
    spec = data_json(f"templates/{name}.json")
    years = spec.get("years") or [0, 9999]
    return Template(spec["id"], spec.get("title", ""), (min(years), max(years)), (), ())


@lru_cache(maxsize=1)
def genres() -> tuple[Genre, ...]:
    """Every genre file of ``reportmine/data/genres/`` (sorted by file name)."""
    out = []
    for entry in sorted(data_path("genres").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        data = data_json(f"genres/{entry.name}")
        built = [_build_template(data, t) for t in data.get("templates", [])]
        built += [_annex_template(name) for name in data.get("annex_templates", [])]
        out.append(Genre(data["id"], data["name"], data, tuple(built)))
    return tuple(out)


def genre(genre_id: str) -> Genre:
    """The genre with this id; ``ValueError`` naming the known ids if there is none."""
    for g in genres():
        if g.id == genre_id:
            return g
    raise ValueError(f"unknown genre {genre_id!r}; known: {', '.join(g.id for g in genres())}")


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)


def recognise(title: str | None, headings: list[str], text: str) -> tuple[Genre | None, list[str]]:
    """The genre whose title and heading patterns the text meets best (None if none reaches its minimum),
    with the evidence found (the patterns that matched)."""
    best: tuple[int, Genre | None, list[str]] = (0, None, [])
    head = (title or "") + "\n" + text[:300]
    for g in genres():
        rec = g.data.get("recognise", {})
        evidence = []
        score = 0
        if any(_compiled(p).search(head) for p in rec.get("title", [])):
            evidence.append("title")
            score += 2
        found = [p for p in rec.get("headings", []) if any(_compiled(p).search(h) for h in headings)]
        evidence += found
        score += len(found)
        if len(found) < rec.get("min_headings", 0) and "title" not in evidence:
            continue
        if score >= rec.get("min_score", 1) and score > best[0]:
            best = (score, g, evidence)
    return best[1], best[2]


def choose_template(g: Genre, text: str, year: int | None) -> tuple[Template | None, list[str]]:
    """The template whose evidence words the text contains most (ties: the one whose years cover ``year``)."""
    scored = []
    bare = regex.sub(r"[\s\p{P}]+", "", text)
    for t in g.templates:
        hits = [e for e in t.evidence if regex.sub(r"[\s\p{P}]+", "", e) in bare]
        in_years = year is not None and t.years[0] <= year <= t.years[1]
        scored.append((len(hits), in_years, t, hits))
    if not scored:
        return None, []
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    n, in_years, t, hits = scored[0]
    if n == 0 and not in_years:
        return None, []
    return t, hits if n else [f"year {year}"]


def expand(pattern: str, keys: list[str]) -> list[str]:
    """Keys a rule term names: 'legal.*' -> every key under legal; 'result.other*' -> result.other and its
    children; a plain key -> itself if present."""
    if pattern.endswith(".*"):
        stem = pattern[:-1]
        return [k for k in keys if k.startswith(stem)]
    if pattern.endswith("*"):
        stem = pattern[:-1]
        return [k for k in keys if k == stem or k.startswith(stem + ".")]
    return [k for k in keys if k == pattern]


def issuer_and_year(g: Genre, title: str | None) -> tuple[str | None, int | None]:
    """The issuer and year a title names by the genre's ``issuer_patterns`` (沭阳县发展和改革局2023年政府信息公开
    年度报告, or 2023年度某县政府信息公开工作年度报告), or (None, None)."""
    if not title:
        return None, None
    flat = regex.sub(r"\s+", "", title)
    for pattern in g.data.get("issuer_patterns", []):
        m = _compiled(pattern).search(flat)
        if m and m.group("issuer"):
            return m.group("issuer"), int(m.group("year"))
    return None, None
