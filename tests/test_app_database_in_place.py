"""The app's pages on a log in place (Streamlit's AppTest) where they needed the rows here
before: the cases behind a bottleneck, a step or a path, the simplified map, a variant as
the map's filter, the one-case report and the overview, each computed where the log
lives and equal to the same page or the library on the same log read here; and an error
nobody foresaw, said without the connection's password (a real PostgreSQL's)."""

# ruff: noqa: F811 (the fixtures of test_app_database, imported, are parameters here)

from __future__ import annotations

import ibis
import pandas as pd
import pytest

import discovery
import ui.database
from discovery import (
    ExactVariant,
    FileFingerprint,
    InPlaceLog,
    ProcessMap,
    apply_filters,
    cases_at_node,
    cases_on_edge,
    discover_map,
    discover_variants,
    dot_to_svg,
    find_bottlenecks,
    map_dot,
    masked_error,
    open_source,
    readable_detail,
    shadow_case,
    simplify_map,
)
from discovery.engine.in_place import run_in_place
from tests.test_app import graphs, open_page, texts
from tests.test_app_database import (  # noqa: F401 (fixtures)
    ROOT,
    app,
    connect,
    duckdb_file,
    everything,
    rows,
    unescaped,
)
from tests.test_app_database_filters import in_place  # noqa: F401 (a fixture)
from ui.cache import view
from ui.charts import FIT


def svg_of(process_map, measure: str = "frequency") -> str:
    svg = dot_to_svg(map_dot(process_map, measure, "en"))
    assert svg is not None
    return f'<div class="graph">{svg.replace("<svg", FIT, 1)}</div>'


def department_map_and_cases(
    app, here, index: int
) -> tuple[ProcessMap, pd.DataFrame, pd.DataFrame]:
    """The map page at department level, simplified to 60 % of the nodes and 50 % of the
    paths, asserted equal to the local route's; then the cases through its node `index`,
    asserted to be the local route's: the map, the table shown and the one expected."""
    app.radio(key="map.level.en").set_value("department").run()
    app.slider(key="map.activities").set_value(60).run()
    app.slider(key="map.paths").set_value(50).run()
    simplified = simplify_map(here, "department", 0.6, 0.5)
    assert graphs(app)[0] == svg_of(simplified)
    node = simplified.nodes["name"].iloc[index]
    app.selectbox(key="map.selection.en").set_value(f"node\x1f{node}").run()
    expected = cases_at_node(here, "department", node)
    shown = frame_shown(app, "case", "events", "wait before")
    assert list(shown.iloc[:, 0]) == list(expected["case_id"])
    return simplified, shown, expected


def frame_shown(app, *columns: str) -> pd.DataFrame:
    """The (one) table on the page with these columns, in this order."""
    (found,) = [f.value for f in app.dataframe if list(f.value.columns) == list(columns)]
    return found


def test_the_cases_behind_a_bottleneck_are_found_in_place(in_place):
    app, here, _ = in_place
    open_page(app, "handoffs")
    ranked = find_bottlenecks(here, discover_map(here)).edges.head(20)
    box = app.selectbox(key="handoffs.bottleneck")
    box.select(2).run()
    source, target = ranked["source"].iloc[2], ranked["target"].iloc[2]
    expected = cases_on_edge(here, "activity", source, target)
    shown = frame_shown(app, "case", "times", "wait")
    assert len(expected) > 1
    assert list(shown.iloc[:, 0]) == list(expected["case_id"])
    assert list(shown.iloc[:, 1]) == list(expected["occurrences"])


def test_the_map_in_place_is_simplified_and_opened_up_as_here(in_place):
    app, here, there = in_place
    assert readable_detail(there, "activity") == readable_detail(here, "activity")
    open_page(app, "process_map")
    assert "Computed in DuckDB with the filters in force" in texts(app)
    app.slider(key="map.activities").set_value(50).run()
    app.slider(key="map.paths").set_value(40).run()
    assert graphs(app)[0] == svg_of(simplify_map(here, "activity", 0.5, 0.4))
    simplified, shown, expected = department_map_and_cases(app, here, 1)
    assert len(expected) > 1
    assert list(shown.iloc[:, 1]) == list(expected["events"])
    source, target = simplified.edges[["source", "target"]].iloc[2]
    app.selectbox(key="map.selection.en").set_value(f"edge\x1f{source}\x1f{target}").run()
    expected = cases_on_edge(here, "department", source, target)
    assert list(frame_shown(app, "case", "times", "wait").iloc[:, 0]) == list(expected["case_id"])


