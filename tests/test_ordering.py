"""The reader's fast paths give what the plain ones give: the log's order on integer keys,
time zones through a table of hourly offsets, identical rows among rows sharing case and
time, categorical columns labelled once; and a shuffled file gives the same log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from discovery.log.event_log import as_text, to_event_log
from discovery.log.ordering import canonical_order, case_ranks
from discovery.log.reorder import reordered
from discovery.values.timestamps import _localize, _localize_exactly

NOW = pd.Timestamp("2030-01-01", tz="UTC")


def test_case_ranks_sort_as_text_not_as_numbers():
    ranks = case_ranks(pd.Series(pd.Categorical(["P10", "P9", "P100", None, "P9"])))
    assert ranks.tolist() == [0, 2, 1, -1, 2]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_canonical_order_equals_a_stable_sort(seed):
    rng = np.random.default_rng(seed)
    cases, times = rng.integers(0, 50, 2_000), rng.integers(0, 20, 2_000)
    expected = pd.DataFrame({"c": cases, "t": times}).sort_values(["c", "t"], kind="stable")
    order = canonical_order(cases, times)
    assert order is not None and order.tolist() == expected.index.tolist()
    in_time = np.arange(2_000)  # cases interleaved, each in order of time
    assert canonical_order(cases, in_time).tolist() == np.argsort(cases, kind="stable").tolist()
    assert canonical_order(np.sort(cases), np.zeros(2_000, dtype="int64")) is None


@pytest.mark.parametrize(
    "zone", ["Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
)
def test_hourly_offsets_give_what_pandas_gives_across_a_century(zone):
    rng = np.random.default_rng(7)
    minute = 60_000_000_000
    span = (pd.Timestamp("1930-01-01").value, pd.Timestamp("2030-01-01").value)
    ticks = np.concatenate(
        [
            rng.integers(*span, 50_000) // minute * minute,
            pd.date_range("2024-01-01", "2025-01-01", freq="7min").asi8,
        ]
    )
    naive = pd.Series(ticks.view("datetime64[ns]"), index=np.arange(len(ticks)) + 2)
    naive.iloc[3] = pd.NaT
    utc, notes = _localize(naive, zone, "time")
    exact, shifted, doubled = _localize_exactly(naive.dropna(), zone)
    assert utc.isna().tolist() == naive.isna().tolist()
    assert (utc.dropna().array.asi8 == exact).all()
    counted = {note.key: int(str(note.params["times"])) for note in notes}
    assert counted.get("dates.note.spring", 0) == shifted
    assert counted.get("dates.note.autumn", 0) == doubled


def test_categorical_columns_are_labelled_as_plain_ones():
    values = pd.Series([1.0, 2.5, None, 1.0, 12345678901234.0], index=range(2, 7))
    for raw in (values, values.astype("category")):
        text = as_text(raw)
        assert text.dtype == "str"
        assert text.tolist()[:2] == ["1", "2.5"] and text.isna().tolist()[2]
        assert text.index.tolist() == list(range(2, 7))
    words = pd.Series([" a", "", None, "b"], dtype="category")
    assert as_text(words).isna().tolist() == [False, True, True, False]


def _events(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cases = [f"C{i}" for i in rng.integers(0, rows // 4, rows)]
    minutes = rng.integers(0, 60 * 24 * 400, rows)
    times = pd.Timestamp("2024-01-01") + pd.to_timedelta(minutes // 30 * 30, unit="min")
    frame = pd.DataFrame(
        {
            "case": cases,
            "activity": rng.choice(["Intake", "Check", "Decide", "intake"], rows),
            "time": times.strftime("%Y-%m-%d %H:%M"),
            "team": rng.choice(["A", "B"], rows),
        }
    )
    repeated = frame.iloc[rng.integers(0, rows, rows // 10)]  # identical rows
    frame = pd.concat([frame, repeated], ignore_index=True)
    frame.loc[rng.integers(0, len(frame), 20), "case"] = None
    frame.loc[rng.integers(0, len(frame), 20), "time"] = "garbage"
    return frame


@pytest.mark.parametrize("duplicates", ["keep", "drop"])
@pytest.mark.parametrize("categorical", [False, True])
def test_a_shuffled_table_gives_the_same_log(duplicates, categorical):
    frame = _events(4_000, seed=5)
    if categorical:
        frame = frame.astype("category")
    sorted_log = to_event_log(frame, now=NOW, duplicates=duplicates)
    shuffled = frame.sample(frac=1, random_state=11)
    shuffled_log = to_event_log(shuffled, now=NOW, duplicates=duplicates)
    source = ["position", "row"]  # where each event is in the file: shuffled too
    pd.testing.assert_frame_equal(
        sorted_log.events.drop(columns=source), shuffled_log.events.drop(columns=source)
    )
    for log in (sorted_log, shuffled_log):
        quality = log.quality
        assert quality.rows_read == quality.rows_used + quality.rows_rejected
        for column in ("case_id", "activity"):  # text as the log holds it
            values = log.events[column]
            assert isinstance(values.dtype, pd.CategoricalDtype)
            assert list(values.cat.categories) == sorted(set(values.dropna()))
    assert sorted_log.quality.identical_rows == shuffled_log.quality.identical_rows > 0
    checks = [(f.check, f.count) for f in sorted_log.quality.findings]
    assert checks == [(f.check, f.count) for f in shuffled_log.quality.findings]


@pytest.mark.parametrize("threads", [1, 2])
def test_dates_read_by_duckdb_do_not_depend_on_its_threads(monkeypatch, threads):
    import duckdb

    import discovery.values.timestamps as timestamps

    frame = _events(20_000, seed=9)
    expected = to_event_log(frame, now=NOW)
    connect = duckdb.connect
    monkeypatch.setattr(
        timestamps.duckdb, "connect", lambda: connect(config={"threads": str(threads)})
    )
    log = to_event_log(frame, now=NOW)
    pd.testing.assert_frame_equal(log.events, expected.events)
    assert log.quality.rejected_text().equals(expected.quality.rejected_text())


def test_reordered_gives_what_take_gives_for_every_kind_of_column():
    """`reordered` gathers columns in threads, by numpy where it can: the result must be
    `DataFrame.take` with a fresh index, value for value and type for type."""
    rng = np.random.default_rng(3)
    n = 1_000
    times = pd.Series(pd.to_datetime(rng.integers(0, 10**15, n), unit="us", utc=True))
    times[::7] = pd.NaT
    frame = pd.DataFrame(
        {
            "case_id": pd.Categorical(rng.choice(["b", "a", None, "c"], n)),
            "timestamp": times.astype("datetime64[ns, UTC]"),
            "score": np.where(rng.random(n) < 0.1, np.nan, rng.random(n)),
            "position": np.arange(n, dtype="int64"),
            "flag": rng.random(n) < 0.5,
            "text": pd.Series(rng.choice(["x", "y", None], n), dtype="str"),
            "mixed": pd.Series([1, "a", None, 2.5] * (n // 4), dtype=object),
            3: rng.integers(0, 5, n).astype("int8"),
        },
        index=pd.RangeIndex(1, n + 1),
    )
    order = rng.permutation(n)
    expected = frame.take(order).reset_index(drop=True)
    pd.testing.assert_frame_equal(reordered(frame, order), expected, check_exact=True)
