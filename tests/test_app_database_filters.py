"""A log in place in the app (Streamlit's AppTest) with filters, the case explorer and the
intended journey, computed where the log lives: each page shows what the library gives for
the same filters on the same log read here (the local route is the oracle)."""

# ruff: noqa: F811 (the fixtures of test_app_database, imported, are parameters here)

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

import ui.database
from discovery import (
    CaseAttribute,
    DepartmentsTouched,
    InPlaceLog,
    apply_filters,
    attribute_choices,
    bring_here,
    check_conformance,
    count_cases,
    describe_filters,
    discover_variants,
    filter_choices,
    journey_from_variant,
    open_source,
    read_intended_journey,
    sample_cases,
    say,
    trace_case,
    words,
)
from discovery.words import PSEUDO
from tests.test_app import metric, number, open_page, switch_to_dutch, texts
from tests.test_app_database import (  # noqa: F401 (fixtures)
    ROOT,
    app,
    connect,
    drawn_map,
    duckdb_file,
    expected_map,
    rows,
    unescaped,
)
from tests.test_pseudo_locale import outside_catalogue, page_texts

JOURNEY = ROOT / "sample_logs" / "hospital_intended.csv"
FILTERS = (
    CaseAttribute("leeftijdsgroep", ("75+",)),
    DepartmentsTouched(("Radiologie",)),
)


@pytest.fixture
def in_place(app, duckdb_file, monkeypatch):
    """The app on a DuckDB table kept in place (over a tiny local limit), and the library's
    log read here from the same table (the oracle)."""
    monkeypatch.setattr(ui.database, "LOCAL_LIMIT", 10)
    source = f"duckdb:{duckdb_file}?table=gebeurtenissen"
    connect(app, f"duckdb:{duckdb_file}", "gebeurtenissen")
    assert "The rows stay in DuckDB" in texts(app.sidebar)
    here = open_source(source)
    assert not isinstance(here, InPlaceLog)
    return app, here, open_source(source, local_limit=10)


def set_panel(app) -> None:
    """The filters of FILTERS set through the panel on the map page."""
    open_page(app, "process_map")
    app.selectbox(key="map.filter.attribute.en").select("leeftijdsgroep").run()
    app.multiselect(key="map.filter.values.leeftijdsgroep").select("75+").run()
    app.multiselect(key="map.filter.departments").select("Radiologie").run()
    assert not app.exception, app.exception
    said = say(describe_filters(FILTERS), "en")
    assert f"Filters: {said}" in texts(app.sidebar)


def test_the_panel_offers_the_choices_of_the_log_read_here(in_place):
    app, here, there = in_place
    assert filter_choices(there) == filter_choices(here)
    open_page(app, "process_map")
    assert app.multiselect(key="map.filter.starts").options == list(here.activities)
    assert app.multiselect(key="map.filter.departments").options == list(here.departments)
    assert app.selectbox(key="map.filter.attribute.en").options == ["(none)", "leeftijdsgroep"]
    app.selectbox(key="map.filter.attribute.en").select("leeftijdsgroep").run()
    values = app.multiselect(key="map.filter.values.leeftijdsgroep").options
    assert values == sorted(here.events["leeftijdsgroep"].dropna().astype(str).unique())


def test_filters_on_a_log_in_place_give_the_local_routes_map_and_variants(in_place):
    app, here, _ = in_place
    set_panel(app)
    local = apply_filters(here, FILTERS)
    assert 0 < local.n_cases < here.n_cases
    assert "Computed in DuckDB with the filters in force" in texts(app)
    assert drawn_map(app) == expected_map(local)
    assert drawn_map(app, "department") == expected_map(local, "department")
    open_page(app, "variants")
    shown = app.dataframe[0].value
    variants = discover_variants(local).variants
    assert len(shown) == len(variants)
    assert list(shown.iloc[:, 1]) == list(variants["cases"])
    open_page(app, "handoffs")
    assert not app.exception


def test_filters_that_leave_no_case_say_so_in_place(in_place):
    app, _, _ = in_place
    open_page(app, "process_map")
    app.number_input(key="map.filter.min_days").set_value(10_000.0).run()
    assert "No cases are left after the filters" in texts(app)
    open_page(app, "variants")
    assert "No cases are left after the filters" in texts(app)


