"""The same analyses on real servers: a throwaway PostgreSQL cluster and Spark local[2]
(tests/servers.py; skipped with the reason where PostgreSQL or Java is absent). The source
rows of the sample logs, Sepsis and Helpdesk go into each, are opened where they live, and
every map, variant table, handoff table and bottleneck ranking computed there equals the
local route's exactly, every float to the last bit (medians and P90s interpolated by the
local route's code from order statistics found there); the case sample and a filter are the
same on every backend.
"""

from __future__ import annotations

import pandas as pd
import pytest

from discovery.engine.in_place import (
    SPARK_KEPT,
    InPlaceLog,
    open_in_place,
    prepared_in_place,
    run_in_place,
)
from discovery.engine.places import Place, open_place
from discovery.io import read_table
from discovery.io._table import RawTable
from discovery.io.sources import parse_source
from discovery.log.event_log import to_event_log
from discovery.mining.cases import sample_cases
from discovery.mining.filters import (
    CaseAttribute,
    DepartmentsTouched,
    Follows,
    VariantSelection,
    apply_filters,
)
from discovery.mining.variants import discover_variants
from tests.test_in_place import (
    SAMPLES,
    SHARED,
    assert_frames_equal,
    assert_same_analyses,
    cells,
    duckdb_place,
    lifecycle_rows,
    number_rows,
    presorted,
    rows_of,
    sample_path,
)


@pytest.fixture(scope="module")
def on_postgres(postgres, postgres_table):
    """`on_postgres(raw, name) -> Place`: the rows as a table of the cluster, opened as the
    CLI opens a postgresql:// source (read-only, password given apart)."""

    def place(raw: RawTable, name: str) -> Place:
        postgres_table(rows_of(raw), name)
        return open_place(parse_source(postgres.url(name), password=postgres.password))

    return place


@pytest.fixture(scope="module")
def on_spark(spark, spark_table):
    """`on_spark(raw, name) -> Place`: the rows as a Spark table, opened as spark:NAME."""

    def place(raw: RawTable, name: str) -> Place:
        spark_table(rows_of(raw), name)
        return open_place(parse_source(f"spark:{name}"), session=spark)

    return place


@pytest.fixture(params=["spark", "postgres"])
def server(request):
    """Each real server in turn, as a function from rows to a place. Spark first: its
    gateway starts by a fork, which has crashed in the child once this process held many
    DuckDB connections (`discovery.values.timestamps._forget_database`)."""
    return request.getfixturevalue(f"on_{request.param}")


@pytest.mark.parametrize("name", SAMPLES)
def test_every_analysis_on_a_server_equals_the_local_route_on_the_sample_logs(server, name):
    raw = presorted(read_table(sample_path(name)))
    in_place = open_in_place(server(raw, name))
    assert in_place.quality.rows_used == len(raw.frame)
    assert_same_analyses(to_event_log(raw), in_place)


@pytest.mark.slow
@pytest.mark.parametrize("name", SHARED[:2])
def test_every_analysis_on_a_server_equals_the_local_route_on_shared_logs(
    server, shared_logs, name
):
    raw = presorted(read_table(shared_logs / name))
    in_place = open_in_place(server(raw, name.split(".")[0]))
    assert in_place.quality.rows_used == len(raw.frame)
    assert_same_analyses(to_event_log(raw), in_place)


def test_start_and_complete_rows_fold_on_every_backend(server):
    """A small log with start, complete and suspend rows. (BPI 2012 W with two timestamps,
    118,604 rows, folds equal to the local route on DuckDB, test_in_place.py; on PostgreSQL
    one of its queries ran over four minutes, on Spark local[2] over ten: left to do.)"""
    rows = lifecycle_rows()
    raw = RawTable(rows, "lifecycle", "dataframe")
    local, in_place = to_event_log(rows), open_in_place(server(raw, "lifecycle"))
    assert in_place.quality.merged_rows == local.quality.merged_rows == 2
    assert_same_analyses(local, in_place)


