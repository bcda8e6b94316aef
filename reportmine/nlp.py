"""Chinese segmentation: jieba with the domain dictionary, alone or inside a spaCy pipeline.

jieba's dictionary is loaded once per process (it costs ~0.5 s); the domain
dictionary ``data/userdict.txt`` keeps campaign terms (安全生产月, 逃生演练训练营,
一案双罚 …) whole. :func:`make_pipeline` builds ``spacy.blank("zh")`` with the jieba
segmenter, for users who want a spaCy ``Doc``; no model is downloaded.
"""

from __future__ import annotations

from functools import lru_cache

from .resources import data_path

__all__ = ["segment", "content_tokens", "make_pipeline", "STOPWORDS"]

#: Function words and campaign boilerplate that say nothing about WHAT was counted.
STOPWORDS: frozenset[str] = frozenset(
    "的 了 和 与 及 以及 等 在 对 为 把 将 并 也 还 共 共有 有 是 于 从 向 由 其中 全市 全部 各 各类 相关 "
    "组织 开展 活动 进行 举办 累计 总计 合计 超过 近 约 达 余 多 以上 左右 不足 之 个 其 该 本 今年 期间".split())


@lru_cache(maxsize=1)
def _jieba():
    """The jieba module, initialised once with the domain dictionary."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    with data_path("userdict.txt").open(encoding="utf-8") as f:
        jieba.load_userdict(f)
    return jieba


def segment(text: str) -> list[str]:
    """jieba tokens of ``text`` (with the domain dictionary)."""
    return _jieba().lcut(text)


def content_tokens(text: str, drop: frozenset[str] = frozenset()) -> set[str]:
    """Tokens that carry meaning: no punctuation, digits, stopwords, or words in ``drop``."""
    out = set()
    for tok in segment(text):
        tok = tok.strip()
        if not tok or tok in STOPWORDS or tok in drop:
            continue
        if not any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in tok) or tok.isdigit():
            continue
        out.add(tok)
    return out


def make_pipeline(nlp=None):
    """A spaCy ``Language`` segmenting with jieba + the domain dictionary.

    Pass your own pipeline (``nlp``) to have only its jieba dictionary extended.
    """
    _jieba()
    if nlp is None:
        import spacy

        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return nlp
