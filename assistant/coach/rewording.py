"""An instruction about the goal sentence's own wording: "drop the bit about my manager from the
goal sentence", "take 'with my team' out of the goal".

Such a message is never an answer to the question pending. What the rules can carry out (taking
a named piece out of the goal's words) they do; anything else is a "reject": the coach says how
to reword the goal ("change the goal to: ...") and asks its question again.
"""
from __future__ import annotations

import re

from assistant.agenda import keywords
from assistant.coach.flow import replace_phrase
from assistant.coach.parts import SENTENCES, SUPPORT, SUPPORTER
from assistant.coach.types import GoalDraft, GoalUpdate

_I = re.IGNORECASE
_VERB = (r"drop|remove|delete|take|leave|cut|strip|get rid of|change|replace|reword|rephrase|rewrite|edit|fix|add|"
         r"put|move|shorten")
# The goal's wording named as the thing to edit, after an editing verb.
INSTRUCTION = re.compile(rf"\b(?:{_VERB})\b.*?\b(?:goal(?:'s)? (?:sentence|statement|wording|text|title)|"
                         r"(?:from|out of|in) (?:the|my) goal\b|(?:the|my) goal(?:'s)? words)", _I | re.S)
_PIECE = r"(?P<piece>bit|part|sentence|line|words?|mention|stuff|piece|clause|phrase)"
DROP = re.compile(r"\b(?:drop|remove|delete|take|leave|cut|strip|get rid of)\s+(?:out\s+)?(?:the\s+|that\s+|this\s+)?"
                  rf"(?:{_PIECE}\s+(?:about|on|with|of|mentioning|that says|saying)\s+)?[\"'“‘]?(?P<words>.+?)"
                  r"[\"'”’]?\s+(?:out\s+)?(?:from|out of|in)\s+(?:the|my)\s+goal", _I | re.S)
_CLAUSE = re.compile(r",\s*|\s+(?=(?:and|with|but|plus)\s)", _I)


def reworded(text: str, draft: GoalDraft) -> GoalUpdate | None:
    """The update for an instruction about the goal's wording; None when the message is none."""
    if not draft.what or not INSTRUCTION.search(text):
        return None
    found = DROP.search(text)
    kept = _without(draft.what, found["words"], bool(found["piece"])) if found else None
    if kept is None:
        return GoalUpdate(intent="reject")
    what, dropped = kept
    # "My manager offered me a slot" is no part of the goal, but it is what makes it achievable.
    helps = not draft.achievability and (SUPPORT.search(dropped) or SUPPORTER.match(dropped))
    return GoalUpdate(what=what, achievability=dropped if helps else None)


def _without(what: str, words: str, whole: bool) -> tuple[str, str] | None:
    """`what` without the named words (or, for "the bit about X", the sentence or clause holding
    them), and what was taken out; None when they are not there or nothing of the goal would be left."""
    pieces = SENTENCES.split(what.strip())
    if len(pieces) < 2:
        pieces = _CLAUSE.split(what.strip())
    hits = [i for i, piece in enumerate(pieces) if _mentions(piece, words)] if whole else []
    if whole and hits and len(hits) < len(pieces):
        rest = [piece for i, piece in enumerate(pieces) if i not in hits]
        sep = " " if SENTENCES.search(what) else ", "
        return _checked(sep.join(rest), " ".join(pieces[i] for i in hits))
    if words.lower() in what.lower():
        return _checked(replace_phrase(what, words, "").strip(" ,;-"), words)
    return None


def _mentions(piece: str, words: str) -> bool:
    wanted = keywords(words)
    return words.lower() in piece.lower() or bool(wanted) and wanted <= keywords(piece)


def _checked(what: str, dropped: str) -> tuple[str, str] | None:
    if len(re.findall(r"\w+", what)) < 2:
        return None
    return what, dropped.strip(" ,;-")
