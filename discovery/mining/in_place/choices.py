"""What a filter panel and the case explorer ask of a log, for a log here or in place: the
choices the filters offer (its period, activities, departments, case attributes and their
values) and one case's events; in place, small queries where the log lives.

>>> filter_choices(log).activities  # doctest: +SKIP
('Aanmelding SEH', 'Behandeling', ...)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from discovery.engine.in_place import InPlaceLog, in_case_order, run_in_place
from discovery.errors import LogError
from discovery.log.event_log import EventLog, to_event_log
from discovery.mining.filters import attribute_values
from discovery.words import message

ROLES = (
    "case_id", "activity", "timestamp", "start_timestamp", "resource", "department",
    "channel", "score", "cost", "lifecycle",
)  # fmt: skip
"""The canonical columns of a log in place; its other columns are the user's."""


@dataclass(frozen=True)
class FilterChoices:
    """What the filters can choose from: the log's first and last moment (UTC; start times
    count), its activities and departments (sorted) and its case attributes (the user's
    columns whose value never changes within a case)."""

    period: tuple[pd.Timestamp, pd.Timestamp]
    activities: tuple[str, ...]
    departments: tuple[str, ...]
    case_attributes: tuple[str, ...]


def filter_choices(log: EventLog | InPlaceLog) -> FilterChoices:
    """The choices of the filters on `log`; in place, three small queries."""
    if not isinstance(log, InPlaceLog):
        return FilterChoices(log.period, log.activities, log.departments, log.case_attributes)
    events = log.events
    starts = {"start": events.start_timestamp.min()} if log.has("start_timestamp") else {}
    span = run_in_place(
        events.aggregate(first=events.timestamp.min(), last=events.timestamp.max(), **starts)
    ).iloc[0]
    start = span.get("start")
    first = _utc(span["first"] if start is None or pd.isna(start) else min(start, span["first"]))
    return FilterChoices(
        period=(first, _utc(span["last"])),
        activities=_distinct(log, "activity"),
        departments=_distinct(log, "department") if log.has("department") else (),
        case_attributes=case_attributes(log),
    )


def count_cases(log: EventLog | InPlaceLog) -> int:
    """The number of cases in `log` (in place, counted where it lives)."""
    if not isinstance(log, InPlaceLog):
        return log.n_cases
    return int(run_in_place(log.events.case_id.nunique())["value"].iloc[0])


def case_attributes(log: InPlaceLog) -> tuple[str, ...]:
    """The user's columns of a log in place whose value never changes within a case."""
    events = log.events
    others = [column for column in events.columns if column not in ROLES]
    if not others:
        return ()
    per_case = events.group_by("case_id").aggregate(
        **{f"_{n}": events[c].nunique() for n, c in enumerate(others)}
    )
    most = run_in_place(
        per_case.aggregate(**{f"_{n}": per_case[f"_{n}"].max() for n in range(len(others))})
    ).iloc[0]
    return tuple(c for n, c in enumerate(others) if int(most[f"_{n}"] or 0) <= 1)


def attribute_choices(log: EventLog | InPlaceLog, column: str) -> tuple[str, ...]:
    """`attribute_values` for a log here or in place: the values of `column` as text,
    sorted, without empty ones."""
    if not isinstance(log, InPlaceLog):
        return attribute_values(log, column)
    return _distinct(log, column)


def bring_case_here(
    log: InPlaceLog, case_id: str, attributes: tuple[str, ...] | None = None
) -> EventLog:
    """One case of a log in place as a log here: its events (in the log's case order) with
    the canonical columns and, of the user's columns, only the case attributes
    (`attributes`, else those of `log`): the case explorer's trail and tracer are made
    from it as from the local log's. Raises `LogError` where the log has no such case."""
    events = log.events
    kept = case_attributes(log) if attributes is None else attributes
    columns = [c for c in events.columns if c in ROLES or c in kept]
    case = events.filter(events.case_id == str(case_id))
    frame = run_in_place(case.order_by(in_case_order(log, case)).select(*columns))
    if frame.empty:
        raise LogError(message("log.error.no_case", case=str(case_id)), file=log.source)
    for column in ("timestamp", "start_timestamp"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).dt.tz_localize("UTC")
    mapping = {role: role for role in ROLES if role in frame}
    return to_event_log(frame, mapping, timezone=log.timezone)


def _distinct(log: InPlaceLog, column: str) -> tuple[str, ...]:
    values = log.events[column].cast("string").name("value")
    found = run_in_place(values.as_table().distinct())["value"]
    return tuple(sorted(str(value) for value in found.dropna()))


def _utc(value: object) -> pd.Timestamp:
    moment = pd.Timestamp(value)
    return moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
