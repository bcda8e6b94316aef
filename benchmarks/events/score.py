"""Score ``report.events`` against the gold events in ``tests/events/gold`` (format in tests/events/README.md).

    python benchmarks/events/score.py [-v]      # a row per report and the totals; -v lists misses and false events

Names match leniently: one name, whitespace removed, contains the other; each gold event is matched at
most once, so a happening reported twice costs precision. Dates, venues, kinds and participants are compared
on the matched events whose gold states one.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "events"     # the evaluation reports and their gold
GOLD = HERE / "gold"


def squash(s: str | None) -> str:
    """A name or venue without whitespace (PDF line breaks, spaces between digits and Chinese)."""
    return "".join((s or "").split())


def lenient(a: str, b: str) -> bool:
    a, b = squash(a), squash(b)
    return bool(a and b) and (a in b or b in a)


@dataclass
class Score:
    """Counts for one report (or a sum of reports)."""

    gold: int = 0
    found: int = 0
    matched: int = 0
    dated: int = 0
    date_right: int = 0
    placed: int = 0
    venue_right: int = 0
    kinds: int = 0
    kind_right: int = 0
    counted: int = 0
    participants_right: int = 0
    organised: int = 0
    organisers_right: int = 0  # the same set of names
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def __add__(self, other: "Score") -> "Score":
        out = Score()
        for name in self.__dataclass_fields__:
            setattr(out, name, getattr(self, name) + getattr(other, name))
        return out

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    def row(self) -> str:
        return (f"{self.gold:>4} {self.found:>5} {self.recall:>6.2f} {self.precision:>6.2f} "
                f"{self.date_right:>3}/{self.dated:<3} {self.venue_right:>3}/{self.placed:<3} "
                f"{self.kind_right:>3}/{self.kinds:<3} {self.participants_right:>3}/{self.counted:<3} "
                f"{self.organisers_right:>3}/{self.organised:<3}")


def match(gold: list[dict], found: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each gold event with the found event it matches (or None): exact names first, then the closest length."""
    free = list(range(len(found)))
    pairs: list[tuple[dict, dict | None]] = []
    for g in gold:
        options = [k for k in free if lenient(g["name"], found[k]["name"])]
        options.sort(key=lambda k: (squash(found[k]["name"]) != squash(g["name"]),
                                    abs(len(squash(found[k]["name"])) - len(squash(g["name"]))), k))
        if options:
            free.remove(options[0])
            pairs.append((g, found[options[0]]))
        else:
            pairs.append((g, None))
    return pairs


def score_events(gold: list[dict], found: list[dict]) -> Score:
    """Score found events (dicts with name, date, venue, and kind/participants when the model has them)."""
    s = Score(gold=len(gold), found=len(found))
    pairs = match(gold, found)
    used = {id(f) for _, f in pairs if f is not None}
    s.false = [f["name"] for f in found if id(f) not in used]
    for g, f in pairs:
        if f is None:
            s.misses.append(g["name"])
            continue
        s.matched += 1
        if g.get("date"):
            s.dated += 1
            s.date_right += f.get("date") == g["date"]
            if f.get("date") != g["date"]:
                s.wrong.append(f"date {g['name']}: {f.get('date')} != {g['date']}")
        if g.get("venue"):
            s.placed += 1
            s.venue_right += squash(f.get("venue")) == squash(g["venue"])
            if squash(f.get("venue")) != squash(g["venue"]):
                s.wrong.append(f"venue {g['name']}: {f.get('venue')} != {g['venue']}")
        if g.get("kind"):
            s.kinds += 1
            s.kind_right += f.get("kind") == g["kind"]
        if g.get("organisers"):
            s.organised += 1
            s.organisers_right += set(f.get("organisers") or ()) == set(g["organisers"])
        if g.get("participants") is not None:
            s.counted += 1
            s.participants_right += f.get("participants") == g["participants"]
    return s


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.json"))


def found_events(report) -> list[dict]:
    """The rows of ``report.events`` as dicts, the date as the ISO text the gold states (``events.date`` is
    the first day as a datetime64; ``date_iso`` keeps ranges and months as resolved)."""
    return [dict(row, date=row.get("date_iso", row.get("date"))) for row in report.events.to_dict("records")]


def score_file(path: Path) -> Score:
    import reportmine

    gold = json.loads(path.read_text(encoding="utf-8"))
    return score_events(gold["events"], found_events(reportmine.parse(ROOT / gold["file"])))


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args
    sys.path.insert(0, str(ROOT))
    total = Score()
    print(f"{'report':<30} gold found recall  prec. date    venue   kind    particip. organisers")
    for path in gold_files():
        s = score_file(path)
        total = total + s
        print(f"{path.stem:<30} {s.row()}")
        if verbose:
            for name in s.misses:
                print(f"    missed: {name!r}")
            for name in s.false:
                print(f"    false:  {name!r}")
            for line in s.wrong:
                print(f"    {line}")
    print(f"{'all':<30} {total.row()}")


if __name__ == "__main__":
    main()
