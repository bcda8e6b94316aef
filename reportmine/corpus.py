"""Many reports at once: parse a folder in parallel into tidy tables, with a content-keyed cache.

>>> import reportmine
>>> corpus = reportmine.parse_many("archive/", workers=2)
>>> corpus.documents     # one row per report: doc_id, file, doc_number, date, issuers, region, year, ...
>>> corpus.cells         # one row per report × annex cell, keyed by the annex template
>>> corpus.checks        # one row per prose figure, with the cell it restates and the verdict
>>> corpus.entities      # one row per named entity (from ``report.entities``)
>>> corpus.errors        # one row per file that could not be used: file, stage, reason

How it runs:

* The work for one file is :func:`parse_file`, a module-level function that takes a path and
  returns plain data (dicts, lists, strings, numbers), so any ``concurrent.futures.Executor`` can
  run it: a process pool (the default), a thread pool, or a Dask ``client.get_executor()`` whose
  workers see the same files and have reportmine installed.
* Results are streamed: at most a few tasks per worker are in flight, each finished file is
  reduced to rows of plain values and its :class:`~reportmine.report.Report` is dropped, so memory
  grows with the rows of the output tables, never with parsed reports. The worker sends each table's
  columns pickled (:func:`_parse_packed`); the parent keeps those bytes until it builds the frames, so
  its own CPU time per file stays small beside the workers'.
* A file that cannot be read or parsed becomes a row of ``errors`` and the batch goes on. A file
  that kills its worker process is retried alone in a fresh pool and, if it kills that one too,
  reported. A file still running after ``timeout`` seconds is reported (stage ``timeout``) and its
  worker killed and replaced. Entries of a folder that only look like reports (a folder named
  ``x.txt``, a FIFO, a device, a broken or looping link) are ``errors`` rows too; none is opened.
* The cache (:class:`Cache`) is keyed by the file's bytes (sha256 of exactly the bytes parsed: the
  file is read once), its suffix (``.html`` is read
  differently from ``.txt``), ``reportmine.__version__``, a fingerprint of reportmine's rules (the
  ``data/`` files and the code) and the options; a re-run over an unchanged archive loads the
  per-file rows and parses nothing. Failed files are not cached: they are tried again next run.
"""

from __future__ import annotations

import concurrent.futures as cf
import glob
import hashlib
import json
import math
import os
import signal
import stat
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter, deque
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable

from .caching import default_cache_dir, rules_fingerprint
from .check import CLAIM_FRAME_COLUMNS
from .frames import date_columns, needs_object, typed_array, typed_frame
from .io import DEFAULT_TIMEOUT
from .version import VERSION

__all__ = ["parse_many", "parse_file", "find_reports", "Corpus", "Cache", "rules_fingerprint", "DuplicateWarning",
           "SUFFIXES", "TABLES", "SAVED", "DOCUMENT_COLUMNS", "CELL_COLUMNS", "CHECK_COLUMNS", "CONTRADICTION_COLUMNS",
           "FIELD_COLUMNS", "ENTITY_COLUMNS", "EVENT_COLUMNS", "DUPLICATE_COLUMNS", "ERROR_COLUMNS", "SUMMARY_COLUMNS"]

#: File suffixes :func:`find_reports` collects from a folder (whatever :func:`reportmine.io.read_source`
#: cannot read becomes a row of ``errors``).
SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".htm")
#: Tables of a :class:`Corpus`, in the order they are written.
TABLES = ("documents", "cells", "checks", "contradictions", "fields", "entities", "events", "duplicates", "errors")
#: What :meth:`Corpus.save` writes: a summary (one row per document) first, then the tables.
SAVED = ("summary", *TABLES)
#: Columns every per-document table starts with.
DOC_KEYS = ["doc_id", "file", "region", "year"]
DOCUMENT_COLUMNS = ["doc_id", "file", "doc_number", "title", "date", "date_precision", "issuers", "region", "year",
                    "campaign", "edition", "theme", "template", "reporter_org", "reporter_contact", "reporter_phone",
                    "reporter_date", "n_cells", "n_warnings", "warnings", "sha256", "cached", "duplicate_of"]
CELL_COLUMNS = [*DOC_KEYS, "campaign", "item", "key", "label", "value", "unit", "start", "end", "table", "row", "col",
                "status", "item_title", "line", "column"]
#: ``CheckResult.to_frame()`` columns: one row per prose figure (new ones it grows are kept, after these).
CHECK_COLUMNS = [*DOC_KEYS, *CLAIM_FRAME_COLUMNS]
#: One row per disagreement: a figure vs its cell, an internal check, table arithmetic, or across documents.
CONTRADICTION_COLUMNS = [*DOC_KEYS, "kind", "surface", "expected", "found", "explanation", "line", "column",
                         "start", "end", "key", "table", "other_doc"]
#: Columns of ``CheckResult.to_frame(kind="contradicted")`` the contradictions table does not keep.
ALL_COLUMNS_DROPPED = ("value", "qualifier", "unit", "low", "high", "bounds", "cell", "cell_value", "cell_unit",
                       "verdict", "context", "note")
#: ``CampaignRecord.fields_frame()`` columns: the annex's named text fields.
FIELD_COLUMNS = [*DOC_KEYS, "campaign", "item", "item_title", "key", "label", "text", "start", "end"]
#: ``Report.entities`` columns (new ones it grows are kept, after these).
ENTITY_COLUMNS = [*DOC_KEYS, "label", "text", "canonical", "start", "end", "value", "roles", "date", "date_end",
                  "date_precision"]
#: ``Report.events`` columns.
EVENT_COLUMNS = [*DOC_KEYS, "name", "kind", "start", "end", "date", "date_end", "date_precision", "date_iso", "venue",
                 "organisers", "participants", "participants_text", "mentions"]
#: Columns of ``entities`` and ``events`` the parent makes from each row's date value (the workers send none).
PARENT_DATE_COLUMNS = ("date", "date_end", "date_precision")
#: Documents left out as duplicates of another (see :meth:`Corpus.unique`).
DUPLICATE_COLUMNS = ["doc_id", "file", "duplicate_of", "duplicate_of_file", "reason"]
ERROR_COLUMNS = ["file", "stage", "reason"]
#: :meth:`Corpus.summary_frame`: one row per document, its checks counted, contradictions by kind.
SUMMARY_COLUMNS = ["doc_id", "file", "doc_number", "region", "year", "n_cells", "linked", "unlinked",
                   "contradictions", "claim", "part_whole", "enumeration", "table_arithmetic", "across_documents",
                   "n_warnings", "errors", "duplicate_of"]

#: Cache layout version: bump when the stored format changes.
CACHE_FORMAT = 2
#: Above this many files ("more than a few"), in a notebook or on a terminal, ``progress=None`` shows a progress bar.
PROGRESS_MIN_FILES = 5
#: Tasks kept in flight per worker: enough to keep workers busy, few enough to keep memory flat.
IN_FLIGHT_PER_WORKER = 4
#: Workers assumed for an executor that does not tell its size (and no ``workers`` hint is given).
UNKNOWN_EXECUTOR_WORKERS = 64


# -- one file ---------------------------------------------------------------------------------------

def _plain(v: Any) -> Any:
    """A value as plain Python: NaN/NA -> None, numpy scalars -> int/float, lists stay lists (of plain values),
    dicts -> JSON text; ints of any size and Decimals stay exact (the cache stores Decimals as tagged text)."""
    if v is None or isinstance(v, (bool, str, Decimal)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return None if math.isnan(v) else v
    if isinstance(v, (list, tuple, set, frozenset)):
        if isinstance(v, (set, frozenset)):
            v = sorted(v, key=str)
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, default=str)
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    if hasattr(v, "item"):                       # numpy scalar
        return _plain(v.item())
    if hasattr(v, "isoformat"):                  # date, Timestamp
        return v.isoformat()
    return str(v)


