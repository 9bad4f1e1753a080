"""The CURRENT shape of every table, as the repositories query it.

This is a description, not what creates the database: `migrations.MIGRATIONS`
does that. When you change a table here, append the matching step there;
tests/test_store.py checks that a migrated database matches this metadata.

People are referred to by their unique, immutable login name (users.name), the
same key the pydantic models use, so most reads need no join.
"""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, Date, ForeignKey, Index, Integer, MetaData, String,
                        Table, Text, UniqueConstraint, false, true)

from assistant.store.db import NAMING, Json, UTCDateTime

metadata = MetaData(naming_convention=NAMING)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("display_name", String(120), nullable=False, server_default=""),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("created_at", UTCDateTime, nullable=False),
    Column("password_hash", String(255), nullable=True),  # v2; never put in the User model
    # v3: the password was set by someone else (first admin, coordinator): change it at login.
    Column("password_must_change", Boolean, nullable=False, server_default=false()),
)

# v3: login sessions. Only the SHA-256 of the random token is kept (assistant.auth).
sessions = Table(
    "sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_name", String(80), ForeignKey("users.name"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
)

pairings = Table(
    "pairings", metadata,
    Column("id", Integer, primary_key=True),
    Column("mentor", String(80), ForeignKey("users.name"), nullable=False, index=True),
    Column("mentee", String(80), ForeignKey("users.name"), nullable=False),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("created_at", UTCDateTime, nullable=False),
)
# A mentee has at most one ACTIVE mentor; ended pairs stay as history.
_active = pairings.c.active == true()
Index("uq_pairings_active_mentee", pairings.c.mentee, unique=True,
      sqlite_where=_active, postgresql_where=_active)

# The goal itself is the JSON `data` (the Goal without id and history), so new
# model fields need no migration; the other columns exist to filter and count.
goals = Table(
    "goals", metadata,
    Column("id", Integer, primary_key=True),
    Column("owner", String(80), ForeignKey("users.name"), nullable=False, index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("deadline", Date, nullable=False),
    Column("progress", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("data", Json, nullable=False),
)

goal_versions = Table(
    "goal_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("goal_id", Integer, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("by", String(80), nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
    Column("snapshot", Json, nullable=False),
    UniqueConstraint("goal_id", "version"),
)

conversations = Table(
    "conversations", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_name", String(80), ForeignKey("users.name"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("status", String(10), nullable=False),
    Column("state", Json, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_conversations_user_name_kind", "user_name", "kind"),
)
# At most one OPEN conversation per person and kind: two tabs resume the same one.
_open = conversations.c.status == "open"
Index("uq_conversations_open", conversations.c.user_name, conversations.c.kind, unique=True,
      sqlite_where=_open, postgresql_where=_open)

messages = Table(
    "messages", metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Integer, ForeignKey("conversations.id", ondelete="CASCADE"),
           nullable=False),
    Column("seq", Integer, nullable=False),
    Column("role", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("backend", String(120), nullable=False, server_default=""),
    Column("citations", Json, nullable=False),
    UniqueConstraint("conversation_id", "seq"),
)

__all__ = ["metadata", "users", "sessions", "pairings", "goals", "goal_versions", "conversations",
           "messages"]

# v4 (issue 4): meetings of a pair, agenda versions, action items, goal progress over time.
# The notes columns mirror the Meeting model; `mentor_private_notes` must never reach a mentee
# (the service blanks it for anyone but the meeting's mentor).
meetings = Table(
    "meetings", metadata,
    Column("id", Integer, primary_key=True),
    Column("mentee", String(80), ForeignKey("users.name"), nullable=False, index=True),
    Column("mentor", String(80), ForeignKey("users.name"), nullable=False, index=True),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("mentor_private_notes", Text, nullable=False, server_default=""),
    Column("created_by", String(80), nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
)

# One row per saved version; never updated. The Agenda itself is the JSON `data`.
agendas = Table(
    "agendas", metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_by", String(80), nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("meeting_id", "version"),
)

action_items = Table(
    "action_items", metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("text", Text, nullable=False),
    Column("owner", String(10), nullable=False),
    Column("due", Date, nullable=True),
    Column("status", String(10), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# Append-only log: a goal's percent at each prep and meeting, for the mentor's chart.
goal_progress = Table(
    "goal_progress", metadata,
    Column("id", Integer, primary_key=True),
    Column("goal_id", Integer, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True),
    Column("at", UTCDateTime, nullable=False),
    Column("progress", Integer, nullable=False),
)

__all__ += ["meetings", "agendas", "action_items", "goal_progress"]

# Append-only: one row per mentee turn that called a language model (calls, tokens, latency).
llm_usage = Table(
    "llm_usage", metadata,
    Column("id", Integer, primary_key=True),
    Column("user", String(80), nullable=False),
    Column("backend", String(120), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("calls", Integer, nullable=False),
    Column("prompt_tokens", Integer, nullable=False),
    Column("completion_tokens", Integer, nullable=False),
    Column("latency_ms", Integer, nullable=False),
)

__all__ += ["llm_usage"]
