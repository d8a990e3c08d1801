"""The workspace in the app (AppTest): save the log in use from the upload page, see it
listed with its figures, reopen it (every page then uses it, and the address carries its
id so that a reload reopens it), rename it, delete it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from discovery import Workspace, read_event_log
from ui.i18n import t

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_logs" / "hospital.xlsx"  # the app's default sample


@pytest.fixture
def app(monkeypatch):
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def texts(at) -> str:
    elements = [*at.markdown, *at.caption, *at.info, *at.warning, *at.success, *at.error]
    return "\n".join(str(element.value) for element in elements)


def save(at, title: str, notes: str = "") -> None:
    title_label = t("workspace.app.save_title", "en")  # the form's title, then its notes
    next(field for field in at.text_input if field.label == title_label).set_value(title)
    at.text_area(key="workspace.notes").set_value(notes)
    next(b for b in at.button if b.label == "Save to workspace").click().run()
    assert not at.exception, at.exception


def test_the_sample_in_use_is_saved_and_listed_with_its_figures(app):
    assert "No saved analyses yet." in texts(app)
    save(app, "Hospital, first look", "before the change")
    assert "Saved as “Hospital, first look”" in texts(app)
    (saved,) = Workspace().list_analyses()
    assert (saved.title, saved.notes) == ("Hospital, first look", "before the change")
    log = read_event_log(SAMPLE)
    assert (saved.events, saved.cases) == (log.n_events, log.n_cases) == (17531, 1500)
    assert saved.source_name == "hospital.xlsx" and len(saved.source_sha256 or "") == 64
    (table,) = [d.value for d in app.dataframe if list(d.value.columns)[:1] == ["Title"]]
    assert list(table["Title"]) == ["Hospital, first look"]
    assert list(table["Events"]) == ["17,531"] and list(table["Cases"]) == ["1,500"]
    assert list(table["Id"]) == [saved.id]


def test_a_saved_analysis_reopens_survives_a_reload_and_is_renamed_and_deleted(app):
    save(app, "Hospital")
    (saved,) = Workspace().list_analyses()
    app.sidebar.radio(key="app.source.en").set_value("sample").run()
    next(b for b in app.button if b.label == "Open").click().run()
    assert not app.exception
    assert app.session_state["app.source"] == "saved"
    assert app.query_params["analysis"] == saved.id
    assert app.sidebar.radio(key="app.source.en").value == "saved"
    assert "sample log" not in texts(app)  # not called the sample any more
    assert "In use: Hospital." in texts(app)
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception and "1,500" in [m.value for m in app.metric]

    # a reload: a new session with the address the old one had
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    again.query_params["analysis"] = saved.id
    again.run()
    assert not again.exception
    assert again.sidebar.radio(key="app.source.en").value == "saved"
    assert "sample log" not in texts(again)
    assert "In use: Hospital." in texts(again)
    assert again.header[0].value.endswith("hospital.xlsx")

    again.text_input(key="workspace.new_title").set_value("Hospital, renamed")
    next(b for b in again.button if b.label == "Rename").click().run()
    assert Workspace().get(saved.id).title == "Hospital, renamed"
    assert "Renamed to “Hospital, renamed”." in texts(again)
    again.checkbox(key="workspace.sure").check().run()
    next(b for b in again.button if b.label == "Delete").click().run()
    assert not again.exception
    assert Workspace().list_analyses() == ()
    assert "No saved analyses yet." in texts(again)
    assert again.session_state["app.source"] == "sample"
    assert "analysis" not in again.query_params
    app.run()  # the first session still had it open: it now says it is gone
    assert not app.exception
    gone = f"no saved analysis has the id {saved.id}"
    assert any(gone in error.value for error in app.sidebar.error)


def test_a_reload_of_a_deleted_analysis_says_so(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert "deadbeef" not in texts_of_missing_workspace()
    Workspace().save_analysis(read_event_log(ROOT / "sample_logs" / "permit.csv"), title="P")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["analysis"] = "deadbeef"
    at.run()
    assert not at.exception
    assert any("no saved analysis has the id deadbeef" in error.value for error in at.sidebar.error)
    assert "sample log" not in texts(at)  # not the sample in its place
    assert os.environ["JOURNEY_WORKSPACE"] in texts(at)  # the upload page names the workspace


def texts_of_missing_workspace() -> str:
    """Before any save there is no workspace: a reload says that."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["analysis"] = "deadbeef"
    at.run()
    assert not at.exception
    said = " ".join(error.value for error in at.sidebar.error)
    assert "there is no workspace here yet" in said
    return said


def test_two_sessions_saving_at_once_lose_nothing():
    """Two app sessions, each in a process of its own (as two servers on one workspace
    would be; two AppTests in threads of one process race inside Streamlit's test harness),
    click Save three times each at the same moment; all six analyses are listed."""
    sessions = [
        subprocess.Popen(
            [sys.executable, "-c", SAVE_THREE, name],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name in ("first", "second")
    ]
    for session in sessions:
        output, _ = session.communicate(timeout=300)
        assert session.returncode == 0, output
    titles = sorted(saved.title for saved in Workspace().list_analyses())
    assert titles == sorted(f"{name} {n}" for name in ("first", "second") for n in range(3))


SAVE_THREE = """
import sys
from streamlit.testing.v1 import AppTest
sys.path.insert(0, "tests")
from test_workspace_app import save

at = AppTest.from_file("app.py", default_timeout=120).run()
for number in range(3):
    save(at, f"{sys.argv[1]} {number}")
    assert not at.error, [error.value for error in at.error]
"""
