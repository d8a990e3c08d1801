"""Mining in place on DuckDB: every analysis of a log left where it lives equals the local
route's on the same source rows (the sample logs, Sepsis and Helpdesk), exactly: every float
to the last bit, medians and P90s by the one definition of
`discovery.mining._map_arrays.interpolated`; its quality counts equal the local reader's;
its times are the local reader's UTC times, across the changes of summer time.

The in-place order within a case breaks ties in time by activity, resource, department and
channel (no source position exists in place); the source rows are put in that order first,
so that the local reader's tie-break (position) orders them the same way.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from discovery.engine.in_place import InPlaceLog, open_in_place, prepared_in_place, run_in_place
from discovery.engine.places import Place, place_of
from discovery.errors import LogError
from discovery.io import read_table
from discovery.io._table import RawTable
from discovery.log.event_log import EventLog, to_event_log
from discovery.log.quality import reason_kind
from discovery.log.schema import detect_roles
from discovery.mining.bottlenecks import find_bottlenecks
from discovery.mining.cases import sample_cases
from discovery.mining.filters import (
    CaseAttribute,
    CaseDuration,
    DepartmentsTouched,
    Endpoints,
    Follows,
    TimeWindow,
    VariantSelection,
    apply_filters,
)
from discovery.mining.handoffs import analyse_handoffs
from discovery.mining.maps import discover_map
from discovery.mining.variants import discover_variants

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ["hospital", "membership", "mortgage", "permit", "complaints"]
SHARED = ["sepsis.csv", "helpdesk.xes.gz", "BPI_Challenge_2012_W_Two_TS.xes.gz"]
HANDOFF_PARTS = ("per_case", "matrix", "pingpong", "resource_pingpong", "rework")
HANDOFF_PARTS += ("waiting_by_department",)


def presorted(raw: RawTable) -> RawTable:
    """The source rows in the in-place tie-break order (activity, resource, department,
    channel, lifecycle as text by code point, a missing value first), each stable: the
    local reader then breaks ties in time as the in-place order does."""
    roles = detect_roles(raw.frame, known=raw.roles)
    frame = raw.frame
    keys = {}
    for number, role in enumerate(("activity", "resource", "department", "channel", "lifecycle")):
        if role in roles:
            text = frame[roles[role]].astype("str")
            keys[f"key{number}"] = text.where(frame[roles[role]].notna() & (text.str.strip() != ""))
    order = pd.DataFrame(keys, index=frame.index).sort_values(
        list(keys), na_position="first", kind="stable"
    )
    return RawTable(frame.loc[order.index], raw.source, raw.format, raw.sheet, raw.notes, raw.roles)


def rows_of(raw: RawTable) -> pd.DataFrame:
    """The source rows as a plain frame, to load into a backend (times in microseconds, as
    the backends hold them)."""
    frame = raw.frame.reset_index(drop=True)
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.as_unit("us")
    return frame


def sample_path(name: str) -> Path:
    return ROOT / "sample_logs" / f"{name}.csv"


def first_hospital_cases(count: int) -> RawTable:
    """The hospital sample's rows (presorted) of its first `count` patients by number: a
    log small enough for Spark's slow tests."""
    raw = presorted(read_table(sample_path("hospital")))
    frame = raw.frame
    first = sorted(frame["patiëntnummer"].astype(str).unique())[:count]
    frame = frame[frame["patiëntnummer"].astype(str).isin(first)]
    return RawTable(frame, raw.source, raw.format, raw.sheet, raw.notes, raw.roles)


def both_routes(raw: RawTable, place: Place) -> tuple[EventLog, InPlaceLog]:
    """The local log of `raw` and the log in place of the same rows at `place`."""
    return to_event_log(raw), open_in_place(place)


def assert_frames_equal(local: pd.DataFrame, in_place: pd.DataFrame, what: str) -> None:
    assert list(in_place.columns) == list(local.columns), what
    pd.testing.assert_frame_equal(
        in_place.reset_index(drop=True),
        local.reset_index(drop=True),
        check_dtype=False,
        check_index_type=False,
        check_column_type=False,
        check_exact=True,
        obj=what,
    )


