"""Speed of reportmine relative to jieba's own segmentation, measured in the same run.

    python benchmarks/run.py [FILE]

Prints ratios, not absolute goals: parse (structure + annex + every table) against ``jieba.lcut``
of the same text (goal: ratio < 1), the full pipeline parse + entities + check (goal:
ratio < 4, the spaCy pipeline built once beforehand), and the cold start of the CLI
against a bare ``python -c pass``, and the cost of reading traditional script per 10k characters (the
OpenCC conversion against ``normalize`` and ``jieba.lcut`` of the same text). Never run by the test suite.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import jieba  # noqa: E402

import reportmine  # noqa: E402
from reportmine.normalize import normalize  # noqa: E402


def best_of(fn, repeat: int = 7, number: int = 5) -> float:
    """Median over ``repeat`` runs of the mean time of ``number`` calls (seconds)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return statistics.median(times)


def paired(base, fn, pairs: int = 21, number: int = 3) -> tuple[float, float]:
    """Median seconds of ``fn`` and median ratio to ``base``, the two run alternately so that a busy
    moment of the machine slows both (the ratio is what the goals are about)."""
    times, ratios = [], []
    for _ in range(pairs):
        t0 = time.perf_counter()
        for _ in range(number):
            base()
        t_base = (time.perf_counter() - t0) / number
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        t_fn = (time.perf_counter() - t0) / number
        times.append(t_fn)
        ratios.append(t_fn / t_base)
    return statistics.median(times), statistics.median(ratios)


def cold(cmd: list[str], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return min(times)


#: Real 年报 with the national tables, read from ../shared/real when it is there (never copied here).
ANNUAL_REPORTS = [REPO.parent / "shared" / "real" / name for name in
                  ("2025-shuyang-county-xxgk-annual.txt", "2023-shuyang-fgj-xxgk-annual.txt")]


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "corpus" / "2023-shanghai-safety-month.txt"
    text = path.read_text(encoding="utf-8")
    jieba.setLogLevel(60)
    jieba.initialize()                      # dictionary load is not part of the comparison
    reportmine.parse(path)                  # warm caches (templates, data files)
    t_jieba = best_of(lambda: jieba.lcut(text))
    t_parse = best_of(lambda: reportmine.parse(path))
    t_norm = best_of(lambda: normalize(text))
    rows = [
        ("jieba.lcut (baseline)", t_jieba, 1.0),
        ("reportmine.parse", t_parse, t_parse / t_jieba),
        ("  of which normalize", t_norm, t_norm / t_jieba),
    ]
    try:
        from reportmine.check import check_report

        report = reportmine.parse(path)
        check_report(report)
        from reportmine.pipeline import content_tokens, segment_cached

        def parse_and_check():
            content_tokens.cache_clear()    # each run as for a new report
            segment_cached.cache_clear()
            return check_report(reportmine.parse(path))

        t_check = best_of(parse_and_check)
        rows.append(("parse + check", t_check, t_check / t_jieba))

        reportmine.nlp()                    # built once per process, not per document

        def full_pipeline():
            content_tokens.cache_clear()
            segment_cached.cache_clear()
            report = reportmine.parse(path)
            report.entities
            return check_report(report)


        def parse_and_entities():
            segment_cached.cache_clear()
            return reportmine.parse(path).entities

        t_entities, r_entities = paired(lambda: jieba.lcut(text), parse_and_entities)
        t_full, r_full = paired(lambda: jieba.lcut(text), full_pipeline)
        rows.append(("parse + entities", t_entities, r_entities))
        rows.append(("parse + entities + check", t_full, r_full))
    except ImportError:
        t_full = r_full = None
    t_python = cold([sys.executable, "-c", "pass"])
    t_cli = cold([sys.executable, "-m", "reportmine", "parse", str(path), "--format", "json"])
    print(f"{path.name}: {len(text)} characters, Python {sys.version.split()[0]}")
    print(f"{'measure':28} {'seconds':>10} {'ratio':>8}")
    for name, t, r in rows:
        print(f"{name:28} {t:10.4f} {r:8.2f}")
    print(f"{'python -c pass (baseline)':28} {t_python:10.4f} {1.0:8.2f}")
    print(f"{'CLI parse, cold start':28} {t_cli:10.4f} {t_cli / t_python:8.2f}")
    t_check_cli = cold([sys.executable, "-m", "reportmine", "check", str(path), "--format", "json"])
    print(f"{'CLI check, cold start':28} {t_check_cli:10.4f} {t_check_cli / t_python:8.2f}")
    verdict = "meets" if t_parse < t_jieba else "MISSES"
    print(f"goal parse < jieba.lcut: {verdict} (ratio {t_parse / t_jieba:.2f})")
    for annual in ANNUAL_REPORTS:   # tables-heavy real documents (when ../shared is beside the repository)
        if annual.exists():
            a_text = annual.read_text(encoding="utf-8")
            reportmine.parse(annual)
            t_a_jieba = best_of(lambda: jieba.lcut(a_text))
            t_a_parse = best_of(lambda: reportmine.parse(annual))
            n_cells = sum(len(t.cells) for t in reportmine.parse(annual).record.tables)
            print(f"{annual.name}: {len(a_text)} characters, {n_cells} table cells: parse {t_a_parse:.4f} s, "
                  f"jieba.lcut {t_a_jieba:.4f} s, ratio {t_a_parse / t_a_jieba:.2f}")
    traditional_cost(text)
    if t_full is not None:
        verdict = "meets" if r_full < 4 else "MISSES"
        print(f"goal parse + entities + check < 4 x jieba.lcut: {verdict} (ratio {r_full:.2f}, median of paired runs)")


def traditional_cost(text: str, size: int = 10_000) -> None:
    """Cost of reading traditional script per 10k characters: ``normalize`` of a traditional copy (detection
    + OpenCC conversion) against ``normalize`` of the simplified text, and the conversion alone against
    ``jieba.lcut`` of the same characters (skipped without the ``trad`` extra)."""
    try:
        import opencc
    except ImportError:
        print("traditional script: skipped (pip install 'reportmine[trad]')")
        return
    from reportmine.script import to_simplified

    simp = (text * (size // len(text) + 1))[:size]
    trad = opencc.OpenCC("s2t").convert(simp)
    assert normalize(trad).script.converted
    _, r_norm = paired(lambda: normalize(simp), lambda: normalize(trad))
    t_conv, r_conv_norm = paired(lambda: normalize(simp), lambda: to_simplified(trad))
    _, r_conv = paired(lambda: jieba.lcut(simp), lambda: to_simplified(trad))
    copy = opencc.OpenCC("s2t").convert(text)
    _, r_parse = paired(lambda: reportmine.parse_text(text), lambda: reportmine.parse_text(copy), pairs=9)
    print(f"traditional script, per {size} characters: the conversion {t_conv:.4f} s, ratio {r_conv_norm:.2f} to "
          f"normalize of the simplified text and {r_conv:.2f} to jieba.lcut; normalize of the traditional text "
          f"(detection + conversion + repairs) {r_norm:.2f} to normalize of the simplified one; parse of the "
          f"report's traditional copy {r_parse:.2f} to parse of the report")


if __name__ == "__main__":
    main()
