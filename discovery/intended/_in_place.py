"""Conformance of a log in place: what its check needs from where the log lives.

Alignment needs only the variants: each case's sequence is found where the log lives, and
one row per case comes back with a digest of its sequence (`case_id`, `key`, `start`,
`throughput_s`), with one row per distinct sequence for its activities. Departments, waits
and rules run there too, through the engine (`discovery.engine.source`); their rows come
back for the cases that deviate only.
"""

from __future__ import annotations

import pandas as pd

from discovery.engine.in_place import (
    SEPARATOR,
    InPlaceLog,
    case_sequences_in_place,
    md5,
    run_in_place,
)


def cases_and_variants_in_place(log: InPlaceLog) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """Per case (in order of case id, by code point) its variant number, start and
    throughput; and the variants' activities, numbered as the local check numbers them
    (by the first case id that takes each)."""
    sequences = case_sequences_in_place(log)
    keyed = sequences.mutate(key=md5(sequences.sequence))
    cases = run_in_place(
        keyed.select(
            "case_id",
            "key",
            start=keyed.first_begin,
            throughput_s=keyed.throughput_us.cast("float64") / 1_000_000,
        )
    )
    texts = run_in_place(keyed.group_by("key").aggregate(sequence=keyed.sequence.min()))
    activities = dict(zip(texts["key"], texts["sequence"], strict=True))
    cases["case_id"] = cases["case_id"].astype("str")
    cases["start"] = pd.to_datetime(cases["start"]).dt.tz_localize("UTC")
    cases = cases.sort_values("case_id").reset_index(drop=True)  # code point order
    codes, keys = pd.factorize(cases.pop("key"))
    cases["variant"] = codes
    return cases, [tuple(activities[key].split(SEPARATOR)) for key in keys]
