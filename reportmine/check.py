"""Check the figures in the prose against the annex table and against themselves.

1. Every quantity in the prose (outside the annex) becomes a :class:`Claim`.
2. A claim is linked to the annex cell it restates when the units are compatible
   and the clause around it covers the cell's label (on jieba tokens), or, for a
   cell with a generic label such as 参与, when it follows a claim linked to the
   cell just before (a 场 claim followed by a 人次 claim). Ties and weak matches
   stay unlinked: a wrong link is worse than none.
3. A linked claim is ``consistent`` when the cell value lies in the interval its
   wording admits (9200多 -> (9200, 9300)), else ``contradicted``.
4. Internal checks: a whole and its parts (共54条次，其中26条次，13条次), and a stated
   count against the list before it (六家单位 with six names; 等 allows fewer).
"""

from __future__ import annotations

import dataclasses
import html
import json
from dataclasses import dataclass, field
from typing import Any, Optional

import regex

from .numbers import Quantity, find_quantities
from .tokens import (
    SENTENCE_BREAK,
    content_tokens,
    meaningful,
    segment,
    segment_cached,
)
from .record import Cell
from .report import Report, parse
from .resources import data_json

__all__ = ["Claim", "InternalCheck", "CheckResult", "check_report", "check", "units_compatible"]

#: A label covered this much by the claim's context can be linked.
MIN_SCORE = 0.5
#: Scores closer than this are a tie: the claim stays unlinked.
TIE_MARGIN = 0.05
#: Without a near-certain label match, a cell more than this factor away from the claim is not it.
MAX_RATIO = 10.0

CLAUSE_BREAK = "，；。！？\n,;:："


def units_compatible(a: Optional[str], b: Optional[str]) -> bool:
    """Same unit, or units of one group in ``data/unit_groups.json`` (场/场次, 人次/人, 个/条 …)."""
    if not a or not b:
        return False
    if a == b:
        return True
    return any(a in g and b in g for g in data_json("unit_groups.json")["groups"])


def _fmt(x: float | int | None) -> str:
    if x is None:
        return "∞"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def admits_text(q: Quantity) -> str:
    """The admitted interval for people: '112746', '(9200, 9300)', '(780000, ∞)'."""
    lo, hi = q.admits
    if lo is not None and lo == hi:
        return _fmt(lo)
    left = "(" if lo is None else q.bounds[0]
    return f"{left}{'-∞' if lo is None else _fmt(lo)}, {_fmt(hi)}{')' if hi is None else q.bounds[1]}"


@dataclass
class Claim:
    """A figure stated in the prose; ``span`` indexes the original text."""

    quantity: Quantity            # as found in the normalised text
    surface: str
    span: tuple[int, int]
    line: int
    column: int
    context: str                  # the clause that says what was counted
    cell: Optional[int] = None    # index into record.annex.cells
    cell_key: Optional[str] = None
    score: float = 0.0
    link: Optional[str] = None    # "label" | "pair"
    verdict: Optional[str] = None  # "consistent" | "contradicted" | None when unlinked
    explanation: str = ""

    @property
    def value(self):
        return self.quantity.value

    def to_dict(self) -> dict[str, Any]:
        q = self.quantity
        return {"surface": self.surface, "span": list(self.span), "value": q.value, "qualifier": q.qualifier,
                "unit": q.unit, "admits": list(q.admits), "bounds": q.bounds, "kind": q.kind,
                "cell": self.cell, "cell_key": self.cell_key, "verdict": self.verdict,
                "line": self.line, "column": self.column, "context": self.context,
                "explanation": self.explanation}


@dataclass
class InternalCheck:
    """A statement checked against the prose itself (``part_whole`` or ``enumeration``)."""

    kind: str
    verdict: str
    span: tuple[int, int]
    explanation: str
    whole: Optional[str] = None
    parts: list[str] = field(default_factory=list)
    count: Optional[str] = None
    listed: Optional[int] = None
    items: list[str] = field(default_factory=list)
    note: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        if self.kind == "part_whole":
            d.update(whole=self.whole, parts=self.parts)
        else:
            d.update(count=self.count, listed=self.listed, items=self.items)
        if self.note:
            d["note"] = self.note
        d.update(verdict=self.verdict, span=list(self.span), explanation=self.explanation)
        return d


