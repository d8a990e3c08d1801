"""`journey COMMAND SOURCE` for sources beyond a file, run as a user runs it: a stranger's
log (Sepsis, ../shared/logs) as a hive-partitioned Parquet folder and as a DuckDB table with
reduced, Dutch-named columns gives the map of the original CSV; PostgreSQL and Spark tables
of the hospital sample give the CSV's results; passwords never appear."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from discovery.cli import main
from tests.journey_cli import journey, valid

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs" / "hospital.csv"
SECRET = "Zeer-Geheim-Wachtwoord-77"
DUTCH = {
    "case:concept:name": "zaak",
    "concept:name": "activiteit",
    "time:timestamp": "tijdstip",
    "org:group": "afdeling",
}


def _json(*args: object, env: dict[str, str] | None = None) -> dict:
    done = journey(*args, "--json", env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def sepsis_places(shared_logs, tmp_path_factory) -> dict[str, str]:
    """Sepsis as a stranger keeps it: four Dutch-named columns, times as timestamps, in a
    Parquet folder partitioned by a case bucket (deel=0..3) and in a DuckDB table."""
    csv = shared_logs / "sepsis.csv"
    if not csv.exists():
        pytest.skip(f"{csv} is not here")
    rows = pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""])  # case 'NA' stays
    rows = rows[list(DUTCH)].rename(columns=DUTCH)
    rows["tijdstip"] = pd.to_datetime(rows["tijdstip"], utc=True)
    folder = tmp_path_factory.mktemp("sepsis")
    rows["deel"] = [zlib.crc32(case.encode()) % 4 for case in rows["zaak"]]
    table = pa.Table.from_pandas(rows, preserve_index=False)
    pq.write_to_dataset(table, folder / "parquet", partition_cols=["deel"])
    database = folder / "sepsis.duckdb"
    with duckdb.connect(str(database)) as con:
        con.register("rows", rows.drop(columns="deel"))
        con.execute("CREATE TABLE gebeurtenissen AS SELECT * FROM rows")
    return {
        "csv": str(csv),
        "parquet": str(folder / "parquet"),
        "glob": str(folder / "parquet" / "deel=*" / "*.parquet"),
        "duckdb": f"duckdb:{database}?table=gebeurtenissen",
    }


@pytest.mark.parametrize("kind", ["parquet", "duckdb"])
def test_a_strangers_log_in_parquet_or_duckdb_maps_as_its_csv(sepsis_places, kind):
    source, original = sepsis_places[kind], sepsis_places["csv"]
    assert (source_map := _json("map", source)) == _json("map", original)
    assert source_map["nodes"]  # not two empty maps
    by_department = _json("map", source, "--level", "department")
    assert by_department == _json("map", original, "--level", "department")


def test_a_glob_of_a_strangers_parquet_files_gives_its_variants(sepsis_places):
    # a glob names the files without their partition folders' key: the rows are the same
    assert _json("variants", sepsis_places["glob"]) == _json("variants", sepsis_places["csv"])


def test_inspect_a_parquet_folder_counts_every_row_as_the_csv(sepsis_places):
    folder, original = (
        _json("inspect", sepsis_places["parquet"]),
        _json("inspect", sepsis_places["csv"]),
    )
    for key in ("events", "cases", "activities", "departments", "rows_read", "rows_used"):
        assert folder[key] == original[key], key
    assert folder["source"] == sepsis_places["parquet"]
    assert folder["roles"]["case_id"] == "zaak" and folder["roles"]["activity"] == "activiteit"


def test_a_mapped_column_the_source_lacks_is_named(sepsis_places):
    done = journey("map", sepsis_places["duckdb"], "--map", "resource=medewerker")
    assert done.returncode == 2
    assert "no column 'medewerker'" in done.stderr and "Traceback" not in done.stderr


def test_bad_sources_exit_2_with_the_cause_and_no_password(tmp_path):
    cases = [
        (f"postgresql://ana:{SECRET}@127.0.0.1:1/zorg?table=t", "cannot reach the server"),
        (f"postgresql://ana:{SECRET}@127.0.0.1:1/zorg", "add ?table=NAME"),
        (f"mysql://ana:{SECRET}@db/zorg", "is not a source"),
        (f"duckdb:{tmp_path / 'geen.duckdb'}?table=t", "does not exist"),
    ]
    for source, words in cases:
        done = journey("map", source)
        assert done.returncode == 2, done.stderr
        assert words in done.stderr and SECRET not in done.stderr + done.stdout
        assert "Traceback" not in done.stderr


def test_a_password_variable_that_is_not_set_is_said():
    done = journey(
        "map", "postgresql://ana@db/zorg?table=t", "--password-env", "JOURNEY_TEST_UNSET_PW"
    )
    assert done.returncode == 2 and "JOURNEY_TEST_UNSET_PW" in done.stderr


def test_help_names_the_sources():
    done = journey("map", "--help")
    assert "duckdb:FILE?table=T" in done.stdout and "--password-env" in done.stdout
    assert "--query" in done.stdout


# PostgreSQL (tests/servers.py): the hospital sample's rows as text, as a CSV export keeps them


@pytest.fixture(scope="module")
def hospital_pg(postgres, postgres_table):
    rows = pd.read_csv(SAMPLE, sep=";", dtype=str, keep_default_na=False, na_values=[""])
    postgres_table(rows, "ziekenhuis")
    return postgres


def test_postgresql_lens_runs_there_and_equals_the_csv(hospital_pg, monkeypatch, capsys):
    """The journey lens with its segments, computed where the rows live (bringing them
    here is switched off), equals the CSV's: stages, touchpoints, drop-off, moments of
    truth, the segments found and those of one attribute."""
    import discovery._cli_sources as sources

    monkeypatch.setattr(sources, "PULL_ROWS", 0)
    monkeypatch.setenv("JOURNEY_DB_PASSWORD", hospital_pg.password)
    for asked in ([], ["--segment", "leeftijdsgroep"]):
        assert main(["lens", hospital_pg.url("ziekenhuis"), *asked, "--json"]) == 0
        lens = valid(json.loads(capsys.readouterr().out), "lens")
        assert _same(lens, _json("lens", SAMPLE, *asked)) and lens["stages"]
        assert lens["segments"] and hospital_pg.password not in json.dumps(lens)


def test_postgresql_password_from_a_named_variable_and_never_shown(hospital_pg):
    env = {"ZORG_PW": hospital_pg.password}
    found = _json("inspect", hospital_pg.url("ziekenhuis"), "--password-env", "ZORG_PW", env=env)
    assert found["source"] == hospital_pg.url("ziekenhuis").replace("@", ":***@")
    valid(found, "inspect")  # the document of a file's inspect
    local = _json("inspect", SAMPLE)
    same = set(local) - {"source", "notes", "findings", "schema_version"}
    assert {key: found[key] for key in same} == {key: local[key] for key in same}
    assert hospital_pg.password not in json.dumps(found)
    wrong = journey("map", hospital_pg.url("ziekenhuis"), env={"JOURNEY_DB_PASSWORD": SECRET})
    assert wrong.returncode == 2 and "login refused" in wrong.stderr
    assert SECRET not in wrong.stderr and "Traceback" not in wrong.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("map",),
        ("map", "--level", "department", "--from", "2025-06-01", "--to", "2025-09-30"),
        ("variants",),
        ("bottlenecks",),
        ("conformance", "--intended", SAMPLE.with_name("hospital_intended.csv")),
    ],
)
def test_postgresql_analyses_in_place_equal_the_csv(hospital_pg, command):
    env = {"JOURNEY_DB_PASSWORD": hospital_pg.password}
    found = valid(
        _json(command[0], hospital_pg.url("ziekenhuis"), *command[1:], env=env), command[0]
    )
    assert _same(found, _json(command[0], SAMPLE, *command[1:]))


def test_postgresql_query_source(hospital_pg):
    env = {"JOURNEY_DB_PASSWORD": hospital_pg.password}
    query = "SELECT * FROM ziekenhuis WHERE afdeling = 'Spoedeisende Hulp'"
    found = _json("inspect", hospital_pg.url(), "--query", query, env=env)
    rows = pd.read_csv(SAMPLE, sep=";", dtype=str)
    emergency = rows[rows["afdeling"] == "Spoedeisende Hulp"]
    assert found["departments"] == 1 and found["rows_read"] == len(emergency)
    assert found["cases"] == emergency["patiëntnummer"].nunique()
    refused = journey("map", hospital_pg.url(), "--query", "DELETE FROM ziekenhuis", env=env)
    assert refused.returncode == 2 and "one SELECT" in refused.stderr


def test_too_many_rows_to_bring_here_says_which_commands_run_in_place(
    hospital_pg, monkeypatch, capsys
):
    import discovery._cli_sources as sources

    monkeypatch.setattr(sources, "PULL_ROWS", 100)
    monkeypatch.setenv("JOURNEY_DB_PASSWORD", hospital_pg.password)
    assert main(["compare", hospital_pg.url("ziekenhuis"), "--split-date", "2025-09-01"]) == 2
    said = capsys.readouterr().err
    assert "17,531" in said and "inspect, map, variants, bottlenecks" in said
    assert "conformance, lens, report" in said


# Spark local[2] (tests/servers.py): the CLI starts its own session on a Parquet folder


def test_spark_parquet_map_equals_the_csv(spark, tmp_path):
    rows = pd.read_csv(SAMPLE, sep=";", dtype=str, keep_default_na=False, na_values=[""])
    rows.to_parquet(tmp_path / "ziekenhuis.parquet")
    assert _same(_json("map", f"spark:{tmp_path}"), _json("map", SAMPLE))


def _same(found: object, expected: object) -> bool:
    """Equal, floats to 1e-12 of each other: the P90s interpolated by Spark and PostgreSQL
    differ from numpy's in the last binary digits (13992.000000000018 for ...016)."""
    if isinstance(found, float) and isinstance(expected, float):
        return found == pytest.approx(expected, rel=1e-12)
    if isinstance(found, dict) and isinstance(expected, dict):
        return found.keys() == expected.keys() and all(
            _same(found[key], expected[key]) for key in found
        )
    if isinstance(found, list) and isinstance(expected, list):
        return len(found) == len(expected) and all(map(_same, found, expected))
    return found == expected


