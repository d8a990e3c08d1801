"""A saved analysis with its filter sets in a real browser: reopened from the address, its
filters are in force and its sets are offered; applying another set puts that one in force,
and a reload brings back the filters saved with it."""

from __future__ import annotations

from pathlib import Path

from discovery import Stages, VariantSelection, Workspace, journey_from_variant, read_event_log
from tests.test_browser import ARTIFACTS, STEP_MS, running_app, settle

ROOT = Path(__file__).resolve().parents[1]
PERMIT = ROOT / "sample_logs" / "permit.csv"


def test_a_saved_analysis_brings_its_filter_sets_to_the_browser(browser, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = read_event_log(PERMIT)
    first = log.activities[0]
    found = Workspace(tmp_path).save_analysis(
        log,
        title="Permits, saved whole",
        source=PERMIT,
        intended=journey_from_variant(list(log.activities[:3]), log, name="Three steps"),
        stages=Stages.from_pairs([(first, "Start")]),
        filters={
            "filters in force": (VariantSelection(top=2),),
            "top five": (VariantSelection(top=5),),
        },
    )
    with running_app(
        env={"JOURNEY_WORKSPACE": str(tmp_path)}, log_name="streamlit-sets.log"
    ) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(STEP_MS)
        page.goto(f"{url}/?analysis={found}")
        settle(page)
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text("Filters: cases in the 2 most frequent variants").wait_for()
        page.get_by_text("Filter sets of “Permits, saved whole”").wait_for()
        chooser = page.get_by_test_id("stSelectbox").filter(has_text="Filter set")
        chooser.scroll_into_view_if_needed()
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "workspace-filter-sets.png"))
        chooser.click()
        page.get_by_role("option", name="top five: cases in the 5 most frequent variants").click()
        settle(page)
        page.get_by_test_id("stButton").filter(has_text="Apply").get_by_role("button").click()
        settle(page)
        sidebar.get_by_text("Filters: cases in the 5 most frequent variants").wait_for()
        page.reload()
        settle(page)
        sidebar.get_by_text("Filters: cases in the 2 most frequent variants").wait_for()
        context.close()
