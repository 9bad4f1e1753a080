"""Judging a goal statement against SMART, by rules (no I/O, no model).

Specific, Measurable and Time-bound are read from the text; Achievable and
Relevant are the mentee's to say, so they are met only once the mentee has said
something about them. Dates live in `smart_dates`.
"""
from __future__ import annotations

import re
from datetime import date

from assistant.models import Criterion, SmartAssessment
from assistant.smart_dates import deadline_phrase, find_deadline, parse_deadline, scan, time_spans
from assistant.smart_numbers import MULTIPLE_PHRASE, NUMBER_PHRASE, RANGE_PHRASE, is_threshold, with_unit

__all__ = ["QUESTIONS", "assess", "deadline_phrase", "find_measure", "is_specific", "parse_deadline"]

QUESTIONS: dict[str, str] = {
    "specific": "What exactly will you do, and with or for whom (say, \"present our results to the leadership team\")?",
    "measurable": "How will you know you've succeeded: what number, score or result would show it?",
    "achievable": "What will help you get there, such as time, support or resources?",
    "relevant": "Why does this goal matter to you right now?",
    "time_bound": "By when would you like to have this done (a date or a month is best)?",
}

_I = re.IGNORECASE
_ADJECTIVAL = re.compile(r"^\s+(?:minute|hour|day|week|month|year|page|session|module|step|person)\s+[a-z]", _I)
# A number straight after a capitalised word (not the first) or a label names something: "Python 3".
_NAME_LABEL = re.compile(r"\b(?:version|v|level|phase|step|chapter|part|module|season|grade|tier|room|no\.?|#)\s*$", _I)
_SUCCESS = re.compile(r"\b(?:success\s+(?:means|is|will\s+be|looks\s+like)|(?:as\s+)?measured\s+by|"
                      r"so\s+that|judged\s+by)\b[\s:,]*", _I)
_NOT_A_COUNT = re.compile(r"\b(?:no|any|some|every|each|the|this|that|which)\s+one\b|"
                          r"\bone\s+(?:of|day|another|more|on|or)\b", _I)

_CRED = (r"(?:certifications?|certificates?|certs?|licen[cs]es?|credentials?|accreditations?|qualifications?|degrees?|"
         r"diplomas?|MBA|badges?)")
_TEST = r"(?:exams?|examinations?|tests?|quiz(?:zes)?|assessments?)"
_COURSE = (r"(?:courses?|program(?:me)?s?|trainings?|bootcamps?|modules?|class(?:es)?|curricul(?:um|a)|"
           r"apprenticeships?|masterclass(?:es)?|specializations?)")
_ANY = rf"(?:{_TEST}|{_CRED}|{_COURSE})"
_OBJ = r"(?P<obj>(?:the|my|our|an?|[A-Z][\w'’-]*)\s+(?:[\w'’-]+\s+){0,6}?%s(?:\s+%s)*)\b"
_CREDENTIALS = [re.compile(p, _I) for p in (
    rf"\b(?:pass|passes|passed|passing|ace|clear)\s+{_OBJ % (_ANY, _ANY)}",
    rf"\b(?:earn|obtain|get|achiev|attain|gain|receiv|secur|acquir|complet|finish|renew)\w*\s+"  # any tense
    + _OBJ % (_CRED, _ANY),
    # a course counts only when it is named ("the ... course"), not "a course on X"
    # (a capital even under re.I: "a" or "some" is no name)
    r"\b(?:complet|finish|graduat\w*\s+from)\w*\s+(?P<obj>(?:the|my|our|[\w'’-]+'s|(?-i:[A-Z])[\w-]*)\s+"
    rf"(?:[\w'’-]+\s+){{0,6}}?{_COURSE}(?:\s+{_ANY})*)\b",
    rf"\b(?:complet|finish)\w*\s+(?P<obj>{_COURSE}\s+\d+)\b",  # or numbered: "finish module 1"
    # a credential known by its acronym ("obtain my PMP") or a grade ("get an A in statistics")
    r"\b(?:earn|obtain|attain|achiev|pass)\w*\s+(?P<obj>(?:my|the|an?)\s+(?-i:[A-Z]{2,6}))\b(?!['’-])",
    r"\b(?:get|earn|achieve|receive|score)\w*\s+(?P<obj>(?:an?\s+)?(?-i:[A-F][+-]?))(?=\s+(?:in|on|for)\b)",
    r"(?P<obj>\b(?-i:[ABC][12])(?:\s+level)?)\b",  # a language level (CEFR)
    r"\b(?P<obj>(?:get|getting|got|become|becoming)\s+(?:an?\s+)?(?:certified|licensed|chartered|accredited)"
    r"(?:\s+(?:in|as|on)\s+[\w'’-]+(?:\s+[A-Z][\w'’-]*){0,3}|\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})?)",
    r"\b(?:reach|achieve|attain|get\s+to)\s+(?P<obj>level\s+\d+)\b",
)]

