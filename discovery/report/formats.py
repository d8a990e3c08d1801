"""A report, or one tracer case, written in the format asked for: Excel, HTML or PDF.

The renderers load only when their format is asked for (WeasyPrint alone takes about a
second to import).

>>> data = report_bytes(report, "xlsx", "nl")  # doctest: +SKIP
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from discovery.words import Language

if TYPE_CHECKING:  # the formats are known without computing a report (the CLI's choices)
    from discovery.report._provenance import Provenance
    from discovery.report.content import Report
    from discovery.report.tracers import Tracer

__all__ = [
    "REPORT_FORMATS",
    "REPORT_MEDIA_TYPES",
    "ReportFormat",
    "report_bytes",
    "tracer_bytes",
    "write_report",
]

ReportFormat = Literal["xlsx", "html", "pdf"]
REPORT_FORMATS: tuple[ReportFormat, ...] = ("xlsx", "html", "pdf")
REPORT_MEDIA_TYPES: dict[ReportFormat, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "pdf": "application/pdf",
}


def write_report(
    report: Report, target: str | Path | BinaryIO, format: ReportFormat, language: Language = "en"
) -> None:
    """Writes `report` to `target` (a path or a binary stream) as `format`."""
    if format == "xlsx":
        from discovery.report.xlsx import write_xlsx

        write_xlsx(report, target, language)
    elif format == "pdf":
        from discovery.report.pdf import write_pdf

        write_pdf(report, target, language)
    else:
        from discovery.report.html import report_html

        _write_text(report_html(report, language), target)


def report_bytes(report: Report, format: ReportFormat, language: Language = "en") -> bytes:
    """The report file's bytes (for a download)."""
    stream = io.BytesIO()
    write_report(report, stream, format, language)
    return stream.getvalue()


def tracer_bytes(
    tracer: Tracer, provenance: Provenance, format: ReportFormat, language: Language = "en"
) -> bytes:
    """One tracer case with its provenance as a file's bytes: the case explorer's export."""
    stream = io.BytesIO()
    if format == "xlsx":
        from discovery.report.xlsx import write_tracer_xlsx

        write_tracer_xlsx(tracer, provenance, stream, language)
    elif format == "pdf":
        from discovery.report.pdf import write_tracer_pdf

        write_tracer_pdf(tracer, provenance, stream, language)
    else:
        from discovery.report.html import tracer_html

        _write_text(tracer_html(tracer, provenance, language), stream)
    return stream.getvalue()


def _write_text(text: str, target: str | Path | BinaryIO) -> None:
    data = text.encode("utf-8")
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)
