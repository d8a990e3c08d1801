"""The filter panel: widgets under "map.filter.*" that build the library's filter values.

`active_filters` reads the panel's values from the session, so every page applies the same
filters whether or not the panel is drawn on it; `set_filters` does the reverse (a saved
filter set put back in the panel).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from discovery import (
    CaseAttribute,
    CaseDuration,
    DepartmentsTouched,
    Endpoints,
    EventLog,
    ExactVariant,
    Filter,
    FilterChoices,
    Follows,
    Language,
    TimeWindow,
    VariantSelection,
    attribute_choices,
    filter_choices,
    value_label,
)
from ui.cache import View
from ui.i18n import t
from ui.state import default, translated_choice

PREFIX = "map.filter."
PERIOD = PREFIX + "period"
ATTRIBUTE = PREFIX + "attribute"
VALUES = PREFIX + "values."
TOP_VARIANTS = PREFIX + "top_variants"
STARTS = PREFIX + "starts"
ENDS = PREFIX + "ends"
MIN_DAYS = PREFIX + "min_days"
MAX_DAYS = PREFIX + "max_days"
FOLLOWS_FROM = PREFIX + "follows_from"
FOLLOWS_TO = PREFIX + "follows_to"
FOLLOWS_DIRECTLY = PREFIX + "follows_directly"
DEPARTMENTS = PREFIX + "departments"
VARIANT = PREFIX + "variant"  # set by the variant explorer, not a widget
DAY_S = 86400.0
MAX_VALUES = 500


def _dates(choices: FilterChoices, timezone: str) -> tuple[dt.date, dt.date]:
    first, last = (moment.tz_convert(timezone).date() for moment in choices.period)
    return first, last


def panel_choices(current: View) -> FilterChoices:
    """What the panel offers: from the unfiltered log, computed once (in place, where the
    log lives)."""
    return current.unfiltered().run(filter_choices)


def draw_filter_panel(current: View, language: Language) -> None:
    """The widgets, with options from the unfiltered log of `current`."""
    choices, timezone = panel_choices(current), current.source.timezone
    first, last = _dates(choices, timezone)
    default(PERIOD, (first, last))
    st.date_input(
        t("filter.period", language),
        min_value=first,
        max_value=last,
        key=PERIOD,
        format="DD-MM-YYYY",
    )
    left, right = st.columns(2)
    attributes = ["", *choices.case_attributes]
    attribute = translated_choice(
        left.selectbox,
        t("filter.attribute", language),
        attributes,
        format_func=lambda name: name or t("filter.none", language),
        key=ATTRIBUTE,
    )
    if attribute:
        right.multiselect(
            t("filter.attribute_values", language),
            current.unfiltered().run(attribute_choices, attribute)[:MAX_VALUES],
            format_func=lambda value: value_label(value, language),
            key=VALUES + attribute,
        )
    left, right = st.columns(2)
    left.multiselect(t("filter.starts", language), choices.activities, key=STARTS)
    right.multiselect(t("filter.ends", language), choices.activities, key=ENDS)
    left, middle, right = st.columns(3)
    default(TOP_VARIANTS, 0)
    default(MIN_DAYS, 0.0)
    default(MAX_DAYS, 0.0)
    left.number_input(t("filter.top_variants", language), min_value=0, step=1, key=TOP_VARIANTS)
    middle.number_input(t("filter.min_days", language), min_value=0.0, step=1.0, key=MIN_DAYS)
    right.number_input(t("filter.max_days", language), min_value=0.0, step=1.0, key=MAX_DAYS)
    left, middle, right = st.columns([2, 2, 1])
    activities = ["", *choices.activities]
    translated_choice(
        left.selectbox,
        t("filter.follows_from", language),
        activities,
        format_func=lambda name: name or t("filter.none", language),
        key=FOLLOWS_FROM,
    )
    translated_choice(
        middle.selectbox,
        t("filter.follows_to", language),
        activities,
        format_func=lambda name: name or t("filter.none", language),
        key=FOLLOWS_TO,
    )
    default(FOLLOWS_DIRECTLY, True)
    right.checkbox(t("filter.follows_directly", language), key=FOLLOWS_DIRECTLY)
    if choices.departments:
        st.multiselect(
            t("filter.departments", language),
            choices.departments,
            format_func=lambda value: value_label(value, language),
            key=DEPARTMENTS,
        )


def active_filters(unfiltered: View) -> tuple[Filter, ...]:
    """The filters the panel's values stand for on the log of `unfiltered` (its choices
    asked only when a period is set: in place, they are queries)."""
    state = st.session_state
    filters: list[Filter] = []
    period = state.get(PERIOD)
    timezone = unfiltered.source.timezone
    if (
        period is not None
        and len(period) == 2
        and tuple(period) != _dates(panel_choices(unfiltered), timezone)
    ):
        start = pd.Timestamp(period[0]).tz_localize(timezone).tz_convert("UTC")
        end = (pd.Timestamp(period[1]) + pd.Timedelta(days=1)).tz_localize(timezone)
        filters.append(TimeWindow(start, end.tz_convert("UTC")))
    attribute = state.get(ATTRIBUTE)
    if attribute and state.get(VALUES + attribute):
        filters.append(CaseAttribute(attribute, tuple(state[VALUES + attribute])))
    if state.get(STARTS) or state.get(ENDS):
        filters.append(Endpoints(tuple(state.get(STARTS, ())), tuple(state.get(ENDS, ()))))
    if state.get(TOP_VARIANTS):
        filters.append(VariantSelection(top=int(state[TOP_VARIANTS])))
    low, high = state.get(MIN_DAYS) or 0.0, state.get(MAX_DAYS) or 0.0
    if low or high:
        filters.append(CaseDuration(low * DAY_S, high * DAY_S if high else float("inf")))
    source, target = state.get(FOLLOWS_FROM), state.get(FOLLOWS_TO)
    if source and target:
        filters.append(Follows(source, target, directly=bool(state.get(FOLLOWS_DIRECTLY, True))))
    if state.get(DEPARTMENTS):
        filters.append(DepartmentsTouched(tuple(state[DEPARTMENTS])))
    if state.get(VARIANT):
        filters.append(ExactVariant(tuple(state[VARIANT])))
    return tuple(filters)


def clear_filters() -> None:
    """Every filter back to its start (a callback: runs before the widgets are drawn)."""
    for key in list(st.session_state):
        if isinstance(key, str) and key.startswith(PREFIX):
            del st.session_state[key]


def set_filters(log: EventLog, filters: Sequence[Filter]) -> tuple[Filter, ...]:
    """Set the panel to stand for `filters` (as `active_filters` made them, options from the
    unfiltered `log`); returns those the panel cannot show, which are left out. Runs before
    the panel is drawn (a callback, or the sidebar)."""
    clear_filters()
    state = st.session_state
    left_out: list[Filter] = []
    for chosen in filters:
        if isinstance(chosen, TimeWindow) and chosen.mode == "intersecting":
            first, end = (
                moment.tz_convert(log.timezone).tz_localize(None)
                for moment in (chosen.start, chosen.end)
            )
            state[PERIOD] = (first.date(), (end - pd.Timedelta(days=1)).date())
        elif isinstance(chosen, CaseAttribute) and chosen.keep:
            state[ATTRIBUTE] = chosen.column
            state[VALUES + chosen.column] = list(chosen.values)
        elif isinstance(chosen, Endpoints):
            state[STARTS], state[ENDS] = list(chosen.start), list(chosen.end)
        elif isinstance(chosen, VariantSelection) and chosen.coverage is None and chosen.top:
            state[TOP_VARIANTS] = int(chosen.top)
        elif isinstance(chosen, CaseDuration):
            state[MIN_DAYS] = chosen.minimum_s / DAY_S
            high = chosen.maximum_s
            state[MAX_DAYS] = 0.0 if math.isinf(high) else high / DAY_S
        elif isinstance(chosen, Follows) and chosen.keep:
            state[FOLLOWS_FROM], state[FOLLOWS_TO] = chosen.source, chosen.target
            state[FOLLOWS_DIRECTLY] = chosen.directly
        elif isinstance(chosen, DepartmentsTouched) and chosen.keep and not chosen.require_all:
            state[DEPARTMENTS] = list(chosen.departments)
        elif isinstance(chosen, ExactVariant):
            state[VARIANT] = tuple(chosen.activities)
        else:
            left_out.append(chosen)
    return tuple(left_out)
