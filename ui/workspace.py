"""The workspace in the app: save the log in use with the intended journey, stages and
filters in use; list the saved analyses with their figures, reopen, rename and delete one.
A reopened analysis is the log in use ("app.source" is "saved"), and the address carries its
id (?analysis=ID), so a reload reopens it; `ui.saved` restores what was saved with it.

The workspace is the library's default (`JOURNEY_WORKSPACE`, else ~/.journey). Keys are
"workspace.*"; the analysis in use is "app.analysis".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from discovery import (
    DEFAULT_TIMEZONE,
    EventLog,
    FileFingerprint,
    Filter,
    IntendedJourney,
    LogError,
    OpenedAnalysis,
    SavedAnalysis,
    Stages,
    Workspace,
    format_count,
    format_date,
    words,
)
from ui.access import require_workspace_password, session_workspace
from ui.i18n import t
from ui.loading import DEFAULT_SAMPLE, SAMPLE_DIR

if TYPE_CHECKING:  # ui.state imports this module
    from ui.state import Upload

ANALYSIS = "app.analysis"  # the id of the saved analysis in use
URL_ANALYSIS = "analysis"  # ?analysis=ID while a saved analysis is in use
CHOSEN = "workspace.chosen"
MESSAGE = "workspace.message"
ZONE = DEFAULT_TIMEZONE  # when an analysis was saved, said in the app's usual zone
FILTERS_IN_FORCE = "filters in force"  # the name the filters in force are saved under


@dataclass(frozen=True)
class InUse:
    """What is saved with the log in use: the intended journey and the stages in use (None:
    none chosen), and the filters in force."""

    intended: IntendedJourney | None = None
    stages: Stages | None = None
    filters: tuple[Filter, ...] = ()


def workspace() -> Workspace:
    """The workspace, as this session unlocked it with its password (`ui.access`)."""
    return session_workspace()


@st.cache_resource(show_spinner=False, max_entries=4)
def open_saved(path: str, analysis: str) -> OpenedAnalysis:
    """A saved analysis reopened, once per workspace and id (ids are never reused)."""
    place = workspace()  # this session's, unlocked
    return (place if str(place.path) == path else Workspace(path)).open_analysis(analysis)


def saved_log(analysis: str) -> tuple[str, EventLog]:
    """The cache key and log of a saved analysis (raises WorkspaceError, a LogError)."""
    place = workspace()
    place.get(analysis)  # cached or not, nothing opens for a session without the password
    path = str(place.path)
    return f"saved/{path}/{analysis}", open_saved(path, analysis).log


def saved_fingerprint() -> FileFingerprint:
    """The name and SHA-256 of the file the saved analysis in use was read from, as saved."""
    path = str(workspace().path)
    saved = open_saved(path, st.session_state[ANALYSIS]).saved
    return FileFingerprint(saved.source_name or saved.title, saved.source_sha256 or "")


def use_saved(analysis: str) -> None:
    """Make the saved analysis the log in use (a callback)."""
    st.session_state["app.source"] = "saved"
    st.session_state[ANALYSIS] = analysis


def _source(upload: Upload | None) -> tuple[str | None, str | None]:
    """The name and SHA-256 of the file the log in use was read from."""
    source = st.session_state.get("app.source", "sample")
    if source == "upload" and upload is not None:
        return upload.name, hashlib.sha256(upload.data).hexdigest()
    if source == "sample":
        path = SAMPLE_DIR / st.session_state.get("app.sample", DEFAULT_SAMPLE)
        return path.name, hashlib.sha256(path.read_bytes()).hexdigest()
    return None, None


def draw_workspace(
    log: EventLog | None,
    in_use: Callable[[], InUse],
    lang: str,
) -> None:
    """The Workspace section of the upload page: save the log in use (with what `in_use`
    gives, asked for only when saving), and the saved ones."""
    st.subheader(t("workspace.app.title", lang))
    place = workspace()
    st.caption(t("workspace.app.where", lang, path=str(place.path)))
    role = require_workspace_password(place, lang)
    if role is None:
        return
    if role != "editor":
        st.caption(t("workspace.app.viewer", lang))
    elif log is not None:
        _draw_save(place, log, in_use, lang)
    said = st.session_state.pop(MESSAGE, None)
    if said:
        st.success(said)
    try:
        found = place.list_analyses()
    except LogError as error:
        st.error(t("workspace.app.error", lang, error=error.say(lang)))
        return
    if not found:
        st.caption(t("workspace.app.none", lang))
        return
    st.dataframe(_table(found, lang), hide_index=True, key="workspace.table")
    _draw_actions(place, found, lang, editor=role == "editor")


def _draw_save(place: Workspace, log: EventLog, in_use: Callable[[], InUse], lang: str) -> None:
    with st.form("workspace.save", clear_on_submit=True):
        title = st.text_input(t("workspace.app.save_title", lang), value=log.source)
        notes = st.text_area(t("workspace.app.notes", lang), key="workspace.notes")
        saved = st.form_submit_button(t("workspace.app.save", lang), type="primary")
    if not saved:
        return
    name, sha256 = _source(st.session_state.get("app.upload"))
    chosen = in_use()
    named = {FILTERS_IN_FORCE: chosen.filters}
    if st.session_state.get("app.source") == "saved":  # saved again: its filter sets too
        opened = open_saved(str(place.path), st.session_state[ANALYSIS])
        name, sha256 = opened.saved.source_name, opened.saved.source_sha256
        named = {**opened.filters, **named}
    if not chosen.filters:
        del named[FILTERS_IN_FORCE]
    try:
        with st.spinner(t("workspace.app.saving", lang)):
            found = place.save_analysis(
                log,
                title=title,
                notes=notes,
                source_name=name,
                source_sha256=sha256,
                intended=chosen.intended,
                stages=chosen.stages,
                filters=named,
            )
    except LogError as error:
        st.error(t("workspace.app.error", lang, error=error.say(lang)))
        return
    st.session_state[MESSAGE] = t("workspace.app.saved", lang, title=title.strip(), id=found)


def _table(found: tuple[SavedAnalysis, ...], lang: str) -> pd.DataFrame:
    rows = [
        (
            saved.title,
            format_count(saved.events, lang),
            format_count(saved.cases, lang),
            format_date(saved.first_event, lang) if saved.first_event is not None else "",
            format_date(saved.last_event, lang) if saved.last_event is not None else "",
            words.format_datetime(saved.saved_at.tz_convert(ZONE).to_pydatetime(), lang),
            saved.notes,
            saved.id,
        )
        for saved in found
    ]
    names = ("title", "events", "cases", "first", "last", "saved", "notes", "id")
    return pd.DataFrame(rows, columns=[t(f"workspace.app.col.{name}", lang) for name in names])


def _draw_actions(
    place: Workspace, found: tuple[SavedAnalysis, ...], lang: str, editor: bool = True
) -> None:
    """Choose a saved analysis; open it, and for an `editor` rename or delete it."""
    titles = {saved.id: f"{saved.title} ({saved.id})" for saved in found}
    if st.session_state.get(CHOSEN) not in titles:
        st.session_state[CHOSEN] = found[0].id
    chosen = st.selectbox(
        t("workspace.app.choose", lang), list(titles), format_func=titles.get, key=CHOSEN
    )
    by_id = {saved.id: saved for saved in found}
    in_use = st.session_state.get("app.source") == "saved" and (
        st.session_state.get(ANALYSIS) == chosen
    )
    left, middle, right = st.columns(3, vertical_alignment="bottom")
    left.button(
        t("workspace.app.open", lang),
        key="workspace.open",
        type="primary",
        disabled=in_use,
        on_click=use_saved,
        args=(chosen,),
    )
    if in_use:
        left.caption(t("workspace.app.in_use", lang, title=by_id[chosen].title))
    if not editor:
        return  # a viewer opens; renaming and deleting need the editor's password
    new_title = middle.text_input(t("workspace.app.new_title", lang), key="workspace.new_title")
    if middle.button(t("workspace.app.rename", lang), key="workspace.rename") and new_title:
        _act(lambda: place.rename(chosen, new_title), "renamed", lang, title=new_title.strip())
    sure = right.checkbox(t("workspace.app.confirm_delete", lang), key="workspace.sure")
    if right.button(t("workspace.app.delete", lang), key="workspace.delete", disabled=not sure):
        if in_use:
            st.session_state["app.source"] = "sample"
            st.session_state.pop(ANALYSIS, None)
        open_saved.clear()  # no session goes on showing a deleted analysis from the cache
        _act(lambda: place.delete(chosen), "deleted", lang, title=by_id[chosen].title)


def _act(action: Callable[[], None], done: str, lang: str, **values: str) -> None:
    try:
        action()
    except LogError as error:
        st.error(t("workspace.app.error", lang, error=error.say(lang)))
        return
    st.session_state[MESSAGE] = t(f"workspace.app.{done}", lang, **values)
    st.rerun()
