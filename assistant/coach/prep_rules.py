"""Offline understanding of meeting-prep messages: regex and keyword rules.

Each sentence is read on its own, so information can come in any order:
"I'm about 60% on the talk, finished the outline, blocked by legal, and I'd
like to ask how to handle Q&A" fills a goal report, a milestone, a blocker and
a question at once. The slot the coach asked about (`expecting`) only decides
where a sentence with no cue of its own goes.

A bare "done" answers the question asked when that is a goal or an action item
("is it done?" - "done"); anywhere else it means "that's all, show the agenda".
A sentence that only says no ("Nothing really.", "Nope") answers the topic asked
with none; one with a cue of its own ("no blockers", "Good news: I passed") is
filed by that cue whatever was asked. The words themselves live in `prep_cues`.
"""
from __future__ import annotations

import re

from assistant.agenda import keywords
from assistant.coach.prep_cues import (BLOCKER_CUE, CONFIRM, DONE_WORD, FINISH, LABEL, LABEL_SLOT, NEGATION,
                                       NONE_FOR, POLITE, QUESTION_CUE, QUIT, REJECT, RESTART, SHORT_NO, SKIP, THANKS,
                                       WANT_CUE, WIN_CUE, YES, accomplished, action_status, chatter, names_a_topic,
                                       percent_in, progress_answer, sentences)
from assistant.coach.prep_models import ActionStatusReport, GoalReport, PrepDraft, PrepUpdate
from assistant.coach.text import plain
from assistant.coach.types import TurnRequest, TurnResult

__all__ = ["OfflinePrepInterpreter", "interpret_prep", "percent_in", "understand"]


def _overlap_needed(words: set[str]) -> int:
    return max(1, min(2, len(words)))


def _milestones(sentence: str, draft: PrepDraft) -> list[tuple[int, str]]:
    """(goal id, milestone title) for each milestone the sentence says is done."""
    if not DONE_WORD.search(sentence) or NEGATION.search(sentence):
        return []
    words, found = keywords(sentence), []
    for goal in draft.goals:
        for title in goal.milestones:
            need = keywords(title)
            hits = words & need
            # One word is enough when it names this milestone only ("the outline"), not a goal too.
            others = [m for g in draft.goals for m in g.milestones if m != title] + [g.title for g in draft.goals]
            if need and (len(hits) >= _overlap_needed(need) or hits & _distinctive(need, others)):
                found.append((goal.id, title))
    return found


def _distinctive(words: set[str], others: list[str]) -> set[str]:
    """The words that name one thing only: enough on their own to recognise it."""
    return words - set().union(*(_words(o) for o in others))


def _words(text: str) -> set[str]:
    """Keywords plus short names in capitals ("the CV", "B1"), which keywords() drops as too short."""
    return keywords(text) | {w.lower() for w in re.findall(r"\b[A-Z][A-Z0-9]{1,5}\b", text)}


def _goal_named(sentence: str, draft: PrepDraft) -> int | None:
    words = _words(sentence)
    scored = sorted(((len(words & _words(g.title)), g.id) for g in draft.goals), reverse=True)
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None


def _action_named(sentence: str, draft: PrepDraft) -> int | None:
    words = _words(sentence)
    for action in draft.actions:
        need = _words(action.text)
        others = [a.text for a in draft.actions if a.id != action.id] + [g.title for g in draft.goals]
        hits = words & need
        if need and (len(hits) >= _overlap_needed(need) or hits & _distinctive(need, others)):
            return action.id
    return None


_LEAD_IN = re.compile(r"^\W*(?:(?:and|also|plus|oh|so|then|another thing|one more thing|oh and|and also)\b[\s,:;-]*)+", re.I)


def _tidy(entry: str) -> str:
    """An entry as the agenda shows it: without the lead-in that joined it to the chat
    ("Also, should I aim…" is the question "Should I aim…")."""
    entry = entry.strip()
    tidied = _LEAD_IN.sub("", entry)
    if not tidied or tidied == entry:
        return entry
    return tidied[:1].upper() + tidied[1:]