def test_the_case_explorer_traces_a_sampled_case_as_the_local_log_does(in_place):
    app, here, there = in_place
    open_page(app, "cases")
    choice = app.selectbox(key="cases.case.en")
    sample = sample_cases(there, 2, 0)
    offered = [option.split(" ")[0] for option in choice.options]
    assert offered == list(sample.loc[sample["variant"] <= 50, "case_id"])
    case_id = offered[3]
    choice.select(case_id).run()
    expected = trace_case(here, case_id)
    assert number(metric(app, "Steps")) == expected.n_events
    assert number(metric(app, "Handoffs")) == expected.handoffs
    trail = app.dataframe[-1].value
    assert list(trail.iloc[:, 1]) == list(expected.events["activity"])
    assert list(trail.iloc[:, 2]) == list(expected.events["department"])
    app.text_input(key="cases.search").input(case_id[:-1]).run()  # the search runs there too
    assert app.selectbox(key="cases.case.en").options[0].startswith(case_id[:-1])


def test_the_intended_page_gives_the_local_fitness_with_and_without_filters(in_place):
    app, here, _ = in_place
    journey = read_intended_journey(JOURNEY)
    app.session_state["intended.source"] = "upload"
    app.session_state["intended.upload"] = (JOURNEY.name, JOURNEY.read_bytes(), "hospital")
    open_page(app, "intended")
    assert "This page needs the events here" not in texts(app)
    expected = check_conformance(here, journey)
    assert metric(app, "Fitness (alignments)") == words.format_number(expected.fitness, "en", 2)
    conforming = metric(app, "Cases without any deviation")
    assert [number(part) for part in conforming.split(" / ")] == [
        expected.conforming_cases,
        expected.n_cases,
    ]
    set_panel(app)
    filtered = check_conformance(apply_filters(here, FILTERS), journey)
    open_page(app, "intended")
    conforming = metric(app, "Cases without any deviation")
    assert number(conforming.split(" / ")[1]) == filtered.n_cases
    assert metric(app, "Fitness (alignments)") == words.format_number(filtered.fitness, "en", 2)
    kind, step = filtered.ranking("cases").iloc[0][["kind", "step"]]
    cases = len(filtered.cases_with(kind, step))
    assert f"{words.say('finding.cases', 'en', count=cases)}" in texts(app)


def test_a_variant_as_the_intended_journey_in_place_gives_the_local_fitness(in_place):
    """The most frequent variant as the journey: its departments counted where the log
    lives (`usual_departments_of`), its check as the local one."""
    app, here, _ = in_place
    variant = discover_variants(here).variants.iloc[0]
    journey = journey_from_variant(variant["activities"], here)
    app.session_state["intended.source"] = "variant"
    app.session_state["intended.variant"] = int(variant["variant"])
    open_page(app, "intended")
    assert not app.exception, app.exception
    expected = check_conformance(here, journey)
    assert 0 < expected.conforming_cases < expected.n_cases
    assert metric(app, "Fitness (alignments)") == words.format_number(expected.fitness, "en", 2)
    conforming = metric(app, "Cases without any deviation")
    assert [number(part) for part in conforming.split(" / ")] == [
        expected.conforming_cases,
        expected.n_cases,
    ]


def test_filters_on_a_postgresql_table_in_place(app, postgres, postgres_table, rows):
    postgres_table(rows, "gebeurtenissen")
    connect(app, postgres.url(), "gebeurtenissen", postgres.password)
    assert "The rows stay in PostgreSQL" in texts(app.sidebar)
    there = open_source(postgres.url("gebeurtenissen"), password=postgres.password)
    here = bring_here(there)  # its rows read here, as a file's are: the oracle
    set_panel(app)
    local = apply_filters(here, FILTERS)
    assert drawn_map(app, "department") == expected_map(local, "department")
    open_page(app, "cases")
    choice = app.selectbox(key="cases.case.en")
    case_id = choice.value.split(" ")[0]
    expected = trace_case(here, case_id)
    assert number(metric(app, "Steps")) == expected.n_events
    trail = app.dataframe[-1].value
    assert list(trail.iloc[:, 1]) == list(expected.events["activity"])


