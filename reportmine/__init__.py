"""reportmine: Chinese government reports (公文 + statistics annex) -> checked, structured data."""

__version__ = "0.1.0"
