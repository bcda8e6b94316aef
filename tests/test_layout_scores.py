"""reportmine on the layout evaluation documents (``tests/layouts``), scored by ``benchmarks/layouts/score.py``.

The documents and gold are the yardstick (``tests/layouts/test_layout_gold.py`` checks them); this runs
the parser and checker on them: every cell right, no link to a wrong cell, no false alarm, and the
share of planted errors found and of consistent figures linked does not fall back.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "tests" / "layouts").glob("*/*.txt"))


def _scorer():
    spec = importlib.util.spec_from_file_location("layout_score", ROOT / "benchmarks" / "layouts" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores() -> dict[str, dict]:
    score = _scorer()
    return {p.stem: score.score_document(p) for p in DOCS}


@pytest.mark.parametrize("name", [p.stem for p in DOCS])
def test_every_cell_right_no_wrong_link_no_false_alarm(scores, name):
    row = scores[name]
    assert row["cells_right"] == row["cells_total"] and row["wrong_values"] == 0
    assert row["links_wrong"] == 0
    assert row["false_alarms"] == 0, row["_false"]


def test_planted_errors_found_and_figures_linked(scores):
    planted = sum(r["planted_found"] for r in scores.values())
    planted_total = sum(r["planted_total"] for r in scores.values())
    links = sum(r["links_right"] for r in scores.values())
    links_total = sum(r["links_total"] for r in scores.values())
    assert planted >= planted_total - 1, [r["_planted_missed"] for r in scores.values() if r["_planted_missed"]]
    assert links >= links_total - 3
