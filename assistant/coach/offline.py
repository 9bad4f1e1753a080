"""The offline backend: deterministic rules that fill the draft's slots.

It is the default coach, the fallback when an LLM fails, and the fake the
tests use. It phrases no replies itself (the templates do), except where the templates
can't tell what happened: a part the mentee points back at (quoted when found, an apology
when not, see `recall`) and an answer that only repeated a part already noted.
"""
from __future__ import annotations

import re
from datetime import date

from assistant.coach.edits import LABEL, label_slot, named_edit, stated_part
from assistant.coach.flow import LEAD, is_vague, replace_phrase
from assistant.coach.parts import (OTHER, PURPOSE, SUPPORT, WHY, asides, baseline, joined, restated, restates_other,
                                   split)
from assistant.coach.recall import earlier_words, found_reply, missed_reply, recall, repeated_reply
from assistant.coach.rewording import reworded
from assistant.coach.refusal import answer_after_refusal, declines, points_back
from assistant.coach.target import FILLER, restates, same_unit, target_words
from assistant.coach.text import line_ends, plain, question_form, without_lead_in
from assistant.coach.types import GoalDraft, GoalUpdate, TurnRequest, TurnResult
from assistant.smart import deadline_phrase, find_measure, is_specific, parse_deadline

_I = re.IGNORECASE
CONFIRM = re.compile(r"^\W*(yes|yep|yeah|yup|sure|ok(ay)?|save( it)?|please save|looks (good|great|fine)|lgtm|"
                     r"perfect|confirm(ed)?|correct|that'?s (right|it|good|great|fine)|sounds (good|great)|"
                     r"great|go ahead|do it|all good|fine)\b", _I)
REJECT = re.compile(r"^\W*(no|nope|nah|not (quite|yet|really)|wait|hmm+)\b", _I)
RESTART = re.compile(r"\b(start (over|again|afresh)|restart|from scratch|scrap (that|this|it)|reset|"
                     r"(a|another) (new|different) goal)\b", _I)
QUIT = re.compile(r"^\W*(quit|exit|bye|goodbye|leave(?! (?:it|that|this|my)\b)|stop|cancel|later|not now|pause|"
                  r"i'?ll (come back|continue|finish) (to this )?later)\b", _I)
FREE_TEXT = ("achievability", "relevance")  # slots whose answer is stored as the mentee typed it
# "I'm not sure, maybe 3 hours a week?" is a tentative answer, not a question to the coach.
HEDGE = re.compile(r"\b(not sure|maybe|perhaps|probably|possibly|i think|i guess|i suppose|i'?d say|roughly|"
                   r"around|about|at least|hopefully)\b", _I)
GREETING = re.compile(r"^\W*(hi|hello|hey|good (morning|afternoon|evening))\W*$", _I)
PLACEHOLDER = set("do this it that get done achieve finish complete reach the my goal one something have has had be "
                  "all everything wrapped up sorted ready finished completed achieved need i to".split())
CONDITION = re.compile(r"^\W*(?:when|whenever|once|if|after|until|as soon as)\s", _I)
QUALIFIER = re.compile(r"^\W*(?:for|with|in|at|on|to|by|through|during|within|across|among|around|about)\s", _I)
SKIPPY = re.compile(r"^\W*(i (really )?don'?t know|not sure|no idea|dunno|skip( (it|this|that))?|pass|n/?a|none|"
                    r"no|nope|nah|nothing( really)?|not really|no thanks)\W*$", _I)
# The mentee insists on what they said: "keep it as it is", "that's fine as is", "no, that's it".
KEEP = re.compile(r"^\W*(?:(?:no|nah|nope)\W+)?(?:(?:just |please )?(?:keep|leave) (?:it|that|this|my (?:goal|wording))"
                  r"(?: (?:as (?:it is|is)|like (?:that|this)|unchanged))?|"
                  r"(?:it'?s|that'?s|this is) (?:fine|good|ok(?:ay)?)(?: as (?:it is|is))?|(?:that'?s|this is) it|"
                  r"as (?:it is|is)|i'?m happy with (?:it|that|this)|i'?ll keep it)\W*(?:please|thanks)?\W*$", _I)
