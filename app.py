"""Waypoint's web app: settings → service → who is signed in → pages for their role."""
import streamlit as st

from assistant.ui import session
from assistant.ui.common import ROLE_ICON, current_user, escape_md, service

st.set_page_config(page_title="Waypoint", page_icon="🧭", layout="wide")

user = current_user()
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

st.navigation(pages, position="sidebar" if user else "hidden").run()
