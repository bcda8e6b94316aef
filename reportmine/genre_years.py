"""Across years: what one report of an issuer carries forward, the next year's report must carry over.

For a genre whose file has a ``carry`` entry (the 年报: ``结转下年度继续办理`` of year N = ``上年结转`` of year
N+1, column by column), :func:`carry_over_mismatches` compares consecutive years of the same issuer in the
tidy tables of :func:`reportmine.parse_many` (``corpus.documents`` and ``corpus.cells``) and returns one row per
cell that disagrees — the shape ``corpus.contradictions`` collects. The issuer is read from the title with the
genre's ``issuer_patterns``; a blank cell counts as nothing (as in the rules), and a pair with no number on
either side is not compared.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from .genres import genres, issuer_and_year

__all__ = ["carry_over_mismatches", "carry_over_rows", "carry_over_contradictions", "CARRY_COLUMNS"]

#: Columns of :func:`carry_over_mismatches`.
CARRY_COLUMNS = ["doc_id", "file", "region", "year", "kind", "key", "value", "other_doc_id", "other_file",
                 "other_year", "other_key", "other_value", "issuer", "verdict", "explanation"]


def _issuer(title: Any) -> str | None:
    if not isinstance(title, str):
        return None
    for g in genres():
        if g.data.get("carry"):
            issuer, _ = issuer_and_year(g, title)
            if issuer:
                return issuer
    return None


def _num(v: Any) -> Decimal | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    try:
        return Decimal(str(v))
    except Exception:  # noqa: BLE001 - pandas NA and the like
        return None


def _show(v: Decimal | None) -> str:
    if v is None:
        return "—"
    return str(int(v)) if v == v.to_integral_value() else format(v.normalize(), "f")


def carry_over_rows(docs: Iterable[dict]) -> list[dict]:
    """Mismatches among plain documents ``{doc_id, file, region, year, title, cells: {key: value}}``."""
    specs = [g.data["carry"] for g in genres() if g.data.get("carry")]
    by_issuer: dict[str, list[dict]] = {}
    for d in docs:
        issuer = _issuer(d.get("title"))
        year = d.get("year")
        if issuer is None or year is None or year != year:
            continue
        by_issuer.setdefault(issuer, []).append(d)
    out: list[dict] = []
    for issuer, items in by_issuer.items():
        years: dict[int, list[dict]] = {}
        for d in items:
            years.setdefault(int(d["year"]), []).append(d)
        for year in sorted(years):
            if year + 1 not in years:
                continue
            for before in years[year]:
                for after in years[year + 1]:
                    for spec in specs:
                        for col in spec["cols"]:
                            k1, k2 = f"{spec['previous']}/{col}", f"{spec['next']}/{col}"
                            if k1 not in before["cells"] or k2 not in after["cells"]:
                                continue
                            a, b = _num(before["cells"][k1]), _num(after["cells"][k2])
                            if a is None and b is None or (a or 0) == (b or 0):
                                continue
                            out.append({
                                "doc_id": after["doc_id"], "file": after.get("file"), "region": after.get("region"),
                                "year": year + 1, "kind": "carry_over", "key": k2, "value": b,
                                "other_doc_id": before["doc_id"], "other_file": before.get("file"),
                                "other_year": year, "other_key": k1, "other_value": a, "issuer": issuer,
                                "verdict": "contradicted",
                                "explanation": f"{issuer}: the {year + 1} report carries over {_show(b)} "
                                               f"({k2}) but the {year} report carried {_show(a)} forward ({k1})"})
    return out


def carry_over_mismatches(documents, cells):
    """One row per cross-year mismatch among the reports of ``corpus.documents`` / ``corpus.cells``
    (a DataFrame with :data:`CARRY_COLUMNS`; empty when every consecutive pair agrees)."""
    import pandas as pd

    wanted = {f"{s['previous']}/{c}" for g in genres() if (s := g.data.get("carry")) for c in s["cols"]} | \
             {f"{s['next']}/{c}" for g in genres() if (s := g.data.get("carry")) for c in s["cols"]}
    values: dict[str, dict[str, Any]] = {}
    if len(cells):
        sub = cells[cells["key"].isin(wanted)]
        for doc_id, key, value in zip(sub["doc_id"], sub["key"], sub["value"]):
            values.setdefault(doc_id, {})[key] = value
    docs = []
    if len(documents):
        for row in documents[["doc_id", "file", "region", "year", "title"]].itertuples(index=False, name=None):
            doc_id, file, region, year, title = row
            if doc_id in values:
                docs.append({"doc_id": doc_id, "file": file, "region": region,
                             "year": None if year is None or year != year else int(year), "title": title,
                             "cells": values[doc_id]})
    return pd.DataFrame(carry_over_rows(docs), columns=CARRY_COLUMNS)


def carry_over_contradictions(documents, cells) -> list[dict]:
    """The mismatches of :func:`carry_over_mismatches` as rows of ``corpus.contradictions`` (kind
    ``across_documents``: the same issuer's reports of consecutive years), pointing at the later report's cell."""
    mismatches = carry_over_mismatches(documents, cells)
    if not len(mismatches):
        return []
    where: dict[tuple[str, str], dict] = {}
    wanted = set(mismatches["key"])
    if len(cells):
        sub = cells[cells["key"].isin(wanted)]
        cols = [c for c in ("doc_id", "key", "line", "column", "start", "end", "table") if c in sub.columns]
        for r in sub[cols].to_dict("records"):
            where[(r["doc_id"], r["key"])] = r
    rows = []
    for m in mismatches.to_dict("records"):
        at = where.get((m["doc_id"], m["key"]), {})
        rows.append({"doc_id": m["doc_id"], "file": m["file"], "region": m["region"], "year": m["year"],
                     "kind": "across_documents", "surface": m["key"], "expected": _show(m["other_value"]),
                     "found": _show(m["value"]), "explanation": m["explanation"],
                     "line": at.get("line"), "column": at.get("column"), "start": at.get("start"),
                     "end": at.get("end"), "key": m["key"], "table": at.get("table"), "other_doc": m["other_doc_id"]})
    return rows
