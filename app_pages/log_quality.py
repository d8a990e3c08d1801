"""The log and its quality: what was read, how, and which rows could not be used."""

import pandas as pd
import streamlit as st

from discovery import LogError, summarize
from ui.loading import open_sample, open_upload, sample_files

st.title("Your log and its quality")

source = st.radio("Log", ["Sample log", "Upload a file"], horizontal=True, key="log_quality.source")
log = None
try:
    if source == "Sample log":
        name = st.selectbox("Sample", sample_files(), key="log_quality.sample")
        log = open_sample(name)
    else:
        upload = st.file_uploader(
            "CSV, Excel (.xlsx), XES or Parquet, up to 1 GB",
            type=["csv", "txt", "tsv", "gz", "xlsx", "xes", "parquet"],
            key="log_quality.upload",
        )
        if upload is not None:
            log = open_upload(upload.getvalue(), upload.name, None, ())
except LogError as error:
    st.error(f"This file cannot be used: {error}")
except Exception as error:  # a file we did not foresee: say so, never a traceback
    st.error(
        f"This file could not be read ({type(error).__name__}: {error}). "
        "Please report it with a description of the file's layout."
    )

if log is not None:
    summary = summarize(log)
    st.caption(f"{summary.source}")
    cols = st.columns(5)
    cols[0].metric("Cases", f"{summary.cases:,}")
    cols[1].metric("Events", f"{summary.events:,}")
    cols[2].metric("Activities", f"{summary.activities:,}")
    cols[3].metric("Departments", f"{summary.departments:,}")
    cols[4].metric("Median case duration", f"{summary.median_case_duration_s / 86400:.1f} days")
    st.write(
        f"Period: {summary.first_event:%d-%m-%Y} – {summary.last_event:%d-%m-%Y} "
        f"(UTC; times without a zone were read as {log.timezone})."
    )

    quality = log.quality
    st.subheader("Every row accounted for")
    cols = st.columns(3)
    cols[0].metric("Rows read", f"{quality.rows_read:,}")
    cols[1].metric("Rows used", f"{quality.rows_used:,}")
    cols[2].metric("Rows rejected", f"{quality.rows_rejected:,}")
    if quality.rows_rejected:
        st.dataframe(quality.rejected, hide_index=True, key="log_quality.rejected")
        st.download_button(
            "Download the rejected rows (CSV)",
            quality.rejected.to_csv(index=False).encode("utf-8"),
            file_name="rejected_rows.csv",
            mime="text/csv",
            key="log_quality.download",
        )

    st.subheader("Warnings")
    if not quality.findings:
        st.success("No warnings.")
    for finding in quality.findings:
        st.warning(finding.message)

    st.subheader("How the file was read")
    roles = pd.DataFrame(
        [
            (role, column, log.mapping.found_by.get(role, "given"))
            for role, column in log.mapping.columns.items()
        ],
        columns=["role", "column", "found by"],
    )
    st.dataframe(roles, hide_index=True, key="log_quality.roles")
    for note in quality.notes:
        st.markdown(f"- {note}")
    st.subheader("First events")
    st.dataframe(log.events.head(200), hide_index=True, key="log_quality.preview")
