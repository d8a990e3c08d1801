"""Customer journey: stages, the journey map, drop-off, channels, emotion, moments of truth,
complaint journeys and segments side by side. Everything shown comes from the library's lens."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from discovery import (
    DEFAULT_TIMEOUT_DAYS,
    JourneyLens,
    LogError,
    Stages,
    analyse_journey,
    compare_segments,
    count_cases,
    discover_map,
    discover_segments,
    emotion_figure,
    format_count,
    format_duration,
    format_share,
    funnel_figure,
    journey_map_figure,
    map_dot,
    readable_detail,
    segment_filter,
    simplify_map,
    stages_from_edits,
    suggest_stages,
    value_label,
    words,
)
from ui.cache import Keyed, View, stages_file
from ui.charts import draw_graph
from ui.context import intended_journey, require_view
from ui.filters import panel_choices
from ui.i18n import t
from ui.reports import STAGES_IN_USE
from ui.saved import SAVED_STAGES, STAGES_SOURCE  # "saved", "suggested" or "file"
from ui.state import default, file_digest, language, translated_choice
from ui.tables import shown

lang = language()
STAGES_UPLOAD = "journey.stages_upload"  # (name, data, digest) of the uploaded stage file
TIMEOUT = "journey.timeout"
MAP_FRAME = "journey_map_frame"  # the container that lets a wide map scroll sideways
REST = ""  # the second segment's option meaning "all other cases"


def decimal(value: float) -> str:
    """A mean as people write it in the language (two decimals); empty when there is none."""
    return "" if pd.isna(value) else words.format_number(value, lang, digits=2)


def joined(names: tuple) -> str:
    return ", ".join(str(name) for name in names)


def uploaded_stages() -> Stages | None:
    """The stage file chosen on this page (kept in the session), or None; says why it
    cannot be used."""
    file = st.file_uploader(
        t("journey.stages_file", lang),
        type=["csv", "xlsx", "yaml", "yml"],
        key="journey.stages_file",
        help=t("journey.stages_file_help", lang),
    )
    if file is not None:
        data = file.getvalue()
        st.session_state[STAGES_UPLOAD] = (file.name, data, file_digest(file.file_id, data))
    upload = st.session_state.get(STAGES_UPLOAD)
    if upload is None:
        st.info(t("journey.stages_file_none", lang))
        return None
    name, data, digest = upload
    try:
        return stages_file(digest, name, _data=data)
    except LogError as error:
        st.error(t("journey.stages_error", lang, error=error.say(lang)))
        return None


def edited_stages(base: Stages, activities: tuple[str, ...]) -> Stages:
    """The stage table as the user edited it (activities without a stage stay unstaged)."""
    table = base.to_table(activities)
    digest = hashlib.sha256(repr(base).encode()).hexdigest()[:12]
    edited = st.data_editor(
        table,
        key=f"journey.stages_table.{digest}",  # a new base starts without the old edits
        disabled=["activity"],
        hide_index=True,
        column_config={
            "activity": st.column_config.TextColumn(t("col.activity", lang)),
            "stage": st.column_config.TextColumn(t("col.stage", lang)),
        },
        height=min(420, 38 + 35 * len(table)),
    )
    try:
        return stages_from_edits(edited, t("journey.stages_edited", lang))
    except LogError as error:
        st.error(t("journey.stages_error", lang, error=error.say(lang)))
        return base


def choose_stages(current: View) -> Stages:
    """The stages in use: saved with the saved analysis in use, suggested (from the intended
    journey or the log) or from a file, as edited in the table."""
    journey = intended_journey(current)
    saved: Stages | None = st.session_state.get(SAVED_STAGES)  # with the saved analysis
    sources = ["suggested", "file"] if saved is None else ["saved", "suggested", "file"]
    default(STAGES_SOURCE, sources[0])
    source = translated_choice(
        st.radio,
        t("journey.stages_source", lang),
        sources,
        format_func=lambda name: t(f"journey.stages_source.{name}", lang),
        key=STAGES_SOURCE,
        horizontal=True,
    )
    if source == "saved" and saved is not None:
        base = saved
        st.caption(t("journey.stages_saved", lang))
    elif source == "file":
        base = uploaded_stages() or current.unfiltered().run(suggest_stages, journey)
    else:
        base = current.unfiltered().run(suggest_stages, journey)
        if journey is not None:
            st.caption(t("journey.suggested_from_journey", lang, name=journey.journey.name))
        else:
            st.caption(t("journey.suggested_from_log", lang))
    with st.expander(t("journey.stages_edit", lang, count=len(base.names))):
        st.caption(t("journey.stages_edit_help", lang))
        stages = edited_stages(base, panel_choices(current).activities)
        st.download_button(
            t("journey.stages_download", lang),
            stages.to_table().to_csv(index=False).encode("utf-8"),
            file_name="stages.csv",
            key="journey.stages_download",
        )
    return stages


def draw_map(lens: JourneyLens) -> None:
    st.header(t("journey.map", lang))
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    default("journey.image_format", "svg")
    image_format = left.radio(
        t("journey.image_format", lang),
        ["svg", "png"],
        format_func=str.upper,
        key="journey.image_format",
        horizontal=True,
    )
    right.caption(t("journey.image_help", lang))
    figure = journey_map_figure(lens, lang)
    width, height = figure.layout.width, figure.layout.height
    # The map keeps the width it was drawn for (columns wide enough for their names); a
    # narrower page scrolls it sideways rather than squeezing the lanes' texts together.
    st.html(
        f"<style>.st-key-{MAP_FRAME} {{overflow-x: auto}} "
        f".st-key-{MAP_FRAME} > div {{min-width: {width}px}}</style>"
    )
    st.container(key=MAP_FRAME).plotly_chart(
        figure,
        key="journey.map",
        config={
            "displayModeBar": True,  # the camera always in sight, not only on hover
            "displaylogo": False,
            "toImageButtonOptions": {
                "format": image_format,
                "filename": "journey-map",
                "width": width,  # the image at the map's own size, whatever the screen
                "height": height,
                "scale": 2 if image_format == "png" else 1,
            },
        },
    )


def draw_stage_table(lens: JourneyLens) -> None:
    st.header(t("journey.by_stage", lang))
    table = lens.stages.assign(
        touchpoints=lens.stages["touchpoints"].map(joined),
        departments=lens.stages["departments"].map(joined),
        channels=lens.stages["channels"].map(joined),
    )
    st.dataframe(
        shown(
            table,
            {
                "stage": "col.stage",
                "cases": "col.cases",
                "share": "col.share",
                "time_median_s": "col.stage_time",
                "wait_median_s": "col.wait_before_stage",
                "touchpoints": "col.touchpoints",
                "departments": "col.departments",
                "channels": "col.channels",
            },
            lang,
            times=("time_median_s", "wait_median_s"),
            parts=("share",),
        ),
        hide_index=True,
        key="journey.stage_table",
    )
    if lens.not_in_log:
        st.warning(t("journey.not_in_log", lang, names=joined(lens.not_in_log)))
    if lens.unstaged:
        st.caption(t("journey.unstaged", lang, names=joined(lens.unstaged)))


def draw_dropoff(lens: JourneyLens) -> None:
    dropoff = lens.dropoff
    st.header(t("journey.dropoff", lang))
    st.caption(
        t(
            "journey.dropoff_help",
            lang,
            goals=joined(dropoff.goals),
            days=format_count(int(dropoff.timeout_days), lang),
        )
    )
    cells = st.columns(3)
    for cell, outcome in zip(cells, ("completed", "open", "abandoned"), strict=True):
        count = dropoff.count(outcome)
        cell.metric(
            t(f"journey.{outcome}", lang),
            f"{format_count(count, lang)} ({format_share(count / max(dropoff.cases, 1), lang)})",
        )
    for worst_step in dropoff.messages(top=1):
        st.write(words.say(worst_step, lang))
    default("journey.funnel_by", "step")
    by = translated_choice(
        st.radio,
        t("journey.funnel_by", lang),
        ["step", "stage"],
        format_func=lambda name: t(f"journey.funnel_by.{name}", lang),
        key="journey.funnel_by",
        horizontal=True,
    )
    rows = dropoff.by_step if by == "step" else dropoff.by_stage
    left, right = st.columns([3, 2], gap="large")
    left.plotly_chart(funnel_figure(dropoff, by, lang), key="journey.funnel")
    right.dataframe(
        shown(
            rows[rows["abandoned"] > 0],
            {
                by: f"col.{by}",
                "reached": "col.reached",
                "abandoned": "journey.abandoned",
                "drop_rate": "col.drop_rate",
                "wait_before_median_s": "col.wait_before_dropping",
            },
            lang,
            times=("wait_before_median_s",),
            parts=("drop_rate",),
        ),
        hide_index=True,
        key="journey.dropoff_table",
    )


def draw_channels(lens: JourneyLens) -> None:
    st.header(t("journey.channels", lang))
    if lens.channels.empty:
        st.caption(t("journey.no_channels", lang))
    else:
        st.metric(t("journey.switches_per_case", lang), decimal(lens.switches_per_case))
        left, right = st.columns(2, gap="large")
        left.caption(t("journey.switches", lang))
        left.dataframe(
            shown(
                lens.channel_switches.head(15),
                {
                    "source": "col.source",
                    "target": "col.target",
                    "occurrences": "col.times",
                    "cases": "col.cases",
                },
                lang,
            ),
            hide_index=True,
            key="journey.switches",
        )
        right.caption(t("journey.touchpoint_channels", lang))
        touchpoints = lens.touchpoints.assign(channels=lens.touchpoints["channels"].map(joined))
        right.dataframe(
            shown(
                touchpoints,
                {
                    "activity": "col.activity",
                    "stage": "col.stage",
                    "cases": "col.cases",
                    "channels": "col.channels",
                },
                lang,
            ),
            hide_index=True,
            key="journey.touchpoints",
        )
    st.subheader(t("journey.external", lang))
    if lens.external.empty:
        st.caption(t("journey.no_external", lang))
    else:
        st.dataframe(
            shown(
                lens.external,
                {
                    "activity": "col.activity",
                    "organisation": "col.organisation",
                    "events": "col.events",
                    "cases": "col.cases",
                },
                lang,
            ),
            hide_index=True,
            key="journey.external",
        )


def draw_emotion(lens: JourneyLens) -> None:
    st.header(t("journey.emotion", lang))
    if not lens.emotion.available:
        st.caption(t("journey.no_emotion", lang))
        return
    st.caption(t(f"journey.emotion_help.{lens.emotion.scale}", lang))
    st.plotly_chart(emotion_figure(lens.emotion, lang), key="journey.emotion")


def draw_moments(lens: JourneyLens) -> None:
    st.header(t("journey.moments", lang))
    st.caption(t("journey.moments_help", lang))
    moments = lens.moments.moments["message"]
    if moments.empty:
        st.caption(t("journey.no_moments", lang, tested=len(lens.moments.tested)))
        return
    sentences = (words.say(moment, lang) for moment in moments)
    st.markdown("\n".join(f"{n}. {s}" for n, s in enumerate(sentences, start=1)))


def draw_complaints(lens: JourneyLens) -> None:
    complaints = lens.complaints
    if complaints is None:
        return
    st.header(t("journey.complaints", lang))
    st.caption(t("journey.complaints_help", lang, activities=joined(complaints.activities)))
    cells = st.columns(3)
    cells[0].metric(
        t("journey.complaint_cases", lang),
        f"{format_count(complaints.cases, lang)} ({format_share(complaints.share, lang)})",
    )
    cells[1].metric(
        t("journey.handling", lang), format_duration(complaints.handling_median_s, lang)
    )
    cells[2].metric(t("journey.loops", lang), format_count(complaints.cases_with_loop, lang))
    preceding = complaints.preceding
    if significant := complaints.messages():
        st.markdown("\n".join(f"- {words.say(finding, lang)}" for finding in significant))
    left, right = st.columns(2, gap="large")
    left.caption(t("journey.loops_table", lang))
    left.dataframe(
        shown(
            complaints.loops,
            {"activity": "col.activity", "cases": "col.cases", "repeats": "col.repeats"},
            lang,
        ),
        hide_index=True,
        key="journey.loops",
    )
    right.caption(t("journey.preceding", lang))
    right.dataframe(
        shown(
            preceding.head(10),
            {
                "touchpoint": "col.activity",
                "cases": "col.cases",
                "rate": "col.complaint_rate",
                "other_rate": "col.other_rate",
            },
            lang,
            parts=("rate", "other_rate"),
        ),
        hide_index=True,
        key="journey.preceding",
    )


def draw_segment_maps(current: View, attribute: str, segments: list[str], first: str) -> None:
    st.subheader(t("journey.segment_maps", lang))
    left, middle, right = st.columns([2, 2, 2])
    default("journey.segment_a", first)
    chosen = translated_choice(
        left.selectbox,
        t("journey.segment_a", lang),
        segments,
        format_func=lambda name: value_label(name, lang),
        key="journey.segment_a",
    )
    others = [REST, *(s for s in segments if s != chosen)]
    other = translated_choice(
        middle.selectbox,
        t("journey.segment_b", lang),
        others,
        format_func=lambda name: (
            value_label(name, lang) if name else t("journey.segment_rest", lang)
        ),
        key="journey.segment_b",
    )
    default("journey.segment_measure", "performance")
    measure = translated_choice(
        right.radio,
        t("map.measure", lang),
        ["frequency", "performance"],
        format_func=lambda name: t(f"map.measure.{name}", lang),
        key="journey.segment_measure",
        horizontal=True,
    )
    one = segment_filter(current.log, attribute, chosen)
    two = (
        segment_filter(current.log, attribute, chosen, rest=True)
        if other == REST
        else segment_filter(current.log, attribute, other)
    )
    columns = st.columns(2, gap="large")
    for column, title, narrowing in (
        (columns[0], f"{attribute} = {chosen}", one),
        (columns[1], f"{attribute} = {other}" if other else t("journey.segment_rest", lang), two),
    ):
        part = current.narrowed(narrowing)
        cases = part.run(count_cases)  # in place, counted where the log lives
        if not cases:
            column.info(t("journey.segment_empty", lang))
            continue
        column.markdown(f"**{title}** · {format_count(cases, lang)} {t('col.cases', lang)}")
        activities, paths = part.run(readable_detail, "activity")
        full = part.keyed(discover_map, "activity")
        shown_map = part.run(simplify_map, "activity", activities, paths, full=full)
        draw_graph(column, map_dot(shown_map, measure, lang))
    st.caption(t(f"map.legend_{measure}", lang))


STANDOUT_SHOWN = 5  # differences said in full; the rest in a table below them


def draw_standout(place, current: View, lens: Keyed[JourneyLens]) -> None:
    """The segments that stand out, found over every case attribute: the page's opening."""
    found = current.run(discover_segments, lens=lens)
    place.header(t("journey.standout", lang))
    if not found.tested:
        place.caption(t("journey.standout_untested", lang))
        return
    attributes = joined(found.tested) if len(found.tested) <= 6 else len(found.tested)
    tests = format_count(len(found.tests), lang)
    differences = found.differences
    if differences.empty:
        place.success(t("journey.standout_none", lang, tests=tests, attributes=attributes))
        return
    sentences = [words.say(difference, lang) for difference in differences["message"]]
    place.markdown("\n".join(f"- {sentence}" for sentence in sentences[:STANDOUT_SHOWN]))
    place.caption(t("journey.standout_help", lang, tests=tests, attributes=attributes))
    if len(differences) > STANDOUT_SHOWN:
        more = place.expander(t("journey.standout_more", lang, count=len(differences)))
        table = differences.assign(
            sentence=sentences, p_adjusted=differences["p_adjusted"].map("{:.1e}".format)
        )
        more.dataframe(
            shown(
                table,
                {
                    "attribute": "col.attribute",
                    "segment": "col.segment",
                    "sentence": "col.difference",
                    "p_adjusted": "col.p_adjusted",
                },
                lang,
            ),
            hide_index=True,
            key="journey.standout_table",
        )


