"""People: accounts, roles, activation and the (hashed) password.

The password hash is stored beside the user but never put in a `User`: only
`get_password_hash` hands it out, to the login code.
"""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from assistant.models import Role, User
from assistant.store.db import Repo, StoreError
from assistant.store.tables import users

_PUBLIC = (users.c.id, users.c.name, users.c.role, users.c.display_name, users.c.active,
           users.c.created_at)


def _user(row) -> User:
    return User(id=row.id, name=row.name, role=row.role, display_name=row.display_name,
                active=row.active, created_at=row.created_at)


class UserRepo(Repo):
    def add_user(self, user: User, password_hash: str | None = None) -> User:
        """Insert a new account; any `user.id` is ignored. Duplicate names are refused."""
        values = user.model_dump(exclude={"id"})
        try:
            with self._write() as conn:
                new_id = conn.execute(insert(users).values(**values, password_hash=password_hash)
                                      .returning(users.c.id)).scalar_one()
        except IntegrityError as exc:  # the only constraint a new row can break: unique name
            raise StoreError(f"a user named {user.name!r} already exists") from exc
        return user.model_copy(update={"id": new_id})

    def get_user(self, name: str) -> User | None:
        with self._read() as conn:
            row = conn.execute(select(*_PUBLIC).where(users.c.name == name)).one_or_none()
        return None if row is None else _user(row)

    def list_users(self, role: Role | None = None, include_inactive: bool = True) -> list[User]:
        query = select(*_PUBLIC).order_by(users.c.name)
        if role is not None:
            query = query.where(users.c.role == role)
        if not include_inactive:
            query = query.where(users.c.active.is_(True))
        with self._read() as conn:
            return [_user(row) for row in conn.execute(query)]

    def set_active(self, name: str, active: bool) -> User:
        """(De)activate an account; its records stay. Returns the updated user."""
        with self._write() as conn:
            row = conn.execute(update(users).where(users.c.name == name)
                               .values(active=active).returning(*_PUBLIC)).one_or_none()
        if row is None:
            raise StoreError(f"no user named {name!r}")
        return _user(row)

    def set_password_hash(self, name: str, password_hash: str | None) -> None:
        with self._write() as conn:
            done = conn.execute(update(users).where(users.c.name == name)
                                .values(password_hash=password_hash)).rowcount
        if not done:
            raise StoreError(f"no user named {name!r}")

    def get_password_hash(self, name: str) -> str | None:
        """The stored hash, or None for an unknown user or one without a password."""
        with self._read() as conn:
            return conn.scalar(select(users.c.password_hash).where(users.c.name == name))
