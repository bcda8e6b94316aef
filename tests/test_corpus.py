"""Many files at once: parse_many, its tables, the cache, the batch command, region/year of each document."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import reportmine
import reportmine.corpus as corpus_mod
from reportmine.cli import main
from reportmine.corpus import (CELL_COLUMNS, CHECK_COLUMNS, DOCUMENT_COLUMNS, ENTITY_COLUMNS, ERROR_COLUMNS,
                               EVENT_COLUMNS, find_reports, parse_many)

GARBAGE = b"report \x80\xff\x80\xff" * 30     # neither UTF-8 nor GB18030, no control bytes


@pytest.fixture()
def folder(tmp_path, seed_path):
    """The seed, an empty file, a binary file and undecodable garbage."""
    d = tmp_path / "archive"
    d.mkdir()
    shutil.copy(seed_path, d / "shanghai-2023.txt")
    (d / "empty.txt").write_bytes(b"")
    (d / "image.txt").write_bytes(bytes(range(256)) * 8)
    (d / "garbage.txt").write_bytes(GARBAGE)
    return d


def copies(tmp_path: Path, seed_path: Path, n: int) -> Path:
    d = tmp_path / f"copies{n}"
    d.mkdir()
    for k in range(n):
        shutil.copy(seed_path, d / f"report-{k:02d}.txt")
    return d


# -- tables ------------------------------------------------------------------------------------------

def test_bad_files_are_errors_and_the_seed_is_parsed(folder, gold_annex, gold_document):
    c = parse_many(folder, workers=1, cache=False)
    assert len(c.documents) == 1 and len(c.errors) == 3
    assert list(c.errors.columns) == ERROR_COLUMNS
    reasons = dict(zip(c.errors["file"].map(lambda f: Path(f).name), c.errors["reason"]))
    assert reasons["empty.txt"] == "file is empty"
    assert "binary" in reasons["image.txt"]
    assert "cannot be decoded" in reasons["garbage.txt"]
    assert set(c.errors["stage"]) == {"load"}

    doc = c.documents.iloc[0]
    assert list(c.documents.columns) == DOCUMENT_COLUMNS
    assert doc["doc_id"] == "shanghai-2023" and doc["file"] == str(folder / "shanghai-2023.txt")
    assert doc["doc_number"] == gold_document["doc_number"] == "沪安委办函〔2023〕1号"
    assert (doc["region"], doc["year"], doc["campaign"], doc["edition"]) == ("上海市", 2023, "安全生产月", 22)
    assert doc["issuers"] == gold_document["issuers"] == ["上海市安全生产委员会办公室", "上海市应急管理局"]   # a list
    assert doc["date"] == pd.Timestamp(gold_document["date"]) and doc["date_precision"] == "day"
    assert str(c.documents["date"].dtype) == "datetime64[s]" and doc["template"] == "safety-month-2023-national"
    assert doc["n_cells"] == len(gold_annex["cells"]) and not doc["cached"]

    assert list(c.cells.columns) == CELL_COLUMNS
    assert len(c.cells) == len(gold_annex["cells"])
    assert list(c.cells["value"]) == [g["value"] for g in gold_annex["cells"]]
    row = c.cells.set_index("key").loc["xuanguan.lectures"]
    assert (row["doc_id"], row["region"], row["year"], row["value"], row["unit"]) == ("shanghai-2023", "上海市",
                                                                                       2023, 9216, "场")
    assert str(c.cells["value"].dtype) == "Int64" and str(c.cells["year"].dtype) == "Int64"

    assert list(c.checks.columns[:len(CHECK_COLUMNS)]) == CHECK_COLUMNS
    linked = c.checks[c.checks["key"].notna()]
    assert set(linked["verdict"]) == {"consistent"}
    assert "xuanguan.lectures" in set(linked["key"]) and (c.checks["doc_id"] == "shanghai-2023").all()
    assert list(c.entities.columns[:len(ENTITY_COLUMNS)]) == ENTITY_COLUMNS


def test_no_checks_no_entities(tmp_path, seed_path):
    c = parse_many([seed_path], cache=False, check=False, entities=False)
    assert len(c.documents) == 1 and len(c.cells) == 35
    assert c.checks.empty and list(c.checks.columns) == CHECK_COLUMNS
    assert c.entities.empty and list(c.entities.columns) == ENTITY_COLUMNS


def test_entities_and_events_tables(tmp_path, seed_path):
    c = parse_many([seed_path], workers=1, cache=False, check=False)
    orgs = c.entities[c.entities["label"] == "ORG"]
    assert set(orgs[orgs["text"] == "市应急局"]["canonical"]) == {"上海市应急管理局"}
    assert list(c.events.columns) == EVENT_COLUMNS
    launch = c.events[c.events["name"].str.contains("启动仪式暨")].iloc[0]
    assert (launch["date_iso"], launch["venue"], launch["doc_id"]) == ("2023-05-31", "金山城市沙滩", seed_path.stem)
    assert launch["date"] == pd.Timestamp("2023-05-31") and launch["date_precision"] == "day"
    assert isinstance(launch["organisers"], list)                       # lists stay lists, as in report.events
    dates = c.entities[c.entities["label"] == "DATE"]
    assert str(dates["date"].dtype) == "datetime64[s]" and set(dates["date_precision"]) <= {"day", "month", "year",
                                                                                             "range"}


def test_two_processes_give_the_same_tables_as_one(tmp_path, seed_path):
    d = copies(tmp_path, seed_path, 4)
    (d / "zz-empty.txt").write_bytes(b"")
    one = parse_many(d, workers=1, cache=False, entities=False, duplicates="keep")
    two = parse_many(d, workers=2, cache=False, entities=False, duplicates="keep")
    for name in ("documents", "cells", "checks", "errors"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))
    assert list(two.documents["doc_id"]) == [f"report-{k:02d}" for k in range(4)]
    assert len(two.cells) == 4 * 35 and len(two.errors) == 1


def test_any_executor_runs_the_worker_and_is_left_open(tmp_path, seed_path):
    d = copies(tmp_path, seed_path, 3)
    with cf.ThreadPoolExecutor(2) as pool:
        c = parse_many(d, executor=pool, cache=False, check=False, entities=False, duplicates="keep")
        assert pool.submit(lambda: 1).result() == 1
    assert len(c.documents) == 3 and len(c.cells) == 105


def test_columns_are_typed_and_mixed_values_become_text():
    from reportmine.corpus import _column

    assert str(_column([1, None, 3]).dtype) == "Int64"
    assert str(_column([1, 2.5, None]).dtype) == "Float64"
    assert str(_column([True, None]).dtype) == "boolean"
    mixed = _column(["2023-06-16", 5, None])          # e.g. an entity value: a date or a number
    assert list(mixed[:2]) == ["2023-06-16", "5"] and pd.isna(mixed[2])


def test_packed_rows_give_the_tables_of_unpacked_rows(monkeypatch):
    """The parent keeps each file's rows packed and types a column PACK_ROWS rows at a time (memory); the tables
    must not change by a value or a type, whatever the part size and the order results arrive in, and whether a
    file's tables arrive as rows (the cache) or packed by the worker."""
    import pickle
    import random

    corpus_dir = Path(reportmine.__file__).resolve().parents[1] / "corpus"
    results = [corpus_mod.parse_file(p) for p in sorted(corpus_dir.glob("*.txt"))]
    order = list(range(3 * len(results)))
    random.Random(0).shuffle(order)                 # a pool returns files out of order
    tables = []
    for pack in (10 ** 9, 37):
        monkeypatch.setattr(corpus_mod, "PACK_ROWS", pack)
        collector = corpus_mod._Collector([f"archive/r{k:02d}.txt" for k in range(len(order))])
        for k in order:
            result = pickle.loads(pickle.dumps(results[k % len(results)]))
            if k % 2:                               # packed as a worker of parse_many sends it
                result["packed"] = {name: corpus_mod._pack_table(t) for name, t in result.pop("tables").items()}
            collector.add(k, result, cached=False)
        if pack == 37:
            assert len(collector.entities.files) > 10 and sum(f[1] for f in collector.entities.files) > 10 * 37
        tables.append(collector.corpus(None))
    for name in corpus_mod.TABLES:
        pd.testing.assert_frame_equal(getattr(tables[0], name), getattr(tables[1], name), check_exact=True)
    assert len(tables[1].entities) > 1000 and tables[1].entities["date"].notna().any()


