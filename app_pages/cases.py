"""Case explorer, the auditor's tracer: one case's trail across departments, with its waits."""

import streamlit as st

from discovery import (
    case_timeline_figure,
    find_cases,
    format_duration,
    mark_deviations,
    sample_cases,
    trace_case,
)
from ui.context import intended_journey, is_in_place, require_view
from ui.filters import panel_choices
from ui.i18n import t
from ui.reports import draw_tracer_downloads
from ui.state import default, forget_choice, language, translated_choice
from ui.tables import deviations_named, moments, shown

lang = language()
SEED = "cases.seed"
CASE = "cases.case"
SAMPLED_VARIANTS = 50  # the sample offers cases of the most frequent variants only
st.title(t("page.cases", lang))
st.write(t("cases.intro", lang))
current = require_view(in_place=True)
in_place = is_in_place(current)  # the sample, the search and the trail are queries there

left, right = st.columns([2, 3])
text = left.text_input(
    t("cases.search", lang),
    key="cases.search",
    on_change=lambda: forget_choice(CASE),  # a new search shows its best match
).strip()
right.markdown(f"**{t('cases.sample', lang, count=SAMPLED_VARIANTS)}**")
default("cases.per_variant", 2)
default(SEED, 0)
per_variant = right.number_input(
    t("cases.per_variant", lang), min_value=1, max_value=20, step=1, key="cases.per_variant"
)


def draw_new_sample() -> None:
    st.session_state[SEED] += 1
    forget_choice(CASE)


right.button(t("cases.draw", lang), key="cases.draw", on_click=draw_new_sample)
labels: dict[str, str] = {}
if text:
    found = current.run(find_cases, text)
    if not found:
        left.warning(t("cases.not_found", lang, text=text))
    labels = {case_id: case_id for case_id in found}
if not labels:
    sample = current.run(sample_cases, int(per_variant), st.session_state[SEED])
    sample = sample[sample["variant"] <= SAMPLED_VARIANTS]
    variant_word = t("col.variant", lang)
    labels = {
        row.case_id: f"{row.case_id} ({variant_word} {row.variant}, "
        f"{format_duration(row.throughput_s, lang)})"
        for row in sample.itertuples()
    }
case_id = translated_choice(
    st.selectbox, t("cases.case", lang), list(labels), format_func=labels.get, key=CASE
)
if case_id is None:
    st.stop()
journey = intended_journey(current)
conformance = current.conformance(journey) if journey is not None else None
deviations = conformance.case_deviations(case_id) if conformance is not None else None
attributes = panel_choices(current).case_attributes if in_place else None
trail = current.run(trace_case, case_id, attributes)
if deviations is not None:
    trail = mark_deviations(trail, deviations)  # marked on the timeline's steps

cells = st.columns(5)
cells[0].metric(t("cases.steps", lang), trail.n_events)
cells[1].metric(t("cases.throughput", lang), format_duration(trail.throughput_s, lang))
cells[2].metric(t("cases.waiting", lang), format_duration(trail.waiting_s, lang))
cells[3].metric(t("cases.handoffs", lang), trail.handoffs)
cells[4].metric(t("cases.rework", lang), trail.rework_events)
if trail.departments:
    st.caption(t("cases.route", lang, route=" → ".join(trail.departments)))
if trail.attributes:
    st.caption(
        t(
            "cases.attributes",
            lang,
            attributes=", ".join(f"{name} = {value}" for name, value in trail.attributes),
        )
    )
st.plotly_chart(case_timeline_figure(trail, lang), key="cases.timeline")
draw_tracer_downloads(current, case_id)  # in place: only the case's events come here
if conformance is None or deviations is None:
    st.caption(t("cases.deviations_later", lang))
elif deviations.empty:
    st.success(t("cases.conforming", lang))
else:
    st.subheader(t("cases.deviations", lang))
    named = deviations_named(deviations, conformance, lang)
    columns = {"kind": "col.kind", "step": "col.step", "department": "col.department"}
    st.dataframe(
        shown(named, columns | {"occurrences": "col.times"}, lang),
        hide_index=True,
        key="cases.deviations",
    )

st.subheader(t("cases.trail", lang))
events = trail.events.assign(
    begin=moments(trail.events["begin"], trail.timezone, lang),
    end=moments(trail.events["end"], trail.timezone, lang),
    handoff=trail.events["handoff"].map({True: t("yes", lang), False: ""}),
    rework=trail.events["rework"].map({True: t("yes", lang), False: ""}),
)
columns = {
    "step": "col.step",
    "activity": "col.activity",
    "department": "col.department",
    "resource": "col.resource",
}
columns |= {
    "begin": "col.begin",
    "end": "col.end",
    "service_s": "col.service",
    "wait_before_s": "col.wait_before",
}
columns |= {"handoff": "col.handoff", "rework": "col.rework"}
columns = {column: key for column, key in columns.items() if events[column].notna().any()}
st.dataframe(
    shown(events, columns, lang, times=("service_s", "wait_before_s")),
    hide_index=True,
    key="cases.trail",
)
