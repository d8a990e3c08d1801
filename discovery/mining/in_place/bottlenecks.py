"""Bottlenecks in place: the map's edges ranked by total waiting, and the waits before each
activity, computed where the log lives."""

from __future__ import annotations

import pandas as pd

from discovery.engine.in_place import InPlaceLog, prepared_in_place, run_in_place
from discovery.mining.in_place._frames import as_float, as_int, as_text, ranked
from discovery.mining.in_place._quantiles import order_statistics, ranked_by, with_quantiles


def bottlenecks_in_place(log: InPlaceLog, edges: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The edges and activities of `Bottlenecks`, from the activity map's `edges`."""
    edges = edges.copy()
    total = edges["wait_total_s"].sum()
    edges["share"] = edges["wait_total_s"] / total if total else 0.0
    home = usual_departments_in_place(log)
    edges.insert(2, "source_department", edges["source"].map(home))
    edges.insert(3, "target_department", edges["target"].map(home))
    edges = edges.drop(columns=["wait_p90_s"])
    edges = edges.sort_values(["source", "target"]).sort_values(
        "wait_total_s", ascending=False, kind="stable"
    )
    return edges.reset_index(drop=True), _activity_waits(log, home)


def usual_departments_in_place(log: InPlaceLog) -> dict[str, str]:
    """Each activity's most frequent department (ties: the first by name), as
    `usual_departments` finds it."""
    if not log.has("department"):
        return {}
    events = log.events.filter(log.events.department.notnull())
    counts = run_in_place(
        events.group_by(["activity", "department"]).aggregate(count=events.count())
    )
    counts = as_text(counts, ["activity", "department"])
    counts = counts.sort_values(["activity", "department"]).sort_values(
        "count", ascending=False, kind="stable"
    )
    first = counts.drop_duplicates("activity")
    return dict(zip(first["activity"], first["department"], strict=True))


def _activity_waits(log: InPlaceLog, home: dict[str, str]) -> pd.DataFrame:
    """The wait before each activity's events that follow another event in their case: its
    median (`with_quantiles`) and its total, summed in whole microseconds."""
    events = prepared_in_place(log, "activity")
    waits = events.filter(events.wait_before.notnull())
    backend = log.place.backend
    waits = waits.select("case_id", "activity", "wait_before_us")
    waits = ranked_by(waits, ["activity"], "wait_before_us", backend)
    median = {"wait_median_s": 0.5}
    table = run_in_place(
        waits.group_by("activity").aggregate(
            events=waits.count(),
            cases=waits.case_id.nunique(),
            wait_total_us=waits.wait_before_us.sum(),
            **order_statistics(waits, "wait_before_us", median, backend),
        )
    )
    table = with_quantiles(table, median)
    table["wait_total_s"] = table.pop("wait_total_us").astype("float64") / 1_000_000
    table = as_float(as_int(as_text(table, ["activity"]), ["events", "cases"]),
                     ["wait_median_s", "wait_total_s"])  # fmt: skip
    total = table["wait_total_s"].sum()
    table["share"] = table["wait_total_s"] / total if total else 0.0
    table.insert(1, "department", table["activity"].map(home))
    return ranked(table.sort_values("activity"), "wait_total_s", ["activity"])
