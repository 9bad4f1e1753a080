"""Sign in: user name and password, or the organisation's identity provider (OIDC)."""
import streamlit as st

from assistant.service import LoginFailed
from assistant.ui import session
from assistant.ui.common import escape_md, service

svc = service()
st.title("🧭 Waypoint")
st.write("Turn mentoring wishes into SMART goals, prepare meetings, and keep the program's guidelines at hand.")


def oidc_providers() -> list[str | None] | None:
    """The st.login providers configured in .streamlit/secrets.toml, or None if none are.
    [auth] alone is one provider (None); [auth.NAME] tables are named ones."""
    try:
        auth = st.secrets.get("auth") if st.secrets.load_if_toml_exists() else None
    except Exception:  # noqa: BLE001 - unreadable secrets: password login still works
        return None
    if not auth:
        return None
    named = [name for name, value in auth.items() if hasattr(value, "items")]
    return named or [None]


def oidc_login(providers: list[str | None]) -> None:
    """Once the provider has vouched for the person, open a Waypoint session for them."""
    if session.oidc_signed_in():
        claims = st.user.to_dict()
        try:
            result = svc.login_external(str(claims.get("email") or ""), claims.get("email_verified"))
        except LoginFailed as exc:
            st.error(escape_md(str(exc)))
            if st.button("Sign out of the identity provider", key="oidc_logout"):
                st.logout()
            return
        session.start(result)
        st.rerun()
    st.divider()
    for provider in providers:
        label = f"Sign in with {provider.title()}" if provider else "Sign in with your organisation"
        if st.button(label, key=f"oidc_{provider or 'default'}"):
            if provider:
                st.login(provider)
            else:
                st.login()


with st.form("login", clear_on_submit=True):
    name = st.text_input("User name", key="login_name", max_chars=80, autocomplete="username")
    password = st.text_input("Password", type="password", key="login_password", max_chars=256,
                             autocomplete="current-password")
    submitted = st.form_submit_button("Sign in", type="primary", key="sign_in")
if submitted:
    try:
        session.start(svc.login(name, password))
    except LoginFailed as exc:
        st.error(escape_md(str(exc)))
    else:
        st.rerun()

if (providers := oidc_providers()) is not None:
    oidc_login(providers)
st.caption("No account yet? Your program coordinator creates one for you.")
if svc.first_start_pending():  # only until the first coordinator has chosen their own password
    st.caption("First start: sign in as `admin` with the one-time password printed in the terminal "
               "that runs Waypoint.")
