"""Variants: the distinct activity sequences, most frequent first, with their throughput."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from discovery._json import JSONValue, to_json_dict
from discovery.engine import CaseCodes, Table, event_values, seconds_between, source
from discovery.engine.in_place import InPlaceLog
from discovery.log.event_log import EventLog
from discovery.mining.in_place.variants import variants_in_place


@dataclass(frozen=True)
class VariantTable:
    """One row per variant: `variant` (1 = most frequent), `activities` (a tuple), `length`,
    `cases`, `share`, `cumulative_share`, `throughput_median_s`, `throughput_mean_s`."""

    variants: pd.DataFrame

    def coverage(self, top: int) -> float:
        """Share of the cases that follow one of the `top` most frequent variants."""
        if self.variants.empty:
            return 0.0
        return float(self.variants["cumulative_share"].iloc[min(top, len(self.variants)) - 1])

    def to_dict(self) -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`): the variants without their `length`."""
        return to_json_dict({"variants": self.variants.drop(columns="length")})


def case_sequences(log: EventLog) -> Table:
    """Per case: `activities` (its sequence, as a list) and `throughput` in seconds."""
    table = source(log, "activity")
    return table.group_by(table.case_id).aggregate(
        activities=table.activity.collect(order_by=table.order),
        throughput=seconds_between(table.begin.min(), table.timestamp.max()),
    )


@dataclass(frozen=True)
class CaseVariants:
    """Each case's variant, numbered as in `discover_variants` (1 = most frequent).

    `variant`: one number per case, in case order; `sequences`: variant k's activities at
    k - 1."""

    variant: np.ndarray
    sequences: tuple[tuple[str, ...], ...]


def case_variants(log: EventLog) -> CaseVariants:
    """Every case's variant, from the registered events' activity codes in a few array
    operations (no per-case lists)."""
    events = CaseCodes.of(log, "activity")
    codes, bounds, names = np.ascontiguousarray(events.codes), events.bounds, events.names
    # each case's codes as one byte string: equal sequences are equal strings
    offsets = bounds.astype(np.int64) * codes.itemsize
    # pyarrow-stubs say py_buffer takes no ndarray; it takes anything with the buffer protocol
    offsets_buffer = pa.py_buffer(offsets)  # type: ignore[arg-type]  # stubs: no ndarray
    data = pa.py_buffer(codes)  # type: ignore[arg-type]  # stubs: no ndarray
    strings = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(bounds) - 1, [None, offsets_buffer, data]
    )
    encoded = pc.dictionary_encode(strings)
    assert isinstance(encoded, pa.DictionaryArray)  # the stubs say a plain Array
    distinct = [
        tuple(names[code] for code in np.frombuffer(value, dtype=codes.dtype))
        for value in encoded.dictionary.to_pylist()
    ]
    counts = np.bincount(encoded.indices.to_numpy(), minlength=len(distinct))
    # by frequency, ties by the sequence: the order of discover_variants
    ranked = sorted(range(len(distinct)), key=lambda k: (-counts[k], "\x1f".join(distinct[k])))
    number = np.empty(len(distinct), dtype=np.int64)
    number[ranked] = np.arange(1, len(distinct) + 1)
    return CaseVariants(
        variant=number[encoded.indices.to_numpy()],
        sequences=tuple(distinct[k] for k in ranked),
    )


def discover_variants(log: EventLog | InPlaceLog) -> VariantTable:
    """Variants ordered by number of cases (ties by sequence), with shares and throughput.

    Throughput runs from a case's first start (or timestamp) to its last timestamp.
    """
    if isinstance(log, InPlaceLog):
        return VariantTable(variants_in_place(log))
    variants = case_variants(log)
    throughput_us = case_throughputs_us(log)
    cases = pd.DataFrame(
        {"variant": variants.variant, "throughput": throughput_us / 1_000_000, "us": throughput_us}
    )
    grouped = cases.groupby("variant")
    frame = grouped["throughput"].agg(cases="size", throughput_median_s="median")
    # the mean of the total summed exactly in whole microseconds, as every route sums it
    frame["throughput_mean_s"] = grouped["us"].sum() / 1_000_000 / frame["cases"]
    frame = frame.reset_index()
    frame.insert(1, "activities", list(variants.sequences))
    frame.insert(2, "length", frame["activities"].map(len))
    frame.insert(4, "share", frame["cases"] / len(cases))
    # counts summed before dividing: a running sum of shares ends above 1 (1.0000000000000002)
    frame.insert(5, "cumulative_share", frame["cases"].cumsum() / len(cases))
    return VariantTable(frame)


def case_throughputs(log: EventLog) -> np.ndarray:
    """Each case's throughput in seconds, in case order: from its first start (or
    timestamp) to its last timestamp."""
    return case_throughputs_us(log) / 1_000_000


def case_throughputs_us(log: EventLog) -> np.ndarray:
    """Each case's throughput in whole microseconds (int64), in case order."""
    bounds = CaseCodes.of(log).bounds[:-1]
    if not len(bounds):
        return np.zeros(0, dtype=np.int64)
    last = np.maximum.reduceat(event_values(log, "timestamp"), bounds)
    first = np.minimum.reduceat(event_values(log, "begin"), bounds)
    return (last - first).astype(np.int64)