def draw_segments(current: View, lens: Keyed[JourneyLens]) -> None:
    st.header(t("journey.segments", lang))
    attributes = list(panel_choices(current).case_attributes)
    if not attributes:
        st.caption(t("journey.no_attributes", lang))
        return
    attribute = translated_choice(
        st.selectbox,
        t("journey.segment_attribute", lang),
        ["", *attributes],
        format_func=lambda name: name or t("journey.segment_choose", lang),
        key="journey.segment_attribute",
        help=t("journey.segments_help", lang),
    )
    if not attribute:
        return
    comparison = current.run(compare_segments, attribute, lens=lens)
    kpis = comparison.kpis.assign(
        score_mean=comparison.kpis["score_mean"].map(decimal),
        handoffs_per_case=comparison.kpis["handoffs_per_case"].map(decimal),
    )
    st.dataframe(
        shown(
            kpis,
            {
                "segment": "col.segment",
                "cases": "col.cases",
                "completed": "journey.completed",
                "open": "journey.open",
                "abandoned": "journey.abandoned",
                "drop_off_rate": "col.drop_rate",
                "throughput_median_s": "col.throughput",
                "score_mean": "col.score",
                "handoffs_per_case": "col.handoffs_per_case",
            },
            lang,
            times=("throughput_median_s",),
            parts=("drop_off_rate",),
        ),
        hide_index=True,
        key="journey.segment_kpis",
    )
    st.subheader(t("journey.differences", lang))
    differences = comparison.differences
    if differences.empty:
        st.success(t("journey.no_differences", lang, tests=len(comparison.tests)))
    else:
        st.caption(
            t("journey.differences_help", lang, shown=len(differences), tests=len(comparison.tests))
        )
        said = (words.say(difference, lang) for difference in differences["message"])
        st.markdown("\n".join(f"- **{s}**" for s in said))
    tabs = st.tabs([t("col.stage_time", lang), t("col.wait_before_stage", lang)])
    for tab, column in zip(tabs, ("time_median_s", "wait_median_s"), strict=True):
        table = comparison.by_stage(column)
        table = table.rename_axis(index=t("col.stage", lang), columns=t("col.segment", lang))
        tab.dataframe(
            table.map(lambda value: "" if pd.isna(value) else format_duration(value, lang)),
            key=f"journey.segment_{column}",
        )
    draw_segment_maps(current, attribute, list(comparison.segments), comparison.leading_segment)


st.title(t("page.journey", lang))
st.write(t("journey.intro", lang))
current = require_view(in_place=True)  # in place: the lens asks the log there
standout = st.container()  # filled once the stages are chosen, shown before them
left, right = st.columns([3, 1])
with left:
    chosen_stages = choose_stages(current)
st.session_state[STAGES_IN_USE] = chosen_stages  # the Overview's report shows them too
timeout = right.number_input(
    t("journey.timeout", lang),
    min_value=1.0,
    value=DEFAULT_TIMEOUT_DAYS,  # given here, not through the session: the browser falls
    # back to a widget's default when it redraws it, and without one that is min_value
    step=1.0,
    format="%.0f",
    key=TIMEOUT,
    help=t("journey.timeout_help", lang),
)
lens = current.keyed(analyse_journey, chosen_stages, timeout_days=float(timeout))
draw_standout(standout, current, lens)
draw_map(lens.value)
draw_stage_table(lens.value)
draw_dropoff(lens.value)
draw_channels(lens.value)
draw_emotion(lens.value)
draw_moments(lens.value)
draw_complaints(lens.value)
draw_segments(current, lens)
