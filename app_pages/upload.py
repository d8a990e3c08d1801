"""Upload and map columns: read a file, check which column plays which role, see its quality."""

import pandas as pd
import streamlit as st

from discovery import ROLES, EventLog, InPlaceLog, LogError, detect_roles, format_count, words
from ui.context import duplicates_text, intended_journey
from ui.database import draw_connect
from ui.i18n import t
from ui.in_place import draw_in_place_quality
from ui.loading import is_workbook, read_upload, upload_sheets
from ui.reports import STAGES_IN_USE
from ui.saved import SAVED_STAGES, draw_filter_sets
from ui.state import (
    SOURCE,
    UPLOAD,
    UPLOAD_ERROR,
    Upload,
    default,
    file_digest,
    forget_replaced_file,
    language,
    translated_choice,
    use_upload,
)
from ui.tables import shown
from ui.workspace import InUse, draw_workspace

ERROR = UPLOAD_ERROR
SIGNATURE = "upload.signature"
ROLE = "upload.role."
PREVIEW_ROWS = 100
lang = language()


def draw_mapping(data: bytes, name: str, digest: str, messages) -> None:
    sheet = None
    try:
        if is_workbook(name):
            sheets = upload_sheets(digest, name, _data=data)
            sheet = (
                translated_choice(
                    st.selectbox,
                    t("upload.sheet", lang),
                    ["", *sheets],
                    format_func=lambda option: option or t("upload.sheet_auto", lang),
                    key="upload.sheet",
                )
                or None
            )
        raw = read_upload(digest, name, sheet, _data=data)
    except LogError as error:
        messages.error(t("upload.error", lang, error=error.say(lang)))
        return
    except Exception as error:  # a file we did not foresee: say so, never a traceback
        messages.error(t("upload.unexpected", lang, error=f"{type(error).__name__}: {error}"))
        return

    st.caption(
        t(
            "upload.preview",
            lang,
            rows=min(PREVIEW_ROWS, raw.rows_read),
            total=format_count(raw.rows_read, lang),
        )
    )
    if raw.sheet:
        st.caption(t("upload.sheet_read", lang, sheet=raw.sheet))
    preview = raw.frame.head(PREVIEW_ROWS)
    st.dataframe(preview, key="upload.preview", height=min(250, 36 * (len(preview) + 1) + 2))

    try:
        detected = dict(detect_roles(raw.frame, known=raw.roles, source=raw.source).columns)
    except LogError as error:
        st.warning(t("upload.not_detected", lang, error=error.message))
        detected = {}
    signature = f"{digest}/{sheet}"
    if st.session_state.get(SIGNATURE) != signature:
        for key in [key for key in st.session_state if str(key).startswith(ROLE)]:
            del st.session_state[key]
        st.session_state[SIGNATURE] = signature
        st.session_state.pop(ERROR, None)
    st.subheader(t("upload.roles", lang))
    st.caption(t("upload.roles_help", lang))
    columns = ["", *raw.frame.columns]
    chosen: dict[str, str] = {}
    cells = st.columns(5)
    for index, role in enumerate(ROLES):
        default(ROLE + role, detected.get(role, ""))
        column = translated_choice(
            cells[index % 5].selectbox,
            t(f"role.{role}", lang),
            columns,
            format_func=lambda option: str(option) if option != "" else t("upload.none", lang),
            key=ROLE + role,
        )
        if column != "":
            chosen[role] = column
    drop = st.checkbox(
        t("upload.drop_duplicates", lang),
        key="upload.drop_duplicates",
        help=t("upload.drop_duplicates_help", lang),
    )
    upload = Upload(data, name, sheet, tuple(chosen.items()), digest, "drop" if drop else "keep")
    st.button(
        t("upload.use", lang),
        type="primary",
        key="upload.use",
        on_click=use_upload,
        args=(upload, lang),
    )
    if ERROR in st.session_state:
        messages.error(st.session_state[ERROR])
    in_use: Upload | None = st.session_state.get(UPLOAD)
    if st.session_state.get(SOURCE) == "upload" and in_use is not None and in_use.key == upload.key:
        st.success(t("upload.in_use", lang, name=name))