_LEAD = re.compile(
    r"^\s*(?:(?:goal|objective)\s*:\s*|(?:my|our|the)\s+(?:main\s+)?(?:goal|aim|objective)\s+is\s+(?:to\s+)?|"
    r"(?:i|we)(?:'d|’d|\s+would|\s+will|'ll|’ll|\s+want|\s+wish|\s+hope|\s+plan|\s+aim|\s+intend|\s+need|\s+have|"
    r"\s+am\s+going|'m\s+going|’m\s+going|\s+should|\s+must|\s+shall|\s+can|\s+could)(?:\s+(?:like|love|really))?"
    r"(?:\s+to)?\s+|to\s+|(?:really|finally|successfully|consistently|also|then|just|be\s+able\s+to)\s+)+", _I)
_VAGUE_TIME = re.compile(r"\b(?:at\s+some\s+point|some\s*day|one\s+day|eventually|soon|in\s+general|"
                         r"in\s+the\s+(?:near\s+)?future|over\s+time|someday)\b", _I)
# Heads that only state a direction of change ("get better at", "learn", "be more ...").
_DIRECTION = re.compile(
    r"^(?:improve|enhance|better|boost|increase|decrease|reduce|lower|raise|grow|expand|strengthen|cut|minimi[sz]e|"
    r"maximi[sz]e|optimi[sz]e|streamline|learn|understand|explore|study|practi[cs]e|master|refine|polish|upskill|"
    r"advance|progress|level\s+up|work\s+on|focus\s+on|think\s+about|try|keep|continue|"
    r"(?:move|transition|switch|get|go|break|grow|step)\s+(?:into|to)\b|"
    r"get\s+(?:better|good|more|less|worse|comfortable|confident|fluent|organi[sz]ed|involved|used\s+to|\w+er\b)|"
    r"(?:be|become|feel|stay|seem)\b(?!\s+(?:an?\s+)?(?:certified|licensed|chartered|accredited)\b))", _I)
# Heads that state a condition rather than a change: "be a mentor to 3 new hires" is no improvement.
_STATE = re.compile(r"(?:be|become|feel|stay|seem)\b", _I)
# "delegate more", "spend less time", "volunteer for more assignments", "have a better balance"; but
# "write a better onboarding guide" names a deliverable, so a comparative after "a/the" only counts after
# verbs that state a condition rather than make something.
_MORE_LESS = re.compile(r"^(?:\S+\s+)?(?:(?:for|on|in|to|with|at|up|out|about)\s+)?(?:(?:a|an|my|our|the)\s+)?"
                        r"(?:more|less|fewer)\b|^(?:\S+\s+)?(?:better|worse|stronger|healthier|closer|deeper|broader)\b"
                        r"|^(?:have|get|keep|find|maintain|achieve|enjoy|be|become)\s+(?:a|an|my|our|the)\s+"
                        r"(?:better|worse|stronger|healthier|closer|deeper|broader)\b"
                        r"|\b(?:more|less|better)\s*(?:often|regularly|frequently)?\W*$", _I)
_DETERMINED = re.compile(r"^(?:a|an|the|my|our|their|his|her|its|this|that|these|those|each|every|all|both|"
                         r"[\w-]+'s)\s", _I)
_PREPOSITION = re.compile(r"\b(?:for|with|to|on|at|about|in|from|through|into|across|during|by|among|within)\s", _I)
_STOP = set("""a an the my our their his her its your this that these those some any all each every of in on at for
with to from by about into through during and or but so as it them me us i we they you be is are was more less very
really also just well things stuff lot lots way ways better good great best strong stronger amazing awesome excellent
solid effective successful high-performing world-class top nice real proper big important meaningful impactful
valuable overall general generally work job thing everything something""".split())
# Qualities rather than things: "develop my leadership skills" states no concrete object.
_ABSTRACT = set("""skill skills communication writing speaking leadership confidence knowledge understanding quality
performance productivity presence visibility relationship relationships network networking mindset efficiency habit
habits career ability abilities expertise competence capability capabilities judgment judgement balance collaboration
teamwork stress wellbeing well-being health fitness focus motivation creativity influence reputation profile game
craft growth development experience self""".split())
_WORD = re.compile(r"[A-Za-z][\w'’-]*|\d[\d,.]*%?")


