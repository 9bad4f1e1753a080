"""The offline backend: deterministic rules that fill the draft's slots.

It is the default coach, the fallback when an LLM fails, and the fake the
tests use. It never phrases replies itself (reply=None): the templates do.
"""
from __future__ import annotations

import re
from datetime import date

from assistant.coach.types import GoalDraft, GoalUpdate, TurnRequest, TurnResult
from assistant.smart import deadline_phrase, find_measure, is_specific, parse_deadline

_I = re.IGNORECASE
CONFIRM = re.compile(r"^\W*(yes|yep|yeah|yup|sure|ok(ay)?|save( it)?|please save|looks (good|great|fine)|lgtm|"
                     r"perfect|confirm(ed)?|correct|that'?s (right|it|good|great|fine)|sounds (good|great)|"
                     r"great|go ahead|do it|all good|fine)\b", _I)
REJECT = re.compile(r"^\W*(no|nope|nah|not (quite|yet|really)|wait|hmm+)\b", _I)
RESTART = re.compile(r"\b(start (over|again|afresh)|restart|from scratch|scrap (that|this|it)|reset|"
                     r"(a|another) (new|different) goal)\b", _I)
QUIT = re.compile(r"^\W*(quit|exit|bye|goodbye|leave|stop|cancel|later|not now|pause|"
                  r"i'?ll (come back|continue|finish) (to this )?later)\b", _I)
QUESTION = re.compile(r"^\W*(how|what|when|where|why|who|which|should|can|could|is|are|do|does|"
                      r"will|would|may)\b.*\?\s*$", _I | re.S)
GREETING = re.compile(r"^\W*(hi|hello|hey|good (morning|afternoon|evening))\W*$", _I)
EDIT = re.compile(r"\b(?:change|set|make|update|move|push|extend|edit)\s+(?:the\s+|my\s+)?"
                  r"(deadline|due date|date|target|measure|metric|goal|statement|what|reason|why|relevance|"
                  r"support|resources?|plan|achievab\w*|baseline)\s*(?:to|into|:|=)\s*(.+)$", _I | re.S)
EDIT_SLOT = {"deadline": "deadline", "due date": "deadline", "date": "deadline", "target": "measure",
             "measure": "measure", "metric": "measure", "goal": "what", "statement": "what", "what": "what",
             "reason": "relevance", "why": "relevance", "relevance": "relevance", "support": "achievability",
             "resource": "achievability", "resources": "achievability", "plan": "achievability",
             "baseline": "baseline"}
WHY = re.compile(r"\b(because|so that|so i can|so i could|in order to|which (will|would) help|"
                 r"to help me|(it|this) (matters|is important)|important (to|for) (me|my)|"
                 r"i want to (grow|become|move|get promoted)|for my (career|promotion|growth|role))\b", _I)
SUPPORT = re.compile(r"\b(my (manager|lead|boss|team lead|mentor)|budget|(\d+|an?|one|two|a few) hours?|"
                     r"i (have|'ve got|can (spend|set aside|dedicate|use|make))|with (the )?(help|support)|"
                     r"support from|access to|(company|employer|team|manager) (pays|will pay|covers|sponsors|funds)|"
                     r"paid by|covered by|sponsor\w*|(is|are|has) agreed|constraint|resources?|time (each|every|per))\b", _I)
BASELINE = re.compile(r"\b(currently|right now|at the moment|so far|today i|at present|from (\d+|zero|none))\b", _I)
SKIPPY = re.compile(r"^\W*(i don'?t know|not sure|no idea|dunno|skip|pass|n/?a|none)\W*$", _I)


class OfflineBackend:
    """Rules + templates; implements the Backend protocol."""
    name = "offline"

    def interpret(self, req: TurnRequest) -> TurnResult:
        if req.kind == "prep":
            from assistant.coach.prep_rules import interpret_prep  # prep plugs in here
            return interpret_prep(req)
        update = understand(req.text, GoalDraft.model_validate(req.draft), req.expecting, req.today)
        return TurnResult(update=update.model_dump(mode="json"), backend=self.name)


