"""The meeting-prep conversation: a pure state machine over a `PrepDraft`.

Per turn the caller does: load the draft and a `PrepContext` from the store,
let a backend turn the message into a `PrepUpdate` (expecting=draft.asked),
call `prep_turn`, save the draft, reply with `phrase(step)`. On
`step.kind == "save"` it also saves `step.agenda` and applies
`goal_changes(...)` and `action_changes(...)`.

Order of questions: each active goal, each open action item from last time,
then wins, blockers, questions for the mentor, and wishes for the meeting.
Anything already known (volunteered earlier, skipped, or "nothing") is never asked.
"""
from __future__ import annotations

from typing import Sequence

from assistant.agenda import build_agenda, progress_updates
from assistant.coach.prep_models import (LIST_SLOTS, ActionStatusReport, GoalReport, PrepAction, PrepContext,
                                         PrepDraft, PrepGoal, PrepUpdate, Step)
from assistant.meeting_models import ActionItem
from assistant.models import Goal

MAX_RETRIES = 2  # after this many unusable answers in a row the question counts as skipped
_LIST_NOUN = {"wins": "win", "blockers": "blocker", "questions": "question", "wants": "wish for the meeting"}


def new_draft(ctx: PrepContext) -> PrepDraft:
    goals = [PrepGoal(id=g.id, title=g.title, progress=g.progress,
                      milestones=[m.title for m in g.milestones if not m.done])
             for g in ctx.goals if g.status == "active" and g.id is not None]
    actions = [PrepAction(id=a.id, text=a.text, owner=a.owner, due=a.due)
               for a in ctx.open_actions if a.status == "open" and a.id is not None]
    return PrepDraft(meeting_id=ctx.meeting.id, mentor=ctx.meeting.mentor, goals=goals, actions=actions,
                     met_before=ctx.has_met_before())


def start_prep(ctx: PrepContext) -> tuple[PrepDraft, Step]:
    """A fresh draft and its first question."""
    draft, step = _next(new_draft(ctx), ctx, [])
    return draft, step.model_copy(update={"intro": True})


def slots(draft: PrepDraft) -> list[str]:
    return [f"goal:{g.id}" for g in draft.goals] + [f"action:{a.id}" for a in draft.actions] + list(LIST_SLOTS)


def is_filled(draft: PrepDraft, slot: str) -> bool:
    if slot in draft.answered:
        return True
    kind, _, ident = slot.partition(":")
    if kind == "goal":
        return draft.report_for(int(ident)) is not None
    if kind == "action":
        return draft.status_for(int(ident)) is not None
    return bool(getattr(draft, slot, None))


def open_slots(draft: PrepDraft) -> list[str]:
    return [s for s in slots(draft) if not is_filled(draft, s)]


def _merge_goal(draft: PrepDraft, rep: GoalReport) -> list[str]:
    goal = draft.goal(rep.goal_id)
    if goal is None:  # an id the backend invented: ignore rather than fail the turn
        return []
    by_fold = {m.casefold(): m for m in goal.milestones}
    new_done = [by_fold[m.casefold()] for m in rep.milestones_done if m.casefold() in by_fold]
    old = draft.report_for(goal.id) or GoalReport(goal_id=goal.id)
    merged = GoalReport(
        goal_id=goal.id, percent=rep.percent if rep.percent is not None else old.percent,
        milestones_done=old.milestones_done + [m for m in new_done if m not in old.milestones_done],
        note=" ".join(n for n in (old.note, rep.note.strip()) if n)[:2000])
    draft.reports = [r for r in draft.reports if r.goal_id != goal.id] + [merged]
    noted = [f"\u201c{goal.title}\u201d at {rep.percent}%"] if rep.percent is not None else []
    noted += [f"milestone \u201c{m}\u201d done" for m in new_done]
    if not noted and rep.note.strip():
        noted.append(f"what moved on \u201c{goal.title}\u201d")
    return noted


def _merge_action(draft: PrepDraft, rep: ActionStatusReport) -> list[str]:
    action = draft.action(rep.action_id)
    if action is None:
        return []
    draft.action_reports = [r for r in draft.action_reports if r.action_id != action.id] + [rep]
    return [f"\u201c{action.text}\u201d {rep.status.replace('_', ' ')}"]


def apply_update(draft: PrepDraft, update: PrepUpdate) -> list[str]:
    """Merge the update into `draft` (in place); returns what was recorded, for the acknowledgement."""
    noted: list[str] = []
    for rep in update.goals:
        noted += _merge_goal(draft, rep)
    for rep in update.actions:
        noted += _merge_action(draft, rep)
    noted += _list_notes(_merge_lists(draft, update))
    for slot in update.none_for:
        if slot not in draft.answered and not getattr(draft, slot):
            draft.answered = draft.answered + [slot]
            noted.append(f"no {slot}")
    return noted


