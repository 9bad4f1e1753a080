"""Goals and their version history.

A goal row holds the Goal as JSON (`data`: every field but id and history) plus
the columns used to filter and count. History lives in `goal_versions`, one row
per replaced version, and is authoritative: on update, the `history` of the
Goal passed in is ignored and the store's own is returned.

History entry N (`GoalVersion.version == N`) is the goal AS IT WAS at version N
(`snapshot`), plus who replaced it (`by`), when (`at`) and why (`note`). The
current goal is version len(history) + 1.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from assistant.models import Goal, GoalVersion
from assistant.store.db import Repo, StoreError
from assistant.store.tables import goal_versions, goals

# Fields that change on every save without the goal itself changing.
_BOOKKEEPING = ("created_at", "updated_at")


def _payload(goal: Goal) -> dict:
    return goal.model_dump(mode="json", exclude={"id", "history"})


def _row_values(goal: Goal) -> dict:
    return dict(owner=goal.owner, status=goal.status, deadline=goal.deadline,
                progress=goal.progress, created_at=goal.created_at,
                updated_at=goal.updated_at, data=_payload(goal))


def _same_content(a: dict, b: dict) -> bool:
    strip = lambda d: {k: v for k, v in d.items() if k not in _BOOKKEEPING}  # noqa: E731
    return strip(a) == strip(b)


def _where(query, owner: str | Iterable[str] | None, status: str | Iterable[str] | None):
    for column, wanted in ((goals.c.owner, owner), (goals.c.status, status)):
        if isinstance(wanted, str):
            query = query.where(column == wanted)
        elif wanted is not None:
            query = query.where(column.in_(list(wanted)))
    return query


def _histories(conn: Connection, ids: list[int]) -> dict[int, list[GoalVersion]]:
    found: dict[int, list[GoalVersion]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = conn.execute(select(goal_versions).where(goal_versions.c.goal_id.in_(ids))
                        .order_by(goal_versions.c.goal_id, goal_versions.c.version))
    for row in rows:
        found[row.goal_id].append(GoalVersion(version=row.version, at=row.at, by=row.by,
                                              note=row.note, snapshot=row.snapshot))
    return found


def _load(conn: Connection, query) -> list[Goal]:
    rows = conn.execute(query.with_only_columns(goals.c.id, goals.c.data)).all()
    histories = _histories(conn, [row.id for row in rows])
    return [Goal.model_validate({**row.data, "id": row.id, "history": histories[row.id]})
            for row in rows]


def _insert_versions(conn: Connection, goal_id: int, versions: list[GoalVersion]) -> None:
    if versions:
        conn.execute(insert(goal_versions), [
            dict(goal_id=goal_id, **v.model_dump(mode="json", exclude={"at"}), at=v.at)
            for v in versions])


class GoalRepo(Repo):
    def save_goal(self, goal: Goal, by: str, note: str = "") -> Goal:
        """Insert (id None) or update a goal; returns it as stored, history included.

        An update that changes something appends the previous version, with
        `by` and `note`, to the history and sets updated_at to now; one that
        changes nothing writes nothing. A goal's owner can't change.
        """
        try:
            with self._write() as conn:
                goal_id = (self._insert(conn, goal) if goal.id is None
                           else self._update(conn, goal, by, note))
                return _load(conn, select(goals).where(goals.c.id == goal_id))[0]
        except IntegrityError as exc:
            raise StoreError(f"goal refused: is {goal.owner!r} a known user? ({exc.orig})") from exc

    def _insert(self, conn: Connection, goal: Goal) -> int:
        goal_id = conn.execute(insert(goals).values(**_row_values(goal))
                               .returning(goals.c.id)).scalar_one()
        _insert_versions(conn, goal_id, goal.history)  # e.g. a goal imported with its past
        return goal_id

    def _update(self, conn: Connection, goal: Goal, by: str, note: str) -> int:
        # FOR UPDATE: two concurrent editors on PostgreSQL must not both
        # append the same version number (SQLite's write lock does this already).
        row = conn.execute(select(goals.c.owner, goals.c.data).where(goals.c.id == goal.id)
                           .with_for_update()).one_or_none()
        if row is None:
            raise StoreError(f"no goal with id {goal.id}")
        if row.owner != goal.owner:
            raise StoreError(f"goal {goal.id} belongs to {row.owner!r}; its owner can't change")
        if _same_content(row.data, _payload(goal)):
            return goal.id
        now = self._now()
        last = conn.scalar(select(func.max(goal_versions.c.version))
                           .where(goal_versions.c.goal_id == goal.id)) or 0
        _insert_versions(conn, goal.id, [GoalVersion(
            version=last + 1, at=now, by=by, note=note, snapshot=row.data)])
        created = Goal.model_validate({**row.data, "id": goal.id}).created_at
        updated = goal.model_copy(update={"created_at": created, "updated_at": now})
        conn.execute(update(goals).where(goals.c.id == goal.id).values(**_row_values(updated)))
        return goal.id

    def get_goal(self, goal_id: int) -> Goal | None:
        with self._read() as conn:
            found = _load(conn, select(goals).where(goals.c.id == goal_id))
        return found[0] if found else None

    def list_goals(self, owner: str | Iterable[str] | None = None,
                   status: str | Iterable[str] | None = None) -> list[Goal]:
        """Goals oldest first; `owner`/`status` take one value or several."""
        with self._read() as conn:
            return _load(conn, _where(select(goals), owner, status).order_by(goals.c.id))

    def count_goals(self, owner: str | Iterable[str] | None = None,
                    status: str | Iterable[str] | None = None) -> int:
        with self._read() as conn:
            return conn.scalar(_where(select(func.count()).select_from(goals), owner, status))

    def count_goals_by_status(self, owner: str | Iterable[str] | None = None) -> dict[str, int]:
        """{status: count} over the matching goals, for the coordinator's aggregates."""
        query = _where(select(goals.c.status, func.count()).group_by(goals.c.status), owner, None)
        with self._read() as conn:
            return {status: count for status, count in conn.execute(query)}
