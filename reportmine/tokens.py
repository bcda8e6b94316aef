"""Chinese segmentation for every stage: jieba with the domain dictionary, token offsets, a bounded cache.

Below both :mod:`reportmine.pipeline` and :mod:`reportmine.entities` (and used by the checker), so that
none of them imports another's internals. ``data/userdict.txt`` keeps campaign terms (安全生产月,
逃生演练训练营, 一案双罚 …) whole.

Two backends give the same tokens: ``jieba`` (the reference; its dictionary loads once per process,
~0.8 s) and ``rjieba`` (jieba-rs, the Rust port with the same dictionary: ~30× faster and starting in
a fraction of the time), used when it is installed (``pip install reportmine[fast]``).
``REPORTMINE_SEGMENTER=jieba|rjieba`` forces one. rjieba keeps a run of ASCII letters, digits and
symbols whole (``021-23305878``, ``2023.7.3``) where jieba's HMM splits it into ``021 - 23305878``; such
tokens are split as jieba splits them (:func:`jieba_split_ascii`), so both backends give identical tokens.

Cost stays linear in the text: a sentence longer than :data:`PIECE` characters is cut into pieces
where jieba cannot have a token crossing (any character outside its word blocks), which gives
exactly the tokens of the whole; only a single block of Han/ASCII characters longer than
:data:`PIECE` (no punctuation at all, never seen in a real report) is cut inside, at a token boundary
of an overlapping window. jieba's HMM for unknown words is quadratic in the length of a run of
unknown characters, so unbounded runs would otherwise cost minutes. The per-sentence cache holds
pieces of at most :data:`PIECE` characters, so it is bounded whatever the input.
"""

from __future__ import annotations

import os
import re
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import accumulate
from typing import Callable, Iterable

import regex

from .caching import cached_table, file_identity
from .resources import data_lines, data_path

__all__ = ["STOPWORDS", "SENTENCE_BREAK", "PIECE", "Token", "jieba_module", "word_tags", "word_frequency",
           "WordTags", "backend", "use_backend", "BACKENDS", "SEGMENTER_ENV", "jieba_split_ascii", "ensure_segmenter",
           "segment", "segment_cached", "sentence_spans", "tokens_with_offsets", "safe_cut", "content_tokens", "meaningful"]

#: A token and the offset of its first character in the text it was cut from.
Token = tuple[str, int]

#: Function words and campaign boilerplate that say nothing about WHAT was counted.
STOPWORDS: frozenset[str] = frozenset(
    "的 了 和 与 及 以及 等 在 对 为 把 将 并 也 还 共 共有 有 是 于 从 向 由 其中 全市 全部 各 各类 相关 "
    "组织 开展 活动 进行 举办 累计 总计 合计 超过 近 约 达 余 多 以上 左右 不足 之 个 其 该 本 今年 期间".split())

#: Characters that end a sentence for the checker and the entity rules alike.
SENTENCE_BREAK = "。！？；\n"

#: Longest text cut by jieba in one call (and kept in the per-sentence cache); longer ones are cut in pieces.
PIECE = 512

#: Extra characters segmented beyond a piece cut inside a block, so its last kept token is a real one.
_OVERLAP = 32

#: Characters jieba segments together (its ``re_han_default``): no token crosses any other character.
_BLOCK = "\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-"

#: A position no jieba token crosses: next to a character outside a block (not inside ``\r\n``).
#: Searched in reverse (the last such position of a window); ``(?=.)`` keeps it inside the window.
_SAFE_CUT = regex.compile(rf"(?rs)(?:(?<=[^{_BLOCK}\r])|(?<=\r)(?!\n)|(?<=[{_BLOCK}])(?=[^{_BLOCK}]))(?=.)")

_SENTENCES = regex.compile(f"[^{SENTENCE_BREAK}]+|[{SENTENCE_BREAK}]")


#: The segmentation backends, in order of preference when none is forced.
BACKENDS = ("rjieba", "jieba")
#: Environment variable that forces a backend.
SEGMENTER_ENV = "REPORTMINE_SEGMENTER"
_chosen: list[str] = []          # the backend in use, once chosen

