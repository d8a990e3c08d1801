"""Every app page with Streamlit's AppTest: no exception, the expected elements, one interaction.

The app opens on the sample log hospital.xlsx (1,500 cases); pages are reached with
`switch_page` as the navigation would.
"""

import base64
import html
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ui.state import Upload

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_logs"


@pytest.fixture
def app(monkeypatch):
    if shutil.which("dot") is None:
        pytest.fail(
            "Graphviz's dot is missing: the app lays out its maps with it. Run the tests with "
            "`python3 dev.py test`, which installs it (apt-get install -y graphviz)."
        )
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    return at.run()


def open_page(at, name):
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, at.exception
    assert not at.error, [error.value for error in at.error]
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def number(text):
    return int(text.replace(",", "").replace(".", ""))


def texts(at):
    """Everything written on the page as markdown, captions and messages."""
    elements = [*at.markdown, *at.caption, *at.info, *at.warning, *at.success]
    return "\n".join(str(element.value) for element in elements)


def graphs(at) -> list[str]:
    """The graphs on the page, as Graphviz laid them out (SVG)."""
    return [m.value for m in at.markdown if m.value.startswith('<div class="graph">')]


def nodes(at, index=0) -> list[str]:
    """The names of the nodes of a graph on the page."""
    titles = re.findall(r'class="node">\s*<title>(.*?)</title>', graphs(at)[index])
    return [html.unescape(title) for title in titles]


def switch_to_dutch(at):
    at.sidebar.radio(key="app.language").set_value("nl").run()
    assert not at.exception, at.exception


def test_upload_page_opens_on_the_default_sample_with_its_quality_report(app):
    assert not app.exception
    assert app.title[0].value == "Upload and map columns"
    assert app.sidebar.selectbox(key="app.sample").value == "hospital.xlsx"
    assert number(metric(app, "Cases")) == 1500
    read, used = number(metric(app, "Rows read")), number(metric(app, "Rows used"))
    assert read == used + number(metric(app, "Rows rejected"))
    assert "Files up to 1 GB are accepted" in texts(app)


def test_choosing_another_sample_shows_that_log(app):
    options = app.sidebar.selectbox(key="app.sample").options
    other = next(name for name in options if name.startswith("permit"))
    app.sidebar.selectbox(key="app.sample").select(other).run()
    assert not app.exception
    assert other in app.header[0].value


def test_upload_page_in_dutch(app):
    switch_to_dutch(app)
    assert app.title[0].value == "Inlezen en kolommen koppelen"
    assert metric(app, "Zaken") == "1.500"  # Dutch thousands mark
    assert "Rijen gelezen" in [m.label for m in app.metric]
    open_page(app, "handoffs")
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    assert charts and all(chart["layout"]["separators"] == ",." for chart in charts)


def test_a_confirmed_upload_is_used_by_every_page(app):
    data = (SAMPLES / "permit.csv").read_bytes()
    app.session_state["app.upload"] = Upload(data, "permit.csv", None, (), "test-permit")
    app.session_state["app.source"] = "upload"
    app.run()
    assert not app.exception
    assert "permit.csv" in app.header[0].value
    open_page(app, "overview")
    assert "permit.csv" in texts(app)


PAGE_FILES = ["upload", "overview", "process_map", "handoffs", "variants", "cases", "intended",
              "journey"]  # fmt: skip
SAMPLE_NOTICE = "You are looking at the sample log hospital.xlsx, not your own data."


def test_every_page_says_at_the_top_when_the_sample_log_is_in_use(app):
    for name in PAGE_FILES:
        open_page(app, name)
        assert SAMPLE_NOTICE in app.info[0].value.replace("**", ""), name
    switch_to_dutch(app)
    assert "U kijkt naar de voorbeeldlog **hospital.xlsx**, niet naar uw eigen gegevens" in (
        app.info[0].value
    )


