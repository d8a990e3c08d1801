"""A process map made readable, for a log here or in place: the activities and paths
sliders of `discovery.mining.simplify`, where the map on the most frequent nodes alone is
computed where the log lives (its events at those nodes, still in place).

>>> activities, paths = readable_detail_anywhere(log, "activity")  # doctest: +SKIP
>>> simplify_map_anywhere(log, "activity", activities, paths)  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import math

from discovery.engine.in_place import InPlaceLog
from discovery.log.event_log import EventLog
from discovery.log.schema import NO_VALUE
from discovery.mining.maps import ProcessMap, discover_map
from discovery.mining.simplify import (
    READABLE_EDGES,
    READABLE_NODES,
    _prune_edges,
    readable_detail,
    simplify_map,
)


def simplify_map_anywhere(
    log: EventLog | InPlaceLog,
    level: str = "activity",
    activities: float = 1.0,
    paths: float = 1.0,
    *,
    full: ProcessMap | None = None,
) -> ProcessMap:
    """`simplify_map` for a log here or in place: the top `activities` share of nodes (the
    map recomputed on their events alone) and `paths` share of edges (kept connected)."""
    if not isinstance(log, InPlaceLog):
        return simplify_map(log, level, activities, paths, full=full)
    if full is None or full.level != level:
        full = discover_map(log, level)
    if activities >= 1 and paths >= 1:
        return full
    reduced = _top_nodes(log, full, activities)
    return dataclasses.replace(reduced, edges=_prune_edges(reduced, paths))


def readable_detail_anywhere(
    log: EventLog | InPlaceLog, level: str = "activity", *, full: ProcessMap | None = None
) -> tuple[float, float]:
    """`readable_detail` for a log here or in place: slider positions that open a large
    map readably (about 20 nodes and 40 edges)."""
    if not isinstance(log, InPlaceLog):
        return readable_detail(log, level, full=full)
    if full is None or full.level != level:
        full = discover_map(log, level)
    activities = min(1.0, READABLE_NODES / max(len(full.nodes), 1))
    reduced = _top_nodes(log, full, activities)
    paths = min(1.0, READABLE_EDGES / max(len(reduced.edges), 1))
    return activities, paths


def _top_nodes(log: InPlaceLog, full: ProcessMap, activities: float) -> ProcessMap:
    """The map recomputed where the log lives on the events of its most frequent nodes (at
    least one); an event without a value at `level` is at node "(none)", as on the map."""
    keep = max(1, math.ceil(activities * len(full.nodes)))
    if keep >= len(full.nodes):
        return full
    kept = [str(name) for name in full.nodes["name"].head(keep)]
    events = log.events
    node = events[full.level].fill_null(NO_VALUE) if full.level != "activity" else events.activity
    reduced = dataclasses.replace(log, events=events.filter(node.isin(kept)))
    return discover_map(reduced, full.level)
