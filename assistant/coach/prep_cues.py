"""The words the offline prep rules listen for (regexes only, no state).

Kept apart from `prep_rules` so the rules read as rules: which sentence goes
where. Everything here is matched against one sentence at a time.
"""
from __future__ import annotations

import re

_I = re.IGNORECASE
RESTART = re.compile(r"^\W*(start (over|again)|restart|from scratch|reset)\b", _I)
QUIT = re.compile(r"^\W*(quit|exit|bye|goodbye|stop|cancel|later|not now|pause|i'?ll (come back|finish|continue))\b", _I)
# "No, that's all for now, thanks": closing words with courtesy around them still close.
FINISH = re.compile(r"^\W*(?:(?:no|nope|ok(?:ay)?|well|so|i think|i guess)\W+)*"
                    r"(that'?s (all|it|everything)|that is (all|it|everything)|i'?m (all )?(done|finished)|i am done|"
                    r"nothing (else|more)|(all )?done|finish(ed)?|no more|let'?s wrap( it)? up|wrap up|"
                    r"show (me )?the agenda)(?:\W+(?:for now|from me|then|really|thanks|thank you|thx|cheers))*\W*$", _I)
# A bare thank-you answers the part asked with nothing to store.
THANKS = re.compile(r"^\W*(?:ok(?:ay)?\W+)?(thanks|thank you|thx|cheers|ta)( (so|very) much| a lot)?\W*$", _I)
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
# A difficulty is in the way whatever was asked: "finding a slot is hard", "I get nervous with Q&A".
_HARD = (r"(is|are|been|be|feels?|seems?|gets?|getting|it'?s|that'?s)"
         r"( (really|very|so|quite|too|a bit|pretty|super|still))? (hard|tough|tricky)|hard (to|for)|hard time")
_UNEASY = r"(?<!not )(?<!never )(?<!no longer )(nervous|anxious|worried|scared|afraid|overwhelmed|stressed)"
BLOCKER_CUE = re.compile(r"\b(blocked|blockers?|blocking|stuck|struggl\w*|waiting (on|for)|held up|obstacles?|"
                         r"can'?t(?! wait)|cannot|couldn'?t|unable|difficult\w*|no time|not enough time|problems?|"
                         rf"challenge|haven'?t been able|{_HARD}|{_UNEASY})\b", _I)
WANT_CUE = re.compile(r"\b(from this meeting|most important|priority|focus on|first(?=\W*$)|i'?d like to (focus|talk|discuss|get|"
                      r"spend|go over|work on|cover)|i want to (focus|talk|discuss|get|spend|go over|cover)|"
                      r"let'?s (talk|discuss|focus|go over)|i need (help|advice|feedback) (with|on))\b", _I)
WIN_CUE = re.compile(r"\b(wins?|won(?!['’]t)|proud|went (well|great)|good news|managed to|success\w*|nailed|celebrat\w*|"
                     r"happy (with|about)|(positive|great|good) feedback|praised|promoted)\b", _I)
# "Blocker: ...", "Good news though: ...", "Actually I do have a question: ..." - the label says the slot.
LABEL = re.compile(r"^\s*(?:[\w',]+\s+){0,5}?(?:(?:a|an|one more|another|my|the)\s+)?"
                   r"(wins?|blockers?|questions?|wishes|wants|priorit(?:y|ies)|good news|bad news|problem)"
                   r"(?:\s+(?:though|too|also|for \w+))?\s*:\s*", _I)
LABEL_SLOT = {"win": "wins", "blo": "blockers", "que": "questions", "wis": "wants", "wan": "wants", "pri": "wants",
              "goo": "wins", "bad": "blockers", "pro": "blockers"}
# A sentence made only of these words carries no entry: "Nope.", "Not really, sorry", "Thanks!"
_NEG_WORDS = set("no nope nah none nothing not nil".split())
_SOFT_WORDS = set("""really much yet so far this time at the moment for now sorry thanks thank you new special to
report add say in particular though any anything is it's its i think just that as of today week right well um hmm
oh ah yes yep yeah yup sure ok okay cool great hi hello all good fine everything everything's""".split())
ALL_GOOD = re.compile(r"\b(all (good|fine|ok(ay)?)|everything'?s? (is )?(fine|good|ok(ay)?))\b", _I)
# "No, waiting on legal": the leading no is its own sentence (the answer), the rest says more.
LEADING_NO = re.compile(r"^\W*(no|nope|nah|none|not (really|much|yet)|nothing( really| much)?)\s*[,;:\-\u2013]\s+", _I)
# "Thanks, that's all": courtesy before an intent doesn't hide it.
POLITE = re.compile(r"^\W*(?:(?:thanks|thank you|ok(?:ay)?|great|cool|alright)\W+)+(?=\w)", _I)
# A done-word that is denied ("isn't sent yet", "haven't finished") means not done.
DENIED = re.compile(r"\b(not|never|yet to)\b|n't\b", _I)
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

