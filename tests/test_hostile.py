"""Hostile files: each one gives a clean result or a clean error naming the file, never a traceback or a hang.

Empty and invisible-only files, binary and NUL bytes, FIFOs, devices, folders named .txt, broken and
looping links, numbers beyond 64 bits, Big5 bytes, old-Mac and Unicode line breaks, through the CLI
(``parse``, ``check``, ``entities``, ``batch``) and the Python API.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reportmine
import reportmine.corpus as corpus_mod
import reportmine.io as io_mod
from reportmine.check import check_report
from reportmine.cli import main
from reportmine.normalize import normalize

HUGE_PROSE = "超过9999999999999999亿场"            # 10^24 - 10^8: beyond 64 bits
HUGE_PROSE_VALUE = 9999999999999999 * 10 ** 8
HUGE_CELL = 99999999999999999999                    # 20 digits, beyond 2^64
CALL_TIMEOUT = 120                                  # seconds: a hang fails the test instead of blocking it

TRADITIONAL = ("上海市應急管理局關於二零二三年安全生產月活動總結的報告\n\n各區人民政府，市政府各委、辦、局：\n\n"
               "今年六月是全國第二十二個安全生產月，本市組織開展宣講活動九千二百場，參與人次超過七十八萬。\n")

#: Files that must be refused: name -> (bytes or a kind to build, words the message must contain).
REFUSED = {
    "empty.txt": (b"", "empty"),
    "ideographic-space.txt": ("\u3000\u3000\n\u3000".encode(), "no text"),
    "nbsp.txt": ("\u00a0 \u00a0\n".encode(), "no text"),
    "bom-only.txt": (b"\xef\xbb\xbf", "no text"),
    "bom-spaces.txt": (b"\xef\xbb\xbf  \n \t\n", "no text"),
    "zero-width.txt": ("\u200b\u200c\u200d\ufeff\u2060\n".encode(), "no text"),
    "binary.txt": (bytes(range(256)) * 8, "binary"),
    "nul.txt": (b"report\x00text" * 10, "binary"),
    "shift-jis.txt": ("東京都の安全月間の報告書です。今年も多くの活動を行いました。".encode("shift_jis"), "encoding"),
    "fifo.txt": ("fifo", "FIFO"),
    "folder.txt": ("dir", "directory"),
    "dangling.txt": ("dangling", "broken symbolic link"),
    "loop.txt": ("loop", "loops"),
    "zero.txt": ("/dev/zero", "device"),
}


def _make(folder: Path, name: str, spec) -> Path | None:
    path = folder / name
    if isinstance(spec, bytes):
        path.write_bytes(spec)
    elif spec == "fifo":
        if not hasattr(os, "mkfifo"):
            return None
        os.mkfifo(path)
    elif spec == "dir":
        path.mkdir()
    elif spec == "dangling":
        path.symlink_to(folder / "nowhere.txt")
    elif spec == "loop":
        path.symlink_to(path)
    elif spec == "/dev/zero":
        if not os.path.exists("/dev/zero"):
            return None
        path.symlink_to("/dev/zero")
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """A folder of every refused kind of file (those the platform can make)."""
    folder = tmp_path_factory.mktemp("hostile")
    for name, (spec, _words) in REFUSED.items():
        _make(folder, name, spec)
    return folder


def _refused(hostile: Path) -> list[tuple[Path, str]]:
    return [(hostile / name, words) for name, (_spec, words) in REFUSED.items() if os.path.lexists(hostile / name)]


@pytest.fixture(scope="module")
def huge_text(seed_text) -> str:
    text = seed_text
    assert "全市共组织开展宣讲活动 9200 多场" in text and "（ 33807 ）场" in text
    return (text.replace("全市共组织开展宣讲活动 9200 多场", f"全市共组织开展宣讲活动{HUGE_PROSE}", 1)
            .replace("（ 33807 ）场", f"（{HUGE_CELL}）场", 1))


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportmine", *args], capture_output=True, text=True,
                          timeout=CALL_TIMEOUT, env={**os.environ, **(env or {})})


def _main(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


# -- refused files -----------------------------------------------------------------------------------

def test_every_refused_file_is_a_clean_load_error_in_the_api(hostile):
    for path, words in _refused(hostile):
        for call in (reportmine.load, reportmine.parse):
            with pytest.raises(reportmine.ReportLoadError) as err:
                call(path)
            assert err.value.path == str(path) and words in err.value.problem, (path.name, err.value.problem)


def test_cli_exit_2_with_one_line_naming_the_file(hostile):
    """parse, check and entities: exit 2 (never 1, which for check means a contradiction), no traceback."""
    for path, words in _refused(hostile):
        for command in ("parse", "check", "entities"):
            code, out, err = _main(command, str(path))
            assert code == 2 and out == "", (command, path.name)
            assert err.startswith(f"reportmine: error: {path}: ") and words in err and err.count("\n") == 1


@pytest.mark.parametrize("name", ["fifo.txt", "zero.txt", "ideographic-space.txt", "bom-only.txt"])
def test_cli_in_a_fresh_process_never_hangs_or_tracebacks(hostile, name):
    path = hostile / name
    if not os.path.lexists(path):
        pytest.skip(f"{name}: not available on this platform")
    result = _cli("check", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"reportmine: error: {path}: ")


def test_batch_lists_every_non_regular_entry_as_an_error(hostile, tmp_path, seed_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(seed_path.read_bytes())
    for name, (spec, _words) in REFUSED.items():
        _make(folder, name, spec)
    expected = {name for name in REFUSED if os.path.lexists(folder / name)}
    assert {"folder.txt", "dangling.txt", "loop.txt"} <= expected
    for workers in (1, 2):
        c = reportmine.parse_many(folder, workers=workers, cache=False, entities=False)
        assert len(c.documents) == 1
        errors = dict(zip(c.errors["file"].map(lambda f: Path(f).name), c.errors["reason"]))
        assert set(errors) == expected
        assert set(c.errors["stage"]) == {"load"}
        for name in expected:
            assert REFUSED[name][1] in errors[name]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_as_batch_source_is_an_error_row_not_a_hang(hostile, tmp_path):
    result = _cli("batch", str(hostile / "fifo.txt"), "-o", str(tmp_path / "out.csv"), "--no-cache")
    assert result.returncode == 1 and "Traceback" not in result.stderr       # 1: no file could be parsed
    assert "FIFO" in result.stderr
    errors = pd.read_csv(tmp_path / "out.errors.csv")
    assert list(errors["stage"]) == ["load"]


def test_size_limit_from_the_argument_and_the_environment(tmp_path, seed_path, monkeypatch):
    path = tmp_path / "r.txt"
    path.write_bytes(seed_path.read_bytes())
    size = path.stat().st_size
    with pytest.raises(reportmine.ReportLoadError, match="larger than the 1000 bytes limit"):
        reportmine.parse(path, max_bytes=1000)
    assert reportmine.load(path, max_bytes=size).source.text
    monkeypatch.setenv("REPORTMINE_MAX_BYTES", "1K")
    with pytest.raises(reportmine.ReportLoadError, match="MAX_BYTES"):
        reportmine.load(path)
    c = reportmine.parse_many([path], cache=False, check=False, entities=False)
    assert c.errors.iloc[0]["stage"] == "load" and "limit" in c.errors.iloc[0]["reason"]
    monkeypatch.setenv("REPORTMINE_MAX_BYTES", "lots")
    with pytest.warns(RuntimeWarning, match="REPORTMINE_MAX_BYTES"):
        assert io_mod.size_limit() == io_mod.DEFAULT_MAX_BYTES
    monkeypatch.delenv("REPORTMINE_MAX_BYTES")
    result = _cli("parse", str(path), env={"REPORTMINE_MAX_BYTES": "100"})
    assert result.returncode == 2 and "limit" in result.stderr and "Traceback" not in result.stderr


def test_parse_text_of_invisible_text_is_a_clean_error():
    for text in ("", "\u3000\n", "\ufeff  ", "\u200b\u200b", "\u2028\u2029\x85"):
        with pytest.raises(reportmine.ReportLoadError, match="no text|empty"):
            reportmine.parse_text(text, source="pasted.txt")


@pytest.fixture(scope="module")
def readable(tmp_path_factory, seed_text, huge_text) -> dict[str, Path]:
    """Hostile files that must give a clean result: huge numbers, Big5, old-Mac and Unicode line breaks."""
    folder = tmp_path_factory.mktemp("readable")
    files = {"huge-number.txt": huge_text.encode("utf-8"), "big5.txt": TRADITIONAL.encode("big5"),
             "old-mac.txt": seed_text.replace("\n", "\r").encode("utf-8"),
             "mixed-endings.txt": "".join(line + ("\r\n", "\r", "\n")[k % 3]
                                          for k, line in enumerate(seed_text.split("\n"))).encode("utf-8"),
             "u2028.txt": seed_text.replace("\n", "\u2028").encode("utf-8"),
             "nel-gb18030.txt": seed_text.replace("\n", "\x85").encode("gb18030")}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


def test_readable_hostile_files_give_clean_results_in_the_api(readable):
    for name, path in readable.items():
        report = reportmine.parse(path)
        text = report.text
        result = check_report(report)
        for c in result.claims + result.unlinked:
            assert text[c.span[0]:c.span[1]] == c.surface, name
            assert (c.line, c.column) == _naive_line_col(text, c.span[0]), name
        for w in report.warnings:
            if w.span:
                assert (w.line, w.column) == _naive_line_col(text, w.span[0]), (name, w)
        for row in report.entities.itertuples():
            assert text[row.start:row.end] == row.text, name


def test_readable_hostile_files_through_every_command(readable):
    for name, path in readable.items():
        for args in (("parse",), ("parse", "--format", "json"), ("check",), ("entities",)):
            code, out, err = _main(*args, str(path))
            assert code in ((0, 1, 4) if args[0] == "check" else (0,)) and err == "" and out, (name, args)


@pytest.mark.parametrize("name", ["big5.txt", "old-mac.txt"])
def test_readable_hostile_files_in_a_fresh_process(readable, name):
    result = _cli("parse", "--format", "json", str(readable[name]))
    assert result.returncode == 0 and result.stderr == "" and json.loads(result.stdout)["document"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["\u3000", "\u00a0", "\ufeff", "\u200b", "\u2028", "\x85", "\r", "\n", "\t", " ",
                                 "\x0b", "\x0c", "— 3 —", "第 3 页", "- 12 -", "共 8 页", "\x00", "\x1b", "\u2060",
                                 "附件", "（", "9216", "场"]), max_size=12))
def test_nearly_empty_texts_are_a_result_or_a_clean_error(pieces):
    """Whitespace of every kind, invisible marks and page numbers: never a crash from deep inside."""
    text = "".join(pieces)
    try:
        report = reportmine.parse_text(text, source="fuzz.txt")
    except reportmine.ReportLoadError as err:
        assert err.path == "fuzz.txt" and ("no text" in err.problem or "empty" in err.problem)
        return
    check_report(report).to_frame()


# -- numbers beyond 64 bits ----------------------------------------------------------------------------

def test_huge_numbers_parse_and_check_exactly(huge_text):
    report = reportmine.parse_text(huge_text, source="huge.txt")
    cell = report.record.cell("drills.enterprise_drills")
    assert cell.value == HUGE_CELL and type(cell.value) is int
    frame = report.record.to_frame()
    assert frame.set_index("key").loc["drills.enterprise_drills", "value"] == HUGE_CELL
    assert str(HUGE_CELL) in frame.to_csv(index=False)
    cells = json.loads(report.record.to_json())["annex"]["cells"]
    assert next(c["value"] for c in cells if c["key"] == "drills.enterprise_drills") == HUGE_CELL
    result = check_report(report)
    claim = next(c for c in result.claims + result.unlinked if c.surface == HUGE_PROSE)
    assert claim.quantity.value == HUGE_PROSE_VALUE and claim.verdict == "contradicted"   # 9216场 is not 10^24
    checks = result.to_frame()
    assert checks.loc[checks["surface"] == HUGE_PROSE, "value"].item() == HUGE_PROSE_VALUE
    assert str(HUGE_PROSE_VALUE) in result.to_json()


def test_huge_numbers_through_the_cli(huge_text, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(huge_text, encoding="utf-8")
    for args in (("parse", "--format", "csv"), ("parse", "--format", "json"), ("parse",),
                 ("check", "--format", "json"), ("check",), ("entities", "--format", "json")):
        code, out, err = _main(*args, str(path))
        assert code in (0, 1) and err == "", args
    assert str(HUGE_CELL) in _main("parse", "--format", "csv", str(path))[1]
    assert str(HUGE_PROSE_VALUE) in _main("check", "--format", "json", str(path))[1]


@pytest.mark.parametrize("workers", [1, 2])
def test_huge_numbers_through_a_batch_and_every_format(huge_text, seed_path, tmp_path, workers):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "huge.txt").write_text(huge_text, encoding="utf-8")
    (folder / "seed.txt").write_bytes(seed_path.read_bytes())
    c = reportmine.parse_many(folder, workers=workers, cache=tmp_path / "cache", entities=False, duplicates="keep")
    assert c.errors.empty and len(c.documents) == 2
    cells = c.cells.set_index(["doc_id", "key"])["value"]
    assert cells[("huge", "drills.enterprise_drills")] == HUGE_CELL
    assert cells[("seed", "drills.enterprise_drills")] == 33807
    assert HUGE_PROSE_VALUE in list(c.checks["value"])
    again = reportmine.parse_many(folder, workers=workers, cache=tmp_path / "cache", entities=False,
                                  duplicates="keep")
    assert again.n_cached == 2 and again.cells.set_index(["doc_id", "key"])["value"].equals(cells)
    for out in ("t.csv", "t.parquet", "t.xlsx"):
        c.save(tmp_path / out)
    assert str(HUGE_CELL) in (tmp_path / "t.cells.csv").read_text(encoding="utf-8-sig")
    parquet = pd.read_parquet(tmp_path / "t.cells.parquet")
    assert str(HUGE_CELL) in list(parquet["value"])                   # exact, as text
    sheet = pd.read_excel(tmp_path / "t.xlsx", sheet_name="checks")
    assert str(HUGE_PROSE_VALUE) in [str(v) for v in sheet["value"]]   # as text: Excel would round it


def test_a_400_digit_blank_is_exact_in_every_output(seed_text, tmp_path):
    """Far beyond a float (10^400 overflows float()): linking, explanations and tables stay exact."""
    value = int("9" * 400)
    said = "全市共组织开展宣讲活动 9200 多场"
    text = (seed_text.replace(said, f"{said}，企业组织事故应急演练 5 场", 1)
            .replace("（ 33807 ）场", f"（{value}）场", 1))
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    report = reportmine.parse(path)
    assert report.record.cell("drills.enterprise_drills").value == value
    result = check_report(report)
    claim = next(c for c in result.claims if c.cell_key == "drills.enterprise_drills")
    assert claim.verdict == "contradicted" and str(value) in claim.explanation
    assert str(value) in result.to_frame().to_csv() and str(value) in result.to_json()
    assert str(value) in report.record.to_frame().to_csv()
    for args in (("parse", "--format", "csv"), ("check", "--format", "json"), ("check",)):
        code, out, err = _main(*args, str(path))
        assert code in (0, 1) and err == "" and str(value) in out, args


def test_a_bug_is_one_line_and_exit_3_never_1(seed_path, monkeypatch):
    import reportmine.report

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(reportmine.report, "parse", broken)
    monkeypatch.delenv("REPORTMINE_DEBUG", raising=False)
    code, out, err = _main("check", str(seed_path))
    assert code == 3 and out == "" and err.count("\n") == 1
    assert f"internal error on {seed_path}: RuntimeError: simulated bug" in err


def test_decimals_beyond_a_float_stay_exact():
    report = reportmine.parse_text("全年投入资金1234567890123456.12345678元。\n", source="d.txt")
    q = next(c.quantity for c in check_report(report).unlinked if "1234567890123456" in c.surface)
    assert q.value == Decimal("1234567890123456.12345678") and isinstance(q.value, Decimal)
    frame = check_report(report).to_frame()
    assert Decimal("1234567890123456.12345678") in list(frame["value"])
    # a Decimal and a float as parts of one whole: summed exactly (Python's sum would raise)
    parts = reportmine.parse_text("全年共投入资金1000000000000元，其中市级资金123456789012.12345678元、县级资金3.5元。\n")
    (whole,) = check_report(parts).internal_checks
    assert whole.verdict == "consistent" and "= 123456789015.62345678 ≤ 1000000000000" in whole.explanation


# -- encodings ---------------------------------------------------------------------------------------

def test_big5_is_detected_and_said(tmp_path):
    path = tmp_path / "taipei.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    loaded = reportmine.load(path)
    assert loaded.source.text == TRADITIONAL and loaded.source.encoding == "cp950"
    report = reportmine.parse(path)
    assert report.warnings[0].code == "encoding_guessed" and "Big5" in report.warnings[0].message
    code, out, err = _main("parse", "--format", "json", str(path))
    # with OpenCC the record is read after conversion to simplified characters (spans index the original)
    from reportmine.script import converter_available

    name, note = ("安全生产月", "traditional_script") if converter_available() else ("安全生產月", "traditional_not_converted")
    assert code == 0 and name in out and "encoding_guessed" in out and note in out


def test_gbk_simplified_text_stays_gb18030(tmp_path, seed_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(seed_path.read_text(encoding="utf-8").encode("gbk"))
    source = reportmine.load(path).source
    assert source.encoding == "gb18030" and source.notes == ()
    assert source.text == seed_path.read_text(encoding="utf-8")


# -- line breaks ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("newline", ["\r", "\r\n", "\u2028", "\x85"])
def test_line_numbers_with_every_line_break(seed_text, newline):
    """Spans index the original text and line:column count the file's own line breaks."""
    text = seed_text.replace("\n", newline)
    report = reportmine.parse_text(text, source="r.txt")
    norm = report.norm
    for k, ch in enumerate(text[:3000]):
        assert norm.line_col(k) == _naive_line_col(text, k)
    for c in report.record.annex.cells:
        assert text[c.span[0]:c.span[1]] == seed_text.replace("\n", newline)[c.span[0]:c.span[1]]
    if newline in ("\r", "\r\n"):   # the text reads the same as with \n: the same figures on the same lines
        base = check_report(reportmine.parse_text(seed_text, source="r.txt"))
        result = check_report(report)
        assert [(c.surface, c.line, c.column) for c in result.claims] == \
               [(c.surface, c.line, c.column) for c in base.claims]
        assert [(w.code, w.line) for w in report.warnings] == \
               [(w.code, w.line) for w in reportmine.parse_text(seed_text, source="r.txt").warnings]


