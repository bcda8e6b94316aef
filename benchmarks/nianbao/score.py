"""Score reportmine on the 年报 evaluation documents of this folder: cells, planted errors found, false alarms.

``python benchmarks/nianbao/score.py`` prints one line per document and the totals. A planted error counts as found
when an alarm points at it: a contradicted statement or percentage at its prose surface, a contradicted rule
(or generic table check) over one of its cells, a questionable claim of its id, a warning naming its garbled
row, a cross-year mismatch on its key. Every other contradicted or questionable item is a false alarm — except
an alarm over a cell a planted table error changed (a prose figure restating that cell now disagrees too).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[2] / "tests" / "nianbao"    # the invented 年报 and their gold
sys.path.insert(0, str(HERE.parents[1]))

import reportmine  # noqa: E402
from reportmine.check import check_report  # noqa: E402
from reportmine.genre_years import carry_over_mismatches  # noqa: E402

SUFFIXES = (".txt", ".docx", ".html")


def documents() -> list[tuple[Path, dict]]:
    out = []
    for gold_path in sorted(HERE.glob("*.gold.json")):
        stem = gold_path.name[:-len(".gold.json")]
        doc = next(p for s in SUFFIXES if (p := HERE / f"{stem}{s}").exists())
        out.append((doc, json.loads(gold_path.read_text(encoding="utf-8"))))
    return out


def locate(text: str, item: dict) -> tuple[int, int] | None:
    surface = item["surface"]
    if "after" in item:
        at = text.find(item["after"] + surface)
        return (at + len(item["after"]), at + len(item["after"]) + len(surface)) if at >= 0 else None
    starts, pos = [], 0
    while (at := text.find(surface, pos)) >= 0:
        starts.append(at)
        pos = at + 1
    k = item.get("occurrence", 0)
    return (starts[k], starts[k] + len(surface)) if len(starts) > k else None


def inside(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def score_one(path: Path, gold: dict, cross: list[dict]) -> dict:
    report = reportmine.parse(path)
    result = check_report(report)
    g = report.record.genre
    cells = {c.key: c for c in g.cells} if g else {}
    right = sum(1 for k, v in gold["cells"].items() if k in cells and cells[k].value == v
                and (v is not None or cells[k].status == "blank"))
    planted = gold["planted"]
    spans = [locate(report.text, p) if "surface" in p else None for p in planted]
    bad_cells = {k for p in planted if p["kind"] == "rule" for k in p["cells"]}
    bad_spans = {tuple(cells[k].span) for k in bad_cells if k in cells and cells[k].span}
    grid = {c.key: tuple(c.span) for t in report.record.tables for c in t.cells}
    found = [False] * len(planted)
    false_alarms = []
    alarms = list(result.contradicted) + list(result.questionable)
    for a in alarms:
        a_span = tuple(getattr(a, "span", ()) or ())
        a_cells = set(getattr(a, "cells", []) or [])
        a_kind = getattr(a, "kind", "claim")
        part_spans = {grid.get(k) for k in (getattr(a, "parts", []) or []) if isinstance(k, str)}
        if a_kind in ("total_column", "total_row", "part_row", "stated_rule") and (part_spans | {a_span}) & bad_spans:
            a_cells = a_cells | bad_cells
        a_id = getattr(a, "id", None)
        hit = False
        for i, (p, s) in enumerate(zip(planted, spans)):
            if p["kind"] in ("statement", "percent") and inside(a_span, s):
                found[i] = hit = True
            elif p["kind"] == "rule" and (a_cells & set(p["cells"]) or a_span in bad_spans):
                found[i] = hit = True
            elif p["kind"] == "qualitative" and a_kind == "qualitative" and a_id == p["id"]:
                found[i] = hit = True
        if not hit and a_cells & bad_cells:
            hit = True                                  # restates a cell a planted error changed
        if not hit:
            false_alarms.append(getattr(a, "explanation", str(a)))
    for i, p in enumerate(planted):
        if p["kind"] == "unaligned":
            found[i] = any(w.code == "genre_row_unaligned" and p["row"] in w.message for w in report.warnings)
        elif p["kind"] == "cross_year":
            found[i] = any(r["key"] == p["key"] and path.stem == r["doc_id"] for r in cross)
    fields_ok = bool(g) and g.genre == gold["genre"] and g.template == gold["template"] and \
        g.issuer == gold["issuer"] and g.year == gold["year"] and ("level" not in gold or g.level == gold["level"])
    return {"doc": path.name, "fields": fields_ok, "cells": f"{right}/{len(gold['cells'])}",
            "found": f"{sum(found)}/{len(planted)}", "missed": [p for p, f in zip(planted, found) if not f],
            "false_alarms": false_alarms, "right": right, "n_cells": len(gold["cells"]), "n_found": sum(found),
            "n_planted": len(planted)}


def score_all() -> list[dict]:
    docs = documents()
    corpus = reportmine.parse_many([str(p) for p, _ in docs], workers=1, cache=False, entities=False,
                                   check=False, progress=False)
    cross = carry_over_mismatches(corpus.documents, corpus.cells).to_dict("records")
    return [score_one(p, g, cross) for p, g in docs]


def main() -> None:
    rows = score_all()
    for r in rows:
        print(f"{r['doc']:45} fields {'ok' if r['fields'] else 'WRONG':5} cells {r['cells']:>7} "
              f"planted found {r['found']:>5} false alarms {len(r['false_alarms'])}")
        for m in r["missed"]:
            print(f"    missed: {m['kind']} {m.get('id') or m.get('cells') or m.get('key') or m.get('row')}: {m['why']}")
        for f in r["false_alarms"]:
            print(f"    FALSE: {f}")
    print(f"total: cells {sum(r['right'] for r in rows)}/{sum(r['n_cells'] for r in rows)}, planted found "
          f"{sum(r['n_found'] for r in rows)}/{sum(r['n_planted'] for r in rows)}, false alarms "
          f"{sum(len(r['false_alarms']) for r in rows)}, fields right {sum(r['fields'] for r in rows)}/{len(rows)}")


if __name__ == "__main__":
    main()
