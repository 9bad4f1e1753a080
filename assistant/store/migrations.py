"""Every schema change Waypoint ever made, oldest first: `MIGRATIONS`.

`Store` applies the steps a database lacks when it opens it (in one
transaction, see `db.migrate`); `schema_version` records which ran. A fresh
database runs them all, so fresh and upgraded databases end up identical.

HOW TO CHANGE THE SCHEMA (meetings, agendas, action items, LLM usage, ...)
1. Describe the new shape in `tables.py` (that is what the queries use).
2. APPEND one `Step` at the end of `MIGRATIONS` below; its version is its
   position. Use the helpers: `create_tables(<frozen Table>, ...)` for new
   tables, `add_column("table", Column(...))` for a new nullable/defaulted
   column, or a function `def step(conn): ...` for anything else (indexes,
   data back-fills; use SQLAlchemy constructs, not dialect-specific SQL).
3. Never edit, reorder or delete a step that has shipped: databases in the
   wild have already run it. Steps declare their tables FROZEN (their own
   `MetaData()`), never by importing `tables.py`, whose shape keeps moving.
4. `pytest tests/test_store.py` checks that fresh and upgraded databases both
   match `tables.metadata`, on SQLite and PostgreSQL.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (Boolean, Column, Date, ForeignKey, Index, Integer, MetaData, String,
                        Table, Text, UniqueConstraint, false, text, true)
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateColumn

from assistant.store.db import NAMING, Json, Step, UTCDateTime


def create_tables(*tables: Table) -> Callable[[Connection], None]:
    """A step creating `tables` (frozen definitions) with their indexes."""
    def apply(conn: Connection) -> None:
        for table in tables:
            table.create(conn)
    return apply


def add_column(table: str, column: Column) -> Callable[[Connection], None]:
    """A step adding one column; it must be nullable or have a server default."""
    Table(table, MetaData(), column)  # binds the column so it compiles on its own

    def apply(conn: Connection) -> None:
        quoted = conn.dialect.identifier_preparer.quote(table)
        ddl = CreateColumn(column).compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE {quoted} ADD COLUMN {ddl}"))
    return apply


def _v1_tables() -> list[Table]:
    """The walking skeleton's schema (issue 2), frozen."""
    md = MetaData(naming_convention=NAMING)
    users = Table(
        "users", md,
        Column("id", Integer, primary_key=True),
        Column("name", String(80), nullable=False, unique=True),
        Column("role", String(20), nullable=False),
        Column("display_name", String(120), nullable=False, server_default=""),
        Column("active", Boolean, nullable=False, server_default=true()),
        Column("created_at", UTCDateTime, nullable=False))
    pairings = Table(
        "pairings", md,
        Column("id", Integer, primary_key=True),
        Column("mentor", String(80), ForeignKey("users.name"), nullable=False, index=True),
        Column("mentee", String(80), ForeignKey("users.name"), nullable=False),
        Column("active", Boolean, nullable=False, server_default=true()),
        Column("created_at", UTCDateTime, nullable=False))
    active = pairings.c.active == true()
    Index("uq_pairings_active_mentee", pairings.c.mentee, unique=True,
          sqlite_where=active, postgresql_where=active)
    goals = Table(
        "goals", md,
        Column("id", Integer, primary_key=True),
        Column("owner", String(80), ForeignKey("users.name"), nullable=False, index=True),
        Column("status", String(20), nullable=False, index=True),
        Column("deadline", Date, nullable=False),
        Column("progress", Integer, nullable=False, server_default="0"),
        Column("created_at", UTCDateTime, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
        Column("data", Json, nullable=False))
    goal_versions = Table(
        "goal_versions", md,
        Column("id", Integer, primary_key=True),
        Column("goal_id", Integer, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False),
        Column("version", Integer, nullable=False),
        Column("at", UTCDateTime, nullable=False),
        Column("by", String(80), nullable=False, server_default=""),
        Column("note", Text, nullable=False, server_default=""),
        Column("snapshot", Json, nullable=False),
        UniqueConstraint("goal_id", "version"))
    conversations = Table(
        "conversations", md,
        Column("id", Integer, primary_key=True),
        Column("user_name", String(80), ForeignKey("users.name"), nullable=False),
        Column("kind", String(10), nullable=False),
        Column("status", String(10), nullable=False),
        Column("state", Json, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
        Index("ix_conversations_user_name_kind", "user_name", "kind"))
    is_open = conversations.c.status == "open"
    Index("uq_conversations_open", conversations.c.user_name, conversations.c.kind,
          unique=True, sqlite_where=is_open, postgresql_where=is_open)
    messages = Table(
        "messages", md,
        Column("id", Integer, primary_key=True),
        Column("conversation_id", Integer,
               ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False),
        Column("seq", Integer, nullable=False),
        Column("role", String(20), nullable=False),
        Column("text", Text, nullable=False),
        Column("at", UTCDateTime, nullable=False),
        Column("backend", String(120), nullable=False, server_default=""),
        Column("citations", Json, nullable=False),
        UniqueConstraint("conversation_id", "seq"))
    return [users, pairings, goals, goal_versions, conversations, messages]


def _v3_sessions(conn: Connection) -> None:
    """Login sessions (issue 6), frozen; and the "change your password first" flag."""
    add_column("users", Column("password_must_change", Boolean, nullable=False,
                               server_default=false()))(conn)
    md = MetaData(naming_convention=NAMING)
    Table("users", md, Column("name", String(80), primary_key=True))  # FK target only
    create_tables(Table(
        "sessions", md,
        Column("id", Integer, primary_key=True),
        Column("token_hash", String(64), nullable=False, unique=True),
        Column("user_name", String(80), ForeignKey("users.name"), nullable=False, index=True),
        Column("created_at", UTCDateTime, nullable=False),
        Column("expires_at", UTCDateTime, nullable=False),
        Column("revoked_at", UTCDateTime, nullable=True)))(conn)


def _v4_meetings() -> list[Table]:
    """Meetings, agenda versions, action items and goal progress (issue 4), frozen."""
    md = MetaData(naming_convention=NAMING)
    Table("users", md, Column("name", String(80), primary_key=True))  # FK targets only
    Table("goals", md, Column("id", Integer, primary_key=True))
    meetings = Table(
        "meetings", md,
        Column("id", Integer, primary_key=True),
        Column("mentee", String(80), ForeignKey("users.name"), nullable=False, index=True),
        Column("mentor", String(80), ForeignKey("users.name"), nullable=False, index=True),
        Column("starts_at", UTCDateTime, nullable=False),
        Column("minutes", Integer, nullable=False),
        Column("status", String(20), nullable=False),
        Column("notes", Text, nullable=False, server_default=""),
        Column("mentor_private_notes", Text, nullable=False, server_default=""),
        Column("created_by", String(80), nullable=False, server_default=""),
        Column("created_at", UTCDateTime, nullable=False))
    agendas = Table(
        "agendas", md,
        Column("id", Integer, primary_key=True),
        Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False),
        Column("version", Integer, nullable=False),
        Column("created_by", String(80), nullable=False, server_default=""),
        Column("created_at", UTCDateTime, nullable=False),
        Column("data", Json, nullable=False),
        UniqueConstraint("meeting_id", "version"))
    action_items = Table(
        "action_items", md,
        Column("id", Integer, primary_key=True),
        Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"),
               nullable=False, index=True),
        Column("text", Text, nullable=False),
        Column("owner", String(10), nullable=False),
        Column("due", Date, nullable=True),
        Column("status", String(10), nullable=False),
        Column("created_at", UTCDateTime, nullable=False))
    goal_progress = Table(
        "goal_progress", md,
        Column("id", Integer, primary_key=True),
        Column("goal_id", Integer, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False,
               index=True),
        Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True),
        Column("at", UTCDateTime, nullable=False),
        Column("progress", Integer, nullable=False))
    return [meetings, agendas, action_items, goal_progress]


def _v5_llm_usage() -> Table:
    return Table(
        "llm_usage", MetaData(naming_convention=NAMING),
        Column("id", Integer, primary_key=True),
        Column("user", String(80), nullable=False),
        Column("backend", String(120), nullable=False),
        Column("at", UTCDateTime, nullable=False),
        Column("calls", Integer, nullable=False),
        Column("prompt_tokens", Integer, nullable=False),
        Column("completion_tokens", Integer, nullable=False),
        Column("latency_ms", Integer, nullable=False),
    )


MIGRATIONS: list[Step] = [
    Step("users, pairings, goals, conversations", create_tables(*_v1_tables())),
    Step("users.password_hash for login",
         add_column("users", Column("password_hash", String(255), nullable=True))),
    Step("login sessions; users.password_must_change", _v3_sessions),
    Step("meetings, agendas, action items, goal progress", create_tables(*_v4_meetings())),
    Step("LLM usage per turn", create_tables(_v5_llm_usage())),
    # Append new steps here, e.g.
    # Step("meetings and agendas", create_tables(Table("meetings", MetaData(...), ...))),
]
