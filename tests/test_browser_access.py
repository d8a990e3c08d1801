"""A served app in a real browser: nothing but the password field until the password is
given (Debian's chromium driven by Playwright; the app started with --serve's options)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.test_browser import ARTIFACTS, STEP_MS, running_app, settle

PASSWORD = "Zorgpad-2026"


@pytest.fixture(scope="module")
def served_url() -> Iterator[str]:
    """The app listening on every interface, as `dev.py app --serve` starts it."""
    served = running_app(
        "--server.address=0.0.0.0",
        env={"JOURNEY_PASSWORD": PASSWORD},
        log_name="streamlit-served.log",
    )
    with served as url:
        yield url


def test_a_served_app_shows_nothing_before_the_password(browser, served_url):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(STEP_MS)
    page.goto(served_url)
    password = page.get_by_label("Password", exact=True)
    expect(password).to_be_visible()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "served-password.png"))
    assert page.get_by_test_id("stSidebarNav").count() == 0
    assert "hospital" not in page.inner_text("body")

    password.fill("zorgpad-2026")
    page.get_by_role("button", name="Enter").click()
    expect(page.get_by_text("That password is not right.")).to_be_visible()
    assert page.get_by_test_id("stSidebarNav").count() == 0

    password.fill(PASSWORD)
    page.get_by_role("button", name="Enter").click()
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
    settle(page)
    heading = page.get_by_role("heading", name="Upload and map columns", level=1)
    expect(heading).to_be_visible(timeout=STEP_MS)
    assert "hospital" in page.inner_text("body")  # the sample log, shown now
    page.screenshot(path=str(ARTIFACTS / "served-let-in.png"))
    context.close()