#: What jieba's HMM step cuts a run of non-Han characters into (its ``finalseg.re_skip``).
_ASCII_RUN = regex.compile(r"[a-zA-Z0-9+#&._%\-]+")
_JIEBA_SKIP = regex.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


def backend() -> str:
    """The segmentation backend in use: ``$REPORTMINE_SEGMENTER`` if set, else rjieba when installed, else jieba."""
    if not _chosen:
        forced = os.environ.get(SEGMENTER_ENV, "").strip().lower()
        if forced:
            if forced not in BACKENDS:
                raise ValueError(f"{SEGMENTER_ENV}={forced!r}: choose one of {', '.join(BACKENDS)}")
            _chosen.append(forced)
        else:
            try:
                import rjieba  # noqa: F401
                _chosen.append("rjieba")
            except ImportError:
                _chosen.append("jieba")
    return _chosen[0]


def use_backend(name: str) -> None:
    """Switch the backend for this process (tests compare the two); cached tokens are dropped."""
    if name not in BACKENDS:
        raise ValueError(f"unknown segmenter {name!r}: choose one of {', '.join(BACKENDS)}")
    if name == "rjieba":
        _rjieba_module()
    _chosen[:] = [name]
    word_tags.cache_clear()
    _cut.cache_clear()
    content_tokens.cache_clear()


def ensure_segmenter() -> None:
    """Load the backend's dictionary now (the pipeline does, so that the first document pays nothing)."""
    if backend() == "rjieba":
        _rjieba_module()
    else:
        jieba_module()


@lru_cache(maxsize=1)
def _rjieba_module():
    """rjieba with the domain dictionary added (word, frequency and tag as jieba's user dictionary has them)."""
    try:
        import rjieba
    except ImportError:
        raise ImportError(f"{SEGMENTER_ENV}=rjieba needs the rjieba package: pip install reportmine[fast]") from None
    for line in data_lines("userdict.txt"):
        parts = line.split()
        if parts:
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            rjieba.add_word(parts[0], freq, parts[2] if len(parts) > 2 else None)
    return rjieba


