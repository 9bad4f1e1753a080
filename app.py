"""Waypoint's web app: settings → service → who is this → pages for their role."""
import streamlit as st

from assistant.ui.common import ROLE_ICON, current_user

st.set_page_config(page_title="Waypoint", page_icon="🧭", layout="wide")

user = current_user()
if user is None:
    pages = [st.Page("assistant/ui/welcome.py", title="Welcome", icon="👋", default=True)]
elif user.role == "mentee":
    pages = [st.Page("assistant/ui/chat.py", title="Goal coach", icon="💬", default=True),
             st.Page("assistant/ui/my_goals.py", title="My goals", icon="🎯")]
elif user.role == "mentor":
    pages = [st.Page("assistant/ui/mentees.py", title="My mentees", icon="🧭", default=True)]
else:
    pages = [st.Page("assistant/ui/welcome.py", title="Program", icon="🗂️", default=True)]

with st.sidebar:
    st.markdown("### 🧭 Waypoint")
    if user is not None:
        st.caption(f"{ROLE_ICON[user.role]} {user.display_name or user.name} · {user.role}")
        if st.button("Switch user", key="logout"):
            st.session_state.pop("user", None)
            st.rerun()

st.navigation(pages).run()
