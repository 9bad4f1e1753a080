"""Turn a finished prep into a time-boxed agenda, and suggest questions for the mentor.

Pure and deterministic: the same prep, goals and meeting always give the same agenda.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Sequence

from assistant.coach.prep_models import PrepDraft
from assistant.meeting_models import ActionItem, Agenda, AgendaItem, Meeting, ProgressUpdate
from assistant.models import Goal

MIN_ITEM_MINUTES = 5


def _stem(word: str) -> str:
    """Crude suffix stripping, enough to match 'meetings' with 'meeting' and 'drafted' with 'draft'."""
    for _ in range(2):
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
                word = word[: -len(suffix)]
                break
    return word


# Words that say how someone wants to talk, not what about; they must not link a wish to an item.
_STOP = {_stem(w) for w in """about after again also and any are bit but can could did for from get had has have her
him his how into its just like make more most much not our out over really she should some than that the their
them then there they this very was well were what when which with would you your""".split()}
# Words that say how someone wants to talk, not what about; they must not link a wish to an item.
_META = {_stem(w) for w in """discuss first focus help important mainly meeting mostly need priority spend thing
today topic want""".split()}
_HOW = re.compile(r"\b(talk|chat|speak)(ing)? (about|through|over)\b|\bgo(ing)? over\b", re.I)
_KIND_WORDS = {"blocker": {"blocker", "block", "stuck", "obstacle", "problem"},
               "questions": {"question", "ask", "answer"}, "actions": {"action", "follow", "task", "todo"},
               "wins": {"win", "celebrate", "success", "proud"}}


def keywords(text: str) -> set[str]:
    """Lower-case word stems, without short and filler words (shared with the prep rules)."""
    stems = (_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()))
    return {w for w in stems if len(w) >= 3 and w not in _STOP}


def wish_words(text: str) -> set[str]:
    """What a wish is about: 'I'd like to talk about the budget' -> {'budget'}."""
    return keywords(_HOW.sub(" ", text)) - _META


