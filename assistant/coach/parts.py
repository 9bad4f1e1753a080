"""Which sentence of a mentee's message is which part of the goal (pure).

A first message often says more than the goal: "Give 3 talks at the meetup by April 2027.
My manager already offered me a slot." The goal sentence holds what, how many and by when;
a sentence whose subject gives help is what makes it achievable, one about how things stand
today (or how the mentee feels about it) is the starting point, and a reason is why it matters.
An answer to "what makes it achievable?" or "why does it matter?" is kept as typed, except a
later sentence clearly about the other of the two, or an answer that only repeats it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.agenda import keywords
from assistant.coach.types import GoalDraft
from assistant.smart import find_measure, is_specific

_I = re.IGNORECASE
WHY = re.compile(r"\b(because|so that|so i can|so i could|in order to|which (will|would) help|"
                 r"to help me|(it|this) (matters|is important)|important (to|for) (me|my)|"
                 r"i want to (grow|become|move|get promoted)|for my (career|promotion|growth|role)|"
                 # an ambition the goal serves: "I'm aiming for a team lead role next year"
                 r"(aim|aiming|hoping|working|going) (for|towards?) (a|an|the|my) ([\w-]+ ){0,3}"
                 r"(role|position|promotion|job)|career (goal|move|growth|path|change))\b", _I)
# "to lead the team one day?" answers "why does it matter?"
PURPOSE = re.compile(r"^\W*(to|for|so|as)\b", _I)
SUPPORT = re.compile(r"\b((my|our) (manager|lead|boss|team lead|mentor)|budget|(\d+|an?|one|two|a few) hours?|"
                     r"i (have(?! to\b)|'ve got|can (spend|set aside|dedicate|use|make))|with (the )?(help|support)|"
                     r"support from|access to|(company|employer|team|manager) (pays|will pay|covers|sponsors|funds)|"
                     r"paid by|covered by|sponsor\w*|(is|are|has) agreed|approved|set aside|supports?|constraint|resources?|"
                     r"time (each|every|per))\b", _I)
# A sentence whose subject gives the support ("My manager pays for the exam ...") is about resources,
# even with a number in it, and even while the goal itself is asked for. "I have never ..." or
# "I have always ..." is the mentee's story, not something they have.
SUPPORTER = re.compile(r"^\W*(?:(?:and|also|plus|luckily|fortunately|thankfully)\W+)*(?:(?:my|our|the) (?:manager|lead|"
                       r"boss|team lead|mentor|company|employer|team|department|director)\b|i (?:have|get|'ve got|can "
                       r"(?:spend|set aside|dedicate|use|make|take))\b(?! (?:to|never|always|ever|been|had|done|given|"
                       r"tried|wanted|loved|failed|struggled)\b)|there'?s\b|there is\b|we have\b)", _I)
# A clause about resources joined to the goal or its reason: "... and I have 4 hours a week approved".
AND_CLAUSE = re.compile(r"(?:,\s*|\s+)(?:and|plus|but|also)\s+(?=(?:i|i'?ve|i'?m|there|we|(?:my|our|the) (?:manager|lead|"
                        r"boss|team lead|mentor|company|employer|team))\b)", _I)
RESOURCE = re.compile(r"\b((\d+|an?|one|two|three|four|five|a few|some) (hours?|days?|afternoons?|mornings?|evenings?)|"
                      r"budget|set aside|approv\w*|support\w*|sponsor\w*|access to|pays? for|paid for|covers|funds?|"
                      r"time (off|each|every|per)|study time|training time|helps? me)\b", _I)
BASELINE = re.compile(r"\b(currently|right now|at the moment|so far|today i|at present|from (\d+|zero|none))\b", _I)
# How the mentee stands or feels today, said as a sentence of its own: "I'm terrified of it",
# "last time I froze in a team demo", "I've never given a talk". Their starting point, not the goal.
_FEEL = (r"(?:i'?m|i am|i feel|i get|i got|i was|i'?ve been|i have been)\s+(?:(?:so|really|very|quite|a bit|"
         r"a little|kind of|pretty|still|always|usually|often|super)\s+)*(?:terrified|scared|afraid|nervous|anxious|"
         r"worried|shy|uncomfortable|insecure|not (?:confident|comfortable|good|great))\b")
STANDING = re.compile(rf"^\W*(?:(?:but|and|honestly|to be honest|tbh)\W+)*(?:{_FEEL}|(?:the )?last time\b|"
                      r"i(?:'ve| have)? never\b)", _I)
SENTENCES = re.compile(r"(?<=[.!;])\s+")


@dataclass
class Parts:
    """A message taken apart: the goal's own words and the sentences or clauses about the other parts."""
    core: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)  # mentions help; may belong to the goal's own sentence
    resources: list[str] = field(default_factory=list)  # help told for sure, never part of the goal
    standing: list[str] = field(default_factory=list)  # where the mentee starts, when the goal is said besides

    def goal(self, with_support: bool = False) -> str:
        return " ".join([*self.core, *(self.support if with_support else [])])


