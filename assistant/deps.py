"""Building the app's dependencies from Settings: done on demand, never at import."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Callable

from assistant.coach.types import Backend
from assistant.config import Settings

if TYPE_CHECKING:
    from assistant.kb import KnowledgeBase
    from assistant.store import Store


@dataclass
class Deps:
    settings: Settings
    store: "Store"
    backend: Backend
    today: Callable[[], date] = date.today
    _kb: "KnowledgeBase | None" = field(default=None, repr=False)

    @property
    def kb(self) -> "KnowledgeBase":
        # The KB loads an embedding model: only pay for it when a page needs it.
        if self._kb is None:
            from assistant.kb import KnowledgeBase
            self._kb = KnowledgeBase(self.settings)
            self._kb.upgrade_embeddings()  # after an upgrade that changed the embedding graph
            self._kb.ensure_defaults()  # first start: the program's default guidelines
        return self._kb


def make_backend(settings: Settings) -> Backend:
    if settings.llm == "offline":
        from assistant.coach.offline import OfflineBackend
        return OfflineBackend()
    from assistant.llm import make_backend as make_llm_backend
    return make_llm_backend(settings)


class SetupError(ValueError):
    """Waypoint can't start as configured (e.g. its data folder can't be created); says what to do."""


def build_deps(settings: Settings | None = None, *, backend: Backend | None = None,
               today: Callable[[], date] | None = None) -> Deps:
    """Settings, store and coach backend. Configuration problems raise ValueErrors whose message
    is one line for the deployer (see `setup_problem`)."""
    from assistant.store import Store
    settings = settings or Settings()
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SetupError(f"can't create the data folder {settings.home.resolve()} ({exc.strerror or exc}): "
                         "check WAYPOINT_HOME and the folder's permissions.") from exc
    backend = backend or make_backend(settings)  # first: a bad model setting leaves no engine open
    return Deps(settings=settings, store=Store(settings.db_url), backend=backend,
                today=today or (lambda: datetime.now(settings.tz).date()))  # the program's today


def setup_problem(exc: BaseException) -> str | None:
    """One line for the deployer when `exc` means Waypoint is misconfigured or a service it needs
    is unavailable (settings, database, Chroma, model configuration); None for anything else.
    Never holds a password: database URLs are not repeated."""
    from pydantic import ValidationError
    if isinstance(exc, ValidationError):  # e.g. WAYPOINT_TIMEZONE=Mars/Olympus: name the setting
        first = exc.errors()[0]
        where = "_".join(str(p) for p in first["loc"])
        name = f"WAYPOINT_{where.upper()}" if exc.title == "Settings" else where
        return f"{name}: {first['msg']}" if where else first["msg"]
    kb_types = sys.modules.get("assistant.kb.types")
    if isinstance(exc, ValueError) or (kb_types is not None and isinstance(exc, kb_types.KBError)):
        return str(exc)  # SetupError, DatabaseUnavailable, the LLM settings, the Chroma server...
    if "sqlalchemy" in sys.modules:  # a database that went away while running
        from assistant.store.db import describe_unavailable, is_unavailable
        if is_unavailable(exc):
            try:
                url = Settings().db_url
            except ValueError:
                return str(getattr(exc, "orig", exc)).splitlines()[0]
            return describe_unavailable(url, exc)
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc}: {exc.filename}"
    return None