WORDS = re.compile(r"[^\W_]")  # a letter or a digit, in any script
THUMBS = re.compile(r"^\W*(?:\U0001F44D|\U0001F44C|\u2705|\u2714|\U0001F64C|\U0001F4AF)")  # 👍 👌 ✅ ✔ 🙌 💯
AFFIRM = re.compile(r"^\W*(yes|yep|yeah|yup|ok(ay)?|sure|right|fine|hmm+|go (for it|ahead)|do it|"
                    r"sounds (good|great)|great|cool|perfect|all good)\W*$", _I)
# A correction without the slot's name: "actually make it March", "change it to 4 talks", "let's say June".
BUT = re.compile(r"^\W*(?:(?:no|nope|actually|sorry|oh|wait|hmm+|rather)\b\W*)+", _I)
CORRECT = re.compile(r"^\W*(?:(?:actually|sorry|oh|no|wait|hmm+)\W+)*(?:(?:let'?s |can we |could you |please )?"
                     r"(?:make|change|set|move|push|switch|update) (?:it|that)(?: to| into)?|let'?s say|make that|"
                     r"rather|more like)\s+(.+)$", _I | re.S)


class OfflineBackend:
    """Rules + templates; implements the Backend protocol."""
    name = "offline"

    def interpret(self, req: TurnRequest) -> TurnResult:
        if req.kind == "prep":
            from assistant.coach.prep_rules import interpret_prep  # prep plugs in here
            return interpret_prep(req)
        draft = GoalDraft.model_validate(req.draft)
        update = understand(req.text, draft, req.expecting, req.today, earlier_words(req.history, req.text))
        reply, asks = _own_reply(req, draft, update)
        return TurnResult(update=update.model_dump(mode="json"), backend=self.name, reply=reply, asks=asks)


def _own_reply(req: TurnRequest, draft: GoalDraft, update: GoalUpdate) -> tuple[str | None, str | None]:
    """The rules' own reply, when the templates can't tell what happened: a part pointed back at
    (found: quoted; not found: sorry, and the question again) or an answer that only repeated another part."""
    if draft.stage != "collecting" or req.expecting is None:
        return None, None
    text = without_lead_in(plain(req.text))
    if points_back(text):
        if update == GoalUpdate():
            return missed_reply(req.expecting, draft), req.expecting
        return found_reply(req.expecting, draft, update, req.today)
    if update == GoalUpdate() and (other := restates_other(text, draft, req.expecting)):
        return repeated_reply(other, draft, req.today)
    return None, None


def understand(text: str, draft: GoalDraft, expecting: str | None, today: date,
               said: list[str] | None = None) -> GoalUpdate:
    """The mentee's words as a GoalUpdate (pure); `said` are their earlier messages of this draft."""
    text = without_lead_in(plain(line_ends(text)))
    if not WORDS.search(text) or GREETING.match(text):  # "hi", "👍", "🎤🎤🎤": nothing to store
        return GoalUpdate(intent="confirm" if draft.stage == "confirming" and THUMBS.match(text) else "info")
    if QUIT.match(text):
        return GoalUpdate(intent="quit")
    if RESTART.search(text):
        return GoalUpdate(intent="restart")
    if (update := _other_part(text, draft, today)) is not None:
        return update
    if draft.stage == "confirming" and CONFIRM.match(text) and not parse_deadline(text, today):
        return GoalUpdate(intent="confirm")
    if asks_coach(text, expecting):
        return GoalUpdate(intent="question", question=text)
    if draft.stage == "confirming" and REJECT.match(text) and len(text.split()) <= 3:
        return GoalUpdate(intent="reject")
    if (label := LABEL.match(text)) and text[label.end():].strip():
        text, expecting = text[label.end():], label_slot(label)
    fix = CORRECT.match(text) if draft.what else None  # nothing to correct before the goal is there
    if fix and len(fix.group(1).split()) <= 5 and (update := _correction(fix.group(1).strip(" ."), today)):
        return update
    if draft.stage == "collecting" and expecting:
        text = answer_after_refusal(text) or text  # "I'd rather not ..., but <the answer>"
        if (update := _no_answer(text, draft, expecting, today, said or [])) is not None:
            return update
    return _info(text, draft, expecting, today)


