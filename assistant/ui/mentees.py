"""Mentor: the goals of the mentees they are paired with."""
import streamlit as st

from assistant.ui.common import escape_md, goal_markdown, require_user

svc, user = require_user()
st.title("🧭 My mentees")
mentees = svc.mentees(user)
if not mentees:
    st.info("You have no mentees yet. The program coordinator pairs mentors with mentees.")
    st.stop()
mentee = st.selectbox("Mentee", mentees, key="mentee")
goals = svc.goals(user, owner=mentee)
if not goals:
    st.info(f"{escape_md(mentee)} hasn't saved a goal yet.")
for goal in goals:
    with st.container(border=True):
        st.markdown(f"**{escape_md(goal.title)}**  ·  due {goal.deadline:%d %b %Y}  ·  {goal.status}")
        st.progress(goal.progress / 100, text=f"{goal.progress}% done")
        st.markdown(goal_markdown(goal))
