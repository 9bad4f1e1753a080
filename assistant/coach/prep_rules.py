"""Offline understanding of meeting-prep messages: regex and keyword rules.

Each sentence is read on its own, so information can come in any order:
"I'm about 60% on the talk, finished the outline, blocked by legal, and I'd
like to ask how to handle Q&A" fills a goal report, a milestone, a blocker and
a question at once. The slot the coach asked about (`expecting`) only decides
where a sentence with no cue of its own goes.

A bare "done" answers the question asked when that is a goal or an action item
("is it done?" - "done"); anywhere else it means "that's all, show the agenda".
"""
from __future__ import annotations

import re

from assistant.agenda import keywords
from assistant.coach.prep_models import ActionStatusReport, GoalReport, PrepDraft, PrepUpdate
from assistant.coach.types import TurnRequest, TurnResult

_I = re.IGNORECASE
RESTART = re.compile(r"^\W*(start (over|again)|restart|from scratch|reset)\b", _I)
QUIT = re.compile(r"^\W*(quit|exit|bye|goodbye|stop|cancel|later|not now|pause|i'?ll (come back|finish|continue))\b", _I)
FINISH = re.compile(r"^\W*(that'?s (all|it|everything)|that is all|i'?m (done|finished)|i am done|nothing else|"
                    r"done|finish(ed)?|no more|let'?s wrap( it)? up|wrap up|show (me )?the agenda)\W*$", _I)
CONFIRM = re.compile(r"^\W*(yes|yep|yeah|yup|sure|ok(ay)?|save( it)?|please save|looks (good|great|fine)|lgtm|"
                     r"perfect|confirm(ed)?|correct|sounds (good|great)|great|go ahead|all good|fine)\b", _I)
REJECT = re.compile(r"^\W*(no|nope|nah|not (quite|yet|really)|wait|change)\b", _I)
SKIP = re.compile(r"^\W*(skip|pass|next|no|nope|nothing( really| much| special| in particular)?|none|n/?a|not really|nah|"
                  r"nothing to (report|add|say)|no idea|i don'?t know|not sure|dunno|-)\W*$", _I)
SHORT_NO = re.compile(r"^\W*(no|none|nothing|not any)\b(\W+\w+){0,3}\W*$", _I)
YES = re.compile(r"^\W*(yes|yep|yeah|yup|done|did it|finished|completed|all done|it'?s done)\W*$", _I)

NONE_FOR = [("blockers", re.compile(r"\b(no (real |big |major )?(blockers?|obstacles?|problems?|issues?)|"
                                    r"nothing (is )?(blocking|in my way|in the way)|not (stuck|blocked))\b", _I)),
            ("questions", re.compile(r"\bno (more |other |real )?questions?\b", _I)),
            ("wins", re.compile(r"\b(no (real |big )?wins?|nothing (went well|to celebrate))\b", _I)),
            ("wants", re.compile(r"\bno (particular |special )?(wishes|preferences?|priorit\w+)\b", _I))]
QUESTION_CUE = re.compile(r"\b(i'?d (also |really )?(like|love) to ask|i (also )?(want|wanted|would like) to ask|my question is|"
                          r"question for (you|my mentor|\w+)|can i ask|i'?d like to know|ask (my mentor|him|her|them)|"
                          r"^questions?:)", _I)
BLOCKER_CUE = re.compile(r"\b(blocked|blockers?|blocking|stuck|struggl\w*|waiting (on|for)|held up|obstacles?|"
                         r"can'?t(?! wait)|cannot|couldn'?t|unable|hard to|difficult|no time|problem|challenge|"
                         r"haven'?t been able)\b", _I)
WANT_CUE = re.compile(r"\b(from this meeting|most important|priority|focus on|i'?d like to (focus|talk|discuss|get|"
                      r"spend|go over|work on|cover)|i want to (focus|talk|discuss|get|spend|go over|cover)|"
                      r"let'?s (talk|discuss|focus|go over)|i need (help|advice|feedback) (with|on))\b", _I)
WIN_CUE = re.compile(r"\b(wins?|proud|went (well|great)|good news|managed to|success\w*|nailed|celebrat\w*|"
                     r"happy (with|about)|(positive|great|good) feedback|praised|promoted)\b", _I)
