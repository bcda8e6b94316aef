"""Chinese segmentation: jieba with the domain dictionary, alone or inside a spaCy pipeline.

jieba's dictionary is loaded once per process (it costs ~0.5 s); the domain
dictionary ``data/userdict.txt`` keeps campaign terms (安全生产月, 逃生演练训练营,
一案双罚 …) whole. :func:`make_pipeline` builds ``spacy.blank("zh")`` with the jieba
segmenter, for users who want a spaCy ``Doc``; no model is downloaded.
"""

from __future__ import annotations

from functools import lru_cache

from .resources import data_path

__all__ = ["segment", "content_tokens", "make_pipeline", "nlp", "annotate", "STOPWORDS"]

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
    return list(segment_cached(text))


@lru_cache(maxsize=8192)
def segment_cached(text: str) -> tuple[str, ...]:
    """:func:`segment` remembered per sentence: the checker and the entity rules cut the same sentences."""
    return tuple(_jieba().lcut(text))


#: Characters that end a sentence for the checker and the entity rules alike.
SENTENCE_BREAK = "。！？；\n"


@lru_cache(maxsize=1)
def _sentences():
    import regex

    return regex.compile(f"[^{SENTENCE_BREAK}]+|[{SENTENCE_BREAK}]")


def tokens_with_offsets(text: str) -> list[tuple[str, int]]:
    """jieba tokens of ``text`` with their offsets, segmented sentence by sentence (cached)."""
    out: list[tuple[str, int]] = []
    for m in _sentences().finditer(text):
        pos = m.start()
        for tok in segment_cached(m.group()):
            out.append((tok, pos))
            pos += len(tok)
    return out


@lru_cache(maxsize=4096)
def content_tokens(text: str, drop: frozenset[str] = frozenset()) -> frozenset[str]:
    """Tokens that carry meaning: no punctuation, digits, stopwords, or words in ``drop``.

    Cached: the checker asks for the same sentence once per figure in it.
    """
    return meaningful(segment_cached(text), drop)


def meaningful(tokens, drop: frozenset[str] = frozenset()) -> frozenset[str]:
    """The tokens of :func:`content_tokens`, from tokens already cut."""
    out = set()
    for tok in tokens:
        tok = tok.strip()
        if not tok or tok in STOPWORDS or tok in drop:
            continue
        if not any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in tok) or tok.isdigit():
            continue
        out.add(tok)
    return frozenset(out)


QUANTITIES_COMPONENT = "reportmine_quantities"
ENTITIES_COMPONENT = "reportmine_entities"
ENTITY_SPANS_KEY = "reportmine_entities"


def _register_components() -> None:
    """Register reportmine's spaCy components and extensions by name (idempotent)."""
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    for name in ("quantity", "canonical", "value", "roles"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension("report_context"):
        Doc.set_extension("report_context", default=None)
    for name in ("events", "entities"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if QUANTITIES_COMPONENT not in Language.factories:
        Language.component(QUANTITIES_COMPONENT, func=_quantities_component)
    if ENTITIES_COMPONENT not in Language.factories:
        Language.factory(ENTITIES_COMPONENT, default_config={"labels": list(_entity_labels())},
                         func=_make_entities_component)


def _quantities_component(doc):
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


def _entity_labels() -> tuple[str, ...]:
    from .entities import LABELS

    return LABELS


class EntitiesComponent:
    """spaCy component: ORG, PERSON, GPE, LOC, DATE and EVENT spans from reportmine's rules.

    All mentions go to ``doc.spans["reportmine_entities"]`` (they may overlap across labels: a
    DATE inside an EVENT name); ``doc.ents`` gets the non-overlapping ones that don't clash with
    entities an earlier component (a user's trained NER) set. Each span carries ``_.canonical``,
    ``_.value`` (ISO date) and ``_.roles``; ``doc._.entities`` has them all as :class:`~reportmine.entities.Entity` with exact character offsets
    (a span is widened to whole tokens), and ``doc._.events`` lists the events. The report's region
    and date come from ``doc._.report_context`` (an :class:`~reportmine.entities.EntityContext`),
    or are read from the text when it is not set.
    """

    def __init__(self, labels: list[str]):
        self.labels = tuple(labels)

    def __call__(self, doc):
        from spacy.util import filter_spans

        from .entities import find_entities, find_events, infer_context

        ctx = doc._.report_context or infer_context(doc.text)
        tokens = [(t.text, t.idx) for t in doc]
        found = find_entities(doc.text, ctx, tokens=tokens, labels=self.labels)
        _split_tokens(doc, {b for ent in found for b in (ent.start, ent.end)})
        spans = []
        for ent in found:
            span = doc.char_span(ent.start, ent.end, label=ent.label, alignment_mode="expand")
            if span is None:
                continue
            span._.canonical, span._.value, span._.roles = ent.canonical, ent.value, list(ent.roles)
            spans.append(span)
        doc.spans[ENTITY_SPANS_KEY] = spans
        doc.ents = filter_spans(list(doc.ents) + [s for s in spans if not _overlaps(s, doc.ents)])
        doc._.entities = found
        doc._.events = find_events(doc.text, found)
        return doc


def _split_tokens(doc, cuts: set[int]) -> None:
    """Split tokens at entity edges so every entity is a whole-token span (jieba glues 马坚泓于).

    Quantity spans set earlier are rebuilt from their character offsets afterwards.
    """
    import bisect

    ordered = sorted(cuts)
    pieces = []
    for token in doc:
        lo = bisect.bisect_right(ordered, token.idx)
        hi = bisect.bisect_left(ordered, token.idx + len(token.text))
        inner = [c - token.idx for c in ordered[lo:hi]]
        if inner:
            pieces.append((token, [token.text[a:b] for a, b in zip([0] + inner, inner + [len(token.text)])]))
    if not pieces:
        return
    quantities = [s._.quantity for s in doc.spans.get("quantities", [])]
    with doc.retokenize() as retokenizer:
        for token, orths in pieces:
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))
    if "quantities" in doc.spans:
        rebuilt = []
        for q in quantities:
            span = doc.char_span(q.span[0], q.span[1], alignment_mode="expand")
            if span is not None:
                span._.quantity = q
                rebuilt.append(span)
        doc.spans["quantities"] = rebuilt


def _overlaps(span, others) -> bool:
    return any(span.start < o.end and o.start < span.end for o in others)


def _make_entities_component(nlp, name: str, labels: list[str]):
    return EntitiesComponent(labels)


def make_pipeline(nlp=None, *, entities: bool = True):
    """A spaCy ``Language``: jieba + the domain dictionary, quantities and entity components.

    Pass your own Chinese pipeline (``nlp``, e.g. a trained NER model you installed) to have
    reportmine's components added after its own; entities it already found are kept in ``doc.ents``.
    """
    _jieba()
    _register_components()
    if nlp is None:
        import spacy

        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    if QUANTITIES_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(QUANTITIES_COMPONENT)
    if entities and ENTITIES_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(ENTITIES_COMPONENT)
    return nlp


@lru_cache(maxsize=1)
def nlp():
    """reportmine's spaCy pipeline, built once per process (``reportmine.nlp()``)."""
    return make_pipeline()


def annotate(text: str, context=None, pipeline=None):
    """Run the pipeline on ``text`` with the report's context (region, date) set on the ``Doc``."""
    pipeline = pipeline or nlp()
    doc = pipeline.make_doc(text)
    doc._.report_context = context
    for _, proc in pipeline.pipeline:
        doc = proc(doc)
    return doc
