"""Reports on a log in place: the overview's report (`discovery.build_report` of an
`InPlaceLog`: every figure computed where the log lives) and the case explorer's one-case
report (PDF, Excel: only the case's events come here, `discovery.shadow_case`); their
provenance names where the rows live, masked, with their counts there. The files are made
only when a download button is pressed (Streamlit calls `data` then)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from discovery import (
    REPORT_FORMATS,
    REPORT_MEDIA_TYPES,
    Language,
    Provenance,
    ReportFormat,
    Stages,
    Tracer,
    build_report,
    provenance,
    report_bytes,
    shadow_case,
    tracer_bytes,
)
from ui.cache import View
from ui.context import intended_journey
from ui.filters import panel_choices
from ui.i18n import t
from ui.journey import Journey
from ui.reports import STAGES_IN_USE, TRACERS, journey_fingerprint
from ui.saved import SAVED_STAGES
from ui.state import language


def draw_report_download_in_place(current: View) -> None:
    """The overview's format choice and "Download report" button, for a log in place."""
    lang = language()
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    format: ReportFormat = left.selectbox(
        t("report.app.format", lang),
        REPORT_FORMATS,
        format_func=lambda name: t(f"report.app.format.{name}", lang),
        key="overview.report_format",
    )
    journey = intended_journey(current)

    def made() -> bytes:
        stages = st.session_state.get(STAGES_IN_USE) or st.session_state.get(SAVED_STAGES)
        return report_in_place(current, journey, stages, format, lang)

    right.download_button(
        t("report.app.download", lang),
        data=made,
        file_name=f"{_stem(current)}-report.{format}",
        mime=REPORT_MEDIA_TYPES[format],
        key="overview.report_download",
        help=t("report.app.download_help", lang),
        on_click="ignore",
    )


def report_in_place(
    current: View,
    journey: Journey | None,
    stages: Stages | None,
    format: ReportFormat,
    lang: Language,
) -> bytes:
    """The overview's report on the view's log in place, as a file's bytes: computed where
    the log lives, its source named masked."""
    conformance = current.conformance(journey) if journey is not None else None
    report = build_report(
        current.log,
        source=current.source.source,  # where the rows live, masked: no file to hash
        filters=current.filters,
        intended=None if journey is None else journey.journey,
        intended_source=journey_fingerprint(journey),
        conformance=conformance,
        stages=stages,
        tracers=TRACERS,
        tracers_by="variant" if conformance is None else "deviation",
    )
    return report_bytes(report, format, lang)


def _stem(current: View) -> str:
    """A file name's start: the database file's or table's name."""
    return Path(current.source.source.split("?")[0]).stem or "journey"


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
    stem = _stem(current)
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
