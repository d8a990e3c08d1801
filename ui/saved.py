"""The saved analysis in use, restored: when one is opened (or a reload reopens it), its
intended journey and stages become the ones in use and the filters it was saved with are
set in the filter panel. Its named filter sets can be applied, and the filters in force
saved as one more.

Keys: "workspace.filter_set" (the set chosen), "workspace.set_name" (the name to save the
filters in force under); "journey.stages_saved" holds the saved stages (forgotten with the
log, as every "journey.*" choice) and "intended.saved" the saved journey.
"""

from __future__ import annotations

import streamlit as st

from discovery import (
    EventLog,
    Filter,
    Language,
    LogError,
    OpenedAnalysis,
    describe_filters,
)
from ui.cache import View
from ui.filters import set_filters
from ui.i18n import t
from ui.journey import SAVED as SAVED_JOURNEY
from ui.journey import SOURCE as JOURNEY_SOURCE
from ui.state import LOG_KEY, SOURCE, forget_on_new_log
from ui.workspace import ANALYSIS, FILTERS_IN_FORCE, MESSAGE, open_saved, workspace

SAVED_STAGES = "journey.stages_saved"  # the stages saved with the analysis in use
STAGES_SOURCE = "journey.stages_source"  # the Journey page's choice of stages
FILTER_SET = "workspace.filter_set"
SET_NAME = "workspace.set_name"
LEFT_OUT = "workspace.left_out"  # filters of a set the panel cannot show


def opened_in_use() -> OpenedAnalysis | None:
    """The saved analysis in use, or None (another log, or one that cannot be opened)."""
    if st.session_state.get(SOURCE) != "saved" or not st.session_state.get(ANALYSIS):
        return None
    try:
        return open_saved(str(workspace().path), st.session_state[ANALYSIS])
    except LogError:
        return None


def forget_or_restore(key: str, log: EventLog) -> None:
    """On a new log in use (`key`): forget the choices made on the previous one, then, for a
    saved analysis, restore what was saved with it (`log`: the unfiltered log)."""
    new = st.session_state.get(LOG_KEY) != key
    forget_on_new_log(key)
    if not new:
        return
    if st.session_state.get(JOURNEY_SOURCE) == "saved":  # the previous analysis's journey
        del st.session_state[JOURNEY_SOURCE]
    st.session_state.pop(SAVED_JOURNEY, None)
    opened = opened_in_use()
    if opened is None:
        return
    if opened.intended is not None:
        st.session_state[SAVED_JOURNEY] = (f"saved/{workspace().path}/{opened.id}", opened.intended)
        st.session_state[JOURNEY_SOURCE] = "saved"
    if opened.stages is not None:
        st.session_state[SAVED_STAGES] = opened.stages
        st.session_state[STAGES_SOURCE] = "saved"
    st.session_state[LEFT_OUT] = set_filters(log, opened.filters.get(FILTERS_IN_FORCE, ()))


def apply_filter_set(current: View, filters: tuple[Filter, ...]) -> None:
    """The Apply button's callback: the set's filters become the filters in force."""
    st.session_state[LEFT_OUT] = set_filters(current.source, filters)


def draw_filter_sets(current: View, lang: Language) -> None:
    """In the Workspace section while a saved analysis is in use: apply one of its named
    filter sets, or save the filters in force as one."""
    opened = opened_in_use()
    if opened is None:
        return
    st.markdown(f"**{t('workspace.app.filter_sets', lang, title=opened.title)}**")
    left_out = st.session_state.pop(LEFT_OUT, ())
    if left_out:
        st.warning(t("workspace.app.left_out", lang, text=describe_filters(left_out)))
    names = list(opened.filters)
    described = {name: describe_filters(opened.filters[name]) for name in names}
    if names:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox(
            t("workspace.app.filter_set", lang),
            names,
            format_func=lambda name: t(
                "workspace.app.set_in_force" if name == FILTERS_IN_FORCE else "workspace.app.set",
                lang,
                name=name,
                text=described[name],
            ),
            key=FILTER_SET,
        )
        right.button(
            t("workspace.app.apply", lang),
            key="workspace.apply",
            on_click=apply_filter_set,
            args=(current, tuple(opened.filters[chosen or names[0]])),
        )
    else:
        st.caption(t("workspace.app.no_filter_sets", lang))
    if not current.filters or workspace().role != "editor":  # a viewer applies, never saves
        return
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    name = left.text_input(t("workspace.app.set_name", lang), key=SET_NAME)
    if right.button(t("workspace.app.save_set", lang), key="workspace.save_set") and name.strip():
        try:
            workspace().save_filters(opened.id, name, current.filters)
        except LogError as error:
            st.error(t("workspace.app.error", lang, error=error.say(lang)))
            return
        open_saved.clear()  # reopened with the new set
        st.session_state[MESSAGE] = t("workspace.app.set_saved", lang, name=name.strip())
        st.rerun()
