"""Timing: throughput per case, its distribution and trend, per segment; time between
two activities; durations in working hours where a calendar is given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from discovery.engine import execute
from discovery.engine import source as registered_events
from discovery.engine.in_place import InPlaceLog
from discovery.log.event_log import EventLog
from discovery.mining.in_place.timing import throughput_in_place

Period = Literal["week", "month"]
_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


@dataclass(frozen=True)
class WorkingHours:
    """Office hours in the log's local time: `start_hour` to `end_hour` on `weekdays`
    (0 = Monday), minus `holidays` (dates)."""

    start_hour: float = 9.0
    end_hour: float = 17.0
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    holidays: tuple[str, ...] = ()

    def seconds_between(self, start: pd.Series, end: pd.Series, timezone: str) -> pd.Series:
        """Working seconds between two UTC timestamp columns (negative where end < start)."""
        return self._cumulative(end, timezone) - self._cumulative(start, timezone)

    def _cumulative(self, moments: pd.Series, timezone: str) -> pd.Series:
        """Working seconds from 1970-01-01 (local) up to each moment."""
        local = moments.dt.tz_convert(timezone).dt.tz_localize(None)
        days = local.dt.floor("D")
        mask = "".join("1" if day in self.weekdays else "0" for day in range(7))
        valid = days.notna()
        dates = days[valid].to_numpy().astype("datetime64[D]")
        before = np.busday_count(
            np.datetime64("1970-01-01"), dates, weekmask=mask, holidays=list(self.holidays)
        )
        is_workday = np.is_busday(dates, weekmask=mask, holidays=list(self.holidays))
        hours = (local[valid] - days[valid]).dt.total_seconds().to_numpy() / 3600
        within = np.clip(hours, self.start_hour, self.end_hour) - self.start_hour
        daily = self.end_hour - self.start_hour
        seconds = (before * daily + np.where(is_workday, within, 0.0)) * 3600
        return pd.Series(seconds, index=moments.index[valid]).reindex(moments.index)


@dataclass(frozen=True)
class Throughput:
    """`per_case`: case_id, start, end, throughput_s (and `segment` where asked; of a log in
    place, its first `PER_CASE_LIMIT` cases by id). `distribution`: quantile → seconds.
    `trend`: period, cases, median_s, mean_s (cases by
    the period they started in). `by_segment`: segment, cases, median_s, mean_s, p90_s."""

    per_case: pd.DataFrame
    distribution: pd.Series
    trend: pd.DataFrame
    by_segment: pd.DataFrame

    @property
    def median_s(self) -> float:
        """The median throughput of all cases (the distribution's 0.5)."""
        return float(self.distribution.loc[0.5])


def analyse_throughput(
    log: EventLog | InPlaceLog,
    *,
    period: Period = "month",
    segment: str | None = None,
    calendar: WorkingHours | None = None,
    cases: bool = True,
) -> Throughput:
    """Throughput time per case, from its first start to its last end. A log in place is
    measured where it lives (`throughput_in_place`), without segments or a calendar; its
    cases' own spans come here only with `cases` (the distribution and trend need none)."""
    if isinstance(log, InPlaceLog):
        if segment is not None or calendar is not None:
            raise ValueError("a log in place has no throughput by segment or in working hours")
        found = throughput_in_place(log, period, _QUANTILES, cases=cases)
        per_case, distribution, trend = found
        return Throughput(per_case, distribution, trend, pd.DataFrame())
    events = registered_events(log)  # `begin`: the start time, else the timestamp
    spans = execute(
        events.group_by(events.case_id).aggregate(
            start=events.begin.min(), end=events.timestamp.max()
        )
    )
    spans = spans.sort_values("case_id").reset_index(drop=True)
    for column in ("start", "end"):
        spans[column] = pd.to_datetime(spans[column], utc=True)
    if calendar is None:
        spans["throughput_s"] = (spans["end"] - spans["start"]).dt.total_seconds()
    else:
        spans["throughput_s"] = calendar.seconds_between(spans["start"], spans["end"], log.timezone)
    if segment is not None:
        spans["segment"] = spans["case_id"].map(_case_values(log, segment))
    seconds = spans["throughput_s"]
    distribution = seconds.quantile(list(_QUANTILES))
    local_start = spans["start"].dt.tz_convert(log.timezone).dt.tz_localize(None)
    spans["period"] = local_start.dt.to_period("W" if period == "week" else "M").dt.start_time
    trend = _stats(spans, "period")
    by_segment = _stats(spans, "segment") if segment is not None else pd.DataFrame()
    return Throughput(spans.drop(columns="period"), distribution, trend, by_segment)


def _case_values(log: EventLog, column: str) -> pd.Series:
    """Each case's (first non-empty) value of a column."""
    if not log.has(column):
        raise ValueError(f"the log has no column '{column}'")
    values = log.events[["case_id", column]].dropna()
    return values.drop_duplicates("case_id").set_index("case_id")[column].astype(str)


def _stats(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    grouped = frame.groupby(key, sort=True, dropna=False)["throughput_s"]
    table = grouped.agg(cases="size", median_s="median", mean_s="mean")
    table["p90_s"] = grouped.quantile(0.9)
    return table.reset_index()


def time_between(
    log: EventLog, source: str, target: str, calendar: WorkingHours | None = None
) -> pd.DataFrame:
    """Per case, from the end of the first `source` to the end of the first `target` after it:
    case_id, source_time, target_time, seconds. Cases without such a pair are left out."""
    events = registered_events(log)
    firsts = events.filter(events.activity == source)
    firsts = firsts.group_by(firsts.case_id).aggregate(
        source_time=firsts.timestamp.min(), source_position=firsts.position.min()
    )
    targets = events.filter(events.activity == target)
    joined = targets.join(firsts, "case_id")
    after = (joined.timestamp > joined.source_time) | (
        (joined.timestamp == joined.source_time) & (joined.position > joined.source_position)
    )
    pairs = joined.filter(after)
    pairs = pairs.group_by([pairs.case_id, pairs.source_time]).aggregate(
        target_time=pairs.timestamp.min()
    )
    table = execute(pairs).sort_values("case_id").reset_index(drop=True)
    for column in ("source_time", "target_time"):
        table[column] = pd.to_datetime(table[column], utc=True)
    if calendar is None:
        table["seconds"] = (table["target_time"] - table["source_time"]).dt.total_seconds()
    else:
        table["seconds"] = calendar.seconds_between(
            table["source_time"], table["target_time"], log.timezone
        )
    return table
