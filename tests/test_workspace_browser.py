"""A saved analysis in a real browser: opened from the app's list, it survives a reload of
the page (the address carries ?analysis=ID) and a restart of the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from discovery import Workspace, read_event_log
from tests.test_browser import ARTIFACTS, STEP_MS, running_app, settle

ROOT = Path(__file__).resolve().parents[1]
PERMIT = ROOT / "sample_logs" / "permit.csv"  # not the default sample: it shows which is in use


def serve(folder: Path):
    """The app with its workspace in `folder`, in its own process; stopped afterwards."""
    return running_app(env={"JOURNEY_WORKSPACE": str(folder)}, log_name="streamlit-workspace.log")


@pytest.fixture
def saved(tmp_path) -> Iterator[tuple[Path, str]]:
    folder = tmp_path / "team"
    found = Workspace(folder).save_analysis(
        read_event_log(PERMIT), title="Permits before the change", source=PERMIT
    )
    yield folder, found


def in_use(page, found: str) -> None:
    """The saved analysis is the log in use: the upload page says so and names its file."""
    page.get_by_text("In use: Permits before the change.").wait_for()
    page.get_by_role("heading", name="The log in use: permit.csv").wait_for()
    assert f"analysis={found}" in page.url
    assert "hospital.xlsx" not in page.get_by_test_id("stSidebar").inner_text()


def test_a_saved_analysis_survives_a_reload_and_a_restart(browser, saved):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    folder, found = saved
    with serve(folder) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(STEP_MS)
        page.goto(url)
        settle(page)
        opening = page.get_by_test_id("stButton").filter(has_text="Open").get_by_role("button")
        opening.scroll_into_view_if_needed()
        opening.click()
        settle(page)
        in_use(page, found)
        page.screenshot(path=str(ARTIFACTS / "workspace-opened.png"), full_page=True)
        page.reload()
        settle(page)
        in_use(page, found)
        address = page.url
    with serve(folder) as url:  # a restart: a new process, on another port
        page.goto(address.replace(address.split("/")[2], url.split("/")[2]))
        settle(page)
        in_use(page, found)
        page.screenshot(path=str(ARTIFACTS / "workspace-restarted.png"), full_page=True)
        context.close()