def assert_same_analyses(local: EventLog, in_place: InPlaceLog) -> None:
    """Every map (nodes, edges with waits, starts, ends) at every level the log has, the
    variants, every handoff table and both bottleneck rankings: equal."""
    for level in ("activity", "department", "resource", "channel"):
        if local.has(level):
            ours, theirs = discover_map(local, level), discover_map(in_place, level)
            for part in ("nodes", "edges", "starts", "ends"):
                assert_frames_equal(getattr(ours, part), getattr(theirs, part), f"{level} {part}")
    variants = discover_variants(in_place).variants
    assert_frames_equal(discover_variants(local).variants, variants, "variants")
    ours_h, theirs_h = analyse_handoffs(local), analyse_handoffs(in_place)
    for part in HANDOFF_PARTS:
        assert_frames_equal(getattr(ours_h, part), getattr(theirs_h, part), f"handoffs {part}")
    assert theirs_h.counts == ours_h.counts, "handoffs: the figures over cases"
    ours_b, theirs_b = find_bottlenecks(local), find_bottlenecks(in_place)
    assert_frames_equal(ours_b.edges, theirs_b.edges, "bottleneck edges")
    assert_frames_equal(ours_b.activities, theirs_b.activities, "bottleneck activities")


def duckdb_place(raw: RawTable, name: str) -> Place:
    """The rows as a table of a DuckDB database of their own (Ibis 12's create_table from a
    frame fails on DuckDB 2: the rows go in through DuckDB's own registration)."""
    con = ibis.duckdb.connect()
    con.con.register("source_rows", pa.Table.from_pandas(rows_of(raw), preserve_index=False))
    con.con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM source_rows')
    con.con.unregister("source_rows")
    return place_of(con.table(name), name)


def shared_raw(shared_logs: Path, name: str) -> RawTable:
    return presorted(read_table(shared_logs / name))


@pytest.mark.parametrize("name", SAMPLES)
def test_every_analysis_in_place_equals_the_local_route_on_the_sample_logs(name):
    raw = presorted(read_table(sample_path(name)))
    local, in_place = both_routes(raw, duckdb_place(raw, name))
    assert in_place.quality.rows_used == local.n_events
    assert_same_analyses(local, in_place)


@pytest.mark.slow
@pytest.mark.parametrize("name", SHARED)
def test_every_analysis_in_place_equals_the_local_route_on_shared_logs(shared_logs, name):
    raw = shared_raw(shared_logs, name)
    local, in_place = both_routes(raw, duckdb_place(raw, "shared"))
    assert in_place.quality.rows_used == local.n_events + local.quality.merged_rows
    assert in_place.quality.merged_rows == local.quality.merged_rows
    assert_same_analyses(local, in_place)


def lifecycle_rows() -> pd.DataFrame:
    """Two cases with start, complete, suspend rows; 2 starts fold into their complete."""
    return pd.DataFrame(
        {
            "case": ["1", "1", "1", "1", "1", "1", "2", "2"],
            "activity": ["A", "A", "B", "B", "B", "C", "A", "A"],
            "lifecycle": [
                "start",
                "complete",
                "START",
                "suspend",
                "complete",
                "start",
                "complete",
                "start",
            ],
            "timestamp": [
                "2025-01-01 10:00",
                "2025-01-01 10:05",
                "2025-01-01 10:10",
                "2025-01-01 10:12",
                "2025-01-01 10:20",
                "2025-01-01 10:30",
                "2025-01-01 11:00",
                "2025-01-01 11:10",
            ],
        }
    )


def test_start_and_complete_rows_are_folded_as_the_local_reader_folds_them():
    """Per case and activity the k-th start goes with the k-th complete after it; a start
    without a complete and a suspend stay events of their own."""
    rows = lifecycle_rows()
    local = to_event_log(rows)
    in_place = open_in_place(place_of(ibis.memtable(rows), "lifecycle"))
    assert in_place.quality.merged_rows == local.quality.merged_rows == 2
    found = run_in_place(in_place.events).sort_values(["case_id", "timestamp"])
    expected = local.events[["case_id", "activity", "lifecycle", "start_timestamp"]]
    assert found["activity"].tolist() == expected["activity"].tolist()
    assert found["lifecycle"].tolist() == expected["lifecycle"].tolist()
    starts = expected["start_timestamp"].dt.tz_localize(None).astype("datetime64[us]")
    assert found["start_timestamp"].astype("datetime64[us]").tolist() == starts.tolist()
    assert_same_analyses(local, in_place)


