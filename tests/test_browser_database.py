"""Connect to a database in a real browser (Debian's chromium, Playwright): the throwaway
PostgreSQL cluster's table, its map computed there and drawn, a variant chosen as the map's
filter and the cases through a step listed, all computed there; the password never on the
page or in the address. Screenshots in test-artifacts/browser/database-*.png."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from discovery import (
    ExactVariant,
    apply_filters,
    bring_here,
    cases_at_node,
    discover_map,
    discover_variants,
    dot_to_svg,
    format_count,
    map_dot,
    open_source,
)
from tests.test_browser import ARTIFACTS, STEP_MS, go_to, running_app, settle

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs" / "hospital.csv"


@pytest.fixture
def events_table(postgres, postgres_table) -> str:
    rows = pd.read_csv(SAMPLE, sep=";", dtype=str, keep_default_na=False).replace("", None)
    return postgres_table(rows, "gebeurtenissen")


def svg_texts(svg: str) -> list[str]:
    """The texts of a graph (names, counts), in order."""
    return [html.unescape(text) for text in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


def connect(page, url: str, postgres, table: str) -> None:
    """Open the app and connect to `table` of the PostgreSQL cluster, password and all."""
    page.goto(url)
    settle(page)
    fields = {
        "Connection string": postgres.url(),
        "Table or read-only SQL query": table,
        "Database password": postgres.password,
    }
    for label, value in fields.items():
        field = page.get_by_label(label, exact=True)
        field.fill(value)
        field.press("Enter")
        settle(page)
    page.get_by_role("button", name="Connect", exact=True).click()
    settle(page)
    page.get_by_text("Connected: postgresql://").wait_for()


def test_connect_to_postgresql_and_draw_the_map(browser, postgres, events_table):
    library = open_source(postgres.url(events_table), password=postgres.password)
    svg = dot_to_svg(map_dot(discover_map(library, "activity"), "frequency", "en"))
    assert svg is not None
    with running_app(log_name="streamlit-database.log") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(STEP_MS)
        try:
            connect(page, url, postgres, events_table)
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


def test_a_variant_filters_the_map_in_place_and_a_steps_cases_are_listed(
    browser, postgres, events_table
):
    """The second most frequent variant, chosen on the variants page, filters the map of
    the PostgreSQL table where it lives; a step's cases are listed there too. The oracle:
    the same rows read here, filtered and mapped by the local route."""
    from playwright.sync_api import expect

    there = open_source(postgres.url(events_table), password=postgres.password)
    here = bring_here(there)
    chosen = tuple(discover_variants(here).variants["activities"].iloc[1])
    filtered = apply_filters(here, [ExactVariant(chosen)])
    svg = dot_to_svg(map_dot(discover_map(filtered, "activity"), "frequency", "en"))
    assert svg is not None and 0 < filtered.n_cases < here.n_cases
    step = chosen[1]
    cases = len(cases_at_node(filtered, "activity", step))
    with running_app(log_name="streamlit-database-variant.log") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(STEP_MS)
        expect.set_options(timeout=STEP_MS)
        try:
            connect(page, url, postgres, events_table)
            main = page.get_by_test_id("stMain")
            go_to(page, "Variants")
            main.get_by_role("combobox", name="Variant", exact=True).click()
            page.get_by_role("option", name=re.compile(r"^Variant 2: ")).click()
            settle(page)
            main.get_by_role("button", name="Show this variant on the map").click()
            page.get_by_role("heading", name="Process map", level=1).wait_for()
            settle(page)
            expect(main.get_by_text("Variant from the variant explorer:")).to_be_visible()
            graph = page.locator("div.graph svg")
            graph.wait_for()
            assert svg_texts(graph.evaluate("svg => svg.outerHTML")) == svg_texts(svg)
            expect(
                main.get_by_text("Computed in PostgreSQL with the filters in force")
            ).to_be_visible()
            main.get_by_text("Filters", exact=True).click()  # folded: the map comes up
            settle(page)
            graph.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "database-3-variant-map.png"))
            main.get_by_role("combobox", name="Cases through a node or path").click()
            page.keyboard.type(step)  # the list is long: searched, the step comes first
            page.keyboard.press("Enter")
            settle(page)
            said = f"{format_count(cases, 'en')} cases through {step}"
            listed = main.get_by_text(said, exact=True)
            expect(listed).to_be_visible()
            listed.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "database-4-step-cases.png"))
            for shown in (page.content(), page.url):
                assert postgres.password not in shown
        finally:
            context.close()
