"""Mentor: the brief before the next meeting with a mentee."""
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from assistant.ui.agenda_view import download_buttons, show_actions, show_agenda, when
from assistant.ui.common import escape_md, pick_mentee, require_user, safe_markdown

svc, user = require_user("mentor")
st.title("📋 Meeting brief")
mentee = pick_mentee(svc, user, key="brief_mentee")
with st.spinner("Preparing the brief…"):  # the first one may open the guideline library
    brief = svc.brief(user, mentee=mentee)


def excerpt(text: str, limit: int = 700) -> str:
    """The start of a passage, cut at a word and marked as cut."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def progress_chart(trend) -> alt.Chart:
    data = pd.DataFrame([{"when": p.at, "progress": p.progress} for p in trend.history])
    return (alt.Chart(data, height=140).mark_line(point=True)
            # Days on the axis, at most one tick a day (updates on one day don't repeat its label).
            .encode(x=alt.X("when:T", title=None,
                            axis=alt.Axis(format="%d %b", labelAngle=0, tickMinStep=24 * 3600 * 1000)),
                    y=alt.Y("progress:Q", title="% done", scale=alt.Scale(domain=[0, 100])),
                    tooltip=["when:T", "progress:Q"]))


if brief.meeting:
    st.markdown(f"**Next meeting:** {when(brief.meeting, svc.deps.settings.tz)}")
else:
    st.info(f"No meeting with {escape_md(mentee)} is scheduled; book one on the Meetings page.")

main, side = st.columns([3, 2])
with main:
    st.subheader("Agenda")
    if brief.agenda:
        show_agenda(brief.agenda, svc.deps.settings.tz)
        download_buttons(svc, user, brief.meeting, key=f"brief-{brief.meeting.id}")
    elif brief.meeting:
        st.info(f"{escape_md(mentee)} hasn't prepared this meeting yet.")
    else:
        st.caption("The agenda comes with the next meeting, once it is booked and prepared.")
    since = "since the last meeting" if brief.previous else "so far"  # the first meeting has no "last"
    st.subheader("Goals since the last meeting" if brief.previous else "Goals")
    if not brief.goals:
        st.caption(f"{escape_md(mentee)} has no active goals.")
    for trend in brief.goals:
        with st.container(border=True):
            st.markdown(f"**{escape_md(trend.title)}** · due {date.fromisoformat(trend.deadline):%d %b %Y}")
            # No delta for no change: Streamlit draws an arrow for any delta, "↑ +0" included.
            st.metric("Progress", f"{trend.now}%", delta=f"{trend.delta:+d} pts {since}" if trend.delta else None)
            if not trend.delta:
                st.caption(f"No change {since}.")
            if trend.milestones_done:
                st.markdown("Milestones done: " + ", ".join(escape_md(m) for m in trend.milestones_done))
            if trend.note:
                st.text(trend.note)
            st.altair_chart(progress_chart(trend), width="stretch")

with side:
    st.subheader("Questions you could ask")
    st.markdown("\n".join(f"{n}. {escape_md(q)}" for n, q in enumerate(brief.questions, 1)))
    st.subheader("Open action items")
    show_actions(brief.open_actions, svc.deps.today())
    if brief.tip:
        st.subheader("From the guidelines")
        st.markdown(safe_markdown(excerpt(brief.tip.text)))  # the guideline's bold and lists, no links
        st.caption(f"📖 Source: {escape_md(brief.tip_source)}")
    if brief.previous and (brief.previous.notes or brief.previous.mentor_private_notes):
        st.subheader("Notes from last time")
        if brief.previous.notes:
            st.text(brief.previous.notes)
        if brief.previous.mentor_private_notes:
            st.caption("Your private notes")
            st.text(brief.previous.mentor_private_notes)
