"""Reports: what leaves the app. One `Report` (every result, computed once from one log and
its choices, with its provenance) and renderers that lay it out as an Excel workbook, a
self-contained HTML page or a printable PDF, in any language of the catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discovery._lazy import lazy_names

if TYPE_CHECKING:  # the names as type checkers and editors see them
    from discovery.report._provenance import (
        FileFingerprint,
        Provenance,
        fingerprint,
        provenance,
        software_version,
    )
    from discovery.report.content import Report, Section, build_report, tracer_table
    from discovery.report.findings import key_findings
    from discovery.report.formats import (
        REPORT_FORMATS,
        REPORT_MEDIA_TYPES,
        ReportFormat,
        report_bytes,
        tracer_bytes,
        write_report,
    )
    from discovery.report.tables import Column, Figure, Table, cell_text, label_text
    from discovery.report.tracers import Sampling, Tracer, sample_tracers, shadow_case

_MODULES = {  # where each public name lives, imported on first use
    "discovery.report._provenance": (
        "FileFingerprint",
        "Provenance",
        "fingerprint",
        "provenance",
        "software_version",
    ),
    "discovery.report.content": ("Report", "Section", "build_report", "tracer_table"),
    "discovery.report.findings": ("key_findings",),
    "discovery.report.formats": (
        "REPORT_FORMATS",
        "REPORT_MEDIA_TYPES",
        "ReportFormat",
        "report_bytes",
        "tracer_bytes",
        "write_report",
    ),
    "discovery.report.tables": ("Column", "Figure", "Table", "cell_text", "label_text"),
    "discovery.report.tracers": ("Sampling", "Tracer", "sample_tracers", "shadow_case"),
}

__all__ = [
    "REPORT_FORMATS",
    "REPORT_MEDIA_TYPES",
    "Column",
    "Figure",
    "FileFingerprint",
    "Provenance",
    "Report",
    "ReportFormat",
    "Sampling",
    "Section",
    "Table",
    "Tracer",
    "build_report",
    "cell_text",
    "fingerprint",
    "key_findings",
    "label_text",
    "provenance",
    "report_bytes",
    "sample_tracers",
    "shadow_case",
    "software_version",
    "tracer_bytes",
    "tracer_table",
    "write_report",
]


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if not TYPE_CHECKING:  # type checkers see the imports above; to them any name would do here
    __getattr__ = lazy_names(globals(), _MODULES)
