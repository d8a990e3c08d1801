"""Opening logs for the app: bundled samples or uploads, cached per file, sheet and mapping.

Uploads are cached by their digest (`_data` is not hashed again on every rerun). At most
`UPLOADS` uploaded files are kept read, raw and as logs, by the whole server: a 1M-event
log costs about 400 MB with what the engine prepares from it. An upload let go is read
again from its bytes (kept in its session for the upload in use only) when asked for.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from discovery import (
    Duplicates,
    EventLog,
    RawTable,
    list_sheets,
    read_event_log,
    read_table,
    to_event_log,
)

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_logs"
DEFAULT_SAMPLE = "hospital.xlsx"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
UPLOADS = 2  # uploads kept read (raw and as logs) by the server


def sample_files() -> list[str]:
    """The bundled sample logs, the default first."""
    names = sorted(
        path.name
        for path in SAMPLE_DIR.iterdir()
        if path.suffix in {".csv", ".xlsx"} and "_intended" not in path.stem
    )
    return sorted(names, key=lambda name: name != DEFAULT_SAMPLE)


@st.cache_resource(show_spinner=False, max_entries=8)
def open_sample(name: str) -> EventLog:
    return read_event_log(SAMPLE_DIR / name, name=name)


@contextlib.contextmanager
def as_file(data: bytes, name: str) -> Iterator[Path]:
    """Uploaded bytes as a temporary file with the upload's extension, for the library's
    readers (which read files); removed afterwards."""
    suffix = "".join(Path(name).suffixes[-2:]) or ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        yield path


def is_workbook(name: str) -> bool:
    return name.lower().endswith(WORKBOOK_SUFFIXES)


@st.cache_resource(show_spinner=False, max_entries=4)
def upload_sheets(digest: str, name: str, _data: bytes) -> list[str]:
    with as_file(_data, name) as path:
        return list_sheets(path, name=name)


@st.cache_resource(show_spinner=False, max_entries=UPLOADS)
def read_upload(digest: str, name: str, sheet: str | None, _data: bytes) -> RawTable:
    """The uploaded file as a raw table, before its columns are mapped."""
    with as_file(_data, name) as path:
        return read_table(path, sheet=sheet, name=name)


@st.cache_resource(show_spinner=False, max_entries=UPLOADS)
def open_upload(
    digest: str, name: str, sheet: str | None, mapping: tuple, duplicates: Duplicates, _data: bytes
) -> EventLog:
    """The uploaded file as an event log with `mapping` (role → column pairs), its identical
    rows kept or dropped (`duplicates`)."""
    raw = read_upload(digest, name, sheet, _data=_data)
    return to_event_log(raw, dict(mapping) or None, duplicates=duplicates)
