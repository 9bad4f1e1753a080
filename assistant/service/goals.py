"""Goal drafting and goals: the use cases behind the mentee chat and the mentor's view."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from typing import Any

from pydantic import BaseModel

from assistant.coach.flow import Step, advance, to_goal
from assistant.coach.offline import OfflineBackend, asks_coach
from assistant.coach.templates import answer_question, phrase, section_start
from assistant.coach.types import GoalDraft, GoalUpdate, TurnRequest, TurnResult
from assistant.models import Citation, Conversation, Goal, Message, User
from assistant.service.access import AccessDenied, NotFound, require_mentee_access, require_role
from assistant.service.turns import one_turn

log = logging.getLogger(__name__)
MAX_GOAL_MESSAGE = 2000  # a message may become a goal's part word for word, and a part holds 2,000
# What to look up in the guidelines when the coach asks for a missing criterion.
TIP_QUERIES = {
    "what": "how to make a goal specific",
    "measure": "how to make a goal measurable success criteria",
    "deadline": "goal deadline time-bound milestones",
    "achievability": "achievable goal resources support constraints",
    "relevance": "relevant goal why it matters career",
}

GUIDELINES_UNAVAILABLE = ("I can't reach the program guidelines right now, so I can't answer that from them. "
                          "Please ask again later, or ask your mentor or the program coordinator.")

@dataclass
class ChatReply:
    text: str
    backend: str
    step: Step
    draft: GoalDraft
    citations: list[Citation] = field(default_factory=list)
    goal: Goal | None = None
    fallback_reason: str | None = None


class GoalService:
    """Mixin of Service: needs self.deps."""

    def goal_conversation(self, actor: User) -> Conversation:
        """The mentee's open drafting conversation (created if none): resumes after a restart."""
        require_role(actor, "mentee")
        return self.deps.store.open_conversation(actor.name, "goal")

    def chat(self, actor: User, text: str) -> ChatReply:
        require_role(actor, "mentee")
        text = text.strip()
        if not text:
            raise ValueError("Type a message first.")
        if len(text) > MAX_GOAL_MESSAGE:
            raise ValueError(f"That message is too long (over {MAX_GOAL_MESSAGE:,} characters, the most a goal's "
                             "part can hold); please shorten it.")
        with one_turn(self.deps.store.key, actor.name, "goal"):  # another tab's turn finishes first
            return self._goal_turn(actor, text)

    def _goal_turn(self, actor: User, text: str) -> ChatReply:
        store = self.deps.store
        conv = store.open_conversation(actor.name, "goal")
        draft = GoalDraft.model_validate(conv.state or {})
        if draft.stage == "saved":  # the conversation goes on: a new message starts the next goal
            draft = GoalDraft()
        if draft.stage == "left":  # the mentee came back: carry on where they were
            draft = draft.model_copy(update={"stage": "confirming" if draft.asked is None and draft.what else "collecting"})
        conv.messages.append(Message(role="user", text=text))
        conv = store.save_conversation(conv)  # the mentee's words are safe before any model runs
        today = self.deps.today()
        passages = self._passages(text) if asks_coach(text, draft.asked) else []
        req = TurnRequest(kind="goal", text=text, draft=draft.model_dump(mode="json"), expecting=draft.asked,
                          today=today, passages=passages or [],
                          history=[{"role": m.role, "text": m.text} for m in conv.messages[-6:]])
        result, update = self._interpret(req)
        draft, step = advance(draft, update, today)
        goal = None
        if step.kind == "saved":
            goal = store.save_goal(to_goal(draft, actor.name), by=actor.name, note="created in chat")
            draft = draft.model_copy(update={"saved_goal_id": goal.id})
        reply, cites = self._reply(step, draft, result, passages)
        conv.messages.append(Message(role="assistant", text=reply, backend=result.backend, citations=cites))
        conv.state = draft.model_dump(mode="json")
        store.save_conversation(conv)
        self._record_usage(actor, result)
        return ChatReply(reply, result.backend, step, draft, cites, goal, result.fallback_reason)

    def goals(self, actor: User, owner: str | None = None) -> list[Goal]:
        """A mentee's goals: theirs, or their paired mentor's view of them."""
        owner = owner or actor.name
        require_mentee_access(self.deps.store, actor, owner)
        return self.deps.store.list_goals(owner=owner)

    def goal(self, actor: User, goal_id: int) -> Goal:
        goal = self.deps.store.get_goal(goal_id)
        if goal is None:
            raise NotFound(f"No goal {goal_id}.")
        require_mentee_access(self.deps.store, actor, goal.owner)
        return goal

    def mentees(self, actor: User) -> list[str]:
        require_role(actor, "mentor")
        return self.deps.store.mentees_of(actor.name)

    # -- internals -------------------------------------------------------
    def _interpret(self, req: TurnRequest, schema: type[BaseModel] = GoalUpdate) -> tuple[TurnResult, Any]:
        """One backend call; anything it gets wrong, the offline rules answer instead."""
        try:
            result = self.deps.backend.interpret(req)
            return result, schema.model_validate(result.update)
        except Exception as exc:  # noqa: BLE001 - a turn must never be lost (ValidationError included)
            log.warning("backend failed on a %s turn, offline rules answer: %s", req.kind, exc)
            result = OfflineBackend().interpret(req)
            result.backend, result.fallback_reason = "offline (fallback)", f"{type(exc).__name__}: {exc}"[:300]
            return result, schema.model_validate(result.update)

    def _reply(self, step: Step, draft: GoalDraft, result: TurnResult,
               passages: list[Citation] | None) -> tuple[str, list[Citation]]:
        if step.kind == "answer" and passages is None:  # not "not covered": we couldn't look
            return GUIDELINES_UNAVAILABLE + "\n\n" + phrase(step, draft), []
        if step.kind == "answer":
            relevant = [p for p in passages if p.score >= self.deps.settings.kb_min_score]
            # The passage quoted is the one cited: the section's opening one when it was found too
            # ("meet every two weeks" before "never more than four weeks apart").
            cites = [section_start(relevant)] if relevant else []
            answer = result.reply if (result.reply and cites) else answer_question(step.question, cites)
            return answer + "\n\n" + phrase(step, draft), cites
        if result.reply and step.kind == "ask" and result.asks == step.slot:
            return result.reply, []
        tip = self._tip(step.slot) if step.kind == "ask" and draft.tries.get(step.slot or "", 0) == 1 else None
        return phrase(step, draft, tip), [tip] if tip else []

    def _passages(self, query: str) -> list[Citation] | None:
        """The relevant passages; None when the guidelines can't be searched (a Chroma server
        down), which the coach must not pass off as "the guidelines don't cover that"."""
        try:
            return self.deps.kb.relevant(query, k=3)
        except Exception as exc:  # noqa: BLE001 - the coach works without its library
            log.warning("knowledge base unavailable: %s", exc)
            return None

    def _cached_passages(self, cache_name: str, query: str) -> list[Citation]:
        """Passages for one of the fixed tip queries, searched once per guideline revision
        (a removed document is never cited); a failed search is not kept."""
        try:
            revision = self.deps.kb.revision()
        except Exception as exc:  # noqa: BLE001
            log.warning("knowledge base unavailable: %s", exc)
            return []
        cache = self.__dict__.setdefault(cache_name, {})
        if (query, revision) not in cache:
            found = self._passages(query)
            if found is None:
                return []
            cache[(query, revision)] = found
        return cache[(query, revision)]

    def _tip(self, slot: str | None) -> Citation | None:
        if slot is None:
            return None
        found = self._cached_passages("_tips", TIP_QUERIES[slot])
        return found[0] if found else None

    def _record_usage(self, actor: User, result: TurnResult) -> None:
        if result.usage.calls:  # offline turns cost nothing and aren't counted
            self.deps.store.record_usage(actor.name, result.backend, result.usage)

