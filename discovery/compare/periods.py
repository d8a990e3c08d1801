"""One log as two periods: the cases that started before a date, and those from it on.

>>> before, after = split_at(log, pd.Timestamp("2025-09-01"))  # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from discovery.log.event_log import EventLog
from discovery.mining.filters import TimeWindow, apply_filters


def split_at(log: EventLog, moment: pd.Timestamp | str) -> tuple[EventLog, EventLog]:
    """The cases whose first event started before `moment`, and those that started on or
    after it (whole cases either way). A naive `moment` (or a date as text, "2025-09-01")
    is in the log's time zone."""
    moment = pd.Timestamp(moment)
    if moment.tzinfo is None:
        moment = moment.tz_localize(log.timezone)
    moment = moment.tz_convert("UTC").floor("us")  # the engine keeps microseconds
    first, last = log.period
    before = TimeWindow(min(first, moment), moment - pd.Timedelta(microseconds=1), "started")
    after = TimeWindow(moment, max(last, moment), "started")
    return apply_filters(log, [before]), apply_filters(log, [after])
