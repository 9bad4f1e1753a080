"""Answers that are no answer: a refusal, "it can't be measured", or a remark that points back.

A refusal declines the part asked like "skip" (it is never asked again); a remark that
points back ("I already told you that") is no value to store: the coach looks for the
part in what the mentee said before (see `recall`).

Where a refusal ends and an answer begins: what follows "I'd rather not" / "I don't want
to" must be about the answer itself (saying, sharing, putting a number or a date on it,
committing, going into it). "I don't want to fail my team" or "I'd rather not work
weekends" name something in the mentee's life: a reason or a constraint, kept as typed.
"""
from __future__ import annotations

import re

_I = re.IGNORECASE
_HEAD = r"^\W*(?:(?:no|sorry|um+|hmm+|well|honestly|to be honest|tbh|actually|ok(?:ay)?)\W+)*"
_TAIL = (r"(?:\W+(?:on (?:that|this)(?: one)?|that one|right now|for now|yet|here|at the moment|at this point|"
         r"really|honestly|thanks|thank you|sorry))*\W*$")
# "I'd rather not", "I prefer not to", "I don't want to", "I'm not comfortable": a wish not to.
_NOT_TO = (r"(?:(?:i'?d|i would|i) )?(?:rather|prefer) not(?: to)?|i (?:don'?t|do not) (?:want|wish|care|feel like)"
           r"(?: to)?|i'?m not (?:comfortable|going|ready|willing|keen)(?: to| with)?|i'?d (?:hate|not like) to")
_PIN = r"(?:numbers?|figures?|targets?|dates?|deadlines?|metrics?|measures?|values?|scores?|one|it|that|this|down)"
# Doing the answering: only then is "I don't want to ..." a refusal (see the module doc).
_ANSWERING = (r"(?:say|shar|tell|answer|discuss|disclos|explain|elaborat|specif|quantif|measur|guess|estimat|commit|"
              r"decid|speculat|comment|reveal|talk\w* about|think\w* about (?:it|that|this)|go(?:ing)? (?:into|there)|"
              r"get(?:ting)? (?:into|specific|precise)|do(?:ing)? (?:it|that|this|so)|be(?:ing)? (?:specific|precise|"
              rf"pinned|tied)|(?:put|giv|set|nam|pick|choos|attach|fix|pin|nail|add)\w*(?:\W+\w+){{0,4}}?\W+{_PIN}\b)")
_REFUSE = (rf"(?:{_NOT_TO})(?: {_ANSWERING}\w*[^,;.!?]*)?|i (?:won'?t|can'?t|cannot) (?:really )?(?:say|share|tell|"
           r"answer|disclose)(?: (?:it|that|this|you|for sure|exactly))?|none of your business|no comment|"
           r"not telling|(?:that'?s|it'?s) (?:private|personal)|(?:i'?ll |i )?pass")
# "There's no number", "I can't put a number on it", "hard to measure", "not measurable".
_IT = r"(?:it|that|this)"
_UNMEASURABLE = "|".join([
    rf"(?:there'?s |there is |it has )?no (?:real |clear |exact |single )?(?:number|figure|metric)s?(?: for {_IT})?",
    rf"(?:i |you )?(?:can'?t|cannot|couldn'?t) (?:really )?(?:put a (?:number|figure) on|measure|quantify|count) {_IT}",
    rf"(?:{_IT}(?:'s| is) )?(?:(?:really|very|quite|pretty|a bit|kind of) )?(?:hard|difficult|impossible|tough|"
    rf"tricky) to (?:measure|quantify|count|put a number on)(?: {_IT})?",
    rf"(?:{_IT}(?:'s| is) )?not (?:really )?(?:measurable|quantifiable)|{_IT} (?:isn'?t|is not) (?:really )?"
    r"(?:measurable|quantifiable)",
    rf"(?:{_IT} )?can'?t be (?:measured|quantified|counted)|no way to (?:measure|quantify|count)(?: {_IT})?",
    r"not something (?:you|i|we) can (?:measure|count)"])
DECLINE = re.compile(rf"{_HEAD}(?:{_REFUSE}|{_UNMEASURABLE}){_TAIL}", _I)
# "I'd rather not put a number on it, but I'll know when my team stops asking": the answer follows "but".
_BUT = re.compile(rf"{_HEAD}(?:{_REFUSE}|{_UNMEASURABLE})\s*[,;.!-]*\s+(?:but|though|however)\W+(?P<rest>\w.*)$",
                  _I)
# The mentee points back at an earlier message instead of answering.
POINTS_BACK = re.compile(
    rf"{_HEAD}(?:i(?:'ve| have)? (?:already |just )?(?:told|gave|given|said|mentioned|wrote|written|answered|"
    r"explained)(?: (?:you|it to you))?(?: (?:that|this|it|so))?|(?:as|like) i (?:said|mentioned|told you|wrote|"
    r"explained)|already (?:told you|said|answered|mentioned|given)(?: (?:that|this|it))?|see (?:above|earlier)|"
    r"(?:check|read|look at|scroll up to) (?:my|the) (?:first|last|previous|earlier|original) message|scroll up|"
    r"(?:it'?s|that'?s|it is|that is) (?:already )?(?:above|up there|(?=in (?:my|the) ))|same as (?:before|above))"
    r"(?:\W*(?:in|at) (?:my|the) (?:first|last|previous|earlier|original|other) (?:message|answer|reply|one)|"
    r"\W+(?:above|before|earlier|already|up there|previously|at the (?:start|beginning)))*" + _TAIL, _I)


def declines(text: str) -> bool:
    """The whole message refuses to answer, or says the part can't be put in numbers."""
    return bool(DECLINE.match(text))


def answer_after_refusal(text: str) -> str | None:
    """The answer given after a refusal ("..., but I'll know when ..."), if any."""
    found = _BUT.match(text)
    return found["rest"] if found else None


def points_back(text: str) -> bool:
    return bool(POINTS_BACK.match(text))
