"""The app in a real browser, as a user meets it: Debian's chromium driven by Playwright.

The test starts the app itself (`streamlit run app.py` on a free port), uploads an Excel
file, confirms the column mapping, and goes through the pages; a screenshot of every step
is kept in test-artifacts/browser/. `python3 dev.py test` installs chromium when missing.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
SERVER_OPTIONS = [
    "--server.headless=true",
    "--server.address=127.0.0.1",
    "--server.fileWatcherType=none",  # nothing to watch; a busy tree overflows inotify
    "--browser.gatherUsageStats=false",
]
STARTUP_S = 90  # the app's first start imports pandas, ibis, duckdb, plotly
STEP_MS = 120_000  # one step: reading a log or drawing a page on a busy 2-core machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_app(
    *options: str, env: Mapping[str, str] | None = None, log_name: str = "streamlit.log"
) -> Iterator[str]:
    """The app in its own process on a free port, its output in `log_name` among the
    artifacts; `options` are added to `SERVER_OPTIONS` (replacing one of the same name);
    stopped afterwards. Yields its address."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    names = {option.split("=")[0] for option in options if option.startswith("--")}
    kept = [option for option in SERVER_OPTIONS if option.split("=")[0] not in names]
    port = _free_port()
    with (ARTIFACTS / log_name).open("w") as server_log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                *kept,
                *options,
                f"--server.port={port}",
            ],
            cwd=ROOT,
            env=None if env is None else {**os.environ, **env},
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(server, url)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=15)


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """The app running in its own process for this module; stopped afterwards."""
    with running_app() as url:
        yield url


def _wait_until_healthy(server: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"the app stopped at start (exit {server.returncode}); see "
                f"{ARTIFACTS / 'streamlit.log'}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the app did not answer {url}/_stcore/health within {STARTUP_S} s")


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(STEP_MS)
    page.goto(app_url)
    yield page
    page.screenshot(path=str(ARTIFACTS / "last.png"))  # where the test ended, pass or fail
    context.close()


def settle(page) -> None:
    """Wait until Streamlit has finished the current run (its status widget is gone)."""
    page.wait_for_timeout(400)  # a run starts shortly after the interaction that caused it
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    page.wait_for_timeout(400)
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def shoot(page, name: str, showing=None) -> None:
    """A screenshot kept as a test artifact, scrolled to `showing` (a locator) if given."""
    settle(page)
    if showing is not None:
        showing.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def go_to(page, title: str) -> None:
    """Open a page through the sidebar navigation (keeps the session and its upload)."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    settle(page)


def upload_and_use(page, path: Path):
    """Upload `path` on the upload page and wait for the column mapping; returns the
    "Use these columns" button (not yet clicked)."""
    from playwright.sync_api import expect

    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(path)
    use = page.get_by_role("button", name="Use these columns")
    expect(use).to_be_visible()
    settle(page)
    return use


def expect_title(chart, pattern: str) -> None:
    """The Plotly chart's title matches, once the chart of the previous run is gone."""
    from playwright.sync_api import expect

    titles = chart.locator(".gtitle")
    expect(titles.filter(has_text=re.compile(pattern))).to_have_count(1)
    expect(titles).to_have_count(1)


@pytest.fixture
def figures(upload_file) -> dict[str, str]:
    """What the library computes for the uploaded file, written as the app writes it."""
    from discovery import (
        analyse_handoffs,
        analyse_throughput,
        check_conformance,
        format_duration,
        format_share,
        read_event_log,
        read_intended_journey,
        say,
    )

    log = read_event_log(upload_file)
    journey = read_intended_journey(ROOT / "sample_logs" / "hospital_intended.csv")
    return {
        "throughput": format_duration(analyse_throughput(log).median_s),
        "handoffs": f"{analyse_handoffs(log).per_case['handoffs'].mean():.1f}",
        "conformance": format_share(check_conformance(log, journey).conformance_rate),
        "membership_warning_nl": say(
            read_event_log(ROOT / "sample_logs" / "membership.xlsx").quality.findings[0].message,
            "nl",
        ),
    }


