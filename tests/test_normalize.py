"""Normalisation repairs extraction damage and maps every character back to the original."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reportmine.normalize import normalize

SAME = str.maketrans({"（": "(", "）": ")"})


def _fold(s: str) -> str:
    """Characters that normalisation may substitute, folded to one form."""
    return s.translate(SAME).translate(str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})) \
        .replace("\u3000", " ").replace("％", "%").replace("\r", "\n")


def test_every_character_maps_back_to_the_same_character(seed_text):
    n = normalize(seed_text)
    assert len(n.offsets) == len(n.text) + 1
    for i, ch in enumerate(n.text):
        assert _fold(ch) == _fold(seed_text[n.offsets[i]])
    assert list(n.offsets[:-1]) == sorted(set(n.offsets[:-1]))


def test_heals_lines_broken_across_pages(seed_text):
    text = normalize(seed_text).text
    for broken, healed in [("以“人人", "以“人人讲安全、个个会应急”"), ("市安委会办公室常", "市安委会办公室常务副主任"),
                           ("“安全生", "“安全生产月”活动的强大声势")]:
        assert broken + "\n" in seed_text or broken + "\n\n" in seed_text
        assert healed in text


def test_headings_and_titles_keep_their_line_breaks(seed_text):
    text = normalize(seed_text).text
    assert "\n一、加强组织领导，提前筹划周密部署\n" in text
    assert "特此函报。\n" in text


def test_spans_of_normalised_phrases_map_to_original(seed_text):
    n = normalize(seed_text)
    i = n.text.index("宣讲活动9200多场")
    s, e = n.to_original(i + 4, i + 10)
    assert seed_text[s:e] == "9200 多场"
    j = n.text.index("人人讲安全、个个会应急")
    assert n.original_slice(j, j + 11).replace("\n", "") == "人人讲安全、个个会应急"


def test_digits_spaces_parentheses_and_page_numbers():
    raw = "组织开展（ ４９８２ ）个\n\n— 3 —\n\n2023 年 7 月 13 日 (信息公开形式：主动公开)"
    n = normalize(raw)
    assert "（4982）个" in n.text
    assert "— 3 —" not in n.text and "\n3\n" not in n.text
    assert "2023年7月13日" in n.text and "（信息公开形式：主动公开）" in n.text
    k = n.text.index("4982")
    assert n.original_slice(k, k + 4) == "４９８２"
    assert n.line_col(n.to_original(k, k)[0]) == (1, 7)


def test_table_rows_are_not_joined():
    row1 = "1. 开展宣贯活动\t组织开展宣讲活动(9216)场，参与(781937)人次；发表评论文章或心得体会(14681)篇；" * 2
    n = normalize(row1 + "\n2. 其他\t组织(1)场")
    assert "\n2. 其他" in n.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("上海市安全月。，：\n\t 　0123４5（）()—年场\r") + ["— 3 —", "\n\n"]), max_size=150)
       .map("".join))
def test_offsets_are_monotonic_and_faithful_for_any_text(raw):
    n = normalize(raw)
    assert len(n.offsets) == len(n.text) + 1
    prev = -1
    for i, ch in enumerate(n.text):
        o = n.offsets[i]
        assert o > prev
        prev = o
        assert _fold(ch) == _fold(raw[o])
    s, e = n.to_original(0, len(n.text))
    assert 0 <= s <= e <= len(raw)


@given(st.text(alphabet=st.sampled_from("０１２３４５６７８９％()\u3000\u00a0\r\nab中文（）12 "), max_size=60))
@settings(max_examples=300, deadline=None)
def test_character_map_is_applied_to_every_character(text):
    # the map replaces only where its characters stand: the result is what a table look-up of every
    # character gives (full-width digits and %, parentheses, ideographic and no-break spaces, CR)
    from reportmine.normalize import CHAR_MAP

    norm = normalize(text.replace("\r\n", "\n"))
    assert not any(ch in norm.text for ch in CHAR_MAP)
