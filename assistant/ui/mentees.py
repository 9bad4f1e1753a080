"""Mentor: the goals of the mentees they are paired with."""
import streamlit as st

from assistant.ui.common import escape_md, goal_downloads, goal_header, goal_markdown, pick_mentee, require_user

svc, user = require_user("mentor")
st.title("🧭 My mentees")
mentee = pick_mentee(svc, user, key="mentee")
goals = svc.goals(user, owner=mentee)
if not goals:
    st.info(f"{escape_md(mentee)} hasn't saved a goal yet.")
else:
    goal_downloads(svc, user, mentee, f"Download {escape_md(mentee)}'s goals:")
for goal in goals:
    with st.container(border=True):
        goal_header(goal, svc.deps.today())
        st.markdown(goal_markdown(goal, svc.deps.today()))