def test_an_upload_in_use_is_not_called_the_sample_and_marks_the_address(app):
    data = (SAMPLES / "permit.csv").read_bytes()
    app.session_state["app.upload"] = Upload(data, "permit.csv", None, (), "test-permit")
    app.session_state["app.source"] = "upload"
    app.run()
    assert "sample log" not in texts(app)
    assert app.query_params["log"] == "upload"
    app.sidebar.radio(key="app.source.en").set_value("sample").run()
    assert "log" not in app.query_params
    assert SAMPLE_NOTICE in app.info[0].value.replace("**", "")


def test_a_reload_that_lost_the_upload_says_so_instead_of_showing_the_sample(monkeypatch):
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["log"] = "upload"  # the address of a session that had an upload in use
    at.run()
    assert not at.exception
    assert "The log you uploaded is gone" in at.warning[0].value
    assert "Upload the file again" in at.warning[0].value
    assert at.sidebar.radio(key="app.source.en").value == "upload"
    assert not [m for m in at.metric if m.label == "Cases"]  # no sample figures in its place
    assert "sample log hospital.xlsx" not in texts(at)
    open_page(at, "overview")
    assert "The log you uploaded is gone" in at.warning[0].value
    # choosing the sample is the user's own step: then it says it is the sample
    at.sidebar.radio(key="app.source.en").set_value("sample").run()
    assert not [w for w in at.warning if "is gone" in w.value]
    assert SAMPLE_NOTICE in at.info[0].value.replace("**", "")


def test_choosing_upload_without_one_says_where_to_upload(app):
    app.sidebar.radio(key="app.source.en").set_value("upload").run()
    assert not app.exception
    assert "upload a file on the page" in texts(app)
    open_page(app, "process_map")
    assert "Choose a log in the sidebar" in texts(app)


def test_overview_gives_the_headline_figures_and_findings_in_both_languages(app):
    open_page(app, "overview")
    assert app.title[0].value == "Overview"
    assert number(metric(app, "Cases")) == 1500
    assert float(metric(app, "Handoffs per case")) > 1
    assert metric(app, "Median throughput time").endswith("days")
    assert "Cases wait a median of" in texts(app)
    switch_to_dutch(app)
    assert app.title[0].value == "Overzicht"
    assert number(metric(app, "Zaken")) == 1500
    assert "Zaken wachten mediaan" in texts(app)


def test_process_map_switches_level_and_simplifies(app):
    open_page(app, "process_map")
    assert app.title[0].value == "Process map"
    assert "Triage" in nodes(app) or "Aanmelding" in nodes(app)
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels == ["Download the map (DOT)", "Download the map as a picture (SVG)"]
    activity_nodes = len(nodes(app))
    app.radio(key="map.level.en").set_value("department").run()
    assert not app.exception
    assert "Radiologie" in nodes(app)
    assert "Triage" not in nodes(app)
    app.radio(key="map.level.en").set_value("activity").run()
    app.slider(key="map.activities").set_value(30).run()
    assert not app.exception
    assert len(nodes(app)) < activity_nodes


def test_process_map_filter_and_cases_through_a_node(app):
    open_page(app, "process_map")
    app.number_input(key="map.filter.top_variants").set_value(1).run()
    assert not app.exception
    assert "cases in the 1 most frequent variants" in texts(app)
    assert "Filters: cases in the 1 most frequent variants" in texts(app.sidebar)
    selection = app.selectbox(key="map.selection.en")
    node = next(option for option in selection.options if option != "(choose)")
    selection.select(node).run()
    assert not app.exception
    cases = app.dataframe[0].value
    assert len(cases) > 0 and cases.columns[0] == "case"


