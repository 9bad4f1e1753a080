"""The guideline knowledge base: coordinators keep it current, everyone may search it."""
from __future__ import annotations

import hashlib
from pathlib import PurePath

from assistant.coach.templates import answer_question
from assistant.kb.types import DocumentInfo, IngestResult
from assistant.models import Citation, User
from assistant.service.access import NotFound, require_role


class KnowledgeService:
    """Mixin of Service: needs self.deps."""

    def kb_documents(self, actor: User):
        require_role(actor, "coordinator")
        return self.deps.kb.list_documents()

    def kb_upload(self, actor: User, name: str, data: bytes):
        """One uploaded file; size-checked before it is parsed. Replaces a same-named document."""
        require_role(actor, "coordinator")
        return self.deps.kb.add_bytes(name, data)

    def kb_replace(self, actor: User, doc_id: str, name: str, data: bytes):
        """A new version of a document under any file name: the old one goes only once the new
        one is in, so a broken upload never leaves the guidelines without it."""
        require_role(actor, "coordinator")
        docs = {d.doc_id: d for d in self.deps.kb.list_documents()}
        if doc_id not in docs:
            raise NotFound(f"No guideline document {doc_id}; it may have been removed meanwhile.")
        clash = _other_document(docs, doc_id, PurePath(name).name, hashlib.sha256(data).hexdigest())
        if clash:  # adding it would change that other document (or nothing) and then drop this one
            return IngestResult(source=name, status="error", error=clash)
        result = self.deps.kb.add_bytes(name, data)
        if result.status != "error" and result.doc_id != doc_id:
            self.deps.kb.remove(doc_id)
        return result

    def kb_remove(self, actor: User, doc_id: str) -> bool:
        require_role(actor, "coordinator")
        return self.deps.kb.remove(doc_id)

    def kb_search(self, actor: User, query: str, k: int = 5) -> list[Citation]:
        require_role(actor, "mentee", "mentor", "coordinator")
        if not query.strip():
            raise ValueError("Type something to search for.")
        return self.deps.kb.search(query, k=k)

    def ask_guidelines(self, actor: User, question: str) -> tuple[str, list[Citation]]:
        """An answer drawn only from the guidelines, with its source, or a plain 'not covered'."""
        require_role(actor, "mentee", "mentor", "coordinator")
        passages = self.deps.kb.relevant(question, k=3)
        return answer_question(question, passages), passages[:1]


def _other_document(docs: dict[str, DocumentInfo], doc_id: str, name: str, sha: str) -> str | None:
    """Why an upload can't replace `doc_id`: it is another document already, or has its file name."""
    for other in docs.values():
        if other.doc_id == doc_id:
            continue
        if other.sha256 == sha:
            return f"this file is already in the guidelines as “{other.title}”; nothing was replaced."
        if other.source == name:
            return (f"“{other.title}” already has the file name {name}; rename the file, or replace "
                    f"that document instead. Nothing was replaced.")
    return None
