"""Access to the package's data files (dictionaries, lists, annex templates)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["data_lines", "data_json", "data_path", "PACKAGE_DIR"]

#: The package's folder. pip installs it as files, so this is what ``importlib.resources.files("reportmine")``
#: gives, without the ~6 ms of modules (zipfile, tempfile, shutil …) that importing that costs every cold start.
PACKAGE_DIR = Path(__file__).parent


def data_path(name: str) -> Path:
    """The path of ``reportmine/data/<name>``."""
    return PACKAGE_DIR.joinpath("data", *name.split("/"))


@lru_cache(maxsize=None)
def data_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment (#) lines of a data text file, in file order."""
    text = data_path(name).read_text(encoding="utf-8")
    return tuple(s for line in text.splitlines() if (s := line.split("#", 1)[0].strip()))


@lru_cache(maxsize=None)
def data_json(name: str) -> Any:
    return json.loads(data_path(name).read_text(encoding="utf-8"))
