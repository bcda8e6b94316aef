"""Cold start: each command loads only what it needs, and tables built from dictionary files are cached.

Speed itself is measured in ``benchmarks/segmenter.py``; these tests pin down the behaviour that makes it:
which libraries a fresh process loads, and that the cached tables are exactly jieba's own.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportmine import caching, tokens
from reportmine.resources import data_path

REPO = Path(__file__).resolve().parents[1]
BUNDLED_SEED = REPO / "corpus" / "2023-shanghai-safety-month.txt"


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One cache directory for the fresh processes of this module (its tables are built once)."""
    return tmp_path_factory.mktemp("cache")


def _fresh(code: str, cache: Path, segmenter: str | None = None) -> tuple[set[str], str]:
    """Run ``code`` in a new interpreter; the modules it loaded and what it printed."""
    env = {**os.environ, "REPORTMINE_CACHE": str(cache)}
    env.pop(tokens.SEGMENTER_ENV, None)
    if segmenter:
        env[tokens.SEGMENTER_ENV] = segmenter
    tail = "\nimport sys as _s, json as _j\nprint(_j.dumps(sorted(_s.modules)), file=_s.stderr)"
    out = subprocess.run([sys.executable, "-c", code + tail], capture_output=True, text=True, env=env, check=True)
    return set(json.loads(out.stderr.strip().splitlines()[-1])), out.stdout


def test_parse_of_a_text_file_loads_no_segmenter_pandas_or_spacy(cache):
    loaded, _ = _fresh(f"import reportmine; reportmine.parse({str(BUNDLED_SEED)!r})", cache)
    assert "reportmine.report" in loaded
    assert not {"jieba", "rjieba", "pandas", "spacy"} & loaded


def test_parse_does_not_import_the_checker_or_the_archive_reader(cache):
    """``import reportmine`` serves check, parse_many, Corpus, nlp and plot on first use."""
    loaded, printed = _fresh(f"import reportmine; reportmine.parse({str(BUNDLED_SEED)!r}); "
                             "print(sorted(n for n in ('check', 'parse_many', 'nlp') if n in dir(reportmine)))", cache)
    assert not {"reportmine.check", "reportmine.corpus", "reportmine.pipeline", "reportmine.plot"} & loaded
    assert printed.strip() == "['check', 'nlp', 'parse_many']"      # still listed, still there when asked for
    loaded, printed = _fresh(f"import reportmine; print(len(reportmine.check({str(BUNDLED_SEED)!r}).claims), "
                             "reportmine.parse_many.__name__, reportmine.Corpus.__name__)", cache)
    assert "reportmine.check" in loaded and printed.split()[1:] == ["parse_many", "Corpus"]


def test_check_loads_no_pandas_or_spacy(cache):
    loaded, _ = _fresh(f"import reportmine; reportmine.check(reportmine.parse({str(BUNDLED_SEED)!r})).to_dict()",
                       cache)
    assert {"jieba", "rjieba"} & loaded                 # the checker segments its sentences
    assert not {"pandas", "spacy"} & loaded


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_cli_entities_prints_the_frame_without_loading_pandas(cache, fmt):
    """The listing comes from plain rows; it is the same as one made from ``report.entities``."""
    code = f"from reportmine.cli import main; main(['entities', {str(BUNDLED_SEED)!r}, '--format', {fmt!r}])"
    loaded, printed = _fresh(code, cache)
    assert "pandas" not in loaded and "spacy" not in loaded
    import pandas as pd

    import reportmine

    frame = reportmine.parse(BUNDLED_SEED).entities
    assert len(frame) > 50

    def plain(v):
        return None if not isinstance(v, list) and pd.isna(v) else v

    if fmt == "json":
        expected = [{k: plain(row[k]) for k in ("label", "text", "start", "end", "canonical", "value", "roles")}
                    for row in frame.to_dict("records")]
        assert json.loads(printed) == expected
    else:
        lines = printed.splitlines()
        assert len(lines) == len(frame) + 2       # header and rule
        for line, row in zip(lines[2:], frame.itertuples()):
            cells = line.split()
            assert cells[0] == row.label and cells[-2:] == [str(row.start), str(row.end)]


@pytest.mark.parametrize("command", ["check", "entities"])
def test_check_and_entities_build_no_record_schema(cache, command):
    """The record models build their pydantic schemas on first validation or dump, and reportmine builds its
    records without validation (``Model.trusted``): ``check`` and ``entities`` never build one, nor load
    pydantic's plugin loader (which reads every installed package's metadata). ``parse --format json`` does."""
    code = (f"import contextlib, io\nfrom reportmine.cli import main\nfrom reportmine import record\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main([{command!r}, {str(BUNDLED_SEED)!r}, '--format', 'json'])\n"
            "print([n for n in record.__all__ if getattr(getattr(record, n), '__pydantic_complete__', False)])")
    loaded, printed = _fresh(code, cache)
    assert printed.strip() == "[]" and "pydantic.plugin._loader" not in loaded
    loaded, printed = _fresh(code.replace(f"[{command!r},", "['parse',"), cache)
    assert "CampaignRecord" in printed and "pydantic.plugin._loader" in loaded