@dataclass
class CheckResult:
    """Outcome of :func:`check_report`: linked claims, unlinked figures, internal checks, unmentioned cells."""

    report: Report = field(repr=False)
    claims: list[Claim]
    unlinked: list[Claim]
    internal_checks: list[InternalCheck]
    unmentioned_cells: list[int]

    @property
    def contradicted(self) -> list[Claim | InternalCheck]:
        """Everything that disagrees: claims against cells and failed internal checks."""
        return [c for c in self.claims if c.verdict == "contradicted"] + \
               [c for c in self.internal_checks if c.verdict == "contradicted"]

    @property
    def ok(self) -> bool:
        return not self.contradicted

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.report.source.name,
            "claims": [c.to_dict() for c in self.claims],
            "unlinked_quantities": [{"surface": c.surface, "span": list(c.span), "value": c.value,
                                     "unit": c.quantity.unit, "context": c.context} for c in self.unlinked],
            "internal_checks": [c.to_dict() for c in self.internal_checks],
            "unmentioned_cells": self.unmentioned_cells,
        }

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_frame(self):
        """One row per prose figure (linked or not), with the cell it restates and the verdict."""
        import pandas as pd

        cells = self.report.record.annex.cells
        rows = []
        for c in sorted(self.claims + self.unlinked, key=lambda c: c.span):
            q = c.quantity
            cell = cells[c.cell] if c.cell is not None else None
            rows.append({"surface": c.surface, "start": c.span[0], "end": c.span[1], "line": c.line,
                         "value": q.value, "qualifier": q.qualifier, "unit": q.unit,
                         "low": q.admits[0], "high": q.admits[1], "bounds": q.bounds,
                         "cell": c.cell, "key": c.cell_key, "cell_value": cell.value if cell else None,
                         "cell_unit": cell.unit if cell else None, "verdict": c.verdict, "context": c.context})
        return pd.DataFrame(rows)

    def to_text(self) -> str:
        out = [f"{self.report.source.name}: {len(self.claims)} prose figures restate annex cells, "
               f"{len(self.contradicted)} contradicted"]
        for c in self.claims:
            mark = "OK " if c.verdict == "consistent" else "BAD"
            out.append(f"  {mark} {c.explanation}")
        if self.internal_checks:
            out.append("internal checks:")
            out += [f"  {'OK ' if c.verdict == 'consistent' else 'BAD'} {c.explanation}" for c in self.internal_checks]
        if self.unlinked:
            out.append(f"figures with no annex cell ({len(self.unlinked)}): " + "、".join(c.surface for c in self.unlinked))
        if self.unmentioned_cells:
            out.append(f"annex cells the prose never restates: {len(self.unmentioned_cells)}")
        return "\n".join(out)

    def __repr__(self) -> str:
        return (f"<CheckResult {self.report.source.name}: {len(self.claims)} linked claims, "
                f"{len(self.contradicted)} contradicted, {len(self.unlinked)} unlinked, "
                f"{len(self.internal_checks)} internal checks>")

    def _repr_html_(self) -> str:
        """The report text with each linked claim green (consistent) or red (contradicted); hover for the cell."""
        text = self.report.text
        marks = sorted([(c.span, c) for c in self.claims + self.unlinked], key=lambda m: m[0])
        parts, pos = [], 0
        for (s, e), c in marks:
            if s < pos:
                continue
            colour = {"consistent": "#c8f7c5", "contradicted": "#ffb3b3"}.get(c.verdict or "", "#eeeeee")
            title = c.explanation or "no annex cell"
            parts.append(html.escape(text[pos:s]))
            parts.append(f"<mark style='background:{colour}' title='{html.escape(title, quote=True)}'>"
                         f"{html.escape(text[s:e])}</mark>")
            pos = e
        parts.append(html.escape(text[pos:]))
        head = html.escape(repr(self))
        return f"<div><p>{head}</p><pre style='white-space:pre-wrap'>{''.join(parts)}</pre></div>"


