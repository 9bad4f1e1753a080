"""A mentee's message as the rules read it, for the goal and the prep chat alike."""
from __future__ import annotations

import re

# Phones and word processors type ’ ‘ “ ”; the rules' patterns ("don'?t", "that'?s it") use ' and ".
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_I = re.IGNORECASE
_WH = r"how|what|when|where|why|who|whom|whose|which"
_AUX = r"is|are|am|was|were|do|does|did|should|shall|can|could|will|would|may|might|must|has|have|had"
# Without a question mark only a clear question form counts: "how often should we meet" does,
# "what I need is time" or "have my manager's support" don't.
_ASKING = re.compile(
    rf"^\W*(?:(?:{_WH})(?:'s|'re|'d| (?:is|are|was|were|do|does|did|should|shall|can|could|will|would|"
    r"often|much|many|long|far|soon|come|exactly|else|kind|sort|type)\b)(?!\s*more\b)|"
    r"(?:is|are|isn't|aren't) (?:i|we|you|he|she|it|they|there|this|that|these|those|my|our|your|the)\b|"
    r"(?:do|does|did|should|shall|can|could|will|would|don't|doesn't|can't|won't)"
    r" (?:i|we|you|he|she|it|they|there|my|our|your)\b|"
    r"i (?:was )?wonder(?:ing)?\b|(?:can|could) you tell me\b|do you know\b)", _I)
# With a question mark, any sentence opening like a question is one ("Is 4 hours enough?").
_OPENS = re.compile(rf"^\W*(?:{_WH}|{_AUX})\b", _I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# Words that point back or echo the coach's question, not part of the answer.
# "I already told you: 4 hours a week" points back, then answers (without the colon it may
# be "I told you that I have ...", an answer in full).
_LEAD_IN = re.compile(r"^\W*(?:(?:as|like) i (?:said|mentioned|told you|wrote)(?: (?:before|earlier|already|above))?"
                      r"|i (?:already |just )?(?:told you|said)(?: (?:that|this|it|so))?"
                      r"(?: (?:already|before|earlier))?(?=\s*[,:;.!-])|(?:why|how)\?)[\s,:;.!-]*", _I)


# A line that starts with a capital is a new sentence, though the line before has no full stop:
# "...at least 800 on the exam\nMy manager pays for it" is two sentences, not one.
# Not before a time or a qualifier ("\nBy June 2027", "\nFor my team"): that goes on the sentence.
_LINE_END = re.compile(r"(?<=[^\s.!?;:,])[ \t]*\n\s*(?=[A-Z])(?!(?:By|In|On|At|For|With|To|Before|Until|Within|"
                       r"Through|During|From)\b)")


def line_ends(text: str) -> str:
    """`text` with a full stop where a line ended a sentence without one (see _LINE_END)."""
    return _LINE_END.sub(". ", text)


def plain(text: str) -> str:
    """`text` with curly apostrophes and quotes made straight and white space folded to single spaces."""
    return " ".join(text.translate(_PLAIN).split())


def question_form(text: str) -> str:
    """How `text` is a question: "asks" (phrased as one), "tag" (only a final "?"), or "" (not one).

    A statement after the question answers it ("Why? Because my team needs it"), and so does
    content before it ("I have 4 hours a week. Is that enough?"); a short aside ("Sorry.") doesn't.
    """
    *before, last = _SENTENCE.split(text.strip())
    if any(not s.endswith("?") and len(s.split()) > 3 for s in before):
        return ""
    if last.endswith("?"):
        return "asks" if _OPENS.match(last) or _ASKING.match(last) else "tag"
    return "asks" if "?" not in text and _ASKING.match(last) else ""


def without_lead_in(text: str) -> str:
    """`text` without "as I said," or an echoed "Why?" in front, if anything is left."""
    rest = text
    while (lead := _LEAD_IN.match(rest)) and lead.end():
        rest = rest[lead.end():]
    return rest if rest.strip() else text


def tidy(text: str) -> str:
    """`text` after a phrase was taken out of it: no double space, no space before a comma or a
    stop, and no comma left before another or at the end ("certification , scoring", "800, .")."""
    text = re.sub(r"\s+(?=[,.;:!?])", "", re.sub(r"\s{2,}", " ", text))
    return re.sub(r",+(?=[.;:!?,]|\s*$)", "", text)
