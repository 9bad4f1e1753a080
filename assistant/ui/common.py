"""What every page shares: the service (built once per data folder) and the acting user."""
from __future__ import annotations

import os

import streamlit as st

from assistant.models import Goal, User
from assistant.service import Service

ROLE_ICON = {"mentee": "🌱", "mentor": "🧭", "coordinator": "🗂️"}


@st.cache_resource(show_spinner=False)
def _service_for(home: str, db_url: str) -> Service:
    # Keyed by the data folder so tests (and operators) with different homes never share one.
    from assistant.config import Settings
    from assistant.deps import build_deps
    from assistant.ui.session import first_start
    settings = Settings()
    svc = Service(build_deps(settings))
    first_start(svc, settings.admin_password)  # creates `admin` once, on an empty database
    return svc


def service() -> Service:
    return _service_for(os.environ.get("WAYPOINT_HOME", ".waypoint"), os.environ.get("WAYPOINT_DATABASE_URL", ""))


def current_user() -> User | None:
    """The logged-in user of this tab (or of the browser's session cookie), checked
    against the server's session table on every run: logout and deactivation bite at once."""
    from assistant.ui import session
    return session.user(service())


def require_user(*roles: str) -> tuple[Service, User]:
    """Pages call this first; navigation only offers pages to someone logged in, and only
    the pages of their role, but a page checks again rather than trust the menu."""
    user = current_user()
    if user is None:
        st.warning("Please sign in first.")
        st.stop()
    if roles and user.role not in roles:
        st.error("This page is not available to you.")
        st.stop()
    return service(), user


def escape_md(text: str) -> str:
    """User and document text shown as literal text, never as markup: no LaTeX (`$`),
    no emoji shortcode or colour directive (`:`), no autolinked URL (`://`, `www.`)."""
    specials = "\\`*_{}[]()#+-.!|>~<$:"
    return "".join("\\" + ch if ch in specials else ch for ch in text)


def safe_markdown(text: str) -> str:
    """Markdown we compose around quoted user, document or LLM text (the coach's replies):
    bold and lists stay, but nothing in it becomes a link, an image, HTML or math."""
    text = "".join("\\" + ch if ch in "\\[]<$" else ch for ch in text)  # `>` alone: a quote, not a tag
    return text.replace("://", "\\://").replace("www.", "www\\.")


_GOAL_TEXT = ("title", "statement", "measure", "target", "baseline", "achievability", "relevance")


def goal_markdown(goal: Goal) -> str:
    """`Goal.as_markdown()` with every field the mentee wrote escaped."""
    safe = {name: escape_md(getattr(goal, name)) for name in _GOAL_TEXT}
    safe["milestones"] = [m.model_copy(update={"title": escape_md(m.title)}) for m in goal.milestones]
    return goal.model_copy(update=safe).as_markdown()


def show_message(role: str, text: str, backend: str = "", citations=(), hard_breaks: bool = False) -> None:
    """One chat message: the coach's replies as compose-safe Markdown (they quote the mentee's
    words), the mentee's own as plain text; sources on demand; which backend answered."""
    with st.chat_message(role):
        # An if statement, not a conditional expression: Streamlit's "magic" would st.write the
        # expression's value (the element's DeltaGenerator) as a help table under each message.
        if role == "assistant":
            body = safe_markdown(text)
            st.markdown(body.replace("\n", "  \n") if hard_breaks else body)
        else:
            st.text(text)
        for cite in citations:
            with st.expander(f"📖 Source: {escape_md(cite.label())}"):
                st.text(cite.text)
        if backend:
            st.caption(f"answered by {escape_md(backend)}")


def pick_mentee(svc: Service, user: User, key: str) -> str:
    """A mentor's choice among their paired mentees; stops the page when they have none."""
    mentees = svc.mentees(user)
    if not mentees:
        st.info("You have no mentees yet. The program coordinator pairs mentors with mentees.")
        st.stop()
    return st.selectbox("Mentee", mentees, key=key)
