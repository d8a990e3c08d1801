"""The sidebar's pseudonym switch: case ids, resources and chosen columns replaced by
keyed pseudonyms (`discovery.pseudonymise`) in the log every page uses.

The key is the user's (a key file: hex text) or one made for the session and shown until
the user says it is kept. The pseudonymised log is cached by the raw log's key, a digest
of the key and the columns, so a page never shows an analysis of the raw log.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from discovery import EventLog, Language, new_key, pseudonymise
from ui.i18n import t

ON = "app.pseudo"
KEY = "app.pseudo.key"  # the key in use (bytes)
KEY_FILE = "app.pseudo.key_file"
KEY_FILE_ID = "app.pseudo.key_file_id"
KEPT = "app.pseudo.kept"  # the user has kept the generated key
COLUMNS = "app.pseudo.columns"


def draw_switch(lang: Language) -> None:
    """The toggle and, while on, where the key comes from."""
    st.toggle(t("app.pseudo", lang), key=ON, help=t("app.pseudo.help", lang))
    if not st.session_state.get(ON, False):
        return
    upload = st.file_uploader(t("app.pseudo.key_file", lang), key=KEY_FILE, type=None)
    if upload is not None and st.session_state.get(KEY_FILE_ID) != upload.file_id:
        key = key_from_text(upload.getvalue())
        if key is None:
            st.error(t("app.pseudo.key_malformed", lang, file=upload.name))
            return
        st.session_state[KEY] = key
        st.session_state[KEY_FILE_ID] = upload.file_id
        st.session_state[KEPT] = True
    if KEY not in st.session_state:
        st.session_state[KEY] = new_key()
        st.session_state[KEPT] = False
    if not st.session_state.get(KEPT, True):
        with st.expander(t("app.pseudo.new_key", lang), expanded=True):
            st.write(t("app.pseudo.keep_it", lang))
            st.code(st.session_state[KEY].hex(), language=None)
            st.button(t("app.pseudo.kept", lang), key="app.pseudo.kept_button", on_click=_kept)


def _kept() -> None:
    st.session_state[KEPT] = True


def key_from_text(data: bytes) -> bytes | None:
    """The key in a key file's bytes (hex text, spaces and line ends ignored), or None."""
    try:
        key = bytes.fromhex("".join(data.decode("utf-8").split()))
    except (UnicodeDecodeError, ValueError):
        return None
    return key if len(key) >= 16 else None


def draw_columns(log: EventLog, lang: Language) -> None:
    """While on: the log's attribute columns the user may pseudonymise too."""
    if not st.session_state.get(ON, False):
        return
    offered = [*log.case_attributes, *log.event_attributes]
    if not offered:
        return
    chosen = [column for column in st.session_state.get(COLUMNS, []) if column in offered]
    st.session_state[COLUMNS] = chosen
    st.multiselect(t("app.pseudo.columns", lang), offered, key=COLUMNS)


def pseudonymised(log_key: str, log: EventLog) -> tuple[str, EventLog]:
    """The log in use and its cache key: `log` itself while the switch is off, else its
    pseudonymised copy, keyed by the key's digest and the columns too."""
    key: bytes | None = st.session_state.get(KEY)
    if not st.session_state.get(ON, False) or key is None:
        return log_key, log
    columns = tuple(st.session_state.get(COLUMNS, ()))
    digest = hashlib.sha256(key).hexdigest()[:16]
    pseudo_key = f"{log_key}|pseudo/{digest}/{columns!r}"
    return pseudo_key, _pseudonymise(pseudo_key, _log=log, _key=key, _columns=columns)


@st.cache_resource(show_spinner=False, max_entries=4)
def _pseudonymise(
    pseudo_key: str, _log: EventLog, _key: bytes, _columns: tuple[str, ...]
) -> EventLog:
    return pseudonymise(_log, _key, _columns)