def test_the_library_simplifies_a_map_in_place_as_here(in_place):
    _, here, there = in_place
    for level in ("activity", "department"):
        for activities, paths in ((0.3, 0.8), (0.5, 0.5), (1.0, 0.3)):
            found = simplify_map(there, level, activities, paths)
            expected = simplify_map(here, level, activities, paths)
            for part in ("nodes", "edges", "starts", "ends"):
                pd.testing.assert_frame_equal(
                    getattr(found, part), getattr(expected, part), check_dtype=False
                )


def test_a_variant_filters_the_map_in_place(in_place):
    app, here, _ = in_place
    variants = discover_variants(here).variants
    open_page(app, "variants")
    app.selectbox(key="variants.choice.en").select(3).run()
    app.button(key="variants.to_map").click().run()
    assert not app.exception, app.exception
    chosen = tuple(variants["activities"].iloc[2])
    local = apply_filters(here, [ExactVariant(chosen)])
    assert local.n_cases == variants["cases"].iloc[2] > 0
    assert [e.value for e in app.error] == []
    assert app.slider(key="map.activities").value == app.slider(key="map.paths").value == 100
    assert graphs(app)[0] == svg_of(discover_map(local))
    assert f"Variant from the variant explorer: {' → '.join(chosen)}" in texts(app)


def test_an_exact_variant_filters_a_log_in_place_as_here(in_place):
    _, here, there = in_place
    variants = discover_variants(here).variants
    for number in (0, 4, len(variants) - 1):
        chosen = ExactVariant(tuple(variants["activities"].iloc[number]))
        kept_here, kept_there = apply_filters(here, [chosen]), apply_filters(there, [chosen])
        found = run_in_place(kept_there.events.case_id.nunique())["value"].iloc[0]
        assert found == kept_here.n_cases == variants["cases"].iloc[number]
        pd.testing.assert_frame_equal(
            discover_map(kept_there).edges, discover_map(kept_here).edges, check_dtype=False
        )
    nothing = apply_filters(there, [ExactVariant(("Triage", "no such step"))])
    assert run_in_place(nothing.events.count())["value"].iloc[0] == 0


def test_the_one_case_report_in_place_is_the_local_ones(in_place):
    from ui.reports import tracer_of

    app, here, there = in_place
    open_page(app, "cases")
    case_id = app.selectbox(key="cases.case.en").value
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels == ["This case as PDF (for the audit file)", "This case as Excel sheet"]
    current = view("in place", lambda key: there, ())  # the page's view, outside a run
    tracer, found = tracer_of(current, case_id, None)
    expected = shadow_case(here, case_id)
    pd.testing.assert_frame_equal(tracer.trail.events, expected.trail.events)
    age = here.events.loc[here.events["case_id"] == case_id, "leeftijdsgroep"].iloc[0]
    assert tracer.trail.attributes == expected.trail.attributes == (("leeftijdsgroep", age),)
    assert tracer.lines() == expected.lines()
    quality = here.quality
    assert (found.rows_read, found.rows_used, found.identical_rows) == (
        quality.rows_read,
        quality.rows_used,
        quality.identical_rows,
    )
    assert found.source == FileFingerprint(there.source, "")  # no file to hash
    assert found.place == "duckdb"


def overview_figures(app) -> tuple[dict[str, str], list[str]]:
    """The overview's metrics and its findings (the list under "What stands out")."""
    open_page(app, "overview")
    metrics = {m.label: m.value for m in app.metric}
    findings = [m.value for m in app.markdown if m.value.startswith("- ")]
    return metrics, findings


def test_the_overview_in_place_is_the_overview_here(app, in_place, duckdb_file, monkeypatch):
    at, here, _ = in_place
    there_metrics, there_findings = overview_figures(at)
    assert "This page needs the events here" not in texts(at)
    downloads = [button.proto.label for button in at.get("download_button")]
    assert downloads == ["Download report"]  # made where the log lives (test_report_in_place)
    assert there_metrics["Cases"] == f"{here.n_cases:,}"
    monkeypatch.setattr(ui.database, "LOCAL_LIMIT", 5_000_000)
    from streamlit.testing.v1 import AppTest

    local = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    connect(local, f"duckdb:{duckdb_file}", "gebeurtenissen")
    assert "The rows stay in" not in texts(local.sidebar)
    here_metrics, here_findings = overview_figures(local)
    assert there_metrics == here_metrics
    assert len(there_findings) == 1 and there_findings == here_findings
    assert len(at.get("plotly_chart")) == len(local.get("plotly_chart")) == 1
    assert [button.proto.label for button in local.get("download_button")] == downloads


