"""The map of a log in place on the events of some nodes alone: the activities slider of
`discovery.mining.simplify`, where the log lives."""

from __future__ import annotations

import dataclasses

from discovery.engine.in_place import InPlaceLog
from discovery.log.schema import NO_VALUE
from discovery.mining.maps import ProcessMap, discover_map


def map_of_nodes_in_place(log: InPlaceLog, level: str, kept: list[str]) -> ProcessMap:
    """The map of `level` recomputed where the log lives on the events at the nodes `kept`;
    an event without a value at `level` is at node "(none)", as on the map."""
    events = log.events
    node = events[level].fill_null(NO_VALUE) if level != "activity" else events.activity
    return discover_map(dataclasses.replace(log, events=events.filter(node.isin(kept))), level)