def split(text: str, draft: GoalDraft) -> Parts:
    """The goal's own words, the reasons given, the sentences about support or time, the resources
    told for sure (a clause joined with "and", or a sentence whose subject gives them) and the
    sentences about where the mentee stands. A sentence led by a supporter or about the mentee's
    standing is kept out of the goal only when another sentence states the goal."""
    parts, held = Parts(), []
    for sentence in SENTENCES.split(text):
        sentence, extra = _resource_clause(sentence)
        for clause, joined in ((sentence, False), (extra, True)):
            if (kept := _sort(clause, joined, draft, parts)):
                held.append(kept)
    stated = any(kind == "core" for kind, _ in held)
    for kind, clause in held:  # in the mentee's order: the goal's words stay as they said them
        if kind == "core" or not stated:
            (parts.support if kind == "led" else parts.core).append(clause)
        else:
            (parts.resources if kind == "led" else parts.standing).append(clause)
    return parts


def _sort(clause: str, joined: bool, draft: GoalDraft, parts: Parts) -> tuple[str, str] | None:
    """Files a clause about a reason or resources; any other comes back with its kind, filed once it
    is known whether the goal is stated besides: "core", "led" (help told by its giver: "My manager
    already offered me a slot") or "standing" (where the mentee stands: "I'm terrified of it")."""
    why = WHY.search(clause)
    if why:
        parts.why.append(clause[why.start():].strip())
        clause = clause[: why.start()].strip(" ,;-")
    if not clause:
        return None
    if joined or (SUPPORTER.match(clause) and RESOURCE.search(clause)):
        parts.resources.append(clause)
    elif SUPPORT.search(clause) and not is_specific_goal_sentence(clause, draft):
        if SUPPORTER.match(clause):
            return "led", clause
        parts.support.append(clause)
    elif (BASELINE.search(clause) or STANDING.match(clause)) and not find_measure(clause):
        return "standing", clause
    else:
        return "core", clause
    return None


def _resource_clause(sentence: str) -> tuple[str, str]:
    """The sentence without a trailing "and I have 4 hours a week..." clause, and that clause."""
    for joint in AND_CLAUSE.finditer(sentence):
        if RESOURCE.search(sentence[joint.end():]):
            return sentence[:joint.start()], sentence[joint.end():].strip()
    return sentence, ""


def is_specific_goal_sentence(sentence: str, draft: GoalDraft) -> bool:
    """A sentence that states the goal itself, even if it mentions a manager."""
    return not draft.what and is_specific(sentence) and bool(find_measure(sentence))


def baseline(text: str, parts: Parts) -> str | None:
    """The first sentence that says where the mentee starts, else one about how they stand today
    that was told besides the goal ("I'm terrified of it"), if any."""
    return next((s for s in SENTENCES.split(text) if BASELINE.search(s)), None) or next(iter(parts.standing), None)


def restated(answer: str, given: str) -> bool:
    """`answer` says again what `given` already says: most of its words (three or more) are there."""
    said, known = keywords(answer), keywords(given)
    return len(said) >= 3 and len(said & known) * 3 >= len(said) * 2


# The free-text parts: what an answer to one of them says that belongs to the other.
OTHER = {"achievability": "relevance", "relevance": "achievability"}
_AND = re.compile(r"^\W*(?:(?:and|also|plus|oh)\W+)+", _I)


def _cued(text: str, slot: str) -> bool:
    """`text` has a word that answers `slot` ("because ...", "my manager", "2 hours a week")."""
    if slot == "relevance":
        return bool(WHY.search(text) or PURPOSE.match(text))
    return bool(SUPPORT.search(text) or RESOURCE.search(text))


def restates_other(answer: str, draft: GoalDraft, asked: str) -> str | None:
    """The other free-text part, when the answer to `asked` only says it again: "Maria reviews my
    slides" asked why the goal matters, right after Maria's help was noted, is no reason."""
    other = OTHER.get(asked)
    if not other or not getattr(draft, other) or _cued(answer, asked):
        return None
    return other if restated(answer, getattr(draft, other)) else None


def asides(answer: str, asked: str) -> tuple[str, str]:
    """The answer to `asked`, and its later sentences that clearly answer the other free-text part
    ("For my promotion. My manager already offered me a slot." asked why it matters)."""
    first, *rest = SENTENCES.split(answer.strip())
    mine = [first, *(s for s in rest if not _for_other(s, asked))]
    return " ".join(mine), " ".join(s for s in rest if _for_other(s, asked))


def _for_other(sentence: str, asked: str) -> bool:
    # Help told by its giver, asked why it matters; a reason said as one, asked what makes it achievable.
    if asked == "relevance":
        return bool(SUPPORTER.match(sentence)) and not WHY.search(sentence)
    return bool(WHY.match(_AND.sub("", sentence)))


def joined(before: str, after: str) -> str:
    """Two of the mentee's texts as one, each still its own sentence."""
    if not before.strip():
        return after
    return f"{before.rstrip()}{'' if before.rstrip()[-1:] in '.!?;' else '.'} {after.strip()}"
