"""The mentee's meeting prep: a chat turn per message, like goal drafting (service/goals.py).

Per turn: the mentee's words are saved first; the backend interprets them once
(the offline rules answer if it fails); the pure state machine (coach/prep.py)
decides what comes next; the draft is saved with the reply. When the mentee
accepts the agenda, it is saved as the meeting's next agenda version, goal
progress and milestones and the action items' statuses are applied, and each
active goal's progress is logged for the mentor's chart. A win, blocker,
question or wish told after that is added to the saved agenda as a new version.

One open prep conversation per mentee; it belongs to one meeting. When that
meeting is over, the next prep closes it (kept as history) and opens a new one.
"""
from __future__ import annotations

from dataclasses import dataclass

from assistant.agenda import build_agenda
from assistant.agenda_additions import add_to_agenda
from assistant.coach.prep import action_changes, goal_changes, phrase, prep_turn, start_prep
from assistant.coach.prep_models import PrepContext, PrepDraft, PrepUpdate, Step
from assistant.coach.types import TurnRequest
from assistant.meeting_models import Agenda, Meeting
from assistant.models import Conversation, Message, User
from assistant.service.access import NotFound, require_role
from assistant.service.turns import one_turn

MAX_MESSAGE = 4000


@dataclass
class PrepReply:
    text: str
    backend: str
    step: Step
    draft: PrepDraft
    meeting: Meeting
    agenda: Agenda | None = None  # the version saved this turn, if any
    fallback_reason: str | None = None


