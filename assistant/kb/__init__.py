"""The guideline knowledge base: ingestion, the Chroma index and hybrid search.

Importing this package opens nothing; `KnowledgeBase(settings)` opens Chroma and loads the
embedding model on first use.
"""
from assistant.kb.index import KnowledgeBase
from assistant.kb.loaders import SUPPORTED
from assistant.kb.types import DocumentInfo, EmbeddingMismatchError, IngestError, IngestResult, KBError

__all__ = ["KnowledgeBase", "IngestResult", "DocumentInfo", "KBError", "IngestError",
           "EmbeddingMismatchError", "SUPPORTED"]
