"""Simplifying a process map the way Disco users know: an activities slider and a paths slider.

The activities slider keeps the most frequent nodes and recomputes the map on the events of
those nodes alone, so flows around a removed node are joined up as they happened. The paths
slider keeps the most frequent edges, then adds back the strongest edges needed so that every
node stays reachable from a start node and can reach an end node.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from discovery.engine import CaseCodes, forget
from discovery.engine.in_place import InPlaceLog
from discovery.log.event_log import EventLog, FilteredLog
from discovery.mining.in_place.simplify import map_of_nodes_in_place
from discovery.mining.maps import ProcessMap, discover_map

READABLE_NODES = 20
READABLE_EDGES = 40


def simplify_map(
    log: EventLog | InPlaceLog,
    level: str = "activity",
    activities: float = 1.0,
    paths: float = 1.0,
    *,
    full: ProcessMap | None = None,
) -> ProcessMap:
    """The map of `level` with the top `activities` share of nodes and `paths` share of edges.

    Both are fractions in [0, 1]; at least one node is always kept. `full` is the log's map
    of `level` where it is already at hand (it is computed otherwise); at full detail
    (both at 1) it is the map returned.
    """
    if full is None or full.level != level:
        full = discover_map(log, level)
    if activities >= 1 and paths >= 1:
        return full
    reduced = _top_nodes(log, full, activities)
    return dataclasses.replace(reduced, edges=_prune_edges(reduced, paths))


def readable_detail(
    log: EventLog | InPlaceLog, level: str = "activity", *, full: ProcessMap | None = None
) -> tuple[float, float]:
    """Slider positions that open a large map readably: about 20 nodes and 40 edges.
    `full` is the log's map of `level` where it is already at hand."""
    if full is None or full.level != level:
        full = discover_map(log, level)
    activities = min(1.0, READABLE_NODES / max(len(full.nodes), 1))
    reduced = _top_nodes(log, full, activities)
    paths = min(1.0, READABLE_EDGES / max(len(reduced.edges), 1))
    return activities, paths


def _top_nodes(log: EventLog | InPlaceLog, full: ProcessMap, activities: float) -> ProcessMap:
    """The map recomputed on the events of its most frequent nodes (at least one); in
    place, where the log lives."""
    keep = max(1, math.ceil(activities * len(full.nodes)))
    if keep >= len(full.nodes):
        return full
    if isinstance(log, InPlaceLog):
        return map_of_nodes_in_place(log, full.level, [str(n) for n in full.nodes["name"][:keep]])
    kept = set(full.nodes["name"].head(keep))
    events = CaseCodes.of(log, full.level)
    wanted = [code for code, name in enumerate(events.names) if name in kept]
    reduced = FilteredLog(log, np.isin(events.codes, wanted), whole_cases=False)
    try:
        return discover_map(reduced, full.level)
    finally:
        forget(reduced)  # a copy of the kept events, needed for this map only


def _prune_edges(process_map: ProcessMap, paths: float) -> pd.DataFrame:
    edges = process_map.edges
    if edges.empty or paths >= 1.0:
        return edges
    ranked = edges.reset_index(drop=True)
    chosen = set(range(math.ceil(paths * len(ranked))))
    starts, ends = set(process_map.starts["name"]), set(process_map.ends["name"])
    nodes = list(process_map.nodes["name"])
    _repair(ranked, chosen, nodes, starts, forward=True)
    _repair(ranked, chosen, nodes, ends, forward=False)
    return ranked.loc[sorted(chosen)].reset_index(drop=True)


def _repair(
    edges: pd.DataFrame, chosen: set[int], nodes: list[str], anchors: set[str], forward: bool
) -> None:
    """Add the most frequent edges that connect every node to `anchors` (starts or ends)."""
    near, far = ("source", "target") if forward else ("target", "source")
    while True:
        connected = _connected(edges, chosen, anchors, near, far)
        missing = [node for node in nodes if node not in connected]
        if not missing:
            return
        added = False
        for node in missing:
            options = edges[(edges[far] == node) & edges[near].isin(connected)]
            if not options.empty:
                chosen.add(int(options.index[0]))
                added = True
                break
        if not added:
            return


def _connected(
    edges: pd.DataFrame, chosen: set[int], anchors: set[str], near: str, far: str
) -> set[str]:
    kept = edges.loc[sorted(chosen)]
    following: dict[str, list[str]] = {}
    for a, b in zip(kept[near], kept[far], strict=True):
        following.setdefault(a, []).append(b)
    seen, stack = set(anchors), list(anchors)
    while stack:
        for nxt in following.get(stack.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
