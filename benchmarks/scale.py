"""Cost of parse + check + entities as the input grows: a curve from 10 KB to 50 MB.

    python benchmarks/scale.py                     # 0.01 0.03 0.1 0.3 1 3 10 50 MB (~6 minutes on a free core)
    python benchmarks/scale.py --sizes 0.01 0.1 1  # sizes in MB (UTF-8 bytes), for a quick look
    python benchmarks/scale.py --keep DIR          # also write the generated inputs to DIR
    python benchmarks/scale.py --plot out.png      # where the curve goes (default benchmarks/scale.png;
                                                   # its rows go beside it, benchmarks/scale.json)
    python benchmarks/scale.py --replot benchmarks/scale.json   # redraw the PNG only

Each input is the seed report's 公文 letter and its statistics annex around a narrative of the size asked:
paragraphs of sentences made of clauses drawn (seeded, so every run builds the same text) from the
narratives of all bundled reports in ``corpus/``. Mixing clauses keeps the vocabulary, the entities and
the figures of real reports while making almost every sentence new, so the per-sentence segmentation
cache does not make a large input look cheaper than it is. The letter and the annex (~5 KB) are the
same at every size: their cost is a fixed cost per document.

Each size runs in a fresh Python process (so peak memory is its own): it first parses the seed once
(the segmenter's dictionary and the data files are loaded, as in any real run), then times ``parse``,
``check_report`` and ``report.entities`` + ``report.events`` in CPU seconds of the process
(``time.process_time``: the machine is shared, and CPU time does not count other programs' turns).
Sizes under 3 MB are timed on several different inputs of that size (other seeds) and the fastest
run counts (one run of a 10 KB input takes a few milliseconds, and a busy machine only ever adds time). Peak RSS is the process's
(``ru_maxrss``, which includes the dictionary and the imports). Each process first times the same three
30 KB inputs (``calibration``, printed and saved): a hint of how busy the shared machine was at its start.

Prints one row per size with the cost per character of each stage, the marginal cost (the extra CPU time
per extra character from the previous size: what a longer document costs, without the fixed per-document
cost), the ratio of the largest size's cost per character to 1 MB's, and writes the curve as a PNG
(matplotlib: the ``notebook`` extra). The segmentation backend is rjieba when installed (``[fast]``),
as in the library; ``--segmenter jieba`` forces jieba. Never run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "2023-shanghai-safety-month.txt"
MB = 1_000_000
STAGES = ("parse", "check", "entities")
DEFAULT_SIZES = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 50]
#: Below 1 MB a stage takes milliseconds: time several inputs of the size (``--repeat``), below 3 MB three.
REPEAT_BELOW = (1.0, 3.0)
#: Each process first times the pipeline on these inputs (the same in every process; the fastest counts), so
#: that a size measured while the shared machine was busy can be told apart from a step that is not linear.
CALIBRATION_SEEDS = (1001, 1002, 1003)
CALIBRATION_SIZE = 30_000
#: The narrative is put after the summary's title, before the annex.
NARRATIVE_AFTER = "上海市 2023 年“安全生产月”活动总结\n"


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
    """The seed report's letter and annex around a generated narrative, about ``size`` UTF-8 bytes in all."""
    text = SEED.read_text(encoding="utf-8")
    head = text[:text.index(NARRATIVE_AFTER) + len(NARRATIVE_AFTER)]
    annex = text[text.index("\n附件："):]
    pool = _clauses()
    rng = random.Random(seed)
    paragraphs: list[str] = []
    grown = len(head.encode("utf-8")) + len(annex.encode("utf-8"))
    while grown < size:
        sentences = ["，".join(rng.choice(pool) for _ in range(rng.randint(2, 5))) + "。"
                     for _ in range(rng.randint(2, 6))]
        paragraph = "".join(sentences)
        paragraphs.append(paragraph)
        grown += len(paragraph.encode("utf-8")) + 2
    return head + "".join("\n\n" + p for p in paragraphs) + annex


