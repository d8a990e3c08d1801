"""Opening a source where it lives (discovery.engine.places): Parquet folders and globs, a
DuckDB file, PostgreSQL (read-only, a query only a SELECT) and Spark; every problem a
LogError with the source masked and never the password."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from discovery.engine import expressions as expr
from discovery.engine._place_errors import said_of
from discovery.engine.places import (
    Place,
    count_rows,
    fetch_rows,
    open_place,
    place_of,
    require_columns,
)
from discovery.errors import LogError
from discovery.io.sources import parse_source

EVENTS = pd.DataFrame(
    {
        "zaak": ["1", "1", "2", "2", "3"],
        "stap": ["Intake", "Triage", "Intake", "Ontslag", "Intake"],
        "tijd": pd.to_datetime(
            [
                "2024-01-01 08:00",
                "2024-01-01 09:00",
                "2024-02-01 10:00",
                "2024-02-02 10:00",
                "2024-03-03 11:00",
            ],
            utc=True,
        ),
        "maand": ["2024-01", "2024-01", "2024-02", "2024-02", "2024-03"],
    }
)


def _all_said(error: LogError) -> str:
    return " ".join(error.say(language) for language in ("en", "nl", "de"))


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["zaak", "tijd"]).reset_index(drop=True)


def test_place_of_any_ibis_table():
    place = place_of(expr.memtable(EVENTS), "geheugen")
    assert isinstance(place, Place) and place.backend == "duckdb"
    assert count_rows(place) == 5


def test_a_hive_partitioned_folder_is_read_lazily_with_its_partition_key(tmp_path):
    folder = tmp_path / "events"
    pq.write_to_dataset(pa.Table.from_pandas(EVENTS), folder, partition_cols=["maand"])
    place = open_place(parse_source(str(folder)))
    assert place.backend == "duckdb" and place.shown == str(folder)
    assert set(place.table.columns) == {"zaak", "stap", "tijd", "maand"}
    assert count_rows(place) == 5
    got = _sorted(fetch_rows(place, ["zaak", "stap", "tijd"]))
    pd.testing.assert_frame_equal(got, _sorted(EVENTS[["zaak", "stap", "tijd"]]))
    # lazy: rows are read when a query runs, so a file added after opening is counted
    more = EVENTS.head(1).assign(maand="2024-04")
    pq.write_to_dataset(pa.Table.from_pandas(more), folder, partition_cols=["maand"])
    assert count_rows(place) == 6


def test_a_glob_of_parquet_files(tmp_path):
    EVENTS.head(2).to_parquet(tmp_path / "a.parquet")
    EVENTS.tail(3).to_parquet(tmp_path / "b.parquet")
    (tmp_path / "notes.txt").write_text("not parquet")
    place = open_place(parse_source(str(tmp_path / "*.parquet")))
    assert count_rows(place) == 5


def test_a_missing_parquet_folder_is_a_log_error(tmp_path):
    with pytest.raises(LogError) as caught:
        open_place(parse_source(str(tmp_path / "none" / "*.parquet")))
    assert "none" in str(caught.value)


@pytest.fixture
def duckdb_file(tmp_path):
    path = tmp_path / "zorg.duckdb"
    with duckdb.connect(str(path)) as con:
        con.register("frame", EVENTS)
        con.execute("CREATE TABLE gebeurtenissen AS SELECT * FROM frame")
    return path


def test_a_duckdb_table_and_query(duckdb_file):
    place = open_place(parse_source(f"duckdb:{duckdb_file}?table=gebeurtenissen"))
    assert place.backend == "duckdb" and count_rows(place) == 5
    pd.testing.assert_frame_equal(_sorted(fetch_rows(place)), _sorted(EVENTS))
    query = "SELECT zaak, stap FROM gebeurtenissen WHERE stap = 'Intake'"
    picked = open_place(parse_source(f"duckdb:{duckdb_file}", query=query))
    assert count_rows(picked) == 3 and picked.table.columns == ("zaak", "stap")


def test_a_duckdb_file_is_opened_read_only(duckdb_file):
    place = open_place(parse_source(f"duckdb:{duckdb_file}?table=gebeurtenissen"))
    with pytest.raises(duckdb.Error, match="read-only"):
        place.table._find_backend().raw_sql("DELETE FROM gebeurtenissen")
    assert count_rows(place) == 5


@pytest.mark.parametrize(
    ("table", "query", "words"),
    [
        ("nergens", None, "there is no table 'nergens'"),
        (None, "DELETE FROM gebeurtenissen", "one SELECT"),
        (None, "SELECT 1; DROP TABLE gebeurtenissen", "one SELECT"),
        (None, "WITH d AS (DELETE FROM gebeurtenissen RETURNING *) SELECT * FROM d", "one SELECT"),
        (None, "SELEC zaak FROM gebeurtenissen", "cannot be read"),
    ],
)
def test_duckdb_problems_are_log_errors(duckdb_file, table, query, words):
    text = f"duckdb:{duckdb_file}" + (f"?table={table}" if table else "")
    with pytest.raises(LogError, match=words):
        open_place(parse_source(text, query=query))


def test_a_missing_duckdb_file(tmp_path):
    with pytest.raises(LogError, match="does not exist"):
        open_place(parse_source(f"duckdb:{tmp_path / 'nope.duckdb'}?table=t"))


def test_a_missing_column_is_named():
    place = place_of(expr.memtable(EVENTS), "geheugen")
    require_columns(place, ["zaak", "stap"])
    with pytest.raises(LogError) as caught:
        require_columns(place, ["zaak", "activiteit"])
    assert "'activiteit'" in str(caught.value) and "zaak, stap, tijd, maand" in str(caught.value)
    assert str(caught.value).startswith("geheugen")


def test_a_driver_error_quoting_the_password_is_masked():
    secret = "Geheim-123!"
    error = RuntimeError(
        f'connection to "postgresql://ana:{secret}@db/zorg" failed: password={secret}'
    )
    said = said_of(error, secret)
    assert secret not in str(said.params["reason"])


# PostgreSQL: the cluster of tests/servers.py (skips with the reason when not installed)


@pytest.fixture(scope="module")
def pg_events(postgres, postgres_table):
    postgres_table(EVENTS, "gebeurtenissen")
    return postgres


def test_a_postgresql_table_and_query(pg_events):
    spec = parse_source(pg_events.url("gebeurtenissen"), password=pg_events.password)
    place = open_place(spec)
    assert place.backend == "postgres" and count_rows(place) == 5
    assert pg_events.password not in place.shown and ":***@" in place.shown
    got = _sorted(fetch_rows(place))
    pd.testing.assert_frame_equal(got[["zaak", "stap"]], _sorted(EVENTS)[["zaak", "stap"]])
    assert (got["tijd"] == _sorted(EVENTS)["tijd"]).all()
    query = "SELECT zaak, count(*) AS n FROM gebeurtenissen GROUP BY zaak"
    counted = open_place(parse_source(pg_events.url(), query=query, password=pg_events.password))
    assert dict(fetch_rows(counted).itertuples(index=False)) == {"1": 2, "2": 2, "3": 1}


def test_every_postgresql_transaction_is_read_only(pg_events):
    """Even the superuser, who may write, cannot write through a place."""
    url = pg_events.url("gebeurtenissen", user=pg_events.admin)
    place = open_place(parse_source(url, password=pg_events.admin_password))
    with pytest.raises(Exception, match="read-only transaction"):
        place.table._find_backend().raw_sql("DELETE FROM gebeurtenissen")
    with pg_events.connect() as connection:
        assert connection.execute("SELECT count(*) FROM gebeurtenissen").fetchone() == (5,)


def test_a_postgresql_query_must_be_one_select(pg_events):
    for query in ("DELETE FROM gebeurtenissen", "SELECT 1; DELETE FROM gebeurtenissen"):
        with pytest.raises(LogError, match="one SELECT"):
            open_place(parse_source(pg_events.url(), query=query, password=pg_events.password))


def test_postgresql_problems_name_the_cause_never_the_password(pg_events):
    wrong = "Verkeerd-Wachtwoord-987"
    url, port = pg_events.url("gebeurtenissen"), str(pg_events.port)
    cases = [
        (
            f"postgresql://{pg_events.user}:{wrong}@127.0.0.1:{port}/{pg_events.database}?table=gebeurtenissen",
            None,
            "login refused",
        ),
        (url.replace(f":{port}/", ":1/"), wrong, "cannot reach the server"),
        (url.replace("127.0.0.1", "no-such-host.invalid"), wrong, "cannot reach the server"),
        (
            url.replace("gebeurtenissen", "nergens"),
            pg_events.password,
            "there is no table 'nergens'",
        ),
        (
            url.replace(f"/{pg_events.database}?", "/geen_db?"),
            pg_events.password,
            "database does not exist",
        ),
    ]
    for text, password, words in cases:
        with pytest.raises(LogError) as caught:
            open_place(parse_source(text, password=password))
        said = _all_said(caught.value)
        assert words in caught.value.say("en"), said
        assert wrong not in said and pg_events.password not in said and ":***@" in said
        assert "Traceback" not in said


def test_a_missing_postgresql_column_is_named(pg_events):
    place = open_place(parse_source(pg_events.url("gebeurtenissen"), password=pg_events.password))
    with pytest.raises(LogError, match="no column 'activiteit'"):
        require_columns(place, ["activiteit"])


# Spark local[2] (tests/servers.py; skips with the reason without Java or pyspark)


def test_a_spark_parquet_path_and_table(spark, spark_table, tmp_path):
    folder = tmp_path / "events"
    pq.write_to_dataset(pa.Table.from_pandas(EVENTS), folder, partition_cols=["maand"])
    place = open_place(parse_source(f"spark:{folder}"), session=spark)
    assert place.backend == "pyspark" and count_rows(place) == 5
    assert set(place.table.columns) == {"zaak", "stap", "tijd", "maand"}
    spark_table(EVENTS, "gebeurtenissen")
    table = open_place(parse_source("spark:gebeurtenissen"), session=spark)
    assert sorted(fetch_rows(table)["zaak"]) == sorted(EVENTS["zaak"])


def test_spark_problems_are_log_errors(spark, tmp_path):
    with pytest.raises(LogError, match="does not exist"):
        open_place(parse_source(f"spark:{tmp_path / 'none'}"), session=spark)
    with pytest.raises(LogError, match="there is no table 'nergens'"):
        open_place(parse_source("spark:nergens"), session=spark)


def test_a_postgresql_table_in_another_schema(pg_events):
    with pg_events.connect(admin=True) as connection:
        connection.execute("CREATE SCHEMA IF NOT EXISTS zorg")
        connection.execute("DROP TABLE IF EXISTS zorg.stappen")
        connection.execute("CREATE TABLE zorg.stappen AS SELECT * FROM gebeurtenissen LIMIT 3")
        connection.execute(f'GRANT USAGE ON SCHEMA zorg TO "{pg_events.user}"')
        connection.execute(f'GRANT SELECT ON zorg.stappen TO "{pg_events.user}"')
    url = pg_events.url("stappen") + "&schema=zorg"
    place = open_place(parse_source(url, password=pg_events.password))
    assert count_rows(place) == 3
    with pytest.raises(LogError, match="there is no table 'stappen'"):
        open_place(parse_source(pg_events.url("stappen"), password=pg_events.password))


def test_a_spark_query_only_a_select(spark, spark_table):
    spark_table(EVENTS, "gebeurtenissen")
    query = "SELECT zaak, stap FROM gebeurtenissen WHERE stap = 'Intake'"
    place = open_place(parse_source("spark:", query=query), session=spark)
    assert count_rows(place) == 3 and place.table.columns == ("zaak", "stap")
    for refused in (
        "DROP VIEW gebeurtenissen",
        "INSERT INTO gebeurtenissen SELECT * FROM gebeurtenissen",
    ):
        with pytest.raises(LogError, match="one SELECT"):
            open_place(parse_source("spark:", query=refused), session=spark)
    assert count_rows(open_place(parse_source("spark:gebeurtenissen"), session=spark)) == 5


def test_folders_globs_and_files_that_are_not_what_they_should_be(tmp_path):
    (tmp_path / "leeg").mkdir()
    with pytest.raises(LogError, match="no Parquet files"):
        open_place(parse_source(str(tmp_path / "leeg")))
    (tmp_path / "log.csv").write_text("zaak,stap\n1,Intake\n")
    with pytest.raises(LogError, match="read as Parquet files, and this one is not"):
        open_place(parse_source(str(tmp_path / "*.csv")))  # its schema is read on opening
    with pytest.raises(LogError, match="not a DuckDB database file"):
        open_place(parse_source(f"duckdb:{tmp_path / 'log.csv'}?table=t"))
