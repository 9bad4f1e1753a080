"""What every page shares: the service (built once per data folder) and the acting user."""
from __future__ import annotations

import os

import streamlit as st

from assistant.models import User
from assistant.service import Service

ROLE_ICON = {"mentee": "🌱", "mentor": "🧭", "coordinator": "🗂️"}


@st.cache_resource(show_spinner=False)
def _service_for(home: str, db_url: str) -> Service:
    # Keyed by the data folder so tests (and operators) with different homes never share one.
    from assistant.config import Settings
    from assistant.deps import build_deps
    return Service(build_deps(Settings()))


def service() -> Service:
    return _service_for(os.environ.get("WAYPOINT_HOME", ".waypoint"), os.environ.get("WAYPOINT_DATABASE_URL", ""))


def current_user() -> User | None:
    name = st.session_state.get("user")
    if not name:
        return None
    user = service().deps.store.get_user(name)
    return user if user and user.active else None


def require_user() -> tuple[Service, User]:
    """Pages call this first; navigation only offers pages to someone logged in."""
    user = current_user()
    if user is None:
        st.warning("Please choose who you are first.")
        st.stop()
    return service(), user


def escape_md(text: str) -> str:
    """User and document text shown as literal text, never as markup."""
    specials = "\\`*_{}[]()#+-.!|>~<"
    return "".join("\\" + ch if ch in specials else ch for ch in text)
