"""Connect to a database in a real browser (Debian's chromium, Playwright): the throwaway
PostgreSQL cluster's table, its map computed there and drawn; the password never on the
page or in the address. Screenshots in test-artifacts/browser/database-*.png."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from discovery import discover_map, dot_to_svg, map_dot, open_source
from tests.test_browser import ARTIFACTS, STEP_MS, go_to, running_app, settle

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs" / "hospital.csv"


@pytest.fixture
def events_table(postgres, postgres_table) -> str:
    rows = pd.read_csv(SAMPLE, sep=";", dtype=str, keep_default_na=False).replace("", None)
    return postgres_table(rows, "gebeurtenissen")


def svg_texts(svg: str) -> list[str]:
    """The texts of a graph (names, counts), in order."""
    return [html.unescape(text) for text in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


def test_connect_to_postgresql_and_draw_the_map(browser, postgres, events_table):
    library = open_source(postgres.url(events_table), password=postgres.password)
    svg = dot_to_svg(map_dot(discover_map(library, "activity"), "frequency", "en"))
    assert svg is not None
    with running_app(log_name="streamlit-database.log") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(STEP_MS)
        try:
            page.goto(url)
            settle(page)
            fields = {
                "Connection string": postgres.url(),
                "Table or read-only SQL query": events_table,
                "Database password": postgres.password,
            }
            for label, value in fields.items():
                field = page.get_by_label(label, exact=True)
                field.fill(value)
                field.press("Enter")
                settle(page)
            page.get_by_role("button", name="Connect", exact=True).click()
            settle(page)
            connected = page.get_by_text("Connected: postgresql://")
            connected.wait_for()
            page.screenshot(path=str(ARTIFACTS / "database-1-connected.png"))
            assert page.get_by_label("Database password", exact=True).input_value() == ""
            assert "The rows stay in PostgreSQL" in page.get_by_test_id("stSidebar").inner_text()
            go_to(page, "Process map")
            graph = page.locator("div.graph svg")
            graph.wait_for()
            drawn = graph.evaluate("svg => svg.outerHTML")
            assert svg_texts(drawn) == svg_texts(svg)
            page.screenshot(path=str(ARTIFACTS / "database-2-map.png"), full_page=True)
            for shown in (page.content(), page.url):
                assert postgres.password not in shown
        finally:
            context.close()
