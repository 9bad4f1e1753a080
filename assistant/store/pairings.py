"""Mentor-mentee pairs. A mentee has at most one active mentor (a unique index
enforces it, so two coordinators pairing at once can't both win); ended pairs
stay, inactive, as history.
"""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from assistant.models import Pairing
from assistant.store.db import Repo, StoreError
from assistant.store.tables import pairings, users

_COLUMNS = (pairings.c.id, pairings.c.mentor, pairings.c.mentee, pairings.c.active,
            pairings.c.created_at)


def _pairing(row) -> Pairing:
    return Pairing(id=row.id, mentor=row.mentor, mentee=row.mentee, active=row.active,
                   created_at=row.created_at)


def _check_person(conn: Connection, name: str, role: str) -> None:
    row = conn.execute(select(users.c.role, users.c.active)
                       .where(users.c.name == name)).one_or_none()
    if row is None:
        raise StoreError(f"no user named {name!r}")
    if row.role != role:
        raise StoreError(f"{name!r} is a {row.role}, not a {role}")
    if not row.active:
        raise StoreError(f"{name!r} is deactivated")


class PairingRepo(Repo):
    def pair(self, mentor: str, mentee: str) -> Pairing:
        """Pair an active mentor with an active mentee; idempotent for the same pair.

        A mentee who already has another active mentor is refused: unpair first,
        so that a reassignment is always a deliberate two-step act.
        """
        try:
            with self._write() as conn:
                _check_person(conn, mentor, "mentor")
                _check_person(conn, mentee, "mentee")
                current = self._active_pair(conn, mentee)
                if current is not None:
                    if current.mentor == mentor:
                        return current
                    raise StoreError(f"{mentee!r} already has the mentor {current.mentor!r}; "
                                     "unpair them first")
                row = conn.execute(insert(pairings).values(
                    mentor=mentor, mentee=mentee, active=True, created_at=self._now(),
                ).returning(*_COLUMNS)).one()
        except IntegrityError as exc:  # lost a race against another pairing of this mentee
            raise StoreError(f"{mentee!r} was just paired by someone else") from exc
        return _pairing(row)

    def unpair(self, mentor: str, mentee: str) -> Pairing:
        """End the active pair; returns it, now inactive."""
        with self._write() as conn:
            row = conn.execute(update(pairings).where(
                pairings.c.mentor == mentor, pairings.c.mentee == mentee,
                pairings.c.active.is_(True)).values(active=False).returning(*_COLUMNS)).one_or_none()
        if row is None:
            raise StoreError(f"{mentor!r} and {mentee!r} are not paired")
        return _pairing(row)

    def mentor_of(self, mentee: str) -> str | None:
        with self._read() as conn:
            current = self._active_pair(conn, mentee)
        return None if current is None else current.mentor

    def mentees_of(self, mentor: str) -> list[str]:
        query = (select(pairings.c.mentee).where(pairings.c.mentor == mentor,
                                                 pairings.c.active.is_(True))
                 .order_by(pairings.c.mentee))
        with self._read() as conn:
            return list(conn.scalars(query))

    def list_pairings(self, active_only: bool = True) -> list[Pairing]:
        query = select(*_COLUMNS).order_by(pairings.c.id)
        if active_only:
            query = query.where(pairings.c.active.is_(True))
        with self._read() as conn:
            return [_pairing(row) for row in conn.execute(query)]

    @staticmethod
    def _active_pair(conn: Connection, mentee: str) -> Pairing | None:
        row = conn.execute(select(*_COLUMNS).where(pairings.c.mentee == mentee,
                                                   pairings.c.active.is_(True))).one_or_none()
        return None if row is None else _pairing(row)
