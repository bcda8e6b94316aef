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


@lru_cache(maxsize=4096)
def content_tokens(text: str, drop: frozenset[str] = frozenset()) -> frozenset[str]:
    """Tokens that carry meaning: no punctuation, digits, stopwords, or words in ``drop``.

    Cached: the checker asks for the same sentence once per figure in it.
    """
    out = set()
    for tok in segment(text):
        tok = tok.strip()
        if not tok or tok in STOPWORDS or tok in drop:
            continue
        if not any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in tok) or tok.isdigit():
            continue
        out.add(tok)
    return frozenset(out)


QUANTITIES_COMPONENT = "reportmine_quantities"


def _register_components() -> None:
    """Register reportmine's spaCy components by name (idempotent)."""
    from spacy.language import Language
    from spacy.tokens import Span

    if not Span.has_extension("quantity"):
        Span.set_extension("quantity", default=None)
    if QUANTITIES_COMPONENT in Language.factories:
        return

    @Language.component(QUANTITIES_COMPONENT)
    def quantities_component(doc):
        """Put every quantity in ``doc.spans["quantities"]``, each with ``span._.quantity``."""
        from .numbers import find_quantities

        spans = []
        for q in find_quantities(doc.text):
            span = doc.char_span(q.span[0], q.span[1], alignment_mode="expand")
            if span is not None:
                span._.quantity = q
                spans.append(span)
        doc.spans["quantities"] = spans
        return doc


def make_pipeline(nlp=None):
    """A spaCy ``Language`` that segments with jieba + the domain dictionary and marks quantities.

    Pass your own Chinese pipeline (``nlp``, jieba segmenter) to have the dictionary
    loaded and the ``reportmine_quantities`` component added to it.
    """
    _jieba()
    _register_components()
    if nlp is None:
        import spacy

        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    if QUANTITIES_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(QUANTITIES_COMPONENT)
    return nlp
