"""Page parts for a log that stays where it lives (`discovery.InPlaceLog`, a database's):
its quality, its map levels, and what a page that needs the rows here says of it."""

from __future__ import annotations

import streamlit as st

from discovery import LOCAL_LIMIT, EventLog, InPlaceLog, Language, format_count
from ui.database import bring_connection_here, plain
from ui.i18n import t


def levels(log: EventLog | InPlaceLog) -> list[str]:
    """The map levels a log offers: activities, and departments where it has them (in
    place: a department column; here: a department in it)."""
    departments = log.has("department") if isinstance(log, InPlaceLog) else log.departments
    return ["activity", "department"] if departments else ["activity"]


def backend_name(log: InPlaceLog, lang: Language) -> str:
    """Where the log lives, by the name users know (PostgreSQL, Spark, DuckDB)."""
    return t(f"app.database.backend.{log.place.backend}", lang)


def can_come_here(log: InPlaceLog) -> bool:
    return log.quality.rows_read <= LOCAL_LIMIT


def draw_in_place_notice(log: InPlaceLog, lang: Language) -> None:
    """What a page that runs only here says of a log in place, offering to bring it here
    when it is small enough."""
    rows = format_count(log.quality.rows_read, lang)
    st.info(t("app.database.needs_rows_here", lang, backend=backend_name(log, lang)))
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
