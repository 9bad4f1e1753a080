"""Mentee and mentor: book meetings on a cadence; after one, record notes and action items."""
import streamlit as st

from assistant.clock import from_local, local, show
from assistant.meeting_models import Cadence
from assistant.ui.agenda_view import download_buttons, show_actions, when
from assistant.ui.common import escape_md, pick_mentee, require_user

CADENCE_LABELS = {Cadence.biweekly: "Every two weeks", Cadence.weekly: "Weekly", Cadence.monthly: "Monthly"}
ACTION_ROWS = 3

svc, user = require_user("mentee", "mentor")
tz = svc.deps.settings.tz  # meeting times are shown and entered on the program's clock
st.title("📅 Meetings")
if user.role == "mentor":
    mentee = pick_mentee(svc, user, key="meetings_mentee")
else:
    mentee = user.name
if flash := st.session_state.pop("meetings_flash", None):
    st.success(flash)
coming, held = svc.meetings_by_phase(user, mentee)


def act(action, message: str) -> None:
    """Run a service call; show its refusal, or rerun with a confirmation."""
    try:
        action()
    except (ValueError, PermissionError, LookupError) as exc:
        st.error(escape_md(str(exc)))
    else:
        st.session_state["meetings_flash"] = message
        st.rerun()


def schedule_tab() -> None:
    st.subheader("Coming up")
    if not coming:
        st.caption("Nothing booked yet.")
    for m in coming:
        with st.container(border=True):
            st.markdown(f"**{when(m, tz)}** · with {escape_md(m.mentor if user.role == 'mentee' else m.mentee)}")
            download_buttons(svc, user, m, key=f"meeting-{m.id}", with_agenda=svc.agenda(user, m.id) is not None)
            if st.button("Cancel this meeting", key=f"cancel-{m.id}"):
                act(lambda: svc.cancel_meeting(user, m.id), "Meeting cancelled.")
    st.subheader("Book the next one")
    cadence = st.selectbox("How often do you meet?", list(CADENCE_LABELS), format_func=CADENCE_LABELS.get,
                           key="cadence")
    proposal = local(svc.next_meeting_date(user, mentee, cadence), tz)
    st.caption(f"Proposed from your cadence: {show(proposal, tz)}")
    stamp = f"{proposal:%Y%m%d%H%M}"  # a new proposal resets the inputs to it
    day = st.date_input("Date", value=proposal.date(), key=f"day-{stamp}")
    at = st.time_input(f"Time ({tz.key})", value=proposal.time().replace(tzinfo=None), key=f"time-{stamp}")
    minutes = st.number_input("Length (minutes)", min_value=15, max_value=240, value=45, step=5, key="minutes")
    if st.button("Book meeting", type="primary", key="book"):
        starts = from_local(day, at, tz)
        act(lambda: svc.schedule_meeting(user, mentee, starts, int(minutes)),
            f"Meeting booked for {show(starts, tz)}.")


def action_rows(meeting_id: int) -> list[dict]:
    rows = []
    for n in range(ACTION_ROWS):
        text_col, owner_col, due_col = st.columns([3, 1, 1])
        text = text_col.text_input(f"Action item {n + 1}", key=f"action-{meeting_id}-{n}", max_chars=300)
        owner = owner_col.selectbox("Owner", ["mentee", "mentor"], key=f"owner-{meeting_id}-{n}")
        due = due_col.date_input("Due", value=None, key=f"due-{meeting_id}-{n}")
        if text.strip():
            rows.append({"text": text.strip(), "owner": owner, "due": due})
    return rows


def notes_tab() -> None:
    if not held:
        st.caption("Notes and action items can be recorded once a meeting has taken place.")
    else:
        meeting = st.selectbox("Meeting", held, format_func=lambda m: f"{when(m, tz)} ({m.status})", key="notes_meeting")
        notes = st.text_area("Notes (both of you see these)", value=meeting.notes, key=f"notes-{meeting.id}")
        own_private = user.role == "mentor" and meeting.mentor == user.name
        private = (st.text_area("Private notes (only you, the mentor, see these)", key=f"private-{meeting.id}",
                                value=meeting.mentor_private_notes) if own_private else None)
        rows = action_rows(meeting.id)
        if st.button("Save notes and action items", type="primary", key="save_notes"):
            def save() -> None:
                svc.record_notes(user, meeting.id, notes, rows)
                if private is not None and private != meeting.mentor_private_notes:
                    svc.record_notes(user, meeting.id, private, private=True)
                for n in range(ACTION_ROWS):  # empty the rows, so a second click adds nothing twice
                    st.session_state.pop(f"action-{meeting.id}-{n}", None)
            act(save, f"Saved the notes and {len(rows)} new action item(s).")
    st.subheader("Open action items")
    items = svc.action_items(user, mentee)
    show_actions(items)
    for item in items:
        done_col, drop_col, label_col = st.columns([1, 1, 4])
        label_col.caption(escape_md(item.text))
        if done_col.button("Done", key=f"done-{item.id}"):
            act(lambda: svc.set_action_status(user, item.id, "done"), "Marked done.")
        if drop_col.button("Drop", key=f"drop-{item.id}"):
            act(lambda: svc.set_action_status(user, item.id, "dropped"), "Dropped.")


schedule, after = st.tabs(["Schedule", "After the meeting"])
with schedule:
    schedule_tab()
with after:
    notes_tab()
