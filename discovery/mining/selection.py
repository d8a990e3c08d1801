"""The cases behind a part of a process map: those through a node, along a path, or in one variant.

>>> cases_at_node(log, "department", "Radiologie")  # doctest: +SKIP
>>> cases_on_edge(log, "activity", "Triage", "Röntgenfoto")  # doctest: +SKIP
>>> apply_filters(log, [ExactVariant(("Aanmelding", "Triage", "Ontslag"))])  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from discovery.engine import execute, steps
from discovery.log.event_log import EventLog
from discovery.mining.variants import case_variants
from discovery.words import Message, message

__all__ = ["ExactVariant", "cases_at_node", "cases_on_edge"]


def cases_at_node(log: EventLog, level: str, node: str) -> pd.DataFrame:
    """Cases with an event at `node` of the `level` map ("(none)" for events without a value):
    case_id, events (at the node), wait_before_s (their total wait before the node's events),
    most waiting first, then by case id."""
    table = steps(log, level)
    hits = table.filter(table.node == node)
    frame = execute(
        hits.group_by(hits.case_id).aggregate(
            events=hits.count(), wait_before_s=hits.wait_before.sum().fill_null(0)
        )
    )
    return _ranked(frame, "wait_before_s")


def cases_on_edge(log: EventLog, level: str, source: str, target: str) -> pd.DataFrame:
    """Cases where `target` directly follows `source` on the `level` map: case_id,
    occurrences, wait_s (their total wait on that path), most waiting first, then by case id."""
    table = steps(log, level)
    hits = table.filter((table.node == source) & (table.target == target))
    frame = execute(
        hits.group_by(hits.case_id).aggregate(
            occurrences=hits.count(), wait_s=hits.wait_after.sum()
        )
    )
    return _ranked(frame, "wait_s")


def _ranked(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    frame["case_id"] = frame["case_id"].astype(str)
    frame = frame.sort_values("case_id").sort_values(by, ascending=False, kind="stable")
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class ExactVariant:
    """A filter: the cases whose activity sequence is exactly `activities`."""

    activities: tuple[str, ...]

    def keeps(self, log: EventLog) -> np.ndarray:
        variants = case_variants(log)
        if self.activities not in variants.sequences:
            return np.zeros(len(variants.variant), dtype=bool)
        kept: np.ndarray = variants.variant == variants.sequences.index(self.activities) + 1
        return kept

    def describe(self) -> Message:
        return message("filter.exact_variant", steps=" → ".join(self.activities))