def test_packed_blocks_that_type_differently_are_typed_together(monkeypatch):
    monkeypatch.setattr(corpus_mod, "PACK_ROWS", 2)
    rows = corpus_mod._Rows(["value"])
    rows.add(0, {"columns": ["value"], "rows": [[None], [None]]})           # a block with no value at all
    rows.add(1, {"columns": ["value"], "rows": [[1], [2]]})
    rows.add(2, {"columns": ["value", "roles"], "rows": [[3, None], [2 ** 70, None]]})   # a new column; a huge int
    rows.add(3, {"columns": ["value", "roles"], "rows": [["2023-06-16", ["主办"]]]})   # not packed yet
    keys = {d: (f"d{d}", f"d{d}.txt", None, 2023) for d in range(4)}
    frame = rows.frame(keys)
    pd.testing.assert_extension_array_equal(frame["value"].array, corpus_mod._column(
        [None, None, 1, 2, 3, 2 ** 70, "2023-06-16"]))       # mixed: all as text, the huge int exact
    assert frame["value"].iloc[5] == str(2 ** 70)
    assert list(frame["roles"])[:6] == [None] * 6 and frame["roles"].iloc[6] == ["主办"]
    assert list(frame["doc_id"]) == ["d0", "d0", "d1", "d1", "d2", "d2", "d3"]
    assert str(frame["year"].dtype) == "Int64"
    ints = corpus_mod._Rows(["n"])
    for d in range(5):
        ints.add(d, {"columns": ["n"], "rows": [[d], [None]]})
    assert str(ints.frame({d: ("a", "a", None, None) for d in range(5)})["n"].dtype) == "Int64"


