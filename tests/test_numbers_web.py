"""Quantities on web-page text (tests/data/web_quantities.txt): counts read right, nothing from non-quantities.

The samples are sentences in the style of 安全生产月 news pages (a quarter in traditional script) with gold
quantities and distractors (dates, phones, 文号, addresses, years, times). The goal of issue 11: at least 97 %
of the gold quantities read with the right value, and not one quantity from a distractor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from reportmine.numbers import Quantity, find_quantities

SAMPLE = Path(__file__).parent / "data" / "web_quantities.txt"
HELDOUT = Path(__file__).parent / "data" / "web_quantities_heldout.txt"


@dataclass
class Gold:
    surface: str
    span: tuple[int, int]
    value: Decimal
    unit: str | None
    admits: tuple[Decimal | None, Decimal | None]
    bounds: str
    kind: str


@dataclass
class Item:
    line: int
    text: str
    quantities: list[Gold] = field(default_factory=list)
    distractors: list[tuple[str, tuple[int, int]]] = field(default_factory=list)


def _interval(s: str, where: str) -> tuple[tuple[Decimal | None, Decimal | None], str]:
    """'[500,1000)' -> ((500, 1000), '[)'); an empty end is None."""
    if len(s) < 3 or s[0] not in "[(" or s[-1] not in ")]" or "," not in s:
        raise ValueError(f"{where}: bad interval {s!r}")
    lo, hi = s[1:-1].split(",")
    return (Decimal(lo) if lo else None, Decimal(hi) if hi else None), s[0] + s[-1]


def load_sample(path: Path = SAMPLE) -> list[Item]:
    """Parse the sample file; each Q/N string is located in its sentence after the previous one."""
    items: list[Item] = []
    cursor = 0
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        tag, _, rest = line.partition(" ")
        where = f"{path.name}:{n}"
        if tag == "S":
            items.append(Item(n, rest))
            cursor = 0
            continue
        if not items:
            raise ValueError(f"{where}: {tag} line before the first S line")
        item = items[-1]
        if tag == "Q":
            parts = [p.strip() for p in rest.split("|")]
            if len(parts) not in (4, 5):
                raise ValueError(f"{where}: a Q line has 4 or 5 fields: {rest!r}")
            surface = parts[0]
            start = item.text.find(surface, cursor)
            if start < 0:
                raise ValueError(f"{where}: {surface!r} not in its sentence after offset {cursor}")
            cursor = start + len(surface)
            admits, bounds = _interval(parts[3], where)
            item.quantities.append(Gold(surface, (start, cursor), Decimal(parts[1]),
                                        None if parts[2] == "-" else parts[2], admits, bounds,
                                        parts[4] if len(parts) == 5 else "count"))
        elif tag == "N":
            start = item.text.find(rest)
            if start < 0:
                raise ValueError(f"{where}: {rest!r} not in its sentence")
            item.distractors.append((rest, (start, start + len(rest))))
        else:
            raise ValueError(f"{where}: unknown tag {tag!r}")
    return items


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _dec(x) -> Decimal | None:
    return None if x is None else Decimal(str(x))


@dataclass
class Score:
    gold: int = 0
    value_right: int = 0
    fully_right: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def score(items: list[Item]) -> Score:
    """Value right = a found quantity over the gold surface with the gold value; fully right = also unit,
    interval, bounds and kind. A false positive is a quantity over a distractor or over no gold quantity."""
    s = Score()
    for item in items:
        found = find_quantities(item.text)
        for g in item.quantities:
            s.gold += 1
            over = [q for q in found if _overlaps(q.span, g.span)]
            hit = [q for q in over if _dec(q.value) == g.value]
            if hit:
                s.value_right += 1
                q: Quantity = hit[0]
                if (q.unit == g.unit and tuple(map(_dec, q.admits)) == g.admits and q.bounds == g.bounds
                        and q.kind == g.kind):
                    s.fully_right += 1
                else:
                    s.misses.append(f"{item.line} {g.surface}: interval/unit {q.unit} {q.admits} {q.bounds} {q.kind}")
            else:
                s.misses.append(f"{item.line} {g.surface}: got {[(q.surface, q.value) for q in over]}")
        for q in found:
            if not any(_overlaps(q.span, g.span) for g in item.quantities):
                s.false_positives.append(f"{item.line} {q.surface!r} in {item.text[:30]}…")
    return s


ITEMS = load_sample()
HELDOUT_ITEMS = load_sample(HELDOUT)


def test_sample_is_well_formed():
    assert len(ITEMS) >= 100 and len(HELDOUT_ITEMS) >= 30
    assert sum(len(i.quantities) for i in ITEMS) >= 150
    assert sum(len(i.distractors) for i in ITEMS) >= 50
    for item in ITEMS + HELDOUT_ITEMS:
        for text, span in item.distractors:
            assert not any(_overlaps(span, g.span) for g in item.quantities), (item.line, text)


@pytest.mark.parametrize("items", [ITEMS, HELDOUT_ITEMS], ids=["sample", "heldout"])
def test_counts_read_with_the_right_value(items):
    s = score(items)
    assert s.value_right / s.gold >= 0.97, "\n".join(s.misses)
    assert s.fully_right / s.gold >= 0.95, "\n".join(s.misses)


@pytest.mark.parametrize("items", [ITEMS, HELDOUT_ITEMS], ids=["sample", "heldout"])
def test_no_quantity_from_a_non_quantity(items):
    assert score(items).false_positives == []


@pytest.mark.parametrize("item", [i for i in ITEMS + HELDOUT_ITEMS if i.distractors],
                         ids=lambda i: f"line{i.line}")
def test_distractors_yield_nothing(item):
    found = find_quantities(item.text)
    for text, span in item.distractors:
        assert not [q for q in found if _overlaps(q.span, span)], text


if __name__ == "__main__":  # python tests/test_numbers_web.py: the scores and every miss
    for name, sample in (("sample", ITEMS), ("heldout", HELDOUT_ITEMS)):
        result = score(sample)
        print(f"{name}: value right {result.value_right}/{result.gold}, fully right {result.fully_right}/"
              f"{result.gold}, false positives {len(result.false_positives)}")
        print("\n".join(result.misses + ["FP " + f for f in result.false_positives]))
