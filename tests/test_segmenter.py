"""Both segmentation backends (jieba, rjieba) give the same tokens, so the same records, claims and entities."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import reportmine
from reportmine import tokens
from reportmine.check import check_report

REPO = Path(__file__).resolve().parents[1]
BUNDLED = sorted((REPO / "corpus").glob("*.txt"))


@pytest.fixture
def restore_backend():
    before = tokens.backend()
    yield
    tokens.use_backend(before)


def _everything(path: Path) -> dict:
    """What a user gets from a report: record, entities, and the checker's verdicts."""
    report = reportmine.parse(path)
    entities = report.entities
    return {"record": report.record.to_dict(), "entities": entities.to_dict("records"),
            "check": check_report(report).to_dict()}


def test_jieba_split_ascii_cuts_runs_as_jieba_does():
    assert tokens.jieba_split_ascii(["电话", "021-23305878", "2023.7.3", "5.12", "30%", "安全"]) == \
        ["电话", "021", "-", "23305878", "2023.7", ".", "3", "5.12", "30%", "安全"]


def test_unknown_backend_is_a_clear_error(monkeypatch):
    with pytest.raises(ValueError, match="jieba, rjieba|rjieba, jieba"):
        tokens.use_backend("pkuseg")


@pytest.mark.parametrize("path", BUNDLED + [REPO.parent / "shared" / "corpus" / "000_532c37f9cf44e412.txt"],
                         ids=lambda p: p.name)
def test_both_backends_give_identical_results(path, restore_backend):
    pytest.importorskip("rjieba", reason="rjieba not installed (pip install reportmine[fast])")
    if not path.exists():
        pytest.skip(f"{path} not found: the seed needs ../shared beside the repository")
    tokens.use_backend("jieba")
    reference = _everything(path)
    text = path.read_text(encoding="utf-8")
    jieba_tokens = tokens.segment(text)
    tokens.use_backend("rjieba")
    assert tokens.segment(text) == jieba_tokens
    assert _everything(path) == reference


def test_the_environment_forces_a_backend():
    pytest.importorskip("rjieba", reason="rjieba not installed (pip install reportmine[fast])")
    code = "from reportmine import tokens; print(tokens.backend())"
    for name in ("jieba", "rjieba"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, tokens.SEGMENTER_ENV: name})
        assert out.stdout.strip() == name
    bad = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, tokens.SEGMENTER_ENV: "nope"})
    assert bad.returncode != 0 and "REPORTMINE_SEGMENTER" in bad.stderr


# Word tags and frequencies are one table read from the dictionary files whatever the backend; that it is
# jieba's own, for every word, is tests/test_cold_start.py::test_cached_tables_are_jiebas_own_tables.
