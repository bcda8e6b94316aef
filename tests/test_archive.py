"""The analyst's day: contradictions of every kind in one table, duplicates, one set of types, the check
entry points, the workbook, the command line. Runs on the bundled corpus (no ../shared needed)."""

from __future__ import annotations

import datetime
import json
import shutil
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import reportmine
import reportmine.corpus as corpus_mod
from reportmine.check import check_report
from reportmine.cli import main
from reportmine.corpus import CONTRADICTION_COLUMNS, DuplicateWarning, parse_many

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SHANGHAI = CORPUS / "2023-shanghai-safety-month.txt"
SICHUAN = CORPUS / "2024-sichuan-safety-month.txt"
ZHEJIANG = CORPUS / "2022-zhejiang-safety-month.txt"


def _edit(source: Path, old: str, new: str) -> str:
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Three reports, two byte copies of one (with its contradiction), a corrected edition of another (same 文号, one cell and one prose
    total changed) and a report whose list count is wrong."""
    d = tmp_path_factory.mktemp("archive")
    for p in (SHANGHAI, SICHUAN, ZHEJIANG):
        shutil.copy(p, d / p.name)
    for k in (1, 2):
        (d / f"copy{k}").mkdir()
        shutil.copy(SICHUAN, d / f"copy{k}" / "sichuan.txt")
    corrected = _edit(ZHEJIANG, "相关信息412条", "相关信息212条").replace("警示教育片（ 9354 ）场", "警示教育片（ 9534 ）场")
    (d / "zhejiang-corrected.txt").write_text(corrected, encoding="utf-8")
    enumeration = _edit(SHANGHAI, "执法规范三个方面", "执法规范四个方面").replace("沪安委办函〔2023〕1号", "沪安委办函〔2023〕9号")
    (d / "shanghai-other.txt").write_text(enumeration, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def kept(archive, cache):
    with pytest.warns(DuplicateWarning, match="corpus.unique"):
        return parse_many(archive, workers=2, cache=cache, duplicates="keep")


@pytest.fixture(scope="module")
def dropped(archive, cache, kept):
    with pytest.warns(DuplicateWarning, match="left out of the tables"):
        corpus = parse_many(archive, workers=1, cache=cache)       # from the cache: the same rows, once parsed
    assert corpus.n_cached == len(corpus.documents)
    return corpus


# -- CheckResult.to_frame ----------------------------------------------------------------------------

def test_to_frame_all_has_internal_and_table_checks_with_explanations():
    text = _edit(SICHUAN, "“畅通生命通道”主题信息210条", "“畅通生命通道”主题信息410条")
    result = check_report(reportmine.parse_text(text, source="s.txt"))
    claims = result.to_frame()
    assert set(claims["verdict"]) == {"consistent", "contradicted", "unlinked"}       # a word, never NaN
    assert claims["explanation"].notna().all() and claims["verdict"].notna().all()
    everything = result.to_frame(kind="all")
    assert len(everything) == len(claims) + len(result.internal_checks) + len(result.table_checks)
    assert {"claim", "part_whole", "enumeration"} <= set(everything["kind"])
    bad = result.to_frame(kind="contradicted")
    assert set(bad["verdict"]) == {"contradicted"} and set(bad["kind"]) == {"claim", "part_whole"}
    pw = bad[bad["kind"] == "part_whole"].iloc[0]
    assert (pw["expected"], pw["found"]) == ("530条", "410条 + 150条") and "560 > 530" in pw["explanation"]
    assert text.splitlines()[pw["line"] - 1][pw["column"] - 1:].startswith("530条")
    for col in ("start", "end", "line", "column", "cell", "table"):
        assert str(everything[col].dtype) == "Int64", col
    with pytest.raises(ValueError, match="kind must be one of"):
        result.to_frame(kind="internal")


def test_table_checks_reach_the_frame():
    text = ("关于2023年工作情况的报告\n\n一、总体情况\n全年共检查企业90家。\n\n表1 检查情况\n"
            "类别\t数量\n化工企业\t40\n仓储企业\t30\n合计\t80\n")
    result = check_report(reportmine.parse_text(text, source="t.txt"))
    frame = result.to_frame(kind="all")
    tables = frame[frame["kind"].isin(["total_column", "total_row", "part_row", "stated_rule"])]
    assert len(tables) == len(result.table_checks) >= 1
    assert set(tables["verdict"]) == {c.verdict for c in result.table_checks}
    assert tables["explanation"].notna().all()


# -- reportmine.check / report.check -----------------------------------------------------------------

def test_check_is_callable_after_import_and_still_a_module():
    import importlib

    by_path = reportmine.check(SICHUAN)
    report = reportmine.parse(SICHUAN)
    assert by_path.outcome == reportmine.check(report).outcome == report.check().outcome == "contradicted"
    assert reportmine.check.check(str(SICHUAN)).outcome == "contradicted"
    assert reportmine.check.check_report is check_report
    module = importlib.import_module("reportmine.check")
    import reportmine.check as as_module
    assert as_module is module is reportmine.check and callable(module)


def test_check_works_in_a_fresh_interpreter():
    import subprocess

    code = ("import reportmine; r = reportmine.check(%r); print(r.outcome);"
            "from reportmine.check import CheckResult; import reportmine.check as m; print(m.check_report.__name__)"
            % str(SICHUAN))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["contradicted", "check_report"]


# -- records -----------------------------------------------------------------------------------------

def test_unknown_cell_key_suggests_close_keys():
    record = reportmine.parse(SHANGHAI).record
    with pytest.raises(KeyError, match="did you mean 'xuanguan.lectures'"):
        record.cell("lectures")
    with pytest.raises(KeyError, match="keys are like"):
        record.cell("zzzz")


def test_frames_have_item_titles_named_fields_and_the_reporter(dropped):
    record = reportmine.parse(SHANGHAI).record
    frame = record.to_frame()
    row = frame.set_index("key").loc["xuanguan.lectures"]
    assert row["item_title"] == record.annex.items[0].title
    fields = record.fields_frame()
    assert list(fields["label"]) == [f.label for f in record.annex.named_fields] and len(fields)
    assert fields["item_title"].notna().all()
    doc = dropped.documents.set_index("doc_id").loc["2023-shanghai-safety-month"]
    reporter = record.annex.reporter
    assert (doc["reporter_org"], doc["reporter_contact"], doc["reporter_phone"]) == (reporter.org, reporter.contact,
                                                                                    reporter.phone)
    assert doc["reporter_date"] == pd.Timestamp(reporter.date)
    assert set(dropped.fields["doc_id"]) >= {"2023-shanghai-safety-month"}
    assert dropped.cells["item_title"].notna().any()


# -- duplicates --------------------------------------------------------------------------------------

def test_duplicates_are_marked_and_left_out_by_default(kept, dropped):
    dups = kept.documents.set_index("doc_id")["duplicate_of"].dropna()
    assert sorted(dups) == ["2022-zhejiang-safety-month", "2024-sichuan-safety-month",
                            "2024-sichuan-safety-month"]
    reasons = dict(zip(kept.duplicates["doc_id"], kept.duplicates["reason"]))
    assert reasons["zhejiang-corrected"] == "same 文号, issuers and year"
    assert sum(r == "same content (sha256)" for r in reasons.values()) == 2
    assert len(dropped.documents) == len(kept.documents) - 3 and dropped.documents["duplicate_of"].isna().all()
    for name in ("cells", "checks", "entities", "events", "fields"):
        assert not set(getattr(dropped, name)["doc_id"]) & set(dups.index), name
    pd.testing.assert_frame_equal(kept.unique().cells, dropped.cells)
    assert "3 duplicates left out" in dropped.summary() and "3 duplicates" in kept.summary()
    # counting organisations per distinct report: the copies no longer count
    orgs = dropped.entities[dropped.entities["label"] == "ORG"]
    assert orgs.groupby("canonical")["doc_id"].nunique().max() <= len(dropped.documents)


def test_the_same_report_in_another_format_is_a_duplicate(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in SHANGHAI.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line.replace("\t", " "))
    document.save(tmp_path / "shanghai.docx")
    shutil.copy(SHANGHAI, tmp_path / "shanghai.txt")
    with pytest.warns(DuplicateWarning):
        c = parse_many(tmp_path, workers=1, cache=False, entities=False, duplicates="keep")
    assert list(c.documents["duplicate_of"].isna()) == [False, True] or list(c.documents["duplicate_of"].isna()) == \
        [True, False]
    assert c.duplicates.iloc[0]["reason"] in ("same 文号, issuers and year", "same content (sha256)")


def test_no_duplicates_no_warning(tmp_path):
    shutil.copy(SHANGHAI, tmp_path / "a.txt")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DuplicateWarning)
        c = parse_many(tmp_path, workers=1, cache=False, entities=False)
    assert c.duplicates.empty and c.unique() is c
    with pytest.raises(ValueError, match="duplicates"):
        parse_many(tmp_path, duplicates="maybe")


# -- contradictions ----------------------------------------------------------------------------------

def test_contradictions_of_every_kind_in_one_table(kept, dropped):
    c = dropped.contradictions
    assert list(c.columns) == CONTRADICTION_COLUMNS
    kinds = set(zip(c["doc_id"], c["kind"]))
    assert ("2024-sichuan-safety-month", "claim") in kinds                    # 1.2万余场 vs 9876场
    assert ("shanghai-other", "enumeration") in kinds                         # 四个方面, three listed
    assert ("zhejiang-corrected", "part_whole") in kinds                      # a duplicate's own finding stays
    assert ("zhejiang-corrected", "across_documents") in kinds               # 9534 vs 9354 in the original
    across = c[c["kind"] == "across_documents"].iloc[0]
    assert (across["expected"], across["found"], across["other_doc"]) == ("9354 场", "9534 场",
                                                                           "2022-zhejiang-safety-month")
    assert across["line"] > 0 and across["column"] > 0 and "9534" in across["explanation"]
    assert c["explanation"].notna().all() and c["line"].notna().all()
    for col in ("year", "line", "column", "start", "end"):
        assert str(c[col].dtype) == "Int64"
    # byte copies add nothing: their findings are their original's
    assert not c["doc_id"].str.startswith("sichuan-").any()
    assert len(kept.contradictions) == len(c) + 2 and kept.contradictions["doc_id"].str.startswith("sichuan-").sum() == 2
    counts = dropped.summary_frame().set_index("doc_id")
    assert counts.loc["2024-sichuan-safety-month", "claim"] == 1
    assert counts.loc["shanghai-other", "enumeration"] == 1


def test_summary_counts_linked_unlinked_and_contradictions_apart(dropped):
    line = dropped.summary()
    linked = int(dropped.checks["verdict"].isin(["consistent", "contradicted"]).sum())
    unlinked = int((dropped.checks["verdict"] == "unlinked").sum())
    assert f"{linked} linked figures, {unlinked} unlinked, {len(dropped.contradictions)} contradictions" in line


# -- one set of types --------------------------------------------------------------------------------

def test_report_and_archive_frames_share_types(dropped):
    report = reportmine.parse(SHANGHAI)
    for mine, archived in ((report.entities, dropped.entities), (report.events, dropped.events),
                           (report.check().to_frame(), dropped.checks), (report.record.to_frame(), dropped.cells)):
        for col in mine.columns:
            if col not in archived.columns or not len(mine[col].dropna()) or col == "source":
                continue
            if str(mine[col].dtype) in ("Int64", "Float64"):      # whole numbers in one report, decimals in another
                assert str(archived[col].dtype) in ("Int64", "Float64"), col
            else:
                assert str(mine[col].dtype) == str(archived[col].dtype), col
    ents = dropped.entities
    assert isinstance(ents.loc[ents["label"] == "PERSON", "roles"].iloc[0], list)
    dates = ents[ents["label"] == "DATE"]
    assert set(dates["date_precision"]) <= {"day", "month", "year", "range"}
    open_range = dates[dates["value"] == "2020/.."].iloc[0]
    assert open_range["date"] == pd.Timestamp("2020-01-01") and pd.isna(open_range["date_end"])
    month = dates[dates["value"] == "2023-02"].iloc[0]
    assert (month["date"], month["date_end"], month["date_precision"]) == (pd.Timestamp("2023-02-01"),
                                                                           pd.Timestamp("2023-02-28"), "month")
    assert isinstance(dropped.documents["issuers"].iloc[0], list)
    assert str(dropped.documents["date"].dtype) == "datetime64[s]"
    assert str(dropped.cells["value"].dtype) == "Int64" and str(dropped.checks["cell"].dtype) == "Int64"


def test_lists_are_lists_in_parquet_and_text_in_csv(dropped, tmp_path):
    dropped.save(tmp_path / "t.parquet")
    docs = pd.read_parquet(tmp_path / "t.documents.parquet")
    assert list(docs["issuers"].iloc[0]) == dropped.documents["issuers"].iloc[0]
    assert str(docs["date"].dtype).startswith("datetime64")
    dropped.save(tmp_path / "t.csv")
    csv = pd.read_csv(tmp_path / "t.documents.csv", encoding="utf-8-sig")
    assert csv["issuers"].iloc[0] == "、".join(dropped.documents["issuers"].iloc[0])
    assert csv["date"].iloc[0] == dropped.documents["date"].iloc[0].strftime("%Y-%m-%d")


# -- the workbook ------------------------------------------------------------------------------------

def test_workbook_summary_first_and_formatted(dropped, tmp_path):
    from openpyxl import load_workbook

    (out,) = dropped.save(tmp_path / "a.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "summary" and "contradictions" in wb.sheetnames
    summary = pd.read_excel(out, sheet_name="summary")
    assert list(summary["doc_id"])[:len(dropped.documents)] == list(dropped.documents["doc_id"])
    assert list(summary["doc_id"])[len(dropped.documents):] == ["zhejiang-corrected"]    # a duplicate's findings
    assert summary["contradictions"].sum() == len(dropped.contradictions)
    for name in ("summary", "documents", "contradictions"):
        ws = wb[name]
        assert ws.freeze_panes == "A2" and ws["A1"].font.bold and ws.auto_filter.ref
        assert ws.column_dimensions["A"].width > 8
    ws = wb["documents"]
    header = [c.value for c in ws[1]]
    date = ws.cell(2, header.index("date") + 1)
    assert isinstance(date.value, datetime.datetime) and date.number_format == "yyyy-mm-dd"
    assert isinstance(ws.cell(2, header.index("n_cells") + 1).value, int)
    assert isinstance(ws.cell(2, header.index("issuers") + 1).value, str)


def test_a_missing_writer_is_named_before_any_parsing(tmp_path, monkeypatch, capsys):
    shutil.copy(SHANGHAI, tmp_path / "a.txt")

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed a file before checking the writer")

    monkeypatch.setattr(corpus_mod, "parse_file", no_parsing)
    for module, suffix in (("openpyxl", "xlsx"), ("pyarrow", "parquet")):
        monkeypatch.setitem(sys.modules, module, None)
        assert main(["batch", str(tmp_path), "-o", str(tmp_path / f"out.{suffix}"), "--no-cache"]) == 2
        assert "reportmine[export]" in capsys.readouterr().err
        with pytest.raises(ImportError, match=r"reportmine\[export\]"):
            corpus_mod.require_writer(f"x.{suffix}")
        monkeypatch.delitem(sys.modules, module)


# -- the command line --------------------------------------------------------------------------------

def test_bare_command_prints_help_and_version(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "Exit status" in out and "Examples" in out and "check FILE..." in out
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"reportmine {reportmine.__version__}"


@pytest.mark.parametrize("command", ["parse", "check", "entities", "batch"])
def test_every_command_explains_its_input_and_exit_status(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert "Exit status" in out and ("FILE" in out or "SOURCE" in out)
    assert ".docx" in out and ".pdf" in out


def test_check_several_files_text_and_json(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    assert main(["check", str(SHANGHAI), str(SICHUAN)]) == 1              # the worst: a contradiction
    out = capsys.readouterr().out
    assert "2023-shanghai-safety-month.txt:" in out and "2024-sichuan-safety-month.txt:" in out
    assert main(["check", "--format", "json", str(SHANGHAI), str(SICHUAN), str(missing)]) == 2
    io = capsys.readouterr()
    results = json.loads(io.out)
    assert [r.get("outcome") for r in results] == ["consistent", "contradicted", None]
    assert "file not found" in results[2]["error"] and "missing.txt" in io.err
    assert main(["check", "--format", "json", str(SHANGHAI)]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "consistent"           # one file: one object


def test_batch_keeps_duplicates_on_request(archive, tmp_path, capsys):
    assert main(["batch", str(archive), "-o", str(tmp_path / "k.csv"), "--no-cache", "--no-entities",
                 "--workers", "1", "--keep-duplicates"]) == 0
    assert "(3 duplicates)" in capsys.readouterr().out
    docs = pd.read_csv(tmp_path / "k.documents.csv", encoding="utf-8-sig")
    assert docs["duplicate_of"].notna().sum() == 3


# -- date values as intervals ------------------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reportmine.frames import date_columns, date_interval, typed_array  # noqa: E402

DAYS = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))


@given(DAYS, DAYS)
def test_date_values_become_first_and_last_day(a, b):
    import calendar

    assert date_interval(a.isoformat()) == (a, a, "day")
    y, m = a.year, a.month
    assert date_interval(f"{y:04d}-{m:02d}") == (a.replace(day=1), a.replace(day=calendar.monthrange(y, m)[1]),
                                                 "month")
    assert date_interval(f"{y:04d}") == (datetime.date(y, 1, 1), datetime.date(y, 12, 31), "year")
    lo, hi = sorted((a, b))
    assert date_interval(f"{lo.isoformat()}/{hi.isoformat()}") == (lo, hi, "range")
    assert date_interval(f"{lo.isoformat()}/..") == (lo, None, "range")
    columns = date_columns([a.isoformat(), None])
    assert columns["date"][0] == pd.Timestamp(a) and pd.isna(columns["date"][1])   # year 1 to 9999 fit


@pytest.mark.parametrize("value", ["", "2023-13", "2023-02-30", "abc", "23-01", "2023/xyz", "../2023", None, 2023])
def test_not_a_date_value_is_missing_not_guessed(value):
    assert date_interval(value) == (None, None, None)


def test_one_typing_rule():
    import numpy as np

    assert str(typed_array([np.int64(3), None]).dtype) == "Int64"
    assert list(typed_array([["a"], None])) == [["a"], None]
    assert str(typed_array([datetime.date(2023, 1, 2), None]).dtype) == "datetime64[s]"
    huge = typed_array([10 ** 30, None])
    assert str(huge.dtype) == "object" and huge[0] == 10 ** 30


def test_two_offices_of_one_region_are_not_compared(tmp_path):
    """Another office's report on the same region and year may rightly count differently: no alarm."""
    shutil.copy(SHANGHAI, tmp_path / "a.txt")
    other = (SHANGHAI.read_text(encoding="utf-8").replace("上海市应急管理局", "上海市教育委员会")
             .replace("沪安委办函〔2023〕1号", "沪教委函〔2023〕3号").replace("（ 33807 ）场", "（ 120 ）场"))
    (tmp_path / "b.txt").write_text(other, encoding="utf-8")
    c = parse_many(tmp_path, workers=1, cache=False, entities=False)
    assert len(c.documents) == 2 and c.duplicates.empty
    assert (c.contradictions["kind"] != "across_documents").all()
    same_office = other.replace("上海市教育委员会", "上海市应急管理局")
    (tmp_path / "b.txt").write_text(same_office, encoding="utf-8")
    c = parse_many(tmp_path, workers=1, cache=False, entities=False)
    across = c.contradictions[c.contradictions["kind"] == "across_documents"]
    assert list(across["key"]) == ["drills.enterprise_drills"] and list(across["found"]) == ["120 场"]
