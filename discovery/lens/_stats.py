"""Small, explainable statistics shared by the journey lens and the segment comparison.

Intervals and tests come from scipy (installed with pm4py); each helper takes plain numbers
or arrays and returns plain numbers, so the analyses stay readable. This is the one module
that uses scipy, and it imports it only when a test is computed: scipy.stats takes over half
a second to import, which every `journey` command would otherwise pay at start.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pandas as pd


def _stats() -> ModuleType:
    from scipy import stats

    return stats


def mean_interval(
    count: pd.Series, total: pd.Series, total_squares: pd.Series, level: float = 0.95
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Mean and Student-t confidence interval from counts, sums and sums of squares.

    Groups with one value get no interval (NaN); groups with none get no mean.
    """
    n = count.astype(float)
    mean = (total / n).where(n > 0)
    variance = ((total_squares - n * mean**2) / (n - 1)).where(n > 1).clip(lower=0)
    critical = pd.Series(_stats().t.ppf(0.5 + level / 2, (n - 1).clip(lower=1)), index=n.index)
    half = critical * np.sqrt(variance / n)
    return mean, mean - half, mean + half


def holm(p_values: pd.Series) -> pd.Series:
    """Holm's step-down adjustment: controls the chance of any false flag in the family."""
    if p_values.empty:
        return p_values.astype(float)
    order = p_values.sort_values(kind="stable")
    m = len(order)
    adjusted = (order * np.arange(m, 0, -1)).cummax().clip(upper=1.0)
    return adjusted.reindex(p_values.index)


def mann_whitney(first: np.ndarray, second: np.ndarray) -> float:
    """Two-sided p-value of the Mann-Whitney U test (NaN when a side is empty)."""
    if len(first) == 0 or len(second) == 0:
        return float("nan")
    if np.all(first == first[0]) and np.all(second == first[0]):
        return 1.0
    return float(_stats().mannwhitneyu(first, second, alternative="two-sided").pvalue)


def two_proportions(hits_a: int, n_a: int, hits_b: int, n_b: int) -> float:
    """Two-sided p-value of the two-proportion z-test (pooled); NaN when a side is empty."""
    if n_a == 0 or n_b == 0:
        return float("nan")
    pooled = (hits_a + hits_b) / (n_a + n_b)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if spread == 0:
        return 1.0
    z = (hits_a / n_a - hits_b / n_b) / spread
    return normal_two_sided(z)


def normal_two_sided(z: float) -> float:
    """Two-sided p-value of a standard normal statistic `z`."""
    return float(2 * _stats().norm.sf(abs(z)))


def normal_cdf(z: float) -> float:
    """The standard normal distribution's probability below `z`."""
    from scipy import special

    return float(special.ndtr(z))


def fisher_exact(table: list[list[int]]) -> float:
    """Two-sided p-value of Fisher's exact test on a 2×2 table."""
    return float(_stats().fisher_exact(table).pvalue)


def rank(values: np.ndarray) -> np.ndarray:
    """Ranks of `values`, ties given their mean rank."""
    ranks: np.ndarray = _stats().rankdata(values)
    return ranks


def relative_risk(hits_a: int, n_a: int, hits_b: int, n_b: int) -> float:
    """Rate of group a over rate of group b; with a zero count, half a case is added to
    every cell (Haldane's correction) so the ratio stays finite."""
    if hits_a == 0 or hits_b == 0 or hits_a == n_a or hits_b == n_b:
        return ((hits_a + 0.5) / (n_a + 1)) / ((hits_b + 0.5) / (n_b + 1))
    return (hits_a / n_a) / (hits_b / n_b)
