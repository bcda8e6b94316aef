"""reportmine: Chinese government reports (公文 + statistics annex) -> checked, structured data.

>>> import reportmine
>>> report = reportmine.parse("corpus/2023-shanghai-safety-month.txt")
>>> report.record.to_frame()          # one row per annex cell
>>> report.entities                    # organisations, persons, places, dates, events
>>> reportmine.check(report)            # or a path: prose figures vs tables, internal checks
>>> corpus = reportmine.parse_many("archive/")   # a folder in parallel -> tidy tables (cached)
>>> nlp = reportmine.nlp()             # the spaCy pipeline (jieba + reportmine's components)
"""

from . import check
from . import plot  # noqa: F401 - reportmine.plot after `import reportmine`; matplotlib loads on first use
from .corpus import Corpus, parse_many
from .io import ReportLoadError
from .pipeline import nlp
from .record import CampaignRecord
from .report import LoadedText, Report, load, parse, parse_text
from .version import VERSION

__version__ = VERSION
__all__ = ["load", "parse", "parse_text", "parse_many", "Report", "LoadedText", "CampaignRecord", "Corpus",
           "ReportLoadError", "nlp", "check"]
