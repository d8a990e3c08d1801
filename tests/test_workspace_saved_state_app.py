"""The whole analysis saved from the app and brought back (AppTest, a real workspace file):
the intended journey, stages and filters in use are saved with the log; a fresh session
that reopens the analysis (?analysis=ID, as a reload) uses the same journey, stages and
filters and draws the same map; a named filter set saved in the app and applied again gives
the figures the library gives for those filters; and saving the log twice stores its events
once."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from discovery import (
    CaseAttribute,
    CaseDuration,
    Stages,
    VariantSelection,
    Workspace,
    apply_filters,
    discover_variants,
    read_event_log,
)
from tests.test_app import graphs, metric, number, open_page
from tests.test_workspace_app import save, texts

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_logs" / "hospital.xlsx"  # the app's default sample
FIRST_STAGE = ("Aanmelding SEH", "Triage", "Beoordeling SEH-arts")
STAGES = Stages.from_pairs(
    [(activity, "Spoedeisende hulp") for activity in FIRST_STAGE]
    + [(activity, "Opname") for activity in ("Opname verpleegafdeling", "Behandeling")]
    + [(activity, "Ontslag") for activity in ("Ontslagbesluit", "Ontslag")]
)
STAGE_FILE = STAGES.to_table().to_csv(index=False).encode()


def fresh(analysis: str) -> AppTest:
    """A new session whose address names the saved analysis: a reload."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["analysis"] = analysis
    return at.run()


def event_tables(workspace: Workspace) -> int:
    with duckdb.connect(str(workspace.path), read_only=True) as connection:
        query = "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'events_%'"
        return int(connection.execute(query).fetchall()[0][0])


def shown_in_use(at) -> dict[str, object]:
    """What the pages show of the analysis: the map, the filters, the intended journey and
    its conformance, the Journey page's tables (stages, drop-off, ...)."""
    open_page(at, "process_map")
    shown: dict[str, object] = {"map": graphs(at), "filters": texts(at.sidebar)}
    open_page(at, "intended")
    shown["intended"] = [c.value for c in at.caption if c.value.startswith("Intended journey:")]
    shown["conformance"] = metric(at, "Conformance")
    open_page(at, "journey")
    shown["journey tables"] = [table.value.to_dict("list") for table in at.dataframe]
    return shown


@pytest.fixture
def app(monkeypatch):
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def test_an_analysis_saved_whole_reopens_with_its_journey_stages_and_filters(app):
    second = discover_variants(read_event_log(SAMPLE)).variants["activities"].iloc[1]
    open_page(app, "intended")
    app.radio(key="intended.source.en").set_value("variant").run()
    app.selectbox(key="intended.variant.en").set_value(2).run()
    app.session_state["journey.stages_upload"] = ("stages.csv", STAGE_FILE, "stagefile")
    open_page(app, "journey")
    app.radio(key="journey.stages_source.en").set_value("file").run()
    open_page(app, "process_map")
    app.number_input(key="map.filter.top_variants").set_value(5).run()
    app.number_input(key="map.filter.min_days").set_value(1.0).run()
    before = shown_in_use(app)
    assert before["intended"] == [f"Intended journey: {' → '.join(second)} ({len(second)} steps)."]
    assert "cases in the 5 most frequent variants" in str(before["filters"])
    assert len(before["map"]) == 1 and before["journey tables"]
    open_page(app, "upload")
    save(app, "Hospital, saved whole")

    (saved,) = Workspace().list_analyses()
    opened = Workspace().open_analysis(saved.id)
    assert opened.intended is not None and opened.intended.name == " → ".join(second)
    assert [step.activity for step in opened.intended.steps] == list(second)
    assert opened.stages == STAGES
    in_force = (VariantSelection(top=5), CaseDuration(86400.0, math.inf))
    assert opened.filters == {"filters in force": in_force}

    again = fresh(saved.id)
    assert not again.exception
    assert again.session_state["intended.source"] == "saved"
    assert shown_in_use(again) == before  # the same journey, stages, filters and map
    assert again.radio(key="journey.stages_source.en").value == "saved"

    save(open_page(again, "upload"), "Hospital, saved again")
    assert len(Workspace().list_analyses()) == 2
    assert event_tables(Workspace()) == 1  # the same events, stored once


