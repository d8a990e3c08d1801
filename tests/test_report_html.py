"""The HTML report as a reader opens it: the hospital log with its intended journey in
Debian's chromium with the network blocked (a full-page screenshot is kept in
test-artifacts/report/), and its text without a browser: every section in English and
Dutch, data labels escaped, the same page for the same inputs, the library's figures."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.offline
import pytest

from discovery import read_event_log, summarize
from discovery.report import build_report, shadow_case
from discovery.report.html import PRINTED_ROWS, report_html, tracer_html
from discovery.words import format_count, format_duration, say
from tests.hospital_report import HOSPITAL, REPORT_MADE_AT, build_hospital_report

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "report"
SCRIPT = "<script>alert(1)</script>"
# One case whose first step and department are markup; a second with a plain path.
HOSTILE = (
    "case,activity,timestamp,department\n"
    f'c1,{SCRIPT},2024-03-01 08:00,"</script><b>x</b>"\n'
    'c1,"Check & ""go"" --> done",2024-03-01 10:00,Back\n'
    f'c2,{SCRIPT},2024-03-02 08:00,"</script><b>x</b>"\n'
    "c2,Close,2024-03-02 09:00,Back\n"
)
FETCHED = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def log():
    return read_event_log(HOSPITAL)


@pytest.fixture(scope="module")
def report(log):
    return build_hospital_report(log)


@pytest.fixture(scope="module")
def pages(report) -> dict[str, str]:
    return {language: report_html(report, language) for language in ("en", "nl")}


def _own_markup(page: str) -> str:
    """The page without the plotly.js bundle (checked in the browser instead)."""
    return page.replace(plotly.offline.get_plotlyjs(), "")


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_section_and_part_is_titled_in_the_language(report, pages, language):
    page = pages[language]
    assert f'<html lang="{language}">' in page
    titles = [say(section.title, language) for section in report.sections()]
    titles += [say(f"report.section.{key}", language) for key in ("provenance", "maps")]
    titles += [say("report.section.tracers", language)]
    titles += [say("report.tracer.title", language, case=t.trail.case_id) for t in report.tracers]
    titles += [say("report.map.activity", language), say("report.map.department", language)]
    for title in titles:
        assert f">{title}<" in page.replace("&#x27;", "'"), title


def test_the_figures_are_the_librarys(log, report, pages):
    summary = summarize(log)
    page = pages["nl"]
    for label, value in (
        ("metric.cases", format_count(summary.cases, "nl")),
        ("metric.events", format_count(summary.events, "nl")),
        ("metric.throughput", format_duration(report.throughput.median_s, "nl")),
    ):
        assert (
            f'<span class="figure-label">{say(label, "nl")}</span>'
            f'<span class="figure-value">{value}</span>'
        ) in page
    assert format_count(summary.cases, "nl") == "1.500"
    for label, value in report.provenance.lines("nl"):
        assert f"<td>{value}</td>" in page.replace("&#x27;", "'"), label


def test_one_plotly_bundle_no_external_resource(pages, report):
    page = pages["en"]
    bundle = plotly.offline.get_plotlyjs()
    assert page.count(bundle) == 1
    own = _own_markup(page)
    assert not FETCHED.search(own)
    assert "mathjax" not in own.lower()
    urls = re.findall(r"https?://[^\"' ]+", own)
    assert all(url.startswith("http://www.w3.org/") for url in urls), urls  # xmlns only
    assert own.count('class="plotly-graph-div"') == 5 + len(
        report.tracers
    )  # summary, variants, 2 handoffs, conformance


def test_the_same_inputs_give_the_same_page(log, report, pages):
    again = build_hospital_report(log)
    assert report_html(again, "en") == pages["en"]
    assert report_html(again, "en", printable=True) == report_html(report, "en", printable=True)


def test_printable_has_pages_and_no_scripts(report):
    page = report_html(report, "nl", printable=True)
    assert "<script" not in page
    assert "plotly-graph-div" not in page
    assert "@page { size: A4" in page
    assert "counter(page)" in page and "counter(pages)" in page
    assert page.count('class="tracer page"') == len(report.tracers) - 1  # the first: its section
    assert '<section id="maps" class="page">' in page
    assert page.count("<thead>") >= len(
        [t for s in report.sections() for t in s.tables if len(t.rows)]
    )


def test_print_shows_the_first_rows_of_a_long_table_and_says_so(tmp_path):
    """100 cases, each its own path: the page has all 100 variants, the print the first
    PRINTED_ROWS with a note that the workbook holds them all."""
    lines = ["case,activity,timestamp"]
    for case in range(100):
        steps = ["Start", *(f"Step {n}" for n in range(case % 10, case // 10 + case % 10)), "End"]
        lines += [f"{case},{step},2024-03-01 {8 + n % 12:02d}:{case % 60:02d}" for n, step in
                  enumerate(dict.fromkeys(steps))]  # fmt: skip
    path = tmp_path / "paths.csv"
    path.write_text("\n".join(lines))
    report = build_report(read_event_log(path), source=path, tracers=0)
    variants = len(report.variants.variants)
    assert variants > PRINTED_ROWS
    page = report_html(report, "en")
    printed = report_html(report, "en", printable=True)
    section = re.compile(r'<section id="variants">.*?</section>', re.S)
    assert section.search(page).group().count("<tr>") == variants + 1  # and the header
    assert section.search(printed).group().count("<tr>") == PRINTED_ROWS + 1
    note = f"The first {PRINTED_ROWS} of {variants} rows are printed; the Excel report holds"
    assert note in printed and note not in page


def test_labels_from_the_data_are_text_not_markup(tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text(HOSTILE, encoding="utf-8")
    hostile = build_report(read_event_log(path), source=path, made_at=REPORT_MADE_AT)
    for printable in (False, True):
        own = _own_markup(report_html(hostile, "en", printable=printable))
        assert SCRIPT not in own
        assert "<b>x</b>" not in own
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in own
        assert own.count("<script") == (0 if printable else 1 + 4 + len(hostile.tracers))
        # in the maps' SVG too: Graphviz escapes titles, labels and comments
        svg = own[own.index("<svg") : own.rindex("</svg>")]
        assert "&lt;script&gt;" in svg and "<script" not in svg


def test_a_tracer_alone_with_its_provenance(log, report):
    chosen = shadow_case(log, report.tracers[0].trail.case_id)
    page = tracer_html(chosen, report.provenance, "nl", printable=True)
    assert say("report.tracer.title", "nl", case=chosen.trail.case_id) in page
    assert say("report.tracer.not_checked", "nl") in page
    assert report.provenance.source.sha256 in page
    assert "<script" not in page
    assert page.count(plotly.offline.get_plotlyjs()) == 0
    live = tracer_html(chosen, report.provenance, "nl")
    assert live.count(plotly.offline.get_plotlyjs()) == 1
    assert live.count('class="plotly-graph-div"') == 1


def _open_offline(browser, path: Path):
    """`path` in a new page that records every request and aborts all but the file's own,
    and records console errors, page errors and dialogs; returns (page, url, records)."""
    url = path.as_uri()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    records: dict[str, list[str]] = {"requested": [], "problems": []}
    page.on("request", lambda request: records["requested"].append(request.url))
    page.on("console", lambda note: note.type == "error" and records["problems"].append(note.text))
    page.on("pageerror", lambda error: records["problems"].append(str(error)))
    page.on("dialog", lambda dialog: records["problems"].append(f"dialog: {dialog.message}"))
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url == url else route.abort()
    )
    page.goto(url, wait_until="load")
    return page, url, records


def test_opens_offline_in_chromium_and_draws_everything(browser, pages, tmp_path):
    """Every request is recorded and aborted: only the file itself may be asked for."""
    path = tmp_path / "report.html"
    path.write_text(pages["nl"], encoding="utf-8")
    page, url, records = _open_offline(browser, path)
    try:
        page.locator(".main-svg").first.wait_for()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-nl.png"), full_page=True)
        assert page.locator("figure.map svg").count() == 2
        assert page.locator("figure.map svg g.node").count() > 10
        assert page.locator(".plotly-graph-div .main-svg").count() >= 6
        assert page.locator("h2").first.inner_text() == say("report.section.summary", "nl")
        ticks = " ".join(page.locator("#chart-summary-1 .xtick text").all_text_contents())
        assert "mrt 2025" in ticks and "Mar" not in ticks  # a date axis in Dutch month names
    finally:
        page.context.close()
    assert records["requested"] == [url]
    assert records["problems"] == []


def test_a_script_label_shows_as_text_in_chromium(browser, tmp_path):
    log_path = tmp_path / "hostile.csv"
    log_path.write_text(HOSTILE, encoding="utf-8")
    hostile = build_report(read_event_log(log_path), source=log_path, made_at=REPORT_MADE_AT)
    path = tmp_path / "hostile.html"
    path.write_text(report_html(hostile, "en"), encoding="utf-8")
    page, url, records = _open_offline(browser, path)
    try:
        page.locator(".main-svg").first.wait_for()
        assert page.get_by_role("cell", name=SCRIPT, exact=True).count() > 0
        assert page.locator("b", has_text="x").count() == 0
    finally:
        page.context.close()
    assert records["requested"] == [url]
    assert records["problems"] == []
