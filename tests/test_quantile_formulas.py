"""The quantiles a log in place interpolates from the order statistics found where it lives
(`discovery.mining.in_place._quantiles`) are pandas' own to the last bit: `series_quantile`
as `Series.quantile` (numpy's linear quantile, its `_lerp` turning round at t >= 0.5),
`group_quantile` as `GroupBy.quantile` (a + (b - a) * t), `interpolated` as both medians,
`whole_median` as the median of whole numbers. Oracle: pandas on random groups of whole
microseconds in seconds."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from discovery.mining._map_arrays import interpolated, quantile_positions
from discovery.mining.in_place._quantiles import group_quantile, series_quantile, whole_median


def groups(seed: int = 7, count: int = 400) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [
        np.sort(rng.integers(0, 10 ** int(rng.integers(3, 13)), int(rng.integers(1, 60))))
        for _ in range(count)
    ]


def middle(values: np.ndarray, q: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    size = np.array([len(values)])
    below, above = quantile_positions(size, q)
    return values[below], values[above], size


def test_the_formulas_are_pandas_quantiles_to_the_last_bit():
    turned = 0
    for values, q in itertools.product(groups(), (0.1, 0.25, 0.5, 0.75, 0.9)):
        seconds = pd.Series(values / 1_000_000)
        low, high, size = middle(values, q)
        expected = seconds.quantile([q]).iloc[0]
        assert series_quantile(low, high, size, q)[0] == expected
        grouped = pd.DataFrame({"k": 0, "v": seconds}).groupby("k")["v"]
        assert group_quantile(low, high, size, q)[0] == grouped.quantile(q).iloc[0]
        turned += group_quantile(low, high, size, q)[0] != expected
    assert turned > 0  # the two pandas formulas differ: each is needed where it is used


def test_the_medians_are_pandas_medians():
    for values in groups(seed=11):
        low, high, size = middle(values, 0.5)
        seconds = pd.Series(values / 1_000_000)
        assert interpolated(low, high, size, 0.5)[0] == seconds.median()
        grouped = pd.DataFrame({"k": 0, "v": seconds}).groupby("k")["v"].median().iloc[0]
        assert interpolated(low, high, size, 0.5)[0] == grouped
        counts = values % 1000
        counts.sort()
        low, high, size = middle(counts, 0.5)
        assert whole_median(low, high, size, 0.5)[0] == pd.Series(counts).median()
