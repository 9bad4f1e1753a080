"""Changing a saved goal: its wording, deadline, status and progress, and its milestones.

Only the goal's owner changes it (a mentor reads); every change is a new version in the goal's
history, with who made it and what changed, so nothing a mentee wrote before is lost.
"""
from __future__ import annotations

from datetime import date
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from assistant.clock import long_date
from assistant.models import TITLE_MAX, Goal, Milestone, User
from assistant.service.access import NotFound, require_mentee_access
from assistant.smart import deadline_phrase

EDITABLE = ("title", "statement", "measure", "target", "baseline", "achievability", "relevance",
            "deadline", "status", "progress")
STATUSES = ("active", "done", "dropped")  # "draft" is the chat's, never set by hand


class GoalEditService:
    """Mixin of Service: needs self.deps."""

    def edit_goal(self, actor: User, goal_id: int, seen: Mapping[str, Any] | None = None,
                  **changes: Any) -> Goal:
        """Change some of a goal's fields (EDITABLE); raises ValueError with a message to show.

        `seen`: the fields as the form showed them. Then only the fields the user changed are
        written, so a form left open in another tab doesn't undo what was saved meanwhile, and a
        field changed both here and there is refused rather than overwritten."""
        goal = self._own_goal(actor, goal_id)
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise ValueError(f"A goal has no field {', '.join(unknown)}.")
        if seen is not None:
            changes = {k: v for k, v in changes.items() if k not in seen or seen[k] != v}
            clash = [k for k in changes if k in seen and getattr(goal, k) not in (seen[k], changes[k])]
            if clash:
                raise ValueError(f"{_label(clash)} changed in another window since this form was opened; "
                                 "nothing was saved. Reload the page to see the goal as it is now.")
        changed = {k: v for k, v in changes.items() if getattr(goal, k) != v}
        if not changed:
            return goal
        if "status" in changed and changed["status"] not in STATUSES:
            raise ValueError(f"The status must be one of {', '.join(STATUSES)}.")
        if "deadline" in changed:
            self._check_day(changed["deadline"], "The deadline")
            if "statement" not in changed:  # the sentence must not still say the old date
                changed["statement"] = restate_deadline(goal.statement, changed["deadline"], self.deps.today())
            if "title" not in changed:  # nor the title, when it names one ("Run a 10k by May")
                title = swap_deadline(goal.title, changed["deadline"], self.deps.today())
                if title and len(title) <= TITLE_MAX:
                    changed["title"] = title
        if changed.get("status", goal.status) == "done":
            changed["progress"] = 100  # done is 100%, whatever the slider said
        return self._save(actor, goal, changed, _note(changed))

    def add_milestone(self, actor: User, goal_id: int, title: str, due: date | None = None) -> Goal:
        goal = self._own_goal(actor, goal_id)
        if due is not None:
            self._check_day(due, "A milestone's date")
            if due > goal.deadline:
                raise ValueError(f"A milestone's date must be on or before the goal's deadline "
                                 f"({goal.deadline:%d %b %Y}).")
        try:
            milestone = Milestone(title=title, due=due)
        except ValidationError:
            raise ValueError("A milestone needs a title of at most 2,000 characters.") from None
        milestones = sorted([*goal.milestones, milestone], key=lambda m: (m.due is None, m.due or date.max))
        return self._save(actor, goal, {"milestones": milestones}, f"milestone added: {milestone.title}")

    def set_milestone_done(self, actor: User, goal_id: int, index: int, done: bool = True,
                           title: str | None = None) -> Goal:
        """Tick (or reopen) milestone `index`; `title`, the one the page showed there, finds it
        if the list changed meanwhile (added in another tab, re-sorted by date)."""
        goal = self._own_goal(actor, goal_id)
        index = _locate(goal, index, title)
        milestone = _milestone(goal, index)
        milestones = list(goal.milestones)
        milestones[index] = milestone.model_copy(update={"done": done})
        verb = "done" if done else "reopened"
        return self._save(actor, goal, {"milestones": milestones}, f"milestone {verb}: {milestone.title}")

    def remove_milestone(self, actor: User, goal_id: int, index: int, title: str | None = None) -> Goal:
        goal = self._own_goal(actor, goal_id)
        index = _locate(goal, index, title)
        milestone = _milestone(goal, index)
        milestones = [m for i, m in enumerate(goal.milestones) if i != index]
        return self._save(actor, goal, {"milestones": milestones}, f"milestone removed: {milestone.title}")

    # -- internals -------------------------------------------------------
    def _own_goal(self, actor: User, goal_id: int) -> Goal:
        goal = self.deps.store.get_goal(goal_id)
        if goal is None:
            raise NotFound(f"No goal {goal_id}.")
        require_mentee_access(self.deps.store, actor, goal.owner, write=True)
        return goal

    def _check_day(self, day: object, what: str) -> None:
        if not isinstance(day, date):
            raise ValueError(f"{what} must be a date.")
        if day < self.deps.today():
            raise ValueError(f"{what} can't be in the past ({day:%d %b %Y}).")

    def _save(self, actor: User, goal: Goal, changed: dict, note: str) -> Goal:
        try:  # validated as a whole: a blank statement or a progress of 120 is refused here
            edited = Goal.model_validate({**goal.model_dump(), **changed})
        except ValidationError as exc:
            raise ValueError(_readable(exc)) from None
        saved = self.deps.store.save_goal(edited, by=actor.name, note=note)
        if "progress" in changed:  # the mentor's progress chart
            self.deps.store.record_progress([(saved.id, saved.progress)])
        return saved


