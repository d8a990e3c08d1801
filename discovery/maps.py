"""Process maps (directly-follows graphs) at any level: activity, department, resource, channel."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from discovery.engine import NO_VALUE, execute, seconds_between, steps
from discovery.log import EventLog

__all__ = ["NO_VALUE", "ProcessMap", "discover_map"]


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
    table = steps(log, level)
    pairs = table.filter(table.target.notnull())
    edges = pairs.group_by(source=pairs.node, target=pairs.target).aggregate(
        frequency=pairs.count(),
        cases=pairs.case_index.nunique(),
        wait_median_s=pairs.wait_after.quantile(0.5),
        wait_mean_s=pairs.wait_after.mean(),
        wait_p90_s=pairs.wait_after.quantile(0.9),
        wait_total_s=pairs.wait_after.sum(),
    )
    service = seconds_between(table.begin, table.timestamp)
    nodes = table.group_by(name=table.node).aggregate(
        events=table.count(),
        cases=table.case_index.nunique(),
        service_median_s=service.quantile(0.5),
        service_mean_s=service.mean(),
    )
    firsts, lasts = table.filter(table.step == 0), table.filter(table.target.isnull())
    starts = firsts.group_by(name=firsts.node).aggregate(cases=firsts.count())
    ends = lasts.group_by(name=lasts.node).aggregate(cases=lasts.count())
    nodes_frame = _sorted(execute(nodes), "events")
    if "start_timestamp" not in log.events:
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