def allocate_minutes(weights: Sequence[float], total: int, minimum: int = MIN_ITEM_MINUTES) -> list[int]:
    """Split `total` minutes by weight, each at least `minimum`, summing exactly (largest remainder)."""
    n = len(weights)
    if n == 0 or total < n * minimum:
        raise ValueError(f"cannot fit {n} items of {minimum}+ min into {total} min")
    spare, wsum = total - n * minimum, sum(weights) or 1.0
    quotas = [spare * w / wsum for w in weights]
    shares = [int(q) for q in quotas]
    # Hand the leftover minutes to the largest fractions; ties go to the earlier (more important) item.
    order = sorted(range(n), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[: spare - sum(shares)]:
        shares[i] += 1
    return [minimum + s for s in shares]


def scale_minutes(minutes: Sequence[int], total: int, minimum: int = MIN_ITEM_MINUTES) -> list[int]:
    """The mentee's time boxes scaled to `total` in proportion (20, 20, 10 of 80 keep 2:2:1), an
    item that would fall under `minimum` held there and the rest scaled again; sums exactly."""
    n = len(minutes)
    if n == 0 or total < n * minimum:
        raise ValueError(f"cannot fit {n} items of {minimum}+ min into {total} min")
    floor: set[int] = set()
    while True:
        free = [i for i in range(n) if i not in floor]
        budget, weight = total - minimum * len(floor), sum(minutes[i] for i in free)
        quotas = {i: budget * minutes[i] / weight for i in free} if weight else {}
        low = [i for i in free if quotas[i] < minimum]
        if not low:
            break
        floor.update(low)
    shares = {i: minimum for i in floor} | {i: int(q) for i, q in quotas.items()}
    # Leftover minutes go to the largest fractions; ties (and an all-floor agenda) to earlier items.
    order = sorted(range(n), key=lambda i: (-(quotas.get(i, 0.0) % 1), i))
    for i in order[: total - sum(shares.values())]:
        shares[i] += 1
    return [shares[i] for i in range(n)]


def retime(items: Sequence[AgendaItem], total: int) -> list[AgendaItem]:
    """Re-fit edited items to `total` minutes, keeping their order and relative time boxes;
    time boxes that already fill the meeting exactly are kept as the mentee set them."""
    given = [max(i.minutes, 1) for i in items]
    fits = sum(given) == total and min(given, default=0) >= MIN_ITEM_MINUTES
    minutes = given if fits else scale_minutes(given, total)
    return [i.model_copy(update={"minutes": m, "priority": n}) for n, (i, m) in enumerate(zip(items, minutes), 1)]


@dataclass
class _Candidate:
    topic: str
    kind: str
    owner: str
    weight: float
    goal_id: int | None = None
    details: list[str] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    rank: int | None = None  # index of the mentee's wish it answers; None = not asked for


def progress_updates(prep: PrepDraft, goals: Sequence[Goal]) -> list[ProgressUpdate]:
    """One update per goal the mentee reported on, with the milestone-based estimate as a floor."""
    out = []
    for goal in goals:
        report = prep.report_for(goal.id) if goal.id is not None else None
        if report is None:
            continue
        snap = prep.goal(goal.id)
        before = snap.progress if snap else goal.progress
        after = report.percent
        if after is None:
            after = before
            if report.milestones_done and goal.milestones:
                done = {m.title for m in goal.milestones if m.done} | set(report.milestones_done)
                after = max(before, round(100 * len(done) / len(goal.milestones)))
        out.append(ProgressUpdate(goal_id=goal.id, goal_title=goal.title, progress_before=before,
                                  progress_after=after, milestones_done=report.milestones_done,
                                  note=report.note))
    return out


def carried_actions(prep: PrepDraft, open_actions: Sequence[ActionItem]) -> list[ActionItem]:
    """Open items with the statuses the mentee reported; dropped ones leave the agenda."""
    out = []
    for action in open_actions:
        if action.status != "open":  # closed before this prep: nothing to review
            continue
        report = prep.status_for(action.id) if action.id is not None else None
        status = {"done": "done", "dropped": "dropped"}.get(report.status if report else "", action.status)
        if status != "dropped":
            out.append(action.model_copy(update={"status": status}))
    return out


def _link_goal(text: str, goals: Sequence[Goal]) -> int | None:
    words = keywords(text)
    scored = sorted(((len(words & keywords(g.title)), g.id) for g in goals if g.id is not None), reverse=True)
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None


def _blocker_topic(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] if text.lower().startswith("block") else f"Blocker: {text}"


def _candidates(prep, goals, progress, actions, mentor) -> list[_Candidate]:
    cands = [_Candidate(_blocker_topic(b), "blocker", "mentee", 3, _link_goal(b, goals),
                        words=keywords(b) | _KIND_WORDS["blocker"]) for b in prep.blockers]
    for p in progress:
        details = [f"Milestones done: {', '.join(p.milestones_done)}"] if p.milestones_done else []
        details += [p.note] if p.note else []
        cands.append(_Candidate(f"{p.goal_title} ({p.progress_before}% → {p.progress_after}%)", "goal",
                                "mentee", 2, p.goal_id, details, keywords(p.goal_title)))
    if prep.questions:
        n = len(prep.questions)
        cands.append(_Candidate(f"Questions for {mentor or 'the mentor'}", "questions", "mentor",
                                min(2 + 0.5 * (n - 1), 4), None, list(prep.questions),
                                keywords(" ".join(prep.questions)) | _KIND_WORDS["questions"]))
    if actions:
        details = [f"{a.text} ({'done' if a.status == 'done' else 'open'})" for a in actions]
        cands.append(_Candidate("Review action items from last time", "actions", "mentor",
                                1 + 0.25 * len(actions), None, details,
                                keywords(" ".join(a.text for a in actions)) | _KIND_WORDS["actions"]))
    if prep.wins:
        cands.append(_Candidate("Wins to share", "wins", "mentee", 1, None, list(prep.wins),
                                keywords(" ".join(prep.wins)) | _KIND_WORDS["wins"]))
    return cands


def _rank_by_wishes(cands: list[_Candidate], wants: Sequence[str]) -> list[_Candidate]:
    """Items the mentee asked for come first, in the order they asked; unmatched wishes become items."""
    for index, want in enumerate(wants):
        words = wish_words(want)
        best = max(cands, key=lambda c: len(words & c.words), default=None)
        if best is not None and words & best.words:
            best.rank = index if best.rank is None else best.rank
        else:
            cands.append(_Candidate(want, "want", "mentee", 3, words=words, rank=index))
    for c in cands:
        if c.rank is not None:
            c.weight *= 1.5  # what the mentee marked important gets more time, not just a better slot
    indexed = list(enumerate(cands))
    indexed.sort(key=lambda ic: (0, ic[1].rank, ic[0]) if ic[1].rank is not None else (1, 0, ic[0]))
    return [c for _, c in indexed]


def _fit(cands: list[_Candidate], minutes: int) -> list[_Candidate]:
    """At most minutes // 5 items: the least important ones merge into 'Other topics'."""
    wrapup = _Candidate("Next steps and new action items", "wrapup", "mentor", 1)
    if not cands:
        cands = [_Candidate("Check-in: how things are going", "checkin", "mentee", 3)]
    room = minutes // MIN_ITEM_MINUTES
    if len(cands) + 1 > room:
        keep = max(room - 2, 1)
        tail = cands[keep:]
        other = _Candidate("Other topics", "other", "mentee", min(sum(c.weight for c in tail), 3),
                           details=[c.topic for c in tail])
        cands = cands[:keep] + [other]
    return cands + [wrapup]


def _prework(prep: PrepDraft, actions: Sequence[ActionItem], mentor: str) -> list[str]:
    out = []
    if prep.questions:
        out.append(f"{mentor or 'Mentor'}: read the mentee's questions before the meeting.")
    if prep.blockers:
        out.append("Mentee: note what you have already tried for each blocker.")
    out += [f"{a.owner.capitalize()}: bring an update on \u201c{a.text}\u201d." for a in actions if a.status == "open"][:2]
    return out


def build_agenda(prep: PrepDraft, goals: Sequence[Goal], meeting: Meeting, open_actions: Sequence[ActionItem],
                 *, version: int = 1, created_by: str = "", now: datetime | None = None) -> Agenda:
    """The agenda for `meeting` from a prep; time boxes add up to meeting.minutes exactly."""
    goals = [g for g in goals if g.id is not None]
    progress = progress_updates(prep, goals)
    actions = carried_actions(prep, open_actions)
    mentor = prep.mentor or meeting.mentor
    cands = _fit(_rank_by_wishes(_candidates(prep, goals, progress, actions, mentor), prep.wants), meeting.minutes)
    minutes = allocate_minutes([c.weight for c in cands], meeting.minutes)
    items = [AgendaItem(topic=c.topic, goal_id=c.goal_id, minutes=m, owner=c.owner, priority=n, kind=c.kind,
                        details=c.details) for n, (c, m) in enumerate(zip(cands, minutes), 1)]
    extra = {"created_at": now} if now else {}
    return Agenda(meeting_id=meeting.id, version=version, meeting_minutes=meeting.minutes, items=items,
                  progress=progress, wants=list(prep.wants), wins=list(prep.wins), blockers=list(prep.blockers),
                  questions=list(prep.questions), open_actions=actions,
                  prework=_prework(prep, actions, mentor), created_by=created_by, **extra)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split()).rstrip(".?!")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _recurring(blocker: str, history: Sequence[Agenda]) -> bool:
    words = keywords(blocker)
    return any(len(words & keywords(old)) >= max(1, min(2, len(words))) for a in history for old in a.blockers)


