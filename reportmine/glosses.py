"""Pinyin glosses that machine-converted pages put after Chinese words: ``公司(sī)``, ``會議(yì)``,
``安全（ān quán）``. Only a bracket right after a Chinese character whose every word is a pinyin syllable (tone
marks stripped; the syllables are data in ``data/web_furniture.json``) with at least one tone mark is a gloss,
so ``（9216）场``, ``（一）`` or ``（GDP）`` are never touched."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from .resources import data_json

__all__ = ["gloss_spans", "is_gloss"]

_TONE_MARKS = {"\u0304", "\u0301", "\u030c", "\u0300"}     # macron, acute, caron, grave
#: A bracket after a Chinese character holding only letters (with tone marks), apostrophes and spaces.
_CANDIDATE = regex.compile(r"(?<=\p{Han})[（(]([\p{Latin}'’ ]{1,60})[）)]")


@lru_cache(maxsize=1)
def _syllables() -> tuple[frozenset[str], int]:
    data = data_json("web_furniture.json")["pinyin"]
    finals = data["finals"]
    syllables = {i + f for i in data["initials"] for f in finals} | set(finals)
    return frozenset(syllables), int(data["max_syllables"])


def _plain(word: str) -> tuple[str, bool]:
    """The syllable without tone marks (ü kept) and whether it carried one."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    toned = any(c in _TONE_MARKS for c in decomposed)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS)), toned


def is_gloss(inside: str) -> bool:
    """Whether the text inside a bracket is a pinyin gloss: syllables only, at least one with a tone mark."""
    syllables, most = _syllables()
    words = [w for w in regex.split(r"[ '’]+", inside.strip()) if w]
    if not words or len(words) > most:
        return False
    toned = False
    for word in words:
        plain, mark = _plain(word)
        if plain not in syllables:
            return False
        toned = toned or mark
    return toned


def gloss_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the pinyin glosses in ``text`` (brackets included), for deletion."""
    out = []
    for m in _CANDIDATE.finditer(text):
        if is_gloss(m.group(1)):
            # no more syllables than the Chinese characters right before the bracket
            han = len(regex.match(r"\p{Han}*", text[max(0, m.start() - 12):m.start()][::-1]).group())
            if len([w for w in regex.split(r"[ '’]+", m.group(1).strip()) if w]) <= han:
                out.append(m.span())
    return out
