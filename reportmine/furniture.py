"""Page furniture in the text of web pages: view counters, breadcrumbs, share and print links, related
headlines, footers and injected spam digits, told by whole lines (patterns in ``data/web_furniture.json``).

Conservative by design: a line goes only when it is nothing but furniture items, and a weak item (主办单位,
发布时间, 打印) only in a block that also holds a strong one (浏览次数：1024, 当前位置：, ICP备, 分享到). Spam digit
lines go only in a text that shows it is a web page (a strong item somewhere).
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import Callable

import regex

from .resources import data_json
from .script import fold_traditional

__all__ = ["furniture_lines", "is_furniture", "has_furniture", "may_hold_furniture", "line_kind", "HeadlineTest"]

_STRONG, _WEAK, _FIELD = "strong", "weak", "field"
#: Most lines a related-articles heading carries after it.
MAX_HEADLINES = 15


class _Rules:
    """The line patterns of ``data/web_furniture.json``, each compiled on first use: a report with no furniture
    line needs a few of them (``first``, ``related``, ``spam``, ``inline_tail``), and compiling all with the
    items' own patterns cost ~12 ms more at every cold start."""

    def __init__(self) -> None:
        self.data = data_json("web_furniture.json")["lines"]
        self.max_line = int(self.data["max_line"])

    @cached_property
    def items(self) -> tuple[tuple[str, regex.Pattern[str]], ...]:
        """(kind, pattern) of each item: needed once a line starts with one (``first``)."""
        return tuple((kind, regex.compile(pattern)) for kind, key in ((_STRONG, "strong"), (_WEAK, "weak"),
                                                                       (_FIELD, "fields"))
                     for pattern in self.data[key])

    @cached_property
    def first(self) -> regex.Pattern[str]:
        """Any item: a line that starts with none is content."""
        return regex.compile("|".join(f"(?:{pattern})" for key in ("strong", "weak", "fields")
                                      for pattern in self.data[key]))

    @cached_property
    def strong(self) -> regex.Pattern[str]:
        """A key word every strong item and related heading holds."""
        return regex.compile("|".join(regex.escape(key) for key in self.data["keys"]))

    def _compiled(self, key: str) -> regex.Pattern[str]:
        return regex.compile(self.data[key])

    separator = cached_property(lambda self: self._compiled("separator"))
    related = cached_property(lambda self: self._compiled("related_heads"))
    headline = cached_property(lambda self: self._compiled("headline"))
    not_headline = cached_property(lambda self: self._compiled("not_headline"))
    spam = cached_property(lambda self: self._compiled("spam"))
    crumb_head = cached_property(lambda self: self._compiled("crumb_heads"))
    crumb_separator = cached_property(lambda self: self._compiled("crumb_separator"))
    crumb_label = cached_property(lambda self: self._compiled("crumb_label"))
    inline_tail = cached_property(lambda self: self._compiled("inline_tail"))
    spam_tail = cached_property(lambda self: self._compiled("spam_tail"))


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    return _Rules()


def _fold(text: str) -> str:
    """Traditional characters of furniture words as simplified ones, one for one (offsets do not move)."""
    return fold_traditional(text)


def line_kind(line: str) -> str:
    """``strong``, ``weak`` or ``field`` (nothing but furniture items, the strongest kind among them),
    ``related`` (a related-articles heading), ``spam`` (a bare digit run), ``blank`` or ``content``."""
    return _kind(_fold(line))


def _kind(line: str) -> str:
    rules = _rules()
    text = line.strip(" \t\u3000\u00a0")
    if not text:
        return "blank"
    if len(text) > rules.max_line:
        return "content"
    if rules.related.fullmatch(text):
        return "related"
    if rules.spam.fullmatch(text):
        return "spam"
    if not rules.first.match(text):
        return "content"
    kinds, pos = set(), 0
    while pos < len(text):
        best, kind = None, None
        for k, pattern in rules.items:
            m = pattern.match(text, pos)
            if m and m.end() > pos and (best is None or m.end() > best):
                best, kind = m.end(), k
        if best is None:
            return "content"
        kinds.add(kind)
        pos = rules.separator.match(text, best).end()
    return _STRONG if _STRONG in kinds else _WEAK if _WEAK in kinds else _FIELD


def _headline(line: str) -> bool:
    rules = _rules()
    text = line.strip(" \t\u3000\u00a0")
    return bool(rules.headline.fullmatch(text)) and not rules.not_headline.search(text)


def _lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in regex.finditer(r"(?m)^.*$", text)]


def _crumbs(text: str, lines: list[tuple[int, int]], kinds: list[str], i: int) -> None:
    """A breadcrumb pasted one link a line (``您当前所在位置：`` / ``首页`` / ``>`` / ``政务公开`` / ``>`` …): the
    separators and the labels between them after the heading are furniture too."""
    rules = _rules()
    j, after_separator = i + 1, True
    while j < len(lines):
        line = text[lines[j][0]:lines[j][1]].strip(" \t\u3000\u00a0")
        if rules.crumb_separator.fullmatch(line):
            after_separator = True
        elif after_separator and rules.crumb_label.fullmatch(line):
            after_separator = False
        else:
            break
        if kinds[j] in ("content", _FIELD):
            kinds[j] = "crumb"
        j += 1