def journey_page(app) -> tuple[str, list[str], list[str], int]:
    """The customer journey page with its segments by age group: its texts (the sidebar
    aside), tables, graphs (the two segments' maps) and charts."""
    open_page(app, "journey")
    app.selectbox(key="journey.segment_attribute.en").set_value("leeftijdsgroep").run()
    assert not app.exception and not app.error
    tables = [f.value.to_csv() for f in app.dataframe]
    return texts(app.main), tables, graphs(app), len(app.get("plotly_chart"))


def test_the_customer_journey_in_place_is_the_page_here(app, in_place, duckdb_file, monkeypatch):
    """The lens, its stages suggested, the segments that stand out and the segments' maps
    are computed where the log lives and show as the page on the same rows read here."""
    at = in_place[0]
    there = journey_page(at)
    assert "This page needs the events here" not in there[0]
    monkeypatch.setattr(ui.database, "LOCAL_LIMIT", 5_000_000)
    from streamlit.testing.v1 import AppTest

    local = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    connect(local, f"duckdb:{duckdb_file}", "gebeurtenissen")
    assert "The rows stay in" not in texts(local.sidebar)
    expected = journey_page(local)
    assert len(there[2]) == 2 and there[3] > 0 and len(there[1]) > 3  # not two empty pages
    assert there == expected


def test_the_pages_that_need_the_rows_here_still_say_so(in_place):
    app, _, _ = in_place
    for page in ("compare", "monitor"):
        open_page(app, page)
        assert "This page needs the events here, and this log stays in DuckDB" in texts(app)
        assert app.button(key="app.database.bring_here")


def test_an_errors_text_is_masked_before_it_is_shown():
    error = RuntimeError("could not connect: postgresql://ana:geheim@db/zorg password=geheim")
    said = masked_error(error, ["geheim"])
    assert "geheim" not in said and said.startswith("RuntimeError: could not connect")
    assert masked_error(ValueError("'ge%2Fheim' was refused"), ["ge/heim"]).count("***") == 1
    assert masked_error(KeyError()) == "KeyError"
    secret = ui.database.Secret.of("s3cr3t!")
    assert secret.found_in('invalid input: "s3cr3t!"') == "s3cr3t!"
    assert secret.found_in("nothing here") is None


def test_a_driver_error_in_place_never_shows_the_password(
    app, postgres, postgres_table, rows, monkeypatch
):
    """A real PostgreSQL refuses a value it cannot read and quotes it: here the password
    (as a query might carry a user's value), raised while a page analyses in place."""
    postgres_table(rows, "gebeurtenissen")
    connect(app, postgres.url(), "gebeurtenissen", postgres.password)
    assert not app.error, [e.value for e in app.error]
    there = open_source(postgres.url("gebeurtenissen"), password=postgres.password)
    quoting = there.events.limit(1).select(n=ibis.literal(postgres.password).cast("int64"))
    with pytest.raises(Exception) as raised:  # the driver's own words quote the password
        run_in_place(quoting)
    assert postgres.password in str(raised.value)

    def failing(log, *args, **kwargs):
        run_in_place(log.events.limit(1).select(n=ibis.literal(postgres.password).cast("int64")))

    monkeypatch.setattr(discovery, "discover_variants", failing)
    open_page_with_error = app.switch_page("app_pages/variants.py").run()
    errors = [unescaped(error.value) for error in open_page_with_error.error]
    assert len(errors) == 1 and "Something went wrong while analysing this log" in errors[0]
    assert "***" in errors[0] and "bigint" in errors[0]
    assert postgres.password not in everything(app)


def test_a_postgresql_table_in_place_gives_the_pages_of_its_rows_read_here(
    app, postgres, postgres_table, rows
):
    """On a real PostgreSQL (its own collation, its own quantiles): the overview's figures,
    a bottleneck's cases, the simplified department map and a step's cases, and the
    one-case report, each as the local route gives them on the same rows read here."""
    from discovery import bring_here

    postgres_table(rows, "gebeurtenissen")
    connect(app, postgres.url(), "gebeurtenissen", postgres.password)
    assert "The rows stay in PostgreSQL" in texts(app.sidebar)
    there = open_source(postgres.url("gebeurtenissen"), password=postgres.password)
    here = bring_here(there)
    metrics, findings = overview_figures(app)
    assert metrics["Cases"] == f"{here.n_cases:,}" and metrics["Events"] == f"{here.n_events:,}"
    from streamlit.testing.v1 import AppTest

    local = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    local.session_state["app.source"] = "upload"
    upload_rows_here(local, rows)
    assert "The log in use: gebeurtenissen.csv" in texts(local.sidebar)  # read here
    assert overview_figures(local) == (metrics, findings)

    open_page(app, "handoffs")
    app.selectbox(key="handoffs.bottleneck").select(1).run()
    ranked = find_bottlenecks(here, discover_map(here)).edges
    expected = cases_on_edge(here, "activity", *ranked[["source", "target"]].iloc[1])
    assert list(frame_shown(app, "case", "times", "wait").iloc[:, 0]) == list(expected["case_id"])

    open_page(app, "process_map")
    department_map_and_cases(app, here, 2)

    case_id = str(here.events["case_id"].iloc[0])
    tracer, _ = tracer_there(there, case_id)
    pd.testing.assert_frame_equal(tracer.trail.events, shadow_case(here, case_id).trail.events)
    assert postgres.password not in everything(app)