def test_a_named_filter_set_saved_in_the_app_applies_again(app):
    log = read_event_log(SAMPLE)
    open_page(app, "process_map")
    app.number_input(key="map.filter.top_variants").set_value(3).run()
    open_page(app, "upload")
    save(app, "Hospital, filter sets")
    (saved,) = Workspace().list_analyses()

    again = fresh(saved.id)
    value = sorted(log.events["leeftijdsgroep"].dropna().astype(str).unique())[0]
    open_page(again, "process_map")
    again.sidebar.button(key="app.clear_filters").click().run()
    again.selectbox(key="map.filter.attribute.en").select("leeftijdsgroep").run()
    again.multiselect(key="map.filter.values.leeftijdsgroep").select(value).run()
    age_map = graphs(again)
    open_page(again, "upload")
    again.text_input(key="workspace.set_name").set_value("One age group")
    again.button(key="workspace.save_set").click().run()
    assert not again.exception
    assert "Filter set “One age group” saved." in texts(again)
    one_group = (CaseAttribute("leeftijdsgroep", (value,)),)
    assert Workspace().open_analysis(saved.id).filters == {
        "filters in force": (VariantSelection(top=3),),
        "One age group": one_group,
    }

    for name, filters in [("One age group", one_group), ("filters in force", None)]:
        again.sidebar.button(key="app.clear_filters").click().run()
        again.selectbox(key="workspace.filter_set").set_value(name).run()
        again.button(key="workspace.apply").click().run()
        assert not again.exception
        open_page(again, "overview")
        kept = apply_filters(log, filters or (VariantSelection(top=3),))
        assert number(metric(again, "Cases")) == kept.n_cases < log.n_cases
        open_page(again, "upload")
    open_page(again, "process_map")
    assert "cases in the 3 most frequent variants" in texts(again.sidebar)
    again.sidebar.button(key="app.clear_filters").click().run()
    open_page(again, "upload")
    again.selectbox(key="workspace.filter_set").set_value("One age group").run()
    again.button(key="workspace.apply").click().run()
    open_page(again, "process_map")
    assert graphs(again) == age_map  # the set applied draws the map it was saved from


def test_every_filter_of_the_panel_comes_back_as_it_was(app):
    """Each kind of filter the panel makes, set at once, saved, reopened in a fresh
    session and saved again from there: the same filters in force, said the same way."""
    log = read_event_log(SAMPLE)
    first, last = (moment.tz_convert(log.timezone).date() for moment in log.period)
    variant = discover_variants(log).variants["activities"].iloc[0]
    panel = {
        "period": (first + dt.timedelta(days=20), last - dt.timedelta(days=30)),
        "attribute": "leeftijdsgroep",
        "values.leeftijdsgroep": sorted(log.events["leeftijdsgroep"].dropna().unique())[:2],
        "starts": ["Aanmelding SEH"],
        "ends": ["Ontslagbrief verstuurd"],
        "top_variants": 40,
        "min_days": 0.5,
        "max_days": 30.0,
        "follows_from": "Triage",
        "follows_to": "Ontslag",
        "follows_directly": False,
        "departments": list(log.departments[:1]),
        "variant": tuple(variant),
    }
    for name, value in panel.items():
        app.session_state[f"map.filter.{name}"] = value
    open_page(app, "process_map")
    said = texts(app.sidebar)
    assert "Filters: cases" in said and "leeftijdsgroep" in said
    save(open_page(app, "upload"), "Every filter")
    (saved,) = Workspace().list_analyses()
    in_force = Workspace().open_analysis(saved.id).filters["filters in force"]
    assert len(in_force) == 8  # one of each kind the panel makes

    again = fresh(saved.id)
    open_page(again, "process_map")
    assert texts(again.sidebar) == said
    save(open_page(again, "upload"), "Every filter, again")
    resaved = next(a for a in Workspace().list_analyses() if a.title == "Every filter, again")
    assert Workspace().open_analysis(resaved.id).filters["filters in force"] == in_force


def test_a_journey_saved_with_an_analysis_has_no_file_for_the_report():
    """The report names a saved journey, as it does a variant: it has no file to hash."""
    from discovery import journey_from_variant
    from ui.journey import Journey
    from ui.reports import journey_fingerprint

    saved = Journey("saved/ws.duckdb/ab12cd34", journey_from_variant(["A", "B"]))
    assert journey_fingerprint(saved) is None
