"""Maps and variants of a Parquet dataset too large to hold, chunk by chunk of whole cases
(`discovery.engine.chunked`), as the same results the local route gives: equal counts,
and medians, means and P90s by the same definitions.

>>> found = discover_maps_chunked("benchmarks/data/events_100000000")  # doctest: +SKIP
>>> found.maps["department"].edges.head()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from discovery.engine.chunked import (
    CHUNK_EVENTS,
    END,
    LevelTotals,
    Multiset,
    VariantTotals,
    scan_chunked,
)
from discovery.mining._map_arrays import interpolated, quantile_positions
from discovery.mining.maps import ProcessMap, _sorted, _text
from discovery.mining.variants import VariantTable
from discovery.values.timestamps import DEFAULT_TIMEZONE

__all__ = ["ChunkedDiscovery", "discover_maps_chunked"]


@dataclass(frozen=True)
class ChunkedDiscovery:
    """The maps by level, the variants, and how many events, cases and chunks were read."""

    maps: dict[str, ProcessMap]
    variants: VariantTable
    events: int
    cases: int
    chunks: int


def discover_maps_chunked(
    source: str,
    levels: tuple[str, ...] = ("activity", "department"),
    *,
    columns: Mapping[str, str] | None = None,
    chunk_events: int = CHUNK_EVENTS,
    timezone: str = DEFAULT_TIMEZONE,
) -> ChunkedDiscovery:
    """The process maps at `levels` and the variants of a Parquet dataset (folder, glob or
    file) too large for memory, read a chunk of about `chunk_events` whole cases at a time:
    equal to `discover_map` and `discover_variants` on the same events held in memory.
    `columns`: role → column where the dataset's names are not the canonical ones."""
    scanned = scan_chunked(
        source, levels, columns=columns, chunk_events=chunk_events, timezone=timezone
    )
    return ChunkedDiscovery(
        maps={level: _process_map(level, totals) for level, totals in scanned.levels.items()},
        variants=_variant_table(scanned.variants, scanned.activities),
        events=scanned.events,
        cases=scanned.cases,
        chunks=scanned.chunks,
    )


def _quantile(values: Multiset, size: int, q: float) -> np.ndarray:
    """As `Groups.quantile` (DuckDB's quantile_cont, `interpolated`) on the values in
    seconds."""
    count = values.count(size)
    result = np.full(size, np.nan)
    present = count > 0
    some = np.maximum(count, 1)
    below, above = quantile_positions(some, q)
    value = interpolated(values.at(size, below), values.at(size, above), some, q)
    result[present] = value[present]
    return result


def _mean(values: Multiset, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group: the total in seconds (summed exactly, then divided) and the mean."""
    count = values.count(size)
    total = np.array([float(t) for t in values.total(size)]) / 1_000_000
    total[count == 0] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        return total, total / count


def _process_map(level: str, totals: LevelTotals) -> ProcessMap:
    names, size = totals.labels.names, len(totals.labels.names)
    present = np.flatnonzero(totals.node_events)
    nodes = pd.DataFrame(
        {
            "name": _text(names, present),
            "events": totals.node_events[present],
            "cases": totals.node_cases[present],
            "starts": totals.starts[present],
        }
    )
    if totals.service is None:
        nodes[["service_median_s", "service_mean_s"]] = float("nan")
    else:
        nodes["service_median_s"] = _quantile(totals.service, size, 0.5)[present]
        nodes["service_mean_s"] = _mean(totals.service, size)[1][present]
    pairs = totals.pairs
    count = len(pairs)
    source, target = pairs >> 32, pairs & END
    last = target == END
    edge = np.flatnonzero(~last)
    wait_total, wait_mean = _mean(totals.waits, count)
    edges = pd.DataFrame(
        {
            "source": _text(names, source[edge]),
            "target": _text(names, target[edge]),
            "frequency": totals.frequency[edge],
            "cases": totals.pair_cases[edge],
            "wait_median_s": _quantile(totals.waits, count, 0.5)[edge],
            "wait_mean_s": wait_mean[edge],
            "wait_p90_s": _quantile(totals.waits, count, 0.9)[edge],
            "wait_total_s": wait_total[edge],
        }
    )
    end = np.flatnonzero(last)
    ends = pd.DataFrame({"name": _text(names, source[end]), "cases": totals.frequency[end]})
    starts = nodes.loc[nodes["starts"] > 0, ["name", "starts"]].rename(columns={"starts": "cases"})
    return ProcessMap(
        level=level,
        nodes=_sorted(nodes.drop(columns="starts"), "events"),
        edges=_sorted(edges, "frequency"),
        starts=_sorted(starts, "cases"),
        ends=_sorted(ends, "cases"),
    )


def _variant_table(variants: VariantTotals, names: list[str]) -> VariantTable:
    """As `discover_variants`: by cases, ties by the sequence; throughput median (the
    middle value, or the mean of the two middle ones: `interpolated` at 0.5) and mean in
    seconds."""
    sequences = variants.sequences(names)
    size = len(sequences)
    count = variants.cases
    median = _quantile(variants.throughput, size, 0.5)
    _, mean = _mean(variants.throughput, size)
    ranked = sorted(range(size), key=lambda k: (-count[k], "\x1f".join(sequences[k])))
    frame = pd.DataFrame(
        {
            "variant": np.arange(1, size + 1, dtype=np.int64),
            "activities": [sequences[k] for k in ranked],
            "length": [len(sequences[k]) for k in ranked],
            "cases": count[ranked],
            "throughput_median_s": median[ranked],
            "throughput_mean_s": mean[ranked],
        }
    )
    total = int(count.sum())
    frame.insert(4, "share", frame["cases"] / total)
    frame.insert(5, "cumulative_share", frame["cases"].cumsum() / total)
    return VariantTable(frame)
