"""parse_many's progress bar: on by default for more than a few files on a terminal (text on stderr) and in a
notebook (a widget), off for a pipe or file and with ``progress=False``."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import textwrap
from pathlib import Path

import pytest

from reportmine.corpus import PROGRESS_MIN_FILES

N_FILES = PROGRESS_MIN_FILES + 2


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    """More than a few files, each quick to fail (empty), so the bar has something to count."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for i in range(N_FILES):
        (folder / f"r{i}.txt").write_text("", encoding="utf-8")
    return folder


def _run_on_a_terminal(folder: Path, options: str = "") -> str:
    """Run parse_many in a fresh Python whose stderr is a terminal (a pseudo-terminal); what it wrote there."""
    code = textwrap.dedent(f"""
        import reportmine
        c = reportmine.parse_many({str(folder)!r}, workers=1, cache=False, check=False, entities=False{options})
        assert len(c.errors) == {N_FILES}
    """)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))   # a terminal 100 columns wide
    try:
        proc = subprocess.run([sys.executable, "-c", code], stderr=follower, stdout=subprocess.PIPE, timeout=120)
        os.close(follower)
        follower = -1
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:              # the terminal is closed once everything was read
                break
            if not chunk:
                break
            out += chunk
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert proc.returncode == 0, out.decode(errors="replace")
    return out.decode("utf-8", errors="replace")


def test_terminal_shows_a_bar_by_default(archive):
    shown = _run_on_a_terminal(archive)
    assert "reportmine" in shown and f"{N_FILES}/{N_FILES}" in shown


def test_progress_false_turns_it_off(archive):
    assert _run_on_a_terminal(archive, ", progress=False") == ""


def test_few_files_or_a_pipe_show_nothing(archive, capsys):
    import reportmine

    reportmine.parse_many(archive, workers=1, cache=False, check=False, entities=False)   # stderr is not a terminal
    assert capsys.readouterr().err == ""


def _run_in_a_kernel(archive: Path, tmp_path: Path) -> list:
    """The outputs of one notebook cell that parses the archive with the default progress, in a Jupyter kernel."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        f"import reportmine\nc = reportmine.parse_many({str(archive)!r}, workers=1, cache=False, check=False, "
        f"entities=False)\nassert len(c.errors) == {N_FILES}")]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "error"], outputs
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"], "no red lines"
    return outputs


def test_notebook_shows_a_widget_not_red_lines(archive, tmp_path):
    """In a real Jupyter kernel the default bar is tqdm's widget, and nothing is written to stderr."""
    pytest.importorskip("ipywidgets", reason="the widget needs ipywidgets (the notebook extra)")
    outputs = _run_in_a_kernel(archive, tmp_path)
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs), outputs


def test_notebook_without_ipywidgets_shows_one_line_on_stdout(archive, tmp_path, monkeypatch):
    """Without ipywidgets the bar is text on stdout (one line rewritten in place), still not on stderr."""
    hidden = tmp_path / "hide"
    (hidden / "ipywidgets").mkdir(parents=True)
    (hidden / "ipywidgets" / "__init__.py").write_text(
        "raise ModuleNotFoundError('hidden by the test', name='ipywidgets')\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(hidden), os.environ.get("PYTHONPATH")])))
    outputs = _run_in_a_kernel(archive, tmp_path)
    assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == "stdout")
    assert "reportmine" in text and f"{N_FILES}/{N_FILES}" in text, outputs
