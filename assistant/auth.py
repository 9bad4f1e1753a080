"""Passwords and session tokens: hashing, the password policy, login throttling.

Pure logic, no I/O: the store keeps only what these functions return (argon2id
hashes of passwords, SHA-256 digests of session tokens), never a secret itself.

- Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 "low
  memory" profile), salted per hash; `verify_password` never raises.
- Session tokens are 256 random bits. A token that random needs no slow hash:
  the server stores its SHA-256, so a leaked database can't be replayed.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from assistant.models import utcnow

MIN_PASSWORD = 10
# argon2 hashes whatever it is given: a cap keeps a megabyte "password" from costing CPU.
MAX_PASSWORD = 256
SESSION_TTL = timedelta(hours=12)
SESSION_COOKIE = "waypoint_session"
# Passwords people pick first; refused whatever their length.
_COMMON = {"password", "password1", "password123", "passw0rd", "qwertyuiop", "1234567890",
           "12345678910", "0123456789", "iloveyou", "letmein123", "welcome123", "administrator",
           "changeme123", "waypoint123", "qwerty1234", "abc1234567", "mentoring1"}

_hasher = PasswordHasher()


class PasswordPolicyError(ValueError):
    """The new password breaks the policy; the message says how."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True if `password` matches; unknown users are checked against a dummy hash
    so that a wrong user name takes as long as a wrong password."""
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


PASSWORD_RULES = f"at least {MIN_PASSWORD} characters, not containing the user name"
_USER_NAME = re.compile(r"[a-z0-9][a-z0-9._@+-]{1,79}")


def normalize_username(name: str) -> str:
    """A new account's name in its one form: trimmed, lower case (a phone keyboard's "Alex" is
    alex), letters, digits and . _ @ + - only (OIDC accounts are named by their email)."""
    name = name.strip().lower()
    if not _USER_NAME.fullmatch(name):
        raise ValueError("A user name needs 2 to 80 characters: letters, digits and . _ @ + - "
                         "(no spaces; the full name goes in its own field).")
    return name


def check_password(password: str, username: str = "") -> None:
    """Raise PasswordPolicyError unless `password` is acceptable for `username`."""
    if len(password) < MIN_PASSWORD:
        raise PasswordPolicyError(f"The password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise PasswordPolicyError(f"The password can have at most {MAX_PASSWORD} characters.")
    if password.strip() != password:
        raise PasswordPolicyError("The password can't start or end with a space.")
    lowered = password.lower()
    if len(username) >= 4 and username.lower() in lowered:  # shorter names hit by chance
        raise PasswordPolicyError("The password can't contain the user name.")
    if lowered in _COMMON or len(set(password)) < 4:
        raise PasswordPolicyError("That password is too easy to guess; pick another.")


def generate_password() -> str:
    """A random password that passes the policy (for the first admin, or a reset)."""
    return secrets.token_urlsafe(15)  # 20 characters, 120 bits


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the store keeps of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_token_shaped(token: str) -> bool:
    """Cheap check before a lookup: our tokens are 43 URL-safe characters."""
    return 20 <= len(token) <= 100 and all(ch.isalnum() or ch in "-_" for ch in token)


class LoginThrottle:
    """Refuses a user name for `lock` after `limit` failed logins within `window`.

    In memory, per process: it slows down password guessing against one account
    without keeping a record of who failed when.
    """

    def __init__(self, limit: int = 8, window: timedelta = timedelta(minutes=15),
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, list[datetime]] = {}

    def _recent(self, key: str) -> list[datetime]:
        cutoff = self.clock() - self.window
        recent = [t for t in self._failures.get(key, []) if t > cutoff]
        if recent:
            self._failures[key] = recent
        else:
            self._failures.pop(key, None)
        return recent

    def locked(self, username: str) -> bool:
        return len(self._recent(username.lower())) >= self.limit

    def failed(self, username: str) -> None:
        self._failures.setdefault(username.lower(), []).append(self.clock())

    def succeeded(self, username: str) -> None:
        self._failures.pop(username.lower(), None)
