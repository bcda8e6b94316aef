"""Batch speed-up and memory of ``reportmine.parse_many``, measured in the same run.

    python benchmarks/batch.py [--files 200] [--small 50] [--repeat 2] [--no-entities] [--varied] [FILE]

Writes N copies of the seed report (distinct names, so distinct doc_ids) to a temporary folder and
runs ``parse_many`` on them with the cache disabled, each run in a fresh Python process so that
peak-memory figures are not inherited from an earlier run:

* speed: ``workers=2`` (process pool) against ``workers=1`` (in-process) over N files; the ratio is
  the speed-up (goal >= 1.6x on 2 cores). Times include starting the pool and each process's first
  parse (jieba's dictionary, the entity pipeline), as a user of the batch command sees them.
* memory: for the small and the large folder, the parent's peak RSS (``ru_maxrss``), the largest
  child's peak RSS, and, with the pool, the peak of Python allocations made during ``parse_many``
  in the parent (``tracemalloc``, a separate traced run; with workers=1 tracing the parse itself
  would take minutes). Flat means the large folder costs about what the small one does: no Report
  objects are kept, only the rows of the output tables. The tables' own size (pandas' deep
  ``memory_usage``, which counts the Arrow text buffers tracemalloc does not see) is printed beside it.

Prints a small table; never run by the test suite (no timed assertions anywhere).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "2023-shanghai-safety-month.txt"


def child(folder: str, workers: int, trace: bool, entities: bool) -> None:
    """Run one batch in this (fresh) process and print its figures as JSON."""
    import resource
    import time
    import tracemalloc

    sys.path.insert(0, str(REPO))
    import reportmine

    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    corpus = reportmine.parse_many(folder, workers=workers, cache=False, progress=False, entities=entities,
                                   duplicates="keep")   # the folder is copies of one report: keep every row
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    tables = sum(int(frame.memory_usage(deep=True).sum()) for frame in corpus.tables().values())
    print(json.dumps({"seconds": seconds, "documents": len(corpus.documents), "cells": len(corpus.cells),
                      "checks": len(corpus.checks), "entities": len(corpus.entities), "errors": len(corpus.errors),
                      "traced_peak": peak, "parent_rss_kb": own, "child_rss_kb": kids, "tables_bytes": tables}))


def run(folder: Path, workers: int, trace: bool = False, entities: bool = True) -> dict:
    cmd = [sys.executable, __file__, "--child", str(folder), "--workers", str(workers)]
    cmd += ["--trace"] if trace else []
    cmd += [] if entities else ["--no-entities"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_folder(root: Path, source: Path, n: int, varied: bool = False) -> Path:
    """N copies of ``source``; with ``varied``, N distinct reports made from the bundled ones instead (another
    文号 and one figure in each: ``cluster.py``'s archive), so no two files share their rows' text."""
    folder = root / f"copies-{n}"
    folder.mkdir()
    if varied:
        sys.path.insert(0, str(Path(__file__).parent))
        from cluster import write_archive

        write_archive(folder, n)
        return folder
    for k in range(n):
        shutil.copyfile(source, folder / f"report-{k:04d}.txt")
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", default=str(SEED))
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--small", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3, help="speed runs per setting (the fastest counts)")
    ap.add_argument("--no-entities", action="store_true", help="skip report.entities (the slowest part)")
    ap.add_argument("--varied", action="store_true", help="distinct reports made from the bundled ones, not copies")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    entities = not args.no_entities
    if args.child:
        child(args.child, args.workers, args.trace, entities)
        return

    import os

    runs: dict[int, list[dict]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp:
        big = make_folder(Path(tmp), Path(args.file), args.files, args.varied)
        small = make_folder(Path(tmp), Path(args.file), args.small, args.varied)
        for _ in range(args.repeat):            # interleaved, so a busy moment hits both settings
            for w in (1, 2):
                runs[w].append(run(big, w, entities=entities))
        speed = {w: min(rs, key=lambda r: r["seconds"]) for w, rs in runs.items() if rs}
        memory = {(n, w): (run(folder, w, entities=entities),
                           run(folder, w, trace=True, entities=entities) if w > 1 else None)
                  for n, folder in ((args.small, small), (args.files, big)) for w in (1, 2)}

    what = "varied reports from the bundled ones" if args.varied else f"{Path(args.file).name} x {args.files}"
    print(f"{what}, cache off, entities {'on' if entities else 'off'}, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    one = memory[(args.files, 1)][0]
    print(f"  per run: {one['documents']} documents, {one['cells']} cells, {one['checks']} checks, "
          f"{one['entities']} entities, {one['errors']} errors")
    print()
    if args.repeat > 0:
        r1, r2 = speed[1], speed[2]
        print(f"{'speed':28} {'seconds':>8} {'files/s':>8} {'speed-up':>9}")
        for w, r in speed.items():
            print(f"{f'workers={w}':28} {r['seconds']:8.2f} {args.files / r['seconds']:8.1f} "
                  f"{r1['seconds'] / r['seconds']:8.2f}x")
        print("  all runs (s): " + "; ".join(f"workers={w}: " + ", ".join(f"{r['seconds']:.2f}" for r in rs)
                                             for w, rs in runs.items()))
        ratio = r1["seconds"] / r2["seconds"]
        print(f"goal speed-up >= 1.6x with 2 workers: {'meets' if ratio >= 1.6 else 'MISSES'} ({ratio:.2f}x)")
        print()
    print(f"{'memory (peak)':28} {'parent RSS':>11} {'child RSS':>10} {'parent traced':>14} {'tables':>10}")
    for (n, w), (plain, traced) in memory.items():
        child_rss = f"{plain['child_rss_kb'] / 1024:7.1f} MB" if w > 1 else f"{'-':>10}"
        trace = f"{traced['traced_peak'] / 2**20:11.1f} MB" if traced else f"{'-':>14}"
        print(f"{f'{n} files, workers={w}':28} {plain['parent_rss_kb'] / 1024:8.1f} MB {child_rss} {trace} "
              f"{plain['tables_bytes'] / 2**20:7.1f} MB")
    n_more = args.files - args.small
    for w in (1, 2):
        (a, ta), (b, tb) = memory[(args.small, w)], memory[(args.files, w)]
        line = (f"workers={w}, {args.small} -> {args.files} files: parent RSS "
                f"{(b['parent_rss_kb'] - a['parent_rss_kb']) / 1024:+.1f} MB")
        if ta and tb:
            grow = tb["traced_peak"] - ta["traced_peak"]
            line += f", traced peak {grow / 2**20:+.1f} MB ({grow / n_more / 1024:.1f} KB per extra file: its rows)"
        tables = b["tables_bytes"] - a["tables_bytes"]
        line += f"; the tables themselves {tables / n_more / 1024:.1f} KB per extra file (pandas' deep memory_usage)"
        print(line)


if __name__ == "__main__":
    main()
