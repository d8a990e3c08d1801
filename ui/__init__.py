"""Streamlit helpers: cached calls into the library, shared widgets. Pages import from here."""
