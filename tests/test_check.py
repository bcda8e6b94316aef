"""Prose figures against the annex table, and the prose against itself, on the seed and damaged copies."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reportmine
from reportmine.check import check_report, units_compatible


@pytest.fixture(scope="module")
def seed_check(seed_report):
    return check_report(seed_report)


def _overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_every_gold_claim_is_linked_to_its_cell(seed_check, gold_claims):
    got = {tuple(c.span): c for c in seed_check.claims}
    for want in gold_claims["claims"]:
        claim = got.get(tuple(want["span"]))
        assert claim is not None, want["surface"]
        d = claim.to_dict()
        for name in ("surface", "value", "qualifier", "unit", "admits", "bounds", "cell", "verdict"):
            assert d[name] == want[name], (want["surface"], name)


def test_no_claim_beyond_the_gold_ones_is_linked(seed_check, gold_claims):
    assert sorted(tuple(c.span) for c in seed_check.claims) == sorted(tuple(c["span"]) for c in gold_claims["claims"])


def test_unlinked_quantities_are_found_and_not_linked(seed_check, gold_claims):
    unlinked = [c.span for c in seed_check.unlinked]
    linked = [c.span for c in seed_check.claims]
    for want in gold_claims["unlinked_quantities"]:
        assert any(_overlaps(s, want["span"]) for s in unlinked), want["surface"]
        assert not any(_overlaps(s, want["span"]) for s in linked), want["surface"]


def test_not_quantities_give_no_figure(seed_check, gold_claims, seed_text):
    spans = [c.span for c in seed_check.claims + seed_check.unlinked]
    for phrase in gold_claims["not_quantities"]:
        start = seed_text.find(phrase)
        while start >= 0:
            assert not any(_overlaps(s, (start, start + len(phrase))) for s in spans), phrase
            start = seed_text.find(phrase, start + 1)


def test_internal_checks_match_gold(seed_check, gold_claims, seed_text):
    for want in gold_claims["internal_checks"]:
        surface = want.get("whole") or want["count"]
        at = seed_text.index(surface)
        hits = [c for c in seed_check.internal_checks if c.kind == want["kind"]
                and _overlaps(c.span, (at, at + len(surface)))]
        assert len(hits) == 1, surface
        d = hits[0].to_dict()
        assert d["verdict"] == want["verdict"]
        if want["kind"] == "part_whole":
            assert [p.replace(" ", "") for p in d["parts"]] == want["parts"]
        else:
            assert d["listed"] == want["listed"]


def test_unmentioned_cells_match_gold(seed_check, gold_claims):
    assert seed_check.unmentioned_cells == gold_claims["unmentioned_cells"]
    assert seed_check.ok and not seed_check.contradicted


def _check_text(text: str):
    return check_report(reportmine.parse_text(text, source="edited.txt"))


def test_a_changed_figure_is_contradicted_with_an_explanation(seed_text):
    result = _check_text(seed_text.replace("宣讲活动 9200 多场", "宣讲活动 9300 多场", 1))
    bad = [c for c in result.claims if c.verdict == "contradicted"]
    assert len(bad) == 1 and bad[0].cell == 0
    expl = bad[0].explanation
    assert "9300多场" in expl and "(9300, 9400)" in expl and "9216场" in expl and "line 41:" in expl
    assert not result.ok


def test_a_changed_cell_is_contradicted(seed_text):
    result = _check_text(seed_text.replace("答题(707633)人次", "答题(708633)人次", 1))
    bad = [c for c in result.claims if c.verdict == "contradicted"]
    assert [c.surface for c in bad] == ["近 70.8 万人次"]


def test_parts_exceeding_the_whole_are_contradicted(seed_text):
    result = _check_text(seed_text.replace("科普宣传26条次", "科普宣传46条次", 1))
    pw = [c for c in result.internal_checks if c.kind == "part_whole"]
    assert len(pw) == 1 and pw[0].verdict == "contradicted"
    assert "59 > 54" in pw[0].explanation


def test_list_longer_than_count_or_shorter_without_etc_is_contradicted(seed_text):
    longer = _check_text(seed_text.replace("和模拟案卷评查三个环节", "和模拟案卷评查两个环节", 1))
    assert [c.listed for c in longer.internal_checks if c.verdict == "contradicted"] == [3]
    shorter = _check_text(seed_text.replace("执法规范三个方面", "执法规范四个方面", 1))
    assert [c.listed for c in shorter.internal_checks if c.verdict == "contradicted"] == [3]


def test_unit_groups():
    assert units_compatible("场", "场次") and units_compatible("人次", "人") and units_compatible("条", "个")
    assert not units_compatible("场", "人次") and not units_compatible(None, "场")


def test_frame_and_html_view(seed_check, gold_claims):
    frame = seed_check.to_frame()
    linked = frame[frame["cell"].notna()]
    assert len(linked) == len(gold_claims["claims"])
    assert set(linked["verdict"]) == {"consistent"}
    html = seed_check._repr_html_()
    assert html.count('<mark id=') == html.count('data-verdict="consistent"') == len(gold_claims["claims"])  # green
    assert "annex item 1 组织开展宣讲活动 says 9216场" in html


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportmine", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_cli_check_exit_status_and_json(seed_path, tmp_path, seed_text, gold_claims):
    ok = _cli("check", str(seed_path), "--format", "json")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert set(data) >= {"claims", "unlinked_quantities", "internal_checks", "unmentioned_cells"}
    assert [c["cell"] for c in data["claims"]] == [c["cell"] for c in gold_claims["claims"]]
    bad = tmp_path / "bad.txt"
    bad.write_text(seed_text.replace("超过 1900 条", "超过 2900 条"), encoding="utf-8")
    out = _cli("check", str(bad))
    assert out.returncode == 1
    assert "BAD" in out.stdout and "2900" in out.stdout
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert _cli("check", str(empty)).returncode == 2


def test_reports_written_for_evaluation_have_only_their_deliberate_contradiction():
    """corpus/manifest.csv: the 2024 Sichuan report says 1.2万余场 drills where its annex says 9876."""
    from pathlib import Path

    import reportmine
    from reportmine.check import check_report

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    found = {}
    for name in ("2020-jiangsu", "2021-guangdong", "2022-zhejiang", "2024-sichuan", "2025-hubei"):
        result = check_report(reportmine.parse(corpus / f"{name}-safety-month.txt"))
        found[name] = [(c.surface.replace(" ", ""), c.cell_key) for c in result.contradicted]
    assert found == {"2020-jiangsu": [], "2021-guangdong": [], "2022-zhejiang": [], "2025-hubei": [],
                     "2024-sichuan": [("1.2万余场", "drills.enterprise_drills")]}


def _bounded_by_walking(text, pos, end, breaks, reach):
    """The stretch around a figure found character by character: the reference _bounded must equal."""
    lo, hi = max(0, pos - reach), min(len(text), end + reach)
    s = pos
    while s > lo and text[s - 1] not in breaks:
        s -= 1
    if s == lo and lo > 0:
        cuts = [i for i in (text.find(ch, lo, pos) for ch in "，；,;") if i >= 0]
        s = min(cuts) + 1 if cuts else lo
    e = end
    while e < hi and text[e] not in breaks:
        e += 1
    if e == hi and hi < len(text):
        e = max(max(text.rfind(ch, end, hi) for ch in "，；,;"), end) if any(ch in text[end:hi] for ch in "，；,;") \
            else hi
    return s, e


@given(st.text(alphabet=st.sampled_from(list("ab，；。！？\n,;:：x字")), max_size=30), st.data())
@settings(max_examples=300, deadline=None)
def test_a_figures_clause_and_sentence_end_at_the_nearest_breaks(text, data):
    from reportmine.check import CLAUSE_BREAK, SENTENCE_BREAK, _bounded

    pos = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(pos, len(text)))
    reach = data.draw(st.integers(0, 12))
    for breaks in (CLAUSE_BREAK, SENTENCE_BREAK):
        assert _bounded(text, pos, end, breaks, reach) == _bounded_by_walking(text, pos, end, breaks, reach)