def test_the_quality_counts_and_ties_are_the_same_on_every_backend(server, shared_logs):
    """Sepsis as published (ties in time kept): the same counts where the rows live."""
    raw = read_table(shared_logs / "sepsis.csv")
    here = open_in_place(duckdb_place(raw, "sepsis_ties")).quality
    there = open_in_place(server(raw, "sepsis_ties")).quality
    assert there == here
    assert there.tied_events > 0


def kept_ids(log: InPlaceLog) -> list[str]:
    return sorted(run_in_place(log.events.select("case_id").distinct())["case_id"])


def test_filters_and_the_case_sample_are_the_same_on_every_backend(server):
    raw = presorted(read_table(sample_path("hospital")))
    here = open_in_place(duckdb_place(raw, "hospital"))
    there = open_in_place(server(raw, "hospital_filters"))
    chosen = [
        VariantSelection(coverage=0.8),
        Follows("Triage", "Ontslag", directly=False),
        DepartmentsTouched(("Radiologie", "Apotheek"), require_all=True),
    ]
    for selection in chosen:
        assert kept_ids(apply_filters(there, [selection])) == kept_ids(
            apply_filters(here, [selection])
        )
    both = apply_filters(there, chosen)
    assert_frames_equal(
        discover_variants(apply_filters(here, chosen)).variants,
        discover_variants(both).variants,
        "filtered variants",
    )
    sample = sample_cases(there, per_variant=2, seed=3)
    pd.testing.assert_frame_equal(
        sample, sample_cases(here, per_variant=2, seed=3), check_exact=True
    )


def test_numbers_in_text_columns_read_as_the_local_reader_writes_them(server, tmp_path):
    """An integer, a whole float and a float with decimals as text: "85", "85" and "85.5",
    "1e-05", "12345678.5" on DuckDB, PostgreSQL and Spark, as the local reader writes them
    from the same Parquet file; attribute filters on them keep the same cases."""
    number_rows().to_parquet(tmp_path / "numbers.parquet")
    raw = presorted(read_table(tmp_path / "numbers.parquet"))
    local = to_event_log(raw)
    here = open_in_place(duckdb_place(raw, "numbers"))
    there = open_in_place(server(raw, "numbers"))
    columns = ["case_id", "activity", "resource", "department", "channel"]
    expected = cells(local.events[columns])
    for log in (here, there):
        assert cells(run_in_place(log.events.select(*columns))) == expected
    assert set(local.events["channel"]) >= {"1e-05", "12345678.5", "0.0001", "-2.75"}
    assert set(local.events["department"].dropna()) == {"85", "12", "3", "250000000000000000000"}
    chosen = [
        CaseAttribute("department", ("85",)),
        CaseAttribute("channel", ("1e-05", "12345678.5")),
        CaseAttribute("resource", ("12",), keep=False),
    ]
    for selection in chosen:
        kept = sorted(apply_filters(local, [selection]).events["case_id"].unique())
        assert 0 < len(kept) < 6
        assert kept_ids(apply_filters(here, [selection])) == kept
        assert kept_ids(apply_filters(there, [selection])) == kept


def test_spark_keeps_the_prepared_events_of_the_last_few_levels(on_spark):
    """On Spark an analysis's queries share one cached copy of the prepared events; the
    least recently used goes beyond `SPARK_KEPT`."""
    raw = read_table(sample_path("complaints"))
    log = open_in_place(on_spark(raw, "complaints_kept"))
    first = prepared_in_place(log, "activity")
    assert prepared_in_place(log, "activity") is first
    for level in ("department", "resource", "channel"):
        prepared_in_place(log, level)
    assert prepared_in_place(log, "activity") is first  # 4 kept: still there, now the newest
    other = open_in_place(on_spark(raw, "complaints_other"))
    for level in ("activity", "department", "resource", "channel"):
        prepared_in_place(other, level)
    assert SPARK_KEPT == 4
    assert prepared_in_place(log, "activity") is not first  # let go, made again
    assert run_in_place(first.count())["value"].iloc[0] == len(raw.frame)  # still usable
