"""Bottlenecks: transitions and activities ranked by the total waiting they add."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.engine import CaseCodes, cases_per_key, execute, steps
from discovery.engine.in_place import InPlaceLog
from discovery.log.event_log import EventLog, usual_departments
from discovery.mining.findings import activity_bottleneck_message, edge_bottleneck_message
from discovery.mining.in_place.bottlenecks import bottlenecks_in_place
from discovery.mining.maps import ProcessMap, discover_map
from discovery.words import Language, Message


@dataclass(frozen=True)
class Bottlenecks:
    """`edges`: source, target, source_department, target_department, frequency, cases,
    wait_median_s, wait_mean_s, wait_total_s, share (of all waiting), ranked by wait_total_s.
    `activities`: activity, department, events, cases, wait_median_s, wait_total_s, share —
    the waiting before each activity, ranked the same way."""

    edges: pd.DataFrame
    activities: pd.DataFrame

    def messages(self, top: int = 5) -> list[Message]:
        """The top edges, one message each (`discovery.words.say` puts it in words)."""
        return [
            edge_bottleneck_message(
                row.source, row.target, row.source_department, row.target_department,
                row.wait_median_s, int(row.cases), row.share,
            )
            for row in self.edges.head(top).itertuples()
        ]  # fmt: skip

    def activity_messages(self, top: int = 5) -> list[Message]:
        """The top activities by the waiting before them, one message each."""
        return [
            activity_bottleneck_message(
                row.activity, row.department, row.wait_median_s, int(row.cases), row.share
            )
            for row in self.activities.head(top).itertuples()
        ]

    def to_dict(self, language: Language = "en") -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`): every edge and activity, each with its message
        said in `language` as its `sentence`."""
        edges = self.edges.assign(message=self.messages(len(self.edges)))
        activities = self.activities.assign(message=self.activity_messages(len(self.activities)))
        return to_json_dict({"edges": edges, "activities": activities}, language)


def find_bottlenecks(
    log: EventLog | InPlaceLog, activity_map: ProcessMap | None = None
) -> Bottlenecks:
    """Rank transitions and activities by total waiting (cases × wait).

    Pass the log's activity map where it is already computed, to save computing it again.
    """
    if activity_map is None or activity_map.level != "activity":
        activity_map = discover_map(log, "activity")
    if isinstance(log, InPlaceLog):
        return Bottlenecks(*bottlenecks_in_place(log, activity_map.edges))
    edges = activity_map.edges.copy()
    total = edges["wait_total_s"].sum()
    edges["share"] = edges["wait_total_s"] / total if total else 0.0
    home = usual_departments(log)
    edges.insert(2, "source_department", edges["source"].map(home))
    edges.insert(3, "target_department", edges["target"].map(home))
    edges = edges.drop(columns=["wait_p90_s"])
    edges = edges.sort_values(["source", "target"]).sort_values(
        "wait_total_s", ascending=False, kind="stable"
    )
    return Bottlenecks(edges.reset_index(drop=True), _activity_waits(log, home))


def _activity_waits(log: EventLog, home: dict[str, str]) -> pd.DataFrame:
    """The wait before each activity's events that follow another event in their case."""
    table = steps(log, "activity")
    waits = table.filter(table.wait_before.notnull())
    table = execute(
        waits.group_by(activity=waits.node).aggregate(
            events=waits.count(),
            wait_median_s=waits.wait_before.quantile(0.5),
            # summed exactly in whole microseconds (each wait is whole microseconds / 10^6)
            wait_total_us=(waits.wait_before * 1_000_000).round().cast("int64").sum(),
        )
    )
    table["wait_total_s"] = table.pop("wait_total_us").astype("float64") / 1_000_000
    events = CaseCodes.of(log, "activity")
    later = ~events.first  # the events with a wait before them
    cases = cases_per_key(events.case[later], events.codes[later], len(events.names))
    table.insert(
        2, "cases", table["activity"].map(dict(zip(events.names, cases.tolist(), strict=True)))
    )
    total = table["wait_total_s"].sum()
    table["share"] = table["wait_total_s"] / total if total else 0.0
    table.insert(1, "department", table["activity"].map(home))
    table = table.sort_values("activity").sort_values(
        "wait_total_s", ascending=False, kind="stable"
    )
    return table.reset_index(drop=True)
