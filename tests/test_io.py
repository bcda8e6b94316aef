"""Loading: encodings and the clear errors for unusable files."""

from __future__ import annotations

import pytest

import reportmine
from reportmine.io import ReportLoadError, read_source


def test_missing_file_names_the_file(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(ReportLoadError) as err:
        reportmine.load(path)
    assert str(path) in str(err.value) and "not found" in str(err.value)


@pytest.mark.parametrize("content", [b"", b"   \n\n  \r\n"])
def test_empty_file_is_an_error(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ReportLoadError, match="empty") as err:
        reportmine.parse(path)
    assert err.value.path == str(path)


def test_binary_file_is_an_error(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"%PDF-1.7\x00\x01\x02binary" * 50)
    with pytest.raises(ReportLoadError, match="binary") as err:
        reportmine.load(path)
    assert "scan.txt" in str(err.value)


def test_undecodable_file_is_an_error(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("上海".encode("utf-8") + b"\xff\xfe\xfd\x80\x80\xff" * 3)
    with pytest.raises(ReportLoadError, match="decoded") as err:
        reportmine.load(path)
    assert "latin.txt" in str(err.value)


def test_directory_is_an_error(tmp_path):
    with pytest.raises(ReportLoadError, match="directory"):
        reportmine.load(tmp_path)


@pytest.mark.parametrize("encoding,expected", [("utf-8", "utf-8"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
                                               ("utf-8-sig", "utf-8-sig")])
def test_encodings_decode_to_the_same_text(tmp_path, encoding, expected):
    text = "上海市应急管理局\n组织开展宣讲活动（9216）场\n"
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode(encoding))
    src = read_source(path)
    assert src.text == text and src.encoding == expected


def test_html_is_read_as_text(tmp_path):
    path = tmp_path / "r.html"
    path.write_text("<html><body><p>沪安委办函〔2023〕1号</p><table><tr><td>1. 项目</td><td>活动（3）场</td></tr>"
                    "</table><script>x=1</script></body></html>", encoding="utf-8")
    src = read_source(path)
    assert src.format == "html"
    assert "沪安委办函〔2023〕1号" in src.text and "1. 项目\t活动（3）场" in src.text and "x=1" not in src.text


def test_legacy_word_format_is_a_clear_error(tmp_path):
    path = tmp_path / "r.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(60))
    with pytest.raises(ReportLoadError, match="not supported"):
        reportmine.load(path)


def test_parse_text_of_a_non_report_gives_warnings_not_a_crash():
    report = reportmine.parse_text("这是一段没有公文结构的文字。\n第二行。", source="note.txt")
    codes = {w.code for w in report.warnings}
    assert {"no_doc_number", "no_annex"} <= codes
    assert report.record.annex.cells == []


def test_size_limit_values(monkeypatch):
    from reportmine.io import DEFAULT_MAX_BYTES, size_limit

    monkeypatch.delenv("REPORTMINE_MAX_BYTES", raising=False)
    assert size_limit() == DEFAULT_MAX_BYTES == 200 * 1024 ** 2
    assert size_limit(10) == 10
    for raw, expected in (("1000", 1000), ("500M", 500 * 1024 ** 2), ("2g", 2 * 1024 ** 3), ("64KiB", 64 * 1024)):
        monkeypatch.setenv("REPORTMINE_MAX_BYTES", raw)
        assert size_limit() == expected
    with pytest.raises(ValueError):
        size_limit(0)


def test_big5_html_under_a_gb_meta_is_read_as_big5(tmp_path):
    pytest.importorskip("bs4")
    text = ("上海市應急管理局關於二零二三年安全生產月活動總結的報告。"
            "本市組織開展宣講活動九千二百場，參與人次超過七十八萬。")
    path = tmp_path / "r.html"
    path.write_bytes(f"<html><head><meta charset='gb2312'></head><body><p>{text}</p></body></html>".encode("big5"))
    source = read_source(path)
    assert source.encoding == "cp950" and text in source.text and "Big5" in source.notes[0]


def test_a_file_that_is_not_chinese_in_any_known_encoding_is_refused(tmp_path):
    path = tmp_path / "sjis.txt"
    path.write_bytes("東京都の安全月間の報告書です。今年も多くの活動を行いました。".encode("shift_jis"))
    with pytest.raises(ReportLoadError, match="encoding unclear.*UTF-8"):
        read_source(path)
