"""Statistics annex (统计表) -> items, cells, named fields and the reporter block.

A row of the table is ``N. item title<TAB>progress text`` (it may run over several lines); the progress
text holds fill-in blanks ``（N）unit``. A blank belongs to the metric written just before it (back to the
previous clause break or blank), or, when nothing comes before it, to the words after its unit
(``（180350）人观看``). Templates in ``data/templates`` give each cell of a known annex design a stable
``key``: a cell takes the template cell of its own label; a cell whose label the template repeats (参与)
takes the template cell right after the one the cell before it in the row took (or right before the one
the cell after it took) — by position in the row, never by counting. A blank that does not hold one plain
number stays a cell with value None, its raw text and a warning at its line:column naming the cell; a cell
whose place in the row cannot be told gets no template key and no value.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .dates import parse_date
from .normalize import NormalizedText
from .numbers import parse_number
from .record import Annex, Cell, Item, NamedField, ParseWarning, Reporter
from .resources import data_json, data_lines, data_path
from .structure import Line

__all__ = ["read_annex", "templates", "match_template", "annex_year"]

ITEM_ROW = regex.compile(r"^(\d{1,2})[.．、]\s*([^\t]+?)\s*\t\s*(.*)$")
#: A numbered row whose tab is missing (or a row number on a line of its own).
ITEM_HEAD = regex.compile(r"^(\d{1,2})[.．、]\s*(.*)$")
#: Characters that print as nothing; they never separate or form a number.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
GAP = regex.compile(rf"[\s{INVISIBLE}]*")
INVISIBLE_RUN = regex.compile(f"[{INVISIBLE}]+")
LINE_BREAK_OR_INVISIBLE = regex.compile(rf"[ \t]*\n[ \t]*|[{INVISIBLE}]")
#: A label written after the blank's unit: （180350）人观看.
LABEL_AFTER = regex.compile(rf"[^，；。、,;\s（{INVISIBLE}]*")
#: What may stand between two cells of a row with nothing lost between them.
SEPARATORS = regex.compile(rf"[\s{INVISIBLE}，；。、,;]*")
BRACKET = regex.compile(r"[（）]")
SPACE = regex.compile(r"\s")
CLAUSE_BREAK = regex.compile(r"[，；。,;]")
PLAIN_NUMBER = regex.compile(r"\d+|\d{1,3}(?:,\d{3})+")
DECIMAL_NUMBER = regex.compile(r"(?:\d+|\d{1,3}(?:,\d{3})+)\.\d+")
REPORTER_FIELDS = {"填报单位": "org", "联系人": "contact", "电话": "phone", "联系电话": "phone", "填报日期": "date"}
REPORTER = regex.compile(r"(填报单位|联系人|联系电话|电话|填报日期)(?:（盖章）)?[：:]\s*")


@dataclass
class _RawCell:
    item: int
    label: str
    value: float | int | None
    unit: str | None
    span: tuple[int, int]          # normalised
    value_span: tuple[int, int] | None
    raw: str | None = None         # the blank's text (original characters)
    problem: tuple[str, str] | None = None   # (warning code, why the blank gives no value)
    row: int = 0                   # index of the table row the cell was read from
    follows: bool = False          # only separators stand between the previous cell of the row and this one


@dataclass
class _Blank:
    """A fill-in blank found in a row: ``[start, end)`` is all of it (brackets and damage included)."""

    start: int
    end: int
    inner: tuple[int, int]         # the text that should be the number
    problem: tuple[str, str] | None = None   # (warning code, defect): a missing bracket, stray digits
    after: int = -1                # where its unit may start (past a stray bracket); -1: ``end``


@dataclass
class _Row:
    no: int
    item: Item
    start: int                     # the progress text: [start, end), normalised
    end: int
    at: int = 0                    # where the row's (first) line begins
    joined: bool = False           # title and progress text run together (tab lost), not split yet


@dataclass
class _Reading:
    title: str | None = None
    reporter: Reporter = field(default_factory=Reporter.trusted)
    items: list[Item] = field(default_factory=list)
    cells: list[_RawCell] = field(default_factory=list)
    named: list[tuple[int, str, str, tuple[int, int]]] = field(default_factory=list)


@lru_cache(maxsize=1)
def templates() -> tuple[dict, ...]:
    """The fill-in annex templates the genres name (``annex_templates`` of ``data/genres/*.json``), each a file
    of ``data/templates`` (one JSON file per annex design): a genre file says which annex designs it has."""
    folder = data_path("genres")
    names = sorted({name for p in folder.iterdir() if p.name.endswith(".json")
                    for name in data_json(f"genres/{p.name}").get("annex_templates", [])})
    return tuple(data_json(f"templates/{name}.json") for name in names)


@lru_cache(maxsize=1)
def _units() -> tuple[str, ...]:
    """Measure words that can follow a blank, longest first (general list + template units like 场/次)."""
    units = set(data_lines("units.txt"))
    units.update(c["unit"] for t in templates() for it in t["items"] for c in it["cells"] if c.get("unit"))
    return tuple(sorted(units, key=len, reverse=True))


@lru_cache(maxsize=1)
def _units_by_first_character() -> dict[str, tuple[str, ...]]:
    """:func:`_units` by their first character (each list still longest first): a blank's unit is looked
    for among the few that can start there."""
    out: dict[str, list[str]] = {}
    for unit in _units():
        out.setdefault(unit[0], []).append(unit)
    return {ch: tuple(units) for ch, units in out.items()}


@lru_cache(maxsize=1)
def _blank_rules() -> dict:
    rules = data_json("annex_blanks.json")
    return {**rules, "damage": frozenset(rules["damage_chars"] + rules["chinese_numerals"] + INVISIBLE),
            "numerals": frozenset(rules["chinese_numerals"])}


@lru_cache(maxsize=1)
def _item_titles() -> dict[int, tuple[str, ...]]:
    """Row titles of the templates by row number, longest first (to split a row whose tab is lost)."""
    out: dict[int, set[str]] = {}
    for t in templates():
        for it in t["items"]:
            if it.get("title"):
                out.setdefault(it["no"], set()).add(it["title"])
    return {no: tuple(sorted(ts, key=len, reverse=True)) for no, ts in out.items()}


SQUASHED = regex.compile(rf"[\s“”\"'‘’{INVISIBLE}]")


@lru_cache(maxsize=16384)
def _squash(s: str) -> str:
    """Label form used for matching: no spaces, quotes or invisible characters."""
    return SQUASHED.sub("", s)


def _blank_value(inner: str, unit: str | None) -> tuple[float | int | None, tuple[str, str] | None]:
    """The number a blank holds, or None and (warning code, why) when it holds no single exact number."""
    rules = _blank_rules()
    s = INVISIBLE_RUN.sub("", inner).strip()
    if not s:
        return None, ("empty_blank", "holds no number")
    if PLAIN_NUMBER.fullmatch(s):
        try:
            return int(s.replace(",", "")), None
        except ValueError:   # more digits than Python converts (4300): no count is that long
            return None, ("unreadable_blank", f"holds {len(s)} digits")
    if DECIMAL_NUMBER.fullmatch(s):
        if unit in rules["fractional_units"] and len(regex.sub(r"\D", "", s)) <= 15:
            return float(s.replace(",", "")), None   # (a float holds 15 significant digits exactly)
        if unit in rules["fractional_units"]:
            return None, ("unreadable_blank", "holds more digits than a fraction is read with exactly")
        return None, ("unreadable_blank", f"holds a fraction, but {unit or 'its unit'} counts whole things")
    if unit is not None and all(ch in rules["numerals"] for ch in s):
        try:
            value = parse_number(s)
        except ValueError:
            value = None
        if isinstance(value, int):
            return value, None
    if regex.search(r"\d", s) and any(w in s for w in rules["approximate_words"]):
        try:
            about = parse_number(regex.sub(r"[^\d.万亿千百十]", "", s))
        except ValueError:
            about = None
        said = f" (about {about})" if about is not None else ""
        return None, ("approximate_blank", f"is approximate{said}, not an exact count")
    if regex.search(r"\d\s+\d", s) or regex.search(r"\d[、，/;；]\d", s):
        why = "holds several numbers or digit groups (one number or several?)"
    elif regex.match(r"[+\-−]", s):
        why = "holds a signed number"
    elif "，" in s:
        why = "holds digits separated by full-width commas"
    elif regex.search(r"[A-Za-z]", s):
        why = "holds letters among its digits"
    else:
        why = "is not a number"
    return None, ("unreadable_blank", why)


class _AnnexReader:
    def __init__(self, norm: NormalizedText, lines: list[Line]):
        self.norm = norm
        self.lines = lines
        self.units_at = _units_by_first_character()
        self.warnings: list[ParseWarning] = []
        self.out = _Reading()
        self.rows: list[_Row] = []

    def warn(self, code: str, message: str, at: int) -> None:
        o = self.norm.to_original(at, at)[0]
        line, col = self.norm.line_col(o)
        self.warnings.append(ParseWarning.trusted(code=code, message=message, line=line, column=col, span=(o, o)))

    def span(self, s: int, e: int) -> tuple[int, int]:
        return self.norm.to_original(s, e)

    # -- rows ------------------------------------------------------------------

    def read(self) -> _Reading:
        lines = self.lines
        body = 1 if lines and regex.match(r"^附件\s*\d*$", lines[0].text) else 0
        if body < len(lines) and not ITEM_ROW.match(lines[body].text) and "填报" not in lines[body].text:
            self.out.title = lines[body].text
            body += 1
        current: _Row | None = None
        title_open = False       # the current row is a number and title with no tab yet: its title may go on
        self.next_numbered = self.numbered_after(body)
        for k in range(body, len(lines)):
            ln = lines[k]
            if "填报单位" in ln.text or "填报日期" in ln.text:
                self.read_reporter(ln)
                current, title_open = None, False
            elif m := ITEM_ROW.match(ln.text):
                current, title_open = self.new_row(int(m.group(1)), ln.start + m.start(2), ln.start + m.end(2),
                                                   ln.start + m.start(3), ln.end), False
            elif "\t" not in ln.text and (m := ITEM_HEAD.match(ln.text)) and self.starts_row(m, current):
                current, title_open = self.tabless_row(ln, m)
            elif "\t" in ln.text:
                head = ln.text.split("\t", 1)[0]
                content = ln.start + ln.text.index("\t") + 1
                if current is not None and title_open:      # the title went on past a line break
                    current.item.title += head.strip()
                    current.item.span = (current.item.span[0], self.span(ln.start, ln.start + len(head))[1])
                    current.start, current.end, title_open = content, ln.end, False
                elif not regex.search(r"\d", ln.text):
                    continue   # the header row: 活动项目 / 活动进展情况
                elif not regex.search(r"\p{Han}{2}", head) or BRACKET.search(head):
                    if current is not None:                  # no title before the tab: the row goes on
                        current.end = ln.end                 # (in a merged cell, or broken at a tab)
                elif (no := self.missing_number(k, current)) is not None:
                    self.warn("missing_row_number", f"row without a number after item {no - 1}: read as item {no}",
                              ln.start)
                    current, title_open = self.new_row(no, ln.start, ln.start + len(head), content, ln.end), False
                elif current is not None:
                    if BRACKET.search(ln.text):
                        self.warn("unnumbered_row", f"row without a number inside item {current.no}: read as part "
                                                    f"of it", ln.start)
                    current.end = ln.end
            elif current is not None:
                if title_open and current.start == current.end:
                    current.start = ln.start                 # the progress text under a title-only row
                current.end, title_open = ln.end, False
        for i, row in enumerate(self.rows):
            if row.end > row.start:
                self.read_content(i, row)
        return self.out

    def new_row(self, no: int, title_start: int, title_end: int, start: int, end: int) -> _Row:
        title = self.norm.text[title_start:title_end].strip()
        item = Item.trusted(no=no, title=title, span=self.span(title_start, title_end))
        self.out.items.append(item)
        row = _Row(no, item, start, end, self.norm.text.rfind("\n", 0, min(title_start, start)) + 1)
        self.rows.append(row)
        return row

    def starts_row(self, m: regex.Match, current: _Row | None) -> bool:
        """Whether ``N. …`` with no tab begins row N, or is the rest of a row broken at a line break: the next
        number in sequence, words after it, and no blank of the row before left open (（\n8.）场)."""
        if int(m.group(1)) != (current.no + 1 if current is not None else 1):
            return False
        if m.group(2) and not regex.match(r"[\p{Han}A-Za-z“‘《\"]", m.group(2)):
            return False
        text = self.norm.text[current.start:current.end] if current is not None else ""
        return text.count("（") <= text.count("）")

    def tabless_row(self, ln: Line, m: regex.Match) -> tuple[_Row, bool]:
        """``N. title`` with no tab: a title alone (its progress text may follow), or title and progress
        text run together, split at a template's title for row N, else at the first space before a blank."""
        no, rest_at, rest = int(m.group(1)), ln.start + m.start(2), m.group(2)
        bracket = BRACKET.search(rest)
        if bracket is None:
            return self.new_row(no, rest_at, ln.end, ln.end, ln.end), True
        cut = next((len(t) for t in _item_titles().get(no, ()) if rest.startswith(t)), None)
        self.warn("missing_tab", f"item {no}: no tab between the row title and its progress text", ln.start)
        if cut is not None:
            content = rest_at + GAP.match(rest, cut).end()
            return self.new_row(no, rest_at, rest_at + cut, content, ln.end), False
        # title and first label run together: split where the first cell's template label begins (read_annex)
        row = self.new_row(no, rest_at, rest_at, rest_at, ln.end)
        row.joined = True
        return row, False

    def numbered_after(self, body: int) -> list[int | None]:
        """For each line, the row number of the next numbered line after it (None: none follows)."""
        out: list[int | None] = [None] * len(self.lines)
        nxt = None
        for k in range(len(self.lines) - 1, body - 1, -1):
            out[k] = nxt
            if m := ITEM_ROW.match(self.lines[k].text) or ITEM_HEAD.match(self.lines[k].text):
                nxt = int(m.group(1))
        return out

    def missing_number(self, k: int, current: _Row | None) -> int | None:
        """The number of a row of blanks written without one: one more than the row before, when there is a
        numbered row before or after it and the next numbered row (if any) is one more again."""
        no = (current.no if current is not None else 0) + 1
        nxt = self.next_numbered[k]
        if not BRACKET.search(self.lines[k].text) or (current is None and nxt is None):
            return None       # a table of another kind, not a fill-in row that lost its number
        return no if nxt is None or nxt == no + 1 else None

    def read_reporter(self, ln: Line) -> None:
        marks = list(REPORTER.finditer(ln.text))
        rep = self.out.reporter
        for k, m in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else len(ln.text)
            value = ln.text[m.end():end].strip()
            name = REPORTER_FIELDS[m.group(1)]
            if name == "date":
                try:
                    value = parse_date(value).isoformat()
                except ValueError:
                    self.warn("reporter_date", f"填报日期 {value!r} is not a date", ln.start + m.end())
            setattr(rep, name, value or None)
        rep.span = self.span(ln.start, ln.end)

    # -- blanks ----------------------------------------------------------------

    def run_forward(self, i: int, end: int) -> int:
        damage, text = _blank_rules()["damage"], self.norm.text
        while i < end and (text[i] in damage or text[i].isspace()):
            i += 1
        return i

    def run_back(self, i: int, start: int) -> int:
        """Start of the run of damage characters ending at ``i``."""
        damage, text = _blank_rules()["damage"], self.norm.text
        while i > start and (text[i - 1] in damage or text[i - 1].isspace()):
            i -= 1
        return i

    def unit_at(self, i: int, end: int) -> tuple[str | None, int]:
        """The unit after a blank (past spaces, line breaks and invisible characters) and where it ends."""
        j = GAP.match(self.norm.text, i, end).end()
        text = self.norm.text
        unit = next((u for u in self.units_at.get(text[j:j + 1], ()) if text.startswith(u, j, end)), None)
        return unit, (j + len(unit) if unit else i)

    def blanks(self, start: int, end: int) -> tuple[list[_Blank], list[int]]:
        """Blanks of a row, damaged ones included, and the brackets left over (unpaired, outside blanks)."""
        text = self.norm.text
        marks = [m.start() for m in BRACKET.finditer(text, start, end)]
        out: list[_Blank] = []
        loose: list[int] = []
        has_digit = lambda a, b: regex.search(r"\d", text[a:b]) is not None  # noqa: E731
        k = 0
        while k < len(marks):
            i = marks[k]
            nxt = marks[k + 1] if k + 1 < len(marks) else end
            if text[i] == "（" and nxt < end and text[nxt] == "）":
                b = _Blank(i, nxt + 1, (i + 1, nxt))
                k += 2
                if out and GAP.fullmatch(text, out[-1].end if out[-1].after < 0 else out[-1].after, i):
                    last = out[-1]                            # （）（0）: two blanks with no unit between are one
                    last.end, last.inner, last.after = b.end, (last.inner[0], nxt), -1
                    last.problem = ("unreadable_blank", "runs into another bracket")
                    continue
                floor = out[-1].end if out else start
                back = self.run_back(i, floor)
                if loose and text[loose[-1]] == "（" and floor <= loose[-1] and back <= loose[-1] + 1:
                    back = loose.pop()                        # （O（0）场: an earlier bracket opened the blank
                if back < i and (has_digit(back, i) or text[back] == "（"):    # 92（16）场
                    b.start, b.inner, b.problem = back, (back, nxt), ("unreadable_blank", "has more before its "
                                                                                          "opening bracket")
                after_end = marks[k] if k < len(marks) else end
                fwd = self.run_forward(b.end, after_end)
                # a second closing bracket soon after, in the same clause: it closes the blank (（0）O）场)
                closer = (k < len(marks) and text[marks[k]] == "）" and marks[k] - b.end <= 12
                          and (not CLAUSE_BREAK.search(text, b.end, marks[k])
                               or self.unit_at(marks[k] + 1, end)[0] is not None))
                opener = k < len(marks) and text[marks[k]] == "（" and fwd == marks[k]   # （0）O（）场
                if self.unit_at(b.end, end)[0] is None and (has_digit(b.end, fwd) or closer or opener):  # （92）16场
                    b.inner, b.problem = (b.inner[0], fwd), ("unreadable_blank", "has more after its closing bracket")
                    b.end = fwd
                    if closer:
                        b.end, b.inner = marks[k] + 1, (b.inner[0], marks[k])
                        k += 1
                out.append(b)
                continue
            k += 1
            if text[i] == "（":                              # no closing bracket: （9216场
                fwd = self.run_forward(i + 1, nxt)
                while fwd > i + 1 and text[fwd - 1].isspace():
                    fwd -= 1
                if has_digit(i + 1, fwd) and self.unit_at(fwd, end)[0] is not None:
                    out.append(_Blank(i, fwd, (i + 1, fwd), ("unclosed_bracket", "has no closing bracket")))
                else:
                    loose.append(i)
                continue
            floor = out[-1].end if out else start
            if out and GAP.fullmatch(text, out[-1].end if out[-1].after < 0 else out[-1].after, i):
                # （9216））场: a stray bracket after a blank
                out[-1].after = i + 1
                loose.append(i)
                continue
            back = self.run_back(i, floor)
            while back < i and not text[back].isalnum():
                back += 1
            if has_digit(back, i):                            # 活动9216）场
                out.append(_Blank(back, i + 1, (back, i), ("stray_bracket", "has no opening bracket")))
            else:
                loose.append(i)
        return out, loose

    def read_content(self, row_index: int, row: _Row) -> None:
        """Cells and named fields of one row's progress text ``text[row.start:row.end]``."""
        text, start, end, item = self.norm.text, row.start, row.end, row.no
        blanks, loose = self.blanks(start, end)
        boundary = start
        last_cell_end = start
        previous: _RawCell | None = None
        for b in blanks:
            if b.start < boundary:
                continue
            prefix = text[boundary:b.start]
            breaks = list(CLAUSE_BREAK.finditer(prefix))
            label_start = boundary + (breaks[-1].end() if breaks else 0)
            label, label_start = self.label(label_start, b.start)
            inner = text[b.inner[0]:b.inner[1]]
            unit, unit_end = self.unit_at(b.end if b.after < 0 else b.after, end)
            glued = previous is not None and previous.problem is not None and previous.problem[0] != "empty_blank" \
                and not text[boundary:b.start].strip(f" \t\n{INVISIBLE}")
            if b.problem is not None:
                value, problem = None, b.problem
            elif glued:   # （）)O（0）人: a blank glued to the damaged one before it is part of the damage
                value, problem = None, ("unreadable_blank", "is glued to the damaged blank before it")
            else:
                value, problem = _blank_value(inner, unit)
                if value is None and problem[0] != "empty_blank":
                    if label.endswith("名称") or label in _named_labels():
                        self.out.named.append((item, label, inner.strip(), (label_start, b.end)))
                        boundary, previous = b.end, None
                        continue
                    if unit is None and not self.looks_numeric(inner):
                        continue   # ordinary parentheses in prose: （含危险作业罪）
            if not label:
                tail = LABEL_AFTER.match(text, unit_end, end)
                label = tail.group() if tail else ""
                label_end = unit_end + len(label)
                label_start = b.start
            else:
                label_end = unit_end if unit else b.end
            if unit is None:
                self.warn("no_unit", f"item {item}: no known unit after blank for {label!r}", b.end)
            raw = self.norm.original_slice(*b.inner).strip() if b.inner[1] > b.inner[0] else ""
            cell = _RawCell(item, label, value, unit, (label_start, label_end), (b.start, b.end), raw, problem,
                            row_index, previous is not None and SEPARATORS.fullmatch(text, boundary, label_start)
                            is not None)
            self.out.cells.append(cell)
            previous = cell
            boundary = max(label_end, unit_end, b.end)
            last_cell_end = boundary
        starts = [b.start for b in blanks]
        for i in loose:
            n = bisect.bisect_right(starts, i) - 1
            if n < 0 or i >= blanks[n].end:
                code, what = (("unclosed_bracket", "opened here is not closed") if text[i] == "（"
                              else ("stray_bracket", "closed here was never opened"))
                self.warn(code, f"item {item}: bracket {what}", i)
        rest = text[last_cell_end:end].strip(" ，；。、\t\n")
        if rest and len(rest) > 20:
            it = row.item
            it.note = rest if it.note is None else f"{it.note}\n{rest}"

    def label(self, start: int, end: int) -> tuple[str, int]:
        """The metric name in ``text[start:end]`` (line breaks, invisible characters and stray brackets
        dropped) and where it starts."""
        raw = self.norm.text[start:end]
        lead = len(raw) - len(raw.lstrip(f" 、\t\n）{INVISIBLE}"))
        label = raw.strip(f" 、\t\n{INVISIBLE}")
        label = label.lstrip("）").rstrip("（")
        if label.count("）") > label.count("（"):
            label = label.rstrip("）")
        label = LINE_BREAK_OR_INVISIBLE.sub("", label)
        return label, start + lead

    def looks_numeric(self, inner: str) -> bool:
        """A damaged number rather than words in parentheses: digits, and only characters numbers are made of
        or damaged into."""
        rules = _blank_rules()
        return bool(regex.search(r"\d", inner)) and all(
            ch in rules["damage"] or ch in rules["numerals"] or ch.isspace() for ch in inner)


@lru_cache(maxsize=1)
def _named_labels() -> frozenset[str]:
    return frozenset(f["label"] for t in templates() for f in t.get("named_fields", []))


#: A year written before an annex title: "2022年全国“安全生产月”活动进展情况统计表".
TITLE_YEAR = regex.compile(r"^\s*(\d{4})\s*年度?")


def annex_year(title: str | None, reporter_date: str | None = None) -> int | None:
    """The year an annex is for: written before its title, else the year of its 填报日期."""
    if title and (m := TITLE_YEAR.match(title)):
        return int(m.group(1))
    if reporter_date and regex.match(r"^\d{4}-", reporter_date):
        return int(reporter_date[:4])
    return None


def match_template(title: str | None, cells: list[_RawCell], year: int | None = None
                   ) -> tuple[dict | None, list[str | None]]:
    """Best template for the annex and, per cell, the template key it matches (None = no match).

    Score: the share of cells that match template cells (of the larger of the two counts: the
    table's shape), + 0.5 when the title is the template's (a leading year such as 2022年 aside),
    + 0.25 when ``year`` (default: the year before the title) is one of the template's ``years``.
    Below 0.5 nothing matches; on a tie the template for the later years wins.
    """
    if year is None:
        year = annex_year(title)
    bare = _squash(TITLE_YEAR.sub("", title)) if title is not None else None
    best: tuple[tuple[float, int], dict | None, list[str | None]] = ((0.0, 0), None, [None] * len(cells))
    for tpl in templates():
        keys = _align(tpl, cells)
        matched = sum(k is not None for k in keys)
        title_ok = bare is not None and bare == _squash(TITLE_YEAR.sub("", tpl["title"]))
        year_ok = year is not None and year in tpl.get("years", [])
        score = (matched / max(len(cells), len(_template_cells(tpl)), 1) + (0.5 if title_ok else 0.0)
                 + (0.25 if year_ok else 0.0), max(tpl.get("years", [0])))
        if score > best[0]:
            best = (score, tpl, keys)
    (score, _), tpl, keys = best
    if tpl is None or score < 0.5:
        return None, [None] * len(cells)
    return tpl, keys


def _template_cells(tpl: dict) -> list[tuple[int, dict]]:
    return [(it["no"], c) for it in tpl["items"] for c in it["cells"]]


def _generic_labels(tcells: list[dict]) -> set[str]:
    """Labels a row of the template repeats (参与): they say which cell only by position."""
    seen: dict[str, int] = {}
    for t in tcells:
        seen[_squash(t["label"])] = seen.get(_squash(t["label"]), 0) + 1
    return {label for label, n in seen.items() if n > 1}


def _generic_of(label: str, generic: set[str]) -> str | None:
    """The repeated template label this label is (参与), or a close form of (参与人次): None if neither."""
    squashed = _squash(label)
    if squashed in generic:
        return squashed
    return next((g for g in generic if squashed.startswith(g) and len(squashed) - len(g) <= 2), None)


@lru_cache(maxsize=16384)
def _similarity(a: str, b: str) -> float:
    """difflib's ratio of two labels, 0.0 when its cheap upper bounds are already below 0.6 (never a match)."""
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
        return 0.0
    return matcher.ratio()


def _by_label(c: _RawCell, tcells: list[dict], used: set[str], generic: set[str]) -> dict | None:
    """The template cell with this cell's own label (and unit): exact, the template label ending a longer
    label (a title run into it), or clearly the most similar; None on a tie."""
    label = _squash(c.label)
    scored: list[tuple[float, dict]] = []
    for t in tcells:
        tl = _squash(t["label"])
        if t["key"] in used or tl in generic or (c.unit is not None and t.get("unit") != c.unit):
            continue
        if tl == label:
            scored.append((1.0, t))
        elif c.unit is None:
            continue
        elif len(tl) >= 4 and label.endswith(tl):
            scored.append((0.9, t))
        elif _similarity(label, tl) >= 0.6:
            scored.append((_similarity(label, tl), t))
    if not scored:
        return None
    scored.sort(key=lambda st: -st[0])
    if len(scored) > 1 and scored[0][0] < 1.0 and scored[0][0] - scored[1][0] < 0.05:
        return None
    return scored[0][1]


def _align(tpl: dict, cells: list[_RawCell]) -> list[str | None]:
    """Template key per cell (None: no template cell fits it).

    A cell with its own label takes the template cell of that label. A cell whose label the row repeats
    (参与) takes the template cell right after the one the cell before it took, or right before the one the
    cell after it took — only when nothing but separators stands between the two cells, so a lost blank
    between them cannot shift it.
    """
    by_item: dict[int, list[dict]] = {it["no"]: it["cells"] for it in tpl["items"]}
    keys: list[str | None] = [None] * len(cells)
    used: dict[int, set[str]] = {}
    rows: dict[tuple[int, int], list[int]] = {}
    for i, c in enumerate(cells):
        rows.setdefault((c.row, c.item), []).append(i)
    for idxs in rows.values():
        item = cells[idxs[0]].item
        tcells = by_item.get(item, [])
        generic = _generic_labels(tcells)
        taken = used.setdefault(item, set())
        for i in idxs:
            if _squash(cells[i].label) not in generic and (t := _by_label(cells[i], tcells, taken, generic)):
                keys[i] = t["key"]
                taken.add(t["key"])
        position = {t["key"]: n for n, t in enumerate(tcells)}

        def neighbour(key: str | None, step: int, c: _RawCell) -> dict | None:
            n = position.get(key, -10) + step if key is not None else -10
            t = tcells[n] if 0 <= n < len(tcells) else None
            if t is None or t["key"] in taken or _squash(t["label"]) != _generic_of(c.label, generic):
                return None
            return t if c.unit is None or t.get("unit") == c.unit else None

        changed = True   # (each round places a cell on a template cell of the row: few rounds)
        while changed:
            changed = False
            for pos, i in enumerate(idxs):
                c = cells[i]
                if keys[i] is not None or _generic_of(c.label, generic) is None:
                    continue
                t = neighbour(keys[idxs[pos - 1]], 1, c) if pos > 0 and c.follows else None
                if t is None and pos + 1 < len(idxs) and cells[idxs[pos + 1]].follows:
                    t = neighbour(keys[idxs[pos + 1]], -1, c)
                if t is not None:
                    keys[i] = t["key"]
                    taken.add(t["key"])
                    changed = True
    return keys


def _could_be(tpl: dict, cells: list[_RawCell], keys: list[str | None]) -> list[list[str]]:
    """For each cell left without a key, the keys of the unmatched template cells of its label and unit."""
    found = set(keys)
    by_item: dict[int, list[dict]] = {it["no"]: it["cells"] for it in tpl["items"]}
    out: list[list[str]] = []
    for c, key in zip(cells, keys):
        tcells = by_item.get(c.item, [])
        label = _generic_of(c.label, _generic_labels(tcells)) or _squash(c.label)
        out.append([] if key is not None else [
            t["key"] for t in tcells if t["key"] not in found
            and _squash(t["label"]) == label and (c.unit is None or t.get("unit") == c.unit)])
    return out


def _split_titles(norm: NormalizedText, reader: _AnnexReader, cells: list[_RawCell], keys: list[str | None],
                  tpl: dict | None) -> None:
    """Rows whose title runs into the first label (tab lost): the title ends where the template label of the
    row's first cell begins, else at the first space; with neither, the first label keeps it all."""
    labels = {c["key"]: c["label"] for _, c in _template_cells(tpl or {"items": []})}
    first = {}
    for n, c in enumerate(cells):
        first.setdefault(c.row, n)
    for r, row in enumerate(reader.rows):
        if not row.joined or r not in first:
            continue
        cell = cells[first[r]]
        blank = cell.value_span[0] if cell.value_span else cell.span[1]
        tlabel = labels.get(keys[first[r]] or "")
        head = norm.text[cell.span[0]:blank].rstrip()
        if tlabel and head.endswith(tlabel) and len(head) > len(tlabel):
            cut, label = cell.span[0] + len(head) - len(tlabel), tlabel
        elif space := SPACE.search(norm.text, row.start, blank):
            cut = space.start()
            label = norm.text[GAP.match(norm.text, cut).end():blank].strip()
        else:
            cut = None
        if cut is not None:
            end = cut
            while end > row.start and norm.text[end - 1] in " \t，、":
                end -= 1
            row.item.title = norm.text[row.start:end]
            row.item.span = norm.to_original(row.start, end)
            cell.label, cell.span = label, (GAP.match(norm.text, cut).end(), cell.span[1])
        else:
            reader.warn("missing_tab", f"item {row.no}: the row title could not be told from its first label "
                                       f"{cell.label!r}", row.start)


def read_annex(norm: NormalizedText, lines: list[Line]) -> tuple[Annex, list[ParseWarning]]:
    """Read the annex whose non-blank lines are ``lines`` (starting at the 附件 line)."""
    reader = _AnnexReader(norm, lines)
    got = reader.read()
    warnings = reader.warnings
    if not got.items:
        at = lines[0].start if lines else 0
        reader.warn("no_items", "annex has no numbered rows (1. …<TAB>…): table is truncated or not a table", at)
    tpl, keys = match_template(got.title, got.cells, annex_year(got.title, got.reporter.date))
    if tpl is None and got.cells:
        reader.warn("no_template", f"annex {got.title!r} matches no template; cells get generated keys",
                    lines[0].start if lines else 0)
    could_be = _could_be(tpl, got.cells, keys) if tpl is not None else [[] for _ in got.cells]
    _split_titles(norm, reader, got.cells, keys, tpl)
    found = set(keys)
    repeats = Counter((c.row, _squash(c.label)) for c in got.cells)
    cells: list[Cell] = []
    per_item: dict[int, int] = {}
    for n, (raw, key) in enumerate(zip(got.cells, keys)):
        per_item[raw.item] = per_item.get(raw.item, 0) + 1
        value, aligned = raw.value, True
        blank_at = raw.value_span[0] if raw.value_span else raw.span[0]
        if key is None:
            key = f"item{raw.item}_cell{per_item[raw.item]}"
            if tpl is not None and could_be[n]:
                value, aligned = None, False
                reader.warn("unplaced_cell", f"item {raw.item}: cell {key} ({raw.label!r}, blank {raw.raw!r}) "
                                             f"cannot be placed: the cell before it in the row could not be read; "
                                             f"it is one of {', '.join(could_be[n])}; value left empty", blank_at)
            elif tpl is not None:
                aligned = False
                lacks = [t["key"] for no, t in _template_cells(tpl) if no == raw.item and t["key"] not in found
                         and t.get("unit") == raw.unit]
                reader.warn("unknown_cell", f"cell {raw.label!r} ({raw.unit}) is not in template {tpl['id']}; "
                                            f"key {key}" + (f"; the row lacks {', '.join(lacks)}" if lacks else ""),
                            raw.span[0])
            else:   # no template: a label the row repeats (参与) is placed only by the cell right before it
                aligned = raw.follows or repeats[(raw.row, _squash(raw.label))] == 1
        if raw.problem is not None:
            code, why = raw.problem
            reader.warn(code, f"item {raw.item} cell {key} ({raw.label!r}): blank {raw.raw!r} {why}; "
                              f"value left empty", blank_at)
        cells.append(Cell.trusted(item=raw.item, key=key, label=raw.label, value=value, unit=raw.unit,
                                  span=norm.to_original(*raw.span),
                                  value_span=norm.to_original(*raw.value_span) if raw.value_span else None,
                                  raw=raw.raw, aligned=aligned))
    named_keys = {f["label"]: f["key"] for f in (tpl or {}).get("named_fields", [])}
    named = [NamedField.trusted(item=i, key=named_keys.get(label, f"item{i}_{label}"), label=label, text=t,
                                span=norm.to_original(*sp)) for i, label, t, sp in got.named]
    if tpl is not None:
        missing: list[str] = []
        row_at = {row.no: row.at for row in reversed(reader.rows)}
        lacking: dict[int, list[str]] = {}
        for no, c in _template_cells(tpl):
            if c["key"] in found:
                continue
            if no in row_at:
                lacking.setdefault(no, []).append(c["key"])
            else:
                missing.append(c["key"])
        for no, ks in lacking.items():   # at the row that should hold them
            reader.warn("missing_cells", f"item {no} lacks {len(ks)} cells of template {tpl['id']}: {', '.join(ks)}",
                        row_at[no])
        if missing:
            reader.warn("missing_cells", f"annex lacks {len(missing)} cells of template {tpl['id']}: "
                                         f"{', '.join(missing[:5])}{'…' if len(missing) > 5 else ''}",
                        lines[-1].end if lines else 0)
    span = norm.to_original(lines[0].start, lines[-1].end) if lines else None
    annex = Annex.trusted(title=got.title, template=tpl["id"] if tpl else None, reporter=got.reporter,
                          items=got.items, cells=cells, named_fields=named, span=span)
    return annex, warnings