# A Parquet folder larger than routes.LOCAL_LIMIT stays where it lives (DuckDB)


@pytest.fixture(scope="module")
def hospital_folder(tmp_path_factory) -> Path:
    rows = pd.read_csv(SAMPLE, sep=";", dtype=str, keep_default_na=False, na_values=[""])
    rows["deel"] = [zlib.crc32(case.encode()) % 3 for case in rows["patiëntnummer"]]
    folder = tmp_path_factory.mktemp("hospital") / "parquet"
    pq.write_to_dataset(pa.Table.from_pandas(rows), folder, partition_cols=["deel"])
    return folder


def test_a_parquet_folder_over_the_limit_runs_in_place(hospital_folder, monkeypatch, capsys):
    import discovery.engine.routes as routes
    import discovery.mining.chunked as chunked

    local = json.loads(journey("map", SAMPLE, "--json").stdout)
    monkeypatch.setattr(routes, "LOCAL_LIMIT", 100)
    chunks = []
    scan = chunked.scan_chunked
    monkeypatch.setattr(chunked, "scan_chunked", lambda *a, **k: chunks.append(1) or scan(*a, **k))
    assert main(["map", str(hospital_folder), "--json"]) == 0
    assert _same(json.loads(capsys.readouterr().out), local)
    assert chunks  # unfiltered, the map of a dataset too large to read here is read chunked
    for command, *level in (["map", "--level", "department"], ["variants"]):
        expected = json.loads(journey(command, SAMPLE, *level, "--json").stdout)
        assert main([command, str(hospital_folder), *level, "--json"]) == 0
        assert _same(json.loads(capsys.readouterr().out), expected), command
    assert len(chunks) == 3
    period = ["--from", "2025-03-01", "--to", "2025-05-31"]  # a filter: queries in place
    expected = json.loads(journey("map", SAMPLE, *period, "--json").stdout)
    assert main(["map", str(hospital_folder), *period, "--json"]) == 0
    assert _same(json.loads(capsys.readouterr().out), expected)
    assert len(chunks) == 3
    assert main(["inspect", str(hospital_folder)]) == 0
    said = capsys.readouterr().out
    assert "17,531" in said and "counted where the rows live (duckdb)" in said
    assert main(["lens", str(hospital_folder), "--json"]) == 0  # the lens runs there too
    lens, expected = json.loads(capsys.readouterr().out), _json("lens", SAMPLE)
    segments, local = lens.pop("segments"), expected.pop("segments")  # "deel" is one more
    assert _same(lens, expected) and lens["stages"]
    tested = [one["attribute"] for one in segments["attributes"]]
    assert tested == [*(one["attribute"] for one in local["attributes"]), "deel"]