def _strip_time(text: str) -> str:
    """The text with its time expressions blanked, so "6 weeks" or "2027" is no measure."""
    for start, end in time_spans(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return _VAGUE_TIME.sub(lambda m: " " * len(m.group(0)), text)


def _is_name(core: str, start: int, digits: bool) -> bool:
    """A number that is part of a name ("Python 3", "ISO 9001", "module 2", "phase two")."""
    before = core[:start]
    if _NAME_LABEL.search(before):
        return True
    if not digits:  # "present to the CEO twice", "post on LinkedIn once a week": names take digits
        return False
    words = re.findall(r"[\w'’.:;!?-]+", before)
    if not words:
        return False
    prev = words[-1]
    first = len(words) == 1 or words[-2][-1] in ".:;!?"
    return prev[0].isupper() and not first and prev.lower() not in _STOP


def _numeric_measure(core: str, head: int | None = None) -> str | None:
    """The best number: a bound first, then a multiple, then the earliest count (`head`: see `_in_scope`).
    A bound says when the goal is met; a count often only sizes its object ("run a 10k race in under 55 min")."""
    found = sorted(_candidates(core, head), key=lambda c: c[:2])
    return found[0][2] if found else None


def _candidates(core: str, head: int | None):
    """(rank, where, text) for each number that could check success: 0 a bound, 1 a multiple, 2 a count."""
    if (m := RANGE_PHRASE.search(core)):  # "from 120 to under 40 tickets"
        yield 0, m.start(), with_unit(core, m.start(), m.end(), counted=not m.group(0).endswith("%"))
    for m in NUMBER_PHRASE.finditer(core):
        num = m.group("num").lower()
        year = re.fullmatch(r"(?:19|20)\d\d", num)
        bare = m.group(0) == m.group("num")  # no "at least", "%", "or higher" around it
        if year or (bare and _is_name(core, m.start(), num[0].isdigit())):
            continue
        if num == "one" and _NOT_A_COUNT.search(core[max(0, m.start() - 12):m.end() + 9]):
            continue  # "one of", "one day", "no one"
        if bare and _ADJECTIVAL.match(core[m.end():]):
            continue
        bound = is_threshold(core, m)
        if bare and not bound and head is not None and _in_scope(core[head:m.start()]):
            continue  # "to 500 subscribers" after a qualifier is still a target
        yield 0 if bound else 2, m.start(), with_unit(core, m.start(), m.end(), counted=_counts_after(m))
    if (m := MULTIPLE_PHRASE.search(core)):  # "double", "in half": a target, not a count
        yield 1, m.start(), m.group(0)


def _counts_after(m: re.Match) -> bool:
    """Whether a noun may follow: "100 or more attendees", but not "90% users" or "3 times a week"."""
    return not re.search(r"%|cent|times", m.group(0)[m.end("num") - m.start():])


def _in_scope(between: str) -> bool:
    """Whether a count after a vague improvement sits in a qualifier ("improve my communication with
    the 3 teams"): that counts the audience or scope, not a result. A preposition that follows the verb
    directly is part of it ("get better at", "work on"); after ",", ";" or "and" (but not "and the ...")
    a new verb may start ("improve the docs for new hires and run 3 workshops")."""
    words = re.findall(r"[\w'’-]+|[,;]", between.lower())
    if any(w in (",", ";", "then", "but") or (w == "and" and not _DETERMINED.match(f"{n} "))
           for w, n in zip(words, words[1:] + [""])):
        return False
    return any(_PREPOSITION.fullmatch(f"{w} ") for w in words[1:])


def find_measure(text: str) -> str | None:
    """The part that makes success checkable: a number or threshold, else a pass/fail credential."""
    core = _strip_time(text)
    limits = [(ref.start, text[ref.start:ref.end]) for ref in scan(text) if ref.role == "limit"]
    if (said := _SUCCESS.search(core)):  # "...; success means zero P1 incidents": the goal's own test
        tail = " " * said.end() + core[said.end():]
        if (found := _measure(tail, [lim for lim in limits if lim[0] >= said.end()])):
            return found
    return _measure(core, limits, _vague_head_end(core))


def _measure(core: str, limits: list[tuple[int, str]], head: int | None = None) -> str | None:
    """A number, else a per-item time limit, else a credential; `limits` are (where, phrase)."""
    if (found := _numeric_measure(core, head)):
        return found
    if limits:  # "within a day" for each ticket is a threshold, number or not
        return limits[0][1]
    for rx in _CREDENTIALS:
        if (m := rx.search(core)):
            return re.sub(r"\s+", " ", m.group("obj")).strip()
    return None


def _vague_head_end(core: str) -> int | None:
    """Where the verb of a vague improvement ends ("Improve", "get better", "spend [more]"), else None.
    Stating a state ("be a mentor to 3 new hires") is no improvement unless it is comparative."""
    start = len(core) - len(core.lstrip(" .,;:!?"))  # "By 1 March, ..." leaves blanks and a comma
    if (lead := _LEAD.match(core[start:])):
        start += lead.end()
    clause = core[start:]
    comparative = _MORE_LESS.search(clause)
    if (head := _DIRECTION.match(clause)) and (comparative or not _STATE.match(head.group(0))):
        return start + head.end()
    return start + len(clause.split(" ", 1)[0]) if comparative else None


def _clause(text: str) -> str:
    """The goal's main clause without "I want to", time words or trailing punctuation."""
    core = re.sub(r"\s+", " ", _strip_time(text)).strip(" .,;:!?")  # "By 1 March, document ..."
    return _LEAD.sub("", core, count=1).strip(" .,;:!?")


def _judge_specific(text: str, measure: str | None) -> tuple[bool, str]:
    clause = _clause(text)
    head = _shorten(clause, 60)
    if not clause:
        return False, "It doesn't say what will be done."
    if _DIRECTION.match(clause) or _MORE_LESS.search(clause):
        if measure:
            return True, f"It names the change and the target it must reach ({measure})."
        return False, f"It states a direction of improvement (\"{head}\"), not a concrete action or outcome."
    if measure or _concrete_object(clause.split(" ", 1)[1] if " " in clause else ""):
        return True, f"It names a concrete action and its object (\"{head}\")."
    return False, "It doesn't say concretely what will be done, with or for whom."


def _concrete_object(rest: str) -> bool:
    """Whether the words after the verb name a particular thing (not just "documentation" or "a great team")."""
    words = [w for w in _WORD.findall(rest) if w.lower() not in _STOP]
    prep = _PREPOSITION.search(rest)
    head = [w for w in _WORD.findall(rest[:prep.start()] if prep else rest) if w.lower() not in _STOP]
    if not words or head and all(w.lower() in _ABSTRACT for w in head):  # "develop my leadership skills"
        return False
    if any(w[0].isupper() or w[0].isdigit() for w in words):  # a name or a number: "Use Jira", "run 3 sessions"
        return True
    # A qualified object: "for the 5 core services", "with my team", "the deployment process".
    qualified = bool(prep) and any(w.lower() not in _STOP for w in _WORD.findall(rest[prep.end():]))
    # One noun is enough after a preposition: "speak at a conference", "report to my manager".
    enough = len(words) >= 2 or bool(prep and prep.start() == 0 and _DETERMINED.match(rest[prep.end():]))
    return enough and (qualified or bool(_DETERMINED.match(rest)))


def is_specific(text: str) -> bool:
    """True when the text names a concrete action or outcome and its object."""
    return _judge_specific(text, find_measure(text))[0]


def _time_bound(text: str, today: date) -> tuple[Criterion, date | None]:
    phrase, deadline = find_deadline(text, today)
    if deadline:
        return Criterion(met=True, reason=f"It ends on {deadline.isoformat()} (\"{phrase}\")."), deadline
    if phrase:
        # Time-bound, but a Goal needs a day: the coach can still ask which one is meant.
        return Criterion(met=True, reason=f"It sets an end (\"{phrase}\"), though not which day.",
                         question=f"When you say \"{phrase}\", which date exactly do you mean?"), None
    roles = {r.role for r in scan(text)}
    if "limit" in roles:  # "reply to all emails within 24 hours"
        reason = "It sets a time limit for each item, but no end date for the goal."
    elif roles - {"end"}:
        reason = "It gives a start or a cadence, but no end date."
    else:
        reason = "It gives no end date or period."
    return Criterion(met=False, reason=reason, question=QUESTIONS["time_bound"]), None


def _mentee_said(name: str, answer: str, label: str) -> Criterion:
    if answer.strip():
        return Criterion(met=True, reason=f"The mentee described {label}: \"{_shorten(answer)}\".")
    return Criterion(met=None, reason=f"Only the mentee can say {label}.", question=QUESTIONS[name])


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def assess(text: str, today: date, *, achievability: str = "", relevance: str = "") -> SmartAssessment:
    """Judge a goal statement; `achievability`/`relevance` are the mentee's own words, if given."""
    measure = find_measure(text)
    specific, why_specific = _judge_specific(text, measure)
    time_bound, deadline = _time_bound(text, today)
    criteria = {
        "specific": Criterion(met=specific, reason=why_specific,
                              question=None if specific else QUESTIONS["specific"]),
        "measurable": Criterion(met=True, reason=f"Success can be checked against \"{measure}\".") if measure else
        Criterion(met=False, reason="There is no number, threshold or pass/fail result to check success against.",
                  question=QUESTIONS["measurable"]),
        "time_bound": time_bound,
        "achievable": _mentee_said("achievable", achievability, "what makes it achievable"),
        "relevant": _mentee_said("relevant", relevance, "why it matters to them"),
    }
    questions = [QUESTIONS[name] for name in ("specific", "measurable", "time_bound", "achievable", "relevant")
                 if criteria[name].met is not True]
    return SmartAssessment(**criteria, deadline=deadline, questions=questions)
