"""Medians and quantiles in place, by the local route's one definition on every backend.

A backend's own quantile (DuckDB's quantile_cont, PostgreSQL's percentile_cont, Spark's
percentile) interpolates by its own order of floating-point operations, so that P90s
differed in their last binary digits across backends. Here only exact order statistics are
found where the log lives, in the query that counts the groups: each group's size and its
values (in whole microseconds) at the few places around each quantile's; the quantile is
interpolated here by `interpolated`, the code of the local route. On PostgreSQL and Spark
the places come from a window ordered by the value (which they can sort on disk); on DuckDB
from each group's values gathered in order (`collect`), as its quantile_cont gathers them:
a third of the window's time.

>>> table = ranked_by(events, ["activity"], "wait_us", "postgres")  # doctest: +SKIP
>>> found = run_in_place(table.group_by("activity").aggregate(
...     events=table.count(), **order_statistics(table, "wait_us", {"median": 0.5}, "postgres")))
>>> with_quantiles(found, {"median": 0.5})  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from discovery.engine import Table
from discovery.engine import expressions as expr
from discovery.mining._map_arrays import interpolated, quantile_positions

OFFSETS = (-1, 0, 1, 2)
"""The places whose values come back, from the floor of (n - 1) * q as the backend computes
it: the local route's floor and ceil among them even where the backend's arithmetic rounded
otherwise (by one place at most)."""


def ranked_by(table: Table, keys: list[str], microseconds: str, backend: str) -> Table:
    """`table` with `_place`, each row's place (from 0) in its group of `keys` ordered by the
    column `microseconds` (whole microseconds, none missing), and `_size`, its group's size;
    on DuckDB `table` itself (`order_statistics` gathers the values instead)."""
    if backend == "duckdb":
        return table
    value, group = table[microseconds], [table[key] for key in keys]
    window = expr.window(group_by=group, order_by=value)  # the whole group: one sort for both
    return table.mutate(_place=expr.row_number().over(window), _size=value.count().over(window))


def order_statistics(
    ranked: Table, microseconds: str, wanted: Mapping[str, float], backend: str
) -> dict[str, expr.Value]:
    """The aggregates to add to a `group_by(keys).aggregate` of `ranked` (`ranked_by` the
    same keys) for `with_quantiles`: each group's size and, for each name → q of `wanted`,
    the floor of (size - 1) * q and the values at `OFFSETS` from it."""
    value = ranked[microseconds]
    if backend == "duckdb":
        size = value.count()
        ordered = value.collect(order_by=value)
        last = size - 1

        def at(place: expr.Value) -> expr.Value:  # clipped: offsets past the ends are not used
            return ordered[place.clip(lower=0, upper=last)]
    else:
        size = ranked._size.max()
        last = ranked._size - 1

        def at(place: expr.Value) -> expr.Value:
            return value.max(where=ranked._place == place)

    found: dict[str, expr.Value] = {"_size": size}
    for name, q in wanted.items():
        floor = (last.cast("float64") * q).floor().cast("int64")
        found[f"_{name}_floor"] = floor if backend == "duckdb" else floor.max()
        for k, offset in enumerate(OFFSETS):
            found[f"_{name}_{k}"] = at(floor + offset)
    return found


def with_quantiles(frame: pd.DataFrame, wanted: Mapping[str, float]) -> pd.DataFrame:
    """`frame` (groups with their `order_statistics`) with, for each name → q of `wanted`,
    the q-quantile in seconds as the local route's `Groups.quantile` computes it, under the
    name; the order statistics dropped."""
    frame = frame.copy()
    size = frame.pop("_size").to_numpy(np.int64)
    for name, q in wanted.items():
        floor = frame.pop(f"_{name}_floor").to_numpy(np.int64)
        columns = [frame.pop(f"_{name}_{k}") for k in range(len(OFFSETS))]
        near = np.column_stack([c.to_numpy(np.float64, na_value=np.nan) for c in columns])
        below, above = quantile_positions(size, q)
        low, high = (_at(near, places - floor) for places in (below, above))
        frame[name] = interpolated(low, high, size, q)
    return frame


def _at(near: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Each group's value at `offset` from the backend's floor (`OFFSETS`)."""
    column = offset - OFFSETS[0]
    if len(column) and (column.min() < 0 or column.max() >= len(OFFSETS)):
        raise ArithmeticError("the backend's floor of (n - 1) * q is off by more than one")
    values: np.ndarray = near[np.arange(len(near)), column]
    if np.isnan(values).any():
        raise ArithmeticError("a quantile's order statistic did not come back")
    whole: np.ndarray = values.astype(np.int64)
    return whole