LABEL = re.compile(r"^\s*(?:(?:add|also|and|plus)\s+)?(?:(?:a|an|one more|another)\s+)?"
                   r"(wins?|blockers?|questions?|wishes|wants|priorit(?:y|ies))\s*:\s*", _I)
LABEL_SLOT = {"win": "wins", "blo": "blockers", "que": "questions", "wis": "wants", "wan": "wants", "pri": "wants"}
NEGATION = re.compile(r"\b(not|never|yet to|haven'?t|hasn'?t|didn'?t|no)\b|n't\b", _I)
DONE_WORD = re.compile(r"\b(done|did|finished|finish|completed|complete|wrapped up|shipped|delivered|held|gave|"
                       r"ran|submitted|published|passed|sent|booked|got|wrote|written|drafted|prepared|"
                       r"presented|launched|hosted|organi[sz]ed|recorded|built|created|made)\b", _I)
STATUS = [("dropped", re.compile(r"\b(drop(ped|ping)?|cancel(led)?|no longer|not relevant|won'?t|abandon\w*|"
                                 r"gave up|give up|let it go|scrap(ped)?)\b", _I)),
          ("in_progress", re.compile(r"\b(in progress|working on|started|partly|partially|halfway|not yet|still|"
                                     r"ongoing|under ?way|continuing|not (done|finished)|almost|nearly|no)\b", _I)),
          ("done", re.compile(r"\b(done|did( it)?|finished|completed|sent|submitted|booked|handled|sorted|yes|"
                              r"yep|yeah)\b", _I))]

