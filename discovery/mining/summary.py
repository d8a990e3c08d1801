"""The first look at a log: how many cases, events, activities, departments, over what period."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.engine.in_place import InPlaceLog
from discovery.log.event_log import EventLog
from discovery.log.schema import Role
from discovery.mining.in_place.summary import summary_in_place


@dataclass(frozen=True)
class LogSummary:
    """Headline figures of an event log."""

    source: str
    events: int
    cases: int
    activities: int
    departments: int
    resources: int
    first_event: pd.Timestamp
    last_event: pd.Timestamp
    median_events_per_case: float
    median_case_duration_s: float
    roles: dict[Role, str]
    case_attributes: tuple[str, ...]
    event_attributes: tuple[str, ...]

    def to_dict(self) -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`): every field, times in UTC."""
        return to_json_dict(asdict(self))


def summarize(log: EventLog | InPlaceLog) -> LogSummary:
    """Headline figures; events are counted after lifecycle start/complete pairs are merged.
    A log in place is counted where it lives (`summary_in_place`)."""
    if isinstance(log, InPlaceLog):
        found = summary_in_place(log)
        return LogSummary(source=log.source, roles=dict(log.mapping.columns), **found)
    events = log.events
    per_case = events.groupby("case_id", sort=False)["timestamp"]
    durations = (per_case.max() - per_case.min()).dt.total_seconds()
    first, last = log.period
    return LogSummary(
        source=log.source,
        events=log.n_events,
        cases=log.n_cases,
        activities=len(log.activities),
        departments=len(log.departments),
        resources=int(events["resource"].nunique()) if "resource" in events else 0,
        first_event=first,
        last_event=last,
        median_events_per_case=float(per_case.size().median()),
        median_case_duration_s=float(durations.median()),
        roles=dict(log.mapping.columns),
        case_attributes=log.case_attributes,
        event_attributes=log.event_attributes,
    )
