"""Score reportmine's entities against the annotated reports in ``benchmarks/entities/gold``.

    python benchmarks/entities/score.py            # table per report and label
    python benchmarks/entities/score.py --errors   # also list misses and false alarms

Two views per label: unique surface forms ``(label, text)`` (what an analyst's list of names
shows) and exact spans ``(label, start, end)`` (every mention, offsets in the original file).
DATE values are compared too: the share of gold dates found at the right span with the right value.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLD = Path(__file__).resolve().parent / "gold"
sys.path.insert(0, str(ROOT))

from reportmine import parse  # noqa: E402
from reportmine.entities import LABELS  # noqa: E402


def prf(pred: set, gold: set) -> tuple[float, float, float]:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else (1.0 if not gold else 0.0)
    r = tp / len(gold) if gold else (1.0 if not pred else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_report(gold_file: Path, errors: bool = False) -> list[dict]:
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    report = parse(ROOT / gold["file"])
    pred = report.entities
    rows = []
    for label in LABELS:
        g = [e for e in gold["entities"] if e["label"] == label]
        p = pred[pred["label"] == label]
        g_forms, p_forms = {e["text"] for e in g}, set(p["text"])
        g_spans, p_spans = {(e["start"], e["end"]) for e in g}, set(zip(p["start"], p["end"]))
        row = {"report": gold_file.stem, "label": label, "gold": len(g_forms), "found": len(p_forms)}
        row.update(zip(("form_p", "form_r", "form_f1"), prf(p_forms, g_forms)))
        row.update(zip(("span_p", "span_r", "span_f1"), prf(p_spans, g_spans)))
        if label == "DATE":
            values = {(s, e): v for s, e, v in zip(p["start"], p["end"], p["value"])}
            right = sum(values.get((e["start"], e["end"])) == e.get("value") for e in g)
            row["values_right"] = f"{right}/{len(g)}"
        if label == "EVENT":
            # an event is found at any of its mentions, or at a mention that holds the gold name (安全宣传咨询日 in
            # …“安全宣传咨询日”主场活动): report.events has one row per happening, its mentions merged
            mentions = [((a, b), r) for r in report.events.itertuples() for a, b in r.mentions]

            def ours(e):
                return next((r for (a, b), r in mentions if (a, b) == (e["start"], e["end"])), None) or next(
                    (r for (a, b), r in mentions if a <= e["start"] and e["end"] <= b), None)

            for attr in ("date", "venue"):
                told = [e for e in gold.get("events", []) if e.get(attr)]
                column = "date_iso" if attr == "date" else attr     # events.date is a datetime64 column
                right = sum(getattr(ours(e), column, None) == e[attr] for e in told)
                row[f"event_{attr}s_right"] = f"{right}/{len(told)}"
        rows.append(row)
        if errors:
            for t in sorted(g_forms - p_forms):
                print(f"  {gold_file.stem} {label} missed: {t!r}")
            for t in sorted(p_forms - g_forms):
                print(f"  {gold_file.stem} {label} false:  {t!r}")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list missed and false surface forms")
    ap.add_argument("gold", nargs="*", help="gold files (default: all in benchmarks/entities/gold)")
    args = ap.parse_args()
    import pandas as pd

    files = [Path(f) for f in args.gold] or sorted(GOLD.glob("*.json"))
    table = pd.DataFrame([row for f in files for row in score_report(f, args.errors)])
    pd.set_option("display.width", 200)
    print(table.round(2).to_string(index=False))


if __name__ == "__main__":
    main()
