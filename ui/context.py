"""What every page starts from: the chosen log with the filters in force, or a clear message."""

from __future__ import annotations

import streamlit as st

from discovery import (
    EventLog,
    Filter,
    InPlaceLog,
    Language,
    LogError,
    QualityReport,
    count_cases,
    describe_filters,
    discover_variants,
    format_count,
)
from ui.cache import View, freeze_kept, view
from ui.database import plain
from ui.filters import active_filters, clear_filters
from ui.i18n import t
from ui.in_place import backend_name, draw_in_place_notice
from ui.journey import Journey, current_journey
from ui.pseudonyms import draw_columns, pseudonymised
from ui.saved import forget_or_restore
from ui.state import SOURCE, chosen_log, forget_on_new_log, language

VIEW = "app.view"


def draw_log_status() -> None:
    """In the sidebar: open the chosen log, say which filters are in force, offer to clear them.

    Leaves the view (or None) in the session for the page."""
    lang = language()
    st.session_state[VIEW] = None
    try:
        chosen = chosen_log()
    except LogError as error:
        database = st.session_state.get(SOURCE) == "database"
        said = plain(error.say(lang))
        st.error(t("app.database.error" if database else "upload.error", lang, error=said))
        return
    if chosen is None:
        database = st.session_state.get(SOURCE) == "database"
        st.info(t("app.database.none" if database else "app.no_upload", lang))
        return
    key, log = chosen
    if isinstance(log, InPlaceLog):  # no pseudonyms or saved analyses in place
        forget_on_new_log(key)
        filters = active_filters(view(key, open_in_use, ()))
        st.session_state[VIEW] = view(key, open_in_use, filters)
        st.caption(t("upload.current", lang, name=plain(log.source)))
        st.caption(t("app.database.in_place", lang, backend=backend_name(log, lang)))
        draw_filters_in_force(filters, lang)
        return
    draw_columns(log, lang)
    key, log = pseudonymised(key, log)  # from here on every page sees only pseudonyms
    forget_or_restore(key, log)  # a saved analysis brings back what was saved with it
    freeze_kept(key)
    filters = active_filters(view(key, open_in_use, ()))
    st.session_state[VIEW] = view(key, open_in_use, filters)  # its key, not the log
    st.caption(t("upload.current", lang, name=log.source))
    if log.quality.identical_rows:
        st.caption(duplicates_text(log.quality, lang))
    draw_filters_in_force(filters, lang)


def draw_filters_in_force(filters: tuple[Filter, ...], lang: Language) -> None:
    """Which filters are in force, with a button that clears them."""
    if filters:
        st.caption(t("app.filters", lang, text=describe_filters(filters)))
        st.button(t("app.clear_filters", lang), on_click=clear_filters, key="app.clear_filters")


def open_in_use(log_key: str) -> EventLog:
    """The log in use (a view's opener): from the caches, or opened again from the upload's
    bytes, the sample, the workspace or the database when they have let it go. A log in
    place is given as it is (typed as a log: the analyses take both)."""
    chosen = chosen_log()
    if chosen is not None and isinstance(chosen[1], InPlaceLog):
        found = chosen
    else:
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


def require_view(stop_when_empty: bool = True, *, in_place: bool = False) -> View:
    """The page's view; stops the page with a message when there is no log, or (unless told
    otherwise) when the filters leave no case, or when the log stays where it lives and the
    page cannot run there (`in_place`: it can)."""
    lang = language()
    current: View | None = st.session_state.get(VIEW)
    if current is None:
        st.info(t("app.no_log", lang))
        st.stop()
    log = current.source
    if isinstance(log, InPlaceLog) and not in_place:
        draw_in_place_notice(log, lang)
        st.stop()
    if stop_when_empty:
        stop_when_no_case(current)
    return current


def is_in_place(current: View) -> bool:
    """Whether the view's log stays where it lives (a database's)."""
    return isinstance(current.source, InPlaceLog)


def stop_when_no_case(current: View) -> None:
    """Stop the page, saying so, when the filters leave no case (in place, counted there)."""
    lang = language()
    if not current.filters:
        return
    if (current.run(count_cases) if is_in_place(current) else current.log.n_events) == 0:
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