def _naive_line_col(text: str, offset: int) -> tuple[int, int]:
    """Line and column by walking the text: CRLF is one break, so are CR, LF, NEL, U+2028 and U+2029."""
    line, start, k = 1, 0, 0
    while k < offset:
        ch = text[k]
        if ch == "\r" and k + 1 < len(text) and text[k + 1] == "\n":
            if k + 1 >= offset:
                break
            k += 1
        if ch in "\r\n\x85\u2028\u2029":
            line, start = line + 1, k + 1
        k += 1
    return line, offset - start + 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\r\r\n", "\n\r"]),
                          st.text(alphabet="ab中文（1）\t ", max_size=5)), max_size=30))
def test_line_col_agrees_with_a_naive_walk(pieces):
    text = "".join(pieces)
    norm = normalize(text)
    for k in range(len(text) + 1):
        assert norm.line_col(k) == _naive_line_col(text, k)


# -- batch: timeouts and the cache ---------------------------------------------------------------------

_REAL_PARSE_FILE = corpus_mod.parse_file


def _stuck_on_slow(path, check=True, entities=True, **options):
    if Path(path).name.startswith("slow"):
        import time

        while True:             # stuck in a loop (no sleep to interrupt)
            time.monotonic()
    return _REAL_PARSE_FILE(path, check=check, entities=entities, **options)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_stuck_file_times_out_and_the_batch_goes_on(tmp_path, seed_path, monkeypatch, workers):
    import multiprocessing

    if workers > 1 and multiprocessing.get_start_method() != "fork":
        pytest.skip("patches the worker via fork")
    for name in ("a.txt", "slow.txt", "b.txt"):
        (tmp_path / name).write_bytes(seed_path.read_bytes())
    monkeypatch.setattr(corpus_mod, "parse_file", _stuck_on_slow)
    c = reportmine.parse_many(tmp_path, workers=workers, cache=False, check=False, entities=False, timeout=2,
                              duplicates="keep")
    assert sorted(c.documents["doc_id"]) == ["a", "b"]
    assert list(c.errors["file"]) == [str(tmp_path / "slow.txt")]
    assert c.errors.iloc[0]["stage"] == "timeout" and "2 s" in c.errors.iloc[0]["reason"]


