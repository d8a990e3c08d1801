"""The chunked route for Parquet datasets too large to hold: its maps and variants equal the
local route's (`discover_map`, `discover_variants`) on the same events, with chunks forced
small so that several are merged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from discovery.engine._multiset import Multiset
from discovery.errors import LogError
from discovery.log.event_log import EventLog, read_event_log, to_event_log
from discovery.mining.chunked import discover_maps_chunked
from discovery.mining.maps import ProcessMap, discover_map
from discovery.mining.variants import VariantTable, discover_variants
from discovery.simulate import simulate, write_dataset

SAMPLE_LOGS = Path(__file__).resolve().parents[1] / "sample_logs"
CANONICAL = ["case_id", "activity", "timestamp", "start_timestamp", "department", "resource"]


def assert_same_map(ours: ProcessMap, local: ProcessMap) -> None:
    assert ours.level == local.level
    for part in ("nodes", "edges", "starts", "ends"):
        pd.testing.assert_frame_equal(
            getattr(ours, part), getattr(local, part), check_exact=False, rtol=1e-9, atol=0
        )


def assert_same_variants(ours: VariantTable, local: VariantTable) -> None:
    pd.testing.assert_frame_equal(
        ours.variants, local.variants, check_exact=False, rtol=1e-9, atol=0
    )


def assert_same_as_local(
    folder: Path, log: EventLog, chunk_events: int, chunks: int, other: str = "department"
) -> None:
    """The chunked maps (activity and `other`) and variants of `folder` equal the local
    route's on `log`, read in at least `chunks` chunks."""
    levels = ("activity", other)
    found = discover_maps_chunked(str(folder), levels, chunk_events=chunk_events)
    assert found.chunks >= chunks
    assert (found.events, found.cases) == (log.n_events, log.n_cases)
    for level in levels:
        assert_same_map(found.maps[level], discover_map(log, level))
    assert_same_variants(found.variants, discover_variants(log))


def write_by_case(log: EventLog, folder: Path, buckets: int) -> Path:
    """The log's canonical events as `bucket=K/part.parquet`, cases spread over the buckets
    (each case's rows in the log's order)."""
    events = log.events[[c for c in CANONICAL if c in log.events]]
    case = events["case_id"].ne(events["case_id"].shift()).cumsum().to_numpy()
    for bucket in range(buckets):
        part = folder / f"bucket={bucket}" / "part.parquet"
        part.parent.mkdir(parents=True)
        rows = events[case % buckets == bucket]
        pq.write_table(pa.Table.from_pandas(rows, preserve_index=False), part)
    return folder


def test_simulated_dataset_equals_the_local_route(tmp_path):
    """Naive times (read in Europe/Amsterdam, as the local route reads them), start times,
    six buckets read two at a time."""
    written = write_dataset(30_000, tmp_path / "events", bucket_events=5_000)
    assert (written.events, written.buckets) == (30_000, 6)
    assert sorted(p.parent.name for p in (tmp_path / "events").rglob("*.parquet")) == [
        f"bucket={k}" for k in range(6)
    ]
    frame = pq.read_table(tmp_path / "events", partitioning=None).to_pandas()
    assert frame["case_id"].nunique() == written.cases
    log = to_event_log(frame.drop(columns="bucket", errors="ignore")[CANONICAL])
    assert_same_as_local(tmp_path / "events", log, chunk_events=10_000, chunks=3)


def test_the_simulator_writes_a_dataset_from_the_command_line(tmp_path, capsys):
    from discovery.simulate.__main__ import main

    main(["--events", "2500", "--out", str(tmp_path / "events"), "--journey", "permit"])
    assert "2,500 events" in capsys.readouterr().out
    table = pq.read_table(tmp_path / "events" / "bucket=0" / "part.parquet")
    assert table.num_rows == 2_500 and not (tmp_path / "events.partial").exists()
    found = discover_maps_chunked(str(tmp_path / "events"), ("activity",))
    assert found.events == 2_500 and found.variants.variants["cases"].sum() == found.cases


def test_sample_log_equals_the_local_route(tmp_path):
    log = read_event_log(SAMPLE_LOGS / "hospital.csv")
    folder = write_by_case(log, tmp_path / "hospital", buckets=5)
    assert_same_as_local(folder, log, chunk_events=1, chunks=5)  # a bucket at a time