def _frozen_objects(path):
    import gc

    return gc.get_freeze_count()


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="only forked workers inherit objects")
def test_forked_workers_leave_what_they_inherit_to_the_parent(tmp_path):
    """A worker's garbage collector must not walk (and so copy) the objects it shares with the parent."""
    import gc
    from collections import deque

    got = {}
    paths = [str(tmp_path / f"r{k}.txt") for k in range(4)]
    corpus_mod._run_pool(paths, deque(range(4)), _frozen_objects, got.__setitem__, None, 2, None)
    assert len(got) == 4 and all(n > 1000 for n in got.values())   # the parent's objects, frozen in each worker
    assert gc.get_freeze_count() == 0                                # and not in the parent


def test_worker_result_is_plain_picklable_data(seed_path):
    import pickle

    out = corpus_mod.parse_file(seed_path, check=True, entities=False)
    assert pickle.loads(pickle.dumps(out)) == out
    assert out["document"]["doc_number"] == "沪安委办函〔2023〕1号" and out["errors"] == []
    bad = corpus_mod.parse_file(seed_path.parent / "missing.txt")
    assert bad["document"] is None and bad["errors"] == [{"stage": "load", "reason": "file not found"}]


_REAL_PARSE_FILE = corpus_mod.parse_file


def _crash_on_poison(path, check=True, entities=True, **options):
    if Path(path).name.startswith("poison"):
        os._exit(1)                         # the worker process dies, as on a segfault or OOM kill
    return _REAL_PARSE_FILE(path, check=check, entities=entities, **options)


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="patches the worker via fork")
def test_a_file_that_kills_its_worker_is_reported_and_the_rest_parsed(tmp_path, seed_path, monkeypatch):
    d = copies(tmp_path, seed_path, 4)
    shutil.copy(seed_path, d / "poison.txt")
    monkeypatch.setattr(corpus_mod, "parse_file", _crash_on_poison)
    c = parse_many(d, workers=2, cache=False, check=False, entities=False, duplicates="keep")
    assert len(c.documents) == 4
    assert list(c.errors["file"]) == [str(d / "poison.txt")]
    assert c.errors.iloc[0]["stage"] == "worker" and "died" in c.errors.iloc[0]["reason"]


