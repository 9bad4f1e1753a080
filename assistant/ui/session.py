"""Who is logged in to this browser tab, and keeping them logged in across a reload.

A login gives a random token (assistant.auth). The tab keeps it in
st.session_state; the browser keeps it in the cookie `waypoint_session`, so a
reload (a new Streamlit session) finds it in st.context.cookies, which holds
the cookies of the page's initial request. The server keeps only the token's
digest, with an expiry; logout and deactivation revoke it there, so a cookie
left behind in a browser opens nothing.

Streamlit has no API to set a cookie from Python, so a two-line script in the
page writes it (st.html with JavaScript). It can't be HttpOnly for that reason;
SameSite=Strict, the short expiry and server-side revocation limit what a
stolen copy is worth.
"""
from __future__ import annotations

import json
import sys

import streamlit as st

from assistant.auth import SESSION_COOKIE, SESSION_TTL, PasswordPolicyError
from assistant.models import User
from assistant.service import Service
from assistant.service.accounts import LoginResult

TOKEN = "session_token"
LOGGED_OUT = ""  # in TOKEN: this tab logged out, so don't pick up the old cookie again


def _browser_token() -> str | None:
    try:
        return st.context.cookies.get(SESSION_COOKIE)
    except Exception:  # noqa: BLE001 - no browser behind this run (e.g. AppTest)
        return None


def user(svc: Service) -> User | None:
    """The user of this tab's session, or of the browser's cookie after a reload."""
    token = st.session_state.get(TOKEN)
    if token is None:
        token = _browser_token()
    found = svc.session_user(token) if token else None
    if found is None:
        if token:  # expired, revoked or deactivated: forget it
            st.session_state[TOKEN] = LOGGED_OUT
        return None
    st.session_state[TOKEN] = token
    return found


def token() -> str | None:
    return st.session_state.get(TOKEN) or None


def start(result: LoginResult) -> None:
    st.session_state[TOKEN] = result.token


def end(svc: Service) -> None:
    svc.logout(token())
    st.session_state[TOKEN] = LOGGED_OUT


def sync_cookie(logged_in: bool) -> None:
    """Write the tab's token into the browser's cookie, or clear a stale one."""
    current = st.session_state.get(TOKEN)
    if logged_in and current:
        value, max_age = current, int(SESSION_TTL.total_seconds())
    elif current == LOGGED_OUT or _browser_token():  # expired, revoked, or signed out here
        value, max_age = "", 0
    else:
        return
    cookie = f"{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; SameSite=Strict"
    st.html("<script>document.cookie = " + json.dumps(cookie) +
            " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
            unsafe_allow_javascript=True)


def first_start(svc: Service, admin_password: str | None) -> None:
    """Create the coordinator `admin` on an empty database. A generated one-time
    password goes to the terminal running `streamlit run` (stderr), never to a log."""
    try:
        generated = svc.ensure_admin(admin_password)
    except PasswordPolicyError as exc:
        print(f"Waypoint: WAYPOINT_ADMIN_PASSWORD was not accepted ({exc}); no admin was created. "
              "Set a better one and restart.", file=sys.stderr, flush=True)
        return
    if generated:
        print("\n" + "=" * 72 + f"\nWaypoint first start: sign in as 'admin' with the one-time password\n\n"
              f"    {generated}\n\nYou will be asked to choose your own password. This is shown only once.\n"
              + "=" * 72 + "\n", file=sys.stderr, flush=True)


def oidc_signed_in() -> bool:
    """st.user.is_logged_in, which only exists once [auth] is configured."""
    return bool(getattr(st.user, "is_logged_in", False))
