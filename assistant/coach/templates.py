"""Offline phrasing of the goal flow's steps (pure string templates)."""
from __future__ import annotations

import re

from assistant.clock import long_date
from assistant.coach.flow import Step, is_blank, specific, statement
from assistant.coach.types import GoalDraft
from assistant.models import Citation

ASK = {
    "what": ("What exactly would you like to achieve? Name a concrete action or outcome and who it's "
             "for, e.g. \"present our quarterly results to the leadership team\"."),
    "measure": "How will you know you've done it? Give a number, a score, a count or a credential "
               "(e.g. \"3 talks\", \"90% or higher\", \"the PMP certification\").",
    "deadline": "By when do you want to have done it? A date or a period works, e.g. \"by March 31, 2027\" "
                "or \"within 8 weeks\".",
    "achievability": "What makes this achievable for you? Think of the time you can give it each week, "
                     "support from your manager or mentor, budget or access you have, and any constraints.",
    "relevance": "Why does this goal matter to you right now? How does it connect to your role or career?",
}
VAGUE_WHAT = ("\"{what}\" is a good direction, but it isn't specific yet. What would you concretely do, "
              "and with or for whom? For example: give a talk, finish a named course, lead a project.")
DATE_EXAMPLES = "Try \"by March 31, 2027\", \"in April 2027\", \"within 6 weeks\" or \"by the end of Q2 2027\"."
# Asked once more only when the answer could not be read; each says how to move on instead.
RETRY = {
    "what": "Could you put it in one sentence: what will you do, and with or for whom? Or say \"keep it\" "
            "and we'll go with your wording.",
    "deadline": "I couldn't read a date in that. " + DATE_EXAMPLES,
    "measure": "I didn't find something countable yet. What number or result would tell you it's done? "
               "Or say \"skip\".",
    "achievability": "Could you say a little more: what time, support or resources will you put into it? "
                     "Or say \"skip\".",
    "relevance": "In a few words, why does this matter to you? Or say \"skip\".",
}
# A slot the mentee put off that a goal can't do without.
REQUIRED = {
    "what": "I need at least a rough idea of the goal to help. What would you like to work on?",
    "deadline": "One last thing: I need an end date to save the goal, even a rough one you can change later, "
                "e.g. \"in 3 months\" or \"by June 30, 2027\". You can also say \"later\" and come back.",
}
ASK_CHANGE = ("No problem. What would you like to change? For example \"change the deadline to May 2027\", "
              "\"change the target to 5 talks\" or \"change the goal to: …\" followed by the new wording.")
# An instruction about the goal's wording that the rules could not carry out ("reword it a bit").
REWORD = ("I can't make that change myself. To reword the goal, say \"change the goal to: …\" followed by "
          "the whole new sentence.")
ANYTHING_ELSE = "Anything else you'd like to change before saving?"
# After an answer with no draft begun (say, right after a goal was saved): no "what exactly?" of our own.
INVITE = "If you'd like to set a goal, just tell me about it."
# Replies that begin a new draft in the same conversation: what was said before them is another goal's.
SAVED, RESTARTED = "Saved ✅", "Fresh start."
KEPT = {"what": "Okay, we'll keep your wording. ", "deadline": "Okay, we'll come back to the date at the end. "}
PROBLEMS = {"deadline_past": "That date has already passed, so I kept the deadline open. "}
ACK = {"what": "the goal", "measure": "how it's measured", "target": "the target",
       "deadline": "the deadline", "achievability": "what makes it achievable",
       "relevance": "why it matters", "baseline": "your starting point", "milestones": "the milestones"}


def phrase(step: Step, draft: GoalDraft, tip: Citation | None = None) -> str:
    """The reply for one step; `tip` is a guideline passage to cite, if any."""
    body = {
        "left": lambda: "Okay, I've kept your draft. Come back any time and we'll pick up where we left off.",
        "restarted": lambda: f"{RESTARTED} " + ASK["what"],
        "saved": lambda: f"{SAVED} \"{statement(draft)}\" is now one of your goals. Your mentor can see it "
                         "in their view. Want to draft another? Just tell me what it's about.",
        "ask_change": lambda: f"{REWORD} {_ask(step, draft)}" if step.slot else ASK_CHANGE,
        "propose": lambda: _propose(draft),
        "ask": lambda: _ask(step, draft),
        "answer": lambda: _ask(step, draft) if step.slot else INVITE if is_blank(draft) else ANYTHING_ELSE,
    }[step.kind]()
    # A declined slot asked again at once (a goal needs it) is explained by REQUIRED instead.
    kept = [slot for slot in step.settled if slot != step.slot][:1]
    prefix = _ack(step, draft) + "".join(KEPT.get(slot, "Okay, let's leave that out. ") for slot in kept)
    prefix += PROBLEMS.get(step.problem, "")
    text = prefix + body
    if tip and step.kind in ("ask", "answer"):
        text += f"\n\n> Tip from *{tip.label()}*: {_snippet(_body(tip))}"
    return text