def draw_quality(log: EventLog) -> None:
    """What was read, how, and which rows could not be used."""
    quality = log.quality
    st.header(t("upload.current", lang, name=log.source))
    first, last = (moment.tz_convert(log.timezone) for moment in log.period)
    cells = st.columns(4)
    cells[0].metric(t("metric.cases", lang), format_count(log.n_cases, lang))
    cells[1].metric(t("metric.events", lang), format_count(log.n_events, lang))
    cells[2].metric(t("metric.activities", lang), format_count(len(log.activities), lang))
    cells[3].metric(t("metric.departments", lang), format_count(len(log.departments), lang))
    st.write(
        t(
            "quality.period",
            lang,
            first=words.format_date(first, lang),
            last=words.format_date(last, lang),
            zone=log.timezone,
        )
    )

    st.subheader(t("quality.title", lang))
    cells = st.columns(3)
    cells[0].metric(t("quality.read", lang), format_count(quality.rows_read, lang))
    cells[1].metric(t("quality.used", lang), format_count(quality.rows_used, lang))
    cells[2].metric(t("quality.rejected", lang), format_count(quality.rows_rejected, lang))
    st.caption(duplicates_text(quality, lang))
    if quality.rows_rejected:
        rejected = quality.rejected_text(lang)
        columns = {column: f"rejected.col.{column}" for column in rejected.columns}
        rejected = shown(rejected, columns, lang)
        st.dataframe(rejected, hide_index=True, key="upload.rejected")
        st.download_button(
            t("quality.download", lang),
            rejected.to_csv(index=False).encode("utf-8"),
            file_name="rejected_rows.csv",
            mime="text/csv",
            key="upload.rejected_download",
        )

    st.subheader(t("quality.warnings", lang))
    if not quality.findings:
        st.success(t("quality.no_warnings", lang))
    for finding in quality.findings:
        st.warning(words.say(finding.message, lang))

    st.subheader(t("quality.how_read", lang))
    roles = pd.DataFrame(
        [
            (
                t(f"role.{role}", lang),
                column,
                t(f"found.{log.mapping.found_by.get(role, 'given')}", lang),
            )
            for role, column in log.mapping.columns.items()
        ],
        columns=[t("quality.role", lang), t("quality.column", lang), t("quality.found_by", lang)],
    )
    st.dataframe(roles, hide_index=True, key="upload.roles")
    for note in quality.notes:
        st.markdown(f"- {words.say(note, lang)}")
    st.subheader(t("quality.first_events", lang))
    first = log.events.head(PREVIEW_ROWS).drop(columns="position")  # `row` says where from
    headers = {role: t(f"role.{role}", lang) for role in ROLES if role in first.columns}
    first = first.rename(columns={**headers, "row": t("rejected.col.row", lang)})
    st.dataframe(first, hide_index=True, key="upload.first_events")


def draw_upload() -> None:
    """The uploader and the mapping of its file. In a function: the file and its bytes are
    not the page's globals, which Streamlit's last closed session keeps (see ui/memory.py)."""
    file = st.file_uploader(
        t("upload.file", lang),
        type=["csv", "txt", "tsv", "gz", "xlsx", "xlsm", "xes", "parquet"],
        key="upload.file",
        help=t("upload.limit", lang),
    )
    messages = st.container()
    st.caption(t("upload.limit", lang))
    forget_replaced_file("upload.file", None if file is None else file.file_id)
    if file is not None:
        data = file.getvalue()
        draw_mapping(data, file.name, file_digest(file.file_id, data), messages)


st.title(t("page.upload", lang))
st.write(t("upload.intro", lang))
draw_upload()
st.divider()
draw_connect(lang)


def in_use() -> InUse:
    """What is saved with the log in use: asked for only when saving."""
    if current is None:
        return InUse()
    chosen = intended_journey(current)
    stages = st.session_state.get(STAGES_IN_USE) or st.session_state.get(SAVED_STAGES)
    return InUse(None if chosen is None else chosen.journey, stages, current.filters)


def draw_in_use() -> None:
    """The workspace and the quality of the log in use. In a function: the log is not one
    of the page's globals (see `draw_upload`)."""
    log = None if current is None else current.source
    st.divider()
    if isinstance(log, InPlaceLog):  # saved analyses and filter sets are of logs read here
        draw_in_place_quality(log, lang)
        return
    draw_workspace(log, in_use, lang)
    if current is not None:
        draw_filter_sets(current, lang)
    if log is not None:
        st.divider()
        draw_quality(log)


current = st.session_state.get("app.view")
draw_in_use()
