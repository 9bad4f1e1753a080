"""What every page shares: the service (built once per data folder) and the acting user."""
from __future__ import annotations

import logging
import os
from datetime import date

import streamlit as st

from assistant.models import Goal, User
from assistant.service import Service

ROLE_ICON = {"mentee": "🌱", "mentor": "🧭", "coordinator": "🗂️"}
BACKEND_LABELS = {"offline": "the offline coach"}  # who answered a chat turn, in words


RECENT_MESSAGES = 30  # chat messages drawn before "Show earlier messages"
log = logging.getLogger(__name__)
REFUSED = (ValueError, PermissionError, LookupError)  # how the service says no (AccessDenied, NotFound…)


def act(action, done: str, flash_key: str) -> None:
    """Run one service call; show why it was refused, or rerun and show `done` (Markdown we
    compose, typed text escaped) through flash(flash_key)."""
    try:
        action()
    except REFUSED as exc:
        st.error(escape_md(str(exc)))
    else:
        st.session_state[flash_key] = done
        st.rerun()


def flash(key: str) -> None:
    """Show (once) the confirmation a page left in st.session_state[key] before its rerun."""
    if message := st.session_state.pop(key, None):
        st.success(message)


def keyed_popover(label: str, key: str, where=None):
    """A popover keyed to what it acts on: without a key, an open popover passes to whichever
    row takes its place once a row above it goes. `close_popover(key)` shuts it on the next run."""
    if st.session_state.pop(f"{key}-close", False):
        st.session_state[key] = False
    return (where or st).popover(label, key=key, on_change="rerun")


def close_popover(key: str) -> None:
    st.session_state[f"{key}-close"] = True


def confirm_button(label: str, question: str, key: str, where=None) -> bool:
    """A destructive action behind a second click: `label` opens a popover that says what will
    happen (`question`, Markdown we compose) and holds the button that does it (`key`)."""
    with keyed_popover(label, f"{key}-open", where):
        st.markdown(question)
        return st.button(f"Yes, {label[0].lower()}{label[1:]}", key=key, type="primary")


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
    """The service; if Waypoint is misconfigured or its database is unavailable, the page says
    so in one line (no stack trace, no password) and stops. Nothing failed is cached: the next
    run tries again, so fixing the setting or starting the server is enough."""
    try:
        return _service_for(os.environ.get("WAYPOINT_HOME", ".waypoint"), os.environ.get("WAYPOINT_DATABASE_URL", ""))
    except Exception as exc:
        import sys
        from assistant.deps import setup_problem
        problem = setup_problem(exc)
        if problem is None:
            raise
        print(f"Waypoint can't start: {problem}", file=sys.stderr, flush=True)  # for the operator's log
        st.error(f"Waypoint can't start: {escape_md(problem)}  \nAsk whoever runs Waypoint to fix its "
                 "configuration, then reload this page.", icon="🚫")
        st.stop()


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
        st.switch_page("assistant/ui/login.py")
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


def goal_markdown(goal: Goal, today: date) -> str:
    """`Goal.as_markdown(today)` with every field the mentee wrote escaped, for a goal's card:
    the card shows the title already, so its heading goes and the milestones' becomes bold text."""
    safe = {name: escape_md(getattr(goal, name)) for name in _GOAL_TEXT}
    safe["milestones"] = [m.model_copy(update={"title": escape_md(m.title)}) for m in goal.milestones]
    lines = goal.model_copy(update=safe).as_markdown(today).splitlines()
    if lines and lines[0].startswith("#"):
        lines = lines[1:]
    return "\n".join("**Milestones**" if line.startswith("### Milestones") else line for line in lines).strip() + "\n"


def goal_header(goal: Goal, today: date) -> None:
    """A goal card's first lines: title, deadline, status and progress (My goals, My mentees)."""
    passed = " (passed)" if goal.passed(today) else ""
    st.markdown(f"**{escape_md(goal.title)}**  ·  due {goal.deadline:%d %b %Y}{passed}  ·  {goal.status}")
    st.progress(goal.progress / 100, text=f"{goal.progress}% done")


def goal_downloads(svc: Service, user: User, mentee: str, caption: str) -> None:
    """A mentee's goals as a spreadsheet, a document, or data for another tool (My goals, My mentees)."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(caption, width="content")
        for fmt, label in (("csv", "CSV (spreadsheet)"), ("md", "Markdown"), ("json", "JSON")):
            export = svc.export(user, "goals", fmt, mentee=mentee)
            st.download_button(f"⬇️ {label}", data=export.data, file_name=export.filename, mime=export.mime,
                               key=f"goals-{mentee}-{fmt}", on_click="ignore")


GOAL_CHAT, PREP_CHAT = "goal-chat", "prep-chat"  # the chat inputs' keys; app.py refills them after an outage
CHAT_BOXES = (GOAL_CHAT, PREP_CHAT)


def chat_box(placeholder: str, key: str) -> str | None:
    """The page's chat input. A message that couldn't be sent is back in it, its reason above."""
    if reason := st.session_state.pop(f"{key}-unsent", None):
        st.error(reason)
    if (text := st.session_state.pop(f"{key}-refill", None)) is not None:
        st.session_state[key] = text  # only before the widget exists in this run
    return st.chat_input(placeholder, key=key)


def send(prompt: str, call, key: str):
    """Show the user's message and return `call(prompt)`, the service's reply.

    When it isn't sent (refused as too long, or the database unreachable) the text goes back
    into the chat box `key` with the reason, so nothing typed is lost to a rerun."""
    if prompt.strip():  # a blank message gets its reason without an empty bubble
        show_message("user", prompt)
    try:
        return call(prompt)
    except REFUSED as exc:
        reason = escape_md(str(exc))
    except Exception:  # noqa: BLE001 - e.g. the database went away: say so, keep the text
        log.exception("a chat message could not be handled")
        reason = ("Your message couldn't be handled: Waypoint can't reach its database or another "
                  "service right now. What you saved before is safe; try again in a moment.")
    if prompt.strip():
        st.session_state[f"{key}-refill"] = prompt  # back in the box: to shorten, or to send again
        reason += " Your message is back in the box below."
    st.session_state[f"{key}-unsent"] = reason
    st.rerun()


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
                st.markdown(safe_markdown(cite.text))  # the guideline's bold and lists, never its links or HTML
        if backend:
            st.caption(f"answered by {escape_md(BACKEND_LABELS.get(backend, backend))}")


def recent(messages: list, key: str, shown: int = RECENT_MESSAGES) -> list:
    """The last `shown` messages, with a button for the earlier ones: a conversation that went on
    over several goals would otherwise be drawn whole on every turn (seconds in the browser)."""
    earlier = len(messages) - shown
    if earlier <= 0 or st.session_state.get(key):
        return messages
    if st.button(f"Show {earlier} earlier message{'s' if earlier > 1 else ''}", key=f"{key}-button", type="tertiary"):
        st.session_state[key] = True
        st.rerun()
    return messages[earlier:]


def pick_mentee(svc: Service, user: User, key: str) -> str:
    """A mentor's choice among their paired mentees; stops the page when they have none."""
    mentees = svc.mentees(user)
    if not mentees:
        st.info("You have no mentees yet. The program coordinator pairs mentors with mentees.")
        st.stop()
    return st.selectbox("Mentee", mentees, key=key)