def _other_part(text: str, draft: GoalDraft, today: date) -> GoalUpdate | None:
    """A change to a part the mentee names, whatever was asked: "change the deadline to May",
    "no, the deadline is end of May", "drop the bit about my manager from the goal sentence".
    The pending question is asked again after it; such a message is never its answer."""
    if not LABEL.match(text) and (edit := named_edit(text)):
        return _edit(*edit, draft, today)
    if (told := stated_part(text)) and (update := _correction(told[1], today)):
        wanted = "deadline" if told[0] == "deadline" else "target"
        if getattr(update, wanted):  # "the deadline is 4 talks" is no new date
            return update
    # Under the proposal, a date alone ("no, end of May") can only be a new deadline.
    if draft.stage == "confirming" and (update := _bare_date(BUT.sub("", text), today)):
        return update
    return reworded(text, draft)


def _bare_date(text: str, today: date) -> GoalUpdate | None:
    value = text.strip(" .!")
    if len(value.split()) > 5 or not (deadline := _read_date(value, today)):
        return None
    phrase = deadline_phrase(value) or value
    if not _only(replace_phrase(value, phrase, ""), FILLER):
        return None  # "Friday afternoons with Maria" has more in it than a date
    return GoalUpdate(deadline=deadline, deadline_text=phrase)


def _no_answer(text: str, draft: GoalDraft, expecting: str, today: date, said: list[str]) -> GoalUpdate | None:
    """The update for a message that gives no value of its own for the part asked, else None."""
    if SKIPPY.match(text) or KEEP.match(text) or declines(text):
        return GoalUpdate(intent="skip")  # declined, or kept as worded: not asked again
    if AFFIRM.match(text):
        return GoalUpdate()  # "yes" to an open question says nothing: it is asked once more
    if points_back(text):  # "I already told you": never stored, looked up in what they said
        return recall(expecting, draft, said, today, understand)
    return None


def asks_coach(text: str, expecting: str | None) -> bool:
    """`text` is a question to the coach rather than an answer to what it asked."""
    form = question_form(without_lead_in(plain(text)))
    if form != "tag" or expecting not in FREE_TEXT:
        return form == "asks"
    # A free-text answer is stored as typed, so a bare "...?" is taken for a question
    # unless it is hedged or on topic ("maybe 3 hours a week?", "for my promotion?").
    cue = SUPPORT if expecting == "achievability" else WHY
    return not (HEDGE.search(text) or cue.search(text) or PURPOSE.match(text) or re.search(r"\d", text))


def _edit(slot: str, value: str, draft: GoalDraft, today: date) -> GoalUpdate:
    if slot == "deadline":
        return GoalUpdate(deadline=_read_date(value, today), deadline_text=value)
    if slot == "measure":
        return GoalUpdate(measure=value, target=value)
    if slot == "what":  # a new statement of the goal is read as one: its target and date come with it
        update = _info(re.sub(r"^to\s+", "", value, flags=_I), draft, "what", today)
        return update if update.what or update.target else GoalUpdate(what=value)
    return GoalUpdate(**{slot: value})


def _correction(value: str, today: date) -> GoalUpdate | None:
    """The slot a bare correction is about, told by its value: a date, a number or a result."""
    fields: dict = {}
    if (deadline := _read_date(value, today)):
        fields.update(deadline=deadline, deadline_text=deadline_phrase(value) or value)
    if (measure := find_measure(value)):
        fields["target"] = measure
    return GoalUpdate(**fields) if fields else None


def _read_date(text: str, today: date) -> date | None:
    # A bare "March" or "Q2" answering "by when?" means "by March".
    return parse_deadline(text, today) or (parse_deadline("by " + text, today) if len(text.split()) <= 4 else None)


def _deadline(text: str, draft: GoalDraft, expecting: str | None, today: date) -> dict:
    deadline = parse_deadline(text, today) or (_read_date(text, today) if expecting == "deadline" else None)
    # Once a deadline is set, only an explicit edit changes it: "I can use Friday afternoons"
    # is about time to work on the goal, not a new deadline. A goal stated with its own
    # deadline ("Earn X by June 30, 2027") answering "what exactly?" restates both.
    restated = expecting == "what" and bool(deadline_phrase(text))
    if deadline and (draft.deadline is None or expecting == "deadline" or restated):
        return {"deadline": deadline, "deadline_text": deadline_phrase(text) or deadline_phrase("by " + text) or ""}
    if expecting == "deadline" and (phrase := deadline_phrase(text)):
        return {"deadline_text": phrase}  # "next summer": a time, but which day? The retry asks.
    return {}


