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


_FUZZ_ALPHABET = st.sampled_from(list("一二三四五六七八九十百千万亿０１２３0123456789.,，、；。：（）()【】“”《》〔〕\t\n |—-/%"
                                      "场次人个项件余多近约超过其中共计合总附件号年月日省市区县局委办会议演练培训"))


class _Hang(Exception):
    pass


def _bounded_call(fn, seconds: int = 30):
    """Run ``fn``; fail if it does not return within ``seconds`` (a hang guard, not a speed goal)."""
    import signal

    def on_alarm(signum, frame):
        raise _Hang(f"no result after {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        return fn()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@settings(max_examples=40, deadline=None)
@given(st.lists(_FUZZ_ALPHABET, min_size=1, max_size=400).map("".join))
def test_fuzzed_text_through_parse_check_and_entities(text):
    """Any text: a clean result or a clean load error, spans inside the text, and no call hangs."""
    try:
        report = _bounded_call(lambda: reportmine.parse_text(text, source="fuzz.txt"))
    except reportmine.ReportLoadError:
        return
    result = _bounded_call(lambda: check_report(report))
    entities = _bounded_call(lambda: report.entities)
    for c in result.claims + result.unlinked:
        assert text[c.span[0]:c.span[1]] == c.surface
    for start, end in zip(entities["start"], entities["end"]):
        assert 0 <= start <= end <= len(text)
    for t in report.record.tables:
        for c in t.cells:
            assert 0 <= c.span[0] <= c.span[1] <= len(text)
    assert result.outcome in ("consistent", "contradicted", "partial", "unchecked")


def test_a_paragraph_without_full_stops_costs_linear_work(monkeypatch):
    """A list pasted as one 'sentence' of thousands of characters: the checker reads a window around each
    figure, so the words it looks at grow with the text, not with its square (counted, not timed)."""
    from reportmine import check as check_module
    from reportmine import tokens

    seen = [0]
    real = tokens.meaningful

    def counting(toks, drop=frozenset()):
        toks = list(toks)
        seen[0] += len(toks)
        return real(toks, drop)

    monkeypatch.setattr(tokens, "meaningful", counting)
    monkeypatch.setattr(check_module, "meaningful", counting)
    work = []
    for n in (200, 800):
        para = "".join(f"组织开展宣讲活动{i}场，参与{i * 3}人次，" for i in range(n)) + "。"
        report = reportmine.parse_text("某区安全生产月活动总结\n\n" + para + "\n")
        tokens.content_tokens.cache_clear()
        seen[0] = 0
        check_report(report)
        work.append(seen[0])
    assert work[1] < 6 * work[0], work     # 4x the text: about 4x the work (quadratic would be 16x)
