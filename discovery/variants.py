"""Variants: the distinct activity sequences, most frequent first, with their throughput."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from ibis.expr.types import Table

from discovery.engine import execute, seconds_between, source
from discovery.log import EventLog


@dataclass(frozen=True)
class VariantTable:
    """One row per variant: `variant` (1 = most frequent), `activities` (a tuple), `length`,
    `cases`, `share`, `cumulative_share`, `throughput_median_s`, `throughput_mean_s`."""

    variants: pd.DataFrame

    def to_dict(self) -> dict:
        return {
            "variants": [
                {
                    "variant": int(row.variant),
                    "activities": list(row.activities),
                    "cases": int(row.cases),
                    "share": float(row.share),
                    "cumulative_share": float(row.cumulative_share),
                    "throughput_median_s": float(row.throughput_median_s),
                    "throughput_mean_s": float(row.throughput_mean_s),
                }
                for row in self.variants.itertuples()
            ]
        }


def case_sequences(log: EventLog) -> Table:
    """Per case: `activities` (its sequence, as a list) and `throughput` in seconds."""
    table = source(log, "activity")
    return table.group_by(table.case_id).aggregate(
        activities=table.activity.collect(order_by=table.order),
        throughput=seconds_between(table.begin.min(), table.timestamp.max()),
    )


def discover_variants(log: EventLog) -> VariantTable:
    """Variants ordered by number of cases (ties by sequence), with shares and throughput.

    Throughput runs from a case's first start (or timestamp) to its last timestamp.
    """
    cases = case_sequences(log)
    variants = cases.group_by(cases.activities).aggregate(
        cases=cases.count(),
        throughput_median_s=cases.throughput.quantile(0.5),
        throughput_mean_s=cases.throughput.mean(),
    )
    frame = execute(variants)
    frame["activities"] = frame["activities"].map(tuple)
    frame["key"] = frame["activities"].map("\x1f".join)
    frame = frame.sort_values("key").sort_values("cases", ascending=False, kind="stable")
    total = frame["cases"].sum()
    frame = frame.drop(columns="key").reset_index(drop=True)
    frame.insert(0, "variant", range(1, len(frame) + 1))
    frame.insert(2, "length", frame["activities"].map(len))
    frame.insert(4, "share", frame["cases"] / total)
    frame.insert(5, "cumulative_share", frame["share"].cumsum())
    return VariantTable(frame)
