"""The Compare page with Streamlit's AppTest: before/after a date on the sample log and on
the log with the planted improvement, against a second log, in Dutch, German and the pseudo
language (every text through the catalogue)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from discovery.simulate import IMPROVEMENT, simulate
from discovery.words import PSEUDO, say
from tests.test_app import ROOT, SAMPLES, graphs, nodes, texts
from tests.test_pseudo_locale import OPEN, english_only_texts, outside_catalogue, page_texts
from ui.state import Upload

TRUTH = json.loads((SAMPLES / "ground_truth.json").read_text(encoding="utf-8"))
CHANGE_DAY = dt.date.fromisoformat(TRUTH["improvement"]["cases_arriving_from"])


@pytest.fixture
def app(monkeypatch):
    if shutil.which("dot") is None:
        pytest.fail("Graphviz's dot is missing: run the tests with `python3 dev.py test`.")
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()


def open_compare(at: AppTest) -> AppTest:
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception, at.exception
    assert not at.error, [error.value for error in at.error]
    return at


def split_at(at: AppTest, day: dt.date) -> AppTest:
    at.date_input(key="compare.date").set_value(day).run()
    assert not at.exception, at.exception
    return at


def sentences(at: AppTest) -> list[str]:
    numbered = [m.value for m in at.markdown if m.value.startswith("1. ")]
    assert len(numbered) == 1
    return [line.split(". ", 1)[1] for line in numbered[0].splitlines()]


def upload_improved(at: AppTest) -> None:
    frame = simulate("hospital", headers="canonical", improvement=IMPROVEMENT)
    data = frame.to_csv(index=False).encode()
    at.session_state["app.upload"] = Upload(data, "improved.csv", None, (), "test-improved")
    at.session_state["app.source"] = "upload"


def test_the_sample_split_in_two_shows_nothing_but_draws_the_map(app) -> None:
    at = split_at(open_compare(app), CHANGE_DAY)
    assert at.title[0].value == "Compare"
    assert sentences(at)[0].startswith("No key figure changed significantly")
    table = at.dataframe[0].value
    assert len(table) > 10 and not table["Highlighted"].any()
    assert "Ontslag" in nodes(at)  # the difference map, laid out
    assert "A: before 2025-09-01" in texts(at)


def test_the_planted_improvement_comes_first(app) -> None:
    upload_improved(app)
    at = split_at(open_compare(app.run()), CHANGE_DAY)
    said = sentences(at)
    assert said[0].startswith("The wait before Ontslag fell from a median of")
    table = at.dataframe[0].value
    assert table.iloc[0]["Figure"] == "wait before Ontslag (median)"
    assert bool(table.iloc[0]["Highlighted"])
    at.radio(key="compare.change.en").set_value("wait").run()
    assert not at.exception
    svg = graphs(at)[0]
    assert "days → " in svg and "Green: shorter in B" in texts(at)


def test_against_a_second_log(app) -> None:
    at = open_compare(app)
    at.session_state["compare.upload"] = (
        "hospital.csv", (SAMPLES / "hospital.csv").read_bytes(), "test-hospital-csv",
    )  # fmt: skip
    at.radio(key="compare.mode.en").set_value("log").run()
    assert not at.exception, at.exception
    assert "B: hospital.csv (1,500 cases)" in texts(at)
    assert sentences(at)[0].startswith("No key figure changed")
    assert (at.dataframe[0].value["A"]
            == at.dataframe[0].value["B"]).all()  # fmt: skip


def test_a_second_log_that_cannot_be_read_is_said(app) -> None:
    at = open_compare(app)
    at.session_state["compare.upload"] = ("broken.csv", b"nothing;here\n", "test-broken")
    at.radio(key="compare.mode.en").set_value("log").run()
    assert not at.exception
    assert any("Cannot read broken.csv" in error.value for error in at.error)


def test_the_page_in_dutch_and_german(app) -> None:
    upload_improved(app)
    at = open_compare(app.run())
    at.sidebar.radio(key="app.language").set_value("nl").run()
    at = split_at(at, CHANGE_DAY)
    assert at.title[0].value == "Vergelijken"
    assert sentences(at)[0].startswith("De wachttijd voor Ontslag daalde van mediaan")
    at.sidebar.radio(key="app.language").set_value("de").run()
    assert not at.exception
    assert sentences(at)[0].startswith("Die Wartezeit vor Ontslag sank")
    english = english_only_texts()
    assert [text for _, text in page_texts(at) if text in english] == []


def test_every_text_through_the_catalogue(app, monkeypatch) -> None:
    import ui.i18n

    monkeypatch.setitem(ui.i18n.LANGUAGES, PSEUDO, "Pseudo")
    at = app.run()
    at.sidebar.radio(key="app.language").set_value(PSEUDO).run()
    at = split_at(open_compare(at), CHANGE_DAY)
    shown = page_texts(at)
    assert len(shown) > 10 and any(OPEN in text for _, text in shown)
    assert say("page.compare", PSEUDO) in [text for _, text in shown]
    missed = [(where, text, left) for where, text in shown if (left := outside_catalogue(text))]
    assert missed == []
