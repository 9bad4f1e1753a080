"""Mentee: the goals they have saved."""
import streamlit as st

from assistant.ui.common import flash, goal_downloads, goal_header, goal_markdown, require_user
from assistant.ui.goal_editor import FLASH, edit_form, milestones

svc, user = require_user("mentee")
st.title("🎯 My goals")
flash(FLASH)
goals = svc.goals(user)
if not goals:
    st.info("No goals yet. Draft one with the Goal coach.")
    st.page_link("assistant/ui/chat.py", label="Open the Goal coach", icon="💬")
else:
    goal_downloads(svc, user, user.name, "Download all your goals:")
for goal in goals:
    with st.container(border=True):
        goal_header(goal)
        with st.expander("Details"):
            st.markdown(goal_markdown(goal))
        with st.expander("Milestones"):
            milestones(svc, user, goal)
        with st.expander("Edit"):
            edit_form(svc, user, goal)
