"""Journey Discovery: event logs in, the real customer journey out.

>>> from discovery import read_event_log, summarize
>>> log = read_event_log("sample_logs/hospital.csv")  # doctest: +SKIP
>>> summarize(log).cases  # doctest: +SKIP
"""

from discovery.errors import LogError
from discovery.log import EventLog, read_event_log, to_event_log
from discovery.quality import Finding, QualityReport
from discovery.schema import ROLES, ColumnMapping, Role, detect_roles
from discovery.summary import LogSummary, summarize
from discovery.timestamps import DEFAULT_TIMEZONE

__all__ = [
    "DEFAULT_TIMEZONE",
    "ROLES",
    "ColumnMapping",
    "EventLog",
    "Finding",
    "LogError",
    "LogSummary",
    "QualityReport",
    "Role",
    "detect_roles",
    "read_event_log",
    "summarize",
    "to_event_log",
]