#: Whether a line may be a related headline (the HTML reader: only the text of a link or list item).
HeadlineTest = Callable[[str], bool]


def _kinds(text: str, lines: list[tuple[int, int]], headline: HeadlineTest | None = None) -> list[str]:
    kinds = [_kind(text[s:e]) for s, e in lines]
    rules = _rules()
    for i, kind in enumerate(kinds):
        if kind == _STRONG and rules.crumb_head.fullmatch(text[lines[i][0]:lines[i][1]].strip(" \t\u3000\u00a0")):
            _crumbs(text, lines, kinds, i)
        if kind != "related":
            continue
        j, taken = i + 1, 0
        while j < len(lines) and taken < MAX_HEADLINES:
            k = kinds[j]
            line = text[lines[j][0]:lines[j][1]]
            if k == "content" and _headline(line) and (headline is None or headline(line)):
                kinds[j] = "headline"
                taken += 1
            elif k not in ("blank", "spam", _FIELD):
                break
            j += 1
    return kinds


def _ends_sentence(line: str) -> bool:
    return line.rstrip(" \t")[-1:] in ("。", "！", "？", "；", "：", "”", "」", "")


def furniture_lines(text: str, headline: HeadlineTest | None = None) -> list[tuple[int, int]]:
    """Spans of the furniture lines of ``text`` (each with its line break), and of furniture at the end of a
    report line, sorted and disjoint."""
    text = _fold(text)
    if not may_hold_furniture(text):
        return []
    lines = _lines(text)
    kinds = _kinds(text, lines, headline)
    out: set[int] = set()
    block: list[int] = []
    strong = False

    def close() -> None:
        if strong:
            out.update(i for i in block if kinds[i] not in ("blank",))

    for i, kind in enumerate(kinds):
        if kind in (_STRONG, _WEAK, "related", "headline", "crumb", "blank", _FIELD, "spam"):
            if kind == "blank" and not block:
                continue
            block.append(i)
            strong = strong or kind in (_STRONG, "related")
        else:
            close()
            block, strong = [], False
    close()
    # fields count only on lines that hold strong or weak items too: a field-only line stays
    out = {i for i in out if kinds[i] != _FIELD}
    web_page = any(k in (_STRONG, "related") for k in kinds)
    if web_page:
        for i, kind in enumerate(kinds):
            if kind == "spam" and i not in out and _lone_spam(text, lines, kinds, i):
                out.add(i)
    spans = []
    rules = _rules()
    for i, (s, e) in enumerate(lines):
        if i in out:
            spans.append((s, min(e + 1, len(text))))
            continue
        if kinds[i] != "content":
            continue
        # furniture at the end of a report line: an editor's note; on a web page, digits after the last
        # sentence of a paragraph (the next line blank)
        m = rules.inline_tail.search(text, s, e)
        next_blank = i + 1 >= len(lines) or kinds[i + 1] == "blank"
        if m is None and web_page and next_blank:
            m = rules.spam_tail.search(text, s, e)
        if m is not None and m.start() > s:
            spans.append(m.span())
    return spans


def _lone_spam(text: str, lines: list[tuple[int, int]], kinds: list[str], i: int) -> bool:
    """A digit-only line that is a paragraph of its own: the line before ends a sentence (or is blank) and the
    line after is blank, and no table row is next to it."""
    before = text[lines[i - 1][0]:lines[i - 1][1]] if i > 0 else ""
    after = text[lines[i + 1][0]:lines[i + 1][1]] if i + 1 < len(lines) else ""
    return ("\t" not in before and "\t" not in after and _ends_sentence(before)
            and kinds[i + 1 if i + 1 < len(lines) else i] in ("blank", "spam", _STRONG, _WEAK, "related"))


def may_hold_furniture(text: str) -> bool:
    """A quick test: whether ``text`` holds anything like a strong furniture item (else no line of it can go)."""
    return _rules().strong.search(_fold(text)) is not None


def is_furniture(text: str, headline: HeadlineTest | None = None) -> bool:
    """Whether every non-blank line of ``text`` is furniture (the test for an HTML element's text)."""
    text = _fold(text)
    lines = _lines(text)
    kinds = _kinds(text, lines, headline)
    if not any(k in (_STRONG, "related") for k in kinds):
        return False
    gone = {s for s, _ in furniture_lines(text, headline)}
    return all(kinds[i] == "blank" or lines[i][0] in gone for i in range(len(lines)))


def has_furniture(text: str) -> bool:
    """Whether ``text`` holds a strong furniture line: the sign that it comes from a web page."""
    text = _fold(text)
    return may_hold_furniture(text) and any(_kind(text[s:e]) in (_STRONG, "related") for s, e in _lines(text))
