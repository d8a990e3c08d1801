"""Page parts for a log that stays where it lives (`discovery.InPlaceLog`, a database's):
its quality, its whole map, and what a page that runs only here says of it."""

from __future__ import annotations

import streamlit as st

from discovery import (
    LOCAL_LIMIT,
    InPlaceLog,
    Language,
    count_cases,
    describe_filters,
    discover_map,
    format_count,
    map_dot,
)
from ui.cache import View
from ui.charts import draw_graph
from ui.database import bring_connection_here, plain
from ui.filters import draw_filter_panel
from ui.i18n import t
from ui.state import translated_choice


def levels(log: InPlaceLog) -> list[str]:
    """The map levels a log in place offers: activities, and departments where it has them."""
    return ["activity", "department"] if log.has("department") else ["activity"]


def backend_name(log: InPlaceLog, lang: Language) -> str:
    """Where the log lives, by the name users know (PostgreSQL, Spark, DuckDB)."""
    return t(f"app.database.backend.{log.place.backend}", lang)


def can_come_here(log: InPlaceLog) -> bool:
    return log.quality.rows_read <= LOCAL_LIMIT


def draw_in_place_notice(log: InPlaceLog, lang: Language) -> None:
    """What a page that runs only here says of a log in place, offering to bring it here
    when it is small enough."""
    rows = format_count(log.quality.rows_read, lang)
    st.info(t("app.database.page_here_only", lang, backend=backend_name(log, lang)))
    if can_come_here(log):
        st.button(
            t("app.database.bring_here", lang, rows=rows),
            on_click=bring_connection_here,
            key="app.database.bring_here",
        )
    else:
        st.caption(
            t("app.database.too_many", lang, rows=rows, limit=format_count(LOCAL_LIMIT, lang))
        )


def draw_in_place_quality(log: InPlaceLog, lang: Language) -> None:
    """The upload page's report on a log in place: where it lives, its rows and roles."""
    quality = log.quality
    st.header(t("upload.current", lang, name=plain(log.source)))
    st.write(t("app.database.in_place", lang, backend=backend_name(log, lang)))
    cells = st.columns(3)
    cells[0].metric(t("quality.read", lang), format_count(quality.rows_read, lang))
    cells[1].metric(t("quality.used", lang), format_count(quality.rows_used, lang))
    cells[2].metric(t("quality.rejected", lang), format_count(quality.rows_rejected, lang))
    reasons = ("missing_case_id", "missing_activity", "missing_timestamp", "unreadable_timestamp")
    for reason in reasons:
        count = getattr(quality, reason)
        if count:
            st.markdown(
                f"- {t(f'app.database.reason.{reason}', lang, count=format_count(count, lang))}"
            )
    st.subheader(t("quality.how_read", lang))
    for role, column in log.mapping.columns.items():
        st.markdown(
            f"- {t('app.database.role', lang, role=t(f'role.{role}', lang), column=column)}"
        )
    if can_come_here(log):
        st.button(
            t("app.database.bring_here", lang, rows=format_count(quality.rows_read, lang)),
            on_click=bring_connection_here,
            key="upload.database.bring_here",
        )


def draw_map_in_place(current: View, lang: Language) -> None:
    """The process map of a log in place, computed where it lives with the filters in force,
    and shown whole (no simplification or case lists: those run here)."""
    log = current.source
    assert isinstance(log, InPlaceLog)
    cells = st.columns([1, 1.4, 4])
    level = translated_choice(
        cells[0].radio,
        t("map.level", lang),
        levels(log),
        format_func=lambda name: t(f"map.level.{name}", lang),
        key="map.level",
    )
    measure = translated_choice(
        cells[1].radio,
        t("map.measure", lang),
        ["frequency", "performance"],
        format_func=lambda name: t(f"map.measure.{name}", lang),
        key="map.measure",
    )
    cells[2].info(t("app.database.map_filtered", lang, backend=backend_name(log, lang)))
    with st.expander(t("filter.title", lang), expanded=bool(current.filters)):
        st.caption(t("filter.help", lang))
        draw_filter_panel(current, lang)
    st.caption(t("filter.active", lang, text=describe_filters(current.filters)))
    if current.filters and current.run(count_cases) == 0:
        st.warning(t("app.empty", lang, text=describe_filters(current.filters)))
        return
    process_map = current.run(discover_map, level)
    dot = map_dot(process_map, measure, lang)
    draw_graph(st, dot)
    nodes, edges = len(process_map.nodes), len(process_map.edges)
    shown = t("map.shown", lang, nodes=nodes, all_nodes=nodes, edges=edges, all_edges=edges)
    st.caption(shown + " " + t(f"map.legend_{measure}", lang))
    st.download_button(
        t("map.download_dot", lang),
        dot.encode("utf-8"),
        file_name=f"process_map_{level}.dot",
        key="map.download",
    )
