"""Monitoring: a process month by month — the saved analyses of one process (its tag, or
their shared title) merged, or the log in use — as charts with the intended journey's norm
lines, and thresholds that mark the months over them."""

import pandas as pd
import streamlit as st

from discovery import (
    LogError,
    Monitor,
    Thresholds,
    format_count,
    format_duration,
    format_number,
    format_share,
    monitor_figure,
    monitor_log,
    monitor_logs,
)
from ui.context import intended_journey, require_view
from ui.i18n import t
from ui.state import default, language, translated_choice
from ui.workspace import open_saved, workspace

CHOICE, RESULT = "monitor.process", "monitor.result"
LIMITS = ("min_conformance", "max_wait_days", "max_handoffs", "max_drop_off")
FIGURES = ("conformance", "wait", "handoffs", "drop_off")
CURRENT = ""  # the choice of the log in use (a process is never named "")

lang = language()
st.title(t("page.monitor", lang))
st.write(t("monitor.app.intro", lang))

place = workspace()
groups: dict[str, list[str]] = {}  # process (tag, else title) → its analyses, latest first
try:
    listed = place.list_analyses()
except LogError as error:  # a workspace whose password this session has not given
    st.info(t("workspace.app.error", lang, error=error.say(lang)))
    listed = ()
for saved in listed:
    groups.setdefault(saved.process or saved.title, []).append(saved.id)
if not groups:
    st.info(t("monitor.app.no_saved", lang))
choices = [CURRENT, *sorted(groups, key=str.casefold)]
if st.session_state.get(CHOICE) not in choices:
    st.session_state.pop(CHOICE, None)
default(CHOICE, choices[1] if len(choices) > 1 else CURRENT)
chosen = translated_choice(  # the shown texts follow the language (the browser keeps them)
    st.selectbox, t("monitor.app.choose", lang), choices, key=CHOICE,
    format_func=lambda name: t("monitor.app.current", lang) if name == CURRENT
    else t("monitor.app.process", lang, name=name, count=len(groups[name])),
)  # fmt: skip


def computed() -> Monitor:
    """The monitor of the choice, kept for the session while the choice stays the same."""
    if chosen == CURRENT:
        current = require_view()
        chosen_journey = intended_journey(current)
        journey = None if chosen_journey is None else chosen_journey.journey
        key = ("current", current.key, "" if chosen_journey is None else chosen_journey.key)
    else:
        ids = groups[chosen]
        key = ("process", str(place.path), *ids)
        journey = None
    kept = st.session_state.get(RESULT)
    if kept is not None and kept[0] == key:
        return kept[1]
    with st.spinner(t("monitor.app.running", lang)):
        if chosen == CURRENT:
            found = monitor_log(current.log, journey=journey)
        else:
            opened = [open_saved(str(place.path), analysis) for analysis in ids]
            journey = next((o.intended for o in opened if o.intended is not None), None)
            stages = next((o.stages for o in opened if o.stages is not None), None)
            logs = [o.log for o in opened]
            found = monitor_logs(logs, journey=journey, stages=stages)
    st.session_state[RESULT] = (key, found)
    return found


try:
    monitor = computed()
except LogError as error:
    st.warning(error.say(lang))
    st.stop()

st.caption(t("monitor.app.sources", lang, sources=", ".join(monitor.sources),
             zone=monitor.timezone))  # fmt: skip
if monitor.overlap_cases:
    st.caption(t("monitor.app.overlap", lang, count=format_count(monitor.overlap_cases, lang)))

with st.form("monitor.thresholds"):
    st.write(t("monitor.app.thresholds", lang))
    columns = st.columns(len(LIMITS))
    for column, name in zip(columns, LIMITS, strict=True):
        column.number_input(
            t(f"monitor.app.{name}", lang), min_value=0.0, value=None, key=f"monitor.{name}"
        )
    st.form_submit_button(t("monitor.app.apply", lang))
given = {name: st.session_state.get(f"monitor.{name}") for name in LIMITS}
for share in ("min_conformance", "max_drop_off"):  # asked in percent
    given[share] = None if given[share] is None else given[share] / 100
thresholds = Thresholds(**given)

for kind in FIGURES:
    if kind == "conformance" and not monitor.has_journey:
        st.info(t("monitor.app.no_journey", lang))
        continue
    st.plotly_chart(monitor_figure(monitor, kind, thresholds, lang), key=f"monitor.chart.{kind}")

breaches = monitor.breaches(thresholds)
st.header(t("monitor.app.breaches", lang))
if breaches.empty:
    st.write(t("monitor.app.no_breaches", lang))
else:

    def shown(figure: str, value: float) -> str:
        if figure == "wait":
            return format_duration(value, lang)
        if figure == "handoffs":
            return format_number(value, lang, 2)
        return format_share(value, lang)

    table = pd.DataFrame(
        {
            t("monitor.app.col.month", lang): breaches["month"],
            t("monitor.app.col.figure", lang): [
                t(f"monitor.figure.{f}", lang) for f in breaches["figure"]
            ],
            t("monitor.app.col.place", lang): breaches["place"].fillna(""),
            t("monitor.app.col.value", lang): [
                shown(f, v) for f, v in zip(breaches["figure"], breaches["value"], strict=True)
            ],
            t("monitor.app.col.limit", lang): [
                shown(f, v) for f, v in zip(breaches["figure"], breaches["limit"], strict=True)
            ],
        }
    )
    st.dataframe(table, hide_index=True, key="monitor.breach_table")
