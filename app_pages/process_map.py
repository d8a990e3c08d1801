"""Process map: activities or departments, frequency or waits; simplified, filtered, opened up.
A log in place (a database's) is mapped, simplified and opened up where it lives."""

import pandas as pd
import streamlit as st

from discovery import (
    cases_at_node,
    cases_on_edge,
    describe_filters,
    discover_map,
    format_count,
    map_dot,
    readable_detail,
    simplify_map,
)
from ui.charts import draw_graph
from ui.context import is_in_place, require_view, stop_when_no_case
from ui.filters import VARIANT, draw_filter_panel
from ui.i18n import t
from ui.in_place import backend_name, levels
from ui.state import default, language, translated_choice
from ui.tables import shown

lang = language()
NODE, EDGE, SEPARATOR = "node", "edge", "\x1f"
st.title(t("page.map", lang))
current = require_view(stop_when_empty=False, in_place=True)
in_place = is_in_place(current)
map_levels = levels(current.source)
default("map.level", "activity")
default("map.measure", "frequency")
cells = st.columns([1, 1.4, 2, 2])
level = translated_choice(
    cells[0].radio,
    t("map.level", lang),
    map_levels,
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
if st.session_state.get("map.detail_for") != level:
    whole = current.unfiltered()  # its full map computed once, for this and the map itself
    activities, paths = whole.run(readable_detail, level, full=whole.keyed(discover_map, level))
    st.session_state["map.activities"] = max(1, round(activities * 100))
    st.session_state["map.paths"] = max(1, round(paths * 100))
    st.session_state["map.detail_for"] = level
activities = cells[2].slider(
    t("map.activities", lang), 1, 100, key="map.activities", help=t("map.sliders_help", lang)
)
paths = cells[3].slider(
    t("map.paths", lang), 1, 100, key="map.paths", help=t("map.sliders_help", lang)
)
if len(map_levels) == 1:
    st.caption(t("map.no_departments", lang))
if in_place:  # every figure below is a query where the log lives
    st.info(t("app.database.map_in_place", lang, backend=backend_name(current.source, lang)))

with st.expander(t("filter.title", lang), expanded=bool(current.filters)):
    st.caption(t("filter.help", lang))
    variant = st.session_state.get(VARIANT)
    if variant:
        st.info(t("filter.variant", lang, text=" → ".join(variant)))
        st.button(
            t("filter.remove_variant", lang),
            key="map.remove_variant",
            on_click=lambda: st.session_state.pop(VARIANT, None),
        )
    draw_filter_panel(current, lang)
st.caption(t("filter.active", lang, text=describe_filters(current.filters)))
stop_when_no_case(current)

full = current.keyed(discover_map, level)
process_map = current.run(simplify_map, level, activities / 100, paths / 100, full=full)
dot = map_dot(process_map, measure, lang)
options = [
    "",
    *(f"{NODE}{SEPARATOR}{name}" for name in process_map.nodes["name"].tolist()),
    *(
        f"{EDGE}{SEPARATOR}{a}{SEPARATOR}{b}"
        for a, b in zip(
            process_map.edges["source"].tolist(), process_map.edges["target"].tolist(), strict=True
        )
    ),
]


def option_text(option: str) -> str:
    if not option:
        return t("map.selection.none", lang)
    kind, *names = option.split(SEPARATOR)
    return names[0] if kind == NODE else f"{names[0]} → {names[1]}"


def cases_table(choice: str) -> tuple[int, pd.DataFrame]:
    kind, *names = choice.split(SEPARATOR)
    if kind == NODE:
        cases = current.run(cases_at_node, level, names[0])
        columns = {
            "case_id": "col.case_id",
            "events": "col.events",
            "wait_before_s": "col.wait_before",
        }
        return len(cases), shown(cases, columns, lang, times=("wait_before_s",))
    cases = current.run(cases_on_edge, level, names[0], names[1])
    columns = {"case_id": "col.case_id", "occurrences": "col.times", "wait_s": "col.wait"}
    return len(cases), shown(cases, columns, lang, times=("wait_s",))


svg = draw_graph(st, dot)
st.caption(
    t(
        "map.shown",
        lang,
        nodes=len(process_map.nodes),
        all_nodes=len(full.value.nodes),
        edges=len(process_map.edges),
        all_edges=len(full.value.edges),
    )
    + " "
    + t(f"map.legend_{measure}", lang)
)
left, right = st.columns([2, 3], gap="large")
with left:
    choice = translated_choice(
        st.selectbox,
        t("map.selection", lang),
        options,
        format_func=option_text,
        key="map.selection",
    )
    st.download_button(
        t("map.download_dot", lang),
        dot.encode("utf-8"),
        file_name=f"process_map_{level}.dot",
        key="map.download",
    )
    if svg is not None:  # for reports and audit files: opens in any browser or office suite
        st.download_button(
            t("map.download_svg", lang),
            svg.encode("utf-8"),
            file_name=f"process_map_{level}.svg",
            mime="image/svg+xml",
            key="map.download_svg",
        )
if choice:
    count, table = cases_table(choice)
    what = option_text(choice)
    right.caption(
        t(
            "map.selection.cases",
            lang,
            cases=f"{format_count(count, lang)} {t('col.cases', lang)}",
            what=what,
        )
    )
    right.dataframe(table, hide_index=True, key="map.selection_cases", height=320)
