"""Score reportmine on the layout evaluation documents (``tests/layouts/{dev,heldout}``).

    python benchmarks/layouts/score.py tests/layouts/dev          # one line per document + totals
    python benchmarks/layouts/score.py tests/layouts/dev -v       # also list misses and false alarms
    python benchmarks/layouts/score.py tests/layouts/dev --json   # machine-readable

Each ``<name>.txt`` has a ``<name>.gold.json`` (format in ``tests/layouts/README.md``). Per document:

- cells: gold numeric cells read at their place with the right value / gold numeric cells; ``wrong`` counts cells
  read at their place with another value; ``n/a`` counts ``—``/``/`` cells not turned into a number; ``extra``
  counts cells the parser reports where the gold has none. A parser cell sits at a gold cell when its value span
  (or span) overlaps the gold cell's span in the original text; a parser cell without a span is matched by value
  (and header path when it has one).
- planted: planted errors found (a contradicted claim or a failed internal/table check whose span, or the span of
  one of its cells, overlaps the planted surface) / planted errors.
- false alarms: contradictions that overlap no planted error (``traps`` of them overlap a listed trap).
- links: consistent prose figures linked to the right cell with verdict consistent / consistent claims listed.
- fields: document fields right (doc_number, title, region, year, campaign).

The parser's tables are read from ``report.tables`` (or ``report.record.tables``) when they exist, with cell
attributes ``value``, ``value_span``/``span``, ``row_path``, ``col_path``; otherwise from the annex cells
(``report.record.annex.cells``), which is all reportmine has today.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Optional

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import reportmine  # noqa: E402
from reportmine.check import check_report  # noqa: E402

FIELDS = ("doc_number", "title", "region", "year", "campaign")
#: A value stated in 万/亿 units may be stored scaled to the base unit (484.9 万元 -> 4849000 元).
SCALES = {"万元": 10_000, "亿元": 100_000_000, "万人次": 10_000, "万人": 10_000}
Span = tuple[int, int]


# -- reading the parser's output ---------------------------------------------------------------

def _span(x: Any) -> Optional[Span]:
    if x is None:
        return None
    try:
        s, e = x
        return int(s), int(e)
    except (TypeError, ValueError):
        return None


def _get(obj: Any, *names: str) -> Any:
    for n in names:
        v = obj.get(n) if isinstance(obj, dict) else getattr(obj, n, None)
        if v is not None:
            return v
    return None


def system_cells(report) -> list[dict]:
    """Numeric cells of every table the parser found: tables first, then annex cells not already covered."""
    out: list[dict] = []
    tables = _get(report, "tables")
    if tables is None:
        tables = _get(report.record, "tables")
    for ti, table in enumerate(tables or []):
        cells = _get(table, "numeric_cells", "cells") or []
        for c in cells:
            if _get(c, "header", "is_header") is True:
                continue
            value = _get(c, "value")
            span = _span(_get(c, "value_span")) or _span(_get(c, "span"))
            if value is None and _get(c, "numeric", "is_numeric") is False:
                continue
            out.append({"value": value, "unit": _get(c, "unit"), "span": span,
                        "row": _path(_get(c, "row_path", "row")), "col": _path(_get(c, "col_path", "col")),
                        "key": _get(c, "key"), "table": _get(table, "index", "id"), "obj": c})
    for c in report.record.annex.cells:
        span = _span(c.value_span) or _span(c.span)
        if any(o["span"] and span and overlaps(o["span"], span) for o in out):
            continue
        out.append({"value": c.value, "unit": c.unit, "span": span, "row": None, "col": None,
                    "key": c.key, "table": None, "obj": c})
    return out


def _path(x: Any) -> Optional[list[str]]:
    """A header path (list of strings); a bare row/column index is not one."""
    if isinstance(x, str):
        return [x]
    if isinstance(x, (list, tuple)) and all(isinstance(s, str) for s in x):
        return list(x)
    return None


def _table_cells(report, table: Any) -> list[Any]:
    tables = _get(report, "tables")
    if tables is None:
        tables = _get(report.record, "tables")
    tables = list(tables or [])
    same = [t for t in tables if _get(t, "index", "id") == table]
    if not same and isinstance(table, int) and 0 <= table < len(tables):
        same = [tables[table]]
    return [c for t in same for c in (_get(t, "numeric_cells", "cells") or [])]


def alarm_spans(alarm: Any, report) -> list[Span]:
    """Where a contradiction points: its own span and the cells it names as wrong (``cells``, ``spans``).

    The parts a table check added up are not included: an alarm about a total is not a find of an error in
    one of its parts.
    """
    spans = [s for s in (_span(_get(alarm, "span")),) if s]
    for name in ("spans", "cell_spans"):
        spans += [s for s in map(_span, _get(alarm, name) or []) if s]
    for c in _get(alarm, "cells") or []:
        if isinstance(c, int) and _get(alarm, "table") is None:  # an index into the annex cells
            cells = report.record.annex.cells
            s = (_span(cells[c].value_span) or _span(cells[c].span)) if 0 <= c < len(cells) else None
        elif isinstance(c, (int, str)):  # an index or a key in the alarm's table
            tc = _table_cells(report, _get(alarm, "table"))
            hit = [x for x in tc if _get(x, "key") == c] or ([tc[c]] if isinstance(c, int) and 0 <= c < len(tc) else [])
            s = (_span(_get(hit[0], "value_span")) or _span(_get(hit[0], "span"))) if hit else None
        else:
            s = _span(_get(c, "value_span")) or _span(_get(c, "span"))
        spans += [s] if s else []
    return spans


def alarms(result) -> list[Any]:
    """Every contradiction the checker reports (claims, internal checks, table checks), without duplicates."""
    found, seen = [], set()
    groups: list[Iterable] = [getattr(result, "contradicted", [])]
    for name in ("table_checks", "arithmetic", "table_arithmetic"):
        groups.append(c for c in (getattr(result, name, None) or []) if _get(c, "verdict") == "contradicted")
    for group in groups:
        for a in group:
            if id(a) not in seen:
                seen.add(id(a))
                found.append(a)
    return found


def linked_cell_span(claim: Any, report) -> Optional[Span]:
    """The span of the cell a claim is linked to (annex index today, a cell object later)."""
    cell, table = _get(claim, "cell"), _get(claim, "table")
    if table is not None and isinstance(table, (int, str)):  # a cell of a grid table: by key, else by index
        tc = _table_cells(report, table)
        key = _get(claim, "cell_key")
        hit = [x for x in tc if key is not None and _get(x, "key") == key]
        if not hit and isinstance(cell, int) and 0 <= cell < len(tc):
            hit = [tc[cell]]
        return (_span(_get(hit[0], "value_span")) or _span(_get(hit[0], "span"))) if hit else None
    if isinstance(cell, int):
        cells = report.record.annex.cells
        if 0 <= cell < len(cells):
            return _span(cells[cell].value_span) or _span(cells[cell].span)
        return None
    if cell is not None:
        return _span(_get(cell, "value_span")) or _span(_get(cell, "span"))
    return _span(_get(claim, "cell_span"))


def system_fields(report) -> dict:
    rec = report.record
    doc, camp = rec.document, rec.campaign
    return {"doc_number": doc.doc_number, "title": doc.title,
            "region": _get(doc, "region") or camp.region, "year": camp.year, "campaign": camp.name}


# -- comparing -----------------------------------------------------------------------------------

def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _dec(x: Any) -> Optional[Decimal]:
    if x is None:
        return None
    try:
        return Decimal(str(x))
    except InvalidOperation:
        return None


def same_value(gold: dict, value: Any, unit: Optional[str]) -> bool:
    g, v = _dec(gold["value"]), _dec(value)
    if g is None or v is None:
        return g is None and v is None
    if g == v:
        return True
    scale = SCALES.get(gold.get("unit") or "")
    return scale is not None and g * scale == v


def norm(s: Any) -> str:
    return re.sub(r"\s+", "", str(s)) if s is not None else ""


def same_path(gold: list[str], got: Any) -> bool:
    """Header paths agree when the last levels match after removing whitespace (extra outer levels allowed)."""
    if not got:
        return False
    got = [got] if isinstance(got, str) else list(got)
    g = [norm(x) for x in gold]
    s = [norm(x) for x in got]
    return g[-1] == s[-1] or g[-1] in s[-1] or s[-1] in g[-1]


def score_cells(gold: dict, cells: list[dict]) -> dict:
    gcells = [c for t in gold["tables"] for c in t["cells"]]
    numeric = [c for c in gcells if c["value"] is not None]
    na = [c for c in gcells if c["value"] is None]
    used: set[int] = set()
    right, wrong, paths, path_known, missed, wrong_list = 0, 0, 0, 0, [], []
    for g in numeric:
        gs = tuple(g["span"])
        here = [i for i, c in enumerate(cells) if c["span"] and overlaps(c["span"], gs)]
        if not here:  # a cell without a span: match by value (and path when the parser gives one)
            here = [i for i, c in enumerate(cells) if not c["span"] and i not in used
                    and same_value(g, c["value"], c["unit"])
                    and (c["row"] is None or same_path(g["row"], c["row"]))]
            here = here[:1]
        if not here:
            missed.append(g)
            continue
        best = next((i for i in here if same_value(g, cells[i]["value"], cells[i]["unit"])), here[0])
        used.update(here)
        c = cells[best]
        if same_value(g, c["value"], c["unit"]):
            right += 1
        else:
            wrong += 1
            wrong_list.append((g, c["value"]))
        if c["row"] is not None or c["col"] is not None:
            path_known += 1
            paths += same_path(g["row"], c["row"]) and same_path(g["col"], c["col"])
    na_ok, na_bad = 0, []
    for g in na:
        gs = tuple(g["span"])
        here = [i for i, c in enumerate(cells) if c["span"] and overlaps(c["span"], gs)]
        used.update(here)
        if any(cells[i]["value"] is not None for i in here):
            na_bad.append((g, [cells[i]["value"] for i in here]))
        else:
            na_ok += 1
    extra = [c for i, c in enumerate(cells) if i not in used]
    return {"cells_right": right, "cells_total": len(numeric), "wrong_values": wrong, "na_ok": na_ok,
            "na_total": len(na), "extra_cells": len(extra), "paths_right": paths, "paths_known": path_known,
            "_missed": missed, "_wrong": wrong_list, "_na_bad": na_bad, "_extra": extra}


def score_document(txt: Path, verbose: bool = False) -> dict:
    gold = json.loads(txt.with_suffix(".gold.json").read_text(encoding="utf-8"))
    row: dict[str, Any] = {"document": txt.stem, "set": gold.get("set")}
    try:
        report = reportmine.parse(txt)
        result = check_report(report)
    except Exception as exc:  # a crash is a result too: score it as nothing found
        row["error"] = f"{type(exc).__name__}: {exc}"
        print(f"{txt.name}: {row['error']}", file=sys.stderr)
        return row
    row.update(score_cells(gold, system_cells(report)))

    planted = gold["planted_errors"]
    pspans = [[tuple(p["span"])] + [tuple(s) for s in p.get("also_at", [])] for p in planted]
    tspans = [tuple(t["span"]) for t in gold.get("traps", [])]
    found = [False] * len(planted)
    false_alarms, trap_hits = [], 0
    for a in alarms(result):
        spans = alarm_spans(a, report)
        hit = False
        for k, ps in enumerate(pspans):
            if any(overlaps(s, p) for s in spans for p in ps):
                found[k] = hit = True
        if not hit:
            false_alarms.append(a)
            trap_hits += any(overlaps(s, t) for s in spans for t in tspans)
    row.update(planted_found=sum(found), planted_total=len(planted), false_alarms=len(false_alarms),
               traps_tripped=trap_hits,
               _planted_missed=[p for p, f in zip(planted, found) if not f], _false=false_alarms)
    by_kind: dict[str, list[int]] = {}
    for p, f in zip(planted, found):
        by_kind.setdefault(p["kind"], [0, 0])
        by_kind[p["kind"]][0] += f
        by_kind[p["kind"]][1] += 1
    row["planted_by_kind"] = by_kind

    links_right, links_wrong, unlinked_claims = 0, 0, []
    claims = list(getattr(result, "claims", []))
    for cc in gold.get("consistent_claims", []):
        span, cell = tuple(cc["span"]), tuple(cc["cell_span"])
        mine = [c for c in claims if overlaps(tuple(c.span), span)]
        if not mine:
            unlinked_claims.append(cc)
            continue
        good = [c for c in mine if (ls := linked_cell_span(c, report)) and overlaps(ls, cell)
                and c.verdict == "consistent"]
        links_right += bool(good)
        links_wrong += not good
    row.update(links_right=links_right, links_wrong=links_wrong,
               links_total=len(gold.get("consistent_claims", [])), _unlinked=unlinked_claims)

    got = system_fields(report)
    fields = {}
    for f in FIELDS:
        want = gold["document"].get(f)
        fields[f] = (norm(got[f]) == norm(want)) if want is not None else got[f] in (None, "")
    row["fields_right"] = sum(fields.values())
    row["fields_total"] = len(FIELDS)
    row["_fields"] = {f: (gold["document"].get(f), got[f]) for f in FIELDS if not fields[f]}
    row["warnings"] = sorted({w.code for w in report.warnings})

    if verbose:
        explain(row, report)
    return row


def _where(report, span: Span) -> str:
    line, col = report.norm.line_col(span[0]) if hasattr(report.norm, "line_col") else (0, 0)
    return f"{line}:{col}"


def explain(row: dict, report) -> None:
    name = row["document"]
    for g in row["_missed"]:
        print(f"  {name}: cell missed {'/'.join(g['row'])} × {'/'.join(g['col'])} = {g['text']!r}")
    for g, v in row["_wrong"]:
        print(f"  {name}: cell wrong {'/'.join(g['row'])} × {'/'.join(g['col'])}: gold {g['value']}, got {v}")
    for g, vs in row["_na_bad"]:
        print(f"  {name}: not-applicable cell read as {vs}: {'/'.join(g['row'])} × {'/'.join(g['col'])}")
    for c in row["_extra"]:
        sp = c["span"]
        print(f"  {name}: extra cell {c['value']} at {report.text[sp[0]:sp[1]]!r}" if sp else
              f"  {name}: extra cell {c['value']} (no span)")
    for p in row["_planted_missed"]:
        print(f"  {name}: planted {p['kind']} not found: {p['surface']!r} ({p['why']})")
    for a in row["_false"]:
        print(f"  {name}: FALSE ALARM {_get(a, 'explanation') or a!r}")
    for cc in row["_unlinked"]:
        print(f"  {name}: consistent claim not linked: {cc['surface']!r}")
    for f, (want, got) in row["_fields"].items():
        print(f"  {name}: field {f}: gold {want!r}, got {got!r}")


def table(rows: list[dict]) -> str:
    head = ("document", "cells", "wrong", "n/a ok", "extra", "planted", "false alarms (traps)", "links",
            "fields", "warnings")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    tot = dict.fromkeys(("cells_right", "cells_total", "wrong_values", "na_ok", "na_total", "extra_cells",
                         "planted_found", "planted_total", "false_alarms", "traps_tripped", "links_right",
                         "links_total", "fields_right", "fields_total"), 0)
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['document']} | crashed: {r['error']} |" + " |" * (len(head) - 2))
            continue
        for k in tot:
            tot[k] += r[k]
        lines.append(
            f"| {r['document']} | {r['cells_right']}/{r['cells_total']} | {r['wrong_values']} | "
            f"{r['na_ok']}/{r['na_total']} | {r['extra_cells']} | {r['planted_found']}/{r['planted_total']} | "
            f"{r['false_alarms']} ({r['traps_tripped']}) | {r['links_right']}/{r['links_total']} | "
            f"{r['fields_right']}/{r['fields_total']} | {', '.join(r['warnings']) or '—'} |")
    t = tot
    lines.append(f"| **total** | {t['cells_right']}/{t['cells_total']} | {t['wrong_values']} | "
                 f"{t['na_ok']}/{t['na_total']} | {t['extra_cells']} | {t['planted_found']}/{t['planted_total']} | "
                 f"{t['false_alarms']} ({t['traps_tripped']}) | {t['links_right']}/{t['links_total']} | "
                 f"{t['fields_right']}/{t['fields_total']} | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="*", type=Path, default=[ROOT / "tests" / "layouts" / "dev"])
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses, wrong values and false alarms")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = ap.parse_args(argv)
    all_rows = []
    for folder in args.folders:
        docs = sorted(p for p in folder.glob("*.txt") if p.with_suffix(".gold.json").exists())
        if not docs:
            print(f"{folder}: no documents with gold", file=sys.stderr)
            return 2
        rows = [score_document(p, args.verbose) for p in docs]
        all_rows += rows
        if not args.json:
            print(f"\n{folder}\n")
            print(table(rows))
    if args.json:
        clean = [{k: v for k, v in r.items() if not k.startswith("_")} for r in all_rows]
        print(json.dumps(clean, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
