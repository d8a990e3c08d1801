"""Overview: the headline figures of the log and what stands out, in plain language. A log
in place (a database's) is counted and analysed where it lives."""

import streamlit as st

from discovery import (
    analyse_handoffs,
    analyse_throughput,
    describe_filters,
    discover_map,
    discover_variants,
    find_bottlenecks,
    format_count,
    format_duration,
    format_share,
    key_findings,
    summarize,
    throughput_trend_figure,
    words,
)
from ui.context import intended_journey, is_in_place, require_view
from ui.i18n import t
from ui.reports import draw_report_download
from ui.state import language

lang = language()
st.title(t("page.overview", lang))
current = require_view(in_place=True)
in_place = is_in_place(current)
summary = current.run(summarize)
handoffs = current.run(analyse_handoffs)
throughput = current.run(analyse_throughput)
st.caption(
    t(
        "overview.caption",
        lang,
        source=summary.source,
        filters=describe_filters(current.filters),
    )
)

first, last = (
    moment.tz_convert(current.log.timezone) for moment in (summary.first_event, summary.last_event)
)
cells = [*st.columns(3), *st.columns(3)]
cells[0].metric(t("metric.cases", lang), format_count(summary.cases, lang))
cells[1].metric(t("metric.events", lang), format_count(summary.events, lang))
cells[2].metric(
    t("metric.period", lang),
    f"{words.format_month(first, lang)} – {words.format_month(last, lang)}",
    help=(
        f"{words.format_datetime(first, lang)} – {words.format_datetime(last, lang)} "
        f"({current.log.timezone})"
    ),
)
cells[3].metric(t("metric.throughput", lang), format_duration(throughput.median_s, lang))
mean_handoffs = handoffs.mean_per_case("handoffs")
cells[4].metric(t("metric.handoffs", lang), words.format_number(mean_handoffs, lang))
journey = intended_journey(current)
conformance = current.conformance(journey) if journey is not None else None
if conformance is None:
    cells[5].metric(
        t("metric.conformance", lang), "—", help=t("overview.conformance_missing", lang)
    )
else:
    cells[5].metric(
        t("metric.conformance", lang),
        format_share(conformance.conformance_rate, lang),
        help=t("overview.conformance_help", lang, name=journey.journey.name),
    )

st.subheader(t("overview.findings", lang))
activity_map = current.keyed(discover_map, "activity")
found = key_findings(
    current.run(find_bottlenecks, activity_map),
    handoffs,
    current.run(discover_variants),
    conformance,
    departments=bool(summary.departments),
)
findings = [words.say(finding, lang) for finding in found]
if not in_place and current.source.quality.findings:
    findings.append(t("overview.quality", lang, count=len(current.source.quality.findings)))
st.markdown("\n".join(f"- {finding}" for finding in findings))
draw_report_download(current)  # in place: made where the log lives, its source masked

trend = throughput.trend
if len(trend) > 1:
    st.subheader(t("overview.trend", lang))
    st.plotly_chart(throughput_trend_figure(throughput, lang), key="overview.trend")
