"""Moving a batch to a Dask cluster: ``parse_many(executor=client.get_executor())``, measured in one run.

    python benchmarks/cluster.py [--files 200] [--workers 2] [--no-entities]

Writes N varied copies of the bundled reports (each copy's 文号 and one figure changed, so neither the
cache nor the duplicate rule sees the same report twice) and parses them three ways, cache off:
one process (``workers=1``), reportmine's own process pool (``workers=W``), and a Dask
``distributed.LocalCluster`` of W single-threaded worker processes through ``client.get_executor()``.
Prints reports per second, each way's speed-up over one process, and peak memory (the parent's, and the
largest worker process's of reportmine's pool; Dask workers report their own). A real cluster is used the same
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
        t0 = time.perf_counter()
        one = reportmine.parse_many(folder, workers=1, **options)
        rows.append(("one process", time.perf_counter() - t0, len(one.documents)))
        t0 = time.perf_counter()
        pool = reportmine.parse_many(folder, workers=args.workers, **options)
        rows.append((f"process pool, {args.workers} workers", time.perf_counter() - t0, len(pool.documents)))
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            print("dask.distributed not installed (pip install reportmine[cluster]): no cluster row")
        else:
            t0 = time.perf_counter()
            with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                dask = reportmine.parse_many(folder, executor=client.get_executor(), **options)
            rows.append((f"Dask LocalCluster, {args.workers} workers", time.perf_counter() - t0, len(dask.documents)))
    base = rows[0][1]
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{args.files} reports, cache off, entities {'off' if args.no_entities else 'on'}; peak RSS: parent "
          f"{parent:.0f} MB (one process's run included), largest worker {children:.0f} MB")
    print(f"{'how':34} {'seconds':>8} {'reports/s':>10} {'speed-up':>9} {'documents':>10}")
    for name, t, n in rows:
        print(f"{name:34} {t:8.1f} {args.files / t:10.1f} {base / t:9.2f} {n:10d}")


if __name__ == "__main__":
    main()
