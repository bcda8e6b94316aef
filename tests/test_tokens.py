"""Segmentation (reportmine.tokens): offsets always index the text, long runs are cut without changing
the tokens of ordinary text, and no jieba call or cache entry grows with the input."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reportmine import tokens
from reportmine.tokens import content_tokens, jieba_module, segment, segment_cached, tokens_with_offsets

HAN = "安全生产月活动开展应急管理局宣传培训演练企业消防救援上海市广东省丂丄丅亍亐"
ASCII = "abcXYZ0123456789+-._%#&"
PUNCT = "，。；！？、：“”《》（）() \t\u3000\n\r"

#: A run of characters: mostly short, sometimes long enough to pass PIECE with no punctuation at all.
runs = st.one_of(
    st.text(alphabet=HAN + ASCII + PUNCT, max_size=40),
    st.builds(lambda ch, n: ch * n, st.sampled_from(HAN + ASCII), st.integers(0, 1400)),
    st.text(alphabet=HAN, min_size=500, max_size=1300),
)
texts = st.lists(runs, max_size=6).map("".join)


def assert_exact(text: str, toks: list[tuple[str, int]]) -> None:
    pos = 0
    for tok, start in toks:
        assert tok, "empty token"
        assert start == pos, (start, pos)
        assert text[start:start + len(tok)] == tok
        pos += len(tok)
    assert pos == len(text)


@contextmanager
def piece(n: int):
    """Cut at ``n`` characters instead of PIECE, so short generated texts go through the splitting."""
    with mock.patch.object(tokens, "PIECE", n):
        yield


@settings(max_examples=60, deadline=None)
@given(texts)
def test_token_offsets_index_the_text_exactly(text):
    assert_exact(text, tokens_with_offsets(text))
    assert "".join(segment(text)) == text


@settings(max_examples=60, deadline=None)
@given(texts)
def test_offset_tokens_are_each_sentences_own_tokens(text):
    # a one-character sentence or break is taken as its own token without a call to the segmenter
    want = [tok for a, b in tokens.sentence_spans(text) for tok in segment(text[a:b])]
    assert [tok for tok, _ in tokens_with_offsets(text)] == want


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=HAN + ASCII + PUNCT, max_size=300), st.integers(0, 40), st.integers(0, 40))
def test_offsets_of_a_part_of_the_text_index_the_whole_text(text, a, b):
    start, end = min(a, len(text)), max(min(a, len(text)), len(text) - b)
    toks = tokens_with_offsets(text, start, end)
    assert_exact(text[start:end], [(t, s - start) for t, s in toks])


@settings(max_examples=80, deadline=None)
@example("c#“")        # a dictionary word of ASCII symbols stays whole under either backend
@given(st.lists(st.tuples(st.text(alphabet=HAN + ASCII, max_size=12), st.text(alphabet=PUNCT, min_size=1, max_size=2)),
                max_size=30).map(lambda parts: "".join(w + p for w, p in parts)))
def test_cutting_long_sentences_keeps_the_tokens_of_ordinary_text(text):
    # Words of at most 12 characters between punctuation: with pieces of 16 characters every cut falls
    # between characters jieba never joins, so the tokens are those of one jieba call on the whole text.
    with piece(16):
        assert segment(text) == jieba_module().lcut(text)


def test_a_long_run_without_punctuation_is_cut_into_bounded_pieces():
    seen: list[int] = []
    real = tokens._cut

    def spy(text):
        seen.append(len(text))
        return real(text)

    run = "".join(HAN[i * 7 % len(HAN)] for i in range(6000)) + "。" + "丂" * 4000
    with mock.patch.object(tokens, "_cut", spy):
        toks = tokens_with_offsets(run)
    assert_exact(run, toks)
    assert seen and max(seen) <= tokens.PIECE + tokens._OVERLAP  # jieba never sees more at once
    assert len(seen) >= len(run) // (tokens.PIECE + tokens._OVERLAP)


def test_report_sentences_are_segmented_as_one_jieba_call_does(seed_text):
    for line in seed_text.splitlines():
        assert segment(line) == jieba_module().lcut(line)
    with piece(24):  # the seed's lines cut in small pieces: still the same tokens, except inside long words
        for line in seed_text.splitlines():
            if all(len(block) <= 24 for block in jieba_module().re_han_default.findall(line)):
                assert segment(line) == jieba_module().lcut(line)


def test_caches_hold_pieces_not_documents():
    segment_cached.cache_clear()
    content_tokens.cache_clear()
    long_sentence = "，".join(["各区应急管理局组织开展安全生产宣传咨询日活动"] * 400)  # one sentence, 10k characters
    assert len(long_sentence) > tokens.PIECE
    assert "安全生产" in content_tokens(long_sentence) or "安全" in content_tokens(long_sentence)
    assert content_tokens.cache_info().currsize == 0  # a long text is not kept as a key
    segment_cached(long_sentence)
    assert segment_cached.cache_info().currsize >= 1
    assert segment_cached.cache_info().maxsize == 8192