def upload_rows_here(at, rows: pd.DataFrame) -> None:
    """The same rows as a CSV upload, read here (the local route's pages)."""
    from ui.state import Upload

    data = rows.to_csv(sep=";", index=False).encode("utf-8")
    at.session_state["app.upload"] = Upload(data, "gebeurtenissen.csv", None, (), "test-pg-rows")
    at.run()


def tracer_there(log: InPlaceLog, case_id: str):
    from ui.reports import tracer_of

    return tracer_of(view("in place", lambda key: log, ()), case_id, None)


def test_the_overviews_report_in_place_is_made_where_the_log_lives(in_place):
    from ui.reports import report_file

    _, here, there = in_place
    current = view("in place", lambda key: there, ())
    page = report_file(current, None, None, "html", "en").decode("utf-8")
    assert there.source in page and f"{here.n_cases:,}" in page
    assert "Analysed where the rows live" in page or "analysed where the rows live" in page


def test_a_variant_filter_and_a_simplified_map_on_spark_as_here(spark, spark_table, rows):
    """Spark collects no ordered list: the case's sequence is sorted there
    (`case_sequences_in_place`); the exact variant and the top nodes' map as here."""
    from discovery import bring_here

    spark_table(rows, "gebeurtenissen_varianten")
    there = open_source("spark:gebeurtenissen_varianten")
    assert isinstance(there, InPlaceLog)
    here = bring_here(there)
    chosen = ExactVariant(tuple(discover_variants(here).variants["activities"].iloc[3]))
    kept_there, kept_here = apply_filters(there, [chosen]), apply_filters(here, [chosen])
    pd.testing.assert_frame_equal(
        discover_map(kept_there).edges, discover_map(kept_here).edges, check_dtype=False
    )
    found = simplify_map(there, "department", 0.6, 0.5)
    expected = simplify_map(here, "department", 0.6, 0.5)
    pd.testing.assert_frame_equal(found.edges, expected.edges, check_dtype=False)
    pd.testing.assert_frame_equal(found.nodes, expected.nodes, check_dtype=False)


def test_a_sidebar_failure_is_said_masked(app, monkeypatch):
    """Opening or filtering the log (the sidebar's part) fails unforeseen: said in the
    sidebar in one line, a URL's password and $JOURNEY_DB_PASSWORD masked."""
    import ui.context

    monkeypatch.setenv("JOURNEY_DB_PASSWORD", "omgeving-geheim")

    def failing() -> None:
        raise RuntimeError("lost postgresql://ana:url-geheim@db/zorg (omgeving-geheim)\nmore")

    monkeypatch.setattr(ui.context, "draw_log_status", failing)
    app.run()
    (said,) = [unescaped(error.value) for error in app.sidebar.error]
    assert "RuntimeError: lost postgresql://ana:***@db/zorg (***)" in said
    assert "geheim" not in everything(app)


def test_a_large_map_in_place_opens_as_readably_as_here(shared_logs):
    """A stranger's log with 27 activities (receipt, 1,434 cases) in place: the slider
    positions that open it readably, and the map at them, as the local route on the same
    rows read here (about 20 nodes; the top nodes' map recomputed where the log lives)."""
    import ibis as ibis_

    from discovery import bring_here, read_event_log
    from discovery.engine.in_place import open_in_place
    from discovery.engine.places import place_of

    read = read_event_log(shared_logs / "receipt.xes.gz")
    columns = ["case_id", "activity", "timestamp", "resource"]
    stored = read.events[columns].astype({c: str for c in ("case_id", "activity", "resource")})
    there = open_in_place(place_of(ibis_.memtable(stored), "receipt"), {c: c for c in columns})
    here = bring_here(there)
    detail = readable_detail(there)
    assert detail == readable_detail(here) and detail[0] < 1 and detail[1] < 1
    found, expected = (
        simplify_map(there, "activity", *detail),
        simplify_map(here, "activity", *detail),
    )
    assert 0 < len(expected.nodes) <= 20 < len(discover_map(here).nodes)
    for part in ("nodes", "edges", "starts", "ends"):
        pd.testing.assert_frame_equal(
            getattr(found, part), getattr(expected, part), check_dtype=False
        )
