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
