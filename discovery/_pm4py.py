"""The only module that talks to pm4py: our event log to and from its dataframe format.

pm4py is imported lazily (it takes about a second), only when an algorithm of it is
needed. Its licence banner goes to standard error, and only when pm4py is imported from
a `__main__` script, so the command line's JSON stays clean.
"""

from __future__ import annotations

from types import ModuleType

import pandas as pd

from discovery.log import EventLog, to_event_log

XES_KEYS = {
    "case_id": "case:concept:name",
    "activity": "concept:name",
    "timestamp": "time:timestamp",
    "start_timestamp": "start_timestamp",
    "resource": "org:resource",
    "department": "org:group",
    "lifecycle": "lifecycle:transition",
}


def pm4py() -> ModuleType:
    """The pm4py module, imported on first use."""
    import pm4py as module

    return module


def to_pm4py(log: EventLog) -> pd.DataFrame:
    """The log in pm4py's dataframe format, sorted by case, time and source position."""
    keys = {role: key for role, key in XES_KEYS.items() if role in log.events}
    frame = log.events.rename(columns=keys)
    return frame.reset_index(drop=True)


def from_pm4py(frame: pd.DataFrame, source: str = "pm4py dataframe") -> EventLog:
    """An event log from a pm4py dataframe (XES keys as column names)."""
    present = {key: role for role, key in XES_KEYS.items() if key in frame}
    table = frame.rename(columns=present)
    mapping = {role: role for role in present.values()}
    log = to_event_log(table, mapping)
    return EventLog(
        events=log.events,
        mapping=log.mapping,
        quality=log.quality,
        source=source,
        timezone=log.timezone,
        case_attributes=log.case_attributes,
        event_attributes=log.event_attributes,
    )
