"""Identical events of a log in place, counted where it lives (a report's provenance and
data-quality part say how many)."""

from __future__ import annotations

from discovery.engine.in_place import InPlaceLog, run_in_place


def identical_in_place(log: InPlaceLog) -> int:
    """Events identical in every column to another event of the log (each beyond the
    first of its kind): all events less the distinct ones, by one query."""
    events = log.events
    distinct = events.distinct()
    found = run_in_place(
        events.aggregate(all=events.count()).cross_join(
            distinct.aggregate(distinct=distinct.count())
        )
    ).iloc[0]
    return int(found["all"]) - int(found["distinct"])