# A number with only these words around it is a position, not a count: "we're at 40", "about 40 now".
BARE_NUMBER = re.compile(r"\W*((?:[a-z']+\W+){0,5}?)(\d{1,3})((?:\W+[a-z']+){0,3})\W*", _I)
_AROUND = set("""i i'm im we we're were it it's its is are am at about around roughly approximately nearly almost
maybe probably now currently say i'd guess think so far already or ish right up to somewhere done complete""".split())


def sentences(text: str) -> list[str]:
    text = LEADING_NO.sub(lambda m: m.group(1) + ". ", text, count=1)
    parts = re.split(r"(?<=[.!?;])\s+|\n+|\s+but\s+|,\s+and\s+(?=i\b|i'|my\b|the\b|we\b|our\b)", text, flags=_I)
    parts = [re.sub(r"^(?:but|and|though|so)\s+", "", p.strip(" ,-"), flags=_I) for p in parts if p]
    return [p for p in parts if p.strip(" ,.-")]


def percent_in(sentence: str, bare: bool = False) -> int | None:
    """The percentage a sentence states: '60%', 'sixty percent', '3 of 5', 'halfway', 'almost done';
    with `bare` (it answers "where is the goal now?") also a plain 'we're at 40'."""
    if bare and (number := BARE_NUMBER.fullmatch(sentence)) and int(number.group(2)) <= 100 \
            and set(re.findall(r"[a-z']+", f"{number.group(1)} {number.group(3)}".lower())) <= _AROUND:
        return int(number.group(2))
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


# Words that say nothing beside a progress figure: "about the same, maybe 15", "hmm, 40% I guess".
_BESIDE_FIGURE = _AROUND | set("""percent per cent the same as before last time much change changes changed moved
not no pretty still similar unchanged hmm um well honestly yeah ok okay roughly halfway half way there just barely
only started begun finished a one three quarters quarter two thirds third of""".split())
_CLAUSE = re.compile(r"\s*(?:[,;]|\s[-\u2013\u2014])\s*")


def progress_answer(sentence: str) -> tuple[int | None, str]:
    """The progress figure in an answer to "where is the goal now?", and what the answer says besides
    it: "about the same, maybe 15" -> (15, ""), "roughly 15, the slides took longer" -> (15, "the slides
    took longer"). The figure stands in a clause of its own, with only hedges around it; a figure told
    inside a sentence ("Spanish is about 70%", "Spanish: 55%") leaves that sentence whole."""
    clauses = [c for c in _CLAUSE.split(sentence) if c.strip(" .!?")]
    for at, clause in enumerate(clauses):
        if (percent := percent_in(clause, bare=True)) is not None and _only(clause, _BESIDE_FIGURE):
            rest = [c.strip(" .!") for n, c in enumerate(clauses) if n != at and not _only(c, _BESIDE_FIGURE)]
            return percent, ", ".join(rest)
    return percent_in(sentence, bare=True), sentence


def _only(text: str, words: set[str]) -> bool:
    return set(re.findall(r"[a-z']+", text.lower())) <= words


def action_status(sentence: str) -> str | None:
    status = next((status for status, pattern in STATUS if pattern.search(sentence)), None)
    return "in_progress" if status == "done" and DENIED.search(sentence) else status


def chatter(sentence: str) -> str | None:
    """"nothing" for a sentence that only says no ("Not really, sorry", "all good"), "filler" for one
    that says nothing at all ("Thanks!", "Yes!"), None for a sentence with content."""
    words = re.findall(r"[a-z']+", sentence.lower())
    if re.search(r"\d", sentence) or not set(words) <= _NEG_WORDS | _SOFT_WORDS:
        return None
    return "nothing" if _NEG_WORDS & set(words) or ALL_GOOD.search(sentence) else "filler"


def accomplished(sentence: str) -> bool:
    """Something done, said plainly: "I finally shipped the onboarding guide!" (not "haven't shipped")."""
    return bool(DONE_WORD.search(sentence)) and not NEGATION.search(sentence) and not BLOCKER_CUE.search(sentence)


def names_a_topic(text: str, besides: str | None = None) -> bool:
    """The text names a slot of its own (a cue, or "no blockers"), so a short no isn't just an answer."""
    cues = (QUESTION_CUE, BLOCKER_CUE, WANT_CUE, WIN_CUE, LABEL)
    return any(p.search(text) for p in cues) or any(p.search(text) for slot, p in NONE_FOR if slot != besides)