def test_doc_ids_are_stems_made_unique(tmp_path, seed_path, seed_text):
    for sub in ("a", "b", "c"):
        (tmp_path / sub).mkdir()
    shutil.copy(seed_path, tmp_path / "a" / "report.txt")
    shutil.copy(seed_path, tmp_path / "b" / "report.txt")                          # same bytes
    (tmp_path / "c" / "report.txt").write_text(seed_text.replace("9216", "9217"), encoding="utf-8")
    shutil.copy(seed_path, tmp_path / "c" / "other.txt")
    c = parse_many(tmp_path, workers=1, cache=False, check=False, entities=False, duplicates="keep")
    ids = list(c.documents["doc_id"])
    assert ids[0] == "report-" + c.documents["sha256"][0][:8] and ids[1] == ids[0] + "-2"
    assert ids[2] == "other" and ids[3].startswith("report-") and ids[3] != ids[0]
    assert len(set(ids)) == 4
    assert set(c.cells["doc_id"]) == set(ids)


def test_repr_and_html_show_counts_and_documents(folder):
    c = parse_many(folder, workers=1, cache=False, entities=False)
    text = repr(c)
    assert text.startswith("<Corpus: 1 documents, 35 cells,") and "3 errors" in text
    assert "沪安委办函〔2023〕1号" in text and "empty.txt" in text
    page = c._repr_html_()
    assert "1 documents" in page and "shanghai-2023" in page and "<table" in page and "file is empty" in page


def test_progress_bar_on_request(tmp_path, seed_path, capsys):
    parse_many([seed_path], cache=False, check=False, entities=False, progress=True)
    assert "reportmine" in capsys.readouterr().err
    parse_many([seed_path], cache=False, check=False, entities=False)   # auto: off for few files
    assert capsys.readouterr().err == ""


# -- finding files -----------------------------------------------------------------------------------

def test_find_reports(tmp_path, seed_path):
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for name in ("a.txt", "b/deep/c.html", "b/d.HTM", "e.pdf", "notes.md", ".hidden/x.txt", "~$lock.docx",
                 "f.docx"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    names = [os.path.relpath(p, tmp_path) for p in find_reports(tmp_path)]
    assert names == ["a.txt", "b/d.HTM", "b/deep/c.html", "e.pdf", "f.docx"]
    assert find_reports(str(tmp_path / "**" / "*.html")) == [str(tmp_path / "b/deep/c.html")]
    assert find_reports(tmp_path / "a.txt") == [str(tmp_path / "a.txt")]
    assert find_reports([tmp_path / "e.pdf", "missing.txt"]) == [str(tmp_path / "e.pdf"), "missing.txt"]
    with pytest.raises(FileNotFoundError):
        find_reports(tmp_path / "nowhere")
    (tmp_path / "empty-folder").mkdir()
    nothing = parse_many(tmp_path / "empty-folder", cache=False)
    assert nothing.meta["files"] == 0 and nothing.documents.empty and nothing.errors.empty
    assert list(nothing.cells.columns) == CELL_COLUMNS and "0 documents" in repr(nothing)


# -- cache -------------------------------------------------------------------------------------------

def test_second_run_is_served_from_the_cache_and_a_changed_file_is_reparsed(tmp_path, seed_path, seed_text,
                                                                          monkeypatch):
    d = copies(tmp_path, seed_path, 3)
    (d / "empty.txt").write_bytes(b"")
    cache = tmp_path / "cache"
    first = parse_many(d, workers=1, cache=cache, entities=False, duplicates="keep")
    assert not first.documents["cached"].any() and first.meta["parsed"] == 4

    calls: list[str] = []
    real = corpus_mod.parse_file

    def counting(path, **kw):
        calls.append(Path(path).name)
        return real(path, **kw)

    monkeypatch.setattr(corpus_mod, "parse_file", counting)
    second = parse_many(d, workers=1, cache=cache, entities=False, duplicates="keep")
    assert calls == ["empty.txt"]                      # failures are not cached; every report is
    assert second.documents["cached"].all() and second.meta["from_cache"] == 3
    for name in ("cells", "checks", "errors"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))
    pd.testing.assert_frame_equal(first.documents.drop(columns="cached"), second.documents.drop(columns="cached"))

    calls.clear()
    (d / "report-01.txt").write_text(seed_text.replace("宣讲活动(9216)场", "宣讲活动(9999)场"), encoding="utf-8")
    third = parse_many(d, workers=1, cache=cache, entities=False, duplicates="keep")
    assert sorted(calls) == ["empty.txt", "report-01.txt"]
    assert list(third.documents["cached"]) == [True, False, True]
    lectures = third.cells[third.cells["key"] == "xuanguan.lectures"].set_index("doc_id")["value"]
    assert lectures["report-01"] == 9999 and lectures["report-00"] == 9216
    assert not list(cache.rglob(".tmp-*"))             # entries are moved into place, never left half-written