# -- finding claims ------------------------------------------------------------

def _bounded(text: str, pos: int, end: int, breaks: str) -> tuple[int, int]:
    """The stretch around ``[pos, end)`` between the nearest break characters."""
    s = pos
    while s > 0 and text[s - 1] not in breaks:
        s -= 1
    e = end
    while e < len(text) and text[e] not in breaks:
        e += 1
    return s, e


def _prose_quantities(report: Report) -> list[Quantity]:
    """Quantities of the normalised text outside the annex table."""
    norm, layout = report.norm, report.layout
    if layout.annex is None:
        return find_quantities(norm.text)
    a0 = layout.lines[layout.annex[0]].start
    a1 = layout.lines[layout.annex[1] - 1].end
    after = [dataclasses.replace(q, span=(q.span[0] + a1, q.span[1] + a1)) for q in find_quantities(norm.text[a1:])]
    return find_quantities(norm.text[:a0]) + after  # the table's blanks are cells, not prose figures


def _claim(report: Report, q: Quantity) -> Claim:
    norm = report.norm
    s, e = norm.to_original(*q.span)
    line, col = norm.line_col(s)
    cs, ce = _bounded(norm.text, q.span[0], q.span[1], CLAUSE_BREAK)
    return Claim(quantity=q, surface=norm.original[s:e], span=(s, e), line=line, column=col,
                 context=norm.text[cs:ce])


# -- linking -------------------------------------------------------------------

@dataclass
class _CellProfile:
    index: int
    cell: Cell
    tokens: frozenset[str]
    generic: bool


def _profiles(cells: list[Cell]) -> list[_CellProfile]:
    """Label tokens per cell; a label shared by several cells (参与) or with no content is generic."""
    units = set(u for g in data_json("unit_groups.json")["groups"] for u in g)
    counts: dict[str, int] = {}
    for c in cells:
        counts[c.label] = counts.get(c.label, 0) + 1
    out = []
    for i, c in enumerate(cells):
        toks = content_tokens(c.label, drop=frozenset(units))
        out.append(_CellProfile(i, c, toks, generic=not toks or counts[c.label] > 1))
    return out


def _coverage(label: frozenset[str], context: frozenset[str]) -> float:
    return len(label & context) / len(label) if label else 0.0


def _plausible(q: Quantity, cell: Cell, score: float) -> bool:
    if cell.value is None or q.value is None:
        return False
    if score >= 0.9 or cell.value == 0 or q.value == 0:
        return True
    ratio = max(cell.value, q.value) / max(min(cell.value, q.value), 1e-9)
    return ratio <= MAX_RATIO


def _clause_tokens(text: str, sentence: tuple[int, int], clause: tuple[int, int]) -> frozenset[str]:
    """Content tokens of a clause, cut from its sentence's tokens (cached per sentence): jieba splits at
    punctuation, so the clause's own cut would be the same words."""
    pos, inside = sentence[0], []
    for tok in segment_cached(text[sentence[0]:sentence[1]]):
        if pos >= clause[0] and pos + len(tok) <= clause[1]:
            inside.append(tok)
        pos += len(tok)
    return meaningful(inside)


