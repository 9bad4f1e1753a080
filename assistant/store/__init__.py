"""Waypoint's persistence: `Store`, the one object the service layer talks to.

    store = Store.open(settings)          # or Store("postgresql+psycopg://...")
    store.add_user(User(name="alice", role="mentee"))

Opening a store creates the schema or upgrades it (`migrations.MIGRATIONS`).
Every method is one transaction and takes/returns the models of
`assistant.models`. Refused writes raise `StoreError` (a ValueError).

Layout: db.py (engine, types, transactions, migration runner), tables.py (the
current schema), migrations.py (how it got there), one repository mixin per
record family (users, pairings, goals, conversations).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from assistant.config import Settings
from assistant.models import utcnow
from assistant.store.conversations import ConversationChanged, ConversationRepo
from assistant.store.db import (DatabaseUnavailable, StoreError, describe_unavailable, has_data,
                                is_unavailable, make_engine, migrate)
from assistant.store.goals import GoalRepo
from assistant.store.meetings import MeetingRepo
from assistant.store.migrations import MIGRATIONS
from assistant.store.pairings import PairingRepo
from assistant.store.sessions import SessionRepo
from assistant.store.usage import UsageRepo
from assistant.store.users import UserRepo

__all__ = ["ConversationChanged", "DatabaseUnavailable", "Store", "StoreError", "has_data"]


class Store(UserRepo, SessionRepo, PairingRepo, GoalRepo, ConversationRepo, MeetingRepo, UsageRepo):
    def __init__(self, url: str, *, clock: Callable[[], datetime] = utcnow) -> None:
        """Connect to `url` and bring its schema up to date. `clock` stamps updates.

        A database that can't be used as configured (unsupported URL, server down, login
        refused, file not writable) raises DatabaseUnavailable with a one-line reason."""
        self.engine = make_engine(url)
        self._now = clock
        try:
            self.schema_version = migrate(self.engine, MIGRATIONS)
        except Exception as exc:
            self.engine.dispose()
            if is_unavailable(exc):
                raise DatabaseUnavailable(describe_unavailable(self.engine.url, exc)) from exc
            raise
        except BaseException:
            self.engine.dispose()
            raise

    @classmethod
    def open(cls, settings: Settings, **kwargs) -> "Store":
        """The store `settings` point at: WAYPOINT_DATABASE_URL, else SQLite in home."""
        return cls(settings.db_url, **kwargs)

    @property
    def key(self) -> str:
        """Which database this is (its URL, password hidden): names per-database locks."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.key!r})"