def test_the_results_are_real_the_hospital_map_has_its_known_shape():
    """Not two empty tables agreeing: the hospital sample's map in place has its 14
    activities, one start activity for all 1,500 cases, and waits on every edge."""
    raw = read_table(sample_path("hospital"))
    activity_map = discover_map(open_in_place(duckdb_place(raw, "h")), "activity")
    assert len(activity_map.nodes) == 14
    assert activity_map.starts["cases"].tolist() == [1500]
    assert activity_map.edges["wait_median_s"].notna().all()
    assert (activity_map.edges["wait_p90_s"] >= activity_map.edges["wait_median_s"]).all()


def test_ties_in_time_are_counted(shared_logs):
    """Sepsis as published: events of a case sharing a time, counted as the local log's
    events that share their case and timestamp with another."""
    raw = read_table(shared_logs / "sepsis.csv")
    local, in_place = both_routes(raw, duckdb_place(raw, "sepsis"))
    shared = local.events.duplicated(["case_id", "timestamp"], keep=False)
    assert in_place.quality.tied_events == int(shared.sum()) > 0


def filters_for(log: EventLog) -> list[object]:
    """One filter of each kind, with values taken from the hospital log."""
    first, last = log.period
    middle = first + (last - first) / 2
    return [
        TimeWindow(first, middle, "contained"),
        TimeWindow(middle, last, "intersecting"),
        TimeWindow(first, middle, "started"),
        CaseAttribute("leeftijdsgroep", ("75+", "18-34")),
        CaseAttribute("leeftijdsgroep", ("75+",), keep=False),
        VariantSelection(top=3),
        VariantSelection(coverage=0.8),
        Endpoints(end=("Triage",)),
        Endpoints(start=("Aanmelding SEH",), end=("Ontslagbrief verstuurd", "Opname")),
        CaseDuration(86_400.0),
        CaseDuration(3_600.0, 5 * 86_400.0),
        Follows("Triage", "Bloedafname"),
        Follows("Triage", "Ontslag", directly=False),
        Follows("Triage", "Ontslag", directly=False, keep=False),
        DepartmentsTouched(("Radiologie", "Apotheek")),
        DepartmentsTouched(("Radiologie", "Apotheek"), require_all=True),
        DepartmentsTouched(("Radiologie",), keep=False),
    ]


@pytest.fixture(scope="module")
def hospital() -> tuple[EventLog, InPlaceLog]:
    raw = presorted(read_table(sample_path("hospital")))
    return both_routes(raw, duckdb_place(raw, "hospital"))


@pytest.mark.parametrize("number", range(17))
def test_every_filter_in_place_keeps_the_cases_the_local_filter_keeps(hospital, number):
    local, in_place = hospital
    selection = filters_for(local)[number]
    kept_local = apply_filters(local, [selection])
    kept = apply_filters(in_place, [selection])
    assert isinstance(kept, InPlaceLog)
    ids = run_in_place(kept.events.select("case_id").distinct())["case_id"]
    assert sorted(ids) == sorted(kept_local.events["case_id"].unique())
    assert 0 < len(ids) < local.n_cases  # the filter decides something
    assert_frames_equal(
        discover_map(kept_local).edges, discover_map(kept).edges, f"filter {number} map"
    )


def test_filters_combine_and_filter_again(hospital):
    local, in_place = hospital
    chosen = filters_for(local)
    first, then = [chosen[5], chosen[14]], [chosen[9]]
    kept_local = apply_filters(apply_filters(local, first), then)
    kept = apply_filters(apply_filters(in_place, first), then)
    assert kept.filters == (*first, *then)
    assert_frames_equal(
        discover_variants(kept_local).variants, discover_variants(kept).variants, "variants"
    )


