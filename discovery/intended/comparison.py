"""The intended journey laid over the discovered map: which designed steps and transitions
cases take, which they never take, what they do that was not designed, and where they wait
longer than the norm."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.intended.conformance import waits_over_norm
from discovery.intended.model import IntendedJourney
from discovery.log.event_log import EventLog
from discovery.mining.maps import discover_map

START, END = "__start__", "__end__"


@dataclass(frozen=True)
class JourneyComparison:
    """`edges`: source, target (START / END for where cases begin and stop), designed,
    frequency (times taken), cases, status. `nodes`: name, designed, department (as
    designed), events, cases, norm_breaches (cases that waited longer than the norm before
    the step), status."""

    nodes: pd.DataFrame
    edges: pd.DataFrame

    def to_dict(self) -> dict[str, JSONValue]:
        return to_json_dict({"nodes": self.nodes, "edges": self.edges})


def compare_journey(log: EventLog, journey: IntendedJourney) -> JourneyComparison:
    """Designed transitions (the journey's directly-follows relation) against those taken."""
    taken = discover_map(log, "activity")
    allowed = journey.behaviour()
    designed = (
        set(allowed.edges) | {(START, a) for a in allowed.starts} | {(a, END) for a in allowed.ends}
    )
    frequencies = {
        (row.source, row.target): (int(row.frequency), int(row.cases))
        for row in taken.edges.itertuples()
    }
    frequencies |= {
        (START, r.name): (int(r.cases), int(r.cases)) for r in taken.starts.itertuples()
    }
    frequencies |= {(r.name, END): (int(r.cases), int(r.cases)) for r in taken.ends.itertuples()}
    rows = [
        {
            "source": source,
            "target": target,
            "designed": (source, target) in designed,
            "frequency": frequencies.get((source, target), (0, 0))[0],
            "cases": frequencies.get((source, target), (0, 0))[1],
        }
        for source, target in sorted(designed | set(frequencies))
    ]
    edges = pd.DataFrame(rows, columns=["source", "target", "designed", "frequency", "cases"])
    edges["status"] = _status(edges["designed"], edges["frequency"] > 0)
    edges = edges.sort_values("frequency", ascending=False, kind="stable").reset_index(drop=True)
    return JourneyComparison(nodes=_nodes(log, journey, taken.nodes), edges=edges)


def _nodes(log: EventLog, journey: IntendedJourney, taken: pd.DataFrame) -> pd.DataFrame:
    counts = taken.set_index("name")[["events", "cases"]]
    names = list(journey.activities) + sorted(set(counts.index) - set(journey.activities))
    breaches = waits_over_norm(log, journey)
    # a norm between two steps ("A → B") is broken at its second step
    step = breaches["step"].str.split(" → ").str[-1]
    over = breaches.groupby(step)["case_id"].nunique() if len(breaches) else pd.Series()
    nodes = pd.DataFrame({"name": names})
    nodes["designed"] = nodes["name"].isin(journey.activities)
    nodes["department"] = nodes["name"].map(journey.departments)
    nodes["events"] = nodes["name"].map(counts["events"]).fillna(0).astype("int64")
    nodes["cases"] = nodes["name"].map(counts["cases"]).fillna(0).astype("int64")
    nodes["norm_breaches"] = nodes["name"].map(over).fillna(0).astype("int64")
    nodes["status"] = _status(nodes["designed"], nodes["events"] > 0)
    return nodes


def _status(designed: pd.Series, taken: pd.Series) -> pd.Series:
    return pd.Series(
        [
            "designed and taken"
            if d and t
            else "designed, never taken"
            if d
            else "taken, not designed"
            for d, t in zip(designed, taken, strict=True)
        ],
        index=designed.index,
        dtype="object",
    )
