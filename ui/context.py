"""What every page starts from: the chosen log with the filters in force, or a clear message."""

from __future__ import annotations

import streamlit as st

from discovery import (
    EventLog,
    Language,
    LogError,
    QualityReport,
    describe_filters,
    discover_variants,
    format_count,
)
from ui.cache import View, freeze_kept, view
from ui.filters import active_filters, clear_filters
from ui.i18n import t
from ui.journey import Journey, current_journey
from ui.pseudonyms import draw_columns, pseudonymised
from ui.saved import forget_or_restore
from ui.state import chosen_log, language

VIEW = "app.view"


def draw_log_status() -> None:
    """In the sidebar: open the chosen log, say which filters are in force, offer to clear them.

    Leaves the view (or None) in the session for the page."""
    lang = language()
    st.session_state[VIEW] = None
    try:
        chosen = chosen_log()
    except LogError as error:
        st.error(t("upload.error", lang, error=error.say(lang)))
        return
    if chosen is None:
        st.info(t("app.no_upload", lang))
        return
    key, log = chosen
    draw_columns(log, lang)
    key, log = pseudonymised(key, log)  # from here on every page sees only pseudonyms
    forget_or_restore(key, log)  # a saved analysis brings back what was saved with it
    freeze_kept(key)
    filters = active_filters(log)
    st.session_state[VIEW] = view(key, open_in_use, filters)  # its key, not the log
    st.caption(t("upload.current", lang, name=log.source))
    if log.quality.identical_rows:
        st.caption(duplicates_text(log.quality, lang))
    if filters:
        st.caption(t("app.filters", lang, text=describe_filters(filters)))
        st.button(t("app.clear_filters", lang), on_click=clear_filters, key="app.clear_filters")


def open_in_use(log_key: str) -> EventLog:
    """The log in use (a view's opener): from the caches, or opened again from the upload's
    bytes, the sample or the workspace when they have let it go."""
    chosen = chosen_log()
    found = None if chosen is None else pseudonymised(*chosen)
    if found is None or found[0] != log_key:  # the session has moved on to another log
        raise LookupError(f"{log_key} is no longer the log in use")
    return found[1]


def duplicates_text(quality: QualityReport, lang: Language) -> str:
    """What was done with the rows identical to an earlier row: kept or dropped, and how many."""
    return t(
        f"quality.identical.{quality.duplicates}",
        lang,
        count=format_count(quality.identical_rows, lang),
    )


def require_view(stop_when_empty: bool = True) -> View:
    """The page's view; stops the page with a message when there is no log, or (unless told
    otherwise) when the filters leave no case."""
    lang = language()
    current: View | None = st.session_state.get(VIEW)
    if current is None:
        st.info(t("app.no_log", lang))
        st.stop()
    if stop_when_empty:
        stop_when_no_case(current)
    return current


def stop_when_no_case(current: View) -> None:
    """Stop the page, saying so, when the filters leave no case."""
    lang = language()
    if current.log.n_events == 0:
        st.warning(t("app.empty", lang, text=describe_filters(current.filters)))
        st.stop()


def intended_journey(current: View) -> Journey | None:
    """The intended journey in use, or None (a file that cannot be used is said on the page
    where it was chosen)."""
    variants = list(current.unfiltered().run(discover_variants).variants["activities"])
    try:
        return current_journey(current.log_key, current.source, variants)
    except LogError:
        return None
