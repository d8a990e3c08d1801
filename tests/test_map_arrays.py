"""Maps from arrays (discovery.mining._map_arrays): quantiles as DuckDB computes them, and a
filter's map equal to the same events' map read afresh, to the last bit."""

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from discovery import CaseDuration, VariantSelection, apply_filters, discover_map, read_event_log
from discovery.mining._map_arrays import Groups
from tests.conftest import SAMPLE_LOGS


@pytest.mark.parametrize("q", [0.5, 0.9, 0.25])
def test_quantiles_equal_duckdbs_quantile_cont_to_the_bit(q):
    rng = np.random.default_rng(7)
    group = rng.integers(0, 400, 20_000)
    values = (rng.exponential(3600, len(group)) * 1_000_000).astype(np.int64)
    connection = duckdb.connect()
    connection.register("events", pa.table({"g": group, "x": values / 1_000_000}))
    query = f"select g, quantile_cont(x, {q}) as p from events group by g order by g"
    wanted = connection.sql(query).fetchnumpy()
    got = Groups.of(group, values, 400, np.arange(len(group))).quantile(q)
    assert np.array_equal(got[wanted["g"]], wanted["p"])


def test_a_groups_subset_equals_the_groups_of_its_values():
    rng = np.random.default_rng(3)
    group, values = rng.integers(0, 30, 5_000), rng.integers(0, 10**9, 5_000)
    case = np.sort(rng.integers(0, 800, 5_000))
    kept_case = rng.random(800) < 0.4
    rows = kept_case[case]
    subset = Groups.of(group, values, 30, case).subset(kept_case)
    afresh = Groups.of(group[rows], values[rows], 30, case[rows])
    for q in (0.5, 0.9):
        assert np.array_equal(subset.quantile(q), afresh.quantile(q), equal_nan=True)
    assert np.array_equal(subset.total(), afresh.total(), equal_nan=True)
    exact = [values[rows & (group == g)].sum() / 1_000_000 for g in range(30)]  # integers
    assert np.array_equal(subset.total(), exact)


@pytest.mark.parametrize("name", ["mortgage.csv", "permit.csv"])
def test_a_filters_map_equals_its_events_read_afresh_exactly(name):
    log = read_event_log(SAMPLE_LOGS / name)
    for filters in ([VariantSelection(top=3)], [CaseDuration(86400)]):
        filtered = apply_filters(log, filters)
        afresh = filtered.with_events(filtered.events.copy())
        for level in ("activity", "department"):
            if not log.has(level):
                continue
            derived, fresh = discover_map(filtered, level), discover_map(afresh, level)
            for part in ("nodes", "edges", "starts", "ends"):
                pd.testing.assert_frame_equal(
                    getattr(derived, part), getattr(fresh, part), check_exact=True
                )


# keys packed with the cases; packed without them; a lexsort
@pytest.mark.parametrize("spread", [10**6, 2**50, 2**61])
def test_groups_order_their_values_whatever_their_range(spread):
    rng = np.random.default_rng(5)
    group, case = rng.integers(0, 12, 3_000), np.sort(rng.integers(0, 500, 3_000))
    values = rng.integers(0, spread, 3_000)
    groups = Groups.of(group, values, 12, case)
    wanted = np.concatenate([np.sort(values[group == g]) for g in range(12)])
    assert np.array_equal(groups.ordered, wanted)
    assert np.array_equal(Groups.of(group, values, 12).ordered, wanted)  # no cases kept
    kept_case = rng.random(500) < 0.5
    assert np.array_equal(np.sort(groups.case), case)
    subset = groups.subset(kept_case)
    wanted = np.concatenate([np.sort(values[(group == g) & kept_case[case]]) for g in range(12)])
    assert np.array_equal(subset.ordered, wanted)
