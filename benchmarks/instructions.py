"""The per-report ratios of ``segmenter.py`` counted in instructions, not seconds: the same on a busy machine.

    python benchmarks/instructions.py [FILE ...] [--backend rjieba|jieba] [--repeat 2]

On a shared 2-core machine wall and CPU times of the same run vary by ±20 % (other processes, the other
hyperthread); instruction counts do not. Each measure runs in a fresh process under valgrind's callgrind
with instrumentation off until the measured loop starts (``callgrind_control -i on``), so imports and the
pipeline's first build cost nothing and the run takes about half a minute: ``jieba.lcut`` of the report's
normalised text, and ``parse`` + ``entities`` + ``check`` (segmentation cache cleared each time, as for a
new report). Prints instructions per run (millions) and their ratio. An instruction is not a fixed time
(the pipeline's Python and jieba's Python run at about the same instructions per cycle, rjieba's Rust faster),
so this complements the timings, it does not replace them. Needs valgrind (``apt-get install valgrind``);
never run by the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Runs in the child, under valgrind: the measured loop between two callgrind_control calls.
CHILD = r"""
import os, subprocess, sys
sys.path.insert(0, sys.argv[1])
import jieba
import reportmine
from reportmine import tokens
from reportmine.check import check_report

path, what, backend, repeat = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
tokens.use_backend(backend)
reportmine.nlp()
text = reportmine.parse(path).norm.text

def lcut():
    jieba.lcut(text)

def full():
    tokens.segment_cached.cache_clear()
    tokens.content_tokens.cache_clear()
    report = reportmine.parse(path)
    report.entities
    check_report(report)

run = lcut if what == "lcut" else full
run()                                    # jieba's dictionary, the first report's lazy tables
subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True)
for _ in range(repeat):
    run()
subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], capture_output=True)
"""


def instructions(path: Path, what: str, backend: str, repeat: int) -> float:
    """Instructions of one run of ``what`` (``lcut`` or ``full``) on ``path``, counted by callgrind."""
    cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null",
           sys.executable, "-c", CHILD, str(REPO), str(path), what, backend, str(repeat)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    m = re.search(r"Collected\s*:\s*(\d+)", proc.stderr)
    if proc.returncode != 0 or m is None:
        raise SystemExit(f"callgrind run failed for {path.name} ({what}):\n{proc.stderr[-2000:]}")
    return int(m.group(1)) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--backend", default=None, help="rjieba (when installed) or jieba")
    parser.add_argument("--repeat", type=int, default=2, help="measured runs per process")
    args = parser.parse_args()
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind): nothing measured")
    backend = args.backend
    if backend is None:
        try:
            import rjieba  # noqa: F401
            backend = "rjieba"
        except ImportError:
            backend = "jieba"
    files = args.files or [REPO / "corpus" / "2023-shanghai-safety-month.txt"]
    print(f"instructions per run (millions), callgrind; backend {backend}")
    print(f"{'report':44} {'jieba.lcut':>11} {'pipeline':>10} {'ratio':>6}")
    for path in files:
        base = instructions(path, "lcut", backend, args.repeat)
        full = instructions(path, "full", backend, args.repeat)
        print(f"{path.name[:44]:44} {base / 1e6:11.1f} {full / 1e6:10.1f} {full / base:6.2f}")


if __name__ == "__main__":
    main()
