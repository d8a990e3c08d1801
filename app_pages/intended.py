"""Intended vs discovered: the designed journey over the real one, deviations ranked by cases
and time cost, and the cases behind each."""

import time

import streamlit as st

from discovery import (
    LogError,
    compare_journey,
    conformance_trend_figure,
    discover_map,
    discover_variants,
    format_count,
    format_share,
    journey_dot,
    map_dot,
    overlay_dot,
    words,
)
from ui.charts import draw_graph
from ui.context import require_view
from ui.i18n import t
from ui.journey import SAVED, SOURCE, UPLOAD, VARIANT, current_journey, default_source
from ui.state import default, file_digest, forget_choice, language, translated_choice
from ui.tables import deviations_named, shown

CASES_SHOWN = 1_000  # a deviation's cases listed, longest throughput first
lang = language()
st.title(t("page.intended", lang))
st.write(t("intended.intro", lang))
current = require_view(in_place=True)  # in place: conformance once per variant, there
variants = current.unfiltered().run(discover_variants).variants
sequences = list(variants["activities"])

sources = ["upload", "variant"]
if default_source(current.log_key) == "sample":
    sources.insert(0, "sample")
if SAVED in st.session_state:  # saved with the saved analysis in use
    sources.insert(0, "saved")
default(SOURCE, sources[0])
source = translated_choice(
    st.radio,
    t("intended.source", lang),
    sources,
    format_func=lambda name: t(f"intended.source.{name}", lang),
    key=SOURCE,
    horizontal=True,
)
messages = st.container()
if source == "upload":
    file = st.file_uploader(
        t("intended.file", lang),
        type=["csv", "xlsx", "yaml", "yml", "bpmn", "xml"],
        key="intended.file",
        help=t("intended.file_help", lang),
    )
    st.caption(t("intended.file_help", lang))
    if file is not None:
        data = file.getvalue()
        st.session_state[UPLOAD] = (file.name, data, file_digest(file.file_id, data))
elif source == "variant":
    default(VARIANT, 1)
    translated_choice(
        st.selectbox,
        t("intended.variant", lang),
        list(variants["variant"]),
        format_func=lambda n: (
            f"{n}: {words.say('finding.cases', lang, count=int(variants['cases'].iloc[n - 1]))}"
            f" — {' → '.join(sequences[n - 1])}"
        ),
        key=VARIANT,
    )

try:
    journey = current_journey(current.log_key, current.source, sequences)
except LogError as error:
    messages.error(t("intended.error", lang, error=error.say(lang)))
    st.stop()
if journey is None:
    st.info(t("intended.none", lang))
    st.stop()

bar, started = st.empty(), time.monotonic()


def aligned(done: int, total: int) -> None:
    """A progress bar once aligning takes over a second (a cached result never calls this)."""
    if done < total and time.monotonic() - started > 1:
        text = t(
            "intended.aligning",
            lang,
            done=format_count(done, lang),
            total=format_count(total, lang),
        )
        bar.progress(done / total, text=text)


conformance = current.conformance(journey, progress=aligned)
bar.empty()
try:
    comparison = current.run(compare_journey, journey)
except ValueError:  # a flow too parallel to list its orders: no overlay, the rest stands
    comparison = None
st.caption(t("intended.in_use", lang, name=journey.journey.name, steps=len(journey.journey.steps)))
cells = st.columns(3)
cells[0].metric(t("metric.conformance", lang), format_share(conformance.conformance_rate, lang))
cells[1].metric(
    t("intended.conforming", lang),
    f"{format_count(conformance.conforming_cases, lang)} / "
    f"{format_count(conformance.n_cases, lang)}",
)
cells[2].metric(
    t("intended.fitness", lang),
    words.format_number(conformance.fitness, lang, 2),
    help=t("intended.fitness_help", lang),
)
if conformance.approximate_cases:
    low, high = conformance.fitness_bounds or (conformance.fitness, conformance.fitness)
    st.warning(
        t(
            "intended.approximate",
            lang,
            cases=format_count(conformance.approximate_cases, lang),
            variants=format_count(conformance.approximate_variants, lang),
            low=words.format_number(low, lang, 3),
            high=words.format_number(high, lang, 3),
        )
    )
