"""Variants in place: each case's sequence found where the log lives, grouped there; only
one row per variant comes back."""

from __future__ import annotations

import pandas as pd

from discovery.engine import Table
from discovery.engine.in_place import (
    SEPARATOR,
    InPlaceLog,
    case_sequences_in_place,
    run_in_place,
)
from discovery.mining.in_place._quantiles import order_statistics, ranked_by, with_quantiles


def variants_in_place(log: InPlaceLog) -> pd.DataFrame:
    """The frame of `VariantTable`: variant (1 = most frequent; ties by the sequence),
    activities, length, cases, share, cumulative_share, throughput_median_s,
    throughput_mean_s (throughput from a case's first begin to its last timestamp; the
    median by `with_quantiles`, at 0.5 pandas' median as `discover_variants` takes it:
    the middle value, or the mean of the two middle ones; the mean from the total summed in
    whole microseconds)."""
    cases = case_sequences_in_place(log).select("sequence", "throughput_us")
    cases = ranked_by(cases, ["sequence"], "throughput_us", log.place.backend)
    median = {"throughput_median_s": 0.5}
    frame = run_in_place(
        cases.group_by("sequence").aggregate(
            cases=cases.count(),
            throughput_total_us=cases.throughput_us.sum(),
            **order_statistics(cases, "throughput_us", median, log.place.backend),
        )
    )
    frame = with_quantiles(frame, median)
    frame["throughput_mean_s"] = (
        frame.pop("throughput_total_us").astype("float64") / 1_000_000 / frame["cases"]
    )
    frame = numbered(frame)
    activities = frame.pop("sequence").map(lambda text: tuple(text.split(SEPARATOR)))
    total = int(frame["cases"].sum())
    frame.insert(1, "activities", activities)
    frame.insert(2, "length", activities.map(len).astype("int64"))
    frame.insert(4, "share", frame["cases"] / total)
    frame.insert(5, "cumulative_share", frame["cases"].cumsum() / total)
    return frame[
        ["variant", "activities", "length", "cases", "share", "cumulative_share",
         "throughput_median_s", "throughput_mean_s"]
    ]  # fmt: skip


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with `sequence` and `cases`, ranked by cases (ties by the sequence) and numbered
    from 1 in `variant`, as `discover_variants` numbers them."""
    frame = frame.astype({"cases": "int64", "sequence": "str"})
    frame = frame.sort_values("sequence").sort_values("cases", ascending=False, kind="stable")
    frame = frame.reset_index(drop=True)
    frame.insert(0, "variant", range(1, len(frame) + 1))
    return frame.astype({"variant": "int64"})


def case_variant_numbers(log: InPlaceLog) -> tuple[Table, pd.DataFrame]:
    """Each case's sequence (`case_sequences_in_place`), and the variants' numbers and
    sizes (sequence, variant, cases)."""
    cases = case_sequences_in_place(log)
    counts = run_in_place(cases.group_by("sequence").aggregate(cases=cases.count()))
    return cases, numbered(counts)