def _table(frame: Any, drop: Iterable[str] = ()) -> dict[str, list]:
    """A DataFrame (or list of dicts) as ``{"columns": [...], "rows": [[...], ...]}`` of plain values."""
    import pandas as pd

    if frame is None:
        return {"columns": [], "rows": []}
    if not isinstance(frame, pd.DataFrame):
        frame = pd.DataFrame(list(frame))
    frame = frame.drop(columns=[c for c in drop if c in frame.columns])
    return {"columns": [str(c) for c in frame.columns],
            "rows": [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)]}


def _digest(path: str | os.PathLike[str], limit: int | None = None) -> str | None:
    """sha256 of a regular file's bytes (for the cache lookup), None when it is not one, is larger than
    ``limit`` bytes, or cannot be read. Never opens a FIFO, socket or device: those would block or never end.
    """
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or (limit is not None and st.st_size > limit):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError):
        return None
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    except (OSError, ValueError):
        return None
    return h.hexdigest()


def parse_file(path: str | os.PathLike[str], check: bool = True, entities: bool = True,
               max_bytes: int | None = None, genre: str | None = None) -> dict[str, Any]:
    """Parse one report into plain, picklable data: the document row and the rows of its tables.

    The worker function of :func:`parse_many`; never raises for a bad file. The file is read once:
    ``sha256`` is the hash of exactly the bytes that were parsed (None if unreadable), so a file
    rewritten during a batch is never cached under the other version's hash. The result also has
    ``file``, ``document`` (a dict, or None when the file could not be parsed), ``tables`` (``cells``,
    ``checks``, ``entities``, ``events`` as ``{"columns", "rows"}``) and ``errors`` (``[{"stage",
    "reason"}]``; stage ``load`` or ``parse`` means no document, stage ``check`` or ``entities``
    means that table is missing for this document). ``max_bytes``: see :func:`reportmine.io.size_limit`.
    ``genre``: force a genre (see :func:`reportmine.parse`).
    """
    from .io import ReportLoadError, read_report_bytes
    from .report import parse

    path = str(path)
    out: dict[str, Any] = {"file": path, "sha256": None, "document": None, "tables": {}, "errors": []}
    try:
        data = read_report_bytes(path, max_bytes)
        out["sha256"] = hashlib.sha256(data).hexdigest()
        report = parse(path, data=data, genre=genre)
    except ReportLoadError as exc:
        out["errors"].append({"stage": "load", "reason": exc.problem})
        return out
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        out["errors"].append({"stage": "parse", "reason": f"{type(exc).__name__}: {exc}"})
        return out
    finally:
        data = None                                     # the bytes are not needed past parsing
    rec = report.record
    doc, camp, annex = rec.document, rec.campaign, rec.annex
    reporter = annex.reporter
    out["document"] = {
        "doc_number": doc.doc_number, "title": doc.title, "date": doc.date, "issuers": list(doc.issuers),
        "region": camp.region, "year": camp.year, "campaign": camp.name, "edition": camp.edition,
        "theme": camp.theme, "template": annex.template or (rec.genre.template if rec.genre else None),
        "reporter_org": reporter.org, "reporter_contact": reporter.contact,
        "reporter_phone": reporter.phone, "reporter_date": reporter.date,
        "n_cells": len(annex.cells) + sum(len(t.cells) for t in rec.tables),
        "n_warnings": len(rec.warnings), "warnings": list(dict.fromkeys(w.code for w in rec.warnings)),
    }
    cells = rec.to_frame().drop(columns=["source", "region", "year"])
    where = [report.norm.line_col(int(s)) if _na_none(s) is not None else (None, None)   # a genre's missing cell
             for s in cells["start"]]
    cells["line"], cells["column"] = [w[0] for w in where], [w[1] for w in where]
    out["tables"]["cells"] = _table(cells)
    out["tables"]["fields"] = _table(rec.fields_frame(), drop=("source", "region", "year"))
    if check:
        try:
            from .check import check_report

            result = check_report(report)
            out["tables"]["checks"] = _table(result.to_frame())
            # kept apart: rows of internal checks have no figure, and a figure column must stay exact
            out["tables"]["contradictions"] = _table(result.to_frame(kind="contradicted"),
                                                     drop=[c for c in ALL_COLUMNS_DROPPED])
        except Exception as exc:  # noqa: BLE001
            out["errors"].append({"stage": "check", "reason": f"{type(exc).__name__}: {exc}"})
    if entities:
        try:
            out["tables"]["entities"] = _table(report.entities, drop=("date", "date_end", "date_precision"))
            out["tables"]["events"] = _table(report.events, drop=("date", "date_end", "date_precision"))
        except Exception as exc:  # noqa: BLE001
            out["errors"].append({"stage": "entities", "reason": f"{type(exc).__name__}: {exc}"})
    return out


# -- finding files -----------------------------------------------------------------------------------

def _hidden(path: Path, root: Path) -> bool:
    """Dot files and folders, and Office lock files (~$report.docx)."""
    parts = path.relative_to(root).parts
    return any(p.startswith(".") for p in parts) or path.name.startswith("~$")