def test_handoffs_page_ranks_bottlenecks_and_lists_their_cases(app):
    open_page(app, "handoffs")
    assert app.title[0].value == "Handoffs and bottlenecks"
    assert "1. Cases wait a median of" in texts(app)
    assert len(app.get("plotly_chart")) == 2  # matrix heatmap, waiting share
    first = app.dataframe[1].value
    app.selectbox(key="handoffs.bottleneck").select(1).run()
    assert not app.exception
    second = app.dataframe[1].value
    assert not first.equals(second)
    switch_to_dutch(app)
    assert app.title[0].value == "Overdrachten en knelpunten"
    assert "1. Zaken wachten mediaan" in texts(app)


def test_variants_page_shows_steps_and_filters_the_map_to_one_variant(app):
    open_page(app, "variants")
    assert app.title[0].value == "Variants"
    table = app.dataframe[0].value
    assert len(table) > 5
    app.selectbox(key="variants.choice.en").select(2).run()
    assert app.subheader[0].value == "The steps of variant 2"
    app.button(key="variants.to_map").click().run()
    assert not app.exception
    assert app.title[0].value == "Process map"
    assert "cases following exactly" in texts(app)


def test_case_explorer_traces_a_sampled_and_a_searched_case(app):
    open_page(app, "cases")
    assert app.title[0].value == "Case explorer"
    choice = app.selectbox(key="cases.case.en")
    assert len(choice.options) >= 2
    assert len(app.get("plotly_chart")) == 1
    assert number(metric(app, "Steps")) >= 1
    wanted = choice.options[-1].split(" ")[0]
    app.text_input(key="cases.search").input(wanted).run()
    assert not app.exception
    assert app.selectbox(key="cases.case.en").value == wanted
    switch_to_dutch(app)
    assert app.title[0].value == "Zaakverkenner"
    assert "Doorlooptijd" in [m.label for m in app.metric]


def test_the_case_trail_writes_its_moments_as_the_language_does(app):
    open_page(app, "cases")
    app.text_input(key="cases.search").input("P000102").run()
    # its first step: Aanmelding SEH, 01-03-2025 16:41 to 16:44 in the log's own time zone
    trail = app.dataframe[-1].value
    assert (trail["begin"].iloc[0], trail["end"].iloc[0]) == (
        "1 Mar 2025, 16:41:00",
        "1 Mar 2025, 16:44:00",
    )
    switch_to_dutch(app)
    trail = app.dataframe[-1].value
    assert (trail["begin"].iloc[0], trail["einde"].iloc[0]) == (
        "1 mrt 2025, 16:41:00",
        "1 mrt 2025, 16:44:00",
    )


def test_choices_survive_the_language_switch(app):
    open_page(app, "process_map")
    app.radio(key="map.level.en").set_value("department").run()
    app.radio(key="map.measure.en").set_value("performance").run()
    switch_to_dutch(app)
    assert app.title[0].value == "Proceskaart"
    assert app.radio(key="map.level.nl").value == "department"
    assert app.radio(key="map.measure.nl").value == "performance"
    assert "Radiologie" in nodes(app)
    assert "dagen" in graphs(app)[0] or "uur" in graphs(app)[0]  # waits said in Dutch


def test_overview_gives_the_conformance_to_the_samples_intended_journey(app):
    open_page(app, "overview")
    rate = metric(app, "Conformance")
    assert rate.endswith("%") and rate != "—"


def test_intended_page_compares_and_opens_a_deviating_case(app):
    open_page(app, "intended")
    assert app.title[0].value == "Intended vs discovered"
    assert app.radio(key="intended.source.en").value == "sample"
    conforming, total = metric(app, "Cases without any deviation").split(" / ")
    assert number(total) == 1500 and number(conforming) < 1500
    assert len(graphs(app)) == 1  # the overlay
    assert len(app.get("plotly_chart")) == 1  # conformance per month
    tables = [frame.value for frame in app.dataframe]
    departments = next(table for table in tables if "deviations" in table.columns)
    assert departments.iloc[0, 0] == "Ontslagbureau"  # the discharge norm, broken most
    app.radio(key="intended.view.en").set_value("side").run()
    assert len(graphs(app)) == 2  # designed and discovered
    case_id = app.selectbox(key="intended.case").value
    app.button(key="intended.open").click().run()
    assert not app.exception
    assert app.title[0].value == "Case explorer"
    assert app.selectbox(key="cases.case.en").value == case_id
    assert app.subheader[0].value == "Deviations from the intended journey"
    # the deviations are marked on the timeline's steps
    timeline = plotly_specs(app)[0]
    assert "Deviation" in [trace.get("name") for trace in timeline["data"]]


