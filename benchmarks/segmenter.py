"""The two segmentation backends side by side, as ratios to ``jieba.lcut`` measured in the same run.

    python benchmarks/segmenter.py [FILE] [--cold-only]

For each backend (jieba, rjieba when installed): segmentation alone, parse, parse + entities + check
(the spaCy pipeline built once beforehand), each against ``jieba.lcut`` of the same text; and the cold
start of ``reportmine check FILE`` and ``reportmine entities FILE`` in fresh processes: the median wall
time of 5 and the peak RSS (``os.wait4``), against ``python -c pass``; plus ``entities`` once with an
empty cache directory (the first run on a machine builds the word tables there). Issue goals: full
pipeline <= 1.0x jieba.lcut with rjieba, <= 2.0x with jieba; cold check <= 0.4 s with rjieba, <= 0.9 s
with jieba; cold entities <= 0.6 s and <= 150 MB with rjieba. reportmine's modules are byte-compiled
first (as ``pip install`` does): with ``PYTHONDONTWRITEBYTECODE`` set and no ``__pycache__``, every
cold start would also compile the package from source (~0.25 s). Never run by the test suite.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import jieba  # noqa: E402

import reportmine  # noqa: E402
from reportmine import tokens  # noqa: E402
from reportmine.check import check_report  # noqa: E402
from run import paired  # noqa: E402 - benchmarks/run.py: alternate the baseline and the measure


def cold(cmd: list[str], env: dict[str, str], repeat: int = 5) -> tuple[float, float]:
    """Median wall seconds of ``repeat`` fresh runs of ``cmd`` and the largest peak RSS among them (MB)."""
    times, peaks = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - t0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        peaks.append(usage.ru_maxrss / 1024)         # KB on Linux
    return statistics.median(times), max(peaks)


def cold_starts(path: Path, backends: list[str]) -> None:
    """The CLI's cold starts, each backend forced through the environment."""
    compileall.compile_dir(REPO / "reportmine", quiet=1)
    t_python, _ = cold([sys.executable, "-c", "pass"], dict(os.environ))
    load = os.getloadavg()[0]
    print(f"cold starts (median of 5 fresh processes; python -c pass {t_python:.3f} s; load average {load:.2f})")
    print(f"{'backend':8} {'command':34} {'seconds':>8} {'x pass':>7} {'peak MB':>8}")
    for name in backends:
        env = {**os.environ, tokens.SEGMENTER_ENV: name}
        for label, args in (("check", ["check", str(path), "--format", "json"]),
                            ("entities", ["entities", str(path), "--format", "json"])):
            cmd = [sys.executable, "-m", "reportmine", *args]
            subprocess.run(cmd, capture_output=True, env=env)      # the cache directory's tables exist
            t, peak = cold(cmd, env)
            print(f"{name:8} {'CLI ' + label + ', cold start':34} {t:8.3f} {t / t_python:7.1f} {peak:8.0f}")
        with tempfile.TemporaryDirectory() as empty:
            t, peak = cold([sys.executable, "-m", "reportmine", "entities", str(path), "--format", "json"],
                           {**env, "REPORTMINE_CACHE": empty}, repeat=1)
        print(f"{name:8} {'CLI entities, empty cache dir':34} {t:8.3f} {t / t_python:7.1f} {peak:8.0f}")


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--cold-only"]
    path = Path(args[0]) if args else REPO / "corpus" / "2023-shanghai-safety-month.txt"
    backends = ["jieba"]
    try:
        import rjieba  # noqa: F401
        backends.append("rjieba")
    except ImportError:
        print("rjieba not installed (pip install reportmine[fast]): jieba only")
    if "--cold-only" in sys.argv:
        cold_starts(path, backends)
        return
    ratios(path, backends)
    # the cold starts from a fresh, small process: a child forked from this one (the pipeline built, some
    # 300 MB) would start slower and report this process's size as its own peak (ru_maxrss counts the fork)
    sys.stdout.flush()
    subprocess.run([sys.executable, __file__, *args, "--cold-only"], check=True)


def ratios(path: Path, backends: list[str]) -> None:
    """Each backend's segmentation, parse and full pipeline against ``jieba.lcut``, in this process."""
    text = path.read_text(encoding="utf-8")
    tokens.jieba_module()
    jieba.lcut(text)
    reportmine.nlp()
    base = lambda: jieba.lcut(text)  # noqa: E731
    print(f"{path.name}: {len(text)} characters; ratios to jieba.lcut of the same text, same run")
    print(f"{'backend':8} {'measure':28} {'seconds':>9} {'ratio':>7}")
    for name in backends:
        tokens.use_backend(name)

        def segment_only():
            tokens.segment_cached.cache_clear()
            return tokens.segment(text)

        def parse_only():
            tokens.segment_cached.cache_clear()
            return reportmine.parse(path)

        def full():
            tokens.segment_cached.cache_clear()
            tokens.content_tokens.cache_clear()
            report = reportmine.parse(path)
            report.entities
            return check_report(report)

        for label, fn in (("segment", segment_only), ("parse", parse_only), ("parse + entities + check", full)):
            t, r = paired(base, fn)
            print(f"{name:8} {label:28} {t:9.4f} {r:7.2f}")


if __name__ == "__main__":
    main()
