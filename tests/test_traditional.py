"""Traditional-script text: detected, converted one character for one, every span in the original text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reportmine
from reportmine.check import check_report
from reportmine.normalize import normalize
from reportmine.numbers import find_quantities
from reportmine.script import script_of, to_simplified, traditional_chars

opencc = pytest.importorskip("opencc", reason="traditional-script conversion needs the reportmine[trad] extra")

from test_entities import f1  # noqa: E402  (the scorer of the entity tests)

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "benchmarks" / "entities" / "gold"
BUNDLED = sorted(GOLD_DIR.glob("*.json"))
S2T = opencc.OpenCC("s2t").convert
T2S = opencc.OpenCC("t2s").convert


def _simplified(x):
    """Every string of a JSON value in simplified characters (surfaces are reported as written)."""
    if isinstance(x, str):
        return T2S(x)
    if isinstance(x, list):
        return [_simplified(y) for y in x]
    if isinstance(x, dict):
        return {k: _simplified(v) for k, v in x.items()}
    return x


@pytest.fixture(scope="module")
def seed_pair(seed_text):
    trad = S2T(seed_text)
    assert len(trad) == len(seed_text) and trad != seed_text
    return reportmine.parse_text(seed_text, "seed"), reportmine.parse_text(trad, "seed"), trad


def test_traditional_seed_gives_the_same_record(seed_pair):
    simp, trad, _ = seed_pair
    a, b = simp.record.to_dict(), trad.record.to_dict()
    assert [w["code"] for w in b.pop("warnings")] == ["traditional_script", *[w["code"] for w in a.pop("warnings")]]
    assert a == b
    assert trad.record.cell("xuanguan.lectures").value == 9216


def test_traditional_seed_gives_the_same_claims(seed_pair):
    simp, trad, text = seed_pair
    a, b = json.loads(check_report(simp).to_json()), json.loads(check_report(trad).to_json())
    assert a == _simplified(b)
    for claim in b["claims"] + b["unlinked_quantities"]:
        start, end = claim["span"]
        assert text[start:end] == claim["surface"]     # the surface as written, traditional


def test_traditional_seed_gives_the_same_canonical_entities(seed_pair):
    simp, trad, text = seed_pair
    a, b = simp.entities, trad.entities
    assert list(zip(a.label, a.start, a.end)) == list(zip(b.label, b.start, b.end))
    for sa, sb in zip(a.itertuples(), b.itertuples()):
        assert text[sb.start:sb.end] == sb.text            # the original characters
        assert T2S(sb.text) == sa.text
        # persons and events have no canonical name in a simplified text: a traditional one gives them
        # their simplified (normalised) name
        if isinstance(sa.canonical, str) or sa.label == "DATE":      # missing values are NaN in the frame
            assert sb.canonical == sa.canonical or (sa.canonical != sa.canonical and sb.canonical != sb.canonical)
        else:     # (normalised: line breaks inside a name healed, as the simplified text's own rules do)
            assert "".join(sb.canonical.split()) == "".join(normalize(sa.text).text.split())
        assert (sb.value == sa.value or (sa.value != sa.value and sb.value != sb.value)) and sb.roles == sa.roles
    canon = dict(zip(b.text, b.canonical))
    assert canon["市應急局"] == "上海市应急管理局"
    assert canon["馬堅泓"] == "马坚泓"


def test_simplified_text_is_left_alone(seed_text):
    norm = normalize(seed_text)
    assert not norm.script.traditional and not norm.script.converted
    assert norm.text == normalize(seed_text, simplify=False).text
    assert not [w for w in reportmine.parse_text(seed_text).warnings if "traditional" in w.code]


@pytest.mark.parametrize("gold_file", BUNDLED, ids=lambda p: p.stem)
def test_org_f1_on_traditional_copies_within_002(gold_file):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    text = (REPO / gold["file"]).read_text(encoding="utf-8")
    trad = S2T(text)
    assert len(trad) == len(text)
    orgs = [e for e in gold["entities"] if e["label"] == "ORG"]
    scores = []
    for source in (text, trad):
        ents = reportmine.parse_text(source, gold["file"]).entities
        found = ents[ents["label"] == "ORG"]
        forms = f1(set(found["text"]), {source[e["start"]:e["end"]] for e in orgs})
        spans = f1(set(zip(found["start"], found["end"])), {(e["start"], e["end"]) for e in orgs})
        scores.append((forms, spans))
    (form_s, span_s), (form_t, span_t) = scores
    assert abs(form_s - form_t) <= 0.02 and abs(span_s - span_t) <= 0.02, scores


def test_traditional_measure_words_are_read_after_conversion():
    text = "全市共排查隱患5個，開展專項檢查12項，組織應急演練40場次，發佈警示信息200條，參與群衆3萬人次，投入資金1.2億元。"
    norm = normalize(text)
    assert norm.script.converted
    got = {}
    for q in find_quantities(norm.text):
        start, end = norm.to_original(*q.span)
        got[text[start:end]] = (q.value, q.unit)
    assert got == {"5個": (5, "个"), "12項": (12, "项"), "40場次": (40, "场次"), "200條": (200, "条"),
                   "3萬人次": (30000, "人次"), "1.2億元": (120000000, "元")}


def test_without_opencc_a_traditional_text_is_reported_not_misread_silently(monkeypatch, seed_text):
    import reportmine.normalize as normalize_module

    monkeypatch.setattr(normalize_module, "converter_available", lambda: False)
    report = reportmine.parse_text(S2T(seed_text), "seed-traditional")
    warning = report.warnings[0]     # (a str has no decoding note before it)
    assert warning.code == "traditional_not_converted" and "reportmine[trad]" in warning.message


def test_detection_counts_traditional_only_characters():
    assert script_of("應急管理廳組織開展安全生產月活動").traditional
    assert not script_of("应急管理厅组织开展安全生产月活动").traditional
    assert not script_of("2023 (no Han characters)").traditional
    assert {"個", "萬", "億", "條", "場", "項", "會", "廳"} <= traditional_chars()
    assert not {"个", "万", "亿", "条", "场", "项", "会", "厅"} & traditional_chars()


def test_phrase_conversion_that_would_change_length_falls_back_to_characters(monkeypatch):
    import reportmine.script as script_module

    class Stretching:
        def convert(self, text: str) -> str:   # a converter whose phrases change the length of a line
            return T2S(text) + "多" if len(text) > 1 else T2S(text)

    monkeypatch.setattr(script_module, "_converter", lambda: Stretching())
    script_module._char.cache_clear()
    try:
        assert to_simplified("應急管理廳\n組織演練") == "应急管理厅\n组织演练"
    finally:
        script_module._char.cache_clear()


_TEXT = st.text(alphabet=st.sampled_from(list("應急管理廳組織開展演練場次個項條萬億乾隆發展头发后面臺灣里裡著于於 \n\r\t（）()0123456789１２")),
                max_size=80)


@settings(max_examples=60, deadline=None)
@given(_TEXT)
def test_conversion_keeps_length_and_offsets(text):
    assert len(to_simplified(text)) == len(text)
    norm = normalize(text)
    assert len(norm.offsets) == len(norm.text) + 1
    for i in range(len(norm.text)):
        start, end = norm.to_original(i, i + 1)
        orig = text[start:end]
        if norm.script.converted:
            assert norm.text[i] in (orig, T2S(orig), "\n", " ", "（", "）", "%") or orig.isdigit() or orig in "１２"
        else:
            assert norm.text[i] == orig or orig in "\r\t()１２"