def test_a_variant_as_intended_journey_makes_exactly_its_cases_conform(app):
    open_page(app, "variants")
    first_variant_cases = int(app.dataframe[0].value.iloc[0]["cases"])
    open_page(app, "intended")
    app.radio(key="intended.source.en").set_value("variant").run()
    assert not app.exception
    conforming, _ = metric(app, "Cases without any deviation").split(" / ")
    assert number(conforming) == first_variant_cases
    switch_to_dutch(app)
    assert app.title[0].value == "Bedoeld en werkelijk"
    assert app.radio(key="intended.source.nl").value == "variant"


def test_a_case_attribute_filter_counts_exactly_those_cases_on_every_page(app):
    from discovery import read_event_log

    events = read_event_log(SAMPLES / "hospital.xlsx").events
    value = sorted(events["leeftijdsgroep"].dropna().astype(str).unique())[0]
    expected = events.loc[events["leeftijdsgroep"].astype(str) == value, "case_id"].nunique()
    open_page(app, "process_map")
    app.selectbox(key="map.filter.attribute.en").select("leeftijdsgroep").run()
    app.multiselect(key="map.filter.values.leeftijdsgroep").select(value).run()
    assert not app.exception
    assert f"cases with leeftijdsgroep = {value}" in texts(app)
    open_page(app, "overview")
    assert number(metric(app, "Cases")) == expected
    app.sidebar.button(key="app.clear_filters").click().run()
    assert number(metric(app, "Cases")) == 1500


def test_every_page_works_on_a_log_without_departments_or_start_times(app):
    rows = ["case,activity,time"] + [
        f"{case},{activity},2024-03-0{day} 1{hour}:00"
        for case in range(1, 6)
        for hour, (day, activity) in enumerate([(4, "Intake"), (5, "Check"), (6, "Decide")])
    ]
    data = "\n".join(rows).encode()
    app.session_state["app.upload"] = Upload(data, "plain.csv", None, (), "test-plain")
    app.session_state["app.source"] = "upload"
    app.run()
    assert number(metric(app, "Cases")) == 5
    for page in ("overview", "process_map", "handoffs", "variants", "cases", "intended"):
        open_page(app, page)
    open_page(app, "handoffs")
    assert "no department column" in texts(app)
    open_page(app, "intended")
    assert "No intended journey yet" in texts(app)


def test_filters_that_keep_no_case_say_so(app):
    open_page(app, "process_map")
    app.number_input(key="map.filter.min_days").set_value(10_000.0).run()
    assert not app.exception
    assert "No cases are left after the filters" in "\n".join(w.value for w in app.warning)
    open_page(app, "handoffs")
    assert "No cases are left after the filters" in "\n".join(w.value for w in app.warning)
    open_page(app, "process_map")  # the filter panel stays, so the filter can be undone there
    app.number_input(key="map.filter.min_days").set_value(0.0).run()
    assert not app.warning
    assert "Triage" in nodes(app)


def test_every_sentence_has_both_languages_with_the_same_placeholders():
    from string import Formatter

    from babel.messages.pofile import read_po

    import discovery.words

    def fields(text):
        return {name for _, name, _, _ in Formatter().parse(text) if name}

    def texts(language):  # the catalogue's one-form texts by key
        path = Path(discovery.words.__file__).parent / "locales" / f"{language}.po"
        with path.open("rb") as file:
            return {m.id: m.string for m in read_po(file) if m.id and isinstance(m.id, str)}

    english_texts, dutch_texts = texts("en"), texts("nl")
    assert english_texts.keys() == dutch_texts.keys()
    for key, english in english_texts.items():
        dutch = dutch_texts[key]
        assert english.strip() and dutch.strip(), key
        assert fields(english) == fields(dutch), key


