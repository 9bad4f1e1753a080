"""Engine, column types, transactions and the migration runner.

Nothing here assumes SQLite: the only SQLite-specific SQL lives in
`_sqlite_hooks` (WAL, busy timeout, foreign keys, how BEGIN is emitted), the
only PostgreSQL-specific SQL in `_lock_for_migration`.

Schema changes are never made here: they are steps in `migrations.MIGRATIONS`
(see that module's docstring for how to add one).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (JSON, Column, DateTime, Engine, Integer, MetaData, String, Table,
                        create_engine, event, func, insert, select, text)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.types import TypeDecorator

from assistant.models import utcnow

BUSY_TIMEOUT_MS = 10_000
_WRITE = "waypoint_write"  # execution option: this transaction will write
_MIGRATION_LOCK_KEY = 0x57415950  # "WAYP": PostgreSQL advisory lock id

# Named constraints, so that a later migration can drop or alter them by name.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class StoreError(ValueError):
    """A write was refused (duplicate, unknown record, broken rule). The message says why."""


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes in, UTC-aware datetimes out, on every database.

    SQLite has no timezone type (SQLAlchemy stores naive text there), PostgreSQL
    returns values in the session's zone: normalising both ways makes a model
    round-trip equal whatever the backend. Naive input is taken to be UTC.
    """
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else _as_utc(value)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else _as_utc(value)


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


# Plain JSON (not JSONB) on PostgreSQL too: it keeps the text exactly as written.
Json = JSON


def make_engine(url: str) -> Engine:
    """An engine for `url`; for a SQLite file, its folder is created first."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    _sqlite_hooks(engine)
    return engine


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # sqlite3's own transaction handling skips BEGIN for SELECT and DDL,
        # which breaks transactional migrations; we emit BEGIN in _on_begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: WAL switch may wait
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A deferred transaction that reads then writes can fail at once with
        # "database is locked" (lock upgrade); IMMEDIATE takes the write lock
        # up front, so a second writer waits up to the busy timeout instead.
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One transaction that writes: all of it is committed, or none of it."""
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield conn


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """One read transaction, so that multi-query reads see one snapshot."""
    with engine.connect() as conn, conn.begin():
        yield conn


class Repo:
    """Base of the repository mixins that make up `Store`."""
    engine: Engine
    _now: Callable[[], datetime] = staticmethod(utcnow)

    def _write(self):
        return write(self.engine)

    def _read(self):
        return read(self.engine)


# --- migrations -----------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One schema change. Its version is its 1-based position in the list."""
    name: str
    apply: Callable[[Connection], None]


_bookkeeping = MetaData()
schema_version = Table(
    "schema_version", _bookkeeping,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, schema_version.name):
        return 0
    return conn.scalar(select(func.max(schema_version.c.version))) or 0


def migrate(engine: Engine, steps: Sequence[Step]) -> int:
    """Apply the steps the database lacks, in order, in ONE transaction.

    A failing step rolls everything back, leaving the database at its old
    version. Returns the version the database is at afterwards.
    """
    with write(engine) as conn:
        _lock_for_migration(conn)
        schema_version.create(conn, checkfirst=True)
        version = current_version(conn)
        if version > len(steps):
            raise StoreError(f"the database is at schema version {version}, newer than this "
                             f"code ({len(steps)}); upgrade Waypoint before opening it")
        for number, step in enumerate(steps[version:], start=version + 1):
            step.apply(conn)
            conn.execute(insert(schema_version).values(
                version=number, name=step.name, applied_at=utcnow()))
    return len(steps)


def _lock_for_migration(conn: Connection) -> None:
    """Serialise concurrent openers so a step never runs twice."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
    # SQLite: the BEGIN IMMEDIATE of `write` already holds the database's write lock.