def understand(text: str, draft: GoalDraft, expecting: str | None, today: date) -> GoalUpdate:
    """The mentee's words as a GoalUpdate (pure)."""
    text = " ".join(text.split())
    if not text or GREETING.match(text):
        return GoalUpdate()
    if QUIT.match(text):
        return GoalUpdate(intent="quit")
    if RESTART.search(text):
        return GoalUpdate(intent="restart")
    if (edit := EDIT.search(text)):
        return _edit(EDIT_SLOT.get(edit.group(1).lower().rstrip("s"), EDIT_SLOT.get(edit.group(1).lower(), "what")),
                     edit.group(2).strip(), today)
    if draft.stage == "confirming" and CONFIRM.match(text) and not parse_deadline(text, today):
        return GoalUpdate(intent="confirm")
    if QUESTION.match(text) and expecting not in ("relevance", "achievability"):
        return GoalUpdate(intent="question", question=text)
    if draft.stage == "confirming" and REJECT.match(text) and len(text.split()) <= 3:
        return GoalUpdate(intent="reject")
    return _info(text, draft, expecting, today)


def _edit(slot: str, value: str, today: date) -> GoalUpdate:
    if slot == "deadline":
        return GoalUpdate(deadline=parse_deadline(value, today) or parse_deadline("by " + value, today),
                          deadline_text=value)
    if slot == "measure":
        return GoalUpdate(measure=value, target=value)
    return GoalUpdate(**{slot: value})


def _info(text: str, draft: GoalDraft, expecting: str | None, today: date) -> GoalUpdate:
    fields: dict = {}
    deadline = parse_deadline(text, today)
    # Once a deadline is set, only an explicit edit changes it: "I can use Friday afternoons"
    # is about time to work on the goal, not a new deadline.
    if deadline and (draft.deadline is None or expecting == "deadline"):
        fields["deadline"] = deadline
        fields["deadline_text"] = deadline_phrase(text) or ""
    measure = find_measure(text)
    if measure:
        fields["target"] = measure
    core_parts, why_parts, support = [], [], []
    for sentence in re.split(r"(?<=[.!;])\s+", text):
        why = WHY.search(sentence)
        if why:
            why_parts.append(sentence[why.start():].strip())
            sentence = sentence[: why.start()].strip(" ,;-")
        if sentence and SUPPORT.search(sentence) and not is_specific_goal_sentence(sentence, draft):
            support.append(sentence)
        elif sentence:
            core_parts.append(sentence)
    core = " ".join(core_parts)
    if why_parts:
        fields["relevance"] = " ".join(why_parts)
    if expecting == "relevance" and not SKIPPY.match(text):
        fields["relevance"] = text
    if expecting == "achievability" and not SKIPPY.match(text):
        fields["achievability"] = text
    elif support and expecting != "what":
        fields["achievability"] = " ".join(support)
    elif support:
        core = " ".join(filter(None, [core, *support]))
    if BASELINE.search(text):
        fields["baseline"] = next(s for s in re.split(r"(?<=[.!;])\s+", text) if BASELINE.search(s))
    if _wants_what(core, draft, expecting):
        fields["what"] = core
    if expecting == "measure" and "target" not in fields and not SKIPPY.match(text):
        if draft.tries.get("measure", 0) >= 2 or any(c.isdigit() for c in text):
            fields["target"] = text
    return GoalUpdate(**fields)


def is_specific_goal_sentence(sentence: str, draft: GoalDraft) -> bool:
    """A sentence that states the goal itself, even if it mentions a manager."""
    return not draft.what and is_specific(sentence) and bool(find_measure(sentence))


def _wants_what(core: str, draft: GoalDraft, expecting: str | None) -> bool:
    if not core or len(core.split()) < 2 or SKIPPY.match(core):
        return False
    if expecting == "what" or not draft.what:
        return expecting in (None, "what") or is_specific(core)
    # A specific statement replaces a vague wish, whatever was asked.
    return not is_specific(draft.what) and is_specific(core)
