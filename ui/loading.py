"""Opening logs for the app: bundled samples or uploads, cached per file, sheet and mapping.

Uploads are kept by their digest (`_data` is not hashed again on every rerun), per
session: each session keeps the `UPLOADS` logs and the `RAW_UPLOADS` raw tables it opened
last (a 1M-event log costs about 400 MB with what the engine prepares from it), sessions
opening the same upload share it, and what a session keeps goes with the session. An
upload let go is read again from its bytes (kept in its session for the upload in use
only) when asked for. A bound for the whole server instead made four sessions at once
read each other's uploads again and again. The session's state holds only a token
(`_Token`), so that Streamlit's lingering last session (see `ui.memory`) keeps no log:
`let_go_of_uploads` (the janitor) drops them all.
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

import streamlit as st

from discovery import (
    Duplicates,
    EventLog,
    InPlaceLog,
    RawTable,
    list_sheets,
    read_event_log,
    read_table,
    to_event_log,
)

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_logs"
DEFAULT_SAMPLE = "hospital.xlsx"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
UPLOADS = 2  # uploaded logs each session keeps opened
CONNECTIONS = 2  # logs from a database each keeps (in place, and brought here)
RAW_UPLOADS = 1  # raw tables of uploads (before their columns are mapped) each keeps
TOKEN = "app.uploads_token"  # the session's claim on what it keeps (no log: a token)
V = TypeVar("V")


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


class _PerSession(Generic[V]):
    """Values by key, each session keeping the `limit` it used last: shared between the
    sessions by key (a weak index: a value lives while a session keeps it)."""

    def __init__(self, limit: int) -> None:
        self.limit, self.lock = limit, threading.Lock()
        self.shared: weakref.WeakValueDictionary[Any, V] = weakref.WeakValueDictionary()
        self.kept: dict[str, OrderedDict[Any, V]] = {}
        _STORES.append(self)

    def get(self, key: Any, make: Callable[[], V]) -> V:
        """The value under `key`, made now when no session keeps it; kept for this session."""
        with self.lock:
            found = self.shared.get(key)
        if found is None:
            made = make()  # outside the lock: other sessions go on meanwhile
            with self.lock:
                found = self.shared.setdefault(key, made)
        session = _token()
        with self.lock:
            kept = self.kept.setdefault(session, OrderedDict())
            kept[key] = found
            kept.move_to_end(key)
            while len(kept) > self.limit:
                kept.popitem(last=False)
        return found

    def forget(self, session: str | None = None) -> None:
        """Let go of what `session` keeps (every session's when None)."""
        with self.lock:
            if session is None:
                self.kept.clear()
            else:
                self.kept.pop(session, None)


_STORES: list[_PerSession[Any]] = []


class _Token:
    """A session's claim on what it keeps: what it keeps goes when its state does."""

    def __init__(self) -> None:
        self.id = uuid.uuid4().hex
        weakref.finalize(self, _forget_session, self.id)


def _forget_session(session: str) -> None:
    for store in _STORES:
        store.forget(session)


def _token() -> str:
    """The id of the running session's claim (one shared claim outside a session)."""
    try:
        token = st.session_state.get(TOKEN)
        if not isinstance(token, _Token):
            token = st.session_state[TOKEN] = _Token()
    except Exception:  # no session (a script run outside Streamlit)
        return "no session"
    return token.id


def let_go_of_uploads() -> None:
    """Every session lets go of the uploads it keeps (the janitor, once no session is left:
    the last closed session's state still refers to its token)."""
    for store in _STORES:
        store.forget()


_RAW: _PerSession[RawTable] = _PerSession(RAW_UPLOADS)
_LOGS: _PerSession[EventLog] = _PerSession(UPLOADS)
_CONNECTED: _PerSession[EventLog | InPlaceLog] = _PerSession(CONNECTIONS)


def read_upload(digest: str, name: str, sheet: str | None, _data: bytes) -> RawTable:
    """The uploaded file as a raw table, before its columns are mapped."""

    def read() -> RawTable:
        with as_file(_data, name) as path:
            return read_table(path, sheet=sheet, name=name)

    return _RAW.get((digest, name, sheet), read)


def open_upload(
    digest: str, name: str, sheet: str | None, mapping: tuple, duplicates: Duplicates, _data: bytes
) -> EventLog:
    """The uploaded file as an event log with `mapping` (role → column pairs), its identical
    rows kept or dropped (`duplicates`)."""

    def read() -> EventLog:
        raw = read_upload(digest, name, sheet, _data=_data)
        return to_event_log(raw, dict(mapping) or None, duplicates=duplicates)

    return _LOGS.get((digest, name, sheet, mapping, duplicates), read)


def open_connection(key: str, make: Callable[[], EventLog | InPlaceLog]) -> EventLog | InPlaceLog:
    """The log of a database connection under `key` (`ui.database.Connection.key`), made by
    `make` when this session keeps none."""
    return _CONNECTED.get(key, make)
