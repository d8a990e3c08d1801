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

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from discovery.engine import Table
from discovery.engine import expressions as expr
from discovery.mining._map_arrays import interpolated, quantile_positions

Formula = Callable[[np.ndarray, np.ndarray, np.ndarray, float], np.ndarray]
"""(values at the floor and at the ceil of (n - 1) * q, whole; n; q) -> the q-quantiles."""

OFFSETS = (-1, 0, 1, 2)
"""The places whose values come back, from the floor of (n - 1) * q as the backend computes
it: the local route's floor and ceil among them even where the backend's arithmetic rounded
otherwise (by one place at most)."""


def ranked_by(
    table: Table, keys: list[str], microseconds: str, backend: str, *, place: str = "_place"
) -> Table:
    """`table` with `place`, each row's place (from 0) in its group of `keys` ordered by the
    column `microseconds` (whole microseconds, none missing), and `_size`, its group's size;
    on DuckDB `table` itself (`order_statistics` gathers the values instead). Two columns'
    order statistics in one query: the second ranked under another `place`."""
    if backend == "duckdb":
        return table
    value, group = table[microseconds], [table[key] for key in keys]
    window = expr.window(group_by=group, order_by=value)  # the whole group: one sort for both
    return table.mutate(**{place: expr.row_number().over(window)}, _size=value.count().over(window))


def order_statistics(
    ranked: Table,
    microseconds: str,
    wanted: Mapping[str, float],
    backend: str,
    *,
    place: str = "_place",
) -> dict[str, expr.Value]:
    """The aggregates to add to a `group_by(keys).aggregate` of `ranked` (`ranked_by` the
    same keys, under the same `place`) for `with_quantiles`: each group's size and, for each
    name → q of `wanted`, the floor of (size - 1) * q and the values at `OFFSETS` from it."""
    value, place_column = ranked[microseconds], place
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
            return value.max(where=ranked[place_column] == place)

    found: dict[str, expr.Value] = {"_size": size}
    for name, q in wanted.items():
        floor = (last.cast("float64") * q).floor().cast("int64")
        found[f"_{name}_floor"] = floor if backend == "duckdb" else floor.max()
        for k, offset in enumerate(OFFSETS):
            found[f"_{name}_{k}"] = at(floor + offset)
    return found


def with_quantiles(
    frame: pd.DataFrame,
    wanted: Mapping[str, float],
    formula: Formula | Mapping[str, Formula] = interpolated,
) -> pd.DataFrame:
    """`frame` (groups with their `order_statistics`) with, for each name → q of `wanted`,
    the q-quantile in seconds under the name, by `formula` (one, or one per name): by
    default `interpolated`, the local route's `Groups.quantile` and pandas' median;
    `series_quantile` for pandas' `Series.quantile`, `group_quantile` for its
    `GroupBy.quantile`. NaN for a group without values; the order statistics dropped."""
    frame = frame.copy()
    size = frame.pop("_size").to_numpy(np.float64, na_value=0).astype(np.int64)
    some = size > 0
    for name, q in wanted.items():
        floor = frame.pop(f"_{name}_floor").to_numpy(np.float64, na_value=0).astype(np.int64)
        columns = [frame.pop(f"_{name}_{k}") for k in range(len(OFFSETS))]
        near = np.column_stack([c.to_numpy(np.float64, na_value=np.nan) for c in columns])
        below, above = quantile_positions(size[some], q)
        floor, near = floor[some], near[some]
        low, high = (_at(near, places - floor) for places in (below, above))
        chosen = formula if callable(formula) else formula[name]
        values = np.full(len(size), np.nan)
        values[some] = chosen(low, high, size[some], q)
        frame[name] = values
    return frame


def series_quantile(
    low_us: np.ndarray, high_us: np.ndarray, count: np.ndarray, q: float
) -> np.ndarray:
    """The q-quantile in seconds as pandas' `Series.quantile` (numpy's `quantile`, linear)
    computes it from values in seconds (microseconds / 1,000,000), from the values at
    `quantile_positions`: with t the fraction of (count - 1) * q, a + (b - a) * t, or
    b - (b - a) * (1 - t) where t >= 0.5 (numpy's `_lerp`); a where t is 0."""
    a, b, t = _seconds_and_fraction(low_us, high_us, count, q)
    difference = b - a
    value: np.ndarray = np.where(t >= 0.5, b - difference * (1 - t), a + difference * t)
    return value


def group_quantile(
    low_us: np.ndarray, high_us: np.ndarray, count: np.ndarray, q: float
) -> np.ndarray:
    """The q-quantile in seconds as pandas' `GroupBy.quantile` (linear) computes it from
    values in seconds: a + (b - a) * t, with t the fraction of (count - 1) * q; a where t
    is 0."""
    a, b, t = _seconds_and_fraction(low_us, high_us, count, q)
    value: np.ndarray = np.where(t == 0, a, a + (b - a) * t)
    return value


def whole_median(low: np.ndarray, high: np.ndarray, count: np.ndarray, q: float) -> np.ndarray:
    """pandas' median of whole numbers (not microseconds), from the middle values: the
    `interpolated` median of them taken as whole seconds (exact below 2**53 / 10**6)."""
    scale = 1_000_000
    return interpolated(np.asarray(low) * scale, np.asarray(high) * scale, count, q)


def _seconds_and_fraction(
    low_us: np.ndarray, high_us: np.ndarray, count: np.ndarray, q: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    position = (np.asarray(count, dtype=np.int64) - 1).astype(np.float64) * q
    fraction = position - np.floor(position)
    low = np.asarray(low_us, dtype=np.int64) / 1_000_000
    high = np.asarray(high_us, dtype=np.int64) / 1_000_000
    return low, high, fraction


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
