"""Choose who you are (real login replaces this later)."""
import streamlit as st

from assistant.service import SYSTEM
from assistant.ui.common import ROLE_ICON, current_user, service

svc = service()
st.title("🧭 Waypoint")
st.write("Turn mentoring wishes into SMART goals, prepare meetings, and keep the program's guidelines at hand.")
if current_user() is not None:
    st.info("You're signed in. Use the menu on the left.")
    st.stop()

users = [u for u in svc.users(SYSTEM) if u.active]
if users:
    names = [u.name for u in users]
    labels = {u.name: f"{ROLE_ICON[u.role]} {u.display_name or u.name} ({u.role})" for u in users}
    choice = st.selectbox("Who are you?", names, format_func=labels.get, index=None, key="who")
    if st.button("Continue", type="primary", disabled=choice is None, key="continue"):
        st.session_state["user"] = choice
        st.rerun()
else:
    st.info("Nobody has joined yet.")

with st.expander("New here? Join as a mentee"):
    new_name = st.text_input("Your name", key="new_name", max_chars=80)
    if st.button("Join", key="join") and new_name.strip():
        try:
            svc.add_user(SYSTEM, new_name.strip(), "mentee")
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.session_state["user"] = new_name.strip()
            st.rerun()
