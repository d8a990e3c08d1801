"""Handoffs and bottlenecks: where cases are passed around, bounce, are redone, and wait."""

import streamlit as st

from discovery import (
    analyse_handoffs,
    cases_on_edge,
    department_waiting_figure,
    discover_map,
    find_bottlenecks,
    handoff_matrix_figure,
    map_dot,
    words,
)
from ui.charts import draw_graph
from ui.context import is_in_place, require_view
from ui.i18n import t
from ui.state import language
from ui.tables import shown

lang = language()
st.title(t("page.handoffs", lang))
st.write(t("handoffs.intro", lang))
current = require_view(in_place=True)
in_place = is_in_place(current)
bottlenecks = current.run(find_bottlenecks, current.keyed(discover_map, "activity"))
report = current.run(analyse_handoffs)

st.header(t("handoffs.bottlenecks", lang))
st.caption(t("handoffs.bottlenecks_help", lang))
ranked = bottlenecks.edges.head(20)
sentences = [words.say(message, lang) for message in bottlenecks.messages(top=len(ranked))]
st.markdown(
    "\n".join(f"{rank}. {sentence}" for rank, sentence in enumerate(sentences[:5], start=1))
)
st.dataframe(
    shown(
        ranked,
        {
            "source": "col.source",
            "target": "col.target",
            "cases": "col.cases",
            "wait_median_s": "col.median_wait",
            "wait_total_s": "col.total_wait",
            "share": "col.share",
        },
        lang,
        times=("wait_median_s", "wait_total_s"),
        parts=("share",),
    ),
    hide_index=True,
    key="handoffs.bottleneck_table",
)
if len(ranked):  # in place, the cases on an edge are a query where the log lives
    choice = st.selectbox(
        t("handoffs.bottleneck", lang),
        range(len(ranked)),
        format_func=lambda row: (
            f"{row + 1}. {ranked['source'].iloc[row]} → {ranked['target'].iloc[row]}"
        ),
        key="handoffs.bottleneck",
    )
    st.write(sentences[choice])
    cases = current.run(
        cases_on_edge, "activity", ranked["source"].iloc[choice], ranked["target"].iloc[choice]
    )
    st.caption(t("handoffs.bottleneck_cases", lang))
    st.dataframe(
        shown(
            cases,
            {"case_id": "col.case_id", "occurrences": "col.times", "wait_s": "col.wait"},
            lang,
            times=("wait_s",),
        ),
        hide_index=True,
        key="handoffs.bottleneck_cases",
    )
st.subheader(t("handoffs.activity_waits", lang))
activity_waits = bottlenecks.activity_messages(top=3)
st.markdown("\n".join(f"- {words.say(message, lang)}" for message in activity_waits))

if not (current.source.has("department") if in_place else current.source.departments):
    st.info(t("handoffs.no_departments", lang))
    st.stop()

st.header(t("handoffs.matrix", lang))
st.plotly_chart(handoff_matrix_figure(report, lang), key="handoffs.matrix")
st.subheader(t("handoffs.graph", lang))
draw_graph(st, map_dot(current.run(discover_map, "department"), "frequency", lang))

left, right = st.columns(2)
left.subheader(t("handoffs.pingpong", lang))
if report.pingpong.empty:
    left.success(t("handoffs.no_pingpong", lang))
else:
    left.dataframe(
        shown(
            report.pingpong,
            {
                "first": "col.first",
                "second": "col.second",
                "occurrences": "col.occurrences",
                "cases": "col.cases",
            },
            lang,
        ),
        hide_index=True,
        key="handoffs.pingpong",
    )
right.subheader(t("handoffs.rework", lang))
if report.rework.empty:
    right.success(t("handoffs.no_rework", lang))
else:
    right.dataframe(
        shown(
            report.rework,
            {"activity": "col.activity", "cases": "col.cases", "repeats": "col.repeats"},
            lang,
        ),
        hide_index=True,
        key="handoffs.rework",
    )

st.subheader(t("handoffs.waiting", lang))
st.caption(t("handoffs.waiting_help", lang))
st.plotly_chart(department_waiting_figure(report, lang), key="handoffs.waiting")