def _candidates(report: Report, claim: Claim, profiles: list[_CellProfile],
                previous: Optional[Claim]) -> list[tuple[float, int, str]]:
    """(score, cell index, how) for every cell the claim could restate."""
    q = claim.quantity
    text = report.norm.text
    ss, se = _bounded(text, q.span[0], q.span[1], SENTENCE_BREAK)
    sentence = content_tokens(text[ss:se])
    clause = _clause_tokens(text, (ss, se), _bounded(text, q.span[0], q.span[1], CLAUSE_BREAK))
    out = []
    paired_cell = None
    if previous is not None and previous.cell is not None:
        ps = _bounded(text, previous.quantity.span[0], previous.quantity.span[1], SENTENCE_BREAK)
        if ps == (ss, se) or (text[ps[1]: ps[1] + 1] == "；" and ps[1] + 1 == ss):
            paired_cell = previous.cell + 1
    for p in profiles:
        if not units_compatible(q.unit, p.cell.unit):
            continue
        if p.index == paired_cell and p.generic and p.cell.item == profiles[previous.cell].cell.item:
            out.append((1.2, p.index, "pair"))
            continue
        if p.generic:
            continue
        score = max(_coverage(p.tokens, clause), 0.8 * _coverage(p.tokens, sentence))
        if q.unit == p.cell.unit:
            score += 0.1
        if p.cell.value is not None and q.contains(p.cell.value):
            score += 0.02   # tie-break only
        if score >= MIN_SCORE and _plausible(q, p.cell, score):
            out.append((score, p.index, "label"))
    return sorted(out, reverse=True)


def _link(report: Report, claims: list[Claim]) -> None:
    cells = report.record.annex.cells
    profiles = _profiles(cells)
    previous: Optional[Claim] = None
    for claim in claims:
        if claim.quantity.kind not in ("count",) or claim.quantity.unit is None:
            previous = claim
            continue
        cands = _candidates(report, claim, profiles, previous)
        if cands and (len(cands) == 1 or cands[0][0] - cands[1][0] >= TIE_MARGIN):
            score, idx, how = cands[0]
            claim.cell, claim.cell_key, claim.score, claim.link = idx, cells[idx].key, score, how
            _judge(claim, cells[idx])
        previous = claim
    _drop_outscored_contradictions(claims)


def _drop_outscored_contradictions(claims: list[Claim]) -> None:
    """A figure that disagrees with a cell another figure restates better is not about that cell.

    "突出问题3200余个" shares words with the cell 曝光重大事故隐患和突出问题 (6241个), but the report also
    says "曝光…突出问题6200余个", which links with a higher score and agrees: the first is unlinked.
    """
    best: dict[int, Claim] = {}
    for c in claims:
        if c.cell is not None and c.verdict == "consistent" and (c.cell not in best or c.score > best[c.cell].score):
            best[c.cell] = c
    for c in claims:
        if c.cell is not None and c.verdict == "contradicted" and c.cell in best and best[c.cell].score > c.score:
            c.cell = c.cell_key = c.link = c.verdict = None
            c.score, c.explanation = 0.0, ""


def _judge(claim: Claim, cell: Cell) -> None:
    q = claim.quantity
    ok = cell.value is not None and q.contains(cell.value)
    claim.verdict = "consistent" if ok else "contradicted"
    said = f"prose says {claim.surface.replace(' ', '')} (admits {admits_text(q)}) at line {claim.line}:{claim.column}"
    table = f"annex item {cell.item} {cell.label} says {_fmt(cell.value) if cell.value is not None else '(blank)'}{cell.unit or ''}"
    claim.explanation = f"{said}; {table}" + ("" if ok else " — outside what the prose admits")


# -- internal checks -----------------------------------------------------------

#: Tokens that join the items of a list; found as jieba tokens so 参与 or 和平 are not split.
LIST_JOINERS = frozenset({"、", "和", "及", "与", "以及"})


def _list_items(listing: str) -> tuple[list[str], bool]:
    """Items of an enumeration and whether a conjunction (和/及/与) joins the last one."""
    items, current, joined = [], "", False
    for tok in segment(listing):
        if tok in LIST_JOINERS:
            items.append(current)
            current = ""
            joined = joined or tok != "、"
        else:
            current += tok
    items.append(current)
    return [x.strip() for x in items if x.strip()], joined


