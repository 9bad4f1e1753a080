"""Mentee: prepare the next meeting in a short chat; the agenda appears beside it once saved."""
import pandas as pd
import streamlit as st

from assistant.coach.prep_models import PrepDraft
from assistant.service import NotFound
from assistant.ui.agenda_view import download_buttons, show_agenda, when
from assistant.ui.common import PREP_CHAT, chat_box, escape_md, flash, recent, require_user, send, show_message

svc, user = require_user("mentee")
st.title("🗓️ Prepare meeting")

try:
    conv = svc.prep_conversation(user)
except NotFound:  # no meeting ahead (the service's message also names a CLI command)
    if svc.mentor_of_mentee(user, user.name) is None:
        st.info("You don't have a mentor yet. Your program coordinator pairs you with one; then you "
                "can book a meeting and prepare it here.")
    else:
        st.info("No meeting is scheduled yet. Book one on the Meetings page, then prepare it here.")
        st.page_link("assistant/ui/meetings.py", label="Book a meeting", icon="📅")
    st.stop()
draft = PrepDraft.model_validate(conv.state)
meeting = svc.meeting(user, draft.meeting_id)
agenda = svc.agenda(user, meeting.id)
st.caption(f"Your meeting with {escape_md(meeting.mentor)}: {when(meeting, svc.deps.settings.tz)}")
chat_col, side = st.columns([3, 2])
LISTS = (("wants", "What you most want from this meeting"), ("wins", "Wins"), ("blockers", "Blockers"),
         ("questions", "Questions for your mentor"), ("prework", "Prework"))


def edit_form() -> None:
    """Reorder (the # column), rename, add or remove items; minutes are re-fitted on save."""
    rows = pd.DataFrame([{"#": n, "topic": i.topic, "minutes": i.minutes, "owner": i.owner,
                          "goal_id": i.goal_id, "kind": i.kind} for n, i in enumerate(agenda.items, 1)])
    edited = st.data_editor(rows, num_rows="dynamic", hide_index=True, key=f"edit-{meeting.id}-{agenda.version}",
                            column_config={"#": st.column_config.NumberColumn(width=36),
                                           "topic": st.column_config.TextColumn(width="large"),
                                           "owner": st.column_config.SelectboxColumn(options=["mentee", "mentor"],
                                                                                     width=75),
                                           "minutes": st.column_config.NumberColumn("min", min_value=1, max_value=240,
                                                                                    width=58),
                                           "goal_id": None, "kind": None})  # hidden: keep the item's links
    st.caption("Change the # to reorder; add a row at the bottom; minutes are re-fitted to the meeting on save.")
    lists = {name: st.text_area(label, "\n".join(getattr(agenda, name)), key=f"edit-{meeting.id}-{agenda.version}-{name}",
                                help="One per line; clear a line to remove it.")
             for name, label in LISTS}
    if st.button("Save as a new version", key="save_agenda"):
        records = edited.sort_values("#", na_position="last").to_dict("records")
        items = [{k: (None if pd.isna(v) else v) for k, v in r.items() if k != "#"} for r in records]
        try:
            saved = svc.edit_agenda(user, meeting.id, items, **{k: v.splitlines() for k, v in lists.items()})
        except ValueError as exc:
            st.error(escape_md(str(exc)))
        else:
            entered = [int(i["minutes"]) if i.get("minutes") else None for i in items if str(i.get("topic") or "").strip()]
            scaled = entered != [it.minutes for it in saved.items]  # a blank box counts as changed too
            st.session_state["prep_flash"] = (
                "Nothing changed, so no new version." if saved.version == agenda.version else
                f"Agenda saved as version {saved.version}." + (
                    f" The time boxes were scaled to fit the {meeting.minutes}-minute meeting." if scaled else ""))
            st.rerun()


with chat_col:
    for m in recent(conv.messages, "prep-all"):
        show_message(m.role, m.text, m.backend if m.role == "assistant" else "", hard_breaks=True)

with side:
    flash("prep_flash")
    st.subheader("Agenda")
    if agenda is None:
        st.info("Your agenda appears here once you say “yes” to the one the coach proposes.")
        st.caption("Skip any question, say “done” to see the agenda early, or “quit” to come back later.")
    else:
        show_agenda(agenda, svc.deps.settings.tz)
        download_buttons(svc, user, meeting, key=f"prep-{meeting.id}")
        if draft.stage == "saved":
            st.caption("Remembered something? Tell the coach (\u201cI'd also like to ask \u2026\u201d): "
                       "it joins this agenda as a new version.")
        # the prep is always for a meeting still ahead; keyed so that it stays open across saves and edits
        with st.expander("✏️ Edit the agenda", key=f"agenda-edit-open-{meeting.id}", on_change="rerun"):
            edit_form()

if prompt := chat_box("Tell the coach how things went…", PREP_CHAT):
    with chat_col:
        reply = send(prompt, lambda text: svc.prep_chat(user, text), PREP_CHAT)
        if reply.fallback_reason:
            st.session_state["prep_flash"] = "The language model gave no usable answer; the offline coach did."
        if reply.agenda:
            st.session_state["prep_flash"] = f"Agenda v{reply.agenda.version} saved: {escape_md(reply.meeting.mentor)} can see it."
    st.rerun()
