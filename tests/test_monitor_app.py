"""The Monitoring page (AppTest): the saved analyses of one process merged into months, the
charts with the journey's norm lines, a threshold marking exactly the months over it; the
log in use when nothing is saved; every text through the catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui.i18n
from discovery import Workspace, read_intended_journey, split_at, to_event_log
from discovery.simulate import IMPROVEMENT, simulate
from discovery.words import PSEUDO, say
from tests.test_pseudo_locale import OPEN, outside_catalogue, page_texts

ROOT = Path(__file__).resolve().parents[1]
TRUTH = json.loads((ROOT / "sample_logs" / "ground_truth.json").read_text(encoding="utf-8"))
BEFORE = ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08"]


@pytest.fixture
def saved_process() -> None:
    """Two analyses of the improved hospital log tagged "Ziekenhuis", overlapping in August
    and September, the later saved with the intended journey; one of another process."""
    log = to_event_log(simulate("hospital", headers="canonical", improvement=IMPROVEMENT))
    journey = read_intended_journey(ROOT / "sample_logs" / "hospital_intended.csv")
    workspace = Workspace()
    workspace.save_analysis(split_at(log, "2025-10-01")[0], title="Q1", process="Ziekenhuis")
    workspace.save_analysis(
        split_at(log, "2025-08-01")[1], title="Q2", process="Ziekenhuis", intended=journey
    )
    workspace.save_analysis(split_at(log, "2025-05-01")[0], title="Other", process="Other")


def open_monitor(monkeypatch) -> AppTest:
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.switch_page("app_pages/monitor.py").run()
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_a_process_is_merged_and_a_threshold_marks_exactly_its_months(
    saved_process, monkeypatch
) -> None:
    at = open_monitor(monkeypatch)
    assert at.selectbox(key="monitor.process.en").value == "Other"  # first process, by name
    at.selectbox(key="monitor.process.en").set_value("Ziekenhuis").run()
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Cases in more than one analysis were counted once" in captions
    drawn = charts(at)
    assert len(drawn) == 4  # conformance, waits, handoffs, drop-off
    waits = drawn[1]
    names = [trace.get("name") for trace in waits["data"]]
    assert "Ontslag" in names and say("monitor.chart.norm", place="Ontslag") in names
    assert say("monitor.app.no_breaches") in [m.value for m in at.markdown]
    at.number_input(key="monitor.max_wait_days").set_value(2.5)
    at.button[0].click().run()
    assert not at.exception, at.exception
    (table,) = at.dataframe
    shown = table.value
    assert list(shown["Month"]) == BEFORE and set(shown["Where"]) == {"Ontslag"}
    marked = [t for t in charts(at)[1]["data"] if t.get("name") == say("monitor.chart.breach")]
    assert marked[0]["x"] == BEFORE


def test_without_saved_analyses_the_log_in_use_is_monitored(monkeypatch) -> None:
    at = open_monitor(monkeypatch)
    infos = [i.value for i in at.info]
    assert say("monitor.app.no_saved") in infos
    assert at.selectbox(key="monitor.process.en").value == ""
    assert len(charts(at)) >= 3


def test_every_text_of_the_page_is_in_the_catalogue(saved_process, monkeypatch) -> None:
    monkeypatch.setitem(ui.i18n.LANGUAGES, PSEUDO, "Pseudo")
    at = open_monitor(monkeypatch)
    at.sidebar.radio(key="app.language").set_value(PSEUDO).run()
    at.number_input(key="monitor.max_handoffs").set_value(6.9)
    at.button[0].click().run()
    assert not at.exception, at.exception
    shown = page_texts(at)
    assert any(OPEN in text for _, text in shown)
    data = {"Ziekenhuis", "Other", "Q1", "Q2"}  # the activities are data_values already
    missed = []
    for where, text in shown:
        for value in data:
            text = text.replace(value, " ")
        if left := outside_catalogue(text):
            missed.append((where, left))
    assert missed == []
