"""What a SOURCE string names (discovery.io.sources): kinds, passwords masked, clear errors."""

from __future__ import annotations

import pytest

from discovery.errors import LogError
from discovery.io.sources import PASSWORD_VARIABLE, parse_source

SECRET = "s3cr3t-Wachtwoord"


@pytest.fixture(autouse=True)
def _no_password_variable(monkeypatch):
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)


def test_a_postgresql_url_loses_its_password_to_the_spec():
    spec = parse_source(f"postgresql://ana:{SECRET}@db.example:5433/zorg?table=events")
    assert (spec.kind, spec.table, spec.query) == ("postgresql", "events", None)
    assert spec.location == "postgresql://ana@db.example:5433/zorg"
    assert spec.password == SECRET
    assert spec.shown == "postgresql://ana:***@db.example:5433/zorg?table=events"
    assert SECRET not in repr(spec) and SECRET not in spec.shown


def test_the_password_argument_wins_over_the_variable_and_the_url(monkeypatch):
    monkeypatch.setenv(PASSWORD_VARIABLE, "from-variable")
    url = "postgresql://ana:in-url@db/zorg?table=t"
    assert parse_source(url, password="given").password == "given"
    assert parse_source(url).password == "from-variable"
    monkeypatch.delenv(PASSWORD_VARIABLE)
    assert parse_source(url).password == "in-url"
    assert parse_source("postgresql://ana@db/zorg?table=t").password is None
    assert parse_source("postgresql://ana@db/zorg?table=t").shown == (
        "postgresql://ana@db/zorg?table=t"
    )


def test_an_encoded_password_and_user_are_decoded_and_still_masked():
    spec = parse_source("postgresql://an%40a:p%40ss%2Fw@db/zorg?table=t")
    assert spec.password == "p@ss/w"
    assert spec.shown == "postgresql://an%40a:***@db/zorg?table=t"


def test_a_query_from_the_option_or_the_url():
    spec = parse_source("postgresql://ana@db/zorg", query="SELECT * FROM events")
    assert (spec.table, spec.query) == (None, "SELECT * FROM events")
    assert spec.shown == "postgresql://ana@db/zorg?query=SELECT * FROM events"
    in_url = parse_source("postgresql://ana@db/zorg?query=SELECT%201&schema=zorg")
    assert in_url.query == "SELECT 1" and dict(in_url.options) == {"schema": "zorg"}


def test_duckdb_and_spark_sources():
    duck = parse_source("duckdb:data/zorg.duckdb?table=gebeurtenissen")
    assert (duck.kind, duck.location, duck.table) == (
        "duckdb",
        "data/zorg.duckdb",
        "gebeurtenissen",
    )
    assert duck.shown == "duckdb:data/zorg.duckdb?table=gebeurtenissen"
    spark = parse_source("spark:warehouse.events")
    assert (spark.kind, spark.location, spark.shown) == (
        "spark",
        "warehouse.events",
        "spark:warehouse.events",
    )


def test_files_folders_and_globs(tmp_path):
    (tmp_path / "log.csv").write_text("a\n")
    assert parse_source(str(tmp_path / "log.csv")).kind == "file"
    assert parse_source(str(tmp_path)).kind == "parquet"
    assert parse_source(str(tmp_path / "year=*" / "*.parquet")).kind == "parquet"
    assert parse_source("missing.csv").kind == "file"  # the file reader says it is missing
    (tmp_path / "export[1].csv").write_text("a\n")
    assert parse_source(str(tmp_path / "export[1].csv")).kind == "file"  # not a glob


@pytest.mark.parametrize(
    ("text", "kwargs", "words"),
    [
        ("", {}, "no source given"),
        ("mysql://ana:{s}@db/zorg", {}, "'mysql:' is not a source"),
        ("postgresql://ana:{s}@db:99999/zorg?table=t", {}, "port is not a number"),
        ("postgresql://ana:{s}@db:abc/zorg?table=t", {}, "port is not a number"),
        ("postgresql://ana:{s}@/zorg?table=t", {}, "names no host"),
        ("postgresql://ana:{s}@db/?table=t", {}, "names no database"),
        ("postgresql://ana:{s}@db/zorg", {}, "add ?table=NAME"),
        ("postgresql://ana:{s}@db/zorg?tabel=t", {}, "unknown setting 'tabel'"),
        ("postgresql://ana:{s}@db/zorg?table=", {}, "setting 'table' is empty"),
        ("postgresql://ana:{s}@db/zorg?table=t", {"query": "SELECT 1"}, "not both"),
        ("duckdb:?table=t", {}, "needs a path"),
        ("duckdb:zorg.duckdb", {}, "add ?table=NAME"),
        ("log.csv", {"query": "SELECT 1"}, "--query applies to a database"),
    ],
)
def test_bad_sources_say_what_is_wrong_without_the_password(text, kwargs, words):
    with pytest.raises(LogError) as caught:
        parse_source(text.format(s=SECRET), **kwargs)
    for language in ("en", "nl", "de"):
        assert SECRET not in caught.value.say(language)
    assert words in caught.value.say("en")
    assert caught.value.say("nl") != caught.value.say("en")


def test_a_windows_drive_is_a_path_not_a_scheme():
    assert parse_source(r"C:\exports\log.csv").kind == "file"
