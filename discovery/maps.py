"""Process maps (directly-follows graphs) at any level: activity, department, resource, channel."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pandas as pd

from discovery.engine import case_window, events_table, execute, seconds_between
from discovery.log import EventLog

NO_VALUE = "(none)"


@dataclass(frozen=True)
class ProcessMap:
    """Nodes, directly-follows edges with their waits, and where cases start and end.

    `nodes`: name, events, cases, service_median_s, service_mean_s (service times only
    where the log has start times). `edges`: source, target, frequency (pairs), cases,
    wait_median_s, wait_mean_s, wait_p90_s, wait_total_s; the wait runs from the end of
    the source event to the start of the target event (its timestamp where it has no
    start), never below zero. `starts`/`ends`: name, cases.
    """

    level: str
    nodes: pd.DataFrame
    edges: pd.DataFrame
    starts: pd.DataFrame
    ends: pd.DataFrame

    def to_dict(self) -> dict:
        return {
            "level": self.level,
            "nodes": _records(self.nodes),
            "edges": _records(self.edges),
            "start": dict(zip(self.starts["name"], self.starts["cases"].astype(int), strict=True)),
            "end": dict(zip(self.ends["name"], self.ends["cases"].astype(int), strict=True)),
        }


def _records(frame: pd.DataFrame) -> list[dict]:
    return [
        {k: (None if pd.isna(v) else v.item() if hasattr(v, "item") else v) for k, v in r.items()}
        for r in frame.to_dict("records")
    ]


def discover_map(log: EventLog, level: str = "activity") -> ProcessMap:
    """The directly-follows graph of `level` (a role such as "department", or any column).

    >>> discover_map(log, "department").edges  # doctest: +SKIP
    """
    if level not in log.events:
        raise ValueError(f"the log has no column '{level}'")
    has_start = "start_timestamp" in log.events
    events = events_table(log, [level, *(["start_timestamp"] if has_start else [])])
    node = events[level].cast("string").fill_null(NO_VALUE)
    begin = events.start_timestamp.fill_null(events.timestamp) if has_start else events.timestamp
    window = case_window(events)
    steps = events.mutate(
        node=node,
        begin=begin,
        target=node.lead().over(window),
        target_begin=begin.lead().over(window),
        step=ibis.row_number().over(window),
    )
    pairs = steps.filter(steps.target.notnull())
    wait = seconds_between(pairs.timestamp, ibis.greatest(pairs.target_begin, pairs.timestamp))
    pairs = pairs.mutate(wait=wait)
    edges = pairs.group_by(source=pairs.node, target=pairs.target).aggregate(
        frequency=pairs.count(),
        cases=pairs.case_id.nunique(),
        wait_median_s=pairs.wait.quantile(0.5),
        wait_mean_s=pairs.wait.mean(),
        wait_p90_s=pairs.wait.quantile(0.9),
        wait_total_s=pairs.wait.sum(),
    )
    timed = steps.mutate(service=seconds_between(steps.begin, steps.timestamp))
    nodes = timed.group_by(name=timed.node).aggregate(
        events=timed.count(),
        cases=timed.case_id.nunique(),
        service_median_s=timed.service.quantile(0.5),
        service_mean_s=timed.service.mean(),
    )
    starts = steps.filter(steps.step == 0).group_by(name=steps.node).aggregate(cases=ibis._.count())
    ends = (
        steps.filter(steps.target.isnull())
        .group_by(name=steps.node)
        .aggregate(cases=ibis._.count())
    )
    nodes_frame = _sorted(execute(nodes), "events")
    if not has_start:
        nodes_frame[["service_median_s", "service_mean_s"]] = float("nan")
    return ProcessMap(
        level=level,
        nodes=nodes_frame,
        edges=_sorted(execute(edges), "frequency"),
        starts=_sorted(execute(starts), "cases"),
        ends=_sorted(execute(ends), "cases"),
    )


def _sorted(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    keys = [column for column in ("name", "source", "target") if column in frame]
    frame = frame.sort_values(keys).sort_values(by, ascending=False, kind="stable")
    return frame.reset_index(drop=True)