def answer_question(question: str, passages: list[Citation]) -> str:
    """Answer a mentee's question from the guidelines only, citing them."""
    if not passages:
        return ("The program guidelines don't cover that, so I won't guess. Your mentor or the program "
                "coordinator can help with it.")
    best = section_start(passages)
    return f"From *{best.label()}*: {_snippet(_body(best), 420)}"


def section_start(passages: list[Citation]) -> Citation:
    """The best passage, or its section's opening passage when that was found too: a long
    section's rule is stated first ("meet every two weeks"), its caveats come after."""
    best = passages[0]
    heading = best.section.split("; ")[0].split(" › ")[-1]
    if not heading or best.text.startswith(heading):
        return best
    return next((p for p in passages[1:] if (p.doc_id, p.section) == (best.doc_id, best.section)
                 and p.text.startswith(heading)), best)


def _ask(step: Step, draft: GoalDraft) -> str:
    slot = step.slot or "what"
    if slot in draft.settled and slot in REQUIRED:
        return REQUIRED[slot]
    if step.retry and slot == "deadline" and draft.deadline_text and draft.deadline is None:
        return f"When you say \"{draft.deadline_text}\", which date do you mean? " + DATE_EXAMPLES
    if step.retry and (slot != "what" or draft.what):  # nothing said yet ("👍"): no wording to keep
        return RETRY[slot]
    if slot == "what" and draft.what:
        return VAGUE_WHAT.format(what=draft.what.rstrip("."))
    return ASK[slot]


def _ack(step: Step, draft: GoalDraft) -> str:
    # While the goal itself is asked for, a wish that isn't specific yet is nothing to confirm.
    skip = {"deadline_text", "what", "deadline"} if step.slot == "what" else {"deadline_text", "deadline"}
    names = list(dict.fromkeys(ACK[f] for f in step.filled if f in ACK and f not in skip))
    said = [f"I've noted {_joined(names)}"] if names else []
    if "deadline" in step.filled and draft.deadline:  # the date as read, so a misread one shows at once
        said.append(f"the deadline is {long_date(draft.deadline)}")
    if step.kind not in ("ask", "propose") or not said:
        return ""
    return f"Got it: {', and '.join(said)}. "


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


OPEN = "(not given)"  # a part the mentee declined: shown, so the proposal never pretends it is there
# How to fill in an open part before saving (the EDIT phrasings the rules understand).
FILL_IN = {"measure": "change the target to 3 talks", "achievability": "change the support to 2 hours a week",
           "relevance": "change the reason to getting ready for a lead role"}


def _propose(draft: GoalDraft) -> str:
    values = {"measure": draft.target or draft.measure, "achievability": draft.achievability,
              "relevance": draft.relevance}
    lines = ["Here's your SMART goal:", "", f"**{statement(draft)}**", "",
             f"- **Specific:** {specific(draft)}", f"- **Measurable:** {values['measure'] or OPEN}"]
    if draft.baseline:
        lines.append(f"- **Starting point:** {draft.baseline}")
    lines += [f"- **Achievable:** {values['achievability'] or OPEN}", f"- **Relevant:** {values['relevance'] or OPEN}",
              f"- **Time-bound:** {long_date(draft.deadline)}" if draft.deadline else "",
              ""]
    if (open_parts := [slot for slot, value in values.items() if not value]):
        lines.append(f"You can still fill in an open part, e.g. \"{FILL_IN[open_parts[0]]}\".")
    lines.append("Shall I save it? Say \"yes\" to save, or tell me what to change.")
    return "\n".join(lines)


def _body(passage: Citation) -> str:
    """The passage without its own heading line, which the citation label already names."""
    text = passage.text.lstrip()
    for heading in sorted({passage.section, *passage.section.split("; ")}, key=len, reverse=True):
        if heading and text.startswith(heading):
            return text[len(heading):].lstrip(" :\n")
    return text


def _snippet(text: str, limit: int = 260) -> str:
    """The passage on one line, cut after a whole sentence where one ends past half the limit,
    else after a word; never ending in a dangling list marker or an unclosed **bold**."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    cut = cut[:end + 1] if end >= limit // 2 else cut.rsplit(" ", 1)[0]
    cut = _DANGLING.sub("", cut)
    intro = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if cut.endswith(":") and intro >= limit // 3:  # "Some tips:" with the tips cut off says nothing
        cut = cut[:intro + 1]
    if cut.count("**") % 2:
        cut = cut[:cut.rfind("**")].rstrip(" -*")
    return cut + (" …" if cut.endswith((".", "?", "!")) else "…")


_DANGLING = re.compile(r"(?:\s+(?:[-*+]|\d+\.|\*\*))+\s*$")  # "ask: - **" at the cut