def test_cache_key_covers_options_rules_and_suffix(tmp_path, seed_path, monkeypatch):
    cache = tmp_path / "cache"
    parse_many([seed_path], cache=cache, check=False, entities=False)
    assert parse_many([seed_path], cache=cache, check=False, entities=False).documents["cached"].all()
    with_checks = parse_many([seed_path], cache=cache, check=True, entities=False)
    assert not with_checks.documents["cached"].any() and len(with_checks.checks)

    html = tmp_path / "seed.html"                       # same bytes, read as HTML: not the .txt entry
    shutil.copy(seed_path, html)
    assert not parse_many([html], cache=cache, check=False, entities=False).documents["cached"].any()

    monkeypatch.setattr(corpus_mod, "rules_fingerprint", lambda: "0" * 64)   # a changed template or rule
    assert not parse_many([seed_path], cache=cache, check=False, entities=False).documents["cached"].any()


def test_corrupt_cache_entry_is_a_miss(tmp_path, seed_path):
    cache = tmp_path / "cache"
    parse_many([seed_path], cache=cache, check=False, entities=False)
    (entry,) = cache.rglob("*.json")
    entry.write_text('{"format": 1, "sha256": "', encoding="utf-8")
    again = parse_many([seed_path], cache=cache, check=False, entities=False)
    assert not again.documents["cached"].any() and len(again.cells) == 35
    assert parse_many([seed_path], cache=cache, check=False, entities=False).documents["cached"].all()


def test_default_cache_dir_from_environment(tmp_path, seed_path, monkeypatch):
    monkeypatch.setenv("REPORTMINE_CACHE", str(tmp_path / "envcache"))
    c = parse_many([seed_path], check=False, entities=False)
    assert c.cache_dir == str(tmp_path / "envcache") and list((tmp_path / "envcache").rglob("*.json"))


