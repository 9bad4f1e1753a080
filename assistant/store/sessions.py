"""Login sessions and the "must change password" flag.

A session row holds the SHA-256 of a random token (never the token), whose
user, and when it expires or was revoked. `session_user` answers only for a
live session of an active account, so deactivating someone or logging out
ends their sessions at once, whatever cookie a browser still holds.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, or_, select, update

from assistant.models import User
from assistant.store.db import Repo, StoreError
from assistant.store.tables import sessions, users
from assistant.store.users import _PUBLIC, _user


class SessionRepo(Repo):
    def create_session(self, token_hash: str, user_name: str, expires_at: datetime) -> None:
        with self._write() as conn:
            if conn.scalar(select(users.c.id).where(users.c.name == user_name)) is None:
                raise StoreError(f"no user named {user_name!r}")
            conn.execute(insert(sessions).values(token_hash=token_hash, user_name=user_name,
                                                 created_at=self._now(), expires_at=expires_at))

    def session_user(self, token_hash: str, now: datetime) -> User | None:
        """The active user of a live (unexpired, unrevoked) session, else None."""
        query = (select(*_PUBLIC).join(sessions, sessions.c.user_name == users.c.name)
                 .where(sessions.c.token_hash == token_hash, sessions.c.revoked_at.is_(None),
                        sessions.c.expires_at > now, users.c.active.is_(True)))
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else _user(row)

    def revoke_session(self, token_hash: str) -> bool:
        with self._write() as conn:
            done = conn.execute(update(sessions).where(sessions.c.token_hash == token_hash,
                                                       sessions.c.revoked_at.is_(None))
                                .values(revoked_at=self._now())).rowcount
        return bool(done)

    def revoke_user_sessions(self, user_name: str, keep: str | None = None) -> int:
        """End every live session of a user (deactivation, password change), except
        the one whose digest is `keep` (the browser that changed the password)."""
        query = update(sessions).where(sessions.c.user_name == user_name,
                                       sessions.c.revoked_at.is_(None))
        if keep is not None:
            query = query.where(sessions.c.token_hash != keep)
        with self._write() as conn:
            return conn.execute(query.values(revoked_at=self._now())).rowcount

    def count_live_sessions(self, user_name: str, now: datetime) -> int:
        with self._read() as conn:
            return len(conn.execute(select(sessions.c.id).where(
                sessions.c.user_name == user_name, sessions.c.revoked_at.is_(None),
                sessions.c.expires_at > now)).all())

    def purge_sessions(self, now: datetime) -> int:
        """Forget sessions that can never be used again (expired or revoked)."""
        with self._write() as conn:
            return conn.execute(delete(sessions).where(or_(
                sessions.c.expires_at <= now, sessions.c.revoked_at.is_not(None)))).rowcount

    def set_password_must_change(self, name: str, must_change: bool) -> None:
        with self._write() as conn:
            done = conn.execute(update(users).where(users.c.name == name)
                                .values(password_must_change=must_change)).rowcount
        if not done:
            raise StoreError(f"no user named {name!r}")

    def password_must_change(self, name: str) -> bool:
        with self._read() as conn:
            return bool(conn.scalar(select(users.c.password_must_change)
                                    .where(users.c.name == name)))