def _jieba_dictionary_file() -> str:
    """Path of jieba's dictionary, found without importing jieba (its import loads the HMM tables)."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed: it is a dependency of reportmine (pip install jieba)")
    return os.path.join(list(spec.submodule_search_locations)[0], "dict.txt")


@lru_cache(maxsize=1)
def _ascii_words() -> frozenset[str]:
    """The dictionary words made of ASCII letters and symbols (C++, AT&T, c#): jieba keeps them whole.
    A few hundred words, kept in the cache directory (finding them reads all of jieba's dictionary)."""
    source = _jieba_dictionary_file()
    return frozenset(cached_table("ascii-words", file_identity(source), lambda: _find_ascii_words(source),
                                  lambda v: isinstance(v, tuple) and all(isinstance(w, str) for w in v)))


def _find_ascii_words(source: str) -> tuple[str, ...]:
    """The ASCII words of jieba's dictionary file and of the domain dictionary, sorted."""
    with open(source, encoding="utf-8") as f:
        words = set(regex.findall(r"(?m)^([\x21-\x7e]+) \d", f.read()))
    words.update(w for line in data_lines("userdict.txt") if (w := line.split()[0] if line.split() else "")
                 and w.isascii())
    return tuple(sorted(words))


#: A symbol next to another character of an ASCII run: without one, no token of a text needs
#: :func:`jieba_split_ascii` (a run of letters and digits alone is cut by jieba as it stands).
_ASCII_SYMBOL_PAIR = re.compile(r"[+#&._%\-][a-zA-Z0-9+#&._%\-]|[a-zA-Z0-9][+#&._%\-]")


def jieba_split_ascii(tokens: Iterable[str], text: str | None = None) -> list[str]:
    """Tokens with every all-ASCII run cut as jieba's HMM cuts it (``021-23305878`` -> ``021 - 23305878``);
    a dictionary word (``C++``, ``c#``) stays whole, as jieba keeps it. ``text``: the text the tokens
    cut, when known; one with no symbol inside an ASCII run is returned as it is, without a look at each token."""
    if text is not None and _ASCII_SYMBOL_PAIR.search(text) is None:
        return list(tokens)
    out: list[str] = []
    for tok in tokens:
        if len(tok) > 1 and tok[0] < "\x80" and _ASCII_RUN.fullmatch(tok) and not _JIEBA_SKIP.fullmatch(tok) \
                and tok not in _ascii_words():
            out.extend(x for x in _JIEBA_SKIP.split(tok) if x)
        else:
            out.append(tok)
    return out


@lru_cache(maxsize=1)
def jieba_module():
    """The jieba module, initialised once with the domain dictionary.

    Its prefix dictionary (some 500,000 entries) is what jieba's own cache holds, but kept in reportmine's
    cache directory (:func:`~reportmine.caching.cached_table`) and read in one piece: jieba reads its cache
    with ``marshal.load`` on the open file, object by object, ~3x slower than the same bytes read at once.
    """
    jieba = _import_jieba()
    jieba.setLogLevel(60)
    _load_prefix_dictionary(jieba.dt)
    with data_path("userdict.txt").open(encoding="utf-8") as f:
        jieba.load_userdict(f)
    return jieba


def _import_jieba():
    """``import jieba`` without its import of ``pkg_resources`` (a tenth of a second, and a deprecation
    warning with recent setuptools): jieba then opens its files beside its own code, the same files."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment] - makes ``import pkg_resources`` fail
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def _load_prefix_dictionary(dt) -> None:
    """Give jieba's default tokenizer its prefix dictionary from reportmine's cache (built by jieba's own
    ``gen_pfdict`` on a miss); a tokenizer with another dictionary, or a jieba without these attributes,
    initialises itself as usual."""
    if getattr(dt, "initialized", True) or getattr(dt, "dictionary", "") is not None or not hasattr(dt, "gen_pfdict"):
        dt.initialize()
        return
    source = _jieba_dictionary_file()
    freq, total = cached_table("jieba-prefix", file_identity(source), lambda: dt.gen_pfdict(open(source, "rb")),
                               lambda v: isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], dict)
                               and isinstance(v[1], int))
    with dt.lock:
        if not dt.initialized:
            dt.FREQ, dt.total, dt.initialized = freq, total, True


#: Code of "no tag" in the cached word table (a word with a frequency but no tag).
_NO_TAG = 255


class WordTags(Mapping[str, str]):
    """jieba's tag of each dictionary word (a read-only mapping), found by bisection in the sorted word list and
    remembered: a dict of all 350,000 words cost ~0.07 s at every start that finds entities, for the ~1,500
    look-ups of a report."""

    def __init__(self, words: list[str], codes: bytes, names: tuple[str, ...]):
        self._words, self._codes, self._names = words, codes, names
        self._seen: dict[str, str | None] = {}

    def get(self, word: str, default=None):
        try:
            tag = self._seen[word]
        except KeyError:
            i = bisect_left(self._words, word)
            code = self._codes[i] if i < len(self._words) and self._words[i] == word else _NO_TAG
            tag = None if code == _NO_TAG else self._names[code]
            if len(self._seen) >= 200_000:         # bounded: a long batch meets ever new unknown tokens
                self._seen.clear()
            self._seen[word] = tag
        return default if tag is None else tag

    def __getitem__(self, word: str) -> str:
        tag = self.get(word)
        if tag is None:
            raise KeyError(word)
        return tag

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __iter__(self) -> Iterator[str]:
        return (w for w, code in zip(self._words, self._codes) if code != _NO_TAG)

    def __len__(self) -> int:
        return len(self._codes) - self._codes.count(_NO_TAG)


@lru_cache(maxsize=1)
def _dictionary_tables() -> tuple[WordTags, list[str], array]:
    """Part-of-speech tag of every word of jieba's dictionary and the domain dictionary, and every word in
    sorted order with its frequency (a list and an array, looked up by bisection, as the tags are: a dict of
    350,000 entries costs ~10 MB and a tenth of a second to build for a handful of look-ups a report).

    Read from the dictionary files, not from jieba (with rjieba, jieba is never initialised), and kept in
    the cache directory in a form that loads in ~0.05 s (parsing the text takes ~0.3 s).
    """
    source = _jieba_dictionary_file()
    blob, codes, names, freqs = cached_table("word-tables", f"{file_identity(source)}\0{sys.byteorder}",
                                             lambda: _build_word_tables(source), _valid_word_tables)
    words = blob.split("\n")
    frequencies = array("q")
    frequencies.frombytes(freqs)
    return WordTags(words, codes, names), words, frequencies


def _valid_word_tables(value) -> bool:
    """A cached word table has the shape :func:`_build_word_tables` gives."""
    if not (isinstance(value, tuple) and len(value) == 4):
        return False
    blob, codes, names, freqs = value
    return (isinstance(blob, str) and isinstance(codes, bytes) and isinstance(names, tuple) and isinstance(freqs, bytes)
            and blob.count("\n") + 1 == len(codes) == len(freqs) // 8 and len(names) < _NO_TAG)


def _build_word_tables(source: str) -> tuple[str, bytes, tuple[str, ...], bytes]:
    """The words (sorted, joined by line breaks), a tag code per word, the tag names, and the frequencies."""
    tags, freq = _parse_dictionaries(source)
    words = sorted(tags.keys() | freq.keys())
    names = tuple(sorted(set(tags.values()) | {"x"}))
    index = {name: i for i, name in enumerate(names)}
    codes = bytes(index[tags[w]] if w in tags else _NO_TAG for w in words)
    return "\n".join(words), codes, names, array("q", (freq.get(w, 0) for w in words)).tobytes()


def _parse_dictionaries(source: str) -> tuple[dict[str, str], dict[str, int]]:
    """Tags and frequencies from jieba's dictionary file, then the domain dictionary's on top."""
    tags: dict[str, str] = {}
    freq: dict[str, int] = {}
    with open(source, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                freq[parts[0]] = int(parts[1])
                if len(parts) >= 3:
                    tags[parts[0]] = parts[2]
    for line in data_lines("userdict.txt"):
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            freq[parts[0]] = int(parts[1])
        if len(parts) >= 3:
            tags[parts[0]] = parts[2]
    return tags, freq


@lru_cache(maxsize=1)
def word_tags() -> WordTags:
    """jieba's part-of-speech tag of every dictionary word, with the domain dictionary's added.

    The table ``jieba.posseg`` builds (tested equal), read from the dictionary files whatever the backend:
    jieba.posseg's own loading would cost another ~0.3 s, and with rjieba jieba is never initialised.
    """
    return _dictionary_tables()[0]


def word_frequency(word: str) -> int:
    """How common a word is in jieba's dictionary or the domain dictionary (0 when in neither)."""
    _, words, frequencies = _dictionary_tables()
    i = bisect_left(words, word)
    return frequencies[i] if i < len(words) and words[i] == word else 0


def _short_text_cache(maxsize: int) -> Callable[[Callable], Callable]:
    """``lru_cache`` for functions of a text that caches only texts of at most :data:`PIECE` characters.

    A cache of whole sentences would hold a document's worth of text when its sentences are long;
    pieces are bounded, so the cache is too. ``cache_clear``/``cache_info`` are those of the lru cache.
    """
    def decorate(func: Callable) -> Callable:
        cached = lru_cache(maxsize=maxsize)(func)

        def wrapper(text: str, *args, **kwargs):
            return cached(text, *args, **kwargs) if len(text) <= PIECE else func(text, *args, **kwargs)

        wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        wrapper.cache_info = cached.cache_info  # type: ignore[attr-defined]
        wrapper.__doc__, wrapper.__name__, wrapper.__wrapped__ = func.__doc__, func.__name__, func  # type: ignore[attr-defined]
        return wrapper

    return decorate


@lru_cache(maxsize=8192)
def _cut(text: str) -> tuple[str, ...]:
    """The backend's tokens of one piece (interned: a long document repeats the same words)."""
    if backend() == "rjieba":
        return tuple(map(sys.intern, jieba_split_ascii(_rjieba_module().cut(text, True), text)))
    return tuple(map(sys.intern, jieba_module().lcut(text)))


def _cut_long(text: str) -> tuple[str, ...]:
    """Tokens of a text longer than :data:`PIECE`: cut in pieces at positions no token crosses.

    A block with no such position within :data:`PIECE` characters is cut at the last token boundary
    of a slightly longer window (the only place the tokens may differ from one jieba call).
    """
    out: list[str] = []
    a, n = 0, len(text)
    while n - a > PIECE:
        cut = safe_cut(text, a, a + PIECE + 1)
        if cut is not None:
            out += _cut(text[a:cut])
            a = cut
            continue
        taken = 0
        for tok in _cut(text[a:a + PIECE + _OVERLAP]):
            if taken and taken + len(tok) > PIECE:
                break
            out.append(tok)
            taken += len(tok)
        a += taken
    out += _cut(text[a:])
    return tuple(out)


def segment_cached(text: str) -> tuple[str, ...]:
    """jieba tokens of ``text`` (with the domain dictionary), remembered per piece: the checker and
    the entity rules cut the same sentences. Their lengths always add up to ``len(text)``."""
    return _cut(text) if len(text) <= PIECE else _cut_long(text)


segment_cached.cache_clear = _cut.cache_clear  # type: ignore[attr-defined]
segment_cached.cache_info = _cut.cache_info  # type: ignore[attr-defined]


def segment(text: str) -> list[str]:
    """jieba tokens of ``text`` (with the domain dictionary)."""
    return list(segment_cached(text))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> Iterable[tuple[int, int]]:
    """``(start, end)`` of each sentence and of each :data:`SENTENCE_BREAK` character of
    ``text[start:end]``, in order, as offsets into ``text``."""
    return (m.span() for m in _SENTENCES.finditer(text, start, len(text) if end is None else end))


def tokens_with_offsets(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """jieba tokens of ``text[start:end]`` with their offsets in ``text``, segmented sentence by
    sentence (cached). The tokens cover the range exactly: each starts where the previous one ends."""
    out: list[Token] = []
    append, extend = out.append, out.extend
    for m in _SENTENCES.finditer(text, start, len(text) if end is None else end):
        piece, a = m.group(), m.start()
        if len(piece) == 1:             # a break character (。, \n) or a one-character sentence: its own token
            append((piece, a))
            continue
        toks = segment_cached(piece)
        extend(zip(toks, accumulate(map(len, toks), initial=a)))
    return out


def safe_cut(text: str, start: int, end: int) -> int | None:
    """The last offset in ``(start, end)`` where no jieba token can cross (next to a character that
    jieba never joins to a word), or None: cutting a text there leaves its tokens unchanged."""
    m = _SAFE_CUT.search(text, start + 1, end)
    return m.start() if m is not None else None


@_short_text_cache(maxsize=4096)
def content_tokens(text: str, drop: frozenset[str] = frozenset()) -> frozenset[str]:
    """Tokens that carry meaning: no punctuation, digits, stopwords, or words in ``drop``.

    Cached (texts up to :data:`PIECE` characters): the checker asks for the same sentence once per figure in it.
    """
    return meaningful(segment_cached(text), drop)


def meaningful(tokens: Iterable[str], drop: frozenset[str] = frozenset()) -> frozenset[str]:
    """The tokens of :func:`content_tokens`, from tokens already cut."""
    out = set()
    for tok in tokens:
        tok = tok.strip()
        if tok and _carries_meaning(tok) and tok not in drop:
            out.add(tok)
    return frozenset(out)


@lru_cache(maxsize=65536)
def _carries_meaning(tok: str) -> bool:
    """A word, not a stopword, with a Han character or a letter, not all digits (remembered per word)."""
    return tok not in STOPWORDS and any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in tok) and not tok.isdigit()