def _walk(root: Path) -> list[str]:
    """Report-named entries under ``root``, recursively, sorted: regular files, and also whatever only
    looks like one (a folder named ``x.txt``, a FIFO, a dangling or looping link), so the batch lists
    it as an error instead of skipping it. Symbolic links to folders are not followed (no loops)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(n for n in dirnames if not n.startswith("."))
        for name in [*filenames, *dirnames]:
            path = here / name
            if Path(name).suffix.lower() in SUFFIXES and not _hidden(path, root):
                found.append(str(path))
    return sorted(found)


def find_reports(source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    """The report files ``source`` names.

    * a folder: every .txt/.docx/.pdf/.html/.htm entry in it, recursively, sorted (hidden files and
      folders and ``~$`` lock files skipped). Entries that are not regular files (a folder named
      ``x.txt``, a FIFO, a broken or looping link) are listed too: they become rows of ``errors``;
    * a glob pattern (``archive/**/*.txt``; ``**`` recurses): what it matches (folders only when
      they carry a report suffix), sorted;
    * a file (or a FIFO, device …, which becomes an ``errors`` row): that path;
    * any other iterable: those paths, in the order given (missing ones become ``errors`` rows).

    A single path that does not exist (and is not a pattern) raises :class:`FileNotFoundError`.
    """
    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
        if p.is_dir():
            return _walk(p)
        if os.path.lexists(p):
            return [str(p)]
        if glob.has_magic(str(source)):
            return sorted(f for f in glob.glob(str(source), recursive=True)
                          if not os.path.isdir(f) or Path(f).suffix.lower() in SUFFIXES)
        raise FileNotFoundError(f"{source}: no such file, folder or matching files")
    return [str(s) for s in source]


# -- cache -------------------------------------------------------------------------------------------

class Cache:
    """Per-file results on disk, keyed by content and rules.

    Entries live in ``ROOT/<version>-<rules fingerprint>/<sha[:2]>/<sha>.<suffix>.<options>.json``;
    a folder per rules generation, so an old one can simply be deleted. Entries are written to a
    temporary file and moved into place with :func:`os.replace`, so concurrent runs never see a
    half-written entry; an unreadable entry is a miss.
    """

    def __init__(self, root: str | os.PathLike[str], options: str = ""):
        self.root = Path(root)
        self.generation = self.root / f"{VERSION}-{rules_fingerprint()[:16]}"
        self.options = options
        self.writable = True

    def path(self, sha256: str, suffix: str) -> Path:
        suffix = suffix.lower().lstrip(".") or "none"
        return self.generation / sha256[:2] / f"{sha256}.{suffix}.{self.options}.json"

    def get(self, sha256: str, suffix: str) -> dict | None:
        try:
            entry = json.loads(self.path(sha256, suffix).read_text(encoding="utf-8"), object_hook=_from_json)
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT or entry.get("sha256") != sha256:
            return None
        return entry

    @staticmethod
    def storable(result: dict) -> bool:
        """A successful result (no errors, a document, a digest): failures are not stored, so they are retried."""
        return not result["errors"] and result["document"] is not None and bool(result["sha256"])

    @staticmethod
    def entry_text(result: dict) -> str | None:
        """The JSON text of ``result``'s entry (None for a failure: those are retried next run); raises
        TypeError or ValueError for a value JSON cannot hold."""
        if not Cache.storable(result):
            return None
        entry = {"format": CACHE_FORMAT, "sha256": result["sha256"], "document": result["document"],
                 "tables": result["tables"]}
        return json.dumps(entry, ensure_ascii=False, separators=(",", ":"), default=_to_json)

    def put(self, result: dict) -> None:
        """Store a successful result (one without errors); failures are retried next run. The entry's text is
        ``result["cache_entry"]`` when the worker made it (an exception there: a value JSON cannot hold)."""
        if not self.writable or not self.storable(result):
            return
        target = self.path(result["sha256"], Path(result["file"]).suffix)
        tmp = None
        try:
            text = result["cache_entry"] if "cache_entry" in result else self.entry_text(result)
            if isinstance(text, Exception):
                raise text
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, target)
        except (TypeError, ValueError) as exc:  # a value JSON cannot hold: this entry is not cached
            warnings.warn(f"reportmine: result of {result['file']} not cached ({exc})", RuntimeWarning, stacklevel=3)
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
        except OSError as exc:
            self.writable = False
            warnings.warn(f"reportmine: cache {self.root} is not writable ({exc}); continuing without it",
                          RuntimeWarning, stacklevel=3)
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


# -- the result --------------------------------------------------------------------------------------

def _column(values: list):
    """One column typed by the rule of every table (:func:`reportmine.frames.typed_array`); a column of lists
    keeps the list objects it is given (unpacked for this table alone) instead of copying each."""
    if any(v is not None for v in values) and all(v is None or type(v) is list for v in values):
        import pandas as pd

        return pd.array(values, dtype=object)
    return typed_array(values)


_DECIMAL_TAG = "$decimal"


def _to_json(v: Any) -> Any:
    if isinstance(v, Decimal):
        return {_DECIMAL_TAG: str(v)}
    raise TypeError(f"{type(v).__name__} is not JSON serializable")


def _from_json(d: dict) -> Any:
    if len(d) == 1 and _DECIMAL_TAG in d:
        return Decimal(d[_DECIMAL_TAG])
    return d


def _exact_text(v: Any) -> Any:
    return v if v is None or isinstance(v, str) else str(v)


def _for_parquet(frame: Any) -> Any:
    """Parquet columns have one type: an ``object`` column of exact numbers (huge ints, Decimals) is
    written as their decimal text, not rounded."""
    import pandas as pd

    out = frame
    for col in frame.columns:
        if frame[col].dtype == object and needs_object(frame[col]):
            out = out.copy() if out is frame else out
            out[col] = pd.array([_exact_text(v) for v in frame[col]], dtype="str")
    return out


#: Excel keeps 15 significant digits: larger integers and Decimals are written as text.
EXCEL_EXACT_INT = 10 ** 15


def _excel_value(v: Any) -> Any:
    if isinstance(v, Decimal) or (isinstance(v, int) and not isinstance(v, bool) and abs(v) >= EXCEL_EXACT_INT):
        return str(v)
    return v


def _frame(columns: dict[str, list]):
    """A DataFrame from column lists, each typed by :func:`_column`; the lists are emptied as they go."""
    import pandas as pd

    data = {}
    for name in list(columns):
        data[name] = _column(columns[name])
        columns[name] = []                  # let the list go before the next column is built
    return pd.DataFrame(data)


class DuplicateWarning(UserWarning):
    """Some documents of a batch are duplicates of others (see :meth:`Corpus.unique`)."""


@dataclass
class Corpus:
    """Tidy tables read from many reports (see the module docstring and the README for the columns)."""

    documents: Any
    cells: Any
    checks: Any
    entities: Any
    events: Any
    errors: Any
    cache_dir: str | None = None
    meta: dict = field(default_factory=dict, repr=False)
    contradictions: Any = None
    fields: Any = None
    duplicates: Any = None

    def __post_init__(self) -> None:
        import pandas as pd

        for name, columns in (("contradictions", CONTRADICTION_COLUMNS), ("fields", FIELD_COLUMNS),
                              ("duplicates", DUPLICATE_COLUMNS)):
            if getattr(self, name) is None:
                setattr(self, name, pd.DataFrame({c: pd.array([], dtype="str") for c in columns}))
        if "duplicate_of" not in self.documents.columns:
            self.documents["duplicate_of"] = pd.array([None] * len(self.documents), dtype="str")

    def tables(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in TABLES}

    @property
    def n_cached(self) -> int:
        return int(self.documents["cached"].sum()) if len(self.documents) else 0

    def unique(self) -> "Corpus":
        """The corpus without documents that duplicate another (``documents.duplicate_of`` set): the same
        content, or the same 文号, issuers and year in another file or format. Their rows leave every table;
        ``contradictions`` keeps what a duplicate's own check found when its original does not say the same
        (a corrected edition's contradictions are not a copy's), and the rows across documents."""
        dup = self.documents["duplicate_of"].notna()
        if not dup.any():
            return self
        gone = set(self.documents.loc[dup, "doc_id"])

        def keep(frame):
            return frame[~frame["doc_id"].isin(gone)].reset_index(drop=True)

        contra = self.contradictions
        if len(contra):     # a duplicate's own finding stays unless its original has the same one (a copy's)
            kept_of = dict(zip(self.documents["doc_id"], self.documents["duplicate_of"]))
            seen = {(r.doc_id, r.kind, r.surface, r.expected, r.found) for r in contra.itertuples(index=False)}
            mine = [r.doc_id not in gone or r.kind == "across_documents"
                    or (kept_of[r.doc_id], r.kind, r.surface, r.expected, r.found) not in seen
                    for r in contra.itertuples(index=False)]
            contra = contra[mine].reset_index(drop=True)
        return Corpus(documents=keep(self.documents), cells=keep(self.cells), checks=keep(self.checks),
                      entities=keep(self.entities), events=keep(self.events), errors=self.errors,
                      cache_dir=self.cache_dir, meta={**self.meta, "duplicates_left_out": len(gone)},
                      contradictions=contra, fields=keep(self.fields), duplicates=self.duplicates)

    def _counts(self) -> dict[str, int]:
        checks = self.checks
        if not len(checks):
            return {"linked": 0, "unlinked": 0, "contradictions": len(self.contradictions)}
        verdict = checks["verdict"]
        return {"linked": int(verdict.isin(["consistent", "contradicted"]).sum()),
                "unlinked": int((verdict == "unlinked").sum()), "contradictions": len(self.contradictions)}

    def summary(self) -> str:
        """One line: '3 documents (1 from cache), 105 cells, 21 linked figures, 70 unlinked, 1 contradiction,
        0 entities, 1 error' (linked: prose figures restating a table cell; unlinked: the others)."""
        n_err = len(self.errors)
        notes = []
        if self.n_cached:
            notes.append(f"{self.n_cached} from cache")
        if self.meta.get("duplicates_left_out"):
            notes.append(f"{self.meta['duplicates_left_out']} duplicates left out")
        elif self.documents["duplicate_of"].notna().any():
            notes.append(f"{int(self.documents['duplicate_of'].notna().sum())} duplicates")
        head = f"{len(self.documents)} documents" + (f" ({', '.join(notes)})" if notes else "")
        k = self._counts()
        bad = k["contradictions"]
        return (f"{head}, {len(self.cells)} cells, {k['linked']} linked figures, {k['unlinked']} unlinked, "
                f"{bad} contradiction{'' if bad == 1 else 's'}, {len(self.entities)} entities, "
                f"{n_err} error{'' if n_err == 1 else 's'}")

    def summary_frame(self):
        """One row per document: its cells, linked and unlinked prose figures, contradictions (all and by
        kind: claim vs cell, part_whole, enumeration, table arithmetic, across documents), warnings, errors;
        then one per left-out duplicate that has contradictions of its own (``duplicate_of`` set)."""
        import pandas as pd

        docs = self.documents
        extra = self.contradictions[~self.contradictions["doc_id"].isin(docs["doc_id"])].drop_duplicates("doc_id")
        if len(extra):      # a left-out duplicate with findings of its own (a corrected edition): a row too
            dup_of = dict(zip(self.duplicates["doc_id"], self.duplicates["duplicate_of"]))
            more = pd.DataFrame({"doc_id": extra["doc_id"], "file": extra["file"], "region": extra["region"],
                                 "year": extra["year"], "duplicate_of": [dup_of.get(d) for d in extra["doc_id"]]})
            docs = pd.concat([docs, more], ignore_index=True)
        frame = pd.DataFrame({c: docs[c] for c in ("doc_id", "file", "doc_number", "region", "year", "n_cells")})
        ids = frame["doc_id"]

        def per_doc(keys) -> Any:
            counts = keys.value_counts() if len(keys) else pd.Series(dtype="int64")
            return pd.array([int(counts.get(d, 0)) for d in ids], dtype="Int64")

        verdict = self.checks["verdict"] if len(self.checks) else pd.Series([], dtype="str")
        doc_of = self.checks["doc_id"] if len(self.checks) else pd.Series([], dtype="str")
        frame["linked"] = per_doc(doc_of[verdict.isin(["consistent", "contradicted"])])
        frame["unlinked"] = per_doc(doc_of[verdict == "unlinked"])
        contra = self.contradictions
        frame["contradictions"] = per_doc(contra["doc_id"])
        kind = contra["kind"].where(contra["kind"].isin(["claim", "part_whole", "enumeration", "across_documents"]),
                                    "table_arithmetic")
        for k in ("claim", "part_whole", "enumeration", "table_arithmetic", "across_documents"):
            frame[k] = per_doc(contra.loc[kind == k, "doc_id"])
        errs = self.errors["file"].value_counts().to_dict() if len(self.errors) else {}
        frame["n_warnings"] = docs["n_warnings"]
        frame["errors"] = pd.array([int(errs.get(f, 0)) for f in docs["file"]], dtype="Int64")
        frame["duplicate_of"] = docs["duplicate_of"]
        return frame[SUMMARY_COLUMNS].reset_index(drop=True)

    def __repr__(self) -> str:
        from .display import format_table

        out = [f"<Corpus: {self.summary()}>"]
        shown = ["doc_id", "doc_number", "region", "year", "template", "n_cells", "n_warnings"]
        if len(self.documents):
            head = self.documents[shown].head(20)
            rows = [["" if v is None or v != v else v for v in r] for r in head.itertuples(index=False, name=None)]
            out.append(format_table(shown, rows, right=(5, 6), max_width=32))
            if len(self.documents) > 20:
                out.append(f"… {len(self.documents) - 20} more documents")
        if len(self.errors):
            out.append("errors:")
            out += [f"  {f}: [{s}] {r}" for f, s, r in self.errors.head(10).itertuples(index=False, name=None)]
            if len(self.errors) > 10:
                out.append(f"  … {len(self.errors) - 10} more")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        """One compact row per document (region, year, cells, contradictions, errors); the rest on demand."""
        from .display import corpus_html

        return corpus_html(self)

    def save(self, out: str | os.PathLike[str]) -> list[Path]:
        """Write the summary and the tables; returns the files written.

        ``OUT.xlsx``: one workbook, the ``summary`` sheet first (one row per document: its checks and
        contradictions counted), then a sheet per table (documents, cells, checks, contradictions, fields,
        entities, events, duplicates, errors; a table longer than a sheet continues on ``cells_2`` …), with
        bold frozen headers, filters, column widths, numbers as numbers and dates as dates.
        ``OUT.csv`` / ``OUT.parquet``: one file per table beside each other, ``OUT.summary.csv``,
        ``OUT.documents.csv`` … (CSV in UTF-8 with a BOM, so Excel shows the Chinese text). Lists are list
        columns in parquet and text joined by 、 in CSV and xlsx. Parquet and xlsx need pyarrow and openpyxl
        (the ``export`` extra): :func:`require_writer` says so before anything is written.
        """
        out = Path(out)
        kind = out.suffix.lower()
        require_writer(out)
        if out.parent and not out.parent.exists():
            out.parent.mkdir(parents=True)
        tables = {"summary": self.summary_frame(), **self.tables()}
        if kind == ".xlsx":
            _write_xlsx({name: _joined_lists(frame) for name, frame in tables.items()}, out)
            return [out]
        written = []
        for name, frame in tables.items():
            target = out.with_name(f"{out.stem}.{name}{kind}")
            if kind == ".csv":
                _joined_lists(frame).to_csv(target, index=False, encoding="utf-8-sig")
            else:
                _for_parquet(frame).to_parquet(target, index=False)
            written.append(target)
        return written


