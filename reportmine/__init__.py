"""reportmine: Chinese government reports (公文 + statistics annex) -> checked, structured data.

>>> import reportmine
>>> report = reportmine.parse("corpus/2023-shanghai-safety-month.txt")
>>> report.record.to_frame()          # one row per annex cell
>>> report.entities                    # organisations, persons, places, dates, events
>>> reportmine.check(report)            # or a path: prose figures vs tables, internal checks
>>> corpus = reportmine.parse_many("archive/")   # a folder in parallel -> tidy tables (cached)
>>> nlp = reportmine.nlp()             # the spaCy pipeline (jieba + reportmine's components)

The checker, the archive reader, the spaCy pipeline and the plots are imported on first use (PEP 562):
``import reportmine`` and ``reportmine.parse`` do not pay for what a command does not run.
"""

from importlib import import_module
from typing import Any

from .io import ReportLoadError
from .record import CampaignRecord
from .report import LoadedText, Report, load, parse, parse_text
from .version import VERSION

__version__ = VERSION
__all__ = ["load", "parse", "parse_text", "parse_many", "Report", "LoadedText", "CampaignRecord", "Corpus",
           "ReportLoadError", "nlp", "check"]

#: Names served on first use: name -> (module, attribute; None for the module itself).
_LAZY: dict[str, tuple[str, str | None]] = {
    "check": (".check", None),          # a module that can be called: reportmine.check(report)
    "plot": (".plot", None),
    "Corpus": (".corpus", "Corpus"),
    "parse_many": (".corpus", "parse_many"),
    "nlp": (".pipeline", "nlp"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'reportmine' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = import_module(module_name, __name__)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
