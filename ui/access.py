"""Who may use the app: anyone on this machine; from the network, only with the password.

The app listens on this machine alone by default (`.streamlit/config.toml`). Serving it to
a team is a choice (`python3 dev.py app --serve`, or `server.address` in the config), and
an app served to the network asks for the password in `JOURNEY_PASSWORD` before it shows
anything: it opens patients' and customers' journeys.
"""

from __future__ import annotations

import hmac
import os
import time

import streamlit as st

from ui.i18n import Language, t

PASSWORD_VARIABLE = "JOURNEY_PASSWORD"
LOCAL_ADDRESSES = frozenset({"127.0.0.1", "localhost", "::1"})
WRONG_PASSWORD_DELAY_S = 1.0  # slows guessing down
_LET_IN = "access.let_in"


def served() -> bool:
    """Whether the app listens beyond this machine (with no address set, Streamlit listens
    on every network interface)."""
    return (st.get_option("server.address") or "") not in LOCAL_ADDRESSES


def require_password(language: Language) -> None:
    """Stop the page here until this session has given the password, when the app is
    served to the network; refuse to show anything when no password is set."""
    if not served() or st.session_state.get(_LET_IN):
        return
    expected = os.environ.get(PASSWORD_VARIABLE, "")
    if not expected:
        st.error(t("access.no_password", language, variable=PASSWORD_VARIABLE))
        st.stop()
    st.subheader(t("access.intro", language))
    with st.form("access.form"):
        given = st.text_input(t("access.password", language), type="password")
        sent = st.form_submit_button(t("access.enter", language))
    if sent and hmac.compare_digest(given.encode(), expected.encode()):
        st.session_state[_LET_IN] = True
        st.rerun()
    if sent:
        time.sleep(WRONG_PASSWORD_DELAY_S)
        st.error(t("access.wrong", language))
    st.stop()
