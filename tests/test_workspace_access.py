"""Passwords of a workspace (discovery.workspace.access, Workspace.unlock/set_password): a
wrong password sees nothing, a viewer lists and opens but cannot save, rename or delete, an
editor can; removing the password opens the workspace again; a version 1 workspace keeps
its analyses when migrated; no password is ever stored or said in clear text."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from discovery import Workspace, WorkspaceError, to_event_log
from discovery.workspace._schema import MIGRATIONS
from discovery.workspace.access import Scrypt, check_password, hash_password, may, role_of
from tests.test_workspace import TINY, TINY_MAPPING
from tests.test_workspace_migrations import FIRST, SECOND, schema_version_in, version_1  # noqa: F401

EDITOR, VIEWER = "Sesame, open up 42", "just looking 7"


@pytest.fixture(scope="module")
def tiny():
    return to_event_log(TINY, TINY_MAPPING)


@pytest.fixture
def guarded(tmp_path, tiny) -> tuple[Workspace, str]:
    """A workspace with one analysis, an editor's and a viewer's password."""
    workspace = Workspace(tmp_path / "ws.duckdb")
    found = workspace.save_analysis(tiny, title="Tiny")
    workspace.set_password("editor", EDITOR)
    workspace.set_password("viewer", VIEWER)
    return workspace, found


def said(error: pytest.ExceptionInfo[WorkspaceError]) -> set[str]:
    return {error.value.say(language) for language in ("en", "nl", "de")}


# --- the hashes -----------------------------------------------------------------------------


def test_a_hash_has_its_own_salt_and_parameters_and_checks_only_its_password():
    first, second = hash_password(EDITOR), hash_password(EDITOR)
    assert first != second  # a random salt each time
    assert first.split("$")[:4] == second.split("$")[:4] == ["scrypt", "16384", "8", "1"]
    assert EDITOR not in first and EDITOR.encode().hex() not in first
    assert check_password(EDITOR, first) and check_password(EDITOR, second)
    assert not check_password(EDITOR.lower(), first) and not check_password("", first)
    assert not check_password(EDITOR, "not a hash") and not check_password(EDITOR, "")


def test_a_hash_made_with_other_parameters_still_checks():
    cheap = hash_password(EDITOR, Scrypt(n=2**10, r=4, p=2, salt_bytes=8, hash_bytes=16))
    assert cheap.split("$")[1:4] == ["1024", "4", "2"]
    assert check_password(EDITOR, cheap) and not check_password(VIEWER, cheap)
    _scheme, n, r, p, salt, digest = cheap.split("$")
    assert not check_password(EDITOR, "$".join(("md5", n, r, p, salt, digest)))


def test_the_role_of_a_password():
    hashes = {"editor": hash_password(EDITOR), "viewer": hash_password(VIEWER)}
    assert role_of(EDITOR, hashes) == "editor" and role_of(VIEWER, hashes) == "viewer"
    assert role_of("guess", hashes) is None and role_of(EDITOR, {}) is None
    assert [may("editor", need) for need in ("viewer", "editor")] == [True, True]
    assert [may("viewer", need) for need in ("viewer", "editor")] == [True, False]
    assert not may(None, "viewer")


# --- the workspace --------------------------------------------------------------------------


def test_without_a_password_everyone_is_an_editor(tmp_path, tiny):
    workspace = Workspace(tmp_path / "ws.duckdb")
    assert workspace.role == "editor" and not workspace.protected  # no file yet
    found = workspace.save_analysis(tiny, title="Tiny")
    assert Workspace(workspace.path).role == "editor"
    assert Workspace(workspace.path).unlock("anything") == "editor"
    assert [a.id for a in Workspace(workspace.path).list_analyses()] == [found]


def test_a_wrong_or_missing_password_sees_nothing(guarded):
    workspace, found = guarded
    stranger = Workspace(workspace.path)
    assert stranger.protected and stranger.role is None
    for look in (stranger.list_analyses, lambda: stranger.get(found),
                 lambda: stranger.open_analysis(found)):  # fmt: skip
        with pytest.raises(WorkspaceError) as locked:
            look()
        assert "this workspace has a password" in str(locked.value)
    with pytest.raises(WorkspaceError) as wrong:
        stranger.unlock(EDITOR.upper())
    assert said(wrong) == {
        f"{workspace.path}: that is not a password of this workspace",
        f"{workspace.path}: dat is geen wachtwoord van deze werkruimte",
        f"{workspace.path}: das ist kein Passwort dieses Arbeitsbereichs",
    }
    with pytest.raises(WorkspaceError):
        stranger.list_analyses()  # still locked
    assert stranger.role is None


def test_a_viewer_lists_and_opens_but_cannot_save_rename_or_delete(guarded, tiny):
    workspace, found = guarded
    viewer = Workspace(workspace.path)
    assert viewer.unlock(VIEWER) == "viewer" and viewer.role == "viewer"
    assert [a.title for a in viewer.list_analyses()] == ["Tiny"]
    assert viewer.open_analysis(found).log.n_events == tiny.n_events
    changes = {
        "save": lambda: viewer.save_analysis(tiny, title="Mine"),
        "rename": lambda: viewer.rename(found, "Mine"),
        "notes": lambda: viewer.set_notes(found, "mine"),
        "process": lambda: viewer.set_process(found, "mine"),
        "delete": lambda: viewer.delete(found),
        "password": lambda: viewer.set_password("viewer", "mine too"),
        "no password": lambda: viewer.set_password("editor", None),
    }
    for name, change in changes.items():
        with pytest.raises(WorkspaceError) as refused:
            change()
        assert "a viewer may list and open analyses" in str(refused.value), name
        assert "Lezer" in refused.value.say("nl").title() and "Leser" in refused.value.say("de")
    editor = Workspace(workspace.path)
    editor.unlock(EDITOR)
    assert [(a.id, a.title, a.notes) for a in editor.list_analyses()] == [(found, "Tiny", "")]


def test_an_editor_saves_renames_and_deletes(guarded, tiny):
    workspace, found = guarded
    editor = Workspace(workspace.path)
    assert editor.unlock(EDITOR) == "editor"
    added = editor.save_analysis(tiny, title="Second")
    editor.rename(found, "First")
    editor.delete(added)
    assert [a.title for a in editor.list_analyses()] == ["First"]
    assert workspace.role == "editor"  # the object that set the passwords stays the editor


def test_changed_passwords_lock_out_who_unlocked_before(guarded):
    workspace, _ = guarded
    viewer = Workspace(workspace.path)
    viewer.unlock(VIEWER)
    workspace.set_password("viewer", "another view 8")
    assert viewer.role is None
    with pytest.raises(WorkspaceError, match="has a password"):
        viewer.list_analyses()
    assert viewer.unlock("another view 8") == "viewer"


def test_removing_the_password_opens_the_workspace_again(guarded):
    workspace, found = guarded
    workspace.set_password("viewer", None)
    assert Workspace(workspace.path).protected
    with pytest.raises(WorkspaceError):
        Workspace(workspace.path).unlock(VIEWER)  # the viewer's password is gone
    workspace.set_password("editor", None)  # removes both
    anyone = Workspace(workspace.path)
    assert not anyone.protected and anyone.role == "editor"
    assert [a.id for a in anyone.list_analyses()] == [found]
    anyone.rename(found, "Open again")


def test_passwords_that_cannot_be_set(tmp_path, tiny):
    workspace = Workspace(tmp_path / "ws.duckdb")
    workspace.save_analysis(tiny, title="Tiny")
    with pytest.raises(WorkspaceError) as first:
        workspace.set_password("viewer", VIEWER)
    assert "set the editor's password first" in str(first.value)
    with pytest.raises(WorkspaceError, match="cannot be empty"):
        workspace.set_password("editor", "")
    workspace.set_password("editor", EDITOR)
    with pytest.raises(WorkspaceError, match="must differ"):
        workspace.set_password("viewer", EDITOR)
    assert Workspace(workspace.path).unlock(EDITOR) == "editor"


def test_no_password_is_in_the_file_or_in_an_error(guarded):
    workspace, _found = guarded
    data = workspace.path.read_bytes()
    for password in (EDITOR, VIEWER):
        for form in (
            password.encode(),
            password.encode("utf-16-le"),
            password.encode().hex().encode(),
        ):
            assert form not in data
    with duckdb.connect(str(workspace.path), read_only=True) as connection:
        stored = dict(
            connection.execute("FROM workspace_access SELECT role, password_hash").fetchall()
        )
    assert set(stored) == {"editor", "viewer"}
    assert check_password(EDITOR, stored["editor"]) and check_password(VIEWER, stored["viewer"])
    errors = []
    for attempt in (lambda: Workspace(workspace.path).unlock(VIEWER + "x"),
                    lambda: Workspace(workspace.path).list_analyses()):  # fmt: skip
        with pytest.raises(WorkspaceError) as error:
            attempt()
        errors += [repr(error.value), *said(error)]
    assert not [e for e in errors if VIEWER in e or EDITOR in e]
    assert VIEWER not in repr(workspace) and VIEWER not in repr(vars(workspace))


# --- migrations -----------------------------------------------------------------------------


def test_a_version_1_workspace_keeps_its_analyses_and_takes_a_password(version_1, tiny):  # noqa: F811
    assert schema_version_in(version_1) == 1
    workspace = Workspace(version_1)
    assert not workspace.protected  # migrated to the latest version on opening
    assert schema_version_in(version_1) == len(MIGRATIONS) >= 3
    workspace.set_password("editor", EDITOR)
    workspace.set_password("viewer", VIEWER)
    viewer = Workspace(version_1)
    viewer.unlock(VIEWER)
    assert {a.id for a in viewer.list_analyses()} == {FIRST, SECOND}
    assert viewer.open_analysis(FIRST).log.n_events == 6
    with pytest.raises(WorkspaceError, match="viewer"):
        viewer.delete(SECOND)
    assert {a.id for a in workspace.list_analyses()} == {FIRST, SECOND}


def test_migration_3_is_never_changed():
    """Released: files in the field were made by it (test_workspace_migrations)."""
    text = "\n".join(MIGRATIONS[2]).encode()
    assert hashlib.sha256(text).hexdigest().startswith("6bb53d21")