def test_an_unforeseen_failure_is_said_plainly_not_as_a_traceback(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("engine unavailable")

    monkeypatch.setattr("discovery.summarize", broken)  # as the overview page imports it
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception
    assert "Something went wrong while analysing this log (RuntimeError: engine unavailable)" in (
        app.error[0].value
    )


def plotly_specs(at):
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def plotly_values(values):
    """A trace's values as a list (Plotly sends numeric arrays as base64 typed arrays)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
    return list(values)


def test_journey_page_shows_the_journey_map_and_the_dropoff_funnel(app):
    open_page(app, "journey")
    assert app.title[0].value == "Customer journey"
    specs = plotly_specs(app)
    journey_map = specs[0]
    lanes = journey_map["layout"]["yaxis"]["ticktext"]
    assert {"Stage", "Touchpoints", "Departments", "Channels", "Drop-off"} <= set(lanes)
    lane_texts = [trace["text"] for trace in journey_map["data"] if trace.get("mode") == "text"]
    header = next(text for text in lane_texts if text[0].startswith("<b>"))
    assert header[0].startswith("<b>Spoedeisende Hulp</b><br>1,500 cases")
    assert journey_map["layout"]["yaxis2"]["title"]["text"] == "Emotion<br>(mean score)"
    funnel = next(spec for spec in specs if spec["data"][0]["type"] == "funnel")
    names = [trace["name"] for trace in funnel["data"]]
    assert names == ["went on or completed", "still open", "abandoned"]
    trace = funnel["data"][2]
    abandoned = dict(zip(plotly_values(trace["y"]), plotly_values(trace["x"]), strict=True))
    planted = json.loads((SAMPLES / "ground_truth.json").read_text())["journeys"]["hospital"]
    step = planted["drop_off"]["activity"]
    assert abandoned[step] == 89 == max(abandoned.values())  # the planted drop-off step
    assert abs(89 / 1500 - planted["drop_off"]["realised"]) < 0.01
    assert metric(app, "abandoned") == "89 (6%)"
    assert "89 cases (6% of those reaching it) drop out at Triage" in texts(app)


def test_journey_page_highlights_the_planted_slow_segment_and_maps_it(app):
    truth = json.loads((SAMPLES / "ground_truth.json").read_text())["journeys"]["hospital"]
    slow = truth["slow_segment"]
    open_page(app, "journey")
    assert not graphs(app)  # no segment comparison before an attribute is chosen
    app.selectbox(key="journey.segment_attribute.en").set_value(slow["attribute"]).run()
    assert not app.exception and not app.error
    bullets = next(m.value for m in app.markdown if m.value.startswith("- **")).splitlines()
    assert len(bullets) == 2  # the planted step wait, and with it the wait before its stage
    assert all(f"{slow['attribute']} = {slow['value']}: wait before" in b for b in bullets)
    assert any(f"wait before {slow['step']} is a median" in b for b in bullets)
    assert app.session_state["journey.segment_a"] == slow["value"]
    maps = graphs(app)
    assert len(maps) == 2  # the slow segment and all other cases, side by side
    assert f"**{slow['attribute']} = {slow['value']}** · 287 cases" in texts(app)
    assert "**all other cases** · 1,213 cases" in texts(app)
    assert slow["step"] in nodes(app, 0) and slow["step"] in nodes(app, 1)


def test_journey_page_in_dutch_keeps_the_time_out(app):
    open_page(app, "journey")
    app.number_input(key="journey.timeout").set_value(1.0).run()
    assert metric(app, "still open") == "0 (0%)"  # the one open case now counts as abandoned
    assert metric(app, "abandoned") == "90 (6%)"
    switch_to_dutch(app)
    assert app.title[0].value == "Klantreis"
    assert "Klantreiskaart" in [header.value for header in app.header]
    assert metric(app, "afgehaakt") == "90 (6%)"
    app.number_input(key="journey.timeout").set_value(30.0).run()
    assert metric(app, "afgehaakt") == "89 (6%)"
    journey_map = plotly_specs(app)[0]
    assert "Contactmomenten" in journey_map["layout"]["yaxis"]["ticktext"]
    assert "89 zaken" in texts(app)


def test_journey_page_reads_a_stage_file_and_names_a_bad_one(app):
    open_page(app, "journey")
    stages = b"stages:\n  Arrival: [Aanmelding SEH, Triage]\n  Care: [Bloedafname, Ontslag]\n"
    app.session_state["journey.stages_upload"] = ("stages.yaml", stages, "test-stages")
    app.radio(key="journey.stages_source.en").set_value("file").run()
    assert not app.exception and not app.error
    table = next(df.value for df in app.dataframe if "time in stage (median)" in df.value)
    assert list(table["stage"]) == ["Arrival", "Care"]
    assert list(table["cases"]) == [1500, 1500 - 89 - 1]  # all but the drop-outs and the open case
    app.session_state["journey.stages_upload"] = ("bad.csv", b"foo;bar\n1;2\n", "test-bad")
    app.run()
    assert not app.exception
    message = app.error[0].value
    assert message.startswith("These stages cannot be used: bad.csv")
    assert "'activity' and 'stage'" in message and "foo, bar" in message


def test_journey_page_on_a_log_without_channels_scores_or_attributes(app):
    rows = ["case,activity,time"] + [
        f"{case},{activity},2024-03-0{day} 1{hour}:00"
        for case in range(1, 6)
        for hour, (day, activity) in enumerate([(4, "Intake"), (5, "Check"), (6, "Decide")])
    ]
    app.session_state["app.upload"] = Upload(
        "\n".join(rows).encode(), "plain.csv", None, (), "test-plain-journey"
    )
    app.session_state["app.source"] = "upload"
    app.run()
    open_page(app, "journey")
    shown = texts(app)
    assert "no channel column" in shown
    assert "no scores or complaints: no emotion curve" in shown
    assert "no case attributes" in shown


def test_the_app_calls_only_the_public_api():
    """The app's files import from `discovery` itself, never from its modules."""
    root = Path(__file__).resolve().parents[1]
    files = [root / "app.py", *(root / "app_pages").glob("*.py"), *(root / "ui").glob("*.py")]
    private = [
        f"{path.name}: {line.strip()}"
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith(("from discovery.", "import discovery."))
    ]
    assert not private


def test_a_new_log_starts_without_the_journey_choices_made_on_the_previous_one(app):
    open_page(app, "journey")
    default_timeout = app.number_input(key="journey.timeout").value
    app.number_input(key="journey.timeout").set_value(1.0).run()
    options = app.sidebar.selectbox(key="app.sample").options
    app.sidebar.selectbox(key="app.sample").select(next(n for n in options if "permit" in n))
    app.run()
    assert not app.exception and not app.error
    assert app.number_input(key="journey.timeout").value == default_timeout != 1.0


def test_without_graphviz_installed_the_browser_lays_out_the_map(app, monkeypatch):
    from ui.charts import laid_out

    monkeypatch.setattr(shutil, "which", lambda name: None)
    laid_out.clear()
    open_page(app, "process_map")
    assert not graphs(app)
    (chart,) = app.get("graphviz_chart")
    assert '"Triage"' in chart.proto.spec
    assert [button.proto.label for button in app.get("download_button")] == [
        "Download the map (DOT)"  # no picture without Graphviz
    ]
    laid_out.clear()


def test_a_rule_in_an_uploaded_yaml_journey_is_checked_on_the_intended_page(app):
    journey = (
        b"steps:\n  - activity: Aanmelding SEH\n  - activity: Triage\n"
        b"  - activity: Ontslag\n    goal: yes\n"
        b"rules:\n  - within: {first: Aanmelding SEH, then: Triage, hours: 0.25}\n"
    )
    app.session_state["intended.source"] = "upload"
    app.session_state["intended.upload"] = ("hospital_rules.yaml", journey, "test-rules")
    open_page(app, "intended")
    assert "Intended journey: hospital_rules (3 steps)." in texts(app)
    ranked = next(frame.value for frame in app.dataframe if "deviation" in frame.value.columns)
    rule = ranked[ranked["deviation"] == "rule broken"]
    assert rule["step"].tolist() == ["Triage within 15 minutes of Aanmelding SEH"]
    # the same cases as the sample journey's own 15-minute wait norm before Triage, which
    # the library finds by a separate route (waits over a norm)
    from discovery import check_conformance, read_event_log, read_intended_journey

    log = read_event_log(SAMPLES / "hospital.xlsx")
    norms = check_conformance(log, read_intended_journey(SAMPLES / "hospital_intended.csv"))
    waits = norms.deviations.query("kind == 'wait_over_norm' and step == 'Triage'")
    assert rule["cases"].tolist() == [waits["case_id"].nunique()] == [756]


def test_pseudonymise_shows_only_pseudonyms_on_every_page_until_switched_off(app):
    from discovery import read_event_log

    raw = read_event_log(SAMPLES / "hospital.xlsx")
    originals = {str(case) for case in raw.events["case_id"].unique()}
    key_file = "00112233445566778899aabbccddeeff" * 2 + "\n"
    app.session_state["app.pseudo.key"] = bytes.fromhex(key_file.strip())
    app.sidebar.toggle(key="app.pseudo").set_value(True).run()
    assert not app.exception, app.exception

    def shown(at):  # text, tables, graphs, charts, metrics and choices on the page
        tables = [df.value.to_csv() for df in at.dataframe]
        charts = [str(chart.proto.spec) for chart in at.get("plotly_chart")]
        headings = [str(h.value) for h in [*at.title, *at.header, *at.subheader]]
        metrics = [f"{m.label} {m.value}" for m in at.metric]
        options = [str(option) for box in at.selectbox for option in box.options]
        return "\n".join([texts(at), *tables, *charts, *headings, *metrics, *options])

    def leaked(text):
        return [case for case in originals if re.search(rf"\b{re.escape(case)}\b", text)]

    for page in ("overview", "cases", "process_map"):
        open_page(app, page)
        assert not leaked(shown(app)), page
    open_page(app, "cases")
    choice = app.selectbox(key="cases.case.en")
    assert choice.options and all(option.startswith("P-") for option in choice.options)

    app.sidebar.toggle(key="app.pseudo").set_value(False).run()
    open_page(app, "cases")
    options = app.selectbox(key="cases.case.en").options
    assert options and all(option.split(" ")[0] in originals for option in options)
    assert leaked(shown(app))  # the check above would have seen them


def test_pseudonymise_without_a_key_file_shows_a_new_key_until_it_is_kept(app):
    from ui.pseudonyms import key_from_text

    app.sidebar.toggle(key="app.pseudo").set_value(True).run()
    assert not app.exception, app.exception
    shown = [code.value for code in app.sidebar.code]
    assert len(shown) == 1 and re.fullmatch(r"[0-9a-f]{64}", shown[0])
    assert app.session_state["app.pseudo.key"] == bytes.fromhex(shown[0])
    app.sidebar.button(key="app.pseudo.kept_button").click().run()
    assert not app.sidebar.code
    assert key_from_text(f"{shown[0][:32]}\n {shown[0][32:]}\n".encode()) == bytes.fromhex(shown[0])
    assert key_from_text(b"not hex") is None and key_from_text(b"abcd") is None
