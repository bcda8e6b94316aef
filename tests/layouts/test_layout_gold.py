"""The layout evaluation documents and their gold agree with each other (format in tests/layouts/README.md).

These tests do not run reportmine: they check the yardstick, so that a score from
``benchmarks/layouts/score.py`` measures the parser and not a typo in the gold.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DIVISIONS = HERE.parents[1] / "reportmine" / "data" / "divisions.tsv"
GOLDS = sorted(HERE.glob("*/*.gold.json"))
KINDS = {"prose_vs_table", "table_arithmetic", "part_whole", "enumeration"}
FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
NOT_APPLICABLE = {"—", "-", "/", "", "－", "——"}


def cell_value(text: str):
    s = text.translate(FULL_WIDTH).replace(",", "").strip()
    if s in NOT_APPLICABLE:
        return None
    return Decimal(s)


def load(path: Path) -> tuple[dict, str]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    txt = path.with_name(path.name.replace(".gold.json", ".txt"))
    return gold, txt.read_text(encoding="utf-8")


def located(text: str, item: dict) -> None:
    """``surface`` is at ``span``; it is unique in the file or its ``occurrence`` index is right."""
    s, e = item["span"]
    assert text[s:e] == item["surface"], (item["surface"], text[s:e])
    starts = [m.start() for m in re.finditer(re.escape(item["surface"]), text)]
    if "occurrence" in item:
        assert starts[item["occurrence"]] == s, item["surface"]
    else:
        assert starts == [s], f"{item['surface']!r} occurs {len(starts)} times and has no occurrence index"


def overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def all_cells(gold: dict) -> dict[tuple[int, int], dict]:
    return {tuple(c["span"]): dict(c, table=t["id"]) for t in gold["tables"] for c in t["cells"]}


def test_there_are_dev_and_heldout_documents():
    sets = [p.parent.name for p in GOLDS]
    assert sets.count("dev") >= 4 and sets.count("heldout") >= 2, sets


@pytest.mark.parametrize("path", GOLDS, ids=lambda p: p.parent.name + "/" + p.name)
def test_document_and_fields(path: Path):
    gold, text = load(path)
    assert gold["source"] == path.name.replace(".gold.json", ".txt")
    assert gold["set"] == path.parent.name
    assert 2000 <= len(text.encode("utf-8")) <= 6144, "evaluation documents are kept to 2-6 KB"
    doc = gold["document"]
    assert set(doc) >= {"doc_number", "title", "region", "year", "campaign"}
    if doc["doc_number"]:
        assert doc["doc_number"] in text
    assert re.sub(r"\s", "", doc["title"]) in re.sub(r"\s", "", text)
    assert str(doc["year"]) in doc["title"]


@pytest.mark.parametrize("path", GOLDS, ids=lambda p: p.parent.name + "/" + p.name)
def test_region_is_a_full_division_path(path: Path):
    gold, text = load(path)
    region = gold["document"]["region"]
    rows = [line.split("\t") for line in DIVISIONS.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith(("#", "adcode"))]
    cities = {r[0][:4]: r[1] for r in rows if r[2] == "city"}
    paths = set()
    for code, name, level, province, *_ in rows:
        if level == "province":
            paths.add(name)
        elif level == "city":
            paths.add(province + name)
        elif level == "county":
            paths.add(province + cities.get(code[:4], "") + name)  # no city level under 北京市 etc.
    assert region in paths, region


@pytest.mark.parametrize("path", GOLDS, ids=lambda p: p.parent.name + "/" + p.name)
def test_cells_are_where_the_gold_says(path: Path):
    gold, text = load(path)
    spans = []
    for table in gold["tables"]:
        assert table["cells"], table["id"]
        if table["kind"] == "fill_in_form":
            assert len(table["cells"]) == 35  # the national 统计表
        for c in table["cells"]:
            s, e = c["span"]
            assert text[s:e] == c["text"], (c, text[s:e])
            want = cell_value(c["text"])
            assert (c["value"] is None) == (want is None)
            if want is not None:
                assert Decimal(str(c["value"])) == want, c
                assert c["unit"], c
            assert c["row"] and c["col"] and all(isinstance(x, str) and x for x in c["row"] + c["col"])
            spans.append((s, e))
    spans.sort()
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "cells overlap"


@pytest.mark.parametrize("path", GOLDS, ids=lambda p: p.parent.name + "/" + p.name)
def test_planted_errors_claims_and_traps(path: Path):
    gold, text = load(path)
    cells = all_cells(gold)
    planted = gold["planted_errors"]
    assert 3 <= len(planted) <= 5
    assert len({p["kind"] for p in planted}) >= 3
    for p in planted:
        assert p["kind"] in KINDS and p["why"]
        located(text, p)
        if p["kind"] == "prose_vs_table":
            cell = cells[tuple(p["cell_span"])]
            assert (cell["row"], cell["col"], cell["value"]) == (p["row"], p["col"], p["cell_value"])
            assert not overlaps(p["span"], p["cell_span"]), "a prose claim is outside the table"
        if p["kind"] == "table_arithmetic":
            cell = cells[tuple(p["span"])]  # the wrong cell itself
            assert (cell["row"], cell["col"]) == (p["row"], p["col"])
        for s in p.get("also_at", []):
            assert tuple(s) in cells
    for a, b in zip(planted, planted[1:]):
        assert not overlaps(a["span"], b["span"])
    for c in gold["consistent_claims"]:
        located(text, c)
        cell = cells[tuple(c["cell_span"])]
        assert (cell["row"], cell["col"], cell["value"], cell["table"]) == (c["row"], c["col"], c["cell_value"],
                                                                             c["table"])
        assert not any(overlaps(c["span"], p["span"]) for p in planted)
    assert gold["traps"]
    for t in gold["traps"]:
        located(text, t)
        assert t["kind"] and t["why"]
        assert not any(overlaps(t["span"], p["span"]) for p in planted), "a trap overlaps a planted error"
