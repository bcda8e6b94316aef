"""Damaged fill-in blanks never put a value under another cell's key and never make ``check`` cry wolf.

Every variant damages ONE place of the seed's annex (a blank, the text around it, or its row), built from the
seed text and the gold cell spans — nothing restated by hand. For each variant:

* every cell with a template key holds the gold value of that key, or None with a warning at the damaged line
  naming the cell;
* a cell without a template key holds None or the gold value of the blank it was read from;
* every gold key is present, or a warning at the damaged line names it; the rows keep their numbers and titles;
* cells away from the damaged line(s) keep their gold values;
* ``check_report`` finds no contradiction (the seed has none).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pytest
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import reportmine
from reportmine.annex import templates
from reportmine.check import check_report
from reportmine.numbers import parse_number, to_chinese_numeral

ZWSP = "\u200b"


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str

    def apply(self, text: str) -> str:
        return text[:self.start] + self.new + text[self.end:]

    def to_seed(self, offset: int) -> Optional[int]:
        """The seed offset of a damaged-text offset (None inside the edited stretch)."""
        if offset < self.start:
            return offset
        if offset >= self.start + len(self.new):
            return offset - len(self.new) + (self.end - self.start)
        return None


def _digits_at(text: str, cell: dict) -> tuple[int, int]:
    """Span of the digits inside the cell's blank in the seed text."""
    s, e = cell["value_span"]
    inner = text[s:e]
    i = inner.index(str(cell["value"]))
    return s + i, s + i + len(str(cell["value"]))


def _in_digits(f: Callable[[str, int], Optional[str]]) -> Callable[[str, dict, dict], Optional[Edit]]:
    """A damage that rewrites the digits of the blank: ``f(digits, value) -> new text`` (None: not applicable)."""
    def damage(text: str, cell: dict, other: dict) -> Optional[Edit]:
        s, e = _digits_at(text, cell)
        new = f(text[s:e], cell["value"])
        return None if new is None else Edit(s, e, new)
    return damage


