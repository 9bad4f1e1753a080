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
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, NoSuchModuleError, OperationalError
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


class DatabaseUnavailable(StoreError):
    """The database can't be used at all: a URL Waypoint doesn't support, a server that can't be
    reached or refuses the login, a file that can't be written. One line for the deployer: what is
    wrong and what to check, never the password."""


SUPPORTED_URLS = "use sqlite:///path or postgresql+psycopg://user:pw@host/db"


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
    """An engine for `url`; for a SQLite file, its folder is created first.

    A URL that isn't one, or names a database whose driver isn't installed, raises
    DatabaseUnavailable (a StoreError) saying which URLs work."""
    try:
        parsed = make_url(url)
    except ArgumentError:  # the URL itself is not repeated: it may hold a password
        raise DatabaseUnavailable(f"WAYPOINT_DATABASE_URL is not a database URL Waypoint supports: "
                                  f"{SUPPORTED_URLS}.") from None
    try:
        if parsed.get_backend_name() != "sqlite":
            return create_engine(parsed, pool_pre_ping=True)
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(f"can't create the data folder {folder} ({exc.strerror or exc}): "
                                          "check WAYPOINT_HOME and the folder's permissions.") from exc
        engine = create_engine(parsed)
    except (NoSuchModuleError, ImportError) as exc:  # postgres://, mysql://, a driver not installed
        raise DatabaseUnavailable(f"WAYPOINT_DATABASE_URL ({parsed.drivername}://...) is not a database URL "
                                  f"Waypoint supports: {SUPPORTED_URLS}.") from exc
    _sqlite_hooks(engine)
    return engine


_SQLITE_SETUP = ("unable to open", "readonly", "disk i/o", "locked", "not a database", "disk is full",
                 "malformed", "permission")


def is_unavailable(exc: BaseException) -> bool:
    """Whether a driver error means the database can't be used as configured (down, refused
    login, unknown database, no rights, unwritable file), rather than a bug in a query."""
    if not isinstance(exc, DBAPIError):
        return False
    if type(exc.orig).__module__.startswith("sqlite3"):  # its OperationalError also means bad SQL
        return any(word in str(exc.orig).lower() for word in _SQLITE_SETUP)
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    state = str(getattr(exc.orig, "sqlstate", None) or "")
    # 08 connection, 28 authorization, 3D unknown database, 42501 no privilege, 53 resources, 57P shutdown
    return (state[:2] in ("08", "28", "3D", "53") or state == "42501" or state.startswith("57P")
            or "not a database" in str(exc.orig))


def describe_unavailable(url: str | URL, exc: BaseException) -> str:
    """One line for the deployer about a DBAPI error from `url`'s database: what happened and
    what to check. The password is never in it."""
    url = make_url(url) if isinstance(url, str) else url
    raw = str(getattr(exc, "orig", None) or exc)
    if url.password:
        raw = raw.replace(str(url.password), "***")
    reason = raw.strip().splitlines()[0].rsplit(" failed: ", 1)[-1].replace("FATAL:", "").strip()
    reason = reason[:1].lower() + reason[1:] if reason[1:2].islower() else reason
    low = reason.lower()
    if url.get_backend_name() == "sqlite":
        path = url.database or ":memory:"
        if "not a database" in low:
            return f"{path} is not a SQLite database ({reason}): check WAYPOINT_HOME and WAYPOINT_DATABASE_URL."
        if "readonly" in low or "unable to open" in low or "disk i/o" in low or "permission" in low:
            verb = "write" if "readonly" in low else "open"
            return (f"can't {verb} the database file {path} ({reason}): check the permissions of the "
                    "file and its folder (WAYPOINT_HOME).")
        return f"the database file {path} can't be used ({reason})."
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    unreachable = ("refused", "timeout", "timed out", "resolve host", "translate host", "name or service",
                   "no route", "unreachable", "server closed", "terminating connection", "starting up",
                   "shutting down", "ssl negotiation")
    if any(word in low for word in unreachable):
        return (f"can't reach the database at {where} ({reason}). "
                "Check WAYPOINT_DATABASE_URL and that the server is running.")
    if "permission denied" in low:
        return (f"the database user can't create Waypoint's tables at {where} ({reason}): "
                "grant it the rights on the database, or use the database's owner in WAYPOINT_DATABASE_URL.")
    return (f"the database server at {where} refused the connection ({reason}). "
            "Check the user, password and database name in WAYPOINT_DATABASE_URL.")


def has_data(url: str) -> bool:
    """Whether `url` holds a Waypoint database with people in it (what `waypoint init` makes).
    Creates nothing: a SQLite file that doesn't exist is simply no data."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        parsed = None  # make_engine says what is wrong with it
    if parsed is not None and parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or (
                not database.startswith("file:") and not Path(database).expanduser().is_file()):
            return False
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return (conn.dialect.has_table(conn, "users")
                    and conn.execute(text("SELECT 1 FROM users LIMIT 1")).first() is not None)
    except DBAPIError as exc:
        if is_unavailable(exc):
            raise DatabaseUnavailable(describe_unavailable(engine.url, exc)) from exc
        raise
    finally:
        engine.dispose()


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