def _merge_lists(draft: PrepDraft, update: PrepUpdate) -> dict[str, list[str]]:
    """Add the update's new wins, blockers, questions and wishes to `draft`; returns them by slot."""
    added: dict[str, list[str]] = {}
    for slot in LIST_SLOTS:
        have = getattr(draft, slot)
        seen = {v.casefold() for v in have}
        new = list(dict.fromkeys(v.strip() for v in getattr(update, slot) if v.strip() and v.strip().casefold() not in seen))
        if new:
            setattr(draft, slot, have + new)
            added[slot] = new
    return added


def _list_notes(added: dict[str, list[str]]) -> list[str]:
    return [f"{len(new)} {_LIST_NOUN[slot]}{'s' if len(new) > 1 and slot != 'wants' else ''}"
            for slot, new in added.items()]


def _agenda(draft: PrepDraft, ctx: PrepContext):
    return build_agenda(draft, ctx.goals, ctx.meeting, ctx.open_actions)


def _confirm(draft: PrepDraft, ctx: PrepContext, noted: list[str], retry: bool = False) -> tuple[PrepDraft, Step]:
    draft.stage, draft.asked, draft.retries = "confirming", "confirm", 0
    return draft, Step(kind="confirm", agenda=_agenda(draft, ctx), mentor=draft.mentor, noted=noted, retry=retry)


def _ask(draft: PrepDraft, slot: str, noted: list[str], todo: list[str], retry: bool = False) -> Step:
    kind, _, ident = slot.partition(":")
    return Step(kind="ask", slot=slot, goal=draft.goal(int(ident)) if kind == "goal" else None,
                action=draft.action(int(ident)) if kind == "action" else None, mentor=draft.mentor,
                noted=noted, retry=retry, remaining=len(todo), met_before=draft.met_before)


def _next(draft: PrepDraft, ctx: PrepContext, noted: list[str], failed: bool = False) -> tuple[PrepDraft, Step]:
    todo = open_slots(draft)
    if failed and draft.asked in todo:
        draft.retries += 1
        if draft.retries < MAX_RETRIES:
            return draft, _ask(draft, draft.asked, noted, todo, retry=True)
        draft.answered = draft.answered + [draft.asked]  # stop insisting: count it as skipped
        todo.remove(draft.asked)
    if not todo:
        return _confirm(draft, ctx, noted)
    # Keep asking the same question when the mentee volunteered something else instead.
    slot = draft.asked if draft.asked in todo else todo[0]
    draft.asked, draft.retries = slot, 0
    return draft, _ask(draft, slot, noted, todo)


def prep_turn(draft: PrepDraft, update: PrepUpdate, ctx: PrepContext) -> tuple[PrepDraft, Step]:
    """One mentee turn: returns the new draft (the input is not changed) and what to do next."""
    draft = draft.model_copy(deep=True)
    if update.intent == "restart":
        fresh, step = _next(new_draft(ctx), ctx, [])
        return fresh, step.model_copy(update={"restarted": True, "intro": True})
    if update.intent == "quit":
        draft.stage = "left"
        return draft, Step(kind="left", mentor=draft.mentor, remaining=len(open_slots(draft)))
    if draft.stage == "saved":
        # Something for the meeting remembered after saving goes onto the saved agenda (as its
        # next version, so that the editor's changes stay); progress was applied at the save.
        added = _merge_lists(draft, update)
        if added:
            return draft, Step(kind="add", additions=added, mentor=draft.mentor, noted=_list_notes(added))
        return draft, Step(kind="closed", mentor=draft.mentor)
    if draft.stage == "left":  # coming back after leaving: carry on where it stopped
        draft.stage = "confirming" if draft.asked in ("confirm", "change") else "collecting"
    noted = apply_update(draft, update)
    if draft.stage == "confirming":
        if update.intent in ("confirm", "finish"):
            draft.stage, draft.asked = "saved", None
            return draft, Step(kind="save", agenda=_agenda(draft, ctx), mentor=draft.mentor, noted=noted)
        if update.intent == "reject" and update.is_empty():
            draft.asked = "change"
            return draft, Step(kind="change", mentor=draft.mentor, noted=noted)
        # Showing the same agenda without a word would look as if the message had been taken.
        return _confirm(draft, ctx, noted, retry=update.intent == "info" and update.is_empty())
    if update.intent == "finish":
        return _confirm(draft, ctx, noted)
    if update.intent == "skip" and draft.asked and not is_filled(draft, draft.asked):
        draft.answered = draft.answered + [draft.asked]
    failed = update.intent != "skip" and update.is_empty()
    return _next(draft, ctx, noted, failed)