def _slot_id(expecting: str | None, kind: str) -> int | None:
    if expecting and expecting.startswith(kind + ":"):
        return int(expecting.split(":", 1)[1])
    return None


class _Collector:
    """Accumulates facts from sentences into one PrepUpdate."""

    def __init__(self, draft: PrepDraft, expecting: str | None):
        self.draft, self.expecting = draft, expecting
        self.reports: dict[int, GoalReport] = {}
        self.actions: dict[int, ActionStatusReport] = {}
        self.lists: dict[str, list[str]] = {"wins": [], "blockers": [], "questions": [], "wants": []}
        self.none_for: list[str] = []

    def goal(self, goal_id: int, percent=None, milestone=None, note="") -> None:
        rep = self.reports.setdefault(goal_id, GoalReport(goal_id=goal_id))
        if percent is not None:
            rep.percent = percent
        if milestone and milestone not in rep.milestones_done:
            rep.milestones_done = rep.milestones_done + [milestone]
        if note:
            rep.note = f"{rep.note} {note}".strip()[:2000]

    def read(self, sentence: str) -> None:
        if self._nothing(sentence):
            return
        label = LABEL.match(sentence)
        expect_goal, expect_action = _slot_id(self.expecting, "goal"), _slot_id(self.expecting, "action")
        milestones = _milestones(sentence, self.draft)
        goal_id = milestones[0][0] if milestones else (_goal_named(sentence, self.draft) or expect_goal)
        if goal_id is None and len(self.draft.goals) == 1 and expect_action is None:
            goal_id = self.draft.goals[0].id  # only one goal: a bare "about 60%" can only be about it
        # An answer to "where is it now?": the figure is the progress, the words besides it the note
        # ("40%" leaves none, else the agenda would read "25% → 40% — 40%").
        percent, said = (progress_answer(sentence) if goal_id is not None and goal_id == expect_goal
                         else (percent_in(sentence), sentence))
        clean = _tidy(LABEL.sub("", said))
        progress = goal_id is not None and (percent is not None or bool(milestones))
        if percent is not None and goal_id is not None:
            self.goal(goal_id, percent)
        for milestone_goal, title in milestones:
            self.goal(milestone_goal, milestone=title)
        category = self._category(sentence, label)
        # A progress figure answers the goal, not the action item asked about ("the outline is 60% done").
        action_id = _action_named(sentence, self.draft) or (None if progress else expect_action)
        # "Not yet, still waiting on Maria" answers the action item and names a blocker: both are kept.
        if category in (None, "blockers") and action_id is not None and (status := action_status(sentence)):
            self.actions[action_id] = ActionStatusReport(action_id=action_id, status=status)
            if category is None:
                return
        moved = goal_id is not None and (progress or goal_id == expect_goal)
        if category is None and self._is_win(sentence, moved):
            category = "wins"
        if category is not None and clean:
            self.lists[category].append(clean)
        if moved and category in (None, "wins"):
            self.goal(goal_id, note=clean)  # what moved, in their words (a win that moved a goal is both)
        elif category is None and self.expecting in self.lists and clean:
            self.lists[self.expecting].append(clean)

    def _nothing(self, sentence: str) -> bool:
        """Read "no blockers" / "Not really" / "Thanks" as such; True when nothing else is left to read."""
        for slot, pattern in NONE_FOR:
            if found := pattern.search(sentence):
                self.none_for.append(slot)
                rest = re.sub(r"^\W*((and|but|though|so|also|really)\b\W*)*", "",
                              sentence[:found.start()] + " " + sentence[found.end():]).strip(" ,;:-.")
                # "no blockers, I shipped the guide": the rest is news of its own ("..., all good" is not).
                if rest and chatter(rest) is None:
                    self.read(rest)
                return True
        kind = chatter(sentence)
        if kind == "nothing" and self.expecting in self.lists:
            self.none_for.append(self.expecting)  # "No." to "anything blocking you?" means none
        # A bare "no" to "is it done?" still answers the action item; anywhere else it is no entry.
        return kind is not None and not (kind == "nothing" and (self.expecting or "").startswith("action:"))

    def _is_win(self, sentence: str, moved: bool) -> bool:
        """Something done that is not the action item asked about (a status word would have said so)."""
        if (self.expecting or "").startswith("goal:"):
            return False  # it answers "what moved?" instead
        # Progress on a goal is progress; it is a win too when it answers "any wins?".
        return accomplished(sentence) and (not moved or self.expecting == "wins")

    def _category(self, sentence: str, label) -> str | None:
        if label:
            return LABEL_SLOT[label.group(1).lower()[:3]]
        if QUESTION_CUE.search(sentence):
            return "questions"
        if self.expecting == "wants" and WANT_CUE.search(sentence):
            # Asked what they most want from the meeting, "most important: the writing time problem"
            # is a wish (to talk about a problem); a bare "I'm stuck on X" stays a blocker.
            return "wants"
        if BLOCKER_CUE.search(sentence):
            return "blockers"
        if WANT_CUE.search(sentence):
            return "wants"
        if sentence.endswith("?") and not (self.expecting or "").startswith(("goal:", "action:")):
            return "questions"
        # A win is a win whatever was asked ("No blockers, but good news: ..."); a denied one
        # ("I'm not happy with the review") is something in the way.
        if WIN_CUE.search(sentence):
            return "blockers" if NEGATION.search(sentence) else "wins"
        return None

    def update(self) -> PrepUpdate:
        return PrepUpdate(goals=list(self.reports.values()), actions=list(self.actions.values()),
                          none_for=list(dict.fromkeys(self.none_for)), **self.lists)


