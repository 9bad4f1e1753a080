"""Signing in on the real app.py under AppTest: people with passwords, and the login form.

    svc.create_account(SYSTEM, "alex", "mentee", PASSWORD, must_change=False)
    at = login("alex")          # an AppTest past the sign-in page, on alex's first page
"""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PASSWORD = "test-only passphrase 1"  # passes the policy and contains no test user's name


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    """Fill and submit the sign-in form of an AppTest showing it."""
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    at.button(key="sign_in").click().run()
    return at


def login(name: str, password: str = PASSWORD) -> AppTest:
    """A fresh session (like a new browser) signed in as `name` through the form."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    sign_in(at, name, password)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at
