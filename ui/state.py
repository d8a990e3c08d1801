"""Session state shared by the pages: the language, the log in use, widget values kept across pages.

Keys are namespaced "<page>.<widget>"; "app.*" belongs to the sidebar.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from discovery import Duplicates, EventLog, InPlaceLog, Language, LogError
from ui.database import CONNECTION, Connection, opened
from ui.i18n import t
from ui.loading import DEFAULT_SAMPLE, open_sample, open_upload
from ui.workspace import ANALYSIS, URL_ANALYSIS, saved_log

LANGUAGE = "app.language"
SOURCE = "app.source"
SAMPLE = "app.sample"
UPLOAD = "app.upload"
LOG_KEY = "app.log_key"
LOST = "app.upload_lost"
URL_FLAG = "log"  # ?log=upload (or database) while one is in use: a reload tells
DIGEST = "upload.digest"
UPLOAD_ERROR = "upload.error"

# Widget values that survive a visit to another page (Streamlit forgets the values of
# widgets that are not drawn; writing them back keeps them).
KEPT_PREFIXES = ("map.activities", "map.paths", "map.filter.")


@dataclass(frozen=True)
class Upload:
    """An uploaded file confirmed with its sheet and column mapping."""

    data: bytes
    name: str
    sheet: str | None
    mapping: tuple[tuple[str, str], ...]
    digest: str
    duplicates: Duplicates = "keep"

    @property
    def key(self) -> str:
        return f"upload/{self.digest}/{self.name}/{self.sheet}/{self.mapping}/{self.duplicates}"

    def open(self) -> EventLog:
        return open_upload(
            self.digest, self.name, self.sheet, self.mapping, self.duplicates, _data=self.data
        )


def use_upload(upload: Upload, lang: Language) -> None:
    """The upload button's callback: open the log with the chosen columns; on success use it.

    A module's function, not the page's: a callback is kept in the session state, and a
    page's function would keep the page's globals (its logs and results) alive with it."""
    try:
        upload.open()
    except LogError as error:
        st.session_state[UPLOAD_ERROR] = t("upload.error", lang, error=error.say(lang))
        return
    except Exception as error:  # a file we did not foresee: say so, never a traceback
        st.session_state[UPLOAD_ERROR] = t(
            "upload.unexpected", lang, error=f"{type(error).__name__}: {error}"
        )
        return
    st.session_state.pop(UPLOAD_ERROR, None)
    st.session_state[UPLOAD] = upload
    st.session_state[SOURCE] = "upload"


def forget_replaced_file(uploader: str, file_id: str | None) -> None:
    """Let Streamlit drop the file that `uploader` (the widget's key) showed before this one.

    Streamlit keeps every file uploaded in a session until the session ends, a file
    replaced in its uploader too: 8 uploads kept 8 files' bytes. The replaced file is no
    longer needed (a confirmed upload keeps its own bytes, in `Upload`). Through the
    runtime's uploaded-file manager (`remove_file`, the call Streamlit makes when a file is
    removed in the browser); outside a server, nothing to do."""
    known = f"{uploader}.file_id"
    previous = st.session_state.get(known)
    st.session_state[known] = file_id
    if previous is None or previous == file_id:
        return
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    if context is None or not Runtime.exists():
        return
    manager = getattr(Runtime.instance(), "uploaded_file_mgr", None)
    remove = getattr(manager, "remove_file", None)
    if callable(remove):
        remove(context.session_id, previous)


def file_digest(file_id: str, data: bytes) -> str:
    """A short digest of an uploaded file, computed once per upload (files go up to 1 GB)."""
    known = st.session_state.get(DIGEST)
    if known is None or known[0] != file_id:
        known = (file_id, hashlib.sha256(data).hexdigest()[:16])
        st.session_state[DIGEST] = known
    return known[1]


def language() -> Language:
    return st.session_state.get(LANGUAGE, "en")


def translated_choice(widget, label: str, options, *, key: str, **kwargs):
    """A radio or selectbox whose option texts follow the language, keeping its value.

    Streamlit's browser side forgets a radio's choice when its option texts change, so the
    widget gets a key per language ("map.level.nl") and the value lives under `key`.
    """
    widget_key = f"{key}.{language()}"
    options = list(options)
    if options:
        # Always set, so the browser shows it too (it keeps a choice no longer offered).
        chosen = st.session_state.get(key)
        st.session_state[widget_key] = chosen if chosen in options else options[0]

    def keep() -> None:
        st.session_state[key] = st.session_state[widget_key]

    value = widget(label, options, key=widget_key, on_change=keep, **kwargs)
    st.session_state[key] = value
    return value


def forget_choice(key: str) -> None:
    """A translated choice back to its first option."""
    st.session_state.pop(key, None)


def keep_widget_values() -> None:
    """Write back the kept widget values so that leaving a page does not reset them."""
    for key in list(st.session_state):
        if isinstance(key, str) and key.startswith(KEPT_PREFIXES):
            st.session_state[key] = st.session_state[key]


def default(key: str, value: object) -> None:
    """Give a widget its first value through the session (never both ways at once)."""
    if key not in st.session_state:
        st.session_state[key] = value


def notice_lost_upload() -> bool:
    """True while the upload of an earlier session is gone (the page was reloaded, or the
    connection lost): that session's address says an upload was in use. The sidebar then
    stays on "My upload" rather than falling back to the sample log."""
    if SOURCE not in st.session_state and st.query_params.get(URL_FLAG) == "upload":
        st.session_state[SOURCE] = "upload"
        st.session_state[LOST] = True
    if SOURCE not in st.session_state and st.query_params.get(URL_FLAG) == "database":
        st.session_state[SOURCE] = "database"  # no connection: the sidebar asks for one
    if SOURCE not in st.session_state and st.query_params.get(URL_ANALYSIS):
        st.session_state[SOURCE] = "saved"  # a reload reopens the saved analysis it showed
        st.session_state[ANALYSIS] = st.query_params[URL_ANALYSIS]
    lost = st.session_state.get(LOST, False)
    if lost and (st.session_state[SOURCE] != "upload" or UPLOAD in st.session_state):
        st.session_state[LOST] = lost = False  # the user moved on: a sample or a new upload
    return lost


def remember_upload_in_url() -> None:
    """Mark the address while an upload (or a database) is in use, or an upload is lost, so a
    reload can say it is gone; Streamlit clears the address's parameters on a page switch,
    so this runs on every run."""
    in_use = st.session_state.get(SOURCE) == "upload" and (
        UPLOAD in st.session_state or st.session_state.get(LOST, False)
    )
    database = st.session_state.get(SOURCE) == "database"  # only that: never where
    flag = "upload" if in_use else "database" if database else None
    if flag is not None and st.query_params.get(URL_FLAG) != flag:
        st.query_params[URL_FLAG] = flag
    elif flag is None and URL_FLAG in st.query_params:
        del st.query_params[URL_FLAG]
    saved = st.session_state.get(ANALYSIS) if st.session_state.get(SOURCE) == "saved" else None
    if saved and st.query_params.get(URL_ANALYSIS) != saved:
        st.query_params[URL_ANALYSIS] = saved
    elif not saved and URL_ANALYSIS in st.query_params:
        del st.query_params[URL_ANALYSIS]


def chosen_log() -> tuple[str, EventLog | InPlaceLog] | None:
    """The log chosen in the sidebar and its cache key; None while no upload is in use (or
    no database connected). A database's log may stay where it lives (`InPlaceLog`).

    Raises what the library raises (LogError) when the file cannot be used."""
    if st.session_state.get(SOURCE) == "database":
        connection: Connection | None = st.session_state.get(CONNECTION)
        return None if connection is None else (connection.key, opened(connection))
    if st.session_state.get(SOURCE, "sample") == "upload":
        upload: Upload | None = st.session_state.get(UPLOAD)
        return None if upload is None else (upload.key, upload.open())
    if st.session_state.get(SOURCE) == "saved":
        analysis = st.session_state.get(ANALYSIS)
        return None if analysis is None else saved_log(analysis)
    name = st.session_state.get(SAMPLE, DEFAULT_SAMPLE)
    return f"sample/{name}", open_sample(name)


PER_LOG = ("map.", "variants.", "cases.", "handoffs.", "journey.")  # choices about one log


def forget_on_new_log(key: str) -> None:
    """A new log starts without the filters and choices made on the previous one."""
    if st.session_state.get(LOG_KEY) == key:
        return
    st.session_state[LOG_KEY] = key
    for name in list(st.session_state):
        if isinstance(name, str) and name.startswith(PER_LOG):
            del st.session_state[name]
