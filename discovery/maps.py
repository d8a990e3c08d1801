"""Process maps (directly-follows graphs) at any level: activity, department, resource, channel."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from discovery.engine import NO_VALUE, execute, seconds_between, source, steps
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
    # One pass: (node, next node) pairs with their waits; a missing next node marks the
    # case's end.
    pairs = execute(
        table.group_by(source=table.node, target=table.target).aggregate(
            frequency=table.count(),
            cases=table.case_index.nunique(),
            wait_median_s=table.wait_after.quantile(0.5),
            wait_mean_s=table.wait_after.mean(),
            wait_p90_s=table.wait_after.quantile(0.9),
            wait_total_s=table.wait_after.sum(),
        )
    )
    events = source(log, level)
    service = seconds_between(events.begin, events.timestamp)
    measures = {"events": events.count(), "cases": events.case_index.nunique()}
    measures["starts"] = events["first"].cast("int64").sum()
    if log.has("start_timestamp"):
        measures["service_median_s"] = service.quantile(0.5)
        measures["service_mean_s"] = service.mean()
    nodes = execute(events.group_by(name=events[level]).aggregate(**measures))
    if not log.has("start_timestamp"):
        nodes[["service_median_s", "service_mean_s"]] = float("nan")
    last = pairs["target"].isna()
    edges = pairs[~last]
    ends = pairs.loc[last, ["source", "frequency"]].set_axis(["name", "cases"], axis=1)
    starts = nodes.loc[nodes["starts"] > 0, ["name", "starts"]].rename(columns={"starts": "cases"})
    nodes = nodes.drop(columns="starts")
    return ProcessMap(
        level=level,
        nodes=_sorted(nodes, "events"),
        edges=_sorted(edges, "frequency"),
        starts=_sorted(starts, "cases"),
        ends=_sorted(ends, "cases"),
    )


def _sorted(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    keys = [column for column in ("name", "source", "target") if column in frame]
    frame = frame.sort_values(keys).sort_values(by, ascending=False, kind="stable")
    return frame.reset_index(drop=True)