def _insert(where: str, what: str) -> Callable[[str, dict, dict], Optional[Edit]]:
    """Insert ``what`` at the blank's start/end, inside its digits, or two characters into its label."""
    def damage(text: str, cell: dict, other: dict) -> Optional[Edit]:
        s, e = cell["value_span"]
        ds, de = _digits_at(text, cell)
        at = {"before": s, "after": e, "digits": ds + (de - ds) // 2, "label": s - 2}[where]
        if where == "digits" and de - ds < 2:
            return None
        if where == "label" and not ("\u4e00" <= text[at - 1] <= "\u9fff" and "\u4e00" <= text[at] <= "\u9fff"):
            return None
        return Edit(at, at, what)
    return damage


def _bracket(which: str) -> Callable[[str, dict, dict], Optional[Edit]]:
    def damage(text: str, cell: dict, other: dict) -> Optional[Edit]:
        s, e = cell["value_span"]
        return Edit(s, s + 1, "") if which == "open" else Edit(e - 1, e, "")
    return damage


def _row_start(text: str, cell: dict) -> int:
    return text.rfind("\n", 0, cell["value_span"][0]) + 1


def _row(what: str) -> Callable[[str, dict, dict], Optional[Edit]]:
    """Damage the cell's row: its tab removed or made a space, or its row number removed."""
    def damage(text: str, cell: dict, other: dict) -> Optional[Edit]:
        start = _row_start(text, cell)
        if what == "number":
            head = text[start:text.index(" ", start) + 1]
            return Edit(start, start + len(head), "")
        tab = text.index("\t", start)
        return Edit(tab, tab + 1, "" if what == "no_tab" else " ")
    return damage


def _garble_label(text: str, cell: dict, other: dict) -> Optional[Edit]:
    """The label before the blank replaced by words no template has."""
    s = cell["value_span"][0]
    if not text.endswith(cell["label"], 0, s):
        return None
    return Edit(s - len(cell["label"]), s, "其他事项")


def _drop_blank(text: str, cell: dict, other: dict) -> Optional[Edit]:
    """The blank and its unit lost (the label stays)."""
    s, e = cell["value_span"]
    unit_at = text.index(cell["unit"], e)
    return Edit(s, unit_at + len(cell["unit"]), "") if not text[e:unit_at].strip() else None


def _middle(d: str, sep: str) -> Optional[str]:
    return None if len(d) < 2 else d[: len(d) // 2] + sep + d[len(d) // 2:]


DAMAGES: dict[str, Callable[[str, dict, dict], Optional[Edit]]] = {
    "letter_l": _in_digits(lambda d, v: d.replace("1", "l", 1) if "1" in d else "l" + d[1:]),
    "letter_O": _in_digits(lambda d, v: d.replace("0", "O", 1) if "0" in d else _middle(d, "O")),
    "letter_a": _in_digits(lambda d, v: d[: len(d) // 2] + "a" + d[len(d) // 2 + 1:]),
    "fullwidth_commas": _in_digits(lambda d, v: f"{v:,}".replace(",", "，") if v >= 1000 else None),
    "ascii_commas": _in_digits(lambda d, v: f"{v:,}" if v >= 1000 else None),
    "space_groups": _in_digits(lambda d, v: f"{v:,}".replace(",", " ") if v >= 1000 else None),
    "wan": _in_digits(lambda d, v: f"{v / 10000:.1f}万" if v >= 10000 else None),
    "two_numbers_space": lambda t, c, o: _in_digits(lambda d, v: f"{d} {o['value']}")(t, c, o),
    "two_numbers_dun": lambda t, c, o: _in_digits(lambda d, v: f"{d}、{o['value']}")(t, c, o),
    "two_numbers_comma": lambda t, c, o: _in_digits(lambda d, v: f"{d}，{o['value']}")(t, c, o),
    "minus": _in_digits(lambda d, v: "-" + d),
    "plus": _in_digits(lambda d, v: "+" + d),
    "exponent": _in_digits(lambda d, v: "1e30"),
    "fullwidth_point": _in_digits(lambda d, v: _middle(d, "．")),
    "ascii_point": _in_digits(lambda d, v: _middle(d, ".")),
    "chinese_numeral": _in_digits(lambda d, v: to_chinese_numeral(v)),
    "fullwidth_digits": _in_digits(lambda d, v: d.translate(str.maketrans("0123456789", "０１２３４５６７８９"))),
    "about": _in_digits(lambda d, v: "约" + d),
    "dash": _in_digits(lambda d, v: "—"),
    "question_mark": _in_digits(lambda d, v: "？"),
    "empty": _in_digits(lambda d, v: ""),
    "zwsp_in_digits": _in_digits(lambda d, v: _middle(d, ZWSP)),
    "zwsp_before_unit": _insert("after", ZWSP),
    "zwsp_in_label": _insert("label", ZWSP),
    "stray_close_after": _insert("after", ")"),
    "stray_close_before": _insert("before", ")"),
    "stray_close_in_digits": _insert("digits", ")"),
    "double_open": _insert("before", "("),
    "unclosed": _bracket("close"),
    "unopened": _bracket("open"),
    "break_in_digits": _insert("digits", "\n"),
    "break_before_blank": _insert("before", "\n"),
    "break_after_blank": _insert("after", "\n"),
    "break_in_label": _insert("label", "\n"),
    "label_garbled": _garble_label,
    "blank_dropped": _drop_blank,
    "missing_tab": _row("no_tab"),
    "tab_as_space": _row("space"),
    "missing_row_number": _row("number"),
}

#: Gold cells the damages are applied to: first and later cells of rows, generic 参与 cells (the last of a row
#: too), a 0, a label written after its unit (观看), the last cell of the table.
TARGETS = (0, 1, 4, 5, 9, 19, 21, 23, 24, 27, 28, 32, 33, 34)
#: Row damages: one per row (the first target cell of each row).
ROW_TARGETS = (0, 5, 9, 21, 23, 32, 34)
ROW_DAMAGES = {"missing_tab", "tab_as_space", "missing_row_number"}


@pytest.fixture(scope="module")
def gold_keys(gold_annex, seed_report) -> list[str]:
    """Keys of the gold cells: the seed's template, whose cells the gold cells follow one for one."""
    tpl = next(t for t in templates() if t["id"] == seed_report.record.annex.template)
    tcells = [c for it in tpl["items"] for c in it["cells"]]
    assert [(c["label"], c["unit"]) for c in tcells] == [(c["label"], c["unit"]) for c in gold_annex["cells"]]
    return [c["key"] for c in tcells]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _problems(seed_text: str, gold: list[dict], gold_keys: list[str], template: str, name: str,
              target: int, items: Optional[list[tuple[int, str]]] = None) -> list[str]:
    """What is wrong with the record and check of the seed with ``DAMAGES[name]`` applied to gold cell
    ``target`` (empty: right values or None + a warning at the damaged line, and no contradiction)."""
    edit = DAMAGES[name](seed_text, gold[target], gold[(target + 1) % len(gold)])
    if edit is None:
        return []
    text = edit.apply(seed_text)
    damaged_lines = set(range(_line(text, edit.start), _line(text, edit.start + len(edit.new)) + 1))
    report = reportmine.parse_text(text, source=f"{name}.txt")
    annex = report.record.annex
    if annex.template != template:
        return [f"{name}-{target}: template {annex.template}, not the seed's {template}"]
    if items is not None and [(i.no, i.title) for i in annex.items] != items:
        return [f"{name}-{target}: rows {[(i.no, i.title) for i in annex.items]}"]
    gold_value = dict(zip(gold_keys, (c["value"] for c in gold)))
    by_seed_span = {tuple(c["value_span"]): (k, c["value"]) for k, c in zip(gold_keys, gold)}
    warned = [w for w in report.warnings if w.line in damaged_lines]
    bad = []

    def named(key: str) -> bool:
        return any(key in w.message for w in warned)

    for c in annex.cells:
        where = f"{name}-{target}: cell {c.key} {c.label!r} = {c.value!r} (raw {c.raw!r})"
        if c.value is None:
            if _line(text, c.value_span[0]) not in damaged_lines:
                bad.append(f"{where}: None away from the damage")
            elif not named(c.key):
                bad.append(f"{where}: no warning at the damaged line names it")
            continue
        seed_span = (edit.to_seed(c.value_span[0]), edit.to_seed(c.value_span[1] - 1))
        untouched = None not in seed_span and (seed_span[0], seed_span[1] + 1) in by_seed_span
        # a blank the damage did not touch is the gold cell of that blank; else it is the damaged blank
        key, value = by_seed_span[(seed_span[0], seed_span[1] + 1)] if untouched else (gold_keys[target],
                                                                                       gold[target]["value"])
        if c.value != value:
            bad.append(f"{where}: the blank says {value} ({key})")
        if c.key != key and c.key in gold_value:
            bad.append(f"{where}: value under another cell's key (it is {key})")
        if c.key != key and c.aligned:
            bad.append(f"{where}: not the template's cell, yet marked aligned")
    keys = {c.key for c in annex.cells}
    bad += [f"{name}-{target}: {k} is missing without a warning at the damaged line"
            for k in gold_keys if k not in keys and not named(k)]
    result = check_report(report)
    bad += [f"{name}-{target}: contradiction {getattr(c, 'explanation', c)}" for c in result.contradicted]
    return bad


@pytest.mark.parametrize("name", list(DAMAGES))
def test_damaged_blank_gives_right_value_or_none_with_warning(seed_text, seed_report, gold_annex, gold_keys, name):
    targets = ROW_TARGETS if name in ROW_DAMAGES else TARGETS
    template = seed_report.record.annex.template
    items = [(i["no"], i["title"]) for i in gold_annex["items"]]
    bad = [p for t in targets for p in _problems(seed_text, gold_annex["cells"], gold_keys, template, name, t, items)]
    assert not bad, "\n".join(bad)


REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("report", ["2022-zhejiang-safety-month.txt", "2025-hubei-safety-month.txt"])
def test_other_reports_and_the_2022_form_take_damage_the_same_way(report):
    """The same damages on reports with many prose figures linked to cells (and on the 2022 form): the
    reference is the undamaged report's record (its cells are checked in test_templates / test_corpus)."""
    path = REPO / "corpus" / report
    text = path.read_text(encoding="utf-8")
    undamaged = reportmine.parse(path)
    assert not check_report(undamaged).contradicted
    cells = undamaged.record.annex.cells
    reference = [{"value": c.value, "value_span": list(c.value_span), "label": c.label, "unit": c.unit}
                 for c in cells]
    keys = [c.key for c in cells]
    bad = [p for name in ("letter_l", "wan", "unclosed", "label_garbled", "blank_dropped", "break_in_digits")
           for t in range(1, len(cells), 5)
           for p in _problems(text, reference, keys, undamaged.record.annex.template, name, t,
                              [(i.no, i.title) for i in undamaged.record.annex.items])]
    assert not bad, "\n".join(bad)


def test_issue_example_participants_stay_on_their_keys(seed_text, gold_annex, gold_keys):
    """`（ l459084 ）`: drills.enterprise_drill_participants is None (not the next cell's 372728), with a warning."""
    gold = gold_annex["cells"]
    i = gold_keys.index("drills.enterprise_drill_participants")
    edit = DAMAGES["letter_l"](seed_text, gold[i], gold[i + 1])
    text = edit.apply(seed_text)
    rec = reportmine.parse_text(text).record
    cell = rec.cell("drills.enterprise_drill_participants")
    assert cell.value is None and cell.raw == text[edit.start:edit.start + len(edit.new)] == edit.new
    for k in ("drills.enterprise_drills", "drills.self_rescue_trainings", "drills.self_rescue_participants"):
        assert rec.cell(k).value == gold[gold_keys.index(k)]["value"]
    (w,) = [w for w in rec.warnings if "drills.enterprise_drill_participants" in w.message]
    blank = gold[i]["value_span"][0]
    assert (w.line, w.column) == (_line(text, blank), blank - text.rfind("\n", 0, blank))


BLANK_ALPHABET = "()（）\t0123456789０１２３４５６７８９,，.．、 +-—lOae万亿约余多零一二三四五六七八九十百千两" + ZWSP + "\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(inner="))O(0", target="consult_day.livestream_viewers")   # （）)O（0）人观看: not 0
@given(inner=st.text(alphabet=BLANK_ALPHABET, max_size=14), target=st.sampled_from(
    ["xuanguan.lectures", "xuanguan.lectures_participants", "drills.enterprise_drill_participants",
     "consult_day.livestream_viewers", "other.other_events", "other.other_participants"]))
def test_any_blank_text_gives_its_exact_number_or_none(seed_text, gold_annex, gold_keys, inner, target):
    """Whatever a blank holds, its cell is the number written there exactly, or None with a warning at the
    blank's line; every other cell keeps its gold value; check finds no contradiction but with that cell when
    it holds another number than the gold one."""
    gold = gold_annex["cells"]
    i = gold_keys.index(target)
    s, e = gold[i]["value_span"]
    text = seed_text[:s] + "(" + inner + ")" + seed_text[e:]
    report = reportmine.parse_text(text)
    rec = report.record
    lines = (_line(text, s), _line(text, s + len(inner) + 1))
    warned = any(gold_keys[i] in w.message and w.line in lines for w in report.warnings)
    cell = next((c for c in rec.annex.cells if c.key == gold_keys[i]), None)
    # a stray bracket before or after the number is reported, the number still read
    plain = inner.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(ZWSP, "").strip().strip("()（）").strip()
    if cell is not None and cell.value is not None:
        exact = [int(plain.replace(",", ""))] if regex.fullmatch(r"\d+|\d{1,3}(?:,\d{3})+", plain) else []
        if plain and all(ch in "零一二三四五六七八九十百千万亿两" for ch in plain):
            exact.append(parse_number(plain))
        assert cell.value in exact, f"{inner!r} read as {cell.value}"
    else:
        assert warned, f"{inner!r}: no warning at the blank's line names {gold_keys[i]}"
    gold_value = dict(zip(gold_keys, (c["value"] for c in gold)))
    for c in rec.annex.cells:
        if c.key != gold_keys[i]:
            assert c.value == gold_value.get(c.key), f"{inner!r}: {c.key} = {c.value}"
    assert {c.key for c in rec.annex.cells} >= set(gold_keys) - {gold_keys[i]}
    for c in check_report(report).contradicted:   # only a different number written in the blank may disagree
        assert getattr(c, "cell_key", None) == gold_keys[i] and cell.value != gold[i]["value"], c.explanation
