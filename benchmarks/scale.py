"""Cost of parse + check + entities as the input grows: 1, 10 and 50 MB documents.

    python benchmarks/scale.py                 # 1, 10 and 50 MB
    python benchmarks/scale.py --sizes 0.5 1 2 # sizes in MB (UTF-8 bytes), for a quick look
    python benchmarks/scale.py --keep DIR      # also write the generated inputs to DIR

Each input is the seed report (its 公文 letter, narrative and statistics annex) with its narrative
grown to the size asked: new paragraphs of sentences made of clauses drawn (seeded, so every run
builds the same text) from the narratives of all bundled reports in ``corpus/``. Mixing clauses keeps
the vocabulary, the entities and the figures of real reports while making almost every sentence new,
so the per-sentence segmentation cache does not make a large input look cheaper than it is.

Each size runs in a fresh Python process (so peak memory is its own): it first parses the seed once
(jieba's dictionary and the data files are loaded, as in any real run), then times ``parse``,
``check_report`` and ``report.entities`` + ``report.events`` on the big file in CPU seconds of the
process (``time.process_time``: the machine is shared, and CPU time does not count other programs'
turns; the wall time of the three stages is printed beside it), and reports the process's peak RSS
(``ru_maxrss``, which includes ~0.25 GB of jieba's dictionary and the imports).

Prints one row per size, the cost per MB of the three stages together, and the ratio of the
largest size's cost per MB to the smallest's (goal: within 1.5x; 50 MB under 2 GB peak).
Never run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "2023-shanghai-safety-month.txt"
MB = 1_000_000


def _clauses() -> list[str]:
    """Clauses (between ，and 。) of the narrative paragraphs of every bundled report."""
    out: list[str] = []
    for path in sorted((REPO / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        body = text[:text.index("\n附件：")]
        for line in body.splitlines():
            line = line.strip()
            if len(line) < 60 or "。" not in line:
                continue  # headings, the letter's short lines, signatures
            for sentence in line.split("。"):
                out += [c for c in sentence.split("，") if c]
    return out


def build(size: int, seed: int = 0) -> str:
    """The seed report with its narrative grown to about ``size`` UTF-8 bytes."""
    text = SEED.read_text(encoding="utf-8")
    at = text.index("\n附件：")  # new paragraphs go at the end of the narrative, before the annex
    pool = _clauses()
    rng = random.Random(seed)
    paragraphs: list[str] = []
    grown = len(text.encode("utf-8"))
    while grown < size:
        sentences = ["，".join(rng.choice(pool) for _ in range(rng.randint(2, 5))) + "。"
                     for _ in range(rng.randint(2, 6))]
        paragraph = "".join(sentences)
        paragraphs.append(paragraph)
        grown += len(paragraph.encode("utf-8")) + 2
    return text[:at] + "".join("\n\n" + p for p in paragraphs) + text[at:]


def child(path: str) -> None:
    """Time parse, check and entities on ``path`` in this (fresh) process; print JSON."""
    import resource
    import time

    sys.path.insert(0, str(REPO))
    import reportmine
    from reportmine.check import check_report

    warm = reportmine.parse(SEED)  # load jieba and the data files as any real run does
    check_report(warm)
    len(warm.entities), len(warm.events)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def rss() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    w0, t0 = time.perf_counter(), time.process_time()
    report = reportmine.parse(path)
    t1, m1 = time.process_time(), rss()
    result = check_report(report)
    t2, m2 = time.process_time(), rss()
    entities, events = report.entities, report.events
    t3, w3 = time.process_time(), time.perf_counter()
    peak = rss()
    print(json.dumps({"bytes": Path(path).stat().st_size, "chars": len(report.text),
                      "parse": t1 - t0, "check": t2 - t1, "entities": t3 - t2, "wall": w3 - w0,
                      "claims": len(result.claims) + len(result.unlinked), "entities_n": len(entities),
                      "events_n": len(events), "base_rss_mb": base / 1024, "peak_rss_mb": peak,
                      "parse_rss_mb": m1, "check_rss_mb": m2}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 50], help="input sizes in MB")
    ap.add_argument("--keep", help="write the generated inputs to this folder")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reportmine-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for mb in args.sizes:
        path = folder / f"scale-{mb:g}MB.txt"
        path.write_text(build(int(mb * MB)), encoding="utf-8")
        run = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"{mb:g} MB failed:\n{run.stderr[-3000:]}")
        row = json.loads(run.stdout.strip().splitlines()[-1])
        row["mb"] = row["bytes"] / MB
        row["total"] = row["parse"] + row["check"] + row["entities"]
        rows.append(row)
        print(f"{row['mb']:6.1f} MB  parse {row['parse']:7.1f} s  check {row['check']:7.1f} s  "
              f"entities {row['entities']:7.1f} s  total {row['total']:7.1f} s (wall {row['wall']:.1f} s)  "
              f"{row['total'] / row['mb']:5.2f} s/MB  peak {row['peak_rss_mb']:6.0f} MB "
              f"(warm-up {row['base_rss_mb']:.0f}, parse {row['parse_rss_mb']:.0f}, check {row['check_rss_mb']:.0f})  "
              f"claims {row['claims']}  "
              f"entities {row['entities_n']}  events {row['events_n']}", flush=True)
        if not args.keep:
            path.unlink()
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        ratio = (large["total"] / large["mb"]) / (small["total"] / small["mb"])
        print(f"cost per MB, {large['mb']:.0f} MB / {small['mb']:.0f} MB: {ratio:.2f}x (goal <= 1.5x); "
              f"peak at {large['mb']:.0f} MB: {large['peak_rss_mb'] / 1024:.2f} GB (goal < 2 GB)")
        for stage in ("parse", "check", "entities"):
            r = (large[stage] / large["mb"]) / max(small[stage] / small["mb"], 1e-9)
            print(f"  {stage}: {small[stage] / small['mb']:.2f} -> {large[stage] / large['mb']:.2f} s/MB ({r:.2f}x)")


if __name__ == "__main__":
    main()
