"""Your account: change your password (required first when someone else set it)."""
import streamlit as st

from assistant.auth import PASSWORD_RULES, PasswordPolicyError
from assistant.service import AccessDenied
from assistant.ui import session
from assistant.ui.common import ROLE_ICON, require_user

svc, user = require_user()
must_change = svc.password_must_change(user)
st.title("🔑 Choose your password" if must_change else "🔑 Account")
named = f"{user.display_name} · " if user.display_name and user.display_name != user.name else ""
st.text(f"{ROLE_ICON[user.role]} {named}{user.role} · signed in as {user.name}")
if must_change:
    st.info("Your password was set by someone else. Choose your own before you continue.")

with st.form("change_password", clear_on_submit=True):
    current = st.text_input("Current password", type="password", key="pw_current",
                            autocomplete="current-password")
    new = st.text_input(f"New password ({PASSWORD_RULES})", type="password",
                        key="pw_new", autocomplete="new-password")
    again = st.text_input("New password again", type="password", key="pw_again", autocomplete="new-password")
    submitted = st.form_submit_button("Change password", type="primary")
if submitted:
    if new != again:
        st.error("The two new passwords differ.")
    else:
        try:
            svc.change_password(user, current, new, keep_token=session.token())
        except (AccessDenied, PasswordPolicyError) as exc:
            st.error(str(exc))
        else:
            st.success("Password changed. Your other sessions were signed out.")
            if must_change:
                st.rerun()
