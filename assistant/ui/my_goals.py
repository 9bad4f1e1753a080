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
        goal_header(goal, svc.deps.today())
        # Keyed: each stays open (or shut) across the reruns its own buttons cause, and never
        # passes to another goal's section when a notice above the list comes or goes.
        with st.expander("Details", key=f"details-open-{goal.id}", on_change="rerun"):
            st.markdown(goal_markdown(goal, svc.deps.today()))
        with st.expander("Milestones", key=f"ms-open-{goal.id}", on_change="rerun"):
            milestones(svc, user, goal)
        with st.expander("Edit", key=f"edit-open-{goal.id}", on_change="rerun"):
            edit_form(svc, user, goal)
