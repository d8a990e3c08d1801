"""The server gives its memory back once the last browser has gone: the real app, a real
browser session, then none (Debian's chromium driven by Playwright). The janitor's line in
the server's log says how many event logs are still alive in the server: none, although
Streamlit keeps the last closed session (its state and its pages' globals) until another
session connects (`Runtime._loop_coroutine`'s loop variable, Streamlit 1.67)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tests.test_browser import (
    ARTIFACTS,
    ROOT,
    STEP_MS,
    go_to,
    running_app,
    settle,
    upload_and_use,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

IDLE_S = 3  # seconds: a closed session is let go after this, then the caches
CLEANED = "caches cleared"
ALIVE = re.compile(
    r"caches cleared, uploaded files of (\d+) closed sessions dropped, .* given back, "
    r"(\d+) event logs alive"
)


@contextmanager
def an_open_page(browser, log: Path) -> Iterator[tuple[Page, BrowserContext]]:
    """The app with a short idle time, its log in `log`, and a browser page open on it."""
    options = ("--logger.level=info", f"--server.disconnectedSessionTTL={IDLE_S}")
    with running_app(*options, env={"JOURNEY_IDLE_S": str(IDLE_S)}, log_name=log.name) as url:
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(STEP_MS)
        page.goto(url)
        page.get_by_role("heading", name="Upload and map columns", level=1).wait_for()
        settle(page)
        yield page, context


def test_the_server_cleans_up_after_the_last_session_closes(browser):
    log = ARTIFACTS / "streamlit-memory.log"
    with an_open_page(browser, log) as (_, context):
        time.sleep(3 * IDLE_S)  # connected all along: nothing is cleaned
        assert CLEANED not in log.read_text()
        context.close()
        deadline = time.monotonic() + 10 * IDLE_S
        while CLEANED not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert CLEANED in log.read_text()


def test_no_event_log_is_alive_in_the_server_once_the_janitor_has_run(browser):
    """A session uploads a log, draws its map and goes; the janitor's count of the event
    logs alive in the server is then 0 (the session's state holds keys, not logs), and it
    has dropped the session's uploaded file, which Streamlit kept (the session expired
    without being shut down)."""
    log = ARTIFACTS / "streamlit-memory-logs.log"
    with an_open_page(browser, log) as (page, context):
        upload_and_use(page, ROOT / "sample_logs" / "permit.csv").click()
        page.get_by_text("Using permit.csv.").wait_for()
        go_to(page, "Process map")
        page.locator('[data-testid="stMain"] svg g.graph').first.wait_for()
        settle(page)
        context.close()
        deadline = time.monotonic() + 10 * IDLE_S
        while not ALIVE.search(log.read_text()) and time.monotonic() < deadline:
            time.sleep(0.5)
        found = ALIVE.search(log.read_text())
        assert found is not None and found.groups() == ("1", "0"), found
