"""The case explorer's one-case report (PDF, Excel) on a log in place: only the case's
events come here (`discovery.shadow_case` of an `InPlaceLog`); the provenance names where
the rows live, masked, with their counts there (`discovery.provenance`). The files are
made only when a download button is pressed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from discovery import (
    REPORT_MEDIA_TYPES,
    Provenance,
    ReportFormat,
    Tracer,
    provenance,
    shadow_case,
    tracer_bytes,
)
from ui.cache import View
from ui.filters import panel_choices
from ui.i18n import t
from ui.journey import Journey
from ui.reports import journey_fingerprint
from ui.state import language


def tracer_in_place(
    current: View, case_id: str, journey: Journey | None
) -> tuple[Tracer, Provenance]:
    """The tracer of case `case_id` of the view's log in place, and its provenance (the
    unfiltered log's rows, the view's filters), as the local route makes them."""
    conformance = current.conformance(journey) if journey is not None else None
    attributes = panel_choices(current).case_attributes  # asked once for the filter panel
    tracer = shadow_case(current.log, case_id, conformance, case_attributes=attributes)
    found = provenance(
        current.source,
        source=current.source.source,
        filters=current.filters,
        intended=journey_fingerprint(journey),
    )
    return tracer, found


def draw_tracer_downloads_in_place(current: View, case_id: str, journey: Journey | None) -> None:
    """The open case as a one-case PDF and as an Excel sheet, each with its provenance."""
    lang = language()
    stem = Path(current.source.source.split("?")[0]).stem or "journey"
    columns = st.columns(2)
    for column, format in zip(columns, ("pdf", "xlsx"), strict=True):
        column.download_button(
            t(f"report.app.tracer.{format}", lang),
            data=_tracer_file(current, case_id, journey, format),
            file_name=f"{stem}-case-{case_id}.{format}",
            mime=REPORT_MEDIA_TYPES[format],
            key=f"cases.tracer_{format}",
            on_click="ignore",
        )


def _tracer_file(
    current: View, case_id: str, journey: Journey | None, format: ReportFormat
) -> Callable[[], bytes]:
    def made() -> bytes:
        tracer, found = tracer_in_place(current, case_id, journey)
        return tracer_bytes(tracer, found, format, language())

    return made