def test_the_case_sample_draws_per_variant_with_the_local_numbers_and_throughputs(hospital):
    local, in_place = hospital
    sample = sample_cases(in_place, per_variant=2, seed=7)
    variants = discover_variants(local).variants
    expected = variants["cases"].clip(upper=2)
    assert sample.groupby("variant").size().tolist() == expected.tolist()
    sizes = dict(zip(variants["variant"], variants["cases"], strict=True))
    assert (sample["variant_cases"] == sample["variant"].map(sizes)).all()
    per_case = analyse_handoffs(local).per_case.set_index("case_id")["throughput_s"]
    np.testing.assert_array_equal(sample["throughput_s"], per_case[sample["case_id"]])
    local_variant = pd.Series(discover_variants(local).variants.set_index("variant")["activities"])
    trail = local.events[local.events["case_id"] == sample["case_id"].iloc[0]]
    assert tuple(trail["activity"]) == local_variant[sample["variant"].iloc[0]]
    again = sample_cases(in_place, per_variant=2, seed=7)
    assert again.equals(sample)
    assert not sample_cases(in_place, per_variant=2, seed=8)["case_id"].equals(sample["case_id"])


def number_rows() -> pd.DataFrame:
    """Six cases whose resource is an integer, department a whole float (one missing, so
    stored as a float; one beyond int64) and channel a float with decimals, among them values
    that PostgreSQL ("85", "2.5e+20") and Spark ("1.0E-5", "1.23456785E7") write otherwise
    than Python."""
    cases = [str(n) for n in range(6) for _ in range(2)]
    return pd.DataFrame(
        {
            "case": cases,
            "activity": ["A", "B"] * 6,
            "timestamp": [f"2025-01-0{1 + n // 2} {10 + n % 2}:00" for n in range(12)],
            "resource": [85, 7, 85, 12, 3, 7, 85, 7, 3, 3, 12, 7],
            "department": [85.0, 12.0, 85.0, None, 3.0, 12.0, 85.0, 85.0, 3.0, 2.5e20, 12.0, 12.0],
            "channel": [85.5, 0.25, 1e-05, 12345678.5, 0.1, 85.5, -2.75, 0.0001, 1e-05, 85.5,
                        12345678.5, 0.25],
        }
    )  # fmt: skip


def cells(frame: pd.DataFrame) -> list[list[object]]:
    """The rows by case and activity, a missing value as None."""
    ordered = frame.sort_values(["case_id", "activity"])
    return [[None if pd.isna(v) else v for v in row] for row in ordered.itertuples(index=False)]


def test_numbers_in_text_columns_are_the_local_readers_on_duckdb(tmp_path):
    """Resource (integers), department (whole floats) and channel (decimals) as the local
    reader writes them from the same Parquet file (on the servers: test_cross_backend.py)."""
    number_rows().to_parquet(tmp_path / "numbers.parquet")
    raw = presorted(read_table(tmp_path / "numbers.parquet"))
    local, in_place = both_routes(raw, duckdb_place(raw, "numbers"))
    columns = ["case_id", "activity", "resource", "department", "channel"]
    found = cells(run_in_place(in_place.events.select(*columns)))
    assert found == cells(local.events[columns])
    assert {row[4] for row in found} >= {"1e-05", "12345678.5", "0.0001", "-2.75"}
    assert {row[3] for row in found} == {"85", "12", "3", "250000000000000000000", None}
    assert_same_analyses(local, in_place)


def quality_rows() -> pd.DataFrame:
    """A hand-made export: 9 rows, of which 2 lack their case (one blank), 1 its activity
    and 1 its time, and 1 has a time that cannot be read; 2 of the 4 used share their case
    and time."""
    return pd.DataFrame(
        {
            "zaaknummer": ["1", "1", "1", None, "2", " ", "2", "3", "3"],
            "activiteit": ["A", "B", "C", "A", None, "A", "B", "A", "B"],
            "datum": [
                "01-03-2025 10:00",
                "01-03-2025 11:00",
                "01-03-2025 11:00",
                "02-03-2025 09:00",
                "02-03-2025 10:00",
                "02-03-2025 11:00",
                "",
                "03-03-2025 10:00",
                "morgen",
            ],
        }
    )


def test_the_quality_counts_are_the_local_readers():
    rows = quality_rows()
    local = to_event_log(rows)
    in_place = open_in_place(place_of(ibis.memtable(rows), "quality"))
    quality = in_place.quality
    kinds = local.quality.rejected["reason"].map(reason_kind).value_counts().to_dict()
    assert quality.rows_read == local.quality.rows_read == 9
    assert quality.rows_used == local.n_events == 4
    assert quality.missing_case_id == kinds["rejected.missing_case_id"] == 2
    assert quality.missing_activity == kinds["rejected.missing_activity"] == 1
    assert quality.missing_timestamp == kinds["rejected.missing_timestamp"] == 1
    assert quality.unreadable_timestamp == kinds["rejected.unparseable_date.kind"] == 1
    assert quality.rows_rejected == 5
    assert quality.tied_events == 2


