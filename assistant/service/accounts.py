"""Accounts: log in and out, sessions, passwords, creating and deactivating people.

Logging in is the one use case without an acting user: it is how one is made.
Everything else takes the actor and checks the role, as in the rest of the
service. Secrets never leave this module except as argon2 hashes and token
digests (assistant.auth), and none is ever logged.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from assistant import auth
from assistant.models import Role, User, utcnow
from assistant.service.access import AccessDenied, NotFound, require_role

log = logging.getLogger(__name__)
ADMIN = "admin"
_WRONG = "Wrong user name or password."


class LoginFailed(AccessDenied):
    """Wrong name or password, a deactivated account, or too many attempts. Safe to show."""


@dataclass(frozen=True)
class LoginResult:
    user: User
    token: str  # the browser's copy; the store keeps only its digest
    must_change: bool


class AccountService:
    """Mixin of Service: needs self.deps and self.user() (AdminService)."""

    # -- sessions --------------------------------------------------------
    def login(self, username: str, password: str) -> LoginResult:
        """Check the password and open a session. Every failure says the same thing."""
        username = username.strip()
        throttle = self._throttle()
        if throttle.locked(username):
            raise LoginFailed("Too many failed attempts for this account; try again in a few minutes.")
        store = self.deps.store
        if username and store.get_user(username) is None:
            username = username.lower()  # names are lower case; "Alex" from a phone keyboard is alex
        stored = store.get_password_hash(username) if username else None
        user = store.get_user(username) if stored else None
        # verify_password runs even for unknown names, so timing doesn't tell which names exist.
        if not auth.verify_password(stored, password) or user is None or not user.active:
            throttle.failed(username)
            log.info("failed login for a user name of %d characters", len(username))
            raise LoginFailed(_WRONG)
        throttle.succeeded(username)
        if auth.needs_rehash(stored):
            store.set_password_hash(user.name, auth.hash_password(password))
        return LoginResult(user, self._open_session(user), store.password_must_change(user.name))

    def login_external(self, email: str, email_verified: bool | None = True) -> LoginResult:
        """OIDC (st.login): the identity provider vouched for `email`; map it to an existing,
        active Waypoint account named exactly that email. Nobody is created here."""
        email = email.strip().lower()
        if not email or email_verified is False:
            raise LoginFailed("Your identity provider did not confirm your e-mail address.")
        user = next((u for u in self.deps.store.list_users(include_inactive=False)
                     if u.name.lower() == email), None)
        if user is None:
            raise LoginFailed(f"No active Waypoint account is named {email}. "
                              "Ask your program coordinator to add you under that name.")
        return LoginResult(user, self._open_session(user), False)

    def session_user(self, token: str | None) -> User | None:
        """Who holds this session token, if it is live and their account active."""
        if not token or not auth.is_token_shaped(token):
            return None
        return self.deps.store.session_user(auth.token_digest(token), self._now())

    def logout(self, token: str | None) -> None:
        if token and auth.is_token_shaped(token):
            self.deps.store.revoke_session(auth.token_digest(token))

    def _open_session(self, user: User) -> str:
        token = auth.new_session_token()
        store = self.deps.store
        store.create_session(auth.token_digest(token), user.name, self._now() + auth.SESSION_TTL)
        store.purge_sessions(self._now())  # keeps the table small; cheap with the index
        return token

    # -- passwords -------------------------------------------------------
    def password_must_change(self, actor: User) -> bool:
        require_role(actor, "mentee", "mentor", "coordinator")
        return self.deps.store.password_must_change(actor.name)

    def change_password(self, actor: User, current: str, new: str, *, keep_token: str | None = None) -> None:
        """The actor's own password. Their other sessions end; `keep_token`'s stays."""
        require_role(actor, "mentee", "mentor", "coordinator")
        store = self.deps.store
        if not auth.verify_password(store.get_password_hash(actor.name), current):
            raise AccessDenied("Your current password is not right.")
        if new == current:
            raise auth.PasswordPolicyError("The new password must differ from the current one.")
        auth.check_password(new, actor.name)
        store.set_password_hash(actor.name, auth.hash_password(new))
        store.set_password_must_change(actor.name, False)
        store.revoke_user_sessions(actor.name, keep=auth.token_digest(keep_token) if keep_token else None)

    def reset_password(self, actor: User, name: str, new: str, *, must_change: bool = True) -> None:
        """A coordinator sets someone's password (they change it at their next login)."""
        require_role(actor, "coordinator")
        target = self.user(name)
        auth.check_password(new, target.name)
        store = self.deps.store
        store.set_password_hash(target.name, auth.hash_password(new))
        store.set_password_must_change(target.name, must_change)
        store.revoke_user_sessions(target.name)

    # -- people ----------------------------------------------------------
    def create_account(self, actor: User, name: str, role: Role, password: str, *,
                       mentor: str | None = None, display_name: str = "",
                       must_change: bool = True) -> User:
        """A person with an initial password, optionally paired with a mentor."""
        require_role(actor, "coordinator")
        name = auth.normalize_username(name)
        auth.check_password(password, name)  # before anything is written
        user = self.add_user(actor, name, role, mentor=mentor, display_name=display_name)
        self.deps.store.set_password_hash(user.name, auth.hash_password(password))
        self.deps.store.set_password_must_change(user.name, must_change)
        return user

    def deactivate(self, actor: User, name: str) -> User:
        """They can't log in any more and their sessions end; their records stay.
        Their active pairings end too (kept as history), with their meetings still ahead, so a
        mentee can be re-paired."""
        require_role(actor, "coordinator")
        target = self.user(name)
        if target.name == actor.name:
            raise ValueError("You can't deactivate your own account.")
        if target.role == "coordinator" and target.active and \
                len(self.deps.store.list_users(role="coordinator", include_inactive=False)) <= 1:
            raise ValueError("That is the last active coordinator; add another one first.")
        store = self.deps.store
        for pair in store.list_pairings():
            if target.name in (pair.mentor, pair.mentee):
                self._end_pair(pair.mentor, pair.mentee)
        user = store.set_active(target.name, False)
        store.revoke_user_sessions(target.name)
        return user

    def reactivate(self, actor: User, name: str) -> User:
        require_role(actor, "coordinator")
        return self.deps.store.set_active(self.user(name).name, True)

    def first_start_pending(self) -> bool:
        """The first coordinator still has the one-time password `waypoint init` printed: until
        they choose their own, the sign-in page says how to begin (afterwards it names no account)."""
        store = self.deps.store
        return store.get_user(ADMIN) is not None and store.password_must_change(ADMIN)

    def ensure_admin(self, password: str | None) -> str | None:
        """First start: create the coordinator `admin` unless one exists.

        With `password` (WAYPOINT_ADMIN_PASSWORD) that is its password; without,
        a random one-time password is generated and returned for the caller to
        show once; it must be changed at the first login. Never resets anything."""
        store = self.deps.store
        if store.get_user(ADMIN) is not None:
            return None
        generated = None
        if not password:
            password = generated = auth.generate_password()
        auth.check_password(password, ADMIN)
        try:
            store.add_user(User(name=ADMIN, role="coordinator", display_name="Administrator"),
                           password_hash=auth.hash_password(password))
        except ValueError:  # another process created it a moment ago
            return None
        store.set_password_must_change(ADMIN, generated is not None)
        return generated

    # -- internals -------------------------------------------------------
    def _throttle(self) -> auth.LoginThrottle:
        # One per Service (= per process for the app): not worth a table.
        return self.__dict__.setdefault("_login_throttle", auth.LoginThrottle())

    @staticmethod
    def _now() -> datetime:
        return utcnow()


__all__ = ["AccountService", "LoginFailed", "LoginResult", "ADMIN", "NotFound"]