def suggest_questions(goals: Sequence[Goal], agenda: Agenda, history: Sequence[Agenda] = (),
                      today: date | None = None) -> list[str]:
    """3-5 questions for the mentor to ask, tied to the blockers and goals (templates, no model)."""
    out: list[str] = []
    for b in agenda.blockers[:2]:
        out.append(f"\u201c{_short(b)}\u201d came up last time too: what would it take to remove it for good?"
                   if _recurring(b, history) else
                   f"What have you already tried on \u201c{_short(b)}\u201d, and what would help most?")
    by_id = {g.id: g for g in goals}
    asked = set()
    for p in sorted(agenda.progress, key=lambda p: p.delta)[:2]:  # stalled goals first
        goal = by_id.get(p.goal_id)
        if p.delta <= 0:
            when = f" the {goal.deadline:%d %b %Y} deadline" if goal else " the deadline"
            out.append(f"\u201c{_short(p.goal_title)}\u201d is at {p.progress_after}%: what is in the way, "
                       f"and is{when} still realistic?")
        else:
            out.append(f"What made the move on \u201c{_short(p.goal_title)}\u201d possible "
                       f"({p.progress_before}% → {p.progress_after}%), and what is the next step?")
        asked.add(p.goal_id)
    if today is not None:
        for g in goals:
            if g.id not in asked and g.passed(today):
                out.append(f"The deadline for \u201c{_short(g.title)}\u201d passed on {g.deadline:%d %b %Y} "
                           f"at {g.progress}%: close it, give it a new date, or drop it?")
            elif g.status == "active" and g.id not in asked and (g.deadline - today).days <= 30 and g.progress < 70:
                out.append(f"The deadline for \u201c{_short(g.title)}\u201d is {g.deadline:%d %b %Y} "
                           f"and it is at {g.progress}%: what would you change to make it?")
                break
        overdue = [a for a in agenda.open_actions if a.status == "open" and a.due and a.due < today]
        if overdue:
            out.append(f"\u201c{_short(overdue[0].text)}\u201d was due {overdue[0].due:%d %b %Y}: "
                       "is it still the right action?")
    for filler in ("Which goal matters most to you right now, and why?",
                   "What support would be most useful from me before our next meeting?",
                   "What would make this meeting worth your time?"):
        if len(out) >= 3:
            break
        out.append(filler)
    return out[:5]