#: The library that writes each output format and the extra that installs it.
WRITERS = {".xlsx": ("openpyxl", "export"), ".parquet": ("pyarrow", "export"), ".csv": (None, None)}


def require_writer(out: str | os.PathLike[str]) -> None:
    """Raise before any work when ``out`` cannot be written: a suffix other than .xlsx/.csv/.parquet
    (ValueError), or the writer's library missing (ImportError naming the extra to install)."""
    import importlib.util

    suffix = Path(out).suffix.lower()
    if suffix not in WRITERS:
        raise ValueError(f"{out}: output must end in .csv, .parquet or .xlsx")
    module, extra = WRITERS[suffix]
    if module is not None:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):        # a module set to None in sys.modules (tests), or broken
            found = False
        if not found:
            raise ImportError(f"{out}: writing {suffix} needs {module}: pip install 'reportmine[{extra}]'")


#: Lists in text formats (CSV, xlsx): their items joined by this.
LIST_JOIN = "、"


def _joined_lists(frame: Any) -> Any:
    """List columns as text (items joined by 、), for formats without lists; other columns as they are."""
    out = frame
    for col in frame.columns:
        if frame[col].dtype == object and any(isinstance(v, list) for v in frame[col]):
            out = out.copy() if out is frame else out
            out[col] = [LIST_JOIN.join(map(str, v)) if isinstance(v, list) else v for v in frame[col]]
    return out


EXCEL_MAX_ROWS = 1_048_576
#: Widest column of a sheet, in characters (a Chinese character counts two).
EXCEL_MAX_WIDTH = 60


def _write_xlsx(tables: dict[str, Any], out: Path) -> None:
    import pandas as pd
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame = frame.copy()
            for col in frame.columns:
                if frame[col].dtype == object:      # built value by value: map() would turn ints + None to float
                    frame[col] = pd.Series([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                                            for v in frame[col]], index=frame.index, dtype=object)
                elif pd.api.types.is_string_dtype(frame[col].dtype):
                    frame[col] = frame[col].map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
                if frame[col].dtype == object or pd.api.types.is_integer_dtype(frame[col].dtype):
                    values = [None if v is None or v is pd.NA else v.item() if hasattr(v, "item") else v
                              for v in frame[col]]
                    if any(_excel_value(v) is not v for v in values if not isinstance(v, str)):
                        frame[col] = pd.Series([_excel_value(v) for v in values], index=frame.index,
                                               dtype=object)          # as text, or Excel would round it
            step = EXCEL_MAX_ROWS - 1
            for k, lo in enumerate(range(0, max(len(frame), 1), step)):
                sheet = name if k == 0 else f"{name}_{k + 1}"
                part = frame.iloc[lo:lo + step]
                part.to_excel(writer, sheet_name=sheet, index=False)
                _format_sheet(writer.sheets[sheet], part)