def _part_whole(report: Report, quantities: list[Quantity]) -> list[InternalCheck]:
    """'…54条次，其中…26条次，…13条次': the parts must not exceed the whole."""
    text, norm = report.norm.text, report.norm
    out = []
    for i, whole in enumerate(quantities):
        after = text[whole.span[1]: whole.span[1] + 3]
        if not regex.match(r"^[，,]?其中", after):
            continue
        sent = _bounded(text, whole.span[0], whole.span[1], "。！？\n")
        parts = []
        for q in quantities[i + 1:]:
            if q.span[0] >= sent[1] or q.unit != whole.unit:
                break
            parts.append(q)
        if not parts:
            continue
        low = sum((p.admits[0] or 0) for p in parts)
        high = whole.admits[1]
        ok = high is None or low <= high
        s = norm.to_original(whole.span[0], parts[-1].span[1])
        surf = lambda q: norm.original_slice(*q.span)  # noqa: E731
        expl = (f"{surf(whole)} of which {' + '.join(surf(p) for p in parts)} = {_fmt(low)}"
                f" {'≤' if ok else '>'} {_fmt(high)} at line {norm.line_col(s[0])[0]}")
        out.append(InternalCheck(kind="part_whole", verdict="consistent" if ok else "contradicted", span=s,
                                 explanation=expl, whole=surf(whole), parts=[surf(p) for p in parts]))
    return out


def _enumerations(report: Report, quantities: list[Quantity]) -> list[InternalCheck]:
    """A count right after a list (A、B和C三个环节; …等6家单位) against the number of items listed."""
    text, norm = report.norm.text, report.norm
    out = []
    for q in quantities:
        if q.kind != "count" or q.admits[0] != q.admits[1] or q.value is None or q.value > 50:
            continue
        cs, _ = _bounded(text, q.span[0], q.span[1], "，；。！？：\n,;:")
        before = text[cs:q.span[0]]
        has_etc = before.endswith("等")
        listing = before[:-1] if has_etc else before
        items, joined = _list_items(listing)
        if len(items) < 2 or not (len(items) >= 3 or has_etc):
            continue  # 场馆和体验点37个: two kinds counted together, not a list of 37
        if "的" in items[-1] or "等" in items[-1] or any(regex.search(r"\d", it) for it in items):
            continue  # 来自A和B的16名 / A、B等主题微视频20个: the count is of what the list describes;
            # 海报3万套、…6部: each item carries its own count
        n = int(q.value)
        ok = len(items) == n or (has_etc and len(items) < n)
        note = "list ends with 等: fewer names than the count is consistent" if has_etc and len(items) < n else None
        s = norm.to_original(*q.span)
        count_surface = norm.original[s[0]:s[1]]
        noun = regex.match(r"\p{Han}{0,2}", text[q.span[1]:]).group()
        expl = (f"{count_surface.replace(' ', '')}{noun} at line {norm.line_col(s[0])[0]}: "
                f"{len(items)} listed{' (…等)' if has_etc else ''}")
        out.append(InternalCheck(kind="enumeration", verdict="consistent" if ok else "contradicted",
                                 span=norm.to_original(cs, q.span[1]), explanation=expl, count=count_surface,
                                 listed=len(items), items=items, note=note))
    return out


# -- entry points --------------------------------------------------------------

def check_report(report: Report) -> CheckResult:
    """Check a parsed report's prose figures against its annex and against themselves."""
    quantities = _prose_quantities(report)
    claims = [_claim(report, q) for q in quantities]
    _link(report, claims)
    linked = [c for c in claims if c.cell is not None]
    unlinked = [c for c in claims if c.cell is None]
    internal = _part_whole(report, quantities) + _enumerations(report, quantities)
    internal.sort(key=lambda c: c.span)
    mentioned = {c.cell for c in linked}
    unmentioned = [i for i in range(len(report.record.annex.cells)) if i not in mentioned]
    return CheckResult(report, linked, unlinked, internal, unmentioned)


def check(path) -> CheckResult:
    """Parse a report file and check it."""
    return check_report(parse(path))
