"""Access to the package's data files (dictionaries, lists, annex templates)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["data_lines", "data_json", "data_path"]


def data_path(name: str):
    """A Traversable for ``reportmine/data/<name>``."""
    return resources.files("reportmine").joinpath("data", *name.split("/"))


@lru_cache(maxsize=None)
def data_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment (#) lines of a data text file, in file order."""
    text = data_path(name).read_text(encoding="utf-8")
    return tuple(s for line in text.splitlines() if (s := line.split("#", 1)[0].strip()))


@lru_cache(maxsize=None)
def data_json(name: str) -> Any:
    return json.loads(data_path(name).read_text(encoding="utf-8"))