@pytest.fixture
def upload_file(tmp_path) -> Path:
    """The hospital sample under another name, so the upload is told apart from the sample."""
    copy = tmp_path / "ziekenhuis_export.xlsx"
    shutil.copy(ROOT / "sample_logs" / "hospital.xlsx", copy)
    return copy


def test_upload_map_trace_a_case_and_switch_to_dutch(page, upload_file, figures):
    from playwright.sync_api import expect

    expect.set_options(timeout=STEP_MS)
    main, sidebar = page.get_by_test_id("stMain"), page.get_by_test_id("stSidebar")
    expect(page.get_by_role("heading", name="Upload and map columns", level=1)).to_be_visible()
    shoot(page, "01_opened")

    # upload the workbook and see the columns detected
    use = upload_and_use(page, upload_file)
    for role, column in (("Case id", "patiëntnummer"), ("Activity", "activiteit"),
                         ("Timestamp (end)", "eindtijd"), ("Department", "afdeling")):  # fmt: skip
        expect(main.get_by_role("combobox", name=role, exact=True)).to_have_value(column)
    shoot(page, "02_mapping", showing=use)

    # confirm the mapping: the uploaded log is in use, every row accounted for
    use.click()
    expect(main.get_by_text("Using ziekenhuis_export.xlsx.")).to_be_visible()
    expect(sidebar.get_by_text("The log in use: ziekenhuis_export.xlsx")).to_be_visible()
    cases = main.get_by_test_id("stMetric").filter(has_text="Cases").first
    expect(cases.get_by_test_id("stMetricValue")).to_have_text("1,500")
    shoot(page, "03_mapping_confirmed", showing=cases)

    # the overview: the library's figures for this log
    go_to(page, "Overview")
    for label, figure in (("Median throughput time", figures["throughput"]),
                          ("Handoffs per case", figures["handoffs"])):  # fmt: skip
        metric = main.get_by_test_id("stMetric").filter(has_text=label).first
        expect(metric.get_by_test_id("stMetricValue")).to_have_text(figure)
    shoot(page, "04_overview")

    # the process map: a graph drawn in the browser, with the log's activities on it
    go_to(page, "Process map")
    graph = main.locator("div.graph svg").first  # laid out by Graphviz on the server
    expect(graph.locator("g.node").filter(has_text="Triage")).to_have_count(1)
    assert graph.locator("g.node").count() >= 5
    shoot(page, "05_process_map", showing=graph)

    # the bottlenecks, said in a sentence
    go_to(page, "Handoffs and bottlenecks")
    sentence = main.get_by_text("Cases wait a median of").first
    expect(sentence).to_contain_text(" between ")
    shoot(page, "06_bottlenecks", showing=sentence)

    # the intended journey: upload it, see the conformance rate, open a deviating case
    go_to(page, "Intended vs discovered")
    journey = ROOT / "sample_logs" / "hospital_intended.csv"
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(journey)
    rate = main.get_by_test_id("stMetric").filter(has_text="Conformance").first
    expect(rate.get_by_test_id("stMetricValue")).to_have_text(figures["conformance"])
    expect(main.locator("div.graph svg g.node").first).to_be_visible()
    shoot(page, "07_intended_vs_discovered", showing=rate)
    deviating = main.get_by_role("combobox", name="Case to open", exact=True).input_value()
    main.get_by_role("button", name="Open in the case explorer").click()
    expect(page.get_by_role("heading", name="Case explorer", level=1)).to_be_visible()
    chart = main.get_by_test_id("stPlotlyChart")
    expect_title(chart, rf"^Case {deviating}: ")
    expect(chart.locator(".legendtext").filter(has_text="Deviation")).to_have_count(1)
    shoot(page, "08_deviating_case", showing=chart)

    # the case explorer: find a case by (part of) its id and see its trail
    go_to(page, "Case explorer")
    search = main.get_by_label("Search a case id")
    search.fill("p000102")
    search.press("Enter")
    expect(main.get_by_role("combobox", name="Case", exact=True)).to_have_value("P000102")
    expect_title(chart, r"^Case P000102: 11 steps")
    assert chart.locator(".point").count() >= 11  # each step a bar or a point
    shoot(page, "09_case_explorer", showing=chart)

    # switch to Dutch: the same page, every label in Dutch, the upload still in use
    sidebar.get_by_text("Nederlands", exact=True).click()
    expect(page.get_by_role("heading", name="Zaakverkenner", level=1)).to_be_visible()
    expect(main.get_by_label("Zoek een zaaknummer")).to_have_value("p000102")
    nav = page.get_by_test_id("stSidebarNav")
    for title in ("Inlezen en kolommen koppelen", "Proceskaart", "Overdrachten en knelpunten"):
        expect(nav.get_by_text(title, exact=True)).to_have_count(1)
    expect_title(chart, r"^Zaak P000102: 11 stappen")
    expect(sidebar.get_by_text("De log in gebruik: ziekenhuis_export.xlsx")).to_be_visible()
    shoot(page, "10_case_explorer_dutch")

    go_to(page, "Overdrachten en knelpunten")
    expect(main.get_by_text("Zaken wachten mediaan").first).to_contain_text(" tussen ")
    expect(sidebar.get_by_text("De log in gebruik: ziekenhuis_export.xlsx")).to_be_visible()
    shoot(page, "11_bottlenecks_dutch")

    # a sample with a quality warning, read in Dutch
    go_to(page, "Inlezen en kolommen koppelen")
    sidebar.get_by_text("Voorbeeldlog", exact=True).click()
    settle(page)
    sidebar.get_by_role("combobox", name="Voorbeeld", exact=True).click()
    page.get_by_role("option", name="membership.xlsx", exact=True).click()
    expect(sidebar.get_by_text("De log in gebruik: membership.xlsx")).to_be_visible()
    warning = main.get_by_text(figures["membership_warning_nl"], exact=True)
    expect(warning).to_be_visible()
    shoot(page, "12_quality_warning_dutch", showing=warning)


