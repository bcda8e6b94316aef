"""reportmine's spaCy pipeline: jieba with the domain dictionary, quantities and entities on a ``Doc``.

:func:`make_pipeline` builds ``spacy.blank("zh")`` with reportmine's segmenter as its tokenizer
(registered as ``reportmine.Segmenter.v1``: jieba or rjieba with the domain dictionary, the same tokens
either way), for users who want a spaCy ``Doc``; no model is downloaded. Segmentation itself (backends,
token offsets, the per-sentence cache) lives in :mod:`reportmine.tokens`; its functions are re-exported
here for existing callers.
"""

from __future__ import annotations

import bisect
from functools import lru_cache

from .tokens import STOPWORDS, content_tokens, ensure_segmenter, meaningful, segment, segment_cached

__all__ = ["segment", "segment_cached", "content_tokens", "meaningful", "make_pipeline", "nlp", "annotate",
           "STOPWORDS"]


TOKENIZER = "reportmine.Segmenter.v1"
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
    from spacy.util import registry

    if TOKENIZER not in registry.tokenizers:
        registry.tokenizers.register(TOKENIZER, func=_make_tokenizer)
    if QUANTITIES_COMPONENT not in Language.factories:
        Language.component(QUANTITIES_COMPONENT, func=_quantities_component)
    if ENTITIES_COMPONENT not in Language.factories:
        Language.factory(ENTITIES_COMPONENT, default_config={"labels": list(_entity_labels())},
                         func=_make_entities_component)


def _make_tokenizer():
    """spaCy tokenizer factory: reportmine's segmenter (:func:`reportmine.tokens.segment`), spaces kept
    as spaCy's Chinese tokenizer keeps them."""
    def create(nlp):
        from spacy.tokens import Doc
        from spacy.util import get_words_and_spaces

        def tokenize(text: str):
            words, spaces = get_words_and_spaces([w for w in segment(text) if w], text)
            return Doc(nlp.vocab, words=words, spaces=spaces)

        return tokenize

    return create


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
        doc.ents = filter_spans(list(doc.ents) + _clear_of(spans, doc.ents))
        doc._.entities = found
        doc._.events = find_events(doc.text, found)
        return doc


def _split_tokens(doc, cuts: set[int]) -> None:
    """Split tokens at entity edges so every entity is a whole-token span (jieba glues 马坚泓于).

    Quantity spans set earlier are rebuilt from their character offsets afterwards.
    """
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


def _clear_of(spans, others) -> list:
    """The ``spans`` that overlap none of ``others`` (``doc.ents``: sorted and non-overlapping, so bisect)."""
    starts, ends = [o.start for o in others], [o.end for o in others]
    out = []
    for span in spans:
        i = bisect.bisect_right(ends, span.start)  # the first entity that ends after the span starts
        if i == len(ends) or starts[i] >= span.end:
            out.append(span)
    return out


def _make_entities_component(nlp, name: str, labels: list[str]):
    return EntitiesComponent(labels)


def make_pipeline(nlp=None, *, entities: bool = True):
    """A spaCy ``Language``: jieba + the domain dictionary, quantities and entity components.

    Pass your own Chinese pipeline (``nlp``, e.g. a trained NER model you installed) to have
    reportmine's components added after its own; entities it already found are kept in ``doc.ents``.
    """
    ensure_segmenter()
    _register_components()
    if nlp is None:
        import spacy

        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
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
