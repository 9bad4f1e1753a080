"""The knowledge base's records and errors.

IngestResult and DocumentInfo cross into the service layer and the UI, so they are strict
pydantic models. Block and Piece live only inside ingestion and stay plain dataclasses.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class KBError(Exception):
    """A knowledge-base problem whose message is meant for the person who caused it."""


class IngestError(KBError):
    """A file that can't be ingested; the message says why, in plain words."""


class EmbeddingMismatchError(KBError):
    """The index was built with another embedding model than the one configured."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IngestResult(_Strict):
    source: str = Field(description="File name as given (uploads) or the file's name on disk.")
    doc_id: str = Field("", description="Id of the document in the index; '' when nothing was stored.")
    status: Literal["added", "unchanged", "replaced", "error"] = Field(
        description="added: new; unchanged: same content already indexed; replaced: an older "
                    "version with the same name was swapped out; error: nothing changed.")
    chunks: int = Field(0, description="Passages stored for this document.")
    error: str | None = Field(None, description="Why the file was refused, for the coordinator.")


class DocumentInfo(_Strict):
    doc_id: str = Field(description="Id used by remove().")
    source: str = Field(description="File name the document came from.")
    title: str = Field(description="Document title (heading, metadata or file name).")
    chunks: int = Field(description="Number of passages in the index.")
    added_at: datetime = Field(description="When this version was ingested (UTC).")
    sha256: str = Field(description="Hash of the file's bytes; the same bytes are never added twice.")


@dataclass(frozen=True, slots=True)
class Block:
    """One heading or paragraph of a parsed file, in reading order."""

    text: str
    level: int = 0  # 0: body text; 1..6: heading level
    page: int | None = None  # 1-based PDF page


@dataclass(slots=True)
class ParsedDocument:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Piece:
    """A passage ready to be embedded: its text and where it sits in the document."""

    text: str
    section: str = ""
    page: int | None = None
