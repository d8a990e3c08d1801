"""The first look at a log in place: the figures of `LogSummary` counted where the log
lives, by two queries (one over the events, one over a row per case).

>>> summarize(log).cases  # a log in place: summary_in_place  # doctest: +SKIP
1500
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from discovery.engine.in_place import InPlaceLog, run_in_place
from discovery.mining._map_arrays import interpolated
from discovery.mining.in_place._quantiles import (
    order_statistics,
    ranked_by,
    whole_median,
    with_quantiles,
)
from discovery.mining.in_place.choices import ROLES


def summary_in_place(log: InPlaceLog) -> dict[str, Any]:
    """The fields of `LogSummary` but its source and roles, by `summarize`'s definitions: a
    case's duration from its first to its last timestamp, medians by linear interpolation,
    the period from the first start or timestamp to the last timestamp, departments and
    resources without empty values, case attributes the user's columns that never change
    within a case. The medians equal pandas' to the last bit: interpolated here from the
    middle values found there (`with_quantiles`)."""
    events = log.events
    others = [column for column in events.columns if column not in ROLES]
    figures = {
        "events": events.count(),
        "cases": events.case_id.nunique(),
        "activities": events.activity.nunique(),
        "first": events.timestamp.min(),
        "last": events.timestamp.max(),
        **{f"{n}s": events[n].nunique() for n in ("department", "resource") if log.has(n)},
        **({"first_start": events.start_timestamp.min()} if log.has("start_timestamp") else {}),
    }
    totals = run_in_place(events.aggregate(**figures)).iloc[0]
    per_case = events.group_by("case_id").aggregate(
        events=events.count(),
        duration_us=events.timestamp.max().delta(events.timestamp.min(), unit="microsecond"),
        **{f"_{n}": events[c].nunique() for n, c in enumerate(others)},
    )
    backend = log.place.backend
    per_case = ranked_by(per_case, [], "events", backend, place="_events_place")
    per_case = ranked_by(per_case, [], "duration_us", backend)
    middles = {  # one `_size`, the same for both
        **order_statistics(per_case, "events", {"events": 0.5}, backend, place="_events_place"),
        **order_statistics(per_case, "duration_us", {"duration_s": 0.5}, backend),
    }
    found = run_in_place(
        per_case.aggregate(
            **middles, **{f"_{n}": per_case[f"_{n}"].max() for n in range(len(others))}
        )
    )
    formulas = {"events": whole_median, "duration_s": interpolated}
    middle = with_quantiles(found, {"events": 0.5, "duration_s": 0.5}, formulas).iloc[0]
    constant = [c for n, c in enumerate(others) if int(middle[f"_{n}"] or 0) <= 1]
    first = totals["first"]
    start = totals.get("first_start")
    if start is not None and not pd.isna(start):
        first = min(first, start)
    return {
        "events": int(totals["events"]),
        "cases": int(totals["cases"]),
        "activities": int(totals["activities"]),
        "departments": int(totals.get("departments", 0)),
        "resources": int(totals.get("resources", 0)),
        "first_event": _utc(first),
        "last_event": _utc(totals["last"]),
        "median_events_per_case": float(middle["events"]),
        "median_case_duration_s": float(middle["duration_s"]),
        "case_attributes": tuple(constant),
        "event_attributes": tuple(c for c in others if c not in constant),
    }


def _utc(value: object) -> pd.Timestamp:
    moment = pd.Timestamp(value)
    return moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
