"""Mentee: the goals they have saved."""
import streamlit as st

from assistant.ui.common import require_user

svc, user = require_user()
st.title("🎯 My goals")
goals = svc.goals(user)
if not goals:
    st.info("No goals yet. Draft one with the Goal coach.")
for goal in goals:
    with st.container(border=True):
        st.markdown(f"**{goal.title}**  ·  due {goal.deadline:%d %b %Y}  ·  {goal.status}")
        st.progress(goal.progress / 100, text=f"{goal.progress}% done")
        with st.expander("Details"):
            st.markdown(goal.as_markdown())