@pytest.fixture
def export_with_identical_rows(tmp_path) -> Path:
    """The hospital sample as a CSV export in which three rows appear twice."""
    lines = (ROOT / "sample_logs" / "hospital.csv").read_text(encoding="utf-8").splitlines()
    copy = tmp_path / "afdeling_export.csv"
    copy.write_text("\n".join([*lines, *lines[10:13]]) + "\n", encoding="utf-8")
    return copy


def test_the_sample_is_named_and_a_reload_that_lost_the_upload_says_so(
    page, export_with_identical_rows
):
    from playwright.sync_api import expect

    expect.set_options(timeout=STEP_MS)
    main, sidebar = page.get_by_test_id("stMain"), page.get_by_test_id("stSidebar")
    notice = main.get_by_text("You are looking at the sample log hospital.xlsx, not your own data")
    expect(notice).to_be_visible()
    settle(page)
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)  # only what is ours
    expect(page.get_by_test_id("stMainMenu")).to_have_count(0)

    # an export with three rows that appear twice: kept as events, unless told to drop them
    use = upload_and_use(page, export_with_identical_rows)
    use.click()
    expect(main.get_by_text("Using afdeling_export.csv.")).to_be_visible()
    expect(notice).to_have_count(0)
    expect(sidebar.get_by_text("Identical rows: 3 kept as separate events.")).to_be_visible()
    events = main.get_by_test_id("stMetric").filter(has_text="Events").first
    expect(events.get_by_test_id("stMetricValue")).to_have_text("17,534")
    main.get_by_test_id("stCheckbox").get_by_text("Drop identical rows").click()
    settle(page)
    use.click()
    expect(sidebar.get_by_text("Identical rows: 3 dropped, as asked.")).to_be_visible()
    expect(events.get_by_test_id("stMetricValue")).to_have_text("17,531")
    rejected = main.get_by_test_id("stMetric").filter(has_text="Rows rejected").first
    expect(rejected.get_by_test_id("stMetricValue")).to_have_text("3")
    shoot(page, "13_identical_rows_dropped", showing=rejected)

    # the map of the upload, then a reload: a new session, and the upload is gone
    go_to(page, "Process map")
    expect(page).to_have_url(re.compile(r"log=upload"))
    page.reload()
    warning = main.get_by_text("The log you uploaded is gone")
    expect(warning).to_be_visible()
    expect(page.get_by_role("heading", name="Process map", level=1)).to_be_visible()
    settle(page)
    expect(main.locator("div.graph svg")).to_have_count(0)  # no map of the sample instead
    expect(sidebar.get_by_text("The log in use: hospital.xlsx")).to_have_count(0)
    expect(notice).to_have_count(0)
    shoot(page, "14_reload_lost_upload")

    # uploading again is the way back
    go_to(page, "Upload and map columns")
    use = upload_and_use(page, export_with_identical_rows)
    use.click()
    expect(main.get_by_text("Using afdeling_export.csv.")).to_be_visible()
    expect(warning).to_have_count(0)