PERCENT = re.compile(r"(\d{1,3})\s*(?:%|percent\b|per cent\b)", _I)
FRACTION = re.compile(r"\b(\d{1,3})\s+(?:out\s+)?of\s+(?:the\s+|my\s+)?(\d{1,3})\b", _I)
TENS = {"ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
WORD_PERCENT = re.compile(r"\b(" + "|".join(TENS) + r")(?:[- ](five))?\s*(?:percent|per cent)\b", _I)
PHRASES = [(90, re.compile(r"\b(almost|nearly) (done|there|finished|complete)\b", _I)),
           (75, re.compile(r"\bthree[- ]quarters\b", _I)),
           (67, re.compile(r"\btwo[- ]thirds\b", _I)),
           (50, re.compile(r"\b(halfway|half way|half done|about half|half of it|50/50)\b", _I)),
           (33, re.compile(r"\b(a|one)[- ]third\b", _I)),
           (25, re.compile(r"\b(a|one)[- ]quarter\b", _I)),
           (10, re.compile(r"\b(just|barely|only) (started|begun)\b", _I)),
           (100, re.compile(r"^(done|finished|complete(d)?)$|\b(it'?s|it is|goal is|that'?s|all|completely|fully)\s+"
                            r"(done|finished|complete(d)?)\b|\bachieved\b|\breached (it|the goal|my goal)\b", _I))]


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?;])\s+|\n+|\s+but\s+|,\s+and\s+(?=i\b|i'|my\b|the\b)", text, flags=_I)
    return [p.strip(" ,-") for p in parts if p and p.strip(" ,.-")]


def percent_in(sentence: str) -> int | None:
    """The percentage a sentence states: '60%', 'sixty percent', '3 of 5', 'halfway', 'almost done'."""
    if found := PERCENT.findall(sentence):
        return min(int(found[-1]), 100)  # "from 40% to 60%": the last figure is where it is now
    if m := WORD_PERCENT.search(sentence):
        return TENS[m.group(1).lower()] + (5 if m.group(2) else 0)
    if (m := FRACTION.search(sentence)) and 0 < int(m.group(2)) and int(m.group(1)) <= int(m.group(2)):
        return round(100 * int(m.group(1)) / int(m.group(2)))
    bare = sentence.strip(" .!").lower()
    for value, pattern in PHRASES:
        if pattern.search(bare):
            return value
    return None


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
    return words - set().union(*(keywords(o) for o in others))


def _goal_named(sentence: str, draft: PrepDraft) -> int | None:
    words = keywords(sentence)
    scored = sorted(((len(words & keywords(g.title)), g.id) for g in draft.goals), reverse=True)
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None


def _action_named(sentence: str, draft: PrepDraft) -> int | None:
    words = keywords(sentence)
    for action in draft.actions:
        need = keywords(action.text)
        others = [a.text for a in draft.actions if a.id != action.id] + [g.title for g in draft.goals]
        hits = words & need
        if need and (len(hits) >= _overlap_needed(need) or hits & _distinctive(need, others)):
            return action.id
    return None


def action_status(sentence: str) -> str | None:
    return next((status for status, pattern in STATUS if pattern.search(sentence)), None)


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
        clean = LABEL.sub("", sentence).strip()
        label = LABEL.match(sentence)
        expect_goal, expect_action = _slot_id(self.expecting, "goal"), _slot_id(self.expecting, "action")
        for slot, pattern in NONE_FOR:
            if pattern.search(sentence):
                self.none_for.append(slot)
                return
        milestones = _milestones(sentence, self.draft)
        goal_id = milestones[0][0] if milestones else (_goal_named(sentence, self.draft) or expect_goal)
        if goal_id is None and len(self.draft.goals) == 1 and expect_action is None:
            goal_id = self.draft.goals[0].id  # only one goal: a bare "about 60%" can only be about it
        percent = percent_in(sentence)
        progress = goal_id is not None and (percent is not None or bool(milestones))
        if percent is not None and goal_id is not None:
            self.goal(goal_id, percent)
        for milestone_goal, title in milestones:
            self.goal(milestone_goal, milestone=title)
        category = self._category(sentence, label)
        # A progress figure answers the goal, not the action item asked about ("the outline is 60% done").
        action_id = _action_named(sentence, self.draft) or (None if progress else expect_action)
        if category is None and action_id is not None and (status := action_status(sentence)):
            self.actions[action_id] = ActionStatusReport(action_id=action_id, status=status)
        elif category is not None:
            self.lists[category].append(clean)
            if category == "wins" and goal_id is not None and goal_id == expect_goal and not progress:
                self.goal(goal_id, note=clean)  # a win told as the answer to "what moved?" is both
        elif goal_id is not None and (progress or goal_id == expect_goal):
            self.goal(goal_id, note=clean)  # what moved, in their words
        elif self.expecting in self.lists:
            self.lists[self.expecting].append(clean)

    def _category(self, sentence: str, label) -> str | None:
        if label:
            return LABEL_SLOT[label.group(1).lower()[:3]]
        if QUESTION_CUE.search(sentence):
            return "questions"
        if BLOCKER_CUE.search(sentence):
            return "blockers"
        if WANT_CUE.search(sentence):
            return "wants"
        if sentence.endswith("?") and not (self.expecting or "").startswith(("goal:", "action:")):
            return "questions"
        if WIN_CUE.search(sentence) and self.expecting != "blockers":
            return "wins"
        return None

    def update(self) -> PrepUpdate:
        return PrepUpdate(goals=list(self.reports.values()), actions=list(self.actions.values()),
                          none_for=list(dict.fromkeys(self.none_for)), **self.lists)


def understand(text: str, draft: PrepDraft, expecting: str | None = None) -> PrepUpdate:
    """One mentee message as a PrepUpdate (pure)."""
    text = " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())
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
    if (action_id := _slot_id(expecting, "action")) is not None and len(text.split()) <= 3:
        if status := action_status(text):  # "yes", "done", "not yet", "drop it"
            return PrepUpdate(actions=[ActionStatusReport(action_id=action_id, status=status)])
    goal_id = _slot_id(expecting, "goal")
    if goal_id is not None and YES.match(text):
        if re.match(r"^\W*(yes|yep|yeah|yup)\W*$", text, _I):
            return PrepUpdate()  # "yes" to "what moved?" says nothing: ask again
        return PrepUpdate(goals=[GoalReport(goal_id=goal_id, percent=100)])
    if FINISH.match(text):
        return PrepUpdate(intent="finish")
    if SKIP.match(text):
        return PrepUpdate(intent="skip")
    if expecting in ("wins", "blockers", "questions", "wants") and SHORT_NO.match(text):
        # "no goals", "none this time", "nothing new": a short no to a list question, not an entry.
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
