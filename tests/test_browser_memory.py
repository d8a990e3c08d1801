"""The server gives its memory back once the last browser has gone: the real app, a real
browser session, then none (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import time

from tests.test_browser import ARTIFACTS, STEP_MS, running_app, settle

IDLE_S = 3  # seconds: a closed session is let go after this, then the caches
CLEANED = "caches cleared"


def test_the_server_cleans_up_after_the_last_session_closes(browser):
    log = ARTIFACTS / "streamlit-memory.log"
    options = ("--logger.level=info", f"--server.disconnectedSessionTTL={IDLE_S}")
    idle = {"JOURNEY_IDLE_S": str(IDLE_S)}
    with running_app(*options, env=idle, log_name=log.name) as url:
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(STEP_MS)
        page.goto(url)
        page.get_by_role("heading", name="Upload and map columns", level=1).wait_for()
        settle(page)
        time.sleep(3 * IDLE_S)  # connected all along: nothing is cleaned
        assert CLEANED not in log.read_text()
        context.close()
        deadline = time.monotonic() + 10 * IDLE_S
        while CLEANED not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert CLEANED in log.read_text()
