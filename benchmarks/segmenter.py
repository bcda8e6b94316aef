"""The two segmentation backends side by side, as ratios to ``jieba.lcut`` measured in the same run.

    python benchmarks/segmenter.py [FILE]

For each backend (jieba, rjieba when installed): segmentation alone, parse, parse + entities + check
(the spaCy pipeline built once beforehand), each against ``jieba.lcut`` of the same text; and the cold
start of ``reportmine check FILE`` in a fresh process against ``python -c pass``. Issue goals: full
pipeline <= 1.0x jieba.lcut with rjieba, <= 2.0x with jieba; cold check <= 0.4 s with rjieba, <= 0.9 s
with jieba. Never run by the test suite.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import jieba  # noqa: E402

import reportmine  # noqa: E402
from reportmine import tokens  # noqa: E402
from reportmine.check import check_report  # noqa: E402
from run import paired  # noqa: E402 - benchmarks/run.py: alternate the baseline and the measure


def cold(cmd: list[str], env: dict[str, str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "corpus" / "2023-shanghai-safety-month.txt"
    text = path.read_text(encoding="utf-8")
    tokens.jieba_module()
    jieba.lcut(text)
    reportmine.nlp()
    backends = ["jieba"]
    try:
        import rjieba  # noqa: F401
        backends.append("rjieba")
    except ImportError:
        print("rjieba not installed (pip install reportmine[fast]): jieba only")
    base = lambda: jieba.lcut(text)  # noqa: E731
    print(f"{path.name}: {len(text)} characters; ratios to jieba.lcut of the same text, same run")
    print(f"{'backend':8} {'measure':28} {'seconds':>9} {'ratio':>7}")
    t_python = cold([sys.executable, "-c", "pass"], dict(os.environ))
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
        env = {**os.environ, tokens.SEGMENTER_ENV: name}
        t_cold = cold([sys.executable, "-m", "reportmine", "check", str(path), "--format", "json"], env)
        print(f"{name:8} {'CLI check, cold start':28} {t_cold:9.4f} {t_cold / t_python:7.2f} (x python -c pass)")


if __name__ == "__main__":
    main()
