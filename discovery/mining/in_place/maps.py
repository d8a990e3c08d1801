"""A process map in place: nodes, edges with their waits, starts and ends, by one query each."""

from __future__ import annotations

import pandas as pd

from discovery.engine.in_place import InPlaceLog, prepared_in_place, run_in_place
from discovery.mining.in_place._frames import as_float, as_int, as_text, ranked
from discovery.mining.in_place._quantiles import order_statistics, ranked_by, with_quantiles

MapFrames = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]


def map_in_place(log: InPlaceLog, level: str = "activity") -> MapFrames:
    """The nodes, edges, starts and ends of `discover_map` (`ProcessMap`'s columns), computed
    where the log lives by two queries (nodes with their starts and ends, and edges): service
    and wait totals and means summed in whole microseconds, medians and P90s interpolated
    here from the order statistics that come back (`with_quantiles`)."""
    events = prepared_in_place(log, level)
    events = events.select(  # only what is counted: a window carries every column it is given
        "case_id",
        "first",
        "last",
        name=events[level],
        service_us=events.timestamp.delta(events.begin, unit="microsecond"),
    )
    timed, backend = log.has("start_timestamp"), log.place.backend
    service = {"service_median_s": 0.5} if timed else {}
    if timed:
        events = ranked_by(events, ["name"], "service_us", backend)
    nodes = run_in_place(
        events.group_by("name").aggregate(
            events=events.count(),
            cases=events.case_id.nunique(),
            starts=events.first.sum(),
            ends=events.last.sum(),
            service_total_us=events.service_us.sum(),
            **(order_statistics(events, "service_us", service, backend) if timed else {}),
        )
    )
    if timed:
        nodes = with_quantiles(nodes, service)
        nodes["service_mean_s"] = nodes.pop("service_total_us").astype("float64") / 1_000_000
        nodes["service_mean_s"] /= nodes["events"]
    else:
        nodes = nodes.drop(columns="service_total_us")
        nodes[["service_median_s", "service_mean_s"]] = float("nan")
    nodes = as_int(as_text(nodes, ["name"]), ["events", "cases", "starts", "ends"])
    followed = prepared_in_place(log, level)
    followed = followed.filter(followed[f"next_{level}"].notnull())
    followed = followed.select(
        "case_id", "wait_after_us", source=followed[level], target=followed[f"next_{level}"]
    )
    followed = ranked_by(followed, ["source", "target"], "wait_after_us", backend)
    waits = {"wait_median_s": 0.5, "wait_p90_s": 0.9}
    edges = run_in_place(
        followed.group_by(["source", "target"]).aggregate(
            frequency=followed.count(),
            cases=followed.case_id.nunique(),
            wait_total_us=followed.wait_after_us.sum(),
            **order_statistics(followed, "wait_after_us", waits, backend),
        )
    )
    edges = with_quantiles(edges, waits)
    total = edges.pop("wait_total_us").astype("float64") / 1_000_000
    edges.insert(5, "wait_mean_s", total / edges["frequency"])
    edges["wait_total_s"] = total
    edges = as_float(as_int(as_text(edges, ["source", "target"]), ["frequency", "cases"]),
                     ["wait_median_s", "wait_mean_s", "wait_p90_s", "wait_total_s"])  # fmt: skip
    starts = nodes.loc[nodes["starts"] > 0, ["name", "starts"]].rename(columns={"starts": "cases"})
    ends = nodes.loc[nodes["ends"] > 0, ["name", "ends"]].rename(columns={"ends": "cases"})
    return (
        ranked(nodes.drop(columns=["starts", "ends"]), "events", ["name"]),
        ranked(edges, "frequency", ["source", "target"]),
        ranked(starts, "cases", ["name"]),
        ranked(ends, "cases", ["name"]),
    )
