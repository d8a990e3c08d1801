"""Process maps (directly-follows graphs) at any level: activity, department, resource, channel."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.engine.in_place import InPlaceLog
from discovery.log.event_log import EventLog
from discovery.log.schema import NO_VALUE
from discovery.mining._map_arrays import MapEvents
from discovery.mining.in_place.maps import map_in_place

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


def discover_map(log: EventLog | InPlaceLog, level: str = "activity") -> ProcessMap:
    """The directly-follows graph of `level` (a role such as "department", or any column).

    >>> discover_map(log, "department").edges  # doctest: +SKIP
    """
    if isinstance(log, InPlaceLog):
        return ProcessMap(level, *map_in_place(log, level))
    found, rows = MapEvents.of(log, level)
    names, size = found.events.names, len(found.events.names)
    codes, first, pair = found.events.codes, found.events.first, found.pair
    waits, service, kept_case = found.waits, found.service, None
    if rows is not None:  # a filter of whole cases: its rows of the events found
        kept_case = rows[found.events.bounds_first]
        waits = waits.subset(kept_case)
        service = None if service is None else service.subset(kept_case)
        codes, first, pair = codes[rows], first[rows], pair[rows]
    # nodes: events, cases, starts, and the service times where the log has start times
    node_events = np.bincount(codes, minlength=size)
    present = np.flatnonzero(node_events)
    nodes = pd.DataFrame(
        {
            "name": _text(names, present),
            "events": node_events[present],
            "cases": found.node_cases.cases(kept_case)[present],
            "starts": np.bincount(codes[first], minlength=size)[present],
        }
    )
    if service is None:
        nodes[["service_median_s", "service_mean_s"]] = float("nan")
    else:
        nodes["service_median_s"] = service.quantile(0.5)[present]
        nodes["service_mean_s"] = service.mean()[present]
    # (node, next node) pairs; `size` as the next node marks a case's end
    frequency = np.bincount(pair, minlength=len(found.pair_nodes))
    pairs = np.flatnonzero(frequency)
    source, target = np.divmod(found.pair_nodes[pairs], size + 1)
    last = target == size
    edge, end = pairs[~last], pairs[last]
    edges = pd.DataFrame(
        {
            "source": _text(names, source[~last]),
            "target": _text(names, target[~last]),
            "frequency": frequency[edge],
            "cases": found.pair_cases.cases(kept_case)[edge],
            "wait_median_s": waits.quantile(0.5)[edge],
            "wait_mean_s": waits.mean()[edge],
            "wait_p90_s": waits.quantile(0.9)[edge],
            "wait_total_s": waits.total()[edge],
        }
    )
    ends = pd.DataFrame({"name": _text(names, source[last]), "cases": frequency[end]})
    starts = nodes.loc[nodes["starts"] > 0, ["name", "starts"]].rename(columns={"starts": "cases"})
    return ProcessMap(
        level=level,
        nodes=_sorted(nodes.drop(columns="starts"), "events"),
        edges=_sorted(edges, "frequency"),
        starts=_sorted(starts, "cases"),
        ends=_sorted(ends, "cases"),
    )


def _text(names: list[str], codes: np.ndarray) -> pd.Series:
    return pd.Series([names[code] for code in codes.tolist()], dtype="str")


def _sorted(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    keys = [column for column in ("name", "source", "target") if column in frame]
    frame = frame.sort_values(keys).sort_values(by, ascending=False, kind="stable")
    return frame.reset_index(drop=True)