def test_a_report_from_postgresql_runs_there_and_equals_the_csvs(
    hospital_pg, tmp_path, monkeypatch, capsys
):
    """`journey report` on a PostgreSQL table computes every figure there (no rows are
    brought here: the pulling is switched off), and its HTML page equals the CSV's but for
    what says where the rows came from; the password is nowhere in it."""
    import discovery._cli_sources as sources
    from tests.test_report_in_place import comparable

    monkeypatch.setattr(sources, "PULL_ROWS", 0)  # bringing the rows here would stop it
    monkeypatch.setenv("JOURNEY_DB_PASSWORD", hospital_pg.password)
    out, local = tmp_path / "zorg.html", tmp_path / "local.html"
    url = hospital_pg.url("ziekenhuis")
    intended = str(SAMPLE.with_name("hospital_intended.csv"))
    options = ["--format", "html", "--intended", intended, "--tracers", "3"]
    assert main(["report", url, *options, "-o", str(out), "--json"]) == 0
    found = valid(json.loads(capsys.readouterr().out), "report")
    assert found["provenance"]["source"] == {"name": url.replace("@", ":***@"), "place": "postgres"}
    assert main(["report", str(SAMPLE), *options, "-o", str(local)]) == 0
    html = out.read_text(encoding="utf-8")
    assert url.replace("@", ":***@") in html and "PostgreSQL: analysed where" in html
    assert hospital_pg.password not in html and hospital_pg.password not in json.dumps(found)
    expected = local.read_text(encoding="utf-8")
    assert "Tracer cases" in html and "Conformance per month" in html
    assert comparable(html) == comparable(expected)


