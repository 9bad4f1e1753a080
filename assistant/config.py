"""All configuration in one place: environment variables with the prefix WAYPOINT_.

Nothing here opens a database or loads a model; `build_deps` in deps.py does,
when the app or CLI asks for it.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.clock import zone


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WAYPOINT_", extra="ignore")

    home: Path = Field(Path(".waypoint"), description="Data folder: SQLite file, Chroma index, token cache, logs.")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default sqlite in home.")
    chroma_url: str | None = Field(None, description="http://host:port of a Chroma server; default embedded.")
    chroma_collection: str = Field("waypoint_guidelines", description="Chroma collection of the guidelines: "
                                   "one per install sharing a Chroma server (e.g. staging, production).")
    knowledge_dir: Path | None = Field(None, description="Default guidelines ingested on first start.")
    embedding: Literal["minilm", "openai"] = Field("minilm", description="Embedding model for the guidelines.")
    llm: Literal["offline", "openai"] | None = Field(None, description="Backend; default offline unless a key or base URL is set.")
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the OpenAI-compatible server.")
    llm_base_url: str | None = Field(None, description="Any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp).")
    llm_api_key: str | None = Field(None, description="API key; falls back to OPENAI_API_KEY.")
    llm_method: Literal["function_calling", "json_mode"] = Field(
        "function_calling", description="How the model returns structured output; json_mode for servers without tool calls.")
    llm_timeout: float = Field(20.0, gt=0, description="Seconds per model call before falling back.")
    llm_max_retries: int = Field(1, ge=0, le=5, description="Retries per turn before the offline engine answers.")
    admin_password: str | None = Field(None, description="Password of the first coordinator 'admin'.")
    # Measured with token matching (kb/late.py) on the default guidelines: off-topic workplace
    # questions score 0.21-0.39 ("What time does the canteen close?" 0.495: "Closing session"),
    # questions they answer 0.61 and up; on ../shared/corpus off-topic ones stay under 0.33, and 9
    # of 215 on-topic questions fall under 0.5 (3 of them retrieval misses anyway).
    kb_min_score: float = Field(0.5, description="Below this, the guidelines are said not to cover a question.")
    pdf_font: Path | None = Field(None, description="A TTF font for PDF exports (non-Latin names); default DejaVu Sans if installed.")
    max_upload_mb: int = Field(20, gt=0, description="Largest guideline upload accepted.")
    timezone: str = Field("UTC", description="IANA time zone meeting times are shown and entered in (stored as UTC).")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return zone(value).key  # a clear error at start-up, not at the first meeting shown

    @field_validator("chroma_collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        # Chroma's rule (3-512 characters), less room for the "_rebuild" suffix a reindex uses.
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{1,494}[A-Za-z0-9]", value) or ".." in value:
            raise ValueError("use 3-496 letters, digits, '.', '_' or '-', starting and ending with a "
                             "letter or digit, e.g. waypoint_staging")
        return value

    @model_validator(mode="after")
    def _defaults(self) -> "Settings":
        if self.llm_api_key is None:
            self.llm_api_key = os.environ.get("OPENAI_API_KEY") or None
        if self.llm is None:
            self.llm = "openai" if (self.llm_api_key or self.llm_base_url) else "offline"
        if self.knowledge_dir is None:
            self.knowledge_dir = Path(__file__).resolve().parent.parent / "knowledge"
        return self

    @property
    def pdf_font_path(self) -> str | None:
        """The configured font, else DejaVu Sans where the OS has it, else the PDF core font."""
        for candidate in (self.pdf_font, Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")):
            if candidate is not None and candidate.is_file():
                return str(candidate)
        return None

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'waypoint.db').resolve()}"

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"