def restate_deadline(statement: str, deadline: date, today: date) -> str:
    """The goal sentence with its time phrase ("by March 31, 2027", "within 8 weeks") replaced
    by the new deadline, or the deadline added when the sentence has none."""
    body = statement.rstrip().rstrip(".")
    return (swap_deadline(body, deadline, today) or f"{body} by {long_date(deadline)}").strip() + "."


def swap_deadline(text: str, deadline: date, today: date) -> str | None:
    """`text` with its time phrase replaced by "by <deadline>"; None when it has none."""
    phrase = deadline_phrase(text, today)
    if not phrase or phrase.lower() not in text.lower():
        return None
    at = text.lower().rfind(phrase.lower())
    return " ".join((text[:at] + f"by {long_date(deadline)}" + text[at + len(phrase):]).split())


def _locate(goal: Goal, index: int, title: str | None) -> int:
    """Where the milestone the page showed at `index` as `title` is now."""
    if title is None or (0 <= index < len(goal.milestones) and goal.milestones[index].title == title):
        return index
    found = [i for i, m in enumerate(goal.milestones) if m.title == title]
    if len(found) != 1:
        raise ValueError(f"The milestone “{title}” isn't where this page showed it (changed in another "
                         "window?); nothing was changed. Reload the page to see the milestones as they are.")
    return found[0]


FIELD_NAMES = {"title": "The short title", "statement": "The goal sentence", "achievability": "What makes it achievable",
               "relevance": "Why it matters", "baseline": "The starting point", "measure": "How success is measured"}


def _label(fields: list[str]) -> str:
    return ", ".join(FIELD_NAMES.get(f, f"The {f}") for f in fields)


def _milestone(goal: Goal, index: int) -> Milestone:
    if not 0 <= index < len(goal.milestones):
        raise NotFound(f"Goal {goal.id} has no milestone {index + 1}.")
    return goal.milestones[index]


def _note(changed: dict) -> str:
    parts = []
    for key, value in changed.items():
        shown = f"{value:%Y-%m-%d}" if isinstance(value, date) else f"{value}%" if key == "progress" else None
        parts.append(f"{key} {shown}" if shown else key)
    return "edited: " + ", ".join(parts)


def _readable(exc: ValidationError) -> str:
    """The first problem in words a mentee reads ("The short title can't be empty.")."""
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    label = _label([field]) if field else "The goal"
    if first["type"] == "string_too_short":
        return f"{label} can't be empty."
    if first["type"] == "string_too_long":
        return f"{label} is too long (at most {first['ctx']['max_length']:,} characters)."
    return f"{label}: {first['msg']}."
