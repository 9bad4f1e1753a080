"""Settings: one place for configuration, defaults that work offline."""
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.config import Settings

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_offline_unless_a_model_is_configured(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("WAYPOINT_LLM", raising=False)
    monkeypatch.delenv("WAYPOINT_LLM_BASE_URL", raising=False)
    assert Settings().llm == "offline"
    monkeypatch.setenv("WAYPOINT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    assert Settings().llm == "openai"
    monkeypatch.setenv("WAYPOINT_LLM", "offline")
    assert Settings().llm == "offline"  # an explicit choice wins


def test_database_url_defaults_to_sqlite_in_home(tmp_path):
    s = Settings(home=tmp_path)
    assert s.db_url == f"sqlite:///{(tmp_path / 'waypoint.db').resolve()}"
    assert Settings(home=tmp_path, database_url="postgresql+psycopg://x/y").db_url == "postgresql+psycopg://x/y"


def test_pdf_font_configured_else_dejavu_else_core_font(tmp_path, monkeypatch):
    font = tmp_path / "Brand.ttf"
    font.write_bytes(b"not really a font, but a file")
    assert Settings(pdf_font=font).pdf_font_path == str(font)
    expected = str(DEJAVU) if DEJAVU.is_file() else None
    assert Settings(pdf_font=tmp_path / "missing.ttf").pdf_font_path == expected


def test_chroma_collection_is_a_setting_with_chromas_naming_rule(monkeypatch):
    monkeypatch.delenv("WAYPOINT_CHROMA_COLLECTION", raising=False)
    assert Settings().chroma_collection == "waypoint_guidelines"
    monkeypatch.setenv("WAYPOINT_CHROMA_COLLECTION", "waypoint_staging")
    assert Settings().chroma_collection == "waypoint_staging"
    for bad in ("ab", "staging guidelines", "-staging", "a..b", "x" * 500):
        with pytest.raises(ValidationError, match="letters, digits"):
            Settings(chroma_collection=bad)
