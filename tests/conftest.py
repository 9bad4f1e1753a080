"""Fixtures shared by every test module. Keep this file a list of small fixtures;
helpers with any weight live in their own module (e.g. tests/pg.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pg import pg_url  # noqa: F401  (session fixture: URL of a throwaway PostgreSQL cluster)


@pytest.fixture
def tmp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder set as WAYPOINT_HOME, with WAYPOINT_DATABASE_URL unset,
    so that `Settings()` points at a fresh SQLite database inside it."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("WAYPOINT_HOME", str(home))
    monkeypatch.delenv("WAYPOINT_DATABASE_URL", raising=False)
    return home
