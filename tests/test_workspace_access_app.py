"""A workspace's password in the app (AppTest on the real app): nothing is listed before the
password, a wrong one sees nothing (and waits), a viewer sees the list and opens but is not
offered saving, renaming or deleting, an editor is; a reload of a saved analysis opens
nothing without the password; the session keeps the role, never the password."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import tests.test_pseudo_locale as pseudo
import ui.access
from discovery import Workspace, read_event_log
from discovery.words import PSEUDO, say
from tests.test_workspace_app import texts

ROOT = Path(__file__).resolve().parents[1]
EDITOR, VIEWER = "Sesame, open up 42", "just looking 7"
TITLE = "Permits, secret title"


@pytest.fixture
def guarded(monkeypatch) -> str:
    """The app's workspace with one analysis and both passwords; the analysis's id."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(ui.access, "WRONG_PASSWORD_DELAY_S", 0)
    workspace = Workspace()
    log = read_event_log(ROOT / "sample_logs" / "permit.csv")
    found = workspace.save_analysis(log, title=TITLE, notes="notes nobody may read")
    workspace.set_password("editor", EDITOR)
    workspace.set_password("viewer", VIEWER)
    return found


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def shown(at: AppTest) -> str:
    """Every text, table cell, label and option the page shows."""
    values = [texts(at)]
    values += [str(frame.value.to_dict()) for frame in at.dataframe]
    values += [str(box.options) for box in at.selectbox]
    values += [e.label for kind in ("button", "text_input", "checkbox") for e in at.get(kind)]
    return "\n".join(values)


def unlock(at: AppTest, password: str, language: str = "en") -> None:
    field = next(f for f in at.text_input if f.label == say("workspace.app.password", language))
    field.input(password)
    sent = say("workspace.app.unlock", language)
    next(b for b in at.button if b.label == sent).click().run()
    assert not at.exception, at.exception


