"""The PDF report as a reader gets it: the hospital log with its intended journey written in
English and Dutch, checked with Debian's poppler-utils (pdfinfo: A4, pages, metadata;
pdftotext: the summary figures, the findings, every tracer's case id, the source's SHA-256)
and rendered to PNG pages (pdftoppm, 60 dpi) kept in test-artifacts/report/ to look at."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from discovery import read_event_log, summarize
from discovery.report import pdf
from discovery.report.pdf import write_pdf, write_tracer_pdf
from discovery.words import format_count, say
from tests.hospital_report import HOSPITAL, build_hospital_report

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "report"
POPPLER = ("pdfinfo", "pdftotext", "pdftoppm")

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in POPPLER),
    reason="poppler-utils (pdfinfo, pdftotext, pdftoppm) is not installed; "
    "`python3 dev.py test` installs it (apt-get install -y poppler-utils)",
)


def _run(*command: str | Path) -> str:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=True
    ).stdout


def _info(path: Path) -> dict[str, str]:
    lines = (line.split(":", 1) for line in _run("pdfinfo", path).splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in lines}


def _pages(path: Path) -> list[str]:
    """Each page's text (pdftotext -layout), its whitespace made single spaces."""
    return [" ".join(page.split()) for page in _run("pdftotext", "-layout", path, "-").split("\f")]


@pytest.fixture(scope="module")
def log():
    return read_event_log(HOSPITAL)


@pytest.fixture(scope="module")
def report(log):
    return build_hospital_report(log)


@pytest.fixture(scope="module")
def pdfs(report, tmp_path_factory) -> dict[str, Path]:
    """The report in English and Dutch; its pages as PNG in the artifacts folder."""
    folder = tmp_path_factory.mktemp("pdf")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    written = {}
    for language in ("en", "nl"):
        path = folder / f"report-{language}.pdf"
        write_pdf(report, path, language)
        for old in ARTIFACTS.glob(f"report-{language}-*.png"):
            old.unlink()
        _run("pdftoppm", "-png", "-r", "60", path, ARTIFACTS / f"report-{language}")
        written[language] = path
    return written


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a4_pages_with_the_reports_metadata(pdfs, report, language):
    info = _info(pdfs[language])
    assert re.fullmatch(r"595\.2\d* x 841\.89 pts \(A4\)", info["Page size"])
    # a summary page, two maps, a page per tracer case at least, the tables between
    assert int(info["Pages"]) >= 3 + len(report.tracers) + 1
    assert info["Title"] == say("report.title", language, source="hospital.csv")
    assert info["CreationDate"] == info["ModDate"] == "Fri Jan  2 03:04:05 2026 UTC"
    pngs = sorted(ARTIFACTS.glob(f"report-{language}-*.png"))
    assert len(pngs) == int(info["Pages"])


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_summary_page_holds_the_librarys_figures(pdfs, report, log, language):
    first = _pages(pdfs[language])[0]
    summary = summarize(log)
    assert format_count(summary.cases, language) in first
    assert format_count(summary.events, language) in first
    assert ("1.500" if language == "nl" else "1,500") in first
    assert " ".join(say(report.findings[0], language).split()) in first
    assert report.provenance.source.sha256 in first
    assert say("report.section.provenance", language) in first


@pytest.mark.parametrize("language", ["en", "nl"])
def test_maps_and_a_page_per_tracer_case(pdfs, report, language):
    pages = _pages(pdfs[language])
    assert say("report.map.activity", language) in pages[1]
    assert any(say("report.map.department", language) in page for page in pages[2:4])
    for tracer in report.tracers:
        title = say("report.tracer.title", language, case=tracer.trail.case_id)
        starting = [page for page in pages if title in page[: len(title) + 80]]
        assert len(starting) == 1, title
    for section in report.sections():
        assert any(" ".join(say(section.title, language).split()) in page for page in pages)


def test_the_same_inputs_give_the_same_pdf(report, pdfs, tmp_path):
    again = tmp_path / "again.pdf"
    write_pdf(report, again, "en")
    assert again.read_bytes() == pdfs["en"].read_bytes()


def test_weasyprint_fetches_nothing_and_warns_of_nothing(report, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        write_pdf(report, tmp_path / "quiet.pdf", "nl")
    assert [record.getMessage() for record in caplog.records] == []


def test_a_page_asking_for_urls_gets_none(report, tmp_path, caplog, monkeypatch):
    """Were a page ever to refer to a file or a URL, WeasyPrint would be refused it."""
    asking = '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/hostname">'
    monkeypatch.setattr(pdf, "report_html", lambda *args, **kwargs: asking)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        write_pdf(report, tmp_path / "asking.pdf")
    refused = [record.getMessage() for record in caplog.records]
    assert len(refused) == 2
    assert all("disallowed protocol" in message for message in refused)


def test_a_short_tracer_case_is_one_page(report, tmp_path):
    short = min(report.tracers, key=lambda tracer: tracer.trail.n_events)
    path = tmp_path / "tracer.pdf"
    with path.open("wb") as stream:
        write_tracer_pdf(short, report.provenance, stream, "nl")
    assert _info(path)["Pages"] == "1"
    text = _pages(path)[0]
    assert say("report.tracer.title", "nl", case=short.trail.case_id) in text
    assert report.provenance.source.sha256 in text
    _run("pdftoppm", "-png", "-r", "60", path, ARTIFACTS / "tracer-nl")
