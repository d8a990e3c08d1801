"""The report as an A4 PDF: the printable HTML page (`report_html(..., printable=True)`)
laid out by WeasyPrint with Debian's Pango. WeasyPrint fetches nothing (its URL fetcher
allows no protocol; the page holds all it shows), and the PDF's creation and modification
dates are the report's `made_at`, so the same inputs give the same PDF apart from that time.

WeasyPrint takes about half a second to import and is imported only when a PDF is written.

>>> write_pdf(build_report(log, source="hospital.csv"), "report.pdf", "nl")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from discovery.report._provenance import Provenance
from discovery.report.content import Report
from discovery.report.html import report_html, tracer_html
from discovery.report.tracers import Tracer
from discovery.words import Language

__all__ = ["write_pdf", "write_tracer_pdf"]


def write_pdf(report: Report, target: str | Path | BinaryIO, language: Language = "en") -> None:
    """The whole report as a PDF at `target` (a path or a binary stream): a summary page
    (figures, findings, provenance), the maps, every section, a page per tracer case."""
    _write(report_html(report, language, printable=True), report.provenance, target)


def write_tracer_pdf(
    tracer: Tracer, provenance: Provenance, target: str | Path | BinaryIO, language: Language = "en"
) -> None:
    """One tracer case with its provenance as a PDF (a page for a short case): the case
    explorer's export for the audit file."""
    _write(tracer_html(tracer, provenance, language, printable=True), provenance, target)


def _write(page: str, provenance: Provenance, target: str | Path | BinaryIO) -> None:
    import weasyprint  # type: ignore[import-untyped]  # slow to import: only when needed

    refuse_all = weasyprint.URLFetcher(allowed_protocols=())  # no scheme, not even file:
    document = weasyprint.HTML(string=page, url_fetcher=refuse_all).render()
    made_at = provenance.made_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    document.metadata.created = made_at
    document.metadata.modified = made_at
    document.write_pdf(target)
