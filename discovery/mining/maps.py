"""Process maps (directly-follows graphs) at any level: activity, department, resource, channel."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.engine import (
    CaseCodes,
    distinct_pairs,
    execute,
    seconds_between,
    source,
    steps,
)
from discovery.log.event_log import EventLog
from discovery.log.schema import NO_VALUE

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

    def to_dict(self) -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`): level, nodes, edges, start and end (name → cases)."""
        return to_json_dict(
            {
                "level": self.level,
                "nodes": self.nodes,
                "edges": self.edges,
                "start": dict(zip(self.starts["name"], self.starts["cases"], strict=True)),
                "end": dict(zip(self.ends["name"], self.ends["cases"], strict=True)),
            }
        )


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
            wait_median_s=table.wait_after.quantile(0.5),
            wait_mean_s=table.wait_after.mean(),
            wait_p90_s=table.wait_after.quantile(0.9),
            wait_total_s=table.wait_after.sum(),
        )
    )
    events = source(log, level)
    service = seconds_between(events.begin, events.timestamp)
    measures = {"events": events.count()}
    measures["starts"] = events["first"].cast("int64").sum()
    if log.has("start_timestamp"):
        measures["service_median_s"] = service.quantile(0.5)
        measures["service_mean_s"] = service.mean()
    nodes = execute(events.group_by(name=events[level]).aggregate(**measures))
    node_cases, pair_cases = _case_counts(log, level)
    nodes.insert(2, "cases", nodes["name"].map(node_cases).astype("int64"))
    keys = zip(pairs["source"], pairs["target"].fillna(NO_PAIR), strict=True)
    pairs.insert(3, "cases", [pair_cases[key] for key in keys])
    pairs["cases"] = pairs["cases"].astype("int64")
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


NO_PAIR = ""  # the target of a case's last event, in `_case_counts`


def _case_counts(log: EventLog, level: str) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """How many cases have each node, and each (node, next node) pair (next node `NO_PAIR`
    at a case's end)."""
    events = CaseCodes.of(log, level)
    names, codes = events.names, events.codes.astype(np.int64)  # len(names) may not fit
    node_cases = np.bincount(distinct_pairs(events.case, codes)[1], minlength=len(names))
    ends = np.zeros(len(codes), dtype=bool)
    ends[events.bounds[1:] - 1] = True
    following = np.where(ends, len(names), np.roll(codes, -1))  # len(names): no next node
    pair_ids, pairs = pd.factorize(codes * (len(names) + 1) + following)
    pair_cases = np.bincount(distinct_pairs(events.case, pair_ids)[1], minlength=len(pairs))
    labels = [*names, NO_PAIR]
    return (
        dict(zip(names, node_cases.tolist(), strict=True)),
        {
            (labels[pair // (len(names) + 1)], labels[pair % (len(names) + 1)]): int(count)
            for pair, count in zip(pairs.tolist(), pair_cases, strict=True)
        },
    )


def _sorted(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    keys = [column for column in ("name", "source", "target") if column in frame]
    frame = frame.sort_values(keys).sort_values(by, ascending=False, kind="stable")
    return frame.reset_index(drop=True)
