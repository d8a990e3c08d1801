"""Connect to a database in the app (Streamlit's AppTest): a DuckDB file read here and in
place, a real PostgreSQL table in place; the map drawn equals the library's map of the
same source; a wrong password is said without the password anywhere; Dutch texts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui.database
from discovery import InPlaceLog, discover_map, discover_variants, dot_to_svg, map_dot, open_source
from discovery.words import PSEUDO
from tests.test_app import graphs, metric, number, open_page, switch_to_dutch, texts
from tests.test_pseudo_locale import outside_catalogue, page_texts
from ui.charts import FIT

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_logs" / "hospital.csv"
WRONG = "niet-het-wachtwoord-42"


@pytest.fixture
def app(monkeypatch):
    """The app on its upload page (Graphviz's dot lays out its maps, as in test_app)."""
    if shutil.which("dot") is None:
        pytest.fail("Graphviz's dot is missing: run the tests with `python3 dev.py test`")
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return pd.read_csv(SAMPLE, sep=";", dtype=str, keep_default_na=False).replace("", None)


@pytest.fixture
def duckdb_file(tmp_path, rows) -> Path:
    path = tmp_path / "zorg.duckdb"
    with duckdb.connect(str(path)) as con:
        con.register("frame", rows)
        con.execute("CREATE TABLE gebeurtenissen AS SELECT * FROM frame")
    return path


def connect(at, source: str, table: str = "", password: str = "", *, again: bool = False):
    """Fill in the connect part of the upload page and press Connect (`again`: on the
    upload page already, showing an earlier attempt's error)."""
    if not again:
        open_page(at, "upload")
    at.text_input(key=ui.database.SOURCE_FIELD).input(source)
    at.text_input(key=ui.database.TABLE_FIELD).input(table)
    at.text_input(key=ui.database.PASSWORD_FIELD).input(password)
    at.button(key="upload.database.connect").click().run()
    assert not at.exception, at.exception
    return at


def unescaped(text: str) -> str:
    """Markdown text as shown: without the backslashes that keep `*` and `_` as they are."""
    return re.sub(r"\\(.)", r"\1", text)


def everything(at) -> str:
    """Every text on the page, in the sidebar, the address and the session's values."""
    shown = [str(getattr(element, "value", "")) for element in at.main] + [
        str(getattr(element, "value", "")) for element in at.sidebar
    ]
    shown += [texts(at), texts(at.sidebar), str(dict(at.query_params))]
    shown += [repr(at.session_state[key]) for key in at.session_state]
    shown += [str(e.value) for e in at.error] + [str(i.value) for i in at.text_input]
    return "\n".join(shown)


def drawn_map(at, level: str = "activity") -> str:
    open_page(at, "process_map")
    if level != "activity":
        at.radio(key="map.level.en").set_value(level).run()
    return graphs(at)[0]


def expected_map(log, level: str = "activity", measure: str = "frequency") -> str:
    svg = dot_to_svg(map_dot(discover_map(log, level), measure, "en"))
    assert svg is not None
    return f'<div class="graph">{svg.replace("<svg", FIT, 1)}</div>'


def test_a_duckdb_table_is_read_here_and_mapped_as_the_library_maps_it(app, duckdb_file):
    source = f"duckdb:{duckdb_file}"
    connect(app, source, "gebeurtenissen")
    assert app.sidebar.radio(key="app.source.en").value == "database"
    said = [unescaped(success.value) for success in app.success]
    assert f"Connected: {source}?table=gebeurtenissen." in said
    library = open_source(source + "?table=gebeurtenissen")
    assert not isinstance(library, InPlaceLog)
    assert drawn_map(app) == expected_map(library)
    assert drawn_map(app, "department") == expected_map(library, "department")
    open_page(app, "overview")  # read here: every page works
    assert "This page needs the events here" not in texts(app)


def test_a_big_duckdb_table_stays_in_place_and_a_page_says_what_runs_there(
    app, duckdb_file, monkeypatch
):
    monkeypatch.setattr(ui.database, "LOCAL_LIMIT", 10)
    connect(app, f"duckdb:{duckdb_file}", "gebeurtenissen")
    assert "The rows stay in DuckDB" in texts(app.sidebar)
    library = open_source(f"duckdb:{duckdb_file}?table=gebeurtenissen", local_limit=10)
    assert isinstance(library, InPlaceLog)
    assert drawn_map(app) == expected_map(library)
    open_page(app, "variants")
    assert len(app.dataframe[0].value) == len(discover_variants(library).variants)
    open_page(app, "handoffs")
    assert "1. Cases wait a median of" in texts(app)
    open_page(app, "compare")  # the overview and journey run in place too (..._in_place.py)
    assert "This page needs the events here, and this log stays in DuckDB" in texts(app)
    switch_to_dutch(app)
    assert "Deze pagina heeft de gebeurtenissen hier nodig" in texts(app)
    open_page(app, "upload")
    assert "Verbinden met een database" in [subheader.value for subheader in app.subheader]
    assert "De rijen blijven in DuckDB" in texts(app.sidebar)


def test_a_small_log_in_place_is_brought_here_when_asked(app, duckdb_file, monkeypatch):
    monkeypatch.setattr(ui.database, "LOCAL_LIMIT", 10)
    connect(app, f"duckdb:{duckdb_file}", "gebeurtenissen")
    open_page(app, "compare")
    app.button(key="app.database.bring_here").click().run()
    assert not app.exception and not app.error
    assert "This page needs the events here" not in texts(app)
    assert "The rows stay in" not in texts(app.sidebar)
    library = open_source(f"duckdb:{duckdb_file}?table=gebeurtenissen")
    assert drawn_map(app) == expected_map(library)  # now drawn by the page of a log here


def test_a_missing_table_says_so(app, duckdb_file):
    connect(app, f"duckdb:{duckdb_file}", "bestaat_niet")
    errors = [unescaped(error.value) for error in app.error]
    assert errors == [
        f"Cannot connect: duckdb:{duckdb_file}?table=bestaat_niet: there is no table 'bestaat_niet'"
    ]
    assert "Traceback" not in everything(app)


def test_a_bad_connection_string_says_so(app):
    connect(app, "mysql://ana@db/zorg", "events")
    assert any("Cannot connect" in e.value for e in app.error)
    assert app.sidebar.radio(key="app.source.en").value != "database"


def test_a_postgresql_table_in_place(app, postgres, postgres_table, rows):
    postgres_table(rows, "gebeurtenissen")
    connect(app, postgres.url(), "gebeurtenissen", postgres.password)
    assert not app.error, [e.value for e in app.error]
    assert postgres.password not in everything(app)
    assert app.text_input(key=ui.database.PASSWORD_FIELD).value == ""
    assert "The rows stay in PostgreSQL" in texts(app.sidebar)
    library = open_source(postgres.url("gebeurtenissen"), password=postgres.password)
    assert isinstance(library, InPlaceLog)
    read, used = (number(metric(app, label)) for label in ("Rows read", "Rows used"))
    assert (read, used) == (library.quality.rows_read, library.quality.rows_used)
    for level in ("activity", "department"):
        assert drawn_map(app, level) == expected_map(library, level)
    app.radio(key="map.measure.en").set_value("performance").run()
    assert graphs(app)[0] == expected_map(library, "department", "performance")
    assert postgres.password not in everything(app)


def test_a_wrong_password_is_said_without_the_password(app, postgres, postgres_table, rows):
    postgres_table(rows, "gebeurtenissen")
    url = (
        postgres.url()
        .replace("://", f"://{postgres.user}:{WRONG}@", 1)
        .replace(f"{postgres.user}@", "", 1)
    )
    connect(app, url, "gebeurtenissen")
    errors = [e.value for e in app.error]
    assert errors and "Cannot connect" in errors[0]
    assert "***" in unescaped(errors[0])  # the source, masked
    assert WRONG not in everything(app)
    connect(app, postgres.url(), "gebeurtenissen", WRONG, again=True)
    assert app.error and WRONG not in everything(app)
    assert app.sidebar.radio(key="app.source.en").value != "database"


def test_a_reload_asks_to_connect_again(app, duckdb_file):
    connect(app, f"duckdb:{duckdb_file}", "gebeurtenissen")
    assert app.query_params["log"] == "database"  # that a database is in use, never which
    reloaded = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    reloaded.query_params["log"] = "database"
    reloaded.run()
    assert reloaded.sidebar.radio(key="app.source.en").value == "database"
    assert "No database connected yet" in texts(reloaded.sidebar)


def test_every_text_of_a_log_in_place_goes_through_the_catalogue(duckdb_file, monkeypatch):
    """The pseudo language wraps every catalogue text; what is left is the data."""
    import ui.i18n

    monkeypatch.setattr(ui.database, "LOCAL_LIMIT", 10)
    monkeypatch.setitem(ui.i18n.LANGUAGES, PSEUDO, "Pseudo")
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.sidebar.radio(key="app.language").set_value(PSEUDO).run()
    at = connect(app, f"duckdb:{duckdb_file}", "gebeurtenissen")
    source = f"duckdb:{duckdb_file}?table=gebeurtenissen"
    missed = []
    for page in ("upload", "process_map", "variants", "handoffs", "overview"):
        open_page(at, page)
        shown = [(where, unescaped(text).replace(source, " ")) for where, text in page_texts(at)]
        assert any("⟦DuckDB⟧" in text for _, text in shown), page  # said in place
        missed += [
            (page, where, left) for where, text in shown if (left := outside_catalogue(text))
        ]
    assert missed == []


def test_a_spark_table_in_place(app, spark, spark_table, rows):
    spark_table(rows, "gebeurtenissen")
    connect(app, "spark:gebeurtenissen")
    assert not app.error, [e.value for e in app.error]
    assert "The rows stay in Spark" in texts(app.sidebar)
    library = open_source("spark:gebeurtenissen")
    assert isinstance(library, InPlaceLog)
    assert drawn_map(app, "department") == expected_map(library, "department")