def test_the_cache_fingerprint_finds_opencc_without_reading_package_metadata(cache):
    """OpenCC (the ``trad`` extra) is part of the cache key by its file: importing ``importlib.metadata`` to
    read its version cost ~15 ms at every cold start of ``entities``."""
    from importlib.util import find_spec

    loaded, printed = _fresh("from reportmine import caching, script; caching.rules_fingerprint(); "
                             "print(repr(script.converter_identity()))", cache)
    assert "importlib.metadata" not in loaded
    spec = find_spec("opencc")
    if spec is None:
        assert printed.strip() == "None"
    else:
        origin, size, mtime = ast.literal_eval(printed.strip()).split("\0")
        assert origin == spec.origin and int(size) == os.stat(origin).st_size and int(mtime) > 0


def test_jieba_is_imported_without_pkg_resources(cache):
    loaded, printed = _fresh("from reportmine import tokens; print(tokens.jieba_module().lcut('开展安全生产月活动'))",
                             cache, segmenter="jieba")
    assert "jieba" in loaded and "pkg_resources" not in loaded
    assert printed.strip() == "['开展', '安全生产月', '活动']"


def test_cached_tables_are_jiebas_own_tables():
    """Word tags as ``jieba.posseg`` builds them, frequencies and the prefix dictionary as ``jieba.initialize``
    builds them (with the domain dictionary on top), for every word."""
    import jieba
    import jieba.posseg

    reference = jieba.Tokenizer()
    reference.initialize()
    with data_path("userdict.txt").open(encoding="utf-8") as f:
        reference.load_userdict(f)
    expected_tags = dict(jieba.posseg.POSTokenizer(reference).word_tag_tab)
    for line in data_path("userdict.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 3:
            expected_tags[parts[0]] = parts[2]
    assert tokens.word_tags() == expected_tags
    assert [w for w, f in reference.FREQ.items() if tokens.word_frequency(w) != f] == []
    assert tokens.word_frequency("不存在的词语") == 0 and tokens.word_frequency("") == 0
    ours = tokens.jieba_module().dt
    assert ours.FREQ == reference.FREQ and ours.total == reference.total


def test_word_tags_answer_as_a_dict_of_them_does():
    """The tags are looked up by bisection, not held in a dict of 350,000 words (~0.07 s at every start)."""
    tags = tokens.word_tags()
    ref = dict(tags.items())
    assert len(ref) == len(tags) > 340_000
    for word in ["的", "安全生产月", "应急管理局", "C++", "不存在的词语", "", "\uffff", *list(ref)[:50], *list(ref)[-50:]]:
        for _ in range(2):                                     # the second time from what it remembered
            assert (tags.get(word), tags.get(word, "x"), word in tags) == (ref.get(word), ref.get(word, "x"), word in ref)
    with pytest.raises(KeyError):
        tags["不存在的词语"]
    assert tags["安全生产月"] == ref["安全生产月"] and 3 not in tags


def test_word_tables_load_from_the_cache_as_they_were_built(tmp_path):
    code = ("from reportmine import tokens; import hashlib; t = tokens.word_tags(); "
            "print(len(t), hashlib.sha256(repr(sorted(t.items())).encode()).hexdigest(), "
            "[tokens.word_frequency(w) for w in ('的', '安全生产月', '应急管理局', 'C++', '不存在的词语')])")
    _, built = _fresh(code, tmp_path, segmenter="rjieba" if _has_rjieba() else "jieba")
    entries = list(tmp_path.glob("*/tables/word-tables-*.marshal"))
    assert len(entries) == 1 and entries[0].parent.parent.name.endswith(caching.rules_fingerprint()[:16])
    _, loaded = _fresh(code, tmp_path, segmenter="rjieba" if _has_rjieba() else "jieba")
    assert loaded == built and int(built.split()[0]) > 340_000


def _has_rjieba() -> bool:
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return False
    return True


def test_cached_table_rebuilds_a_damaged_entry_and_works_without_a_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTMINE_CACHE", str(tmp_path))
    builds = []

    def build():
        builds.append(1)
        return ("words", b"\x00\x01", 3)

    def valid(v):
        return isinstance(v, tuple) and len(v) == 3

    assert caching.cached_table("demo", "input-1", build, valid) == ("words", b"\x00\x01", 3)
    assert caching.cached_table("demo", "input-1", build, valid) == ("words", b"\x00\x01", 3)
    assert len(builds) == 1                                      # the second came from the file
    (entry,) = tmp_path.glob("*/tables/demo-*.marshal")
    entry.write_bytes(b"\xffnot marshal")
    assert caching.cached_table("demo", "input-1", build, valid) == ("words", b"\x00\x01", 3)
    assert len(builds) == 2
    caching.cached_table("demo", "input-2", build, valid)          # other inputs, another entry
    assert len(builds) == 3 and len(list(tmp_path.glob("*/tables/demo-*.marshal"))) == 2
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("REPORTMINE_CACHE", str(blocked))
    assert caching.cached_table("demo", "input-1", build, valid) == ("words", b"\x00\x01", 3)
    assert len(builds) == 4