def test_unwritable_cache_warns_and_the_batch_goes_on(tmp_path, seed_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.warns(RuntimeWarning, match="not writable"):
        c = parse_many([seed_path, seed_path], workers=1, cache=blocker, check=False, entities=False,
                       duplicates="keep")
    assert len(c.documents) == 2 and c.errors.empty


def test_rules_fingerprint_is_stable_hex():
    fp = corpus_mod.rules_fingerprint()
    assert len(fp) == 64 and int(fp, 16) >= 0 and fp == corpus_mod.rules_fingerprint()


# -- saving and the command line -------------------------------------------------------------------

def test_save_xlsx_csv_parquet(folder, tmp_path):
    c = parse_many(folder, workers=1, cache=False, entities=False)
    (xlsx,) = c.save(tmp_path / "out" / "batch.xlsx")
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert list(sheets) == ["summary", "documents", "cells", "checks", "contradictions", "fields", "entities",
                            "events", "duplicates", "errors"]
    assert len(sheets["cells"]) == 35 and len(sheets["errors"]) == 3
    csvs = c.save(tmp_path / "batch.csv")
    assert [p.name for p in csvs] == [f"batch.{t}.csv" for t in corpus_mod.SAVED]
    cells = pd.read_csv(tmp_path / "batch.cells.csv", encoding="utf-8-sig")
    assert list(cells.columns) == CELL_COLUMNS and cells.loc[0, "label"] == "组织开展宣讲活动"
    c.save(tmp_path / "batch.parquet")
    back = pd.read_parquet(tmp_path / "batch.cells.parquet")
    assert list(back["key"]) == list(c.cells["key"]) and back["value"].sum() == c.cells["value"].sum()
    assert len(pd.read_parquet(tmp_path / "batch.entities.parquet")) == 0
    with pytest.raises(ValueError):
        c.save(tmp_path / "batch.json")


def test_cli_batch(folder, tmp_path, capsys):
    out = tmp_path / "result.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "--workers", "1", "--cache", str(tmp_path / "c"),
                 "--no-entities"]) == 0
    io = capsys.readouterr()
    assert io.out.strip().startswith("1 documents, 35 cells,") and "3 errors" in io.out and str(out) in io.out
    assert len(io.out.strip().splitlines()) == 1
    assert "empty.txt" in io.err
    assert list(pd.read_excel(out, sheet_name=None)) == list(corpus_mod.SAVED)

    assert main(["batch", str(folder), "-o", str(tmp_path / "r.csv"), "--no-cache", "--no-check",
                 "--no-entities"]) == 0
    assert "r.{summary,documents,cells,checks,contradictions,fields,entities,events,duplicates,errors}.csv" in \
        capsys.readouterr().out
    assert (tmp_path / "r.documents.csv").exists() and (tmp_path / "r.errors.csv").exists()


def test_cli_batch_exit_status(tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    assert main(["batch", str(bad), "-o", str(tmp_path / "x.csv"), "--no-cache"]) == 1     # errors only
    assert "0 documents" in capsys.readouterr().out and (tmp_path / "x.errors.csv").exists()
    (tmp_path / "none").mkdir()
    assert main(["batch", str(tmp_path / "none"), "-o", str(tmp_path / "y.csv"), "--no-cache"]) == 2
    assert "no report files" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "missing"), "-o", str(tmp_path / "y.csv"), "--no-cache"]) == 2
    for wrong in (["-o", str(tmp_path / "y.json")], ["-o", str(tmp_path / "y.csv"), "--workers", "0"]):
        with pytest.raises(SystemExit) as exc:
            main(["batch", str(bad), *wrong])
        assert exc.value.code == 2


# -- region and year of each document ----------------------------------------------------------------

def letter(issuer: str, number: str, title: str = "关于报送安全生产月活动总结的函", date: str = "2022年7月1日") -> str:
    return f"{issuer}文件\n\n{number}\n\n{title}\n\n应急管理部：\n\n现将有关情况报告如下。\n\n{issuer}\n\n{date}\n"


@pytest.mark.parametrize("number, region", [
    ("沪安委办函〔2022〕1号", "上海市"),
    ("浙安委办函〔2022〕27号", "浙江省"),
    ("川应急函〔2022〕5号", "四川省"),
    ("蜀安办〔2022〕5号", "四川省"),
    ("黔安办函〔2022〕7号", "贵州省"),
    ("滇应急〔2022〕3号", "云南省"),
    ("陇安委办〔2022〕3号", "甘肃省"),
    ("内安委办〔2022〕5号", "内蒙古自治区"),
    ("蒙应急发〔2022〕2号", "内蒙古自治区"),
    ("桂安委办〔2022〕9号", "广西壮族自治区"),
    ("新安办〔2022〕9号", "新疆维吾尔自治区"),
    ("京安办发〔2022〕2号", "北京市"),
    ("港安〔2022〕1号", "香港特别行政区"),
    ("国办函〔2022〕3号", None),           # national, not a region
    ("安委办〔2022〕3号", None),
])
def test_region_from_doc_number_prefix(number, region):
    r = reportmine.parse_text(letter("应急管理厅", number), source="letter.txt")
    assert r.record.document.doc_number == number
    assert r.record.campaign.region == region
    assert r.record.campaign.year == 2022


