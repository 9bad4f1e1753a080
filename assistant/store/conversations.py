"""Chats: a conversation row (the flow's state as JSON) and its messages, one row each.

`save_conversation` writes the state and the messages in ONE transaction, so a
crash never leaves a reply without the state that produced it. Messages are
only ever appended: a save whose messages don't start with the stored ones was
built from an older read (another tab or server saved a turn meanwhile) and is
refused with `ConversationChanged`, so no turn is ever dropped silently. The
service also runs one turn per conversation at a time (assistant/service/turns.py).
"""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from assistant.models import Conversation, Message
from assistant.store.db import Repo, StoreError
from assistant.store.tables import conversations, messages, users


def _messages(conn: Connection, ids: list[int]) -> dict[int, list[Message]]:
    found: dict[int, list[Message]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = conn.execute(select(messages).where(messages.c.conversation_id.in_(ids))
                        .order_by(messages.c.conversation_id, messages.c.seq))
    for row in rows:
        found[row.conversation_id].append(Message(
            role=row.role, text=row.text, at=row.at, backend=row.backend,
            citations=row.citations))
    return found


def _load(conn: Connection, query) -> list[Conversation]:
    rows = conn.execute(query).all()
    by_id = _messages(conn, [row.id for row in rows])
    return [Conversation(id=row.id, user=row.user_name, kind=row.kind, status=row.status,
                         state=row.state, messages=by_id[row.id], created_at=row.created_at,
                         updated_at=row.updated_at) for row in rows]


def _insert_messages(conn: Connection, conv_id: int, start: int, new: list[Message]) -> None:
    if new:
        conn.execute(insert(messages), [
            dict(conversation_id=conv_id, seq=start + i, role=m.role, text=m.text, at=m.at,
                 backend=m.backend, citations=[c.model_dump(mode="json") for c in m.citations])
            for i, m in enumerate(new)])


class ConversationChanged(StoreError):
    """The conversation was saved by someone else since it was read."""


def _sync_messages(conn: Connection, conv_id: int, stored: list[Message],
                   wanted: list[Message]) -> None:
    if wanted[:len(stored)] != stored:
        raise ConversationChanged("This conversation changed in another window while this one was "
                                  "working; reload the page to see it, then send your message again.")
    _insert_messages(conn, conv_id, len(stored), wanted[len(stored):])


class ConversationRepo(Repo):
    def open_conversation(self, user: str, kind: str = "goal") -> Conversation:
        """The user's open conversation of this kind, or a new, empty one."""
        try:
            with self._write() as conn:
                return self._open_or_create(conn, user, kind)
        except IntegrityError:
            pass  # PostgreSQL: another session inserted it between our SELECT and INSERT
        try:
            with self._write() as conn:
                return self._open_or_create(conn, user, kind)
        except IntegrityError as exc:
            raise StoreError(f"could not open a {kind} conversation for {user!r}") from exc

    def _open_or_create(self, conn: Connection, user: str, kind: str) -> Conversation:
        found = _load(conn, select(conversations).where(
            conversations.c.user_name == user, conversations.c.kind == kind,
            conversations.c.status == "open").order_by(conversations.c.id.desc()).limit(1))
        if found:
            return found[0]
        if conn.scalar(select(users.c.id).where(users.c.name == user)) is None:
            raise StoreError(f"no user named {user!r}")
        now = self._now()
        conv = Conversation(user=user, kind=kind, created_at=now, updated_at=now)
        conv_id = conn.execute(insert(conversations).values(
            user_name=user, kind=kind, status=conv.status, state=conv.state,
            created_at=now, updated_at=now).returning(conversations.c.id)).scalar_one()
        return conv.model_copy(update={"id": conv_id})

    def save_conversation(self, conv: Conversation) -> Conversation:
        """Persist state, status and messages atomically; returns it with id and updated_at."""
        now = self._now()
        try:
            with self._write() as conn:
                conv_id, stored = self._upsert_row(conn, conv, now)
                _sync_messages(conn, conv_id, stored, conv.messages)
        except IntegrityError as exc:
            raise StoreError(f"conversation refused: unknown user {conv.user!r}, or another "
                             f"open {conv.kind} conversation exists ({exc.orig})") from exc
        return conv.model_copy(update={"id": conv_id, "updated_at": now})

    def _upsert_row(self, conn: Connection, conv: Conversation, now) -> tuple[int, list[Message]]:
        values = dict(kind=conv.kind, status=conv.status, state=conv.state, updated_at=now)
        if conv.id is None:
            conv_id = conn.execute(insert(conversations).values(
                **values, user_name=conv.user, created_at=conv.created_at,
            ).returning(conversations.c.id)).scalar_one()
            return conv_id, []
        owner = conn.scalar(select(conversations.c.user_name)
                            .where(conversations.c.id == conv.id).with_for_update())
        if owner is None:
            raise StoreError(f"no conversation with id {conv.id}")
        if owner != conv.user:
            raise StoreError(f"conversation {conv.id} belongs to {owner!r}")
        conn.execute(update(conversations).where(conversations.c.id == conv.id).values(**values))
        return conv.id, _messages(conn, [conv.id])[conv.id]

    def close_conversation(self, conv_id: int) -> Conversation:
        with self._write() as conn:
            done = conn.execute(update(conversations).where(conversations.c.id == conv_id)
                                .values(status="closed", updated_at=self._now())).rowcount
            if not done:
                raise StoreError(f"no conversation with id {conv_id}")
            return _load(conn, select(conversations).where(conversations.c.id == conv_id))[0]

    def get_conversation(self, conv_id: int) -> Conversation | None:
        with self._read() as conn:
            found = _load(conn, select(conversations).where(conversations.c.id == conv_id))
        return found[0] if found else None

    def list_conversations(self, user: str, kind: str | None = None) -> list[Conversation]:
        """The user's conversations, most recently updated first."""
        query = select(conversations).where(conversations.c.user_name == user)
        if kind is not None:
            query = query.where(conversations.c.kind == kind)
        query = query.order_by(conversations.c.updated_at.desc(), conversations.c.id.desc())
        with self._read() as conn:
            return _load(conn, query)
