"""The command line as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from reportmine.cli import display_width, format_table, main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportmine", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_parse_json_uses_gold_field_names(seed_path, gold_annex, gold_document):
    out = run("parse", str(seed_path), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["document"]["doc_number"] == gold_document["doc_number"]
    assert data["campaign"] == gold_document["campaign"]
    assert [c["value"] for c in data["annex"]["cells"]] == [c["value"] for c in gold_annex["cells"]]
    assert data["annex"]["reporter"]["phone"] == gold_annex["reporter"]["phone"]


def test_parse_table_and_csv(seed_path, capsys, gold_annex):
    assert main(["parse", str(seed_path)]) == 0
    table = capsys.readouterr().out
    assert "沪安委办函〔2023〕1号" in table and "xuanguan.lectures" in table and "9216" in table
    assert main(["parse", str(seed_path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(gold_annex["cells"])
    assert rows[0]["key"] == "xuanguan.lectures" and rows[0]["value"] == "9216"


def test_unusable_input_exits_2_with_one_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for path in (empty, tmp_path / "missing.txt"):
        out = run("parse", str(path))
        assert out.returncode == 2
        assert str(path) in out.stderr and "Traceback" not in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1


def test_table_aligns_chinese_by_display_width():
    text = format_table(["label", "value"], [("参与", 781937), ("answers", 5)], right=(1,))
    lines = text.splitlines()
    assert display_width("参与") == 4
    assert display_width(lines[2]) == display_width(lines[3]) == display_width(lines[1])
