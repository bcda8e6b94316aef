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