def _info(text: str, draft: GoalDraft, expecting: str | None, today: date) -> GoalUpdate:
    fields = _deadline(text, draft, expecting, today)
    if expecting in FREE_TEXT:
        return _free_text(text, draft, expecting, fields)
    parts = split(text, draft)
    core = parts.goal()
    # The measure comes from what the goal says, not from "I have 2 hours a week" (that is support).
    measure = find_measure(core) or (None if parts.support or parts.resources else find_measure(text))
    if measure:
        fields["target"] = measure
    if parts.why:
        fields["relevance"] = " ".join(parts.why)
    # A goal answering "what exactly?" may mention help in its own sentence ("with my lead's help").
    help_told = parts.resources if expecting == "what" else [*parts.support, *parts.resources]
    core = parts.goal(with_support=expecting == "what")
    if help_told:
        fields["achievability"] = " ".join(help_told)
    if (start := baseline(text, parts)):
        fields["baseline"] = start
    if (what := _new_what(core, measure, draft, expecting)) and not _placeholder(what, fields.get("deadline_text")):
        fields["what"] = what
    elif measure and draft.what and not (draft.target and same_unit(measure, draft.target)):
        fields["target"] = target_words(LEAD.sub("", core, count=1), measure, fields.get("deadline_text"))
    if expecting == "measure" and not fields and not deadline_phrase(text):
        fields["target"] = text  # their own words for "done", when nothing countable was given
    return GoalUpdate(**fields)


def _free_text(text: str, draft: GoalDraft, expecting: str, fields: dict) -> GoalUpdate:
    """The whole answer, in their words: a number in "top 3 of the team" is no new target. But a
    later sentence for the other free-text part goes there, and an answer that only repeats that
    part answers nothing (the question is asked again)."""
    if restates_other(text, draft, expecting):
        return GoalUpdate(**fields)
    answer, aside = asides(text, expecting)
    other = OTHER[expecting]
    if aside and not restated(aside, getattr(draft, other)):
        fields[other] = joined(getattr(draft, other), aside)
    return GoalUpdate(**fields, **{expecting: _substance(answer)})


def _substance(answer: str) -> str:
    """A free-text answer without its label or echoed question, nor a question tacked on after it."""
    text = re.sub(r"^[^.!?]*\?\s+(?=\S)", "", answer)  # "Why does it matter? Because ..."
    return re.sub(r"(?<=[.!])\s+[^.!?]*\?$", "", text)  # "... 4 hours a week. Is that enough?"


def _new_what(core: str, measure: str | None, draft: GoalDraft, expecting: str | None) -> str | None:
    """The goal statement this turn gives, if any."""
    if not core or len(core.split()) < 2 or SKIPPY.match(core):
        return None
    if draft.what and measure and _only(replace_phrase(core, measure, ""), FILLER):
        return None  # "3 talks" answering "what exactly?" is the target of the wish, not a new goal
    if expecting == "what" and draft.what and QUALIFIER.match(core):
        return f"{draft.what.rstrip(' .')} {core}"  # "... in our planning meetings" narrows the wish
    if expecting == "what" or not draft.what:
        return core if expecting in (None, "what") or is_specific(core) else None
    if expecting == "measure":  # how success shows is no new goal, unless the goal is said again
        return core if restates(core, LEAD.sub("", draft.what, count=1)) and is_specific(core) else None
    # A specific statement replaces a vague wish, whatever was asked; "when my team says so"
    # answering "how will you know?" is a condition for success, not a new goal.
    return core if is_vague(draft) and is_specific(core) and not CONDITION.match(core) else None


def _placeholder(what: str, deadline_text: str | None) -> bool:
    """ "I'd like to do this by May 2027" has a date but no goal in it yet."""
    rest = replace_phrase(what, deadline_text, "") if deadline_text else what
    return _only(LEAD.sub("", rest, count=1), PLACEHOLDER)


def _only(text: str, words: set[str]) -> bool:
    return set(re.findall(r"[a-z']+", text.lower())) <= words
