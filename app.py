"""Journey Discovery: the Streamlit app. Layout only; everything computed comes from `discovery`."""

import streamlit as st

st.set_page_config(page_title="Journey Discovery", page_icon="🧭", layout="wide")
page = st.navigation([st.Page("app_pages/log_quality.py", title="Log and quality", icon="📄")])
page.run()
