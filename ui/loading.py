"""Opening logs for the app: bundled samples or uploads, cached per file and options."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from discovery import EventLog, read_event_log

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_logs"
DEFAULT_SAMPLE = "hospital.xlsx"


def sample_files() -> list[str]:
    """The bundled sample logs, the default first."""
    names = sorted(
        path.name
        for path in SAMPLE_DIR.iterdir()
        if path.suffix in {".csv", ".xlsx"} and "_intended" not in path.stem
    )
    return sorted(names, key=lambda name: name != DEFAULT_SAMPLE)


@st.cache_resource(show_spinner="Reading the sample log ...", max_entries=8)
def open_sample(name: str) -> EventLog:
    return read_event_log(SAMPLE_DIR / name, name=name)


@st.cache_resource(show_spinner="Reading your log ...", max_entries=4)
def open_upload(data: bytes, name: str, sheet: str | None, mapping: tuple) -> EventLog:
    suffix = "".join(Path(name).suffixes[-2:]) or ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        return read_event_log(path, dict(mapping) or None, sheet=sheet, name=name)
