"""Journey Discovery: the Streamlit app. Layout only; everything computed comes from `discovery`."""

import streamlit as st

from ui.access import require_password
from ui.context import draw_log_status
from ui.database import plain, said_error
from ui.i18n import LANGUAGES, t
from ui.loading import sample_files
from ui.memory import watch_memory
from ui.pseudonyms import draw_switch
from ui.state import (
    LANGUAGE,
    SAMPLE,
    SOURCE,
    default,
    keep_widget_values,
    language,
    notice_lost_upload,
    remember_upload_in_url,
    translated_choice,
)

st.set_page_config(page_title="Journey Discovery", page_icon="🧭", layout="wide")
watch_memory()
keep_widget_values()
lost_upload = notice_lost_upload()
default(LANGUAGE, "en")
require_password(language())  # served to the network: nothing shows before the password

with st.sidebar:
    lang = language()
    st.radio(
        t("app.language", lang),
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key=LANGUAGE,
        horizontal=True,
    )
    default(SOURCE, "sample")
    translated_choice(
        st.radio,
        t("app.source", lang),
        ["sample", "upload", "database", "saved"],
        format_func=lambda source: t(f"app.source.{source}", lang),
        key=SOURCE,
    )
    if st.session_state[SOURCE] == "sample":
        st.selectbox(t("app.sample", lang), sample_files(), key=SAMPLE)
    draw_switch(lang)
    try:
        draw_log_status()
    except Exception as error:  # opening or filtering a log failed unforeseen: say so plainly
        st.error(t("app.unexpected", lang, error=plain(said_error(error))))
    remember_upload_in_url()

# (file in app_pages/, title key and url path, Material icon); the first opens by default
PAGES = [
    ("upload.py", "upload", "upload_file"),
    ("overview.py", "overview", "dashboard"),
    ("process_map.py", "map", "account_tree"),
    ("handoffs.py", "handoffs", "swap_horiz"),
    ("variants.py", "variants", "alt_route"),
    ("cases.py", "cases", "person_search"),
    ("intended.py", "intended", "compare_arrows"),
    ("journey.py", "journey", "route"),
    ("compare.py", "compare", "difference"),
    ("monitor.py", "monitor", "monitoring"),
]
pages = [
    st.Page(
        f"app_pages/{file}",
        title=t(f"page.{name}", lang),
        icon=f":material/{icon}:",
        url_path=name,
        default=number == 0,
    )
    for number, (file, name, icon) in enumerate(PAGES)
]
page = st.navigation(pages)
if lost_upload:
    st.warning(t("app.upload_lost", lang), icon=":material/warning:")
elif st.session_state[SOURCE] == "sample":
    st.info(t("app.sample_in_use", lang, name=st.session_state[SAMPLE]), icon=":material/info:")
try:
    page.run()
except Exception as error:  # an analysis failing in a way we did not foresee: say so plainly,
    st.error(t("app.unexpected", lang, error=plain(said_error(error))))  # no password in it
