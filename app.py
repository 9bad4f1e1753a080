"""Waypoint's web app: settings → service → who is signed in → pages for their role."""
import streamlit as st

from assistant.ui import session
from assistant.ui.common import CHAT_BOXES, ROLE_ICON, current_user, escape_md, service

st.set_page_config(page_title="Waypoint", page_icon="🧭", layout="wide")


def stop_if_database_gone(exc: Exception) -> None:
    """Re-raise `exc`, unless it says the database went away since the app started (service()
    reports what keeps Waypoint from starting): then one plain line for the visitor, and the
    details (which server, why) for the operator on stderr."""
    import sys

    from assistant.deps import setup_problem
    from assistant.store.db import is_unavailable
    if not is_unavailable(exc):
        raise exc
    print(f"Waypoint: {setup_problem(exc) or exc}", file=sys.stderr, flush=True)
    st.error("Waypoint can't reach its database right now. Reload this page in a moment; "
             "if it persists, tell whoever runs Waypoint.", icon="🚫")
    for key in CHAT_BOXES:  # a message sent just now: shown to copy, and put back in its box
        text = st.session_state.get(key)
        if isinstance(text, str) and text.strip():
            st.session_state[f"{key}-refill"] = text
            st.text_area("Your message was not sent. Here it is, to send again:", text, key=f"{key}-unsent-copy")
    st.stop()


try:
    user = current_user()
except Exception as exc:  # noqa: BLE001 - only a database gone away is handled
    stop_if_database_gone(exc)
account = st.Page("assistant/ui/account.py", title="Account", icon="🔑")
if user is None:
    # The role pages are known (hidden) too, so an old link or a bookmark asks to sign in rather
    # than showing "Page not found"; each page's require_user() sends the visitor to sign in.
    pages = [st.Page("assistant/ui/login.py", title="Sign in", icon="🔑", default=True)] + [
        st.Page(f"assistant/ui/{name}.py") for name in
        ("chat", "my_goals", "prep", "meetings", "mentees", "brief", "program", "people", "knowledge", "account")]
elif service().password_must_change(user):  # a password someone else set: replace it first
    pages = [st.Page("assistant/ui/account.py", title="Choose a password", icon="🔑", default=True,
                     url_path="choose-password")]  # its own path: once done, the role's first page opens
elif user.role == "mentee":
    pages = [st.Page("assistant/ui/chat.py", title="Goal coach", icon="💬", default=True),
             st.Page("assistant/ui/my_goals.py", title="My goals", icon="🎯"),
             st.Page("assistant/ui/prep.py", title="Prepare meeting", icon="🗓️"),
             st.Page("assistant/ui/meetings.py", title="Meetings", icon="📅"), account]
elif user.role == "mentor":
    pages = [st.Page("assistant/ui/mentees.py", title="My mentees", icon="🧭", default=True),
             st.Page("assistant/ui/brief.py", title="Brief", icon="📋"),
             st.Page("assistant/ui/meetings.py", title="Meetings", icon="📅"), account]
else:
    pages = [st.Page("assistant/ui/program.py", title="Program", icon="🗂️", default=True),
             st.Page("assistant/ui/people.py", title="People", icon="👥"),
             st.Page("assistant/ui/knowledge.py", title="Guidelines", icon="📚"), account]

with st.sidebar:
    st.markdown("### 🧭 Waypoint")
    if user is not None:
        st.caption(f"{ROLE_ICON[user.role]} {escape_md(user.display_name or user.name)} · {user.role}")
        if st.button("Sign out", key="logout"):
            session.end(service())
            if session.oidc_signed_in():
                st.logout()  # also end the identity provider's session, or it signs them in again
            st.rerun()
    session.sync_cookie(user is not None)

try:
    st.navigation(pages, position="sidebar" if user else "hidden").run()
except Exception as exc:  # noqa: BLE001 - only a database gone away is handled
    stop_if_database_gone(exc)