class MeetingPrepService:
    """Mixin of MeetingService: needs self.deps, _meeting_for, _upcoming, _record_usage."""

    def prep_conversation(self, actor: User, meeting_id: int | None = None) -> Conversation:
        """The mentee's prep for `meeting_id` (default: the one in progress, else the next
        meeting), started with its first question if new. Survives restarts."""
        require_role(actor, "mentee")
        with one_turn(self.deps.store.key, actor.name, "prep"):  # two tabs opening it write one first question
            conv, _ = self._prep_conv(actor, self._prep_meeting(actor, meeting_id))
        return conv

    def prep_draft(self, actor: User, meeting_id: int | None = None) -> PrepDraft:
        conv = self.prep_conversation(actor, meeting_id)
        return PrepDraft.model_validate(conv.state)

    def prep_chat(self, actor: User, text: str, meeting_id: int | None = None) -> PrepReply:
        require_role(actor, "mentee")
        text = text.strip()
        if not text:
            raise ValueError("Type a message first.")
        if len(text) > MAX_MESSAGE:
            raise ValueError("That message is too long (over 4,000 characters); please shorten it.")
        with one_turn(self.deps.store.key, actor.name, "prep"):  # another tab's turn finishes first
            return self._prep_turn(actor, text, meeting_id)

    def _prep_turn(self, actor: User, text: str, meeting_id: int | None) -> PrepReply:
        store = self.deps.store
        meeting = self._prep_meeting(actor, meeting_id)
        conv, draft = self._prep_conv(actor, meeting)
        conv.messages.append(Message(role="user", text=text))
        conv = store.save_conversation(conv)  # the mentee's words are safe before any model runs
        ctx = self._prep_context(meeting)
        req = TurnRequest(kind="prep", text=text, draft=draft.model_dump(mode="json"),
                          expecting=draft.asked, today=ctx.today,
                          history=[{"role": m.role, "text": m.text} for m in conv.messages[-6:]])
        result, update = self._interpret(req, PrepUpdate)  # GoalService's, with the prep schema
        draft, step = prep_turn(draft, update, ctx)
        agenda = (self._save_prep(actor, draft, step, ctx) if step.kind == "save" else
                  self._add_to_agenda(actor, step, ctx) if step.kind == "add" else None)
        use_llm = result.reply and step.kind == "ask" and result.asks == step.slot
        reply = result.reply if use_llm else phrase(step)
        conv.messages.append(Message(role="assistant", text=reply, backend=result.backend))
        conv.state = draft.model_dump(mode="json")
        store.save_conversation(conv)
        self._record_usage(actor, result)
        return PrepReply(reply, result.backend, step, draft, meeting, agenda, result.fallback_reason)

    # -- internals -------------------------------------------------------
    def _prep_meeting(self, actor: User, meeting_id: int | None) -> Meeting:
        if meeting_id is not None:
            meeting = self._meeting_for(actor, meeting_id)
            if meeting.status != "scheduled" or self._day(meeting.starts_at) < self.deps.today():
                raise ValueError("That meeting is over; prepare the next one.")
            return meeting
        # The prep in progress keeps its meeting while that meeting is still ahead.
        state = self.deps.store.open_conversation(actor.name, "prep").state or {}
        if state.get("meeting_id") is not None:
            current = self.deps.store.get_meeting(state["meeting_id"])
            if (current and current.mentee == actor.name and current.status == "scheduled"
                    and self._day(current.starts_at) >= self.deps.today()):
                return current
        meeting = self._upcoming(actor.name)
        if meeting is None:
            raise NotFound("No meeting is scheduled yet. Book one on the Meetings page "
                           "(or `waypoint meetings add`), then prepare it here.")
        return meeting

    def _prep_conv(self, actor: User, meeting: Meeting) -> tuple[Conversation, PrepDraft]:
        store = self.deps.store
        conv = store.open_conversation(actor.name, "prep")
        if conv.state and conv.state.get("meeting_id") != meeting.id:
            store.close_conversation(conv.id)  # the previous meeting's prep stays as history
            conv = store.open_conversation(actor.name, "prep")
        if conv.state:
            return conv, PrepDraft.model_validate(conv.state)
        draft, step = start_prep(self._prep_context(meeting))
        conv.messages.append(Message(role="assistant", text=phrase(step), backend="offline"))
        conv.state = draft.model_dump(mode="json")
        return store.save_conversation(conv), draft

    def _prep_context(self, meeting: Meeting) -> PrepContext:
        store = self.deps.store
        # Items agreed in earlier meetings; this meeting's own come after it.
        actions = [a for a in store.list_action_items(meeting.mentee, status="open")
                   if a.meeting_id != meeting.id]
        met_before = any(m.status != "cancelled" and m.starts_at < meeting.starts_at
                         for m in store.list_meetings(mentee=meeting.mentee))
        return PrepContext(meeting=meeting, goals=store.list_goals(owner=meeting.mentee),
                           open_actions=actions, today=self.deps.today(), met_before=met_before)

    def _save_prep(self, actor: User, draft: PrepDraft, step: Step, ctx: PrepContext) -> Agenda:
        store = self.deps.store
        agenda = store.save_agenda(step.agenda.model_copy(update={"created_by": actor.name}))
        for goal in goal_changes(draft, ctx.goals):
            store.save_goal(goal, by=actor.name, note="progress updated in meeting prep")
        for action in action_changes(draft, ctx.open_actions):
            store.set_action_status(action.id, action.status)
        active = store.list_goals(owner=ctx.meeting.mentee, status="active")
        store.record_progress([(g.id, g.progress) for g in active], meeting_id=ctx.meeting.id)
        return agenda

    def _add_to_agenda(self, actor: User, step: Step, ctx: PrepContext) -> Agenda:
        """What the mentee told the chat after saving, as the saved agenda's next version."""
        store = self.deps.store
        base = store.get_agenda(ctx.meeting.id)
        if base is None:  # the meeting's agenda is gone (a restored database): start one from the lists
            base = build_agenda(PrepDraft(mentor=ctx.meeting.mentor), ctx.goals, ctx.meeting, ctx.open_actions)
        return store.save_agenda(add_to_agenda(base, step.additions, ctx.meeting.mentor, ctx.goals, actor.name))