def child(paths: list[str]) -> None:
    """Time parse, check and entities on each of ``paths`` in this (fresh) process; print the fastest run as JSON."""
    import resource
    import time

    sys.path.insert(0, str(REPO))
    import reportmine
    from reportmine import tokens
    from reportmine.check import check_report

    warm = reportmine.parse(SEED)  # load the segmenter and the data files as any real run does
    check_report(warm)
    len(warm.entities), len(warm.events)
    calibration = []               # the same work in every process: how fast the machine is just now
    for seed in CALIBRATION_SEEDS:
        text = build(CALIBRATION_SIZE, seed)
        t0 = time.process_time()
        report = reportmine.parse_text(text)
        check_report(report)
        len(report.entities), len(report.events)
        calibration.append((time.process_time() - t0) / len(report.text))
    del warm, report
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def rss() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    runs = []
    for path in paths:
        w0, t0 = time.perf_counter(), time.process_time()
        report = reportmine.parse(path)
        t1, m1 = time.process_time(), rss()
        result = check_report(report)
        t2, m2 = time.process_time(), rss()
        entities, events = report.entities, report.events
        t3, w3 = time.process_time(), time.perf_counter()
        runs.append({"chars": len(report.text), "parse": t1 - t0, "check": t2 - t1, "entities": t3 - t2,
                     "wall": w3 - w0, "claims": len(result.claims) + len(result.unlinked),
                     "entities_n": len(entities), "events_n": len(events), "parse_rss_mb": m1, "check_rss_mb": m2})
        del report, result, entities, events
    row = dict(min(runs, key=lambda r: (r["parse"] + r["check"] + r["entities"]) / r["chars"]))
    row.update(bytes=statistics.median(Path(p).stat().st_size for p in paths), runs=len(runs),
               base_rss_mb=base / 1024, peak_rss_mb=rss(), backend=tokens.backend(), calibration=min(calibration))
    print(json.dumps(row))


