"""open_source: which way each SOURCE is opened, and the same map from every route as from
reading the same rows from a file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from discovery import (
    EventLog,
    InPlaceLog,
    LogError,
    ProcessMap,
    bring_here,
    discover_map,
    open_source,
    read_event_log,
    say,
)

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs" / "hospital.csv"


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    """The hospital sample's rows as text, under its Dutch headers (patiëntnummer, ...)."""
    return pd.read_csv(SAMPLE, sep=";", dtype=str, keep_default_na=False).replace("", None)


@pytest.fixture(scope="module")
def local() -> EventLog:
    return read_event_log(SAMPLE)


@pytest.fixture
def duckdb_file(tmp_path, rows) -> Path:
    path = tmp_path / "zorg.duckdb"
    with duckdb.connect(str(path)) as con:
        con.register("frame", rows)
        con.execute("CREATE TABLE gebeurtenissen AS SELECT * FROM frame")
    return path


def assert_same_map(found: ProcessMap, expected: ProcessMap) -> None:
    for part in ("nodes", "edges", "starts", "ends"):
        a, b = getattr(found, part), getattr(expected, part)
        keys = ["source", "target"] if part == "edges" else ["name"]
        a = a.sort_values(keys).reset_index(drop=True)
        b = b.sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_dtype=False, check_exact=False, rtol=1e-9)


def test_a_file_is_read_here(local):
    log = open_source(str(SAMPLE))
    assert isinstance(log, EventLog)
    assert_same_map(discover_map(log, "department"), discover_map(local, "department"))


def test_a_small_duckdb_table_is_read_here_with_its_quality_report(duckdb_file, local):
    log = open_source(f"duckdb:{duckdb_file}?table=gebeurtenissen")
    assert isinstance(log, EventLog)
    assert log.source == f"duckdb:{duckdb_file}?table=gebeurtenissen"
    assert log.mapping.columns["case_id"] == "patiëntnummer"
    assert log.quality.rows_read == local.quality.rows_read
    assert log.quality.rows_used == local.quality.rows_used
    assert say(log.quality.notes[0], "en") == f"{local.quality.rows_read:,} rows read from duckdb"
    for level in ("activity", "department"):
        assert_same_map(discover_map(log, level), discover_map(local, level))


def test_a_duckdb_table_over_the_limit_stays_in_place(duckdb_file, local):
    log = open_source(f"duckdb:{duckdb_file}?table=gebeurtenissen", local_limit=10)
    assert isinstance(log, InPlaceLog)
    assert log.place.backend == "duckdb"
    assert log.quality.rows_read == local.quality.rows_read
    assert_same_map(discover_map(log, "activity"), discover_map(local, "activity"))


def test_a_duckdb_query_is_routed_too(duckdb_file, local):
    query = "SELECT * FROM gebeurtenissen WHERE afdeling IS NOT NULL"
    log = open_source(f"duckdb:{duckdb_file}", query=query)
    assert isinstance(log, EventLog)
    assert log.n_cases == local.n_cases


def test_a_parquet_folder(tmp_path, rows, local):
    folder = tmp_path / "gebeurtenissen"
    folder.mkdir()
    half = len(rows) // 2
    pq.write_table(
        pa.Table.from_pandas(rows.iloc[:half], preserve_index=False), folder / "a.parquet"
    )
    pq.write_table(
        pa.Table.from_pandas(rows.iloc[half:], preserve_index=False), folder / "b.parquet"
    )
    here = open_source(str(folder))
    there = open_source(str(folder), local_limit=10)
    assert isinstance(here, EventLog) and isinstance(there, InPlaceLog)
    expected = discover_map(local, "department")
    assert_same_map(discover_map(here, "department"), expected)
    assert_same_map(discover_map(there, "department"), expected)


def test_bring_here_reads_a_small_in_place_log(duckdb_file, local):
    there = open_source(f"duckdb:{duckdb_file}?table=gebeurtenissen", local_limit=10)
    assert isinstance(there, InPlaceLog)
    here = bring_here(there)
    assert isinstance(here, EventLog)
    assert_same_map(discover_map(here, "activity"), discover_map(local, "activity"))
    with pytest.raises(LogError) as error:
        bring_here(there, local_limit=10)
    assert "10" in error.value.say("en")
    assert error.value.say("nl") != error.value.say("en")


def test_a_postgresql_table_stays_in_place(postgres, postgres_table, rows, local):
    postgres_table(rows, "gebeurtenissen")
    source = postgres.url("gebeurtenissen")
    log = open_source(source, password=postgres.password)
    assert isinstance(log, InPlaceLog)
    assert log.place.backend == "postgres"
    assert postgres.password not in log.source
    for level in ("activity", "department"):
        assert_same_map(discover_map(log, level), discover_map(local, level))


def test_a_wrong_postgresql_password_is_said_without_it(postgres, postgres_table, rows):
    postgres_table(rows, "gebeurtenissen")
    wrong = "niet-het-wachtwoord-42"
    with pytest.raises(LogError) as error:
        open_source(postgres.url("gebeurtenissen"), password=wrong)
    for language in ("en", "nl", "de"):
        assert wrong not in error.value.say(language)


def test_a_mapped_column_the_table_lacks_is_named(duckdb_file):
    with pytest.raises(LogError) as error:
        open_source(
            f"duckdb:{duckdb_file}?table=gebeurtenissen",
            mapping={"case_id": "zaak", "activity": "activiteit", "timestamp": "starttijd"},
        )
    assert "'zaak'" in error.value.say("en")
