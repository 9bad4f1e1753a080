"""Coordinator: people and pairs. Add mentees, mentors and coordinators with an initial
password, pair and unpair them, reset a password, deactivate (records stay)."""
import streamlit as st

from assistant.auth import MIN_PASSWORD, PasswordPolicyError
from assistant.service import AccessDenied, NotFound
from assistant.ui.common import ROLE_ICON, escape_md, require_user

svc, user = require_user("coordinator")
REFUSED = (ValueError, LookupError, AccessDenied, NotFound, PasswordPolicyError)
st.title("👥 People and pairs")

people = svc.users(user)
active = [p for p in people if p.active]
mentors = [p.name for p in active if p.role == "mentor"]
pairs = svc.pairs(user)
mentor_of = {p.mentee: p.mentor for p in pairs}
unpaired = [p.name for p in active if p.role == "mentee" and p.name not in mentor_of]


def act(action, done: str) -> None:
    """Run one change; show why it was refused, or rerun to show the result."""
    try:
        action()
    except REFUSED as exc:
        st.error(escape_md(str(exc)))
    else:
        st.session_state["people_notice"] = done
        st.rerun()


if notice := st.session_state.pop("people_notice", None):
    st.success(escape_md(notice))

add_col, pair_col = st.columns(2)
with add_col, st.form("add_person", clear_on_submit=True):
    st.subheader("Add a person")
    name = st.text_input("User name (used to sign in)", key="new_name", max_chars=80)
    display = st.text_input("Full name", key="new_display", max_chars=120)
    role = st.selectbox("Role", ["mentee", "mentor", "coordinator"], key="new_role",
                        format_func=lambda r: f"{ROLE_ICON[r]} {r}")
    password = st.text_input(f"Initial password (at least {MIN_PASSWORD} characters; "
                             "they choose their own at first sign-in)", type="password",
                             key="new_password", autocomplete="new-password")
    mentor = st.selectbox("Mentor (mentees only, optional)", mentors, index=None, key="new_mentor")
    if st.form_submit_button("Add", type="primary"):
        act(lambda: svc.create_account(user, name, role, password, display_name=display.strip(),
                                       mentor=mentor if role == "mentee" else None),
            f"Added {role} {name.strip()}.")

with pair_col, st.form("pair_people"):
    st.subheader("Pair a mentor and a mentee")
    pick_mentor = st.selectbox("Mentor", mentors, index=None, key="pair_mentor")
    pick_mentee = st.selectbox("Mentee without a mentor", unpaired, index=None, key="pair_mentee")
    if st.form_submit_button("Pair", type="primary"):
        if pick_mentor and pick_mentee:
            act(lambda: svc.pair(user, pick_mentor, pick_mentee), f"Paired {pick_mentor} with {pick_mentee}.")
        else:
            st.error("Choose a mentor and a mentee.")

st.subheader(f"Pairs ({len(pairs)})")
if not pairs:
    st.info("Nobody is paired yet.")
for pair in pairs:
    cols = st.columns([3, 3, 1])
    cols[0].text(f"🧭 {pair.mentor}")
    cols[1].text(f"🌱 {pair.mentee}")
    if cols[2].button("Unpair", key=f"unpair-{pair.mentee}"):
        act(lambda p=pair: svc.unpair(user, p.mentor, p.mentee), f"Unpaired {pair.mentor} and {pair.mentee}.")

st.subheader(f"People ({len(active)} active)")
for person in people:
    cols = st.columns([3, 2, 2, 2])
    cols[0].text(f"{ROLE_ICON[person.role]} {person.display_name or person.name} ({person.name})")
    cols[1].text(person.role + ("" if person.active else " · deactivated"))
    cols[2].text(f"mentor: {mentor_of[person.name]}" if person.name in mentor_of else "")
    if person.name == user.name:
        cols[3].text("(you)")
    elif person.active:
        if cols[3].button("Deactivate", key=f"deactivate-{person.name}"):
            act(lambda p=person: svc.deactivate(user, p.name),
                f"Deactivated {person.name}: they can't sign in; their records stay.")
    elif cols[3].button("Reactivate", key=f"reactivate-{person.name}"):
        act(lambda p=person: svc.reactivate(user, p.name), f"Reactivated {person.name}.")

with st.expander("Reset someone's password"):
    with st.form("reset_password", clear_on_submit=True):
        who = st.selectbox("Person", [p.name for p in active if p.name != user.name], index=None, key="reset_who")
        new = st.text_input("New initial password", type="password", key="reset_password",
                            autocomplete="new-password")
        if st.form_submit_button("Reset") and who:
            act(lambda: svc.reset_password(user, who, new),
                f"Password of {who} reset; they choose their own at next sign-in.")