def _format_sheet(ws: Any, frame: Any) -> None:
    """Bold frozen header row, an autofilter, column widths from the content, dates shown as dates."""
    import pandas as pd
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from .display import display_width

    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for j, col in enumerate(frame.columns, start=1):
        letter = get_column_letter(j)
        if pd.api.types.is_datetime64_any_dtype(frame[col].dtype):    # a date, not a date and a time of 00:00
            ws.column_dimensions[letter].width = 12
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = "yyyy-mm-dd"
            continue
        sample = [v for v in frame[col].head(200).tolist() if isinstance(v, (str, int, float, Decimal))]
        width = max([display_width(str(col))] + [display_width(str(v)) for v in sample])
        ws.column_dimensions[letter].width = min(EXCEL_MAX_WIDTH, width + 2)


#: Values typed at once when a table's column is built (see :meth:`_Rows.column`).
PACK_ROWS = 8192
#: Strings shorter than this are interned before a file's columns are pickled: a label, key or unit repeated in
#: a file is then stored once.
INTERN_BELOW = 64


def _pack_table(table: dict[str, list]) -> tuple[int, tuple[str, ...], list[bytes]] | None:
    """One file's table (``{"columns", "rows"}``) as ``(rows, columns, blobs)``: each column's values pickled into
    one bytes object (a list as long as the rows are: shorter than ``columns`` when they are); None for a table
    without rows.

    Done in the worker (:func:`_parse_packed`), so the parent receives a few bytes objects per file instead of
    thousands of Python values, keeps them as they are, and unpickles each value once, when the frame is built."""
    import pickle

    rows = table["rows"]
    if not rows:
        return None
    intern = sys.intern
    return len(rows), tuple(table["columns"]), [       # zip(*rows): the rows turned into columns in C
        pickle.dumps([intern(v) if type(v) is str and len(v) < INTERN_BELOW else v for v in values],
                     protocol=pickle.HIGHEST_PROTOCOL) for values in zip(*rows)]


def _parse_packed(path: str | os.PathLike[str], cache_entry: bool = False, **options: Any) -> dict[str, Any]:
    """:func:`parse_file` with its tables packed for the parent (:func:`_pack_table`, as ``"packed"``), and with
    ``cache_entry`` the cache entry's JSON text made here too: the parent only stores what it gets."""
    result = parse_file(path, **options)
    if cache_entry:
        try:
            result["cache_entry"] = Cache.entry_text(result)
        except (TypeError, ValueError) as exc:      # a value JSON cannot hold: the parent warns, this is not cached
            result["cache_entry"] = exc
    result["packed"] = {name: _pack_table(table) for name, table in result.pop("tables").items()}
    return result


class _Rows:
    """One output table as it arrives: per file, its rows' columns as pickled bytes (see :func:`_pack_table`).

    A value kept as a Python object costs a pointer plus the object (an int 28 bytes, a list 56 and up), about
    350 bytes per entity row; pickled, a file's column of labels or keys stores each distinct one once. When
    the frame is built, one column of at most ``PACK_ROWS`` rows at a time is Python objects again. Columns
    grow as files bring new ones (other files' rows get None).
    """

    def __init__(self, columns: list[str]):
        self.columns: dict[str, None] = dict.fromkeys(columns)     # in the order files brought them
        self.files: list[tuple[int, int, tuple[str, ...], list]] = []   # (doc, rows, columns, blobs) per file
        self._headers: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per distinct header (memory)

    def add(self, doc: int, table: dict[str, list]) -> None:
        """A file's table as ``{"columns", "rows"}`` (from the cache, or :func:`parse_file` run here)."""
        self.add_packed(doc, _pack_table(table))

    def add_packed(self, doc: int, packed: tuple | None) -> None:
        """A file's table as :func:`_pack_table` made it (None: no rows)."""
        if packed is None:
            return
        n, columns, blobs = packed
        columns = self._headers.setdefault(columns, columns)
        for c in columns:
            if c not in self.columns:
                self.columns[c] = None
        self.files.append((doc, n, columns, blobs))

    def column(self, name: str, files: list):
        """One column of ``files`` (in this order) typed as :func:`_column` types all its values, built
        ``PACK_ROWS`` rows at a time so that only those values are Python objects at once; when parts type
        differently (a column that holds ints here and text there) all values are typed at once. The column's
        bytes are let go once it is built."""
        import pickle

        def values(file: tuple) -> list:
            _doc, n, columns, blobs = file
            k = columns.index(name) if name in columns else len(blobs)
            if k >= len(blobs):
                return [None] * n                   # this file's table lacks the column (or its rows a value)
            return pickle.loads(blobs[k])

        typed = self._typed(name, files, values)
        for _doc, _n, columns, blobs in files:    # this column's bytes are not needed again
            if name in columns and columns.index(name) < len(blobs):
                blobs[columns.index(name)] = None
        return typed

    @staticmethod
    def _typed(name: str, files: list, values: Callable[[tuple], list]):
        """Column ``name`` of ``files`` typed part by part (see :meth:`column`); ``values(file)`` reads one file's."""
        import pandas as pd

        chunks: list[list[tuple]] = [[]]            # files, grouped into parts of about PACK_ROWS rows
        size = 0
        for file in files:
            if size >= PACK_ROWS:
                chunks.append([])
                size = 0
            chunks[-1].append(file)
            size += file[1]
        parts: list = []
        for chunk in chunks:
            got = [v for file in chunk for v in values(file)]
            if all(v is None for v in got):
                parts.append(len(got))              # all missing: typed as the others once they are known
            else:
                parts.append(_column(got))
            del got
        typed = [p for p in parts if not isinstance(p, int)]
        if len({str(p.dtype) for p in typed}) > 1:  # parts typed differently: type all the values at once
            del parts, typed
            return _column([v for file in files for v in values(file)])
        if not typed:
            return _column([None] * sum(parts))
        dtype = typed[0].dtype
        arrays = [pd.array([None] * p, dtype=dtype) if isinstance(p, int) else p for p in parts
                  if not (isinstance(p, int) and p == 0)]
        return arrays[0] if len(arrays) == 1 else type(arrays[0])._concat_same_type(arrays)

    def frame(self, keys: dict[int, tuple]):
        """The table, rows in document order, with doc_id, file, region and year in front."""
        import numpy as np
        import pandas as pd

        files = sorted(self.files, key=lambda f: f[0])      # one entry per document
        docs = [f[0] for f in files]
        at = np.repeat(np.arange(len(files), dtype=np.int64), [f[1] for f in files])   # each row's document
        data = {}
        for k, name in enumerate(DOC_KEYS):     # typed once per document, then repeated per row
            data[name] = _column([keys[d][k] for d in docs]).take(at) if len(at) else _column([])
        for name in list(self.columns):
            data[name] = self.column(name, files)
        self.files = []
        return pd.DataFrame(data, copy=False)       # the columns are the frame's own: not copied again