def test_columns_are_found_as_the_local_route_finds_them(tmp_path):
    """The hospital's own Dutch headers (patiëntnummer, activiteit, starttijd, eindtijd,
    afdeling) found from the first rows, as `to_event_log` finds them."""
    frame = simulate("hospital", n_cases=400, seed=3)
    log = to_event_log(frame)
    case = frame["patiëntnummer"].cat.codes.to_numpy()
    for bucket in range(3):
        part = tmp_path / "own" / f"bucket={bucket}" / "part.parquet"
        part.parent.mkdir(parents=True)
        pq.write_table(pa.Table.from_pandas(frame[case % 3 == bucket], preserve_index=False), part)
    assert_same_as_local(tmp_path / "own", log, chunk_events=1, chunks=3)
    given = discover_maps_chunked(str(tmp_path / "own"), columns={"activity": "medewerker"})
    assert given.maps["activity"].nodes["events"].sum() == log.n_events
    assert set(given.maps["activity"].nodes["name"]) == set(frame["medewerker"].astype(str))


def test_rows_the_log_rejects_are_left_out(tmp_path):
    """Missing case ids, blank activities and missing times are rejected by both routes;
    a missing department is "(none)" in both maps."""
    events = read_event_log(SAMPLE_LOGS / "hospital.csv").events[CANONICAL[:5]].copy()
    events["activity"] = events["activity"].astype(object)
    events.loc[[3, 40], "case_id"] = None
    events.loc[[5, 77], "activity"] = "  "
    events.loc[[9], "timestamp"] = pd.NaT
    events.loc[[11, 12, 500], "department"] = None
    log = to_event_log(events)
    assert log.quality.rows_used == len(events) - 5
    assert "(none)" in discover_map(log, "department").nodes["name"].tolist()
    folder = write_by_case(log, tmp_path / "by_case", buckets=3)  # the log's rows
    (tmp_path / "raw" / "bucket=0").mkdir(parents=True)  # the rows as given, rejects too
    pq.write_table(pa.Table.from_pandas(events), tmp_path / "raw" / "bucket=0" / "part.parquet")
    assert_same_as_local(folder, log, chunk_events=1, chunks=3)
    assert_same_as_local(tmp_path / "raw", log, chunk_events=1, chunks=1)


def test_files_not_split_by_case_are_read_by_case_hash(tmp_path):
    """Files cut at arbitrary rows (cases span files): chunks by a hash of the case id."""
    log = read_event_log(SAMPLE_LOGS / "hospital.csv")
    events = log.events[[c for c in CANONICAL if c in log.events]]
    (tmp_path / "cut").mkdir()
    for k, rows in enumerate(np.array_split(np.arange(len(events)), 3)):
        table = pa.Table.from_pandas(events.iloc[rows], preserve_index=False)
        pq.write_table(table, tmp_path / "cut" / f"part-{k}.parquet")
    assert_same_as_local(tmp_path / "cut", log, chunk_events=len(events) // 4, chunks=4)


@pytest.mark.parametrize("name", ["sepsis.csv", "bpic2012.xes.gz"])
def test_shared_log_equals_the_local_route(shared_logs, tmp_path, name):
    """Sepsis by department (org:group); BPI 2012 by resource, missing for some events."""
    log = read_event_log(shared_logs / name)
    other = "department" if log.has("department") else "resource"
    folder = write_by_case(log, tmp_path / "log", buckets=4)
    assert_same_as_local(folder, log, chunk_events=1, chunks=4, other=other)


@pytest.mark.parametrize(
    "scale",
    [60_000_000, 1, 1 << 38],
    ids=["minutes: counted densely", "microseconds: one sort", "wide: sorted by two keys"],
)
def test_multiset_selects_as_sorting_does(scale):
    """Pieces merged as they come: counts, exact totals and every position's value."""
    rng = np.random.default_rng(7)
    group = rng.integers(0, 5, 20_000)
    value = rng.integers(-50, 5_000_000, 20_000) * scale
    bag = Multiset()
    for start in range(0, len(group), 1_500):
        bag.add(group[start : start + 1_500], value[start : start + 1_500])
    count = bag.count(6)
    assert count.tolist() == np.bincount(group, minlength=6).tolist()
    assert bag.total(6) == [sum(int(v) for v in value[group == k]) for k in range(6)]
    for position in (0, 17, 1_000):
        ordered = [np.sort(value[group == k]) for k in range(5)]
        assert bag.at(5, np.full(5, position)).tolist() == [v[position] for v in ordered]


def test_a_missing_dataset_or_column_says_so(tmp_path):
    with pytest.raises(LogError, match="no Parquet files found"):
        discover_maps_chunked(str(tmp_path / "nowhere"))
    (tmp_path / "bucket=0").mkdir()
    table = pa.table({"case_id": ["a"], "activity": ["x"], "timestamp": [pd.Timestamp(0)]})
    pq.write_table(table, tmp_path / "bucket=0" / "part.parquet")
    with pytest.raises(LogError, match="no column 'department' for the department") as error:
        discover_maps_chunked(str(tmp_path))
    assert "kolom 'department'" in error.value.say("nl")
