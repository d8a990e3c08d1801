"""The real servers the tests start (tests/servers.py): what goes in comes back, row for row,
a refused login is refused, and a stopped cluster leaves nothing behind."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from tests import servers
from tests.conftest import SAMPLE_LOGS


def awkward_rows() -> pa.Table:
    """The rows a loader gets wrong first: quotes, commas, line breaks and non-ASCII in text
    and in a column name, an empty text next to a missing one, times with and without a zone,
    a column with nothing in it."""
    frame = pd.DataFrame(
        {
            "row": [0, 1, 2, 3],
            'patiënt "id"': ['P1, "the first"', "P2\nsecond line", "", None],
            "activity": pd.Categorical(["Triage", "Röntgen", "Triage", "Ontslag"]),
            "at": pd.to_datetime(
                ["2025-03-01 16:41:00.123456", None, "2025-03-30 01:30", "2025-10-26 03:30"],
                format="ISO8601",
            ).tz_localize("Europe/Amsterdam"),
            "written": pd.to_datetime(
                ["2025-03-01 16:41", "2025-03-02", None, "1999-12-31"], format="ISO8601"
            ),
            "score": [7.5, None, 0.0, -1.25],
            "done": [True, False, None, True],
            "nothing": [None, None, None, None],
        }
    )
    return pa.Table.from_pandas(frame, preserve_index=False)


def complaints_rows() -> pa.Table:
    """A sample log's source rows as a reader would give them, with a row number."""
    frame = pd.read_csv(SAMPLE_LOGS / "complaints.csv", parse_dates=["timestamp"])
    return pa.Table.from_pandas(frame.assign(row=range(len(frame))), preserve_index=False)


def expected(rows: pa.Table) -> pa.Table:
    """What a server gives back: categories as their text, times in microseconds and UTC, an
    empty column as text."""
    table = servers._plain(rows)
    fields = [
        pa.field(f.name, pa.timestamp("us", "UTC" if f.type.tz else None))
        if pa.types.is_timestamp(f.type)
        else pa.field(f.name, pa.string())
        if pa.types.is_large_string(f.type) or pa.types.is_null(f.type)
        else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def same_rows(back: pa.Table, rows: pa.Table) -> None:
    want = expected(rows)
    back = back.select(want.column_names).sort_by("row").cast(want.schema)
    assert back.num_rows == want.num_rows
    for name in want.column_names:
        assert back[name].to_pylist() == want[name].to_pylist(), name


@pytest.mark.parametrize("made", [awkward_rows, complaints_rows])
def test_a_table_comes_back_from_postgres_row_for_row(postgres, postgres_table, made):
    import ibis

    rows = made()
    name = postgres_table(rows, "Loaded rows")
    connection = ibis.postgres.connect(
        host=postgres.host,
        port=postgres.port,
        database=postgres.database,
        user=postgres.user,
        password=postgres.password,
    )
    try:
        same_rows(connection.table(name).to_pyarrow(), rows)
    finally:
        connection.disconnect()


@pytest.mark.parametrize("made", [awkward_rows, complaints_rows])
def test_a_table_comes_back_from_spark_row_for_row(spark, spark_table, made):
    import ibis

    rows = made()
    name = spark_table(rows, "loaded_rows")
    same_rows(spark.table(name).toArrow(), rows)
    assert ibis.pyspark.connect(spark).table(name).count().execute() == rows.num_rows


def test_the_reading_user_reads_and_changes_nothing_and_a_wrong_password_is_refused(
    postgres, postgres_table
):
    import psycopg

    postgres_table(awkward_rows(), "readable")
    with postgres.connect() as connection:
        assert connection.execute('SELECT count(*) FROM "readable"').fetchone() == (4,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute('DELETE FROM "readable"')
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(
            host=postgres.host,
            port=postgres.port,
            dbname=postgres.database,
            user=postgres.user,
            password=postgres.password + "-wrong",
        )


def test_a_stopped_cluster_is_gone():
    import psycopg

    try:
        cluster = servers.start_postgres()
    except servers.Unavailable as reason:
        pytest.skip(str(reason))
    try:
        with cluster.connect() as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
    finally:
        servers.stop_postgres(cluster)
    assert not cluster.folder.exists()
    with pytest.raises(psycopg.OperationalError):
        cluster.connect()
    with socket.socket() as probe:
        assert probe.connect_ex((cluster.host, cluster.port)) != 0  # nothing listens


def test_without_the_programs_the_servers_are_unavailable_and_say_how_to_get_them(
    monkeypatch, tmp_path
):
    """What the fixtures skip with when PostgreSQL or Java is missing."""
    monkeypatch.setattr(servers, "DEBIAN_POSTGRES", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(servers.Unavailable, match=r"initdb is not installed.*dev\.py test"):
        servers.start_postgres()
    with pytest.raises(servers.Unavailable, match=r"Java is not installed.*openjdk-17"):
        servers.start_spark()


def test_a_killed_runs_cluster_is_removed_by_the_next_start():
    """A test run killed before its teardown leaves its server running; the next run that
    starts a cluster stops it and removes its folder."""
    try:
        servers.postgres_programs()
    except servers.Unavailable as reason:
        pytest.skip(str(reason))
    start = "from tests.servers import start_postgres; c = start_postgres()"
    start += "; print(c.folder, c.port, flush=True)"
    run = subprocess.Popen(
        [sys.executable, "-c", f"{start}; import time; time.sleep(600)"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    folder, port = run.stdout.readline().split()
    killed = Path(folder)
    run.kill()
    run.wait()
    run.stdout.close()
    assert (killed / "data" / "postmaster.pid").exists()  # left running
    cluster = servers.start_postgres()
    servers.stop_postgres(cluster)
    assert not killed.exists()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(port))) != 0  # its server stopped too


def test_start_up_times(postgres, spark):
    """How long each server took to start in this run (printed; a hang fails at 120 s)."""
    began = time.perf_counter()
    spark.range(1000).selectExpr("sum(id)").collect()
    first_query = time.perf_counter() - began
    line = (
        f"start-up: PostgreSQL cluster {servers.startup['postgres']:.1f} s, "
        f"Spark local[2] {servers.startup['spark']:.1f} s (first query {first_query:.1f} s); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(line, file=sys.stderr)
    assert 0 < servers.startup["postgres"] < 120
    assert 0 < servers.startup["spark"] < 120