class _Collector:
    """Reduces per-file results to table rows as they arrive."""

    def __init__(self, paths: list[str]):
        self.paths = paths
        self.docs: dict[int, dict] = {}
        self.errors: list[tuple[int, str, str]] = []
        self.cells = _Rows([c for c in CELL_COLUMNS if c not in DOC_KEYS])
        self.checks = _Rows([c for c in CHECK_COLUMNS if c not in DOC_KEYS])
        self.fields = _Rows([c for c in FIELD_COLUMNS if c not in DOC_KEYS])
        self.contradictions = _Rows([c for c in CONTRADICTION_COLUMNS if c not in DOC_KEYS])
        made_here = (*DOC_KEYS, *PARENT_DATE_COLUMNS)   # the date columns are made from the rows' values, below
        self.entities = _Rows([c for c in ENTITY_COLUMNS if c not in made_here])
        self.events = _Rows([c for c in EVENT_COLUMNS if c not in made_here])

    def add(self, index: int, result: dict, cached: bool) -> None:
        for err in result.get("errors", []):
            self.errors.append((index, err["stage"], err["reason"]))
        if result.get("document") is None:
            return
        self.docs[index] = {**result["document"], "sha256": result.get("sha256"), "cached": cached}
        tables, packed = result.get("tables", {}), result.get("packed", {})
        for name in ("cells", "checks", "contradictions", "fields", "entities", "events"):
            if name in packed:
                getattr(self, name).add_packed(index, packed[name])
            elif name in tables:
                getattr(self, name).add(index, tables[name])

    def doc_ids(self) -> dict[int, str]:
        """File stem; stem + 8 hex digits of the content hash where stems collide; + -2, -3 … if still equal."""
        stems = Counter(Path(self.paths[i]).stem for i in self.docs)
        ids: dict[int, str] = {}
        seen: Counter[str] = Counter()
        for i in sorted(self.docs):
            stem = Path(self.paths[i]).stem
            doc_id = stem if stems[stem] == 1 else f"{stem}-{(self.docs[i]['sha256'] or 'nohash')[:8]}"
            seen[doc_id] += 1
            ids[i] = doc_id if seen[doc_id] == 1 else f"{doc_id}-{seen[doc_id]}"
        return ids

    def corpus(self, cache_dir: str | None) -> Corpus:
        import numpy as np
        import pandas as pd

        ids = self.doc_ids()
        keys = {i: (ids[i], self.paths[i], d["region"], d["year"]) for i, d in self.docs.items()}
        order = sorted(self.docs)
        duplicate_of, dup_rows = self.duplicates(ids)
        rows = [{**self.docs[i], "doc_id": ids[i], "file": self.paths[i], "duplicate_of": duplicate_of.get(i)}
                for i in order]
        dates = date_columns([r.get("date") for r in rows])
        reporter_dates = date_columns([r.get("reporter_date") for r in rows])
        documents = _frame({c: [r.get(c) for r in rows] for c in DOCUMENT_COLUMNS})
        documents["cached"] = documents["cached"].astype(bool)
        documents["date"], documents["date_precision"] = dates["date"], dates["date_precision"]
        documents["reporter_date"] = reporter_dates["date"]
        documents["duplicate_of"] = pd.array(list(documents["duplicate_of"]), dtype="str")
        errs = sorted(self.errors)
        errors = _frame({"file": [self.paths[i] for i, _, _ in errs], "stage": [e[1] for e in errs],
                         "reason": [e[2] for e in errs]})
        cells = self.cells.frame(keys)
        checks = self.checks.frame(keys)
        entities = self.entities.frame(keys)
        dated = np.flatnonzero((entities["label"] == "DATE").to_numpy(dtype=bool, na_value=False))
        for col, arr in date_columns(entities["value"].iloc[dated].to_numpy(dtype=object).tolist()).items():
            entities[col] = pd.Series(arr, index=entities.index[dated]).reindex(entities.index)
        entities = entities[[*ENTITY_COLUMNS, *[c for c in entities.columns if c not in ENTITY_COLUMNS]]]
        events = self.events.frame(keys)
        for col, arr in date_columns(list(events["date_iso"])).items():
            events[col] = pd.Series(arr, index=events.index)
        events = events[[*EVENT_COLUMNS, *[c for c in events.columns if c not in EVENT_COLUMNS]]]
        duplicates = _frame({c: [r[c] for r in dup_rows] for c in DUPLICATE_COLUMNS}) if dup_rows else None
        return Corpus(documents=documents, cells=cells, checks=checks, entities=entities, events=events,
                      errors=errors, cache_dir=cache_dir,
                      contradictions=_contradictions(self.contradictions.frame(keys), cells, documents),
                      fields=self.fields.frame(keys), duplicates=duplicates)

    def duplicates(self, ids: dict[int, str]) -> tuple[dict[int, str], list[dict]]:
        """Which documents duplicate another: the same bytes (sha256), or the same 文号, issuers and year (the
        same report in another file or format). In each group the document with the fewest warnings, then the
        most cells, then the first path is kept; the others point to it (``duplicate_of``)."""
        parent = {i: i for i in self.docs}

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        firsts: dict[tuple, int] = {}
        for i in sorted(self.docs):
            d = self.docs[i]
            marks = []
            if d.get("sha256"):
                marks.append(("sha256", d["sha256"]))
            if d.get("doc_number") and d.get("year") is not None:
                marks.append(("number", d["doc_number"], tuple(d.get("issuers") or ()), d["year"]))
            for key in marks:
                if key in firsts:
                    a, b = find(firsts[key]), find(i)
                    if a != b:
                        parent[b] = a
                else:
                    firsts[key] = i
        groups: dict[int, list[int]] = {}
        for i in sorted(self.docs):
            groups.setdefault(find(i), []).append(i)
        duplicate_of: dict[int, str] = {}
        rows = []
        for members in groups.values():
            if len(members) < 2:
                continue
            keep = min(members, key=lambda i: (self.docs[i].get("n_warnings") or 0,
                                               -(self.docs[i].get("n_cells") or 0), i))
            for i in members:
                if i == keep:
                    continue
                duplicate_of[i] = ids[keep]
                same = self.docs[i].get("sha256") is not None and self.docs[i]["sha256"] == self.docs[keep]["sha256"]
                rows.append({"doc_id": ids[i], "file": self.paths[i], "duplicate_of": ids[keep],
                             "duplicate_of_file": self.paths[keep],
                             "reason": "same content (sha256)" if same else "same 文号, issuers and year"})
        return duplicate_of, rows


def _contradictions(found: Any, cells: Any, documents: Any) -> Any:
    """One row per disagreement: what each document's check found (a figure vs its cell, an internal check,
    table arithmetic), and annex cells that differ across documents of one region, year, campaign and issuers
    (same template key and unit: the same figure reported twice, e.g. the same report in two formats, or a
    corrected edition)."""
    rows = [{c: _na_none(r.get(c)) for c in CONTRADICTION_COLUMNS} for r in found.to_dict("records")]
    rows += _across_documents(cells, documents)
    from .genre_years import carry_over_contradictions   # a genre's figures that must carry over across years

    rows += [{c: _na_none(r.get(c)) for c in CONTRADICTION_COLUMNS} for r in carry_over_contradictions(documents, cells)]
    rows.sort(key=lambda r: (str(r["doc_id"]), r["start"] if r["start"] is not None else -1))
    return typed_frame(rows, CONTRADICTION_COLUMNS, {c: "Int64" for c in ("year", "line", "column", "start", "end",
                                                                         "table")} | {"other_doc": "str"})


def _na_none(v: Any) -> Any:
    """pandas' missing values (NA, NaN, NaT) as None; every other value as it is."""
    import pandas as pd

    if isinstance(v, (list, tuple, dict)):
        return v
    try:
        return None if pd.isna(v) else v
    except (TypeError, ValueError):
        return v


