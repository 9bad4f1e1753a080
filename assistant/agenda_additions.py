"""Add what the mentee remembers after saving the prep to the saved agenda. Pure.

The saved agenda may have been edited since (items renamed, reordered, re-timed), so it is
extended, never rebuilt from the prep: a new question or win joins its item's sub-points, a
new blocker or wish becomes an item before the wrap-up, and the time boxes are re-fitted to
the meeting, keeping their proportions.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from assistant.agenda import MIN_ITEM_MINUTES, _blocker_topic, _link_goal, keywords, retime, wish_words
from assistant.agenda import _prework as _build_prework
from assistant.coach.prep_models import PrepDraft
from assistant.meeting_models import Agenda, AgendaItem
from assistant.models import Goal

_LISTS = ("wins", "blockers", "questions", "wants")
# Entries gathered under one item: (its topic, who leads it).
_GROUPED = {"questions": ("Questions for {mentor}", "mentor"), "wins": ("Wins to share", "mentee")}


def add_to_agenda(agenda: Agenda, additions: Mapping[str, Sequence[str]], mentor: str,
                  goals: Sequence[Goal] = (), created_by: str = "") -> Agenda:
    """The agenda with `additions` (new wins, blockers, questions, wishes) in it: the next
    version to save. Entries it already has are not added twice."""
    new = {slot: _new_entries(getattr(agenda, slot), additions.get(slot, ())) for slot in _LISTS}
    items = list(agenda.items)
    fresh = [_item(_blocker_topic(b), "blocker", _link_goal(b, goals)) for b in new["blockers"]]
    fresh += [_item(w, "want") for w in new["wants"] if not _covered(w, items)]
    for slot, (topic, owner) in _GROUPED.items():
        if new[slot]:
            fresh += _grouped(items, slot, new[slot], topic.format(mentor=mentor or "the mentor"), owner)
    fields = agenda.model_dump()
    fields.update({slot: list(getattr(agenda, slot)) + new[slot] for slot in _LISTS})
    fields.update(items=retime(_insert(items, fresh, agenda.meeting_minutes), agenda.meeting_minutes),
                  prework=_prework(agenda.prework, new, mentor), created_by=created_by or agenda.created_by)
    fields.pop("created_at")  # the new version is made now
    return Agenda.model_validate(fields)


def _new_entries(have: Sequence[str], given: Sequence[str]) -> list[str]:
    seen, out = {h.casefold() for h in have}, []
    for entry in (g.strip() for g in given):
        if entry and entry.casefold() not in seen:
            seen.add(entry.casefold())
            out.append(entry)
    return out


def _item(topic: str, kind: str, goal_id: int | None = None, owner: str = "mentee",
          details: Sequence[str] = ()) -> AgendaItem:
    # Priority and minutes are placeholders: retime() numbers and re-fits every item.
    return AgendaItem(topic=topic, kind=kind, goal_id=goal_id, owner=owner, minutes=MIN_ITEM_MINUTES,
                      priority=1, details=list(details))


def _grouped(items: list[AgendaItem], kind: str, entries: list[str], topic: str, owner: str) -> list[AgendaItem]:
    """Adds the entries to the item of their kind, in place; or returns a new item for them (the
    mentee removed that item, or there was none)."""
    for n, item in enumerate(items):
        if item.kind == kind:
            items[n] = item.model_copy(update={"details": item.details + entries})
            return []
    return [_item(topic, kind, owner=owner, details=entries)]


def _covered(wish: str, items: Sequence[AgendaItem]) -> bool:
    """A wish that names an item already on the agenda ("mostly the budget") adds no item."""
    words = wish_words(wish)
    return bool(words) and any(words & keywords(" ".join([i.topic, *i.details])) for i in items)


def _insert(items: list[AgendaItem], fresh: list[AgendaItem], minutes: int) -> list[AgendaItem]:
    """`fresh` before the wrap-up item; past the room a meeting has (one item per 5 minutes),
    the last items before the wrap-up fold into "Other topics", as when the agenda was built."""
    at = next((n for n, i in enumerate(items) if i.kind == "wrapup"), len(items))
    body, tail = items[:at] + fresh, items[at:]
    room = minutes // MIN_ITEM_MINUTES
    if len(body) + len(tail) <= room:
        return body + tail
    keep = max(room - len(tail) - 1, 1)
    folded = [d for i in body[keep:] for d in (i.details if i.kind == "other" else [i.topic])]
    return body[:keep] + [_item("Other topics", "other", details=folded)] + tail


def _prework(have: Sequence[str], new: Mapping[str, list[str]], mentor: str) -> list[str]:
    """The saved lines, plus the ones build_agenda writes for questions and blockers if now due."""
    due = _build_prework(PrepDraft(questions=new["questions"], blockers=new["blockers"]), [], mentor)
    return list(have) + [line for line in due if line not in have]
