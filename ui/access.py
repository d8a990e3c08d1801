"""Who may use the app: anyone on this machine; from the network, only with the password.

The app listens on this machine alone by default (`.streamlit/config.toml`). Serving it to
a team is a choice (`python3 dev.py app --serve`, or `server.address` in the config), and
an app served to the network asks for the password in `JOURNEY_PASSWORD` before it shows
anything: it opens patients' and customers' journeys.

A workspace may have passwords of its own (`journey workspace passwd`): the Workspace
section asks for one before it lists anything, and the session keeps the unlocked
workspace (its role: editor or viewer, never the password) for this session only.
"""

from __future__ import annotations

import hmac
import os
import time

import streamlit as st

from discovery import LogError, Workspace
from ui.i18n import Language, t

PASSWORD_VARIABLE = "JOURNEY_PASSWORD"
LOCAL_ADDRESSES = frozenset({"127.0.0.1", "localhost", "::1"})
WRONG_PASSWORD_DELAY_S = 1.0  # slows guessing down
_LET_IN = "access.let_in"
UNLOCKED = "workspace.unlocked"  # this session's workspace, unlocked by its password
PASSWD_COMMAND = "journey workspace passwd"


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


def session_workspace() -> Workspace:
    """The workspace of this session: the one it unlocked, while that is still the
    workspace in use (`JOURNEY_WORKSPACE`); else the workspace, not unlocked."""
    place = Workspace()
    kept = st.session_state.get(UNLOCKED)
    return kept if isinstance(kept, Workspace) and kept.path == place.path else place


def require_workspace_password(place: Workspace, language: Language) -> str | None:
    """This session's role in the workspace ("editor" where it has no password); while it
    has none, a password form instead, and None. A wrong password waits, and sees nothing."""
    try:
        role = place.role
    except LogError as error:
        st.error(t("workspace.app.error", language, error=error.say(language)))
        return None
    if role is not None:
        if served() and not place.protected:  # anyone let into the app may delete
            st.warning(t("workspace.app.unprotected", language, command=PASSWD_COMMAND))
        return role
    st.info(t("workspace.app.locked", language))
    with st.form("workspace.unlock", clear_on_submit=True):  # the password is not kept
        given = st.text_input(t("workspace.app.password", language), type="password")
        sent = st.form_submit_button(t("workspace.app.unlock", language))
    if not sent:
        return None
    try:
        place.unlock(given)
    except LogError:
        time.sleep(WRONG_PASSWORD_DELAY_S)
        st.error(t("workspace.app.wrong", language))
        return None
    st.session_state[UNLOCKED] = place
    st.rerun()