def test_region_named_in_issuer_or_title_wins_over_doc_number():
    r = reportmine.parse_text(letter("湖南省应急管理厅", "川应急函〔2022〕5号"))
    assert r.record.campaign.region == "湖南省"
    r = reportmine.parse_text(letter("应急管理厅", "川应急函〔2022〕5号", "关于报送宁夏2022年安全生产月活动总结的函"))
    assert r.record.campaign.region == "宁夏回族自治区"


def test_city_doc_number_is_not_read_as_a_province():
    r = reportmine.parse_text(letter("南京市应急管理局", "宁应急函〔2022〕3号"))   # 宁 = 南京 here, not 宁夏
    assert r.record.campaign.region == "江苏省南京市"   # every level has a region: the full division path


def test_year_from_title_in_chinese_numerals_then_date_then_doc_number():
    r = reportmine.parse_text(letter("应急管理厅", "川应急函〔2023〕1号", "关于报送二〇二二年安全生产月活动总结的函",
                                     "2023年1月5日"))
    assert r.record.campaign.year == 2022
    r = reportmine.parse_text(letter("应急管理厅", "粤应急函〔2021〕5号", date=""))
    assert r.record.campaign.year == 2021 and r.record.campaign.region == "广东省"


def test_provinces_table_has_the_34_divisions():
    from reportmine.structure import provinces, region_of, region_of_doc_number

    table = provinces()
    assert len(table) == 34 and len({p.full for p in table}) == 34 and len({p.code for p in table}) == 34
    kinds = {k: sum(p.kind == k for p in table) for k in {p.kind for p in table}}
    assert kinds == {"省": 23, "直辖市": 4, "自治区": 5, "特别行政区": 2}
    chars = [ch for p in table for ch in (*p.abbr, *p.doc_prefix)]
    assert len(chars) == len(set(chars))                # one region per character
    for p in table:
        assert region_of(p.full) == region_of(p.short + "应急管理厅") == p.full
        assert region_of_doc_number(p.abbr[0] + "应急〔2022〕1号") == p.full


def test_find_reports_lists_entries_that_only_look_like_reports(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "folder.txt" / "inner.txt").write_text("x", encoding="utf-8")
    (tmp_path / "plain-folder").mkdir()
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "linked-folder").symlink_to(tmp_path / "plain-folder")       # not followed: no loops
    names = [os.path.relpath(p, tmp_path) for p in find_reports(tmp_path)]
    assert names == ["a.txt", "dangling.txt", "folder.txt", "folder.txt/inner.txt", "loop.txt"]
    assert find_reports(str(tmp_path / "*.txt")) == [str(tmp_path / n) for n in
                                                     ("a.txt", "dangling.txt", "folder.txt", "loop.txt")]
    assert find_reports(tmp_path / "dangling.txt") == [str(tmp_path / "dangling.txt")]


def test_cached_decimals_and_huge_ints_round_trip(tmp_path):
    from decimal import Decimal

    store = corpus_mod.Cache(tmp_path)
    values = [Decimal("1234567890123456.12345678"), 10 ** 30, 1.5, None]
    result = {"file": "r.txt", "sha256": "ab" * 32, "document": {"n_cells": 1}, "errors": [],
              "tables": {"checks": {"columns": ["value"], "rows": [[v] for v in values]}}}
    store.put(result)
    entry = store.get("ab" * 32, ".txt")
    assert [row[0] for row in entry["tables"]["checks"]["rows"]] == values
    assert type(entry["tables"]["checks"]["rows"][0][0]) is Decimal
