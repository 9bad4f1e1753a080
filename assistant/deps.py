"""Building the app's dependencies from Settings: done on demand, never at import."""
from __future__ import annotations

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


def build_deps(settings: Settings | None = None, *, backend: Backend | None = None,
               today: Callable[[], date] | None = None) -> Deps:
    from assistant.store import Store
    settings = settings or Settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    return Deps(settings=settings, store=Store(settings.db_url),
                backend=backend or make_backend(settings),
                today=today or (lambda: datetime.now(settings.tz).date()))  # the program's today
