"""Coordinator: people and pairs. Add mentees, mentors and coordinators with an initial
password, pair and unpair them, reset a password, deactivate (records stay)."""
import streamlit as st

from assistant.auth import PASSWORD_RULES
from assistant.ui.common import REFUSED, ROLE_ICON, confirm_button, escape_md, flash, require_user
from assistant.ui.common import act as common_act

svc, user = require_user("coordinator")
NEW_PERSON = ("new_name", "new_display", "new_password", "new_mentor")  # emptied once they are added
PICKERS = ("new_mentor", "reset_who")  # selectboxes: emptied to None, not ""
st.title("👥 People and pairs")

people = svc.users(user)
active = [p for p in people if p.active]
mentors = [p.name for p in active if p.role == "mentor"]
pairs = svc.pairs(user)
mentor_of = {p.mentee: p.mentor for p in pairs}
unpaired = [p.name for p in active if p.role == "mentee" and p.name not in mentor_of]


def act(action, done: str) -> None:
    common_act(action, escape_md(done), "people_notice")


def in_form(form: str, action, done: str, clear: tuple[str, ...]) -> None:
    """For a form's submit callback, which runs before the page is drawn: on success empty
    the `clear` inputs; when refused, keep what was typed and say why under the form."""
    try:
        action()
    except REFUSED as exc:
        st.session_state[f"{form}_error"] = escape_md(str(exc))
    else:
        for key in clear:
            st.session_state[key] = None if key in PICKERS else ""
        st.session_state["people_notice"] = escape_md(done)


def form_error(form: str) -> None:
    if error := st.session_state.pop(f"{form}_error", None):
        st.error(error)


def add_person() -> None:
    state = st.session_state
    name, role = (state["new_name"] or "").strip(), state["new_role"]
    if not name:
        state["add_person_error"] = "Enter a user name: it is what they type to sign in."
        return
    in_form("add_person", lambda: svc.create_account(
        user, name, role, state["new_password"] or "", display_name=(state["new_display"] or "").strip(),
        mentor=state["new_mentor"] if role == "mentee" else None),
        f"Added {role} {name.lower()}.", clear=NEW_PERSON)  # the name they sign in with


def reset_password() -> None:
    who = st.session_state["reset_who"]
    if not who:
        st.session_state["reset_form_error"] = "Choose whose password to reset."
        return
    in_form("reset_form", lambda: svc.reset_password(user, who, st.session_state["reset_new"] or ""),
            f"Password of {who} reset; they choose their own at next sign-in.", clear=("reset_who", "reset_new"))


def shown_name(person) -> str:
    """'Jo Rivera (jo)', or just 'jo' when no full name was given."""
    if person.display_name and person.display_name != person.name:
        return f"{person.display_name} ({person.name})"
    return person.name


flash("people_notice")

add_col, pair_col = st.columns(2)
with add_col, st.form("add_person"):
    st.subheader("Add a person")
    st.text_input("User name (used to sign in; lower case, no spaces)", key="new_name", max_chars=80)
    st.text_input("Full name", key="new_display", max_chars=120)
    st.selectbox("Role", ["mentee", "mentor", "coordinator"], key="new_role",
                 format_func=lambda r: f"{ROLE_ICON[r]} {r}")
    st.text_input(f"Initial password ({PASSWORD_RULES}; they choose their own at first sign-in)",
                  type="password", key="new_password", autocomplete="new-password")
    st.selectbox("Mentor (mentees only, optional)", mentors, index=None, key="new_mentor")
    st.form_submit_button("Add", type="primary", on_click=add_person)
    form_error("add_person")

with pair_col, st.form("pair_people"):
    st.subheader("Pair a mentor and a mentee")
    pick_mentor = st.selectbox("Mentor", mentors, index=None, key="pair_mentor")
    pick_mentee = st.selectbox("Mentee without a mentor", unpaired, index=None, key="pair_mentee",
                               placeholder="Choose an option" if unpaired else "Every mentee has a mentor")
    if st.form_submit_button("Pair", type="primary"):
        if pick_mentor and pick_mentee:
            act(lambda: svc.pair(user, pick_mentor, pick_mentee), f"Paired {pick_mentor} with {pick_mentee}.")
        else:
            st.error("Choose a mentor and a mentee.")

st.subheader(f"Pairs ({len(pairs)})")
if not pairs:
    st.info("Nobody is paired yet.")
for pair in pairs:
    with st.container(border=True):  # one box per row, so its button stays with it on a phone
        cols = st.columns([3, 3, 1], vertical_alignment="center")
        cols[0].text(f"🧭 {pair.mentor}")
        cols[1].text(f"🌱 {pair.mentee}")
        if confirm_button("Unpair", f"End the pair **{escape_md(pair.mentor)}** and **{escape_md(pair.mentee)}**? "
                          "Their goals and past meetings stay; meetings still ahead are cancelled; the mentor no longer sees them.",
                          key=f"unpair-{pair.mentee}", where=cols[2]):
            act(lambda p=pair: svc.unpair(user, p.mentor, p.mentee),
                f"Unpaired {pair.mentor} and {pair.mentee}; their meetings still ahead are cancelled.")

st.subheader(f"People ({len(active)} active)")
for person in people:
    with st.container(border=True):
        cols = st.columns([3, 2, 2, 2], vertical_alignment="center")
        cols[0].text(f"{ROLE_ICON[person.role]} {shown_name(person)}")
        cols[1].text(person.role + ("" if person.active else " · deactivated"))
        cols[2].text(f"mentor: {mentor_of[person.name]}" if person.name in mentor_of else "")
        if person.name == user.name:
            cols[3].text("(you)")
        elif person.active:
            if confirm_button("Deactivate", f"Deactivate **{escape_md(person.name)}**? They are signed out and "
                              "can't sign in; their pairs end, with the meetings still ahead; their records stay. You can reactivate them.",
                              key=f"deactivate-{person.name}", where=cols[3]):
                act(lambda p=person: svc.deactivate(user, p.name),
                    f"Deactivated {person.name}: they can't sign in; their records stay.")
        elif cols[3].button("Reactivate", key=f"reactivate-{person.name}"):
            act(lambda p=person: svc.reactivate(user, p.name), f"Reactivated {person.name}.")

with st.expander("Reset someone's password", key="reset_open", on_change="rerun"):  # stays open on a rerun
    with st.form("reset_password"):
        st.selectbox("Person", [p.name for p in active if p.name != user.name], index=None, key="reset_who")
        st.text_input(f"New initial password ({PASSWORD_RULES}; they choose their own "
                      "at next sign-in)", type="password", key="reset_new", autocomplete="new-password")
        st.form_submit_button("Reset", on_click=reset_password)
        form_error("reset_form")
