"""Moving a batch to a Dask cluster: ``parse_many(executor=client.get_executor())``, measured in one run.

    python benchmarks/cluster.py [--files 200] [--workers 2] [--no-entities]

Writes N varied copies of the bundled reports (each copy's 文号 and one figure changed, so neither the
cache nor the duplicate rule sees the same report twice) and parses them three ways, cache off:
one process (``workers=1``), reportmine's own process pool (``workers=W``), and a Dask
``distributed.LocalCluster`` of W single-threaded worker processes through ``client.get_executor()``.
Prints reports per second, each way's speed-up over one process, and peak memory: the parent's, the
largest worker of reportmine's pool (run first, so that its forked workers do not inherit the pages of an
earlier run's tables), and the largest Dask worker's (each worker reports its own). A real cluster is used the same
way: ``Client("scheduler-address:8786")`` instead of the LocalCluster. Needs ``reportmine[cluster]``.
Never run by the test suite.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import regex

REPO = Path(__file__).resolve().parents[1]


def write_archive(folder: Path, n: int) -> None:
    """N distinct reports from the bundled ones: another 文号 and one figure changed in each."""
    sources = sorted((REPO / "corpus").glob("*.txt"))
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        text = regex.sub(r"〔(\d{4})〕(\d+)号", lambda m: f"〔{m.group(1)}〕{1000 + i}号", text, count=1)
        text = regex.sub(r"（\s*(\d+)\s*）", lambda m: f"（{int(m.group(1)) + i}）", text, count=1)
        (folder / f"{src.stem}-{i:05d}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    import reportmine

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-entities", action="store_true")
    args = parser.parse_args()
    options = {"cache": False, "progress": False, "entities": not args.no_entities}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_archive(folder, args.files)
        rows = []
        # the pool first: a forked worker's RSS counts every page it shares with its parent, so a pool
        # forked after the one-process run would seem to hold that run's tables (4.3 GB at 10,000 reports)
        t0 = time.perf_counter()
        pool = reportmine.parse_many(folder, workers=args.workers, **options)
        rows.append((f"process pool, {args.workers} workers", time.perf_counter() - t0, len(pool.documents)))
        del pool
        time.sleep(1)                                   # the pool's workers exit and are reaped
        pool_workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        t0 = time.perf_counter()
        one = reportmine.parse_many(folder, workers=1, **options)
        rows.insert(0, ("one process", time.perf_counter() - t0, len(one.documents)))
        del one
        dask_workers = None
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            print("dask.distributed not installed (pip install reportmine[cluster]): no cluster row")
        else:
            t0 = time.perf_counter()
            with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                dask = reportmine.parse_many(folder, executor=client.get_executor(), **options)
                seconds = time.perf_counter() - t0
                dask_workers = max(client.run(_peak_rss_mb).values())    # each worker's own peak
            rows.append((f"Dask LocalCluster, {args.workers} workers", seconds, len(dask.documents)))
    base = rows[0][1]
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.files} reports, cache off, entities {'off' if args.no_entities else 'on'}; peak RSS: parent "
          f"{parent:.0f} MB (the one-process run included), largest pool worker {pool_workers:.0f} MB"
          + (f", largest Dask worker {dask_workers:.0f} MB" if dask_workers is not None else ""))
    print(f"{'how':34} {'seconds':>8} {'reports/s':>10} {'speed-up':>9} {'documents':>10}")
    for name, t, n in rows:
        print(f"{name:34} {t:8.1f} {args.files / t:10.1f} {base / t:9.2f} {n:10d}")


def _peak_rss_mb() -> float:
    """This process's peak RSS (run on each Dask worker)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
