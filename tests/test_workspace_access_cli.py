"""`journey workspace passwd` and the password of every workspace command, in a process of
its own as a user runs it: a wrong or missing password lists nothing and exits non-zero, a
viewer lists and reads `ws:ID` but cannot delete or set passwords, an editor can, removing
the password opens the workspace again; no password in any output or in the file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from discovery import Workspace, cli, to_event_log
from discovery.words import PSEUDO
from discovery.workspace.access import PASSWORD_VARIABLE
from tests.journey_cli import ROOT, valid
from tests.test_pseudo_locale import outside_catalogue
from tests.test_workspace import TINY, TINY_MAPPING

EDITOR, VIEWER = "Sesame, open up 42", "just looking 7"
NEW = "JOURNEY_WORKSPACE_NEW_PASSWORD"


def journey(*args: object, password: str | None = None, new: str | None = None,
            stdin: str = "") -> subprocess.CompletedProcess[str]:  # fmt: skip
    """`journey ARGS` in its own process, standard input not a terminal (`stdin`), the
    workspace password and the new one in the environment where given."""
    env = {key: value for key, value in os.environ.items()
           if key not in (PASSWORD_VARIABLE, NEW)}  # fmt: skip
    env |= {PASSWORD_VARIABLE: password} if password is not None else {}
    env |= {NEW: new} if new is not None else {}
    command = [sys.executable, "-m", "discovery.cli", *map(str, args)]
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, timeout=300, cwd=ROOT, env=env
    )


def no_password_in(*results: subprocess.CompletedProcess[str]) -> bool:
    said = "".join(result.stdout + result.stderr for result in results)
    return EDITOR not in said and VIEWER not in said


@pytest.fixture
def guarded(tmp_path) -> tuple[str, str]:
    """A workspace with the tiny log saved, its editor's password set from standard input
    and the viewer's from the environment; its path and the analysis's id."""
    path = tmp_path / "ws.duckdb"
    found = Workspace(path).save_analysis(to_event_log(TINY, TINY_MAPPING), title="Tiny")
    editor = journey("workspace", "passwd", "--workspace", path, "--json", stdin=EDITOR + "\n")
    assert editor.returncode == 0, editor.stderr
    assert valid(json.loads(editor.stdout), "workspace")["password"] == {
        "role": "editor",
        "action": "set",
        "protected": True,
    }
    viewer = journey("workspace", "passwd", "--role", "viewer", "--workspace", path,
                     password=EDITOR, new=VIEWER)  # fmt: skip
    assert viewer.returncode == 0, viewer.stderr
    assert viewer.stdout.strip() == f"The password (viewer) of {path} is set."
    assert no_password_in(editor, viewer)
    data = path.read_bytes()
    assert EDITOR.encode() not in data and VIEWER.encode() not in data
    return str(path), found


def test_a_wrong_or_missing_password_lists_nothing(guarded):
    path, found = guarded
    wrong = journey("workspace", "list", "--workspace", path, password=VIEWER.upper())
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert wrong.stderr.strip() == f"journey: {path}: that is not a password of this workspace"
    missing = journey("workspace", "show", found, "--workspace", path, "--language", "nl")
    assert missing.returncode == 2 and missing.stdout == ""
    assert PASSWORD_VARIABLE in missing.stderr and "wachtwoord" in missing.stderr
    read = journey("map", f"ws:{found}", "--workspace", path, password="guess")
    assert read.returncode == 2 and read.stdout == "" and "Traceback" not in read.stderr
    assert no_password_in(wrong, missing, read)


def test_a_viewer_reads_but_cannot_delete_or_set_passwords(guarded):
    path, found = guarded
    listed = journey("workspace", "list", "--workspace", path, "--json", password=VIEWER)
    assert listed.returncode == 0, listed.stderr
    assert [a["id"] for a in valid(json.loads(listed.stdout), "workspace")["analyses"]] == [found]
    mapped = journey("map", f"ws:{found}", "--workspace", path, "--json", password=VIEWER)
    assert mapped.returncode == 0, mapped.stderr
    deleted = journey("workspace", "delete", found, "--workspace", path, password=VIEWER)
    assert deleted.returncode == 2 and deleted.stdout == ""
    assert "a viewer may list and open analyses" in deleted.stderr
    removed = journey("workspace", "passwd", "--remove", "--workspace", path, "--language", "de",
                      password=VIEWER)  # fmt: skip
    assert removed.returncode == 2 and "Leser" in removed.stderr
    added = journey("workspace", "add", ROOT / "sample_logs" / "permit.csv", "--title", "Mine",
                    "--workspace", path, password=VIEWER)  # fmt: skip
    assert added.returncode == 2 and added.stdout == ""
    assert "a viewer may list and open analyses" in added.stderr
    assert no_password_in(listed, mapped, deleted, removed, added)
    assert [a.id for a in unlocked(path).list_analyses()] == [found]  # still there


def test_an_editor_deletes(guarded):
    path, found = guarded
    deleted = journey("workspace", "delete", found, "--workspace", path, password=EDITOR)
    assert deleted.returncode == 0, deleted.stderr
    assert unlocked(path).list_analyses() == ()


def test_removing_the_password_opens_the_workspace_again(guarded):
    path, found = guarded
    viewer = journey("workspace", "passwd", "--role", "viewer", "--remove", "--workspace", path,
                     password=EDITOR)  # fmt: skip
    assert viewer.returncode == 0 and viewer.stdout.strip().endswith("is removed.")
    assert journey("workspace", "list", "--workspace", path, password=VIEWER).returncode == 2
    editor = journey("workspace", "passwd", "--remove", "--workspace", path, "--json",
                     password=EDITOR)  # fmt: skip
    assert valid(json.loads(editor.stdout), "workspace")["password"] == {
        "role": "editor",
        "action": "removed",
        "protected": False,
    }
    listed = journey("workspace", "list", "--workspace", path)
    assert listed.returncode == 0 and found in listed.stdout


def test_passwords_that_cannot_be_set(tmp_path):
    path = tmp_path / "ws.duckdb"
    empty = journey("workspace", "passwd", "--workspace", path, stdin="\n")
    assert empty.returncode == 2 and "cannot be empty" in empty.stderr
    viewer_first = journey("workspace", "passwd", "--role", "viewer", "--workspace", path,
                           new=VIEWER)  # fmt: skip
    assert viewer_first.returncode == 2 and "editor's password first" in viewer_first.stderr
    assert no_password_in(empty, viewer_first)


def test_passwd_says_every_text_through_the_catalogue(tmp_path):
    path = tmp_path / "ws.duckdb"
    pseudo = ("--workspace", path, "--language", PSEUDO)
    results = [
        journey("workspace", "passwd", *pseudo, new=EDITOR),
        journey("workspace", "passwd", "--role", "viewer", *pseudo, password=EDITOR, new=VIEWER),
        journey("workspace", "list", *pseudo, password="guess"),
        journey("workspace", "list", *pseudo),
        journey("workspace", "passwd", "--remove", *pseudo, password=VIEWER),
        journey("workspace", "passwd", "--role", "viewer", "--remove", *pseudo, password=EDITOR),
        journey("workspace", "passwd", "--remove", *pseudo, password=EDITOR),
    ]
    assert [r.returncode for r in results] == [0, 0, 2, 2, 2, 0, 0]
    lines = [line for r in results for line in (r.stdout + r.stderr).splitlines() if line]
    assert len(lines) == 7 and all("⟦" in line for line in lines)
    rest = [re.sub(re.escape(str(path)), " ", line) for line in lines]
    assert [(line, left) for line in rest if (left := outside_catalogue(line))] == []
    assert no_password_in(*results)


def unlocked(path: str) -> Workspace:
    workspace = Workspace(path)
    workspace.unlock(EDITOR)
    return workspace


class Terminal:
    """Standard input as a terminal: the CLI asks (through `_ask`, here the answers given)."""

    def __init__(self, monkeypatch, answers: list[str]) -> None:
        self.asked: list[str] = []
        monkeypatch.setattr(sys, "stdin", self)
        monkeypatch.setattr(cli, "_ask", lambda prompt: self.asked.append(prompt) or answers.pop(0))
        monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
        monkeypatch.delenv(NEW, raising=False)

    def isatty(self) -> bool:
        return True


def test_in_a_terminal_the_passwords_are_asked_for(tmp_path, monkeypatch, capsys):
    path = tmp_path / "ws.duckdb"
    Workspace(path).save_analysis(to_event_log(TINY, TINY_MAPPING), title="Tiny")
    typed = Terminal(monkeypatch, [EDITOR, EDITOR + "!"])
    assert cli.main(["workspace", "passwd", "--workspace", str(path)]) == 2
    assert "the two passwords differ; nothing changed" in capsys.readouterr().err
    assert typed.asked == ["New password (editor): ", "The new password again: "]
    assert not Workspace(path).protected
    typed = Terminal(monkeypatch, [EDITOR, EDITOR])
    assert cli.main(["workspace", "passwd", "--workspace", str(path)]) == 0
    assert Workspace(path).protected
    typed = Terminal(monkeypatch, [EDITOR])
    assert cli.main(["workspace", "list", "--workspace", str(path), "--language", "nl"]) == 0
    assert typed.asked == [f"Wachtwoord van de werkruimte {path}: "]
    said = capsys.readouterr()
    assert "Tiny" in said.out and EDITOR not in said.out + said.err
