"""Mentee and mentor: book meetings on a cadence; after one, record notes and action items."""
import streamlit as st

from assistant.clock import from_local, local, show
from assistant.meeting_models import Cadence, Meeting
from assistant.ui.agenda_view import action_line, download_buttons, when
from assistant.ui.common import REFUSED, confirm_button, escape_md, flash, pick_mentee, require_user
from assistant.ui.common import act as common_act

CADENCE_LABELS = {Cadence.biweekly: "Every two weeks", Cadence.weekly: "Weekly", Cadence.monthly: "Monthly"}
ACTION_ROWS = 3
NOTES_STATE = {"scheduled": "no notes yet", "done": "notes saved"}

svc, user = require_user("mentee", "mentor")
tz = svc.deps.settings.tz  # meeting times are shown and entered on the program's clock
st.title("📅 Meetings")
if user.role == "mentor":
    mentee = pick_mentee(svc, user, key="meetings_mentee")
else:
    mentee = user.name
flash("meetings_flash")
coming, held = svc.meetings_by_phase(user, mentee)


def act(action, message: str) -> None:
    common_act(action, message, "meetings_flash")


def schedule_tab() -> None:
    st.subheader("Coming up")
    if not coming:
        st.caption("Nothing booked yet.")
    for m in coming:
        with st.container(border=True):
            st.markdown(f"**{when(m, tz)}** · with {escape_md(m.mentor if user.role == 'mentee' else m.mentee)}")
            prepared = svc.agenda(user, m.id) is not None
            download_buttons(svc, user, m, key=f"meeting-{m.id}", with_agenda=prepared)
            if user.role == "mentee" and not prepared and m is coming[0]:
                st.page_link("assistant/ui/prep.py", label="Prepare this meeting with the coach", icon="🗓️")
            if confirm_button("Cancel this meeting", f"Cancel the meeting on {when(m, tz)}? "
                              "It comes off both your schedules.", key=f"cancel-{m.id}"):
                act(lambda m=m: svc.cancel_meeting(user, m.id), "Meeting cancelled.")
    for m in svc.cancelled_ahead(user, mentee):  # so that a calendar that imported it drops it
        with st.container(border=True):
            st.markdown(f"~~{when(m, tz)}~~ · **cancelled**")
            download_buttons(svc, user, m, key=f"cancelled-{m.id}", with_agenda=False,
                             label="Imported it into your calendar? This file takes it off:")
    st.subheader("Book the next one")
    if svc.mentor_of_mentee(user, mentee) is None:  # only a mentee can be here unpaired
        st.info("You don't have a mentor yet. Your program coordinator pairs you with one; "
                "you can book meetings from then on.")
        return
    cadence = st.selectbox("How often do you meet?", list(CADENCE_LABELS), format_func=CADENCE_LABELS.get,
                           key="cadence")
    proposal = local(svc.next_meeting_date(user, mentee, cadence), tz)
    st.caption(f"Proposed from your cadence: {show(proposal, tz)}")
    stamp = f"{proposal:%Y%m%d%H%M}"  # a new proposal resets the inputs to it
    day = st.date_input("Date", value=proposal.date(), key=f"day-{stamp}", format="DD/MM/YYYY")
    at = st.time_input(f"Time ({tz.key})", value=proposal.time().replace(tzinfo=None), key=f"time-{stamp}")
    minutes = st.number_input("Length (minutes)", min_value=15, max_value=240, value=45, step=5, key="minutes")
    if st.button("Book meeting", type="primary", key="book"):
        try:
            starts = from_local(day, at, tz)
        except ValueError as exc:  # a time the clocks skip
            st.error(str(exc))
        else:
            act(lambda: svc.schedule_meeting(user, mentee, starts, int(minutes)),
                f"Meeting booked for {show(starts, tz)}.")


def action_rows(meeting_id: int) -> None:
    for n in range(ACTION_ROWS):
        text_col, owner_col, due_col = st.columns([3, 1, 1])
        text_col.text_input(f"Action item {n + 1}", key=f"action-{meeting_id}-{n}", max_chars=300)
        owner_col.selectbox("Owner", ["mentee", "mentor"], key=f"owner-{meeting_id}-{n}")
        due_col.date_input("Due", value=None, key=f"due-{meeting_id}-{n}", format="DD/MM/YYYY")


def typed_actions(meeting_id: int) -> list[dict]:
    state = st.session_state
    texts = [(n, (state.get(f"action-{meeting_id}-{n}") or "").strip()) for n in range(ACTION_ROWS)]
    return [{"text": text, "owner": state.get(f"owner-{meeting_id}-{n}", "mentee"),
             "due": state.get(f"due-{meeting_id}-{n}")} for n, text in texts if text]


def save_notes(meeting: Meeting, own_private: bool) -> None:
    """The save button's callback: it runs before the page is drawn, so it can empty the
    action rows (a second click adds nothing twice) and keep the tab you are on."""
    state = st.session_state
    rows = typed_actions(meeting.id)
    try:
        svc.record_notes(user, meeting.id, state[f"notes-{meeting.id}"], rows)
        private = state.get(f"private-{meeting.id}") if own_private else None
        if private is not None and private != meeting.mentor_private_notes:
            svc.record_notes(user, meeting.id, private, private=True)
    except REFUSED as exc:
        state["notes_error"] = escape_md(str(exc))
        return
    for n in range(ACTION_ROWS):
        state[f"action-{meeting.id}-{n}"], state[f"due-{meeting.id}-{n}"] = "", None
    state["meetings_flash"] = f"Saved the notes and {len(rows)} new action item{'' if len(rows) == 1 else 's'}."


def notes_tab() -> None:
    if not held:
        st.caption("Notes and action items can be recorded once a meeting has taken place.")
    else:
        meeting = st.selectbox("Meeting", held, key="notes_meeting",
                               format_func=lambda m: f"{when(m, tz)} ({NOTES_STATE.get(m.status, m.status)})")
        st.text_area("Notes (both of you see these)", value=meeting.notes, key=f"notes-{meeting.id}")
        own_private = user.role == "mentor" and meeting.mentor == user.name
        if own_private:
            st.text_area("Private notes (only you, the mentor, see these)", key=f"private-{meeting.id}",
                         value=meeting.mentor_private_notes)
        action_rows(meeting.id)
        st.button("Save notes and action items", type="primary", key="save_notes",
                  on_click=save_notes, args=(meeting, own_private))
        if error := st.session_state.pop("notes_error", None):
            st.error(error)
    st.subheader("Open action items")
    items = svc.action_items(user, mentee)
    if not items:
        st.caption("No open action items.")
    for item in items:  # one row each: the item, then what to do with it
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(action_line(item, svc.deps.today()).removeprefix("- "), width="stretch")
            buttons = st.container(horizontal=True, width="content")  # they wrap together on a phone
            if buttons.button("Done", key=f"done-{item.id}"):
                act(lambda item=item: svc.set_action_status(user, item.id, "done"),
                    f"Marked done: {escape_md(item.text)}")
            if buttons.button("Drop", key=f"drop-{item.id}"):
                act(lambda item=item: svc.set_action_status(user, item.id, "dropped"),
                    f"Dropped: {escape_md(item.text)}")


# Keyed and tracked, so a button in the second tab doesn't bring you back to the first.
schedule, after = st.tabs(["Schedule", "After the meeting"], key="meetings_tab", on_change="rerun")
with schedule:
    schedule_tab()
with after:
    notes_tab()
