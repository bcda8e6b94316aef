"""The two segmentation backends side by side, as ratios to ``jieba.lcut`` measured in the same run.

    python benchmarks/segmenter.py [FILE] [--cold-only] [--repeat N]

For each backend (jieba, rjieba when installed): segmentation alone, parse, parse + entities + check
(the spaCy pipeline built once beforehand), each against ``jieba.lcut`` of the same text; and the cold
start of ``reportmine check FILE`` and ``reportmine entities FILE`` in fresh processes (``--repeat N``,
default 11): the median and the least wall time, the least CPU time (user + system, what a busy machine
disturbs least) and the peak RSS (``os.wait4``), against ``python -c pass``; plus ``entities`` once with
an empty cache directory (the first run on a machine builds the word tables there). Issue goals: full
pipeline <= 1.0x jieba.lcut with rjieba, <= 2.0x with jieba; cold check <= 0.4 s with rjieba, <= 0.9 s
with jieba; cold entities <= 0.6 s and <= 150 MB with rjieba. reportmine's modules are byte-compiled
first (as ``pip install`` does): with ``PYTHONDONTWRITEBYTECODE`` set and no ``__pycache__``, every
cold start would also compile the package from source (~0.25 s). When reportmine is an editable install
(``pip install -e``), whose import hook costs every Python start of that environment ~12 ms CPU that a
normal install does not pay, the cold starts are also run as a normal install has them: from a bare
virtual environment that sees this one's packages (a ``.pth`` line, so no hook runs) and reportmine on
``PYTHONPATH``. Never run by the test suite.
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


def cold(cmd: list[str], env: dict[str, str], repeat: int) -> tuple[float, float, float, float]:
    """Median and least wall seconds of ``repeat`` fresh runs of ``cmd``, least CPU seconds, largest peak RSS (MB)."""
    times, cpus, peaks = [], [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - t0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)         # KB on Linux
    return statistics.median(times), min(times), min(cpus), max(peaks)


def editable_install() -> bool:
    """Whether reportmine is installed in editable mode (setuptools' import hook is loaded at every start)."""
    return any(name.startswith("__editable__") for name in sys.modules)


def plain_python(folder: Path) -> str:
    """A Python as a normal install has it: a bare virtual environment that sees this environment's packages
    through a ``.pth`` line (so their ``.pth`` hooks, the editable finder among them, do not run)."""
    import site
    import venv

    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    target = Path(subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                                 capture_output=True, text=True, check=True).stdout.strip())
    dirs = [d for d in site.getsitepackages() if Path(d).is_dir()]
    (target / "packages.pth").write_text("".join(f"{d}\n" for d in dirs), encoding="utf-8")
    for d in dirs:                                   # setuptools' own hook, present in a normal install too
        hook = Path(d) / "distutils-precedence.pth"
        if hook.exists():
            (target / hook.name).write_text(hook.read_text(encoding="utf-8"), encoding="utf-8")
    return str(python)


def cold_starts(path: Path, backends: list[str], repeat: int) -> None:
    """The CLI's cold starts, each backend forced through the environment."""
    compileall.compile_dir(REPO / "reportmine", quiet=1)
    with tempfile.TemporaryDirectory() as scratch:
        pythons = [("", sys.executable)]
        if editable_install():
            pythons.append((" (as installed)", plain_python(Path(scratch) / "venv")))
        for tag, python in pythons:
            env = {**os.environ, "PYTHONPATH": str(REPO)} if tag else dict(os.environ)
            _cold_starts(path, backends, repeat, python, env, tag)


def _cold_starts(path: Path, backends: list[str], repeat: int, python: str, base: dict[str, str], tag: str) -> None:
    t_python, _, cpu_python, _ = cold([python, "-c", "pass"], base, repeat)
    load = os.getloadavg()[0]
    print(f"cold starts{tag}: {repeat} fresh processes each; python -c pass {t_python:.3f} s wall, "
          f"{cpu_python:.3f} s CPU; load average {load:.2f}")
    print(f"{'backend':8} {'command':30} {'median':>7} {'least':>7} {'CPU':>7} {'x pass':>7} {'peak MB':>8}")
    for name in backends:
        env = {**base, tokens.SEGMENTER_ENV: name}
        for label, args in (("check", ["check", str(path), "--format", "json"]),
                            ("entities", ["entities", str(path), "--format", "json"])):
            cmd = [python, "-m", "reportmine", *args]
            subprocess.run(cmd, capture_output=True, env=env)      # the cache directory's tables exist
            t, least, cpu, peak = cold(cmd, env, repeat)
            print(f"{name:8} {'CLI ' + label + ', cold start':30} {t:7.3f} {least:7.3f} {cpu:7.3f} "
                  f"{t / t_python:7.1f} {peak:8.0f}")
        if tag:
            continue                                 # the table build does not depend on the install
        with tempfile.TemporaryDirectory() as empty:
            t, least, cpu, peak = cold([python, "-m", "reportmine", "entities", str(path), "--format", "json"],
                                       {**env, "REPORTMINE_CACHE": empty}, 1)
        print(f"{name:8} {'CLI entities, empty cache dir':30} {t:7.3f} {least:7.3f} {cpu:7.3f} "
              f"{t / t_python:7.1f} {peak:8.0f}")


def main() -> None:
    argv = sys.argv[1:]
    repeat = 11
    if "--repeat" in argv:
        i = argv.index("--repeat")
        repeat = int(argv[i + 1])
        del argv[i:i + 2]
    args = [a for a in argv if a != "--cold-only"]
    path = Path(args[0]) if args else REPO / "corpus" / "2023-shanghai-safety-month.txt"
    backends = ["jieba"]
    try:
        import rjieba  # noqa: F401
        backends.append("rjieba")
    except ImportError:
        print("rjieba not installed (pip install reportmine[fast]): jieba only")
    if "--cold-only" in argv:
        cold_starts(path, backends, repeat)
        return
    ratios(path, backends)
    # the cold starts from a fresh, small process: a child forked from this one (the pipeline built, some
    # 300 MB) would start slower and report this process's size as its own peak (ru_maxrss counts the fork)
    sys.stdout.flush()
    subprocess.run([sys.executable, __file__, *args, "--cold-only", "--repeat", str(repeat)], check=True)


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
