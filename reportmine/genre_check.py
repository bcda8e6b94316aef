"""The checks a genre file states, run on the genre's cells and the report's prose.

- **rules**: arithmetic between template cells, written as data (``一 + 二 = 三（七）总计 + 四`` in every
  column; ``总计 = 自然人 + 法人…`` in every row); each result names the cells and their values.
- **statements**: a prose figure whose clause carries a cue of the genre (``收到…申请N件``, ``上年结转M件``,
  ``予以公开X件``, ``结转下一年N件``, ``行政复议Z件`` …) restates a sum of template cells — a block total, never
  one row of a block; several readings may be allowed (``受理…申请`` is 新收 or 新收 + 上年结转), and the figure
  is consistent when one of them lies in the interval its wording admits.
- **percentages**: ``占N%`` after such a figure, computed from the table and compared with the stated rounding
  (rounded or cut off at the digits written).
- **qualitative claims**: words a table can refute (``全部维持``, ``未被纠错`` while it shows 纠正 or 尚未审结
  cases) are ``questionable``, with the cells — not a contradiction: the wording may mean something narrower.

A rule whose cells are missing (not found in the report) or unreadable is not run and says so; a rule whose
cells are all blank is vacuous and not counted. Sums are exact.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

import regex

from .document import DocumentModel
from .genres import Template, expand, genre
from .normalize import NormalizedText
from .numbers import Quantity, find_quantities
from .record import CampaignRecord, GenreCell

__all__ = ["GenreCheck", "check_genre", "not_checked_lines"]

SENTENCE_END = regex.compile(r"[。！？!?\n]")
CLAUSE_BREAK = regex.compile(r"[，；。,;：:！？\n]")


@dataclass
class GenreCheck:
    """One check of a genre: ``verdict`` is ``consistent``, ``contradicted``, ``questionable`` or ``not_checked``."""

    kind: str                        # rule | statement | percent | qualitative
    id: str                          # the rule's, statement's or claim's id in the genre file
    verdict: str
    explanation: str
    span: tuple[int, int]            # the prose figure, or the first cell of the rule (original offsets)
    line: int | None
    column: int | None
    cells: list[str] = field(default_factory=list)
    cell_spans: list[tuple[int, int]] = field(default_factory=list)
    stated: str | None = None
    expected: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "verdict": self.verdict, "span": list(self.span),
                "line": self.line, "column": self.column, "cells": self.cells, "stated": self.stated,
                "expected": self.expected, "explanation": self.explanation}


def _fmt(d: Decimal | Fraction) -> str:
    if isinstance(d, Fraction):
        d = Decimal(d.numerator) / Decimal(d.denominator)
    return format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))


def _dec(v) -> Decimal:
    return Decimal(str(v))


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)


class _Breaks:
    """Sentence and clause boundaries of one paragraph, found once (bisect per figure: linear overall)."""

    def __init__(self, text: str):
        self.n = len(text)
        self.sentences = [m.start() for m in SENTENCE_END.finditer(text)]
        self.clauses = [m.start() for m in CLAUSE_BREAK.finditer(text)]

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.sentences, start)
        j = bisect.bisect_left(self.sentences, end)
        return (self.sentences[i - 1] + 1 if i else 0), (self.sentences[j] if j < len(self.sentences) else self.n)

    def clause_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.clauses, pos)
        return self.clauses[i - 1] + 1 if i else 0

    def clause_end(self, pos: int) -> int:
        j = bisect.bisect_left(self.clauses, pos)
        return self.clauses[j] if j < len(self.clauses) else self.n


class _Checker:
    def __init__(self, record: CampaignRecord, norm: NormalizedText, model: DocumentModel | None):
        self.rec = record.genre
        self.norm = norm
        self.model = model
        self.data = genre(self.rec.genre).data
        self.template: Template | None = genre(self.rec.genre).template(self.rec.template or "")
        self.cells: dict[str, GenreCell] = {c.key: c for c in self.rec.cells}
        self.out: list[GenreCheck] = []

    def where(self, span: tuple[int, int] | None) -> tuple[int | None, int | None]:
        return self.norm.line_col(span[0]) if span else (None, None)

    # -- sums of cells -------------------------------------------------------------------------------
    def keys(self, term: str) -> list[str]:
        """Cell keys a term names: 'requests/result.withheld.*/total', 'review/*/corrected'."""
        table, row, col = term.split("/")
        tt = self.template.table(table) if self.template else None
        if tt is None:
            return []
        rows = [r.key for r in tt.rows] if row == "*" else expand(row, [r.key for r in tt.rows])
        cols = [c.key for c in tt.cols] if col == "*" else expand(col, [c.key for c in tt.cols])
        have = tt.cell_pairs
        return [tt.key(r, c) for r in rows for c in cols if (r, c) in have]

    def total(self, keys: list[str]) -> tuple[Decimal | None, str | None]:
        """The exact sum of the cells (blanks count as nothing), or None and why it cannot be told."""
        if not keys:
            return None, "the template has no such cells"
        cells = [self.cells.get(k) for k in keys]
        missing = [k for k, c in zip(keys, cells) if c is None or c.status == "missing"]
        if missing:
            return None, f"{len(missing)} of its cells are not in the report ({missing[0]}…)"
        bad = [c for c in cells if c.status == "unreadable"]
        if bad:
            return None, f"cell {bad[0].key} could not be read ({bad[0].raw!r})"
        values = [c.value for c in cells if c.value is not None]
        if not values:
            return None, "all its cells are blank"
        return sum((_dec(v) for v in values), Decimal(0)), None

    def spans(self, keys: list[str]) -> list[tuple[int, int]]:
        return [tuple(c.span) for k in keys if (c := self.cells.get(k)) is not None and c.span]

    # -- rules ---------------------------------------------------------------------------------------
    def rules(self) -> None:
        if self.template is None:
            return
        for rule in self.data.get("rules", []):
            tt = self.template.table(rule["table"])
            if tt is None:
                continue
            if rule["for_each"] == "col":
                units = [(c.key, f"column {c.path[-1][0]}", lambda term, c=c: f"{rule['table']}/{term}/{c.key}")
                         for c in tt.cols]
            else:
                units = [(r.key, f"row {r.path[-1][0]}", lambda term, r=r: f"{rule['table']}/{r.key}/{term}")
                         for r in tt.rows]
            for _, where, term_of in units:
                left = [k for t in rule["left"] for k in self.keys(term_of(t))]
                right = [k for t in rule["right"] for k in self.keys(term_of(t))]
                if not left or not right:
                    continue
                a, why_a = self.total(left)
                b, why_b = self.total(right)
                anchor = self.spans(left) or self.spans(right)
                span = anchor[0] if anchor else (0, 0)
                line, col = self.where(span if anchor else None)
                if why_a == why_b == "all its cells are blank":
                    continue                                  # nothing written on either side: vacuous
                if a is None and why_a != "all its cells are blank" or b is None and why_b != "all its cells are blank":
                    why = why_a if a is None and why_a != "all its cells are blank" else why_b
                    self.out.append(GenreCheck("rule", rule["id"], "not_checked",
                                               f"{tt.title}, {where}: {rule['text']} not checked: {why}",
                                               span, line, col, left + right, self.spans(left + right)))
                    continue
                a = a or Decimal(0)
                b = b or Decimal(0)
                ok = a == b
                detail = lambda ks: " + ".join(f"{self.cells[k].label}={_fmt(_dec(self.cells[k].value))}"
                                               if self.cells[k].value is not None else f"{self.cells[k].label}=—"
                                               for k in ks)
                expl = (f"{tt.title}, {where}: {rule['text']}: {_fmt(a)} ({detail(left)}) "
                        f"{'=' if ok else '≠'} {_fmt(b)} ({detail(right)})"
                        + (f" at line {line}:{col}" if line else "") + ("" if ok else " — they disagree"))
                self.out.append(GenreCheck("rule", rule["id"], "consistent" if ok else "contradicted", expl,
                                           span, line, col, left + right, self.spans(left + right),
                                           stated=_fmt(a), expected=_fmt(b)))

    # -- the prose -----------------------------------------------------------------------------------
    def prose(self) -> list[tuple[int, int, str]]:
        """(start, end, text) of every paragraph and heading outside the tables, normalised offsets."""
        if self.model is None:
            return [(0, len(self.norm.text), self.norm.text)]
        return [(b.start, b.end, b.text) for b in self.model.blocks if b.table is None]

    def statements(self) -> None:
        if self.template is None:
            return
        specs = self.data.get("statements", [])
        if not specs:
            return                                  # a genre without statements (安全生产月): nothing to read
        percent_of = self.data.get("percent_of", {})
        percent_cue = _compiled(self.data.get("percent_cue", r"^[，,]?[^，。；,;]{0,6}占"))
        for start, _, text in self.prose():
            quantities = find_quantities(text)
            previous: tuple[Quantity, dict, list[Decimal]] | None = None
            breaks = _Breaks(text)
            for q in quantities:
                qs, qe = q.span
                sentence_start, sentence_end = breaks.sentence(qs, qe)
                clause = text[breaks.clause_start(qs):qs].rstrip()
                sentence = text[sentence_start:sentence_end]
                if q.kind == "percent" or q.unit == "%":
                    if previous is not None and percent_cue.search(text[previous[0].span[1]:qs]):
                        self.percent(start, q, previous, percent_of.get(previous[1]["id"], []))
                    previous = None
                    continue
                previous = None
                spec = next((s for s in specs if q.unit in s.get("units", [q.unit])
                             and _compiled(s["cue"]).search(clause)
                             and all(w in sentence for w in s.get("sentence_all", []))
                             and (not s.get("clause_any") or any(w in clause for w in s["clause_any"]))
                             and (not s.get("paragraph_any") or any(w in text for w in s["paragraph_any"]))
                             and not any(w in clause for w in s.get("clause_none", []))), None)
                if spec is not None and self.other_year(clause):
                    spec = None                                # 2022年收到申请N件: last year's figure
                if spec is None:
                    continue
                values = self.statement(start, q, spec)
                if values:
                    previous = (q, spec, values)

    def statement(self, base: int, q: Quantity, spec: dict) -> list[Decimal]:
        span = self.norm.to_original(base + q.span[0], base + q.span[1])
        line, col = self.where(span)
        readings = []
        for alt in spec["any_of"]:
            keys = [k for term in alt for k in self.keys(term)]
            value, why = self.total(keys)
            readings.append((keys, value, why))
        usable = [(k, v) for k, v, why in readings if v is not None]
        if not usable:
            why = next((w for _, _, w in readings if w), "no cells")
            self.out.append(GenreCheck("statement", spec["id"], "not_checked",
                                       f"prose says {q.surface} at line {line}:{col} ({spec['id']}); not checked: {why}",
                                       span, line, col, readings[0][0], self.spans(readings[0][0]), stated=q.surface))
            return []
        ok = [(k, v) for k, v in usable if q.contains(v)]
        described = "; or ".join(f"{' + '.join(self.cells[x].label for x in k)} = {_fmt(v)}" for k, v in usable)
        if ok:
            keys, v = ok[0]
            expl = f"prose says {q.surface} at line {line}:{col}; the table: {self.describe(keys)} = {_fmt(v)}"
            self.out.append(GenreCheck("statement", spec["id"], "consistent", expl, span, line, col, keys,
                                       self.spans(keys), stated=q.surface, expected=_fmt(v)))
        else:
            keys = usable[0][0]
            expl = (f"prose says {q.surface} at line {line}:{col}, but the table gives {described} — they disagree")
            self.out.append(GenreCheck("statement", spec["id"], "contradicted", expl, span, line, col,
                                       [k for k, _ in usable for k in k], self.spans([x for k, _ in usable for x in k]),
                                       stated=q.surface, expected=" | ".join(_fmt(v) for _, v in usable)))
        return [v for _, v in (ok or usable)]

    def other_year(self, clause: str) -> bool:
        """The clause dates its figure to a year other than the report's (2022年共收到申请…)."""
        years = {int(y) for y in regex.findall(r"((?:19|20)\d{2})\s*年", clause)}
        return bool(years) and self.rec.year is not None and years != {self.rec.year}

    def describe(self, keys: list[str]) -> str:
        if len(keys) <= 3:
            return " + ".join(self.cells[k].label for k in keys)
        return f"{self.cells[keys[0]].label} + … + {self.cells[keys[-1]].label} ({len(keys)} cells)"

    def percent(self, base: int, q: Quantity, previous: tuple, denominators: list[list[str]]) -> None:
        span = self.norm.to_original(base + q.span[0], base + q.span[1])
        line, col = self.where(span)
        stated = _dec(q.value)
        digits = max(0, -stated.as_tuple().exponent) if isinstance(stated.as_tuple().exponent, int) else 0
        step = Fraction(1, 10 ** digits)
        tried = []
        for numerator in previous[2]:
            for alt in denominators:
                keys = [k for term in alt for k in self.keys(term)]
                den, _ = self.total(keys)
                if den is None or den == 0:
                    continue
                exact = Fraction(numerator) / Fraction(den) * 100
                rounded_ok = abs(exact - Fraction(stated)) <= step / 2
                cut_ok = Fraction(stated) <= exact < Fraction(stated) + step
                tried.append((keys, exact, rounded_ok or cut_ok or q.contains(float(exact))))
        if not tried:
            return
        good = [t for t in tried if t[2]]
        head = previous[0].surface
        if good:
            keys, exact, _ = good[0]
            expl = (f"prose says {q.surface} at line {line}:{col} for {head}: {head} / {self.describe(keys)} "
                    f"= {float(exact):.4g}%")
            self.out.append(GenreCheck("percent", previous[1]["id"], "consistent", expl, span, line, col, keys,
                                       self.spans(keys), stated=q.surface, expected=f"{float(exact):.4g}%"))
        else:
            shown = "; ".join(f"of {self.describe(k)}: {float(e):.4g}%" for k, e, _ in tried)
            expl = (f"prose says {q.surface} at line {line}:{col} for {head}, but computed from the table it is "
                    f"{shown} — they disagree at the digits written")
            self.out.append(GenreCheck("percent", previous[1]["id"], "contradicted", expl, span, line, col,
                                       tried[0][0], self.spans(tried[0][0]), stated=q.surface,
                                       expected=" | ".join(f"{float(e):.4g}%" for _, e, _ in tried)))

    def scope(self, keys: list[str], sentence: str) -> list[str]:
        """The cells of the rows the sentence speaks of (行政复议 only, 行政诉讼 only), or all of them."""
        words = self.data.get("review_row_words", {})
        named = {row for row, ws in words.items() if any(w in sentence for w in ws)}
        if not named:
            return keys
        kept = [k for k in keys if k.split("/")[1] in named or k.split("/")[1] not in words]
        return kept or keys

    def named(self, text: str) -> bool:
        return any(w in text for ws in self.data.get("review_row_words", {}).values() for w in ws)

    def qualitative(self) -> None:
        specs = self.data.get("qualitative", [])
        if self.template is None or not specs:
            return
        for start, _, text in self.prose():
            breaks: _Breaks | None = None            # found when a statement is, most paragraphs have none
            for spec in specs:
                for m in _compiled(spec["pattern"]).finditer(text):
                    breaks = breaks or _Breaks(text)
                    s0, e0 = breaks.sentence(m.start(), m.end())
                    sentence = text[s0:e0]
                    if spec.get("sentence_any") and not any(w in sentence for w in spec["sentence_any"]):
                        continue
                    span = self.norm.to_original(start + m.start(), start + m.end())
                    line, col = self.where(span)
                    keys = [k for term in spec["refuted_by"] for k in self.keys(term)]
                    clause = text[max(breaks.clause_start(m.start()), s0):breaks.clause_end(m.end())]
                    scoped = self.scope(keys, clause) if self.named(clause) else \
                        self.scope(keys, text[s0:m.end()])
                    keys = scoped
                    cells = [self.cells[k] for k in keys if k in self.cells]
                    if not cells or any(c.status == "missing" for c in cells):
                        self.out.append(GenreCheck("qualitative", spec["id"], "not_checked",
                                                   f"prose says “{m.group()}” at line {line}:{col} ({spec['says']}); "
                                                   f"the cells that could refute it are not in the report",
                                                   span, line, col, keys))
                        continue
                    against = [c for c in cells if c.value is not None and c.value > 0]
                    if against:
                        expl = (f"prose says “{m.group()}” at line {line}:{col} ({spec['says']}), but the table shows "
                                + "、".join(f"{c.label} = {_fmt(_dec(c.value))}" for c in against)
                                + " — questionable")
                        self.out.append(GenreCheck("qualitative", spec["id"], "questionable", expl, span, line, col,
                                                   [c.key for c in against], [tuple(c.span) for c in against if c.span],
                                                   stated=m.group()))
                    else:
                        expl = f"prose says “{m.group()}” at line {line}:{col} ({spec['says']}); the table agrees"
                        self.out.append(GenreCheck("qualitative", spec["id"], "consistent", expl, span, line, col,
                                                   keys, self.spans(keys), stated=m.group()))


def check_genre(record: CampaignRecord, norm: NormalizedText, model: DocumentModel | None) -> list[GenreCheck]:
    """Every check the report's genre states (none when no genre was recognised), in document order."""
    if record.genre is None:
        return []
    checker = _Checker(record, norm, model)
    checker.rules()
    checker.statements()
    checker.qualitative()
    return sorted(checker.out, key=lambda c: (c.kind != "rule", c.span))


def not_checked_lines(checks: list[GenreCheck]) -> list[str]:
    """What the genre could not check, one line per rule (however many columns or rows it covers) and one
    per prose statement or claim."""
    out: list[str] = []
    by_rule: dict[str, list[GenreCheck]] = {}
    for c in checks:
        if c.verdict != "not_checked":
            continue
        if c.kind == "rule":
            by_rule.setdefault(c.id, []).append(c)
        else:
            out.append(c.explanation)
    for rule_id, items in by_rule.items():
        ran = sum(1 for c in checks if c.kind == "rule" and c.id == rule_id and c.verdict != "not_checked")
        first = items[0].explanation
        out.insert(0, f"genre rule {rule_id}: {len(items)} of {len(items) + ran} instances not checked"
                      f" (e.g. {first})")
    return out
