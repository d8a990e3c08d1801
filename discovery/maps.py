"""Process maps (directly-follows graphs) at any level: activity, department, resource, channel."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from discovery.engine import NO_VALUE, execute, materialized, seconds_between, steps
from discovery.log import EventLog

__all__ = ["NO_VALUE", "ProcessMap", "discover_map"]


@dataclass(frozen=True)
class ProcessMap:
    """Nodes, directly-follows edges with their waits, and where cases start and end.

    `nodes`: name, events, cases, service_median_s, service_mean_s (service times only
    where the log has start times), and the wait before the node's events (those that
    follow another event in their case): waited_events, waited_cases,
    wait_before_median_s, wait_before_total_s. `edges`: source, target, frequency (pairs), cases,
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
    has_start = "start_timestamp" in log.events
    table = steps(log, level)
    table = table.select(
        "case_index", "first", "node", "target", "wait_before", "wait_after",
        service=seconds_between(table.begin, table.timestamp),
    )  # fmt: skip
    # The window runs once; pairs (a missing next node marks the case's end) and nodes
    # are then two groupings of its result.
    with materialized(table) as events:
        pairs = execute(
            events.group_by(source=events.node, target=events.target).aggregate(
                frequency=events.count(),
                cases=events.case_index.nunique(),
                wait_median_s=events.wait_after.quantile(0.5),
                wait_mean_s=events.wait_after.mean(),
                wait_p90_s=events.wait_after.quantile(0.9),
                wait_total_s=events.wait_after.sum(),
            )
        )
        waited = events.wait_before.notnull()
        measures = {
            "events": events.count(),
            "cases": events.case_index.nunique(),
            "starts": events["first"].cast("int64").sum(),
            "waited_events": waited.cast("int64").sum(),
            "waited_cases": events.case_index.nunique(where=waited),
            "wait_before_median_s": events.wait_before.quantile(0.5),
            "wait_before_total_s": events.wait_before.sum(),
        }
        if has_start:
            measures["service_median_s"] = events.service.quantile(0.5)
            measures["service_mean_s"] = events.service.mean()
        nodes = execute(events.group_by(name=events.node).aggregate(**measures))
    if not has_start:
        nodes[["service_median_s", "service_mean_s"]] = float("nan")
    last = pairs["target"].isna()
    edges = pairs[~last]
    ends = pairs.loc[last, ["source", "frequency"]].set_axis(["name", "cases"], axis=1)
    starts = nodes.loc[nodes["starts"] > 0, ["name", "starts"]].rename(columns={"starts": "cases"})
    nodes = nodes[NODE_COLUMNS]
    return ProcessMap(
        level=level,
        nodes=_sorted(nodes, "events"),
        edges=_sorted(edges, "frequency"),
        starts=_sorted(starts, "cases"),
        ends=_sorted(ends, "cases"),
    )


NODE_COLUMNS = [
    "name", "events", "cases", "service_median_s", "service_mean_s",
    "waited_events", "waited_cases", "wait_before_median_s", "wait_before_total_s",
]  # fmt: skip


def _sorted(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    keys = [column for column in ("name", "source", "target") if column in frame]
    frame = frame.sort_values(keys).sort_values(by, ascending=False, kind="stable")
    return frame.reset_index(drop=True)