def test_timeout_option_of_the_cli(tmp_path, seed_path, capsys):
    (tmp_path / "r.txt").write_bytes(seed_path.read_bytes())
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "o.csv"), "--no-cache", "--no-entities",
                 "--no-check", "--timeout", "60"]) == 0
    with pytest.raises(SystemExit):
        main(["batch", str(tmp_path), "-o", str(tmp_path / "o.csv"), "--timeout", "soon"])
    assert "seconds" in capsys.readouterr().err


def test_the_cache_hashes_exactly_the_bytes_it_parses(tmp_path, seed_path, seed_text, monkeypatch):
    """A file rewritten while the batch reads it: the hash and the values come from one read."""
    path = tmp_path / "r.txt"
    first = seed_path.read_bytes()
    second = seed_text.replace("（ 33807 ）场", "（ 11111 ）场").encode("utf-8")
    path.write_bytes(first)
    reads = []
    real = io_mod.read_report_bytes

    def read_then_rewrite(p, limit=None):
        data = real(p, limit)
        reads.append(data)
        path.write_bytes(second)                 # rewritten right after the read
        return data

    monkeypatch.setattr(io_mod, "read_report_bytes", read_then_rewrite)
    out = corpus_mod.parse_file(path, check=False, entities=False)
    assert len(reads) == 1 and out["sha256"] == hashlib.sha256(first).hexdigest()
    columns = out["tables"]["cells"]["columns"]
    values = {row[columns.index("key")]: row[columns.index("value")] for row in out["tables"]["cells"]["rows"]}
    assert values["drills.enterprise_drills"] == 33807
