"""One chat turn at a time per conversation.

A turn reads the conversation, asks the backend (seconds, with a language model) and saves the
reply. Two tabs of the same mentee sending at once would both read the same state, and the later
save would drop the other turn. Within one process (a Streamlit server, the CLI) turns of the same
conversation therefore wait for each other; across processes the store refuses a save that
doesn't extend what is stored (`ConversationChanged`), so a turn is refused, never lost silently.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

WAIT_SECONDS = 120  # longer than a model call with its retries; then the user is told, not left waiting

_guard = threading.Lock()
_locks: dict[tuple[str, str, str], threading.RLock] = {}


@contextmanager
def one_turn(db: str, user: str, kind: str) -> Iterator[None]:
    """Hold the (database, user, conversation kind) turn lock; re-entrant within a thread."""
    with _guard:
        lock = _locks.setdefault((db, user, kind), threading.RLock())
    if not lock.acquire(timeout=WAIT_SECONDS):
        raise ValueError("Another window is still waiting for the coach's answer; try again in a moment.")
    try:
        yield
    finally:
        lock.release()