def _downloaded(page, button, folder: Path) -> Path:
    """Click a download button and keep the file it gives."""
    with page.expect_download(timeout=STEP_MS) as started:
        button.click()
    download = started.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def test_reports_download_from_the_overview_and_the_case_explorer(page, tmp_path):
    """The Overview's report (HTML and PDF) and the case explorer's tracer (PDF and Excel)
    of the sample with its intended journey: real downloads, opened as a user would."""
    import hashlib

    from openpyxl import load_workbook
    from playwright.sync_api import expect

    expect.set_options(timeout=STEP_MS)
    main = page.get_by_test_id("stMain")
    go_to(page, "Overview")
    sha256 = hashlib.sha256((ROOT / "sample_logs" / "hospital.xlsx").read_bytes()).hexdigest()
    button = main.get_by_role("button", name="Download report")
    shoot(page, "13_overview_report", showing=button)
    main.get_by_role("combobox", name="Report format", exact=True).click()
    page.get_by_role("option", name="Web page, opens offline (.html)", exact=True).click()
    settle(page)
    report = _downloaded(page, button, tmp_path)
    assert report.name == "hospital-report.html"
    text = report.read_text(encoding="utf-8")
    assert sha256 in text and "1,500" in text and "Deviations from the intended journey" in text

    main.get_by_role("combobox", name="Report format", exact=True).click()
    page.get_by_role("option", name="Printable PDF, A4 (.pdf)", exact=True).click()
    settle(page)
    pdf = _downloaded(page, button, tmp_path)
    if shutil.which("pdftotext") is not None:  # dev.py test installs poppler-utils
        said = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
        assert "1,500" in said.stdout and sha256 in said.stdout.replace("\n", "")
    else:
        assert pdf.read_bytes().startswith(b"%PDF")

    go_to(page, "Case explorer")
    case_id = main.get_by_role("combobox", name="Case", exact=True).input_value().split(" ")[0]
    tracer_pdf = _downloaded(
        page, main.get_by_role("button", name="This case as PDF (for the audit file)"), tmp_path
    )
    assert tracer_pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is not None:
        said = subprocess.run(["pdftotext", str(tracer_pdf), "-"], capture_output=True, text=True)
        assert case_id in said.stdout
    sheet = _downloaded(page, main.get_by_role("button", name="This case as Excel sheet"), tmp_path)
    workbook = load_workbook(sheet)
    cells = {str(cell.value) for ws in workbook for row in ws.iter_rows() for cell in row}
    assert any(case_id in value for value in cells)
    shoot(page, "14_case_explorer_downloads")
