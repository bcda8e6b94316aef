"""The quickstart notebook's code cells run as written (executed in order, from notebooks/)."""

from __future__ import annotations

import json
import os
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "quickstart.ipynb"


def test_quickstart_notebook_runs(monkeypatch):
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    monkeypatch.chdir(NOTEBOOK.parent)
    scope: dict = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), str(NOTEBOOK), "exec"), scope)  # noqa: S102
    assert len(scope["frame"]) == 35
    assert scope["result"].ok
    assert os.path.basename(scope["report"].source.path) == "2023-shanghai-safety-month.txt"


WALKTHROUGH = NOTEBOOK.parent / "walkthrough.ipynb"


def test_walkthrough_notebook_runs_top_to_bottom_in_a_kernel():
    """Executed with nbclient (a real Jupyter kernel), as a reader would run it from notebooks/."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(WALKTHROUGH, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(WALKTHROUGH.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the comparison plot is drawn"
    assert any("<mark" in o.get("data", {}).get("text/html", "") for o in outputs), "the entities view"


def test_walkthrough_is_stored_with_its_outputs():
    """On a code host the notebook reads well without running it."""
    nb = json.loads(WALKTHROUGH.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c.get("outputs") for c in code)


ARCHIVE = NOTEBOOK.parent / "archive.ipynb"


def _answers(nb) -> dict[int, object]:
    return {c.metadata["reportmine"]["question"]: c for c in nb.cells
            if c.cell_type == "code" and "reportmine" in c.metadata}


def test_archive_notebook_answers_in_a_few_lines_without_reading_a_report():
    """Each question is answered by at most three lines of pandas over the corpus tables: no file is opened."""
    import nbformat

    answers = _answers(nbformat.read(ARCHIVE, as_version=4))
    assert sorted(answers) == [1, 2, 3]
    for cell in answers.values():
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert len(lines) <= 3, cell.source
        assert not any(word in cell.source for word in ("open(", "read_text", "parse(", ".text", "Path("))
        assert "corpus." in cell.source


def test_archive_notebook_runs_in_a_kernel_and_gives_the_answers():
    """Executed with nbclient over the archive it builds (duplicates, other formats, contradictions)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ARCHIVE, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ARCHIVE.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("DuplicateWarning" in o.get("text", "") for o in outputs), "the duplicates are announced"

    def shown(question: int) -> str:
        return "".join(o.get("data", {}).get("text/plain", "") for o in _answers(nb)[question].outputs)

    drills = shown(1)
    assert "天津市" in drills and "41250" in drills and "上海市" not in drills      # 2023: 天津 beat 上海
    assert "四川省" in drills and "云南省" not in drills                           # 2024: 9876 against 7311
    contradictions = shown(2)
    for kind in ("claim", "part_whole", "enumeration", "across_documents"):
        assert kind in contradictions
    assert "zhejiang-2022-corrected" in contradictions and "shanghai-2023" not in contradictions
    assert "中华人民共和国应急管理部" in shown(3)


def test_archive_notebook_is_stored_with_its_outputs():
    nb = json.loads(ARCHIVE.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c.get("outputs") for c in code)
