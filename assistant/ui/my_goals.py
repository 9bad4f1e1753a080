"""Mentee: the goals they have saved."""
import streamlit as st

from assistant.ui.common import escape_md, goal_markdown, require_user

svc, user = require_user()
st.title("🎯 My goals")
goals = svc.goals(user)
if not goals:
    st.info("No goals yet. Draft one with the Goal coach.")
else:  # downloads: a spreadsheet, a document, or data for another tool
    for col, (fmt, label) in zip(st.columns(3), (("csv", "CSV"), ("md", "Markdown"), ("json", "JSON"))):
        export = svc.export(user, "goals", fmt)
        col.download_button(f"⬇️ {label}", data=export.data, file_name=export.filename, mime=export.mime,
                            key=f"goals-{fmt}", on_click="ignore")
for goal in goals:
    with st.container(border=True):
        st.markdown(f"**{escape_md(goal.title)}**  ·  due {goal.deadline:%d %b %Y}  ·  {goal.status}")
        st.progress(goal.progress / 100, text=f"{goal.progress}% done")
        with st.expander("Details"):
            st.markdown(goal_markdown(goal))