def understand(text: str, draft: PrepDraft, expecting: str | None = None) -> PrepUpdate:
    """One mentee message as a PrepUpdate (pure)."""
    text = plain(text)
    text = POLITE.sub("", text)
    if not text:
        return PrepUpdate()
    if RESTART.match(text):
        return PrepUpdate(intent="restart")
    if QUIT.match(text):
        return PrepUpdate(intent="quit")
    if expecting in ("confirm", "change"):
        if CONFIRM.match(text) or FINISH.match(text):
            return PrepUpdate(intent="confirm")
        if REJECT.match(text) and len(text.split()) <= 3:
            return PrepUpdate(intent="reject")
    if (action_id := _slot_id(expecting, "action")) is not None and len(text.split()) <= 3 \
            and not names_a_topic(text):  # "no blockers" is not "no, it isn't done"
        if status := action_status(text):  # "yes", "done", "not yet", "drop it"
            return PrepUpdate(actions=[ActionStatusReport(action_id=action_id, status=status)])
    goal_id = _slot_id(expecting, "goal")
    if goal_id is not None and YES.match(text):
        if re.match(r"^\W*(yes|yep|yeah|yup)\W*$", text, re.IGNORECASE):
            return PrepUpdate()  # "yes" to "what moved?" says nothing: ask again
        return PrepUpdate(goals=[GoalReport(goal_id=goal_id, percent=100)])
    if FINISH.match(text):
        return PrepUpdate(intent="finish")
    lists = ("wins", "blockers", "questions", "wants")
    if SKIP.match(text) or (expecting in lists and THANKS.match(text)):
        return PrepUpdate(intent="skip")
    if expecting in lists and SHORT_NO.match(text) and not names_a_topic(text, besides=expecting):
        # "no goals", "none this time", "nothing new": a short no to a list question, not an entry
        # ("No, waiting on legal" or "no blockers" asked about wins say more: read them sentence by sentence).
        return PrepUpdate(none_for=[expecting])
    collector = _Collector(draft, expecting)
    for sentence in sentences(text):
        collector.read(sentence)
    return collector.update()


def interpret_prep(req: TurnRequest) -> TurnResult:
    update = understand(req.text, PrepDraft.model_validate(req.draft), req.expecting)
    return TurnResult(update=update.model_dump(mode="json"), backend="offline")


class OfflinePrepInterpreter:
    """The Backend protocol for kind="prep" with rules only (replies come from `phrase`)."""
    name = "offline"

    def interpret(self, req: TurnRequest) -> TurnResult:
        return interpret_prep(req)