def goal_changes(draft: PrepDraft, goals: Sequence[Goal]) -> list[Goal]:
    """Copies of the goals whose progress or milestones the prep changed (for the caller to save)."""
    by_id = {g.id: g for g in goals}
    out = []
    for p in progress_updates(draft, [g for g in goals if g.id is not None]):
        goal = by_id[p.goal_id]
        done = set(p.milestones_done)
        milestones = [m.model_copy(update={"done": True}) if m.title in done else m for m in goal.milestones]
        if p.progress_after != goal.progress or milestones != goal.milestones:
            out.append(goal.model_copy(update={"progress": p.progress_after, "milestones": milestones}))
    return out


def action_changes(draft: PrepDraft, actions: Sequence[ActionItem]) -> list[ActionItem]:
    """Copies of the action items marked done or dropped ('in progress' leaves them open)."""
    out = []
    for action in actions:
        rep = draft.status_for(action.id) if action.id is not None else None
        if rep and rep.status in ("done", "dropped") and rep.status != action.status:
            out.append(action.model_copy(update={"status": rep.status}))
    return out


def _agenda_lines(step: Step) -> list[str]:
    agenda = step.agenda
    lines = [f"{n}. {item.topic} ({item.minutes} min)" for n, item in enumerate(agenda.items, 1)]
    return [f"Here is the agenda for your {agenda.meeting_minutes}-minute meeting:", *lines]


def _goal_question(step: Step) -> str:
    g = step.goal
    hint = f" Milestones still open: {', '.join(g.milestones)}." if g.milestones else ""
    title = f"\u201c{g.title}\u201d"
    # Before a first meeting there is no "last meeting" to count from.
    opener = f"What moved on {title} since your last meeting?" if step.met_before else f"How is {title} coming along?"
    return f"{opener} It was at {g.progress}%: roughly where is it now?{hint}"


def _question(step: Step) -> str:
    if step.goal is not None:
        return _goal_question(step)
    if step.action is not None:
        a = step.action
        who = "you" if a.owner == "mentee" else (step.mentor or "your mentor")
        due = f" (due {a.due:%d %b %Y})" if a.due else ""
        return f"Last time {who} agreed to \u201c{a.text}\u201d{due}. Is it done, in progress, or dropped?"
    mentor = step.mentor or "your mentor"
    since = " since the last meeting" if step.met_before else " lately"
    return {"wins": f"Any wins{since}, big or small?",
            "blockers": "Is anything blocking you or slowing you down?",
            "questions": f"What would you like to ask {mentor}?",
            "wants": "What do you most want from this meeting? Put the most important first."}[step.slot]


def phrase(step: Step) -> str:
    """The template reply for a step (the offline default; an LLM may phrase it instead)."""
    parts = [f"Noted: {', '.join(step.noted)}."] if step.noted else []
    if step.restarted:
        parts.append("Starting the prep over.")
    if step.kind == "ask":
        if step.retry:
            parts.append("Sorry, I didn't get that." + (" Just say done, in progress or dropped."
                                                        if step.action else " Say \u201cskip\u201d to move on."))
        parts.append(_question(step))
        if step.intro:
            parts.append("You can skip any question, or say \u201cdone\u201d to see the agenda early.")
        return " ".join(parts)
    if step.kind == "confirm":
        if step.retry:
            parts.append("Sorry, I didn't catch a change there. Add a blocker, question or wish "
                         "(e.g. \u201cadd a question: ...\u201d).")
        return "\n".join([" ".join(parts), *_agenda_lines(step),
                          "Shall I save it? Say yes, or tell me what to add or change."]).strip()
    parts.append({
        "change": "What would you like to change? Add a blocker, question or wish, or say \u201cdone\u201d to save.",
        "save": f"Saved. {step.mentor or 'Your mentor'} will see the agenda before the meeting.",
        "left": "OK, I kept your answers. Come back any time to finish the prep.",
        "add": f"I added {'it' if sum(map(len, step.additions.values())) == 1 else 'them'} to your saved agenda; "
               f"{step.mentor or 'your mentor'} sees the new version.",
        "closed": ("Your agenda is saved. To add to it, tell me a question, blocker or win "
                   "(\u201cI'd also like to ask \u2026\u201d), or edit the agenda beside the chat."),
    }[step.kind])
    return " ".join(parts)
