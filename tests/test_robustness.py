"""Damaged, truncated and shuffled reports never crash parse or check: they give warnings."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportmine
from reportmine.check import check_report


def _run(text: str) -> None:
    try:
        report = reportmine.parse_text(text, source="fuzz.txt")
    except reportmine.ReportLoadError as err:
        assert "empty" in str(err)
        return
    result = check_report(report)
    for c in report.record.annex.cells:
        assert 0 <= c.span[0] <= c.span[1] <= len(text)
    for c in result.claims + result.unlinked:
        assert text[c.span[0]:c.span[1]] == c.surface


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0, 1))
def test_truncated_report(seed_text, cut):
    _run(seed_text[: int(len(seed_text) * cut)])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_shuffled_and_dropped_lines(seed_text, data):
    lines = seed_text.split("\n")
    picked = data.draw(st.lists(st.sampled_from(lines), max_size=60))
    _run("\n".join(picked))


@pytest.mark.parametrize("text", ["附件", "附件\n\n1.\t", "抄送：", "2023年7月13日", "（", "1. a\tb（", "共印份",
                                  "沪安委办函〔2023〕1号\n", "附件\n\n表\n\n1. 项目\t活动（）场（", "\t\t\n\t"])
def test_fragments(text):
    _run(text)
