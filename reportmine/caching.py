"""Where reportmine keeps what it caches on disk, and the fingerprint of its rules that keys it.

Two kinds of entries share the cache directory (``$REPORTMINE_CACHE``, else ``~/.cache/reportmine``): the
per-file results of :func:`reportmine.parse_many` (:class:`reportmine.corpus.Cache`) and tables built from
dictionary files (:func:`cached_table`: the word tags, jieba's prefix dictionary), which would otherwise be
rebuilt by every process. Both live in a folder per rules generation (``<version>-<fingerprint>``), so a
changed rule, data file or piece of code never reads an old entry.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .resources import PACKAGE_DIR
from .version import VERSION

__all__ = ["rules_fingerprint", "default_cache_dir", "generation_dir", "file_identity", "cached_table"]


def _tree_digest(root, h, prefix: str = "", only: Callable[[str], bool] = lambda name: True) -> None:
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            if entry.name != "__pycache__":
                _tree_digest(entry, h, f"{name}/", only)
        elif only(entry.name):
            data = entry.read_bytes()
            h.update(f"{name}\0{len(data)}\0".encode())
            h.update(data)


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """sha256 over reportmine's data files (templates, dictionaries, tables) and its Python code.

    Any change to a rule, data or code, gives new cache entries even when ``__version__`` stays; so does
    installing or upgrading OpenCC (the ``trad`` extra), which changes how traditional-script text is read.
    """
    h = hashlib.sha256()
    package = PACKAGE_DIR
    _tree_digest(package, h, only=lambda name: name.endswith(".py"))
    data = package.joinpath("data")
    if data.is_dir():
        _tree_digest(data, h, "data/")
    from .script import converter_identity

    h.update(f"opencc={converter_identity()}".encode())   # traditional texts read differently without it
    return h.hexdigest()


def default_cache_dir() -> Path:
    """``$REPORTMINE_CACHE``, else ``$XDG_CACHE_HOME/reportmine``, else ``~/.cache/reportmine``."""
    if env := os.environ.get("REPORTMINE_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reportmine"


def generation_dir(root: str | os.PathLike[str]) -> Path:
    """``root/<version>-<rules fingerprint>``: this generation's entries (an old generation can be deleted)."""
    return Path(root) / f"{VERSION}-{rules_fingerprint()[:16]}"


def file_identity(path: str) -> str:
    """Path, size and modification time of a file outside the package (jieba's dictionary): a table
    built from it is rebuilt when it changes."""
    st = os.stat(path)
    return f"{os.path.abspath(path)}\0{st.st_size}\0{st.st_mtime_ns}"


def cached_table(name: str, inputs: str, build: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """``build()`` (a value :mod:`marshal` can store), kept in ``<cache dir>/<generation>/tables/`` under
    ``name`` and a hash of ``inputs`` (what it is built from besides reportmine's own files, which the
    generation covers) and of the Python version.

    A missing, unreadable or invalid entry (``valid`` says False) is rebuilt and written atomically (a
    temporary file moved into place); a cache that cannot be written costs only the build. marshal, not
    pickle or JSON: a table of 350,000 words loads in a fraction of the time.
    """
    key = hashlib.sha256(f"{inputs}\0{sys.implementation.cache_tag}".encode()).hexdigest()[:16]
    try:
        folder = generation_dir(default_cache_dir()) / "tables"
    except OSError:                        # the package's files could not be read for the fingerprint
        return build()
    path = folder / f"{name}-{key}.marshal"
    try:
        with open(path, "rb") as f:
            value = marshal.loads(f.read())   # whole-file loads: marshal.load on a file reads object by object
        if valid(value):
            return value
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    import tempfile                        # only to write: a start that finds its tables never loads it

    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(marshal.dumps(value))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        pass
    return value
