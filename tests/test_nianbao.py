"""The 政府信息公开工作年度报告 genre (issue 13): genre file, template cells, rules, prose statements, years.

Real documents are read from ``../shared/real/`` (skipped when absent); their gold is written by hand in
``tests/nianbao/real/``. The invented documents of ``tests/nianbao/`` carry planted errors (see its README).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportmine
from reportmine.check import check_report
from reportmine.genre_years import carry_over_mismatches, carry_over_rows
from reportmine.genres import genre, genres

from conftest import SHARED  # noqa: E402

HERE = Path(__file__).resolve().parent / "nianbao"
COLS = ["natural", "legal.business", "legal.research", "legal.public_welfare", "legal.legal_services",
        "legal.other", "total"]
REVIEW_COLS = ["upheld", "corrected", "other", "pending", "total"]
REAL = ["2025-shuyang-county-xxgk-annual", "2023-shuyang-fgj-xxgk-annual"]


def _real(name: str) -> Path:
    path = SHARED / "real" / name
    if not path.exists():
        pytest.skip(f"{path} not found: these tests need ../shared beside the repository (or REPORTMINE_SHARED)")
    return path


def _real_gold(stem: str) -> dict:
    return json.loads((HERE / "real" / f"{stem}.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def real_reports():
    return {stem: reportmine.parse(_real(f"{stem}.txt")) for stem in REAL}


@pytest.mark.parametrize("stem", REAL)
def test_real_annual_report_cells_match_the_hand_written_gold(real_reports, stem):
    gold = _real_gold(stem)
    g = real_reports[stem].record.genre
    assert (g.genre, g.template, g.issuer, g.year) == (gold["genre"], gold["template"], gold["issuer"], gold["year"])
    want = {f"requests/{row}/{col}": v for row, vs in gold["requests"].items() for col, v in zip(COLS, vs)}
    want |= {f"review/{row}/{col}": v for row, vs in gold["review"].items() for col, v in zip(REVIEW_COLS, vs)}
    got = {c.key: c for c in g.cells}
    assert {k: got[k].value for k in want} == want
    for k, v in want.items():                       # a blank is None with status blank, never 0
        assert got[k].status == ("blank" if v is None else "value"), k
        assert real_reports[stem].text[got[k].span[0]:got[k].span[1]] == got[k].raw
    assert len([c for c in g.cells if c.table == "requests"]) == 25 * 7


@pytest.mark.parametrize("stem", REAL)
def test_real_annual_report_every_rule_runs_and_nothing_is_flagged(real_reports, stem):
    result = check_report(real_reports[stem])
    rules = [c for c in result.genre_checks if c.kind == "rule"]
    assert {c.id for c in rules} == {r["id"] for r in genre("xxgk-annual").data["rules"]}
    assert not [c for c in result.genre_checks if c.verdict == "not_checked"]
    assert [c.explanation for c in result.contradicted] == []
    assert result.questionable == []
    stated = {real_reports[stem].text[c.span[0]:c.span[1]].replace(" ", ""): c
              for c in result.genre_checks if c.kind == "statement"}
    assert set(_real_gold(stem)["prose"]) <= set(stated)
    assert all(c.verdict == "consistent" for c in stated.values())


def test_damaged_real_table_is_aligned_by_column_order_with_a_warning(real_reports):
    report = real_reports["2025-shuyang-county-xxgk-annual"]
    g = report.record.genre
    assert g.cell("requests/carry_forward/total").aligned == "order"
    assert g.cell("review/review/total").aligned == "label"
    codes = [w.code for w in report.warnings]
    assert "columns_by_order" in codes and "genre_row_unaligned" not in codes
    result = check_report(report)
    surfaces = {report.text[c.span[0]:c.span[1]].replace(" ", "") for c in result.unlinked}
    assert "31件" not in surfaces and "749件" not in surfaces     # both checked by the genre's statements


def test_genre_record_fields_sections_and_frame(real_reports):
    g = real_reports["2023-shuyang-fgj-xxgk-annual"].record.genre
    assert g.region == "江苏省宿迁市沭阳县" and g.level == "department"
    assert [s.key for s in g.sections] == ["overview", "active", "requests", "review", "problems", "other"]
    assert real_reports["2025-shuyang-county-xxgk-annual"].record.genre.level == "county"
    frames = [r.record.to_frame() for r in real_reports.values()]
    keys = [set(f.loc[f["key"].str.startswith("requests/"), "key"]) for f in frames]
    assert keys[0] == keys[1] and len(keys[0]) == 175        # the same keys across issuers and years
    f = frames[1]
    blank = f.loc[f["key"] == "requests/new/legal.business"].iloc[0]
    assert blank["status"] == "blank" and pd.isna(blank["value"])   # missing in the frame, never 0


def test_other_real_documents_are_not_this_genre():
    for name in ["2018-anweibanhan-67-bulletin.txt", "2022-yichun-statistical-communique.txt"]:
        assert reportmine.parse(_real(name)).record.genre is None, name
    notice = reportmine.parse(_real("2023-nea-safety-month-notice.txt")).record.genre
    assert notice.genre == "safety-month" and notice.template is None     # the notice has no form


def test_the_seed_is_the_safety_month_genre_and_forcing_one_is_said(seed_report, seed_path):
    g = seed_report.record.genre
    assert (g.genre, g.template, g.region, g.year) == ("safety-month", "safety-month-2023-national", "上海市", 2023)
    assert g.cells == [] and seed_report.record.annex.template == g.template   # its cells are the annex's
    assert check_report(seed_report).genre_checks == []
    forced = reportmine.parse(seed_path, genre="xxgk-annual").record.genre
    assert forced.genre == "xxgk-annual" and forced.evidence[0] == "forced"
    with pytest.raises(ValueError, match="unknown genre"):
        reportmine.parse(seed_path, genre="no-such-genre")


def test_genres_are_data_files():
    ids = [g.id for g in genres()]
    assert "xxgk-annual" in ids
    t = genre("xxgk-annual")
    assert {x.id for x in t.templates} == {"xxgk-annual-2021", "xxgk-annual-2019"}
    t2019 = t.template("xxgk-annual-2019")
    assert "requests/result.other/natural" in t2019.cell_keys()
    assert "active/procurement/amount" in t2019.cell_keys()


# -- the invented documents ---------------------------------------------------------------------------

sys.path.insert(0, str(HERE.parents[1] / "benchmarks" / "nianbao"))
import score  # noqa: E402


@pytest.fixture(scope="module")
def scores():
    return {r["doc"]: r for r in score.score_all()}


@pytest.mark.parametrize("doc", [p.name for p, _ in score.documents()])
def test_invented_annual_reports_all_errors_found_no_false_alarm(scores, doc):
    r = scores[doc]
    assert r["fields"]
    assert r["missed"] == [] and r["false_alarms"] == []
    assert r["right"] == r["n_cells"]


def test_cross_year_mismatch_is_a_row():
    paths = [str(HERE / "qingjiangpu-2023-tab.txt"), str(HERE / "qingjiangpu-2024-pdf-markdown.txt")]
    corpus = reportmine.parse_many(paths, workers=1, cache=False, entities=False, check=False, progress=False)
    rows = carry_over_mismatches(corpus.documents, corpus.cells)
    assert list(rows["key"]) == ["requests/carried_over/natural", "requests/carried_over/total"]
    assert set(rows["other_key"]) == {"requests/carry_forward/natural", "requests/carry_forward/total"}
    assert (rows["year"] == 2024).all() and (rows["other_year"] == 2023).all()
    across = corpus.contradictions[corpus.contradictions["kind"] == "across_documents"]
    assert sorted(across["key"]) == ["requests/carried_over/natural", "requests/carried_over/total"]
    assert set(across["other_doc"]) == {"qingjiangpu-2023-tab"} and across["line"].notna().all()
    same = [{"doc_id": "a", "year": 2023, "title": "某县人民政府2023年政府信息公开工作年度报告",
             "cells": {"requests/carry_forward/total": 5}},
            {"doc_id": "b", "year": 2024, "title": "某县人民政府2024年政府信息公开工作年度报告",
             "cells": {"requests/carried_over/total": 5}}]
    assert carry_over_rows(same) == []


# -- properties ---------------------------------------------------------------------------------------

import build  # noqa: E402

small = st.integers(min_value=0, max_value=400)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(st.lists(small, min_size=6, max_size=6), min_size=21, max_size=21),
       carried=st.lists(small, min_size=6, max_size=6), layout=st.sampled_from(["tabs", "markdown"]))
def test_any_consistent_table_is_read_exactly_and_raises_no_alarm(values, carried, layout):
    leaves = build.LEAVES_2021
    rows = build.build_requests(leaves, {k: v for (k, _), v in zip(leaves, values)}, carried, [0] * 6)
    rv = build.review({"review": [1, 0, 0, 0], "suit_direct": [0, 0, 0, 0], "suit_after_review": [0, 0, 0, 0]})
    table = build.tab_table(leaves, rows) if layout == "tabs" else build.damaged_markdown(leaves, rows)
    text = "\n".join(["某县人民政府2023年政府信息公开工作年度报告", "一、总体情况", "无。", "二、主动公开政府信息情况", "无。",
                      "三、收到和处理政府信息公开申请情况", table, "四、政府信息公开行政复议、行政诉讼情况",
                      build.review_tab(rv), "五、存在的主要问题及改进情况", "无。"]) + "\n"
    report = reportmine.parse_text(text, source=f"prop-{layout}.txt")
    g = report.record.genre
    assert g is not None and g.template == "xxgk-annual-2021"
    got = {c.key: c.value for c in g.cells}
    for (key, _), _v in zip(build.ordered(leaves), range(99)):
        assert [got[f"requests/{key}/{c}"] for c in COLS] == rows[key], key
    result = check_report(report)
    assert [c.explanation for c in result.genre_checks if c.verdict != "consistent"] == []


def test_cli_parse_check_and_batch_on_annual_reports(tmp_path, capsys):
    from reportmine.cli import main

    doc = str(HERE / "qingjiangpu-2023-tab.txt")
    assert main(["parse", doc]) == 0
    out = capsys.readouterr().out
    assert "genre: 政府信息公开工作年度报告 (xxgk-annual), template xxgk-annual-2021" in out
    assert "requests/carry_forward/total" in out
    assert main(["check", doc]) == 1                      # planted errors: exit 1, each line says which cells
    out = capsys.readouterr().out
    assert "genre xxgk-annual (xxgk-annual-2021)" in out and "BAD" in out
    assert main(["check", doc, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert any(c["kind"] == "rule" and c["verdict"] == "contradicted" for c in data["genre_checks"])
    clean = str(HERE / "xihu-edu-2021-markdown-clean.txt")
    assert main(["check", clean]) == 0
    capsys.readouterr()
    assert main(["parse", clean, "--genre", "xxgk-annual", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["genre"]["template"] == "xxgk-annual-2021"
    with pytest.raises(SystemExit):
        main(["parse", clean, "--genre", "nonsense"])
    capsys.readouterr()
    out_csv = tmp_path / "out.csv"
    assert main(["batch", str(HERE), "-o", str(out_csv), "--no-cache", "--workers", "1", "--no-entities",
                 "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "cross-year mismatches (2)" in out and "carries over 15" in out
    documents = pd.read_csv(tmp_path / "out.documents.csv")
    assert set(documents["template"]) == {"xxgk-annual-2021", "xxgk-annual-2019"}


def _small_report(overview: str, title: str = "某县司法局2023年政府信息公开工作年度报告", review=None) -> str:
    leaves = build.LEAVES_2021
    rows = build.build_requests(leaves, {"result.public": [10, 1, 0, 0, 0, 0]}, [2, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0])
    rv = build.review(review or {"review": [2, 0, 0, 0], "suit_direct": [0, 0, 0, 1], "suit_after_review": [0, 0, 0, 0]})
    return "\n".join([title, "一、总体情况", overview, "二、主动公开政府信息情况", "无。",
                      "三、收到和处理政府信息公开申请情况", build.tab_table(leaves, rows),
                      "四、政府信息公开行政复议、行政诉讼情况", build.review_tab(rv), "五、存在的主要问题及改进情况", "无。"]) + "\n"


def test_figures_of_other_business_are_not_taken_for_the_tables():
    """A 司法局 handles 行政复议 cases of every kind; 行政许可 applications are not 信息公开 applications."""
    text = _small_report("全年共办理行政复议案件356件，受理行政许可申请1200件，共办理行政许可事项530件。\n"
                         "本年度新收政府信息公开申请12件，上年结转2件。行政复议案件均被维持，另有行政诉讼1件尚未审结。")
    report = reportmine.parse_text(text, source="trap.txt")
    result = check_report(report)
    assert [c.explanation for c in result.contradicted] == [] and result.questionable == []
    stated = {c.stated: c.verdict for c in result.genre_checks if c.kind == "statement"}
    assert stated == {"12件": "consistent", "2件": "consistent", "1件": "consistent"}   # 行政诉讼1件: 直接起诉 1
    qual = [c for c in result.genre_checks if c.kind == "qualitative"]
    assert [c.verdict for c in qual] == ["consistent"]          # 均被维持 speaks of 行政复议 only


def test_year_first_title_and_a_region_as_issuer():
    report = reportmine.parse_text(_small_report("无。", title="2023年度沭阳县政府信息公开工作年度报告"),
                                   source="t.txt")
    g = report.record.genre
    assert (g.issuer, g.year, g.region, g.level) == ("沭阳县", 2023, "江苏省宿迁市沭阳县", "county")


def test_last_years_figures_and_group_rows_of_their_own():
    text = _small_report("2022年共收到政府信息公开申请40件。2023年，本局共收到政府信息公开申请12件，较上年收到申请的40件减少。")
    result = check_report(reportmine.parse_text(text, source="years.txt"))
    assert [c.explanation for c in result.contradicted] == []
    assert {c.stated for c in result.genre_checks if c.kind == "statement"} == {"12件"}
    # the group labels on rows of their own (三、本年度办理结果 / （三）不予公开 with no numbers)
    leaves = build.LEAVES_2021
    rows = build.build_requests(leaves, {"result.public": [10, 1, 0, 0, 0, 0]}, [2, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0])
    table = build.tab_table(leaves, rows).split("\n")[:3]
    seen: list[str] = []
    for key, path in build.ordered(leaves):
        for label in path[:-1]:
            if label not in seen:
                seen.append(label)
                table.append(label + "\t" * 7)
        table.append(path[-1] + "\t" + "\t".join(build.fmt(v) for v in rows[key]))
    text = _small_report("无。").replace(build.tab_table(leaves, rows), "\n".join(table))
    report = reportmine.parse_text(text, source="groups.txt")
    g = report.record.genre
    assert g.value("requests/result.public/natural") == 10 and g.value("requests/result.total/total") == 11
    assert g.cell("requests/result.other.other/total").status == "value"
    assert [c.explanation for c in check_report(report).contradicted] == []


def test_the_check_view_shows_the_genre_findings():
    result = check_report(reportmine.parse(HERE / "qingjiangpu-2024-pdf-markdown.txt"))
    html = result._repr_html_()
    assert "genre rule results_total" in html and "questionable: genre qualitative all_upheld" in html
    assert html.count("rm-genre") >= 2


def test_a_group_row_is_not_taken_for_a_row_of_another_depth():
    """A 2021 table whose （六）其他处理 is one row (as in the 2019 form): not keyed as 3.其他."""
    leaves = [x for x in build.LEAVES_2021 if not x[0].startswith("result.other.")] + \
        [("result.other", ["三、本年度办理结果", "（六）其他处理"])]
    rows = build.build_requests(leaves, {"result.public": [10, 1, 0, 0, 0, 0], "result.other": [3, 0, 0, 0, 0, 0]},
                                [2, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0])
    text = _small_report("无。").replace(build.tab_table(build.LEAVES_2021, build.build_requests(
        build.LEAVES_2021, {"result.public": [10, 1, 0, 0, 0, 0]}, [2, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0])),
        build.tab_table(leaves, rows))
    report = reportmine.parse_text(text + "国办公开办函〔2021〕30号\n", source="six.txt", genre="xxgk-annual")
    g = report.record.genre
    assert g.template == "xxgk-annual-2021"
    assert g.cell("requests/result.other.other/total").status == "missing"
    assert any(w.code == "genre_row_unaligned" and "其他处理" in w.message for w in report.warnings)
    assert [c.explanation for c in check_report(report).contradicted] == []


def test_an_unreadable_cell_stops_its_rules_with_a_reason_never_a_zero():
    text = _small_report("无。")
    line = next(x for x in text.split("\n") if x.startswith("三、本年度办理结果/（一）予以公开"))
    damaged = text.replace(line, line.replace("\t10\t", "\t1O\t", 1))
    report = reportmine.parse_text(damaged, source="ocr.txt")
    cell = report.record.genre.cell("requests/result.public/natural")
    assert cell.value is None and cell.status == "unreadable" and cell.raw == "1O"
    assert any(w.code == "unreadable_cell" for w in report.warnings)
    result = check_report(report)
    assert [c.explanation for c in result.contradicted] == []
    stopped = [c for c in result.genre_checks if c.verdict == "not_checked"]
    assert {c.id for c in stopped} == {"results_total", "applicants_total"}   # the balance does not use (一)
    assert all("could not be read" in c.explanation for c in stopped)
    assert any(line.startswith("genre rule results_total: 1 of 7") for line in result.not_checked)