st.markdown("\n".join(f"- {words.say(found, lang)}" for found in conformance.messages(top=5)))

default("intended.view", "overlay")
view = translated_choice(
    st.radio,
    t("intended.view", lang),
    ["overlay", "side"],
    format_func=lambda name: t(f"intended.view.{name}", lang),
    key="intended.view",
    horizontal=True,
)
if view == "overlay" and comparison is not None:
    st.caption(t("intended.legend", lang))
    draw_graph(st, overlay_dot(comparison, lang))
else:
    if comparison is None:
        st.info(t("intended.no_overlay", lang))
    designed, discovered = st.columns(2)
    designed.subheader(t("intended.designed", lang))
    draw_graph(designed, journey_dot(journey.journey, lang))
    discovered.subheader(t("intended.discovered", lang))
    draw_graph(discovered, map_dot(current.run(discover_map, "activity"), "frequency", lang))

over_time, by_department = st.tabs(
    [t("intended.over_time", lang), t("intended.by_department", lang)]
)
months = conformance.over_time()
if len(months) > 1:
    over_time.plotly_chart(conformance_trend_figure(conformance, lang), key="intended.over_time")
else:
    over_time.caption(t("intended.one_month", lang))
by_department.dataframe(
    shown(
        conformance.by_department(),
        {
            "department": "col.department",
            "deviations": "intended.deviations_count",
            "cases": "col.cases",
            "share": "col.share",
        },
        lang,
        parts=("share",),
    ),
    hide_index=True,
    key="intended.by_department",
)

st.header(t("intended.deviations", lang))
default("intended.rank", "cases")
rank = translated_choice(
    st.radio,
    t("intended.rank", lang),
    ["cases", "time"],
    format_func=lambda name: t(f"intended.rank.{name}", lang),
    key="intended.rank",
    horizontal=True,
)
ranking = conformance.ranking(rank)
if ranking.empty:
    st.success(t("cases.conforming", lang))
    st.stop()
named = deviations_named(ranking, conformance, lang)
st.dataframe(
    shown(
        named,
        {
            "kind": "col.kind",
            "step": "col.step",
            "cases": "col.cases",
            "share": "col.share",
            "time_cost_s": "col.time_cost",
        },
        lang,
        times=("time_cost_s",),
        parts=("share",),
    ),
    hide_index=True,
    key="intended.ranking",
    height=320,
)

row = translated_choice(
    st.selectbox,
    t("intended.deviation", lang),
    range(len(ranking)),
    format_func=lambda index: f"{named['kind'].iloc[index]}: {named['step'].iloc[index]}",
    key="intended.deviation",
)
kind, step = ranking["kind"].iloc[row], ranking["step"].iloc[row]
cases = conformance.cases_with(kind, step, top=CASES_SHOWN)  # the longest: a log in place has many
st.caption(
    t(
        "intended.deviation_cases",
        lang,
        cases=words.say("finding.cases", lang, count=int(ranking["cases"].iloc[row])),
    )
)
st.dataframe(
    shown(
        cases,
        {
            "case_id": "col.case_id",
            "occurrences": "col.times",
            "throughput_s": "col.case_throughput",
        },
        lang,
        times=("throughput_s",),
    ),
    hide_index=True,
    key="intended.deviation_cases",
    height=300,
)
left, right = st.columns([3, 1], vertical_alignment="bottom")
case_id = left.selectbox(t("intended.open_case", lang), list(cases["case_id"]), key="intended.case")
if right.button(t("intended.open", lang), key="intended.open") and case_id is not None:
    st.session_state["cases.search"] = case_id
    forget_choice("cases.case")
    st.switch_page("app_pages/cases.py")