def _across_documents(cells: Any, documents: Any) -> list[dict]:
    """Annex cells of a template whose value differs between documents of the same region, year, campaign and
    issuers (the same office reporting the same campaign twice: another format, a corrected edition)."""
    import pandas as pd

    if not len(cells) or not len(documents):
        return []
    templated = set(documents.loc[documents["template"].notna(), "doc_id"])
    annex = cells[cells["table"].isna() & cells["value"].notna() & cells["doc_id"].isin(templated)
                  & cells["region"].notna() & cells["year"].notna() & cells["campaign"].notna()]
    issuers = {d: "、".join(v) if isinstance(v, list) else "" for d, v in zip(documents["doc_id"], documents["issuers"])}
    annex = annex.assign(issuers=annex["doc_id"].map(issuers))
    annex = annex[annex["issuers"] != ""]       # who reported: two offices' tables of one region may differ rightly
    # each figure's rows by number (a missing key: no figure, -1); Python objects only for values and output rows
    group = annex.groupby(["region", "year", "campaign", "issuers", "key"], sort=False).ngroup()
    group = group.fillna(-1).astype("int64").tolist()
    doc = pd.factorize(annex["doc_id"])[0].tolist()
    unit = pd.factorize(annex["unit"])[0].tolist()          # a missing unit: -1, equal to another missing one
    value = annex["value"].to_numpy(dtype=object).tolist()
    first: dict[int, int] = {}                  # figure -> its first row, the one the others are compared with
    pairs = []
    for at, g in enumerate(group):
        if g < 0:
            continue
        ref = first.setdefault(g, at)
        if ref != at and doc[at] != doc[ref] and unit[at] == unit[ref] and value[at] != value[ref]:
            pairs.append((g, at, ref))
    pairs.sort()                                # figure by figure, each in the order of its rows
    names = ["doc_id", "file", "region", "year", "key", "label", "value", "unit", "line", "column", "start", "end"]
    take = sorted({k for _, at, ref in pairs for k in (at, ref)})
    where = {k: j for j, k in enumerate(take)}
    cols = {c: annex[c].iloc[take].to_numpy(dtype=object).tolist() for c in names}
    rows = []
    for _, at, ref in pairs:
        r, f = where[at], where[ref]
        ref_doc, ref_file, ref_value = cols["doc_id"][f], cols["file"][f], cols["value"][f]
        key, label, val = cols["key"][r], cols["label"][r], cols["value"][r]
        unit_text = _na_none(cols["unit"][r]) or ""
        rows.append({"doc_id": cols["doc_id"][r], "file": cols["file"][r], "region": cols["region"][r],
                     "year": cols["year"][r], "kind": "across_documents", "surface": label,
                     "expected": f"{ref_value} {unit_text}".strip(), "found": f"{val} {unit_text}".strip(),
                     "explanation": f"{key} ({label}) is {val}{unit_text} here but {ref_value}{unit_text} in "
                                    f"{ref_doc} ({ref_file}), a report of the same issuers, region, "
                                    f"year and campaign",
                     "line": _na_none(cols["line"][r]), "column": _na_none(cols["column"][r]),
                     "start": _na_none(cols["start"][r]), "end": _na_none(cols["end"][r]), "key": key,
                     "table": None, "other_doc": ref_doc})
    return rows


# -- running -----------------------------------------------------------------------------------------

def _in_notebook() -> bool:
    """True inside a Jupyter kernel (IPython already imported and running as a kernel app)."""
    ipython = sys.modules.get("IPython")
    try:
        shell = ipython.get_ipython() if ipython is not None else None
    except Exception:  # noqa: BLE001 - a broken IPython is no notebook
        return False
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _show_progress(progress: bool | None, n: int) -> bool:
    if progress is not None:
        return bool(progress)
    return n > PROGRESS_MIN_FILES and (_in_notebook() or (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()))


def _progress_bar(total: int, show: bool) -> Any:
    """tqdm's bar: a widget in a notebook (``tqdm.auto``, when ipywidgets is installed: the ``notebook`` extra),
    else one line of text that rewrites itself: on stdout in a notebook (stderr there is a column of red
    lines), on stderr in a terminal."""
    from tqdm import tqdm

    options = {"total": total, "unit": "file", "desc": "reportmine"}
    if show and _in_notebook():
        try:
            import ipywidgets  # noqa: F401 - tqdm's notebook bar is an ipywidgets widget
        except ImportError:
            return tqdm(**options, file=sys.stdout)
        from tqdm.auto import tqdm as auto

        return auto(**options)
    return tqdm(**options, disable=not show, file=sys.stderr)


def _dead_worker(exc: BaseException) -> bool:
    from concurrent.futures.process import BrokenProcessPool

    return isinstance(exc, BrokenProcessPool)


class FileTimeout(BaseException):
    """Raised inside a file's work when it runs past the batch timeout (a BaseException, so the
    per-stage ``except Exception`` of :func:`parse_file` does not take it for a parse error)."""


def _timeout_result(path: str, timeout: float) -> dict[str, Any]:
    return {"file": path, "sha256": None, "document": None, "tables": {},
            "errors": [{"stage": "timeout", "reason": f"not finished after {timeout:g} s (the batch timeout); "
                                                      "skipped"}]}