def test_wall_clock_times_are_read_in_the_logs_zone_across_summer_time():
    """Naive times in Europe/Amsterdam: the spring hour that does not exist and the autumn
    hour that occurs twice are read as the local reader reads them, as text and as
    timestamps without zone."""
    times = [
        "30-03-2025 01:59", "30-03-2025 02:30", "30-03-2025 03:00", "26-10-2025 01:30",
        "26-10-2025 02:30", "26-10-2025 03:00", "15-07-2025 12:00", "15-01-2025 12:00",
    ]  # fmt: skip
    rows = pd.DataFrame({"case": [str(n) for n in range(8)], "activity": "A", "date": times})
    local = to_event_log(rows).events.set_index("case_id")["timestamp"]
    for stored in (rows, rows.assign(date=pd.to_datetime(rows["date"], format="%d-%m-%Y %H:%M"))):
        in_place = open_in_place(place_of(ibis.memtable(stored), "zones"))
        found = run_in_place(in_place.events).set_index("case_id")["timestamp"]
        expected = local[found.index].dt.tz_convert("UTC").dt.tz_localize(None)
        assert found.to_numpy().astype("datetime64[us]").tolist() == (
            expected.to_numpy().astype("datetime64[us]").tolist()
        )
    assert str(local["1"]) == "2025-03-30 01:00:00+00:00"  # 02:30 moved to 03:00 CEST
    assert str(local["4"]) == "2025-10-26 00:30:00+00:00"  # 02:30 read as summer time


def test_times_with_a_zone_and_iso_text_are_read_as_utc():
    rows = pd.DataFrame(
        {
            "case": ["1", "1", "2"],
            "activity": ["A", "B", "A"],
            "timestamp": ["2025-06-01T10:00:00+02:00", "2025-06-01 10:00:00Z", "2025-06-01T10:00"],
        }
    )
    in_place = open_in_place(place_of(ibis.memtable(rows), "iso"))
    found = run_in_place(in_place.events.order_by(["case_id", "timestamp"]))["timestamp"]
    assert [str(t) for t in found] == [
        "2025-06-01 08:00:00", "2025-06-01 10:00:00", "2025-06-01 08:00:00",
    ]  # fmt: skip


def test_a_time_column_in_mixed_formats_is_refused_with_a_clear_message():
    rows = pd.DataFrame(
        {"case": ["1", "2"], "activity": ["A", "B"], "date": ["2025-03-01", "01/03/2025 10:00"]}
    )
    with pytest.raises(LogError, match="date"):
        open_in_place(place_of(ibis.memtable(rows), "mixed"))


def test_the_prepared_events_hold_neighbours_and_waits_per_case():
    rows = pd.DataFrame(
        {
            "case": ["1", "1", "1", "2"],
            "activity": ["A", "B", "A", "A"],
            "department": ["X", None, "X", "Y"],
            "start": ["2025-01-01 10:00", "2025-01-01 10:30", "2025-01-01 10:50", None],
            "end": ["2025-01-01 10:20", "2025-01-01 11:00", "2025-01-01 11:30", "2025-01-02"],
        }
    )
    log = open_in_place(place_of(ibis.memtable(rows), "p"))
    prepared = run_in_place(prepared_in_place(log, "department").order_by(["case_id", "order"]))
    assert prepared["order"].tolist() == [0, 1, 2, 0]
    assert prepared["department"].tolist() == ["X", "(none)", "X", "Y"]
    assert prepared["previous_department"].isna().tolist() == [True, False, False, True]
    assert prepared["previous_department"].tolist()[1:3] == ["X", "(none)"]
    assert prepared["first"].tolist() == [True, False, False, True]
    assert prepared["last"].tolist() == [False, False, True, True]
    # 10:20 -> 10:30 is 600 s; 11:00 -> 10:50 (overlap) is 0; no wait at a case's ends
    assert prepared["wait_before"].tolist()[1:3] == [600.0, 0.0]
    assert prepared["wait_after"].isna().tolist() == [False, False, True, True]