def plot(rows: list[dict], out: Path, backend: str) -> None:
    """Cost per character (each stage and the total; the marginal cost) and peak RSS against input size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    mb = [r["mb"] for r in rows]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2))
    for stage, style in (("parse", ":"), ("check", "--"), ("entities", "-."), ("total", "-")):
        ax.plot(mb, [r[stage] / r["chars"] * 1e6 for r in rows], style, marker="o", label=stage)
    ax.plot(mb[1:], [r["marginal"] * 1e6 for r in rows[1:]], "-", marker="x", color="grey",
            label="total, marginal (extra time / extra chars)")
    ax.set_xscale("log")
    ax.set_ylim(bottom=0)
    ax.set_xlabel("input size (MB of UTF-8)")
    ax.set_ylabel("CPU µs per character")
    ax.set_title(f"cost per character ({backend})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    bx.plot(mb, [r["peak_rss_mb"] for r in rows], marker="o", label="peak RSS")
    bx.plot(mb, [r["base_rss_mb"] for r in rows], ":", marker=".", label="after warm-up (imports, dictionary)")
    bx.set_xscale("log")
    bx.set_yscale("log")
    bx.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    bx.yaxis.set_minor_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    bx.set_xlabel("input size (MB of UTF-8)")
    bx.set_ylabel("MB")
    bx.set_title("peak memory of the process")
    bx.grid(True, which="both", alpha=0.3)
    bx.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"curve written to {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=DEFAULT_SIZES, help="input sizes in MB")
    ap.add_argument("--keep", help="write the generated inputs to this folder")
    ap.add_argument("--plot", default=str(Path(__file__).with_name("scale.png")), help="PNG of the curve ('' for none)")
    ap.add_argument("--segmenter", choices=("rjieba", "jieba"), help="force a backend (default: rjieba if installed)")
    ap.add_argument("--repeat", type=int, default=7, help="inputs timed per size under 1 MB (the fastest counts)")
    ap.add_argument("--replot", metavar="JSON", help="redraw the PNG from the rows a run saved beside it; no run")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    if args.replot:
        rows = json.loads(Path(args.replot).read_text(encoding="utf-8"))
        plot(rows, Path(args.plot), rows[0]["backend"])
        return
    if args.plot:
        try:
            import matplotlib  # noqa: F401 - checked before minutes of work
        except ImportError:
            sys.exit("the curve needs matplotlib: pip install 'reportmine[notebook]' (or --plot '' for the table only)")
    env = dict(os.environ)
    if args.segmenter:
        env["REPORTMINE_SEGMENTER"] = args.segmenter
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reportmine-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for mb in sorted(args.sizes):
        n = args.repeat if mb < REPEAT_BELOW[0] else 3 if mb < REPEAT_BELOW[1] else 1
        paths = []
        for seed in range(n):
            path = folder / f"scale-{mb:g}MB-{seed}.txt"
            path.write_text(build(int(mb * MB), seed), encoding="utf-8")
            paths.append(path)
        run = subprocess.run([sys.executable, __file__, "--child", *map(str, paths)], capture_output=True,
                             text=True, env=env)
        if run.returncode != 0:
            sys.exit(f"{mb:g} MB failed:\n{run.stderr[-3000:]}")
        row = json.loads(run.stdout.strip().splitlines()[-1])
        row["mb"] = row["bytes"] / MB
        row["total"] = sum(row[s] for s in STAGES)
        if rows:
            prev = rows[-1]
            row["marginal"] = (row["total"] - prev["total"]) / (row["chars"] - prev["chars"])
        rows.append(row)
        us = {s: row[s] / row["chars"] * 1e6 for s in (*STAGES, "total")}
        marginal = f"{row['marginal'] * 1e6:5.2f}" if "marginal" in row else "    -"
        print(f"{row['mb']:7.3f} MB {row['chars']:>10,} chars ({row['runs']} run{'s' if row['runs'] > 1 else ''}, "
              f"{row['backend']})  CPU s: parse {row['parse']:8.3f} check {row['check']:8.3f} entities "
              f"{row['entities']:8.3f} total {row['total']:8.3f}  µs/char: parse {us['parse']:.2f} check "
              f"{us['check']:.2f} entities {us['entities']:.2f} total {us['total']:.2f} marginal {marginal}  "
              f"peak {row['peak_rss_mb']:6.0f} MB (warm-up {row['base_rss_mb']:.0f})  claims {row['claims']:.0f}  "
              f"entities {row['entities_n']:.0f}  events {row['events_n']:.0f}", flush=True)
        if not args.keep:
            for path in paths:
                path.unlink()
    print()
    print("| input | chars | parse | check | entities | total | µs/char (parse / check / entities) | total µs/char "
          "| marginal µs/char | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
    for row in rows:
        size = f"{row['mb'] * 1000:.0f} KB" if row["mb"] < 1 else f"{row['mb']:.0f} MB"
        us = {s: row[s] / row["chars"] * 1e6 for s in (*STAGES, "total")}
        marginal = f"{row['marginal'] * 1e6:.2f}" if "marginal" in row else "–"
        print(f"| {size} | {row['chars']:,} | {row['parse']:.3f} s | {row['check']:.3f} s | {row['entities']:.3f} s | "
              f"{row['total']:.3f} s | {us['parse']:.2f} / {us['check']:.2f} / {us['entities']:.2f} | "
              f"{us['total']:.2f} | {marginal} | {row['peak_rss_mb']:,.0f} MB |")
    if all("calibration" in r for r in rows):     # measured at each process's start: a hint, not a correction
        print("calibration (the same 30 KB inputs at the start of every process), µs/char: "
              + ", ".join(f"{r['mb']:g} MB {r['calibration'] * 1e6:.2f}" for r in rows))
    ref = next((r for r in rows if abs(r["mb"] - 1) < 0.05), rows[0])
    if len(rows) > 1:
        large = rows[-1]
        ratio = (large["total"] / large["chars"]) / (ref["total"] / ref["chars"])
        print(f"cost per character, {large['mb']:g} MB / {ref['mb']:g} MB: {ratio:.2f}x "
              f"(goal: constant; within 1.5x); peak at {large['mb']:g} MB: {large['peak_rss_mb'] / 1024:.2f} GB")
        for stage in STAGES:
            a, b = ref[stage] / ref["chars"] * 1e6, large[stage] / large["chars"] * 1e6
            print(f"  {stage}: {a:.2f} -> {b:.2f} µs/char ({b / max(a, 1e-12):.2f}x)")
    if args.plot:
        saved = Path(args.plot).with_suffix(".json")
        saved.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        plot(rows, Path(args.plot), rows[0]["backend"])
        print(f"rows written to {saved}")


if __name__ == "__main__":
    main()