def _run_here(work: Callable, path: str, timeout: float | None) -> dict[str, Any]:
    """Run one file in this process; past ``timeout`` seconds a SIGALRM interrupts it (POSIX, main thread only)."""
    usable = (timeout is not None and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        return work(path)

    def expire(signum, frame):
        raise FileTimeout

    try:
        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return work(path)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    except FileTimeout:
        return _timeout_result(path, timeout)


def parse_many(source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
               executor: cf.Executor | None = None, workers: int | None = None,
               cache: str | os.PathLike[str] | bool | None = True, progress: bool | None = None,
               check: bool = True, entities: bool = True, timeout: float | None = DEFAULT_TIMEOUT,
               max_bytes: int | None = None, duplicates: str = "drop", genre: str | None = None) -> Corpus:
    """Parse every report in ``source`` (a folder, glob, file or list of paths: :func:`find_reports`).

    ``executor``: any ``concurrent.futures.Executor`` to run :func:`parse_file` on (left running;
    ``workers`` then only sizes how many tasks are in flight: 4 per worker); default a
    ``ProcessPoolExecutor`` of ``workers`` processes (default: CPU count), or no pool at all when
    ``workers=1`` or only one file needs parsing.
    ``cache``: a folder, ``True`` for :func:`default_cache_dir`, ``False``/``None`` for no cache.
    ``progress``: a tqdm progress bar (``False``: none); ``None`` shows it for more than 5 files in a notebook
    (a widget, with the ``notebook`` extra) or on a terminal (on stderr), not when the output is a file or pipe.
    ``check``/``entities``: fill the ``checks`` / ``entities`` tables.
    ``timeout``: seconds one file may take (default 300; ``None``: no limit); a file that takes longer
    is a row of ``errors`` (stage ``timeout``) and the batch goes on. In our process pool the worker
    still busy with it is killed and replaced (whatever it is stuck in); without a pool (``workers=1``)
    the file is interrupted by a SIGALRM timer, which works on POSIX in the main thread and stops
    Python code but not a call stuck inside a C extension; with your own ``executor`` the timeout is
    not enforced (use the executor's own limits).
    ``max_bytes``: refuse larger files (default ``$REPORTMINE_MAX_BYTES`` or 200 MiB; see
    :func:`reportmine.io.size_limit`).
    ``duplicates``: a document with the same content as another, or the same 文号, issuers and year (the same
    report as .txt, .docx and .pdf), is a duplicate. ``"drop"`` (default) leaves duplicates out of every
    table (:meth:`Corpus.unique`), so counts and groupings see each report once; ``"keep"`` keeps their rows,
    with ``documents.duplicate_of`` naming the document each repeats. Either way ``corpus.duplicates`` lists
    them and a :class:`DuplicateWarning` says how many there are.
    ``genre``: read every file as this genre (see :func:`reportmine.parse`); default: recognised per file.
    ``corpus.meta["cross_year"]`` holds the cross-year mismatches (:func:`reportmine.genre_years.carry_over_mismatches`).
    """
    if duplicates not in ("drop", "keep"):
        raise ValueError(f"duplicates must be 'drop' or 'keep', not {duplicates!r}")
    t0 = time.perf_counter()
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if timeout is not None and not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds (or None), not {timeout}")
    import pandas  # noqa: F401 - the tables need it; imported before the pool forks, workers inherit it

    paths = find_reports(source)
    from .io import size_limit

    limit = size_limit(max_bytes)
    store = None
    if cache is not False and cache is not None:
        root = default_cache_dir() if cache is True else Path(cache)
        store = Cache(root, options=f"c{int(check)}e{int(entities)}" + (f"g{genre}" if genre else ""))
    collector = _Collector(paths)
    work = partial(_parse_packed, cache_entry=store is not None, check=check, entities=entities)
    if genre:
        work = partial(work, genre=genre)
    if max_bytes is not None:
        work = partial(work, max_bytes=max_bytes)

    bar = _progress_bar(len(paths), _show_progress(progress, len(paths)))
    todo: deque[int] = deque()
    try:
        for i, path in enumerate(paths):
            entry = None
            if store is not None and (digest := _digest(path, limit)):
                entry = store.get(digest, Path(path).suffix)
            if entry is not None:
                collector.add(i, {"file": path, "sha256": digest, "document": entry["document"],
                                  "tables": entry["tables"], "errors": []}, cached=True)
                bar.update(1)
            else:
                todo.append(i)

        def done(i: int, result: dict) -> None:
            collector.add(i, result, cached=False)
            if store is not None:
                store.put(result)
            bar.update(1)
            if collector.errors:
                bar.set_postfix(errors=len(collector.errors), refresh=False)

        n_parsed = len(todo)
        if executor is None and (workers == 1 or len(todo) <= 1):
            for i in todo:
                done(i, _run_here(work, paths[i], timeout))
        else:
            _run_pool(paths, todo, work, done, executor, workers, timeout)
    finally:
        bar.close()
    corpus = collector.corpus(str(store.root) if store is not None else None)
    from .genre_years import carry_over_mismatches

    corpus.meta.update(files=len(paths), parsed=n_parsed, from_cache=len(paths) - n_parsed,
                       seconds=round(time.perf_counter() - t0, 3),
                       cross_year=carry_over_mismatches(corpus.documents, corpus.cells))
    n_dup = len(corpus.duplicates)
    if n_dup:
        what = (f"reportmine: {n_dup} of {len(corpus.documents)} documents repeat another (same content, or the "
                f"same 文号, issuers and year); corpus.duplicates lists them")
        if duplicates == "drop":
            corpus = corpus.unique()
            warnings.warn(f"{what}. They are left out of the tables (duplicates='keep' keeps them).",
                          DuplicateWarning, stacklevel=2)
        else:
            warnings.warn(f"{what}, documents.duplicate_of marks them: corpus.unique() leaves them out.",
                          DuplicateWarning, stacklevel=2)
    return corpus


#: Set in each worker of our own pool: shared memory where a task writes the pid of the worker that
#: runs file ``i`` (slot ``i``); plain shared memory, no lock a killed worker could leave held.
_worker_pids: Any = None


def _init_worker(pids: Any) -> None:
    global _worker_pids
    _worker_pids = pids


def _pool_task(work: Callable, i: int, path: str) -> dict[str, Any]:
    """``work(path)`` in a worker of our pool, after telling the parent which process runs file ``i``."""
    if _worker_pids is not None:
        _worker_pids[i] = os.getpid()
    return work(path)


def _submit_frozen(pool: cf.Executor, *task: Any) -> cf.Future:
    """``pool.submit(*task)`` with the garbage collector's objects frozen while the pool forks its workers.

    A forked worker shares the parent's memory until it writes to it, and a full collection in the worker
    writes to every object it inherited: a parent holding 700 MB of Python objects (a notebook, an earlier
    corpus) gave each worker 625 MB of private copies; frozen, ~120 MB (see the README, "On a cluster")."""
    import gc

    gc.freeze()
    try:
        return pool.submit(*task)
    finally:
        gc.unfreeze()


def _kill(pid: int) -> None:
    try:
        os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
    except (OSError, ValueError):
        pass


def _run_pool(paths: list[str], todo: deque[int], work: Callable, done: Callable, executor: cf.Executor | None,
              workers: int | None, timeout: float | None = None) -> None:
    """Run ``work`` over ``todo`` with a bounded number of tasks in flight.

    With our own process pool, a worker that dies (segfault, out of memory) breaks the pool: its
    in-flight files are retried one at a time in a new pool, and a file that breaks that one too is
    reported as an error. A file still running ``timeout`` seconds after its worker started it is
    reported as timed out and its worker killed; the other files in flight then go round again in
    a new pool.
    """
    import multiprocessing

    own = executor is None
    if own:
        n_workers = min(workers or os.cpu_count() or 2, len(todo))
    else:   # a pool's own size, else ``workers`` as a hint, else enough for a cluster (Dask has no size here)
        n_workers = workers or getattr(executor, "_max_workers", None) or UNKNOWN_EXECUTOR_WORKERS
    window = max(1, n_workers * IN_FLIGHT_PER_WORKER)
    pids = multiprocessing.get_context().RawArray("q", len(paths)) if own and timeout is not None else None

    def new_pool() -> cf.ProcessPoolExecutor:
        if pids is None:
            return cf.ProcessPoolExecutor(max_workers=n_workers)
        return cf.ProcessPoolExecutor(max_workers=n_workers, initializer=_init_worker, initargs=(pids,))

    def submit(i: int) -> cf.Future:
        if pids is not None:
            pids[i] = 0
        if not own:
            return pool.submit(work, paths[i])
        if not started[0]:      # a fork-started pool forks all its workers here, at its first task
            started[0] = True
            return _submit_frozen(pool, _pool_task, work, i, paths[i])
        return pool.submit(_pool_task, work, i, paths[i])

    pool = new_pool() if own else executor
    started = [False]                       # whether our current pool has started its workers
    suspects: deque[int] = deque()         # files that were in flight when a worker died
    in_flight: dict[cf.Future, tuple[int, bool]] = {}   # future -> (index, alone)
    running: dict[int, tuple[int, float]] = {}          # index -> (worker pid, start time), own pool only
    timed_out: set[int] = set()
    try:
        while todo or suspects or in_flight:
            if suspects:
                if not in_flight:
                    i = suspects.popleft()
                    in_flight[submit(i)] = (i, True)
            else:
                while todo and len(in_flight) < window:
                    i = todo.popleft()
                    in_flight[submit(i)] = (i, False)
            wait = None
            if pids is not None:        # wake up to see which files started and which ran out of time
                now = time.monotonic()
                wait = min([max(0.05, start + timeout - now) for _pid, start in running.values()] + [0.5])
            finished, _ = cf.wait(list(in_flight), timeout=wait, return_when=cf.FIRST_COMPLETED)
            if pids is not None:
                now = time.monotonic()
                for i, _alone in in_flight.values():
                    if i not in running and pids[i]:
                        running[i] = (pids[i], now)
                    elif i in running and now - running[i][1] > timeout and i not in timed_out:
                        timed_out.add(i)
                        _kill(running[i][0])
            broken = False
            for fut in finished:
                i, alone = in_flight.pop(fut)
                running.pop(i, None)
                try:
                    result = fut.result()
                except Exception as exc:  # noqa: BLE001 - the task itself failed, not the file
                    if own and _dead_worker(exc):
                        broken = True
                        if i in timed_out:
                            result = _timeout_result(paths[i], timeout)
                        elif timed_out:             # we killed a worker: the others in flight are innocent
                            todo.appendleft(i)
                            continue
                        elif not alone:
                            suspects.append(i)
                            continue
                        else:
                            result = {"file": paths[i], "sha256": None, "document": None, "tables": {},
                                      "errors": [{"stage": "worker",
                                                  "reason": "worker process died while parsing this file"}]}
                    else:
                        result = {"file": paths[i], "sha256": None, "document": None, "tables": {},
                                  "errors": [{"stage": "worker", "reason": f"{type(exc).__name__}: {exc}"}]}
                done(i, result)
            if broken and own:
                for fut, (i, _alone) in list(in_flight.items()):   # the rest of the broken pool
                    if i in timed_out:
                        done(i, _timeout_result(paths[i], timeout))
                    elif timed_out:
                        todo.appendleft(i)
                    else:
                        suspects.append(i)
                in_flight.clear()
                running.clear()
                timed_out.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                started[0] = False
    finally:
        if own:     # no wait: the idle workers exit (and are joined) while the tables are built
            pool.shutdown(wait=False, cancel_futures=True)
        else:
            for fut in in_flight:
                fut.cancel()
