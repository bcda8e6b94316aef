"""List every part_whole verdict on the real documents in ../shared/real/ (skips what is absent).

Run: .venv/bin/python benchmarks/arithmetic/part_whole_real.py [--all] [--work-reports]
Prints, per document, the number of part_whole checks and of contradictions, then each contradiction
(``--all``: every check). ``--work-reports`` also runs the 72 government work reports (about a minute).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reportmine.check import check_report
from reportmine.report import parse, parse_text

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"
DOCUMENTS = [
    "2022-yichun-statistical-communique.txt",
    "2022-jiangxi-statistical-communique.txt",
    "2018-anweibanhan-67-bulletin.txt",
    "2025-shuyang-county-xxgk-annual.txt",
    "2023-shuyang-fgj-xxgk-annual.txt",
    "2023-nea-safety-month-notice.txt",
    "2019-jiangsu-safety-month-summary.txt",
    "2022-yichun-statistical-communique.html",
    "2022-jiangxi-statistical-communique.html",
]
WORK_REPORTS = "state-council-work-reports-1954-2025.jsonl"


def show(name: str, result, every: bool) -> tuple[int, int]:
    pw = [c for c in result.internal_checks if c.kind == "part_whole"]
    bad = [c for c in pw if c.verdict == "contradicted"]
    print(f"{name}: {len(pw)} part_whole checks, {len(bad)} contradicted")
    for c in pw if every else bad:
        print(f"  {'BAD' if c.verdict == 'contradicted' else c.verdict[:3].upper():3} {c.explanation}"
              + (f"  [note: {c.note}]" if c.note else ""))
    return len(pw), len(bad)


def main(argv: list[str]) -> int:
    every, work = "--all" in argv, "--work-reports" in argv
    if not REAL.is_dir():
        print(f"{REAL} absent: nothing to measure")
        return 0
    total = [0, 0]
    for name in DOCUMENTS:
        path = REAL / name
        if path.exists():
            n, b = show(name, check_report(parse(path)), every)
            total[0] += n
            total[1] += b
    if work and (REAL / WORK_REPORTS).exists():
        for line in (REAL / WORK_REPORTS).read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            label = rec["year"] or rec["title"]
            n, b = show(f"work report {label}", check_report(parse_text(rec["content"], source=str(label))), every)
            total[0] += n
            total[1] += b
    print(f"total: {total[0]} part_whole checks, {total[1]} contradicted")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
