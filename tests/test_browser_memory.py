"""The server gives its memory back once the last browser has gone: the real app, a real
browser session, then none (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from tests.test_browser import (
    ARTIFACTS,
    ROOT,
    SERVER_OPTIONS,
    STEP_MS,
    _free_port,
    _wait_until_healthy,
    settle,
)

IDLE_S = 3  # seconds: a closed session is let go after this, then the caches
CLEANED = "caches cleared"


def test_the_server_cleans_up_after_the_last_session_closes(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port, log_path = _free_port(), ARTIFACTS / "streamlit-memory.log"
    with log_path.open("w") as server_log:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "streamlit", "run", "app.py", *SERVER_OPTIONS),
                *("--server.port", str(port), "--logger.level", "info"),
                *("--server.disconnectedSessionTTL", str(IDLE_S)),
            ],
            cwd=ROOT,
            env={**os.environ, "JOURNEY_IDLE_S": str(IDLE_S)},
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_healthy(server, url)
            context = browser.new_context()
            page = context.new_page()
            page.set_default_timeout(STEP_MS)
            page.goto(url)
            page.get_by_role("heading", name="Upload and map columns", level=1).wait_for()
            settle(page)
            time.sleep(3 * IDLE_S)  # connected all along: nothing is cleaned
            assert CLEANED not in log_path.read_text()
            context.close()
            deadline = time.monotonic() + 10 * IDLE_S
            while CLEANED not in log_path.read_text() and time.monotonic() < deadline:
                time.sleep(0.5)
            assert CLEANED in log_path.read_text()
        finally:
            server.terminate()
            server.wait(timeout=30)
