"""Compare and Monitoring in a real browser (Debian's chromium driven by Playwright), on the
hospital log with the simulator's planted improvement (the wait before Ontslag halved for
cases from a date on, sample_logs/ground_truth.json): the split chosen on the page names the
improvement first and draws the difference map; three saved slices of that log, one process,
are monitored month by month with a threshold marking the months over it, also in Dutch.
Screenshots in test-artifacts/browser/compare-*.png and monitor-*.png."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from discovery import (
    Thresholds,
    Workspace,
    compare_periods,
    format_duration,
    monitor_logs,
    read_event_log,
    read_intended_journey,
    say,
    split_at,
)
from tests.test_browser import ARTIFACTS, STEP_MS, go_to, running_app, settle, upload_and_use

ROOT = Path(__file__).resolve().parents[1]
TRUTH = json.loads((ROOT / "sample_logs" / "ground_truth.json").read_text(encoding="utf-8"))
PLANTED = TRUTH["improvement"]
PROCESS = "Ziekenhuis"
SLICES = ("2025-06-01", PLANTED["cases_arriving_from"])  # three analyses: before, between, after
MAX_WAIT_DAYS = 2.5  # between the waits before (about 3.2 days) and after (about 1.5 days)


@pytest.fixture(scope="module")
def improved(improved_csv):
    return read_event_log(improved_csv)


@pytest.fixture(scope="module")
def team(tmp_path_factory, improved) -> Path:
    """A workspace holding the improved log in three slices tagged with one process, the
    last saved with the intended journey (its norms and conformance)."""
    folder = tmp_path_factory.mktemp("team")
    journey = read_intended_journey(ROOT / "sample_logs" / "hospital_intended.csv")
    first, rest = split_at(improved, SLICES[0])
    middle, last = split_at(rest, SLICES[1])
    workspace = Workspace(folder)
    for title, part in (("Spring", first), ("Summer", middle), ("Autumn", last)):
        intended = journey if part is last else None
        workspace.save_analysis(part, title=title, process=PROCESS, intended=intended)
    return folder


@pytest.fixture(scope="module")
def app_url(team) -> Iterator[str]:
    with running_app(env={"JOURNEY_WORKSPACE": str(team)}, log_name="streamlit-compare.log") as url:
        yield url


@pytest.fixture
def page(browser, app_url):
    from playwright.sync_api import expect

    expect.set_options(timeout=STEP_MS)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(STEP_MS)
    page.goto(app_url)
    yield page
    context.close()


def shoot(page, name: str, element=None) -> None:
    """The whole page as a user scrolls through it, or only `element`, in
    ARTIFACTS/`name`.png: the window made as tall as the page for the shot (Streamlit
    scrolls inside its main block, which a full-page screenshot does not follow)."""
    size = page.viewport_size
    tall = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(tall, 600), 9000)})
    page.wait_for_timeout(800)  # the charts follow the new size
    path = str(ARTIFACTS / f"{name}.png")
    if element is None:
        page.screenshot(path=path, full_page=True)
    else:
        element.screenshot(path=path)
    page.set_viewport_size(size)


def test_compare_before_and_after_the_planted_date(page, improved, improved_csv):
    from playwright.sync_api import expect

    main = page.get_by_test_id("stMain")
    day = PLANTED["cases_arriving_from"]
    comparison = compare_periods(improved, pd.Timestamp(day))
    first = comparison.highlighted.iloc[0]
    assert first["effect"] == pytest.approx(PLANTED["factor"], rel=0.10)  # the outside oracle
    expected = say(comparison.sentences()[0], "en")

    expect(page.get_by_role("heading", name="Upload and map columns", level=1)).to_be_visible()
    upload_and_use(page, Path(improved_csv)).click()
    expect(main.get_by_text("Using improved.csv.")).to_be_visible()
    go_to(page, "Compare")

    # the change date picked in the page's own calendar, as a person would (the middle of
    # the log, its default, is in the same month)
    main.get_by_role("group", name="Change date").click()
    picked = pd.Timestamp(day).strftime("%A, %-d %B %Y")  # "Monday, 1 September 2025"
    page.get_by_role("button", name=picked, exact=True).click()
    expect(main.get_by_text(re.compile(rf"^A: before {day} \("))).to_be_visible()

    # what changed: the planted improvement first, with its size
    changes = main.get_by_test_id("stMarkdownContainer").locator("ol > li")
    expect(changes.first).to_have_text(expected)
    said = changes.first.inner_text()
    assert said.startswith(f"The wait before {PLANTED['step']} fell from a median of")
    ratio = float(re.search(r"\(([0-9.]+)×\)", said).group(1))
    assert ratio == pytest.approx(PLANTED["factor"], rel=0.10)

    # the key figures, the planted one first and highlighted (read from the grid's own
    # table for assistive technology; the grid itself is drawn on a canvas)
    table = main.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    columns = ["Figure", "A", "B", "p (Holm)", "Highlighted"]
    expect(table.locator("th[role=columnheader]")).to_have_text(columns)
    top = table.locator("tbody tr").first.locator("td[role=gridcell]")
    a, b = (format_duration(first[side]) for side in "ab")
    expect(top).to_have_text(["wait before Ontslag (median)", a, b, "<0.001", "true"])

    # the difference map: every step of both periods, coloured by the change in median wait
    graph = main.locator("div.graph svg").first
    expect(graph.locator("g.node")).to_have_count(len(comparison.nodes))
    for step in comparison.nodes["name"]:
        expect(graph.locator("g.node").filter(has_text=str(step)).first).to_be_visible()
    expect(graph.locator("g.edge")).to_have_count(len(comparison.edges))
    main.get_by_test_id("stRadio").get_by_text("median wait", exact=True).click()
    expect(main.get_by_text(re.compile(r"^Paths labelled with the median wait"))).to_be_visible()
    key = graph.locator("g#graph0 > text")  # the key to the colours, the graph's own label
    for said in ("Paths: median wait, A → B", "shorter in B", "longer in B", "within 25%",
                 "new in B", "gone in B", "Steps: events, A → B"):  # fmt: skip
        expect(key.filter(has_text=re.compile(rf"^{re.escape(said)}$"))).to_have_count(1)
    source, target = PLANTED["bottleneck"]
    bottleneck = graph.locator("g.edge").filter(
        has=page.locator("title", has_text=f"{source}->{target}")
    )
    expect(bottleneck.locator("path").first).to_have_attribute("stroke", "#2e7d32")  # shorter
    for status in ("new", "vanished"):  # marked where the data has them
        shown = (comparison.edges["status"] == status).sum()
        label = {"new": "new", "vanished": "gone"}[status]
        assert graph.locator("g.edge").filter(has_text=f"{label}:").count() == shown
    settle(page)
    shoot(page, "compare-1-page")
    shoot(page, "compare-2-difference-map", graph)


def test_monitoring_a_process_with_a_threshold_in_english_and_dutch(page, team):
    from playwright.sync_api import expect

    main, sidebar = page.get_by_test_id("stMain"), page.get_by_test_id("stSidebar")
    workspace = Workspace(team)
    opened = [workspace.open_analysis(saved.id) for saved in workspace.list_analyses()]
    journey = next(o.intended for o in opened if o.intended is not None)
    monitor = monitor_logs([o.log for o in opened], journey=journey)
    over = monitor.breaches(Thresholds(max_wait_days=MAX_WAIT_DAYS))
    months = list(over["month"])
    assert months and set(over["place"]) == {PLANTED["step"]}

    go_to(page, "Monitoring")
    main.get_by_role("combobox", name="Process").click()
    page.get_by_role("option", name=f"{PROCESS} (saved analyses: 3)").click()
    days = main.get_by_label("Longest median wait (days)")
    days.fill(str(MAX_WAIT_DAYS))
    main.get_by_role("button", name="Mark the months").click()

    charts = main.get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(4)
    for chart, title in zip(
        (charts.nth(i) for i in range(4)),
        ("Conformance to the intended journey", "Median wait before the bottlenecks",
         "Handoffs per case", "Drop-off"),
        strict=True,
    ):  # fmt: skip
        expect(chart.locator(".gtitle")).to_have_text(title)
        expect(chart.locator(".xtitle")).not_to_be_empty()
        expect(chart.locator(".ytitle")).not_to_be_empty()
        assert chart.locator(".scatterlayer path.point").count() >= len(monitor.months)
    waits = charts.nth(1)
    expect(waits.locator(".legendtext").filter(has_text="over the threshold")).to_have_count(1)
    expect(
        waits.locator(".legendtext").filter(has_text=re.compile(rf"^norm {PLANTED['step']}$"))
    ).to_have_count(1)
    marked = waits.locator(".scatterlayer .trace").last.locator("path.point")
    expect(marked).to_have_count(len(months))

    expect(main.get_by_role("heading", name="Months over a threshold")).to_be_visible()
    breaches = main.get_by_test_id("stDataFrame").first
    expect(breaches.locator("tbody td[aria-colindex='1']")).to_have_text(months)
    settle(page)
    shoot(page, "monitor-1-page")
    shoot(page, "monitor-2-waits", waits)

    sidebar.get_by_text("Nederlands", exact=True).click()
    expect(main.get_by_role("heading", name="Maanden boven een drempel")).to_be_visible()
    expect(charts.nth(1).locator(".gtitle")).to_have_text("Mediane wachttijd voor de knelpunten")
    expect(main.get_by_label("Langste mediane wachttijd (dagen)")).to_have_value("2.50")
    chosen = main.get_by_role("combobox", name="Proces")
    expect(chosen).to_have_value(f"{PROCESS} (bewaarde analyses: 3)")
    expect(breaches.locator("tbody td[aria-colindex='1']")).to_have_text(months)
    settle(page)
    shoot(page, "monitor-3-page-dutch")
