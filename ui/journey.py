"""The intended journey in use: the sample's own, an uploaded journey file, a chosen variant,
or the one saved with the saved analysis in use.

The choice lives in the session under "intended.*"; the journey is read once per file
(cached) and the conformance of each filtered log against it is cached in `ui.cache`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from discovery import (
    EventLog,
    InPlaceLog,
    IntendedJourney,
    journey_from_variant,
    read_intended_journey,
)
from ui.loading import SAMPLE_DIR, as_file

SOURCE = "intended.source"  # "sample", "upload", "variant" or "saved"
SAVED = "intended.saved"  # (key, journey) saved with the saved analysis in use (`ui.saved`)
UPLOAD = "intended.upload"  # (name, data, digest) of the uploaded journey file
VARIANT = "intended.variant"  # the variant number chosen as the intended journey


@dataclass(frozen=True)
class Journey:
    """An intended journey with the key its results are cached under."""

    key: str
    journey: IntendedJourney


def sample_journey_file(log_key: str) -> str | None:
    """The bundled intended journey of a sample log ("hospital.xlsx" → "hospital_intended.csv")."""
    if not log_key.startswith("sample/"):
        return None
    name = f"{Path(log_key.removeprefix('sample/')).stem}_intended.csv"
    return name if (SAMPLE_DIR / name).exists() else None


@st.cache_resource(show_spinner=False, max_entries=8)
def _sample_journey(name: str) -> IntendedJourney:
    return read_intended_journey(SAMPLE_DIR / name)


@st.cache_resource(show_spinner=False, max_entries=4)
def _uploaded_journey(digest: str, name: str, _data: bytes) -> IntendedJourney:
    with as_file(_data, name) as path:
        return read_intended_journey(path, name=name)


@st.cache_resource(show_spinner=False, max_entries=8)
def _variant_journey(
    log_key: str, activities: tuple[str, ...], _log: EventLog | InPlaceLog
) -> IntendedJourney:
    return journey_from_variant(activities, _log, name=" → ".join(activities))


def default_source(log_key: str) -> str:
    return "sample" if sample_journey_file(log_key) else "upload"


def current_journey(
    log_key: str, log: EventLog | InPlaceLog, variants: list[tuple[str, ...]]
) -> Journey | None:
    """The journey chosen on the Intended page (by default the sample's own), or None.

    `variants` are the log's variants, most frequent first. Raises the library's LogError
    when an uploaded journey file cannot be used."""
    source = st.session_state.get(SOURCE, default_source(log_key))
    if source == "saved":
        saved = st.session_state.get(SAVED)
        return None if saved is None else Journey(*saved)
    if source == "sample":
        name = sample_journey_file(log_key)
        return None if name is None else Journey(f"sample/{name}", _sample_journey(name))
    if source == "upload":
        upload = st.session_state.get(UPLOAD)
        if upload is None:
            return None
        name, data, digest = upload
        return Journey(f"upload/{digest}/{name}", _uploaded_journey(digest, name, _data=data))
    number = int(st.session_state.get(VARIANT, 1))
    if not 1 <= number <= len(variants):
        return None
    activities = variants[number - 1]
    return Journey(f"variant/{log_key}/{number}", _variant_journey(log_key, activities, _log=log))
