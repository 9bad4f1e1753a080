"""A saved goal's edit form and milestone checklist, on the mentee's My goals page."""
from __future__ import annotations

import streamlit as st

from assistant.models import Goal, User
from assistant.service import Service
from assistant.service.goal_edits import STATUSES
from assistant.ui.common import act, confirm_button, escape_md

FLASH = "goals-flash"
TEXT_FIELDS = (("title", "Short title"), ("statement", "The goal, in one sentence"),
               ("measure", "How success is measured"), ("target", "Target"), ("baseline", "Starting point"),
               ("achievability", "What makes it achievable"), ("relevance", "Why it matters"))
FIELDS = (*(name for name, _ in TEXT_FIELDS), "deadline", "status", "progress")


def edit_form(svc: Service, user: User, goal: Goal) -> None:
    # What the form showed when it was opened: the service writes only the fields changed since,
    # so a form left open in another tab can't undo what was saved meanwhile.
    seen_key, keys = f"edit-{goal.id}-seen", [f"edit-{goal.id}-{name}" for name in FIELDS]
    shown = {name: getattr(goal, name) for name in FIELDS}
    shown["status"] = goal.status if goal.status in STATUSES else "active"
    seen = st.session_state.get(seen_key)
    untouched = seen is None or all(st.session_state.get(k, seen[f]) == seen[f] for k, f in zip(keys, FIELDS))
    if untouched and seen != shown:  # changed elsewhere (prep, another tab) and not being edited here
        for key in keys:
            st.session_state.pop(key, None)
        seen = st.session_state[seen_key] = shown
    with st.form(f"edit-{goal.id}", border=False):
        values = {name: st.text_input(label, seen[name], max_chars=200 if name == "title" else 2000,
                                      key=f"edit-{goal.id}-{name}")
                  for name, label in TEXT_FIELDS}
        left, mid, right = st.columns(3)
        values["deadline"] = left.date_input("Deadline", seen["deadline"], format="DD/MM/YYYY",
                                             key=f"edit-{goal.id}-deadline")
        values["status"] = mid.selectbox("Status", STATUSES, index=STATUSES.index(seen["status"]),
                                         key=f"edit-{goal.id}-status")
        values["progress"] = right.slider("Progress (%)", 0, 100, seen["progress"], key=f"edit-{goal.id}-progress")
        if st.form_submit_button("Save changes", type="primary"):
            def save() -> None:
                svc.edit_goal(user, goal.id, seen=seen, **values)
                for key in (seen_key, *keys):
                    st.session_state.pop(key, None)  # the next run shows the goal as saved

            act(save, f"Saved your changes to “{escape_md(values['title'].strip() or goal.title)}”", FLASH)


def milestones(svc: Service, user: User, goal: Goal) -> None:
    for i, m in enumerate(goal.milestones):
        tick, remove = st.columns([6, 1], vertical_alignment="center")
        due = f" (by {m.due:%d %b %Y})" if m.due else ""
        done = tick.checkbox(escape_md(m.title) + due, value=m.done, key=f"ms-{goal.id}-{i}-{m.done}")
        if done != m.done:
            act(lambda i=i, m=m: svc.set_milestone_done(user, goal.id, i, done, title=m.title),
                "Milestone updated.", FLASH)
        if confirm_button("Remove", f"Remove the milestone **{escape_md(m.title)}**?", f"ms-rm-{goal.id}-{i}",
                          where=remove):
            act(lambda i=i, m=m: svc.remove_milestone(user, goal.id, i, title=m.title), "Milestone removed.", FLASH)
    # A new key after each added milestone empties the fields; a refused one keeps what was typed.
    round_key = f"ms-round-{goal.id}"
    rnd = st.session_state.get(round_key, 0)

    def add() -> None:
        svc.add_milestone(user, goal.id, title, due)
        st.session_state[round_key] = rnd + 1

    with st.form(f"ms-add-{goal.id}", border=False):
        title_col, due_col, add_col = st.columns([4, 2, 1], vertical_alignment="bottom")
        title = title_col.text_input("New milestone", placeholder="e.g. Dry run with my mentor", max_chars=2000,
                                     key=f"ms-title-{goal.id}-{rnd}")
        due = due_col.date_input("By (optional)", None, format="DD/MM/YYYY", key=f"ms-due-{goal.id}-{rnd}")
        if add_col.form_submit_button("Add"):
            act(add, "Milestone added.", FLASH)
