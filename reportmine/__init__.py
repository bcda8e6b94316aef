"""reportmine: Chinese government reports (公文 + statistics annex) -> checked, structured data.

>>> import reportmine
>>> report = reportmine.parse("corpus/2023-shanghai-safety-month.txt")
>>> report.record.to_frame()          # one row per annex cell
"""

from .io import ReportLoadError
from .record import CampaignRecord
from .report import LoadedText, Report, load, parse, parse_text

__version__ = "0.1.0"
__all__ = ["load", "parse", "parse_text", "Report", "LoadedText", "CampaignRecord", "ReportLoadError"]
