"""Access to the app: on this machine without a password; served to the network, nothing
shows before the password (AppTest on the real app), and `dev.py app --serve` refuses to
start without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

import dev
import ui.access
from tests.test_app import texts

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def served(monkeypatch):
    """The app as `--serve` starts it: listening on every network interface."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(ui.access, "WRONG_PASSWORD_DELAY_S", 0)
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    config.set_option("server.address", before)


def test_the_config_serves_this_machine_only():
    assert config.get_option("server.address") == "127.0.0.1"
    assert not ui.access.served()


def test_on_this_machine_the_app_opens_without_a_password(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv(ui.access.PASSWORD_VARIABLE, raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception and not at.error
    asked = ui.access.t("access.password", "en")
    assert not [field for field in at.text_input if field.label == asked]  # no password asked
    assert "hospital" in texts(at)  # the sample log is shown


def test_served_without_a_password_shows_nothing_but_how_to_set_one(served, monkeypatch):
    monkeypatch.delenv(ui.access.PASSWORD_VARIABLE, raising=False)
    at = served.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        ui.access.t("access.no_password", "en", variable="JOURNEY_PASSWORD")
    ]
    assert "hospital" not in texts(at)
    assert not at.sidebar.radio and not at.metric and not at.dataframe


def test_served_asks_for_the_password_and_lets_in_only_on_the_right_one(served, monkeypatch):
    monkeypatch.setenv(ui.access.PASSWORD_VARIABLE, PASSWORD)
    at = served.run()
    assert [field.label for field in at.text_input] == ["Password"]
    assert "hospital" not in texts(at) and not at.sidebar.radio

    at.text_input[0].input("Correct horse battery staple")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["That password is not right."]
    assert "hospital" not in texts(at) and not at.sidebar.radio

    at.text_input[0].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert "hospital" in texts(at) and at.sidebar.radio
    at.run()  # the session stays let in
    assert not at.text_input or "Password" not in [f.label for f in at.text_input]


def test_serving_needs_a_password_and_listens_on_every_interface():
    assert dev.app_options(["--server.port", "8600"], {}) == ["--server.port", "8600"]
    assert dev.app_options(["--serve"], {}) is None
    assert dev.app_options(["--serve"], {"JOURNEY_PASSWORD": ""}) is None
    assert dev.app_options(["--serve", "--server.port", "8600"], {"JOURNEY_PASSWORD": "x"}) == [
        "--server.address",
        "0.0.0.0",
        "--server.port",
        "8600",
    ]


def test_dev_app_serve_without_a_password_refuses_to_start():
    environment = {k: v for k, v in os.environ.items() if k != "JOURNEY_PASSWORD"}
    done = subprocess.run(
        [sys.executable, "dev.py", "app", "--serve"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "JOURNEY_PASSWORD" in done.stderr