def labels(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def no_password_kept(at: AppTest) -> bool:
    kept = repr(at._session_state.filtered_state)
    unlocked = at.session_state.get("workspace.unlocked", None)
    kept += repr(vars(unlocked)) if unlocked is not None else ""
    return EDITOR not in kept and VIEWER not in kept


def test_nothing_is_listed_before_the_password_nor_with_a_wrong_one(guarded):
    at = app()
    assert not at.exception
    assert "This workspace has a password." in texts(at)
    assert TITLE not in shown(at) and guarded not in shown(at)
    assert "notes nobody may read" not in shown(at)
    assert not {"Open", "Rename", "Delete", "Save to workspace"} & labels(at)
    unlock(at, VIEWER.upper())
    assert [e.value for e in at.error] == ["That is not a password of this workspace."]
    assert TITLE not in shown(at) and guarded not in shown(at)
    assert not {"Open", "Rename", "Delete", "Save to workspace"} & labels(at)
    assert "workspace.unlocked" not in at.session_state
    assert no_password_kept(at)


def test_a_wrong_password_waits(guarded, monkeypatch):
    # ui.access's own clock only: patching time.sleep itself also caught the one-second
    # sleeps of threads other tests left running (248,877 of them in one CI run)
    waited: list[float] = []
    clock = types.SimpleNamespace(sleep=waited.append)
    monkeypatch.setattr(ui.access, "time", clock)
    monkeypatch.setattr(ui.access, "WRONG_PASSWORD_DELAY_S", 1.0)
    at = app()
    unlock(at, "guess")
    assert waited == [1.0]
    unlock(at, VIEWER)
    assert waited == [1.0]


def test_a_viewer_sees_the_list_and_opens_but_cannot_save_rename_or_delete(guarded):
    at = app()
    unlock(at, VIEWER)
    assert TITLE in shown(at) and not at.error
    assert "Opened as a viewer" in texts(at)
    assert "Open" in labels(at)
    assert not {"Rename", "Delete", "Save to workspace"} & labels(at)
    next(b for b in at.button if b.label == "Open").click().run()
    assert not at.exception
    assert at.session_state["app.source"] == "saved" and at.query_params["analysis"] == guarded
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception and not at.sidebar.error
    at.run()  # the session stays a viewer
    assert at.session_state["workspace.unlocked"].role == "viewer"
    assert no_password_kept(at)
    editor = Workspace()
    editor.unlock(EDITOR)
    assert [a.title for a in editor.list_analyses()] == [TITLE]


def test_an_editor_saves_renames_and_deletes(guarded):
    at = app()
    unlock(at, EDITOR)
    assert {"Open", "Rename", "Delete", "Save to workspace"} <= labels(at)
    next(b for b in at.button if b.label == "Save to workspace").click().run()
    assert not at.exception and "Saved as" in texts(at)
    at.text_input(key="workspace.new_title").set_value("Renamed by the editor")
    at.selectbox(key="workspace.chosen").set_value(guarded).run()
    next(b for b in at.button if b.label == "Rename").click().run()
    at.checkbox(key="workspace.sure").check().run()
    next(b for b in at.button if b.label == "Delete").click().run()
    assert not at.exception
    editor = Workspace()
    editor.unlock(EDITOR)
    assert guarded not in {a.id for a in editor.list_analyses()}
    assert len(editor.list_analyses()) == 1
    assert no_password_kept(at)


def test_a_reload_of_a_saved_analysis_opens_nothing_without_the_password(guarded):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["analysis"] = guarded
    at.run()
    assert not at.exception
    assert any("this workspace has a password" in e.value for e in at.sidebar.error)
    assert TITLE not in shown(at)
    unlock(at, VIEWER)  # then the address's analysis opens
    assert not at.exception and not at.sidebar.error


def test_removing_the_password_opens_the_workspace_again(guarded):
    editor = Workspace()
    editor.unlock(EDITOR)
    editor.set_password("editor", None)
    at = app()
    assert not at.exception and TITLE in shown(at)
    assert {"Open", "Rename", "Delete"} <= labels(at)


def test_the_monitoring_page_lists_no_process_without_the_password(guarded):
    at = app()
    at.switch_page("app_pages/monitor.py").run()
    assert not at.exception
    assert any("this workspace has a password" in i.value for i in at.info)
    assert TITLE not in shown(at)
    at.switch_page("app_pages/upload.py").run()
    unlock(at, VIEWER)
    at.switch_page("app_pages/monitor.py").run()
    assert not at.exception and TITLE in shown(at)


def test_the_password_form_and_a_viewer_say_every_text_through_the_catalogue(guarded, monkeypatch):
    import ui.i18n

    monkeypatch.setitem(ui.i18n.LANGUAGES, PSEUDO, "Pseudo")
    at = app()
    at.sidebar.radio(key="app.language").set_value(PSEUDO).run()
    shown = pseudo.page_texts(at)
    unlock(at, "guess", PSEUDO)
    shown += pseudo.page_texts(at)
    unlock(at, VIEWER, PSEUDO)
    shown += pseudo.page_texts(at)
    assert not at.exception
    said = {text for _, text in shown}
    for key in ("locked", "password", "unlock", "wrong", "viewer"):
        assert any(say(f"workspace.app.{key}", PSEUDO) in text for text in said), key
    known = (str(Workspace().path), TITLE, guarded, "notes nobody may read", "permit.csv",
             *pseudo.data_values())  # fmt: skip
    monkeypatch.setattr(pseudo, "data_values", lambda: known)
    assert [(where, left) for where, text in shown
            if (left := pseudo.outside_catalogue(text))] == []  # fmt: skip


def test_a_served_app_warns_while_its_workspace_has_no_password(monkeypatch):
    from streamlit import config

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv(ui.access.PASSWORD_VARIABLE, "the app's own password")
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = app()
        at.text_input[0].input("the app's own password")
        at.button[0].click().run()
        warned = say("workspace.app.unprotected", "en", command="journey workspace passwd")
        assert warned in [w.value for w in at.warning]
        Workspace().set_password("editor", EDITOR)
        at.run()
        unlock(at, EDITOR)
        assert not at.exception and warned not in [w.value for w in at.warning]
    finally:
        config.set_option("server.address", before)