def test_the_filtered_map_in_dutch(in_place):
    app, _, _ = in_place
    set_panel(app)
    switch_to_dutch(app)
    open_page(app, "process_map")
    assert "Berekend in DuckDB met de filters die gelden" in texts(app)


def test_every_text_of_the_filters_cases_and_intended_in_place_is_in_the_catalogue(
    duckdb_file,
    monkeypatch,
):
    from streamlit.testing.v1 import AppTest

    import ui.i18n

    monkeypatch.setattr(ui.database, "LOCAL_LIMIT", 10)
    monkeypatch.setitem(ui.i18n.LANGUAGES, PSEUDO, "Pseudo")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.sidebar.radio(key="app.language").set_value(PSEUDO).run()
    connect(at, f"duckdb:{duckdb_file}", "gebeurtenissen")
    at.session_state["intended.source"] = "upload"
    at.session_state["intended.upload"] = (JOURNEY.name, JOURNEY.read_bytes(), "hospital")
    source = f"duckdb:{duckdb_file}?table=gebeurtenissen"
    missed = []
    for page in ("process_map", "cases", "intended"):
        open_page(at, page)
        shown = [(where, unescaped(text).replace(source, " ")) for where, text in page_texts(at)]
        missed += [
            (page, where, left) for where, text in shown if (left := outside_catalogue(text))
        ]
    assert missed == []


def test_period_endpoints_follows_variants_and_duration_filter_in_place_as_here(in_place):
    app, here, _ = in_place
    open_page(app, "process_map")
    first, last = app.date_input(key="map.filter.period").value
    app.date_input(key="map.filter.period").set_value((first + dt.timedelta(days=60), last)).run()
    app.multiselect(key="map.filter.ends").select("Ontslagbrief verstuurd").run()
    app.selectbox(key="map.filter.follows_from.en").select("Triage").run()
    app.selectbox(key="map.filter.follows_to.en").select("Ontslag").run()
    app.checkbox(key="map.filter.follows_directly").uncheck().run()  # eventually
    app.number_input(key="map.filter.top_variants").set_value(12).run()
    app.number_input(key="map.filter.min_days").set_value(2.0).run()
    assert not app.exception, app.exception
    filters = app.session_state["app.view"].filters
    kinds = {"TimeWindow", "Endpoints", "Follows", "VariantSelection", "CaseDuration"}
    assert {type(one).__name__ for one in filters} == kinds
    local = apply_filters(here, filters)
    assert 0 < local.n_cases < here.n_cases
    assert drawn_map(app) == expected_map(local)
    open_page(app, "variants")
    cases = list(discover_variants(local).variants["cases"])
    assert list(app.dataframe[0].value.iloc[:, 1]) == cases


def test_the_library_gives_choices_counts_and_trails_in_place_as_here(in_place):
    _, here, there = in_place
    assert count_cases(there) == here.n_cases
    assert attribute_choices(there, "leeftijdsgroep") == attribute_choices(here, "leeftijdsgroep")
    for case_id in sample_cases(there, 1, 3)["case_id"].head(8):
        found, expected = trace_case(there, case_id), trace_case(here, case_id)
        pd.testing.assert_frame_equal(found.events, expected.events)
        assert replace(found, events=None) == replace(expected, events=None)


def test_filters_and_a_case_on_a_spark_table_in_place(app, spark, spark_table, rows):
    spark_table(rows, "gebeurtenissen")
    connect(app, "spark:gebeurtenissen")
    assert "The rows stay in Spark" in texts(app.sidebar)
    here = bring_here(open_source("spark:gebeurtenissen"))  # read here: the oracle
    set_panel(app)
    assert drawn_map(app, "department") == expected_map(apply_filters(here, FILTERS), "department")
    open_page(app, "cases")
    case_id = app.selectbox(key="cases.case.en").value
    expected = trace_case(here, case_id)
    assert number(metric(app, "Steps")) == expected.n_events
    assert list(app.dataframe[-1].value.iloc[:, 1]) == list(expected.events["activity"])
