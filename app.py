"""Journey Discovery: the Streamlit app. Layout only; everything computed comes from `discovery`."""

import streamlit as st

from ui.context import draw_log_status
from ui.i18n import LANGUAGES, t
from ui.loading import sample_files
from ui.state import (
    LANGUAGE,
    SAMPLE,
    SOURCE,
    default,
    keep_widget_values,
    language,
    translated_choice,
)

st.set_page_config(page_title="Journey Discovery", page_icon="🧭", layout="wide")
keep_widget_values()

with st.sidebar:
    default(LANGUAGE, "en")
    st.radio(
        "Language / Taal", list(LANGUAGES), format_func=LANGUAGES.get, key=LANGUAGE, horizontal=True
    )
    lang = language()
    default(SOURCE, "sample")
    translated_choice(
        st.radio,
        t("app.source", lang),
        ["sample", "upload"],
        format_func=lambda source: t(f"app.source.{source}", lang),
        key=SOURCE,
    )
    if st.session_state[SOURCE] == "sample":
        st.selectbox(t("app.sample", lang), sample_files(), key=SAMPLE)
    draw_log_status()

pages = [
    st.Page(
        "app_pages/upload.py",
        title=t("page.upload", lang),
        icon=":material/upload_file:",
        url_path="upload",
        default=True,
    ),
    st.Page(
        "app_pages/overview.py",
        title=t("page.overview", lang),
        icon=":material/dashboard:",
        url_path="overview",
    ),
    st.Page(
        "app_pages/process_map.py",
        title=t("page.map", lang),
        icon=":material/account_tree:",
        url_path="map",
    ),
    st.Page(
        "app_pages/handoffs.py",
        title=t("page.handoffs", lang),
        icon=":material/swap_horiz:",
        url_path="handoffs",
    ),
    st.Page(
        "app_pages/variants.py",
        title=t("page.variants", lang),
        icon=":material/alt_route:",
        url_path="variants",
    ),
    st.Page(
        "app_pages/cases.py",
        title=t("page.cases", lang),
        icon=":material/person_search:",
        url_path="cases",
    ),
    st.Page(
        "app_pages/intended.py",
        title=t("page.intended", lang),
        icon=":material/compare_arrows:",
        url_path="intended",
    ),
    st.Page(
        "app_pages/journey.py",
        title=t("page.journey", lang),
        icon=":material/route:",
        url_path="journey",
    ),
]
try:
    st.navigation(pages).run()
except Exception as error:  # an analysis failing in a way we did not foresee: say so plainly
    st.error(t("app.unexpected", lang, error=f"{type(error).__name__}: {error}"))