def test_what_only_a_local_log_does_brings_the_rows_here(hospital_folder, monkeypatch, capsys):
    """--drop-duplicates, --date-format, pseudonyms and a simplified map read the log here,
    so a source over the limit says so rather than ignoring them."""
    import discovery.engine.routes as routes

    monkeypatch.setattr(routes, "LOCAL_LIMIT", 100)
    for option in (["--drop-duplicates"], ["--activities", "0.5"], ["--pseudonymise"]):
        assert main(["map", str(hospital_folder), *option]) == 2
        assert "needs the rows here" in capsys.readouterr().err


def test_a_strangers_xes_log_as_a_dutch_parquet_folder_maps_as_the_xes(shared_logs, tmp_path):
    """Helpdesk (XES): case, activity, time and resource under Dutch names, partitioned."""
    from discovery.io import read_table

    xes = shared_logs / "helpdesk.xes.gz"
    if not xes.exists():
        pytest.skip(f"{xes} is not here")
    columns = {"case_id": "zaak", "activity": "activiteit", "timestamp": "tijdstip"}
    rows = read_table(xes).frame[[*columns, "resource"]]
    rows = rows.rename(columns={**columns, "resource": "medewerker"})
    rows["deel"] = [zlib.crc32(case.encode()) % 5 for case in rows["zaak"]]
    pq.write_to_dataset(pa.Table.from_pandas(rows), tmp_path / "helpdesk", partition_cols=["deel"])
    for level in ("activity", "resource"):
        found = _json("map", tmp_path / "helpdesk", "--level", level)
        assert found == _json("map", xes, "--level", level) and found["edges"]


def test_a_workspace_and_a_comparison_keep_no_password(hospital_pg, tmp_path):
    """A log brought from PostgreSQL is saved and compared under its masked name: the
    password is nowhere in the output or in the workspace's file."""
    url = hospital_pg.url("ziekenhuis").replace("@", f":{hospital_pg.password}@")
    folder = tmp_path / "ws"
    saved = journey("workspace", "add", url, "--title", "zorg", "--workspace", folder)
    assert saved.returncode == 0, saved.stderr
    listed = journey("workspace", "list", "--workspace", folder)
    compared = journey("compare", url, SAMPLE, "--json")
    assert compared.returncode == 0, compared.stderr
    masked = hospital_pg.url("ziekenhuis").replace("@", ":***@")
    assert masked in compared.stdout
    for done in (saved, listed, compared):
        assert hospital_pg.password not in done.stdout + done.stderr
    for file in folder.rglob("*"):
        if file.is_file():
            assert hospital_pg.password.encode() not in file.read_bytes(), file
