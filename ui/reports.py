"""Downloads of reports: the Overview's report on the log as it is shown (filters, intended
journey, stages, pseudonyms in use) and the case explorer's tracer of the open case; of a
log in place (a database's), computed where it lives, its source named masked.

The files are made only when a download button is pressed (Streamlit calls `data` then)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from discovery import (
    REPORT_FORMATS,
    REPORT_MEDIA_TYPES,
    FileFingerprint,
    InPlaceLog,
    Language,
    Provenance,
    ReportFormat,
    Stages,
    Tracer,
    build_report,
    fingerprint,
    provenance,
    report_bytes,
    shadow_case,
    tracer_bytes,
)
from ui.cache import View
from ui.context import intended_journey
from ui.filters import panel_choices
from ui.i18n import t
from ui.journey import UPLOAD as JOURNEY_UPLOAD
from ui.journey import Journey
from ui.loading import DEFAULT_SAMPLE, SAMPLE_DIR
from ui.saved import SAVED_STAGES
from ui.state import SAMPLE, SOURCE, UPLOAD, Upload, language
from ui.workspace import saved_fingerprint

STAGES_IN_USE = "journey.stages_in_use"  # the Journey page's stages, for the report
TRACERS = 5


def source_fingerprint() -> FileFingerprint:
    """The name and SHA-256 of the file the log in use was read from (an upload or a sample)."""
    upload: Upload | None = st.session_state.get(UPLOAD)
    if st.session_state.get(SOURCE, "sample") == "upload" and upload is not None:
        return fingerprint(upload.data, upload.name)
    if st.session_state.get(SOURCE) == "saved":  # the file the saved analysis was read from
        return saved_fingerprint()
    return fingerprint(SAMPLE_DIR / st.session_state.get(SAMPLE, DEFAULT_SAMPLE))


def journey_fingerprint(journey: Journey | None) -> FileFingerprint | None:
    """The intended journey's file and SHA-256; None for none, for a variant chosen as the
    intended journey, or for one saved with a saved analysis (no file: the report names
    the journey)."""
    if journey is None or journey.key.startswith(("variant/", "saved/")):
        return None
    if journey.key.startswith("upload/"):
        name, data, _ = st.session_state[JOURNEY_UPLOAD]
        return fingerprint(data, name)
    return fingerprint(SAMPLE_DIR / journey.key.removeprefix("sample/"))


def report_file(
    current: View,
    journey: Journey | None,
    stages: Stages | None,
    format: ReportFormat,
    lang: Language,
) -> bytes:
    """The Overview's report on the view as a file's bytes; of a log in place, computed
    where it lives and its source named masked (no file to hash)."""
    conformance = current.conformance(journey) if journey is not None else None
    in_place = isinstance(current.source, InPlaceLog)
    report = build_report(
        current.log,
        source=current.source.source if in_place else source_fingerprint(),
        filters=current.filters,
        intended=None if journey is None else journey.journey,
        intended_source=journey_fingerprint(journey),
        conformance=conformance,
        stages=stages,
        tracers=TRACERS,
        tracers_by="variant" if conformance is None else "deviation",
    )
    return report_bytes(report, format, lang)


def tracer_of(current: View, case_id: str, journey: Journey | None) -> tuple[Tracer, Provenance]:
    """The tracer of the view's case `case_id` and its provenance; of a log in place only
    the case's events come here, its provenance counts the unfiltered log's rows there."""
    conformance = current.conformance(journey) if journey is not None else None
    if not isinstance(current.source, InPlaceLog):
        found = provenance(
            current.log,
            source=source_fingerprint(),
            filters=current.filters,
            intended=journey_fingerprint(journey),
        )
        return shadow_case(current.log, case_id, conformance), found
    attributes = panel_choices(current).case_attributes  # asked once for the filter panel
    tracer = shadow_case(current.log, case_id, conformance, case_attributes=attributes)
    found = provenance(
        current.source,
        source=current.source.source,
        filters=current.filters,
        intended=journey_fingerprint(journey),
    )
    return tracer, found


def _file_name(current: View, what: str, format: ReportFormat) -> str:
    """`<stem>-<what>.<format>`: the stem of the file read, or of the database or table."""
    stem = Path(current.source.source.split("?")[0]).stem or "journey"
    return f"{stem}-{what}.{format}"


def draw_report_download(current: View) -> None:
    """A format choice and a "Download report" button on the report of the view."""
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
        return report_file(current, journey, stages, format, lang)

    right.download_button(
        t("report.app.download", lang),
        data=made,
        file_name=_file_name(current, "report", format),
        mime=REPORT_MEDIA_TYPES[format],
        key="overview.report_download",
        help=t("report.app.download_help", lang),
        on_click="ignore",
    )


def draw_tracer_downloads(current: View, case_id: str) -> None:
    """The open case as a one-case PDF and as an Excel sheet, each with its provenance."""
    lang = language()
    journey = intended_journey(current)
    columns = st.columns(2)
    for column, format in zip(columns, ("pdf", "xlsx"), strict=True):
        column.download_button(
            t(f"report.app.tracer.{format}", lang),
            data=_tracer_file(current, journey, case_id, format),
            file_name=_file_name(current, f"case-{case_id}", format),
            mime=REPORT_MEDIA_TYPES[format],
            key=f"cases.tracer_{format}",
            on_click="ignore",
        )


def _tracer_file(
    current: View, journey: Journey | None, case_id: str, format: ReportFormat
) -> Callable[[], bytes]:
    def made() -> bytes:
        tracer, found = tracer_of(current, case_id, journey)
        return tracer_bytes(tracer, found, format, language())

    return made
