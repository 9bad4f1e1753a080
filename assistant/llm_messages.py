"""The chat messages of one model call, built from prompt files and kept under budget.

Everything that is not the rules (draft, recent messages, guideline passages,
the mentee's message) goes into the user message inside tagged data sections.
Tags inside that data are neutralised so a passage cannot close its section
and pose as instructions. Pure: no I/O besides reading prompt files.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from assistant import prompts
from assistant.coach.types import TurnRequest
from assistant.llm_schemas import TurnKind, describe_fields
from assistant.models import Citation

# Characters per token, on the low side (JSON and names tokenise worse than
# prose) so that the estimate errs towards smaller prompts. No tiktoken: its
# tables would be downloaded at run time, which this deployment cannot do.
CHARS_PER_TOKEN = 3.5
PROMPT_TOKEN_BUDGET = 2800  # target is <= 3k per call; leave room for the retry turn
MAX_PASSAGES = 3
PASSAGE_CHARS = 700
HISTORY_MESSAGES = 4  # two exchanges: the draft holds what was said before
HISTORY_CHARS = 300  # the coach's last message: the question this message answers
OLDER_CHARS = 160  # messages before it: context only, the draft holds what they settled

_SECTION_TAGS = re.compile(
    r"<\s*/?\s*(guidelines|passage|draft|recent_messages|mentee_message)\b[^>]*>", re.IGNORECASE)


def estimate_tokens(text: str) -> int:
    return int(len(text) / CHARS_PER_TOKEN) + 1


def neutralise(text: str) -> str:
    """Defuse our own section tags inside data, so data cannot end its section."""
    return _SECTION_TAGS.sub(lambda m: f"[{m.group(1)}]", text)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _attr(value: str) -> str:
    return _clip(value, 120).replace('"', "'").replace("<", "(").replace(">", ")")


def guidelines_section(passages: list[Citation]) -> str:
    if not passages:
        return "(no guideline passages for this turn)"
    blocks = []
    for number, passage in enumerate(passages, start=1):
        section = f' section="{_attr(passage.section)}"' if passage.section else ""
        blocks.append(f'<passage n="{number}" title="{_attr(passage.title)}"{section}>\n'
                      f"{neutralise(_clip(passage.text, PASSAGE_CHARS))}\n</passage>")
    return "\n".join(blocks)


def history_section(history: list[dict]) -> str:
    lines = []
    for number, message in enumerate(history, start=1):
        who = "mentee" if message.get("role") == "user" else "coach"
        limit = HISTORY_CHARS if number == len(history) else OLDER_CHARS
        lines.append(f"{who}: {neutralise(_clip(str(message.get('text', '')), limit))}")
    return "\n".join(lines) or "(this is the first message)"


def draft_section(draft: dict, hidden: frozenset[str] | set[str] = frozenset()) -> str:
    """Only the filled fields: empty ones, and the flow's bookkeeping (`hidden`), cost tokens and say nothing."""
    filled = {k: v for k, v in draft.items() if v not in (None, "", [], {}) and k not in hidden}
    return neutralise(json.dumps(filled, ensure_ascii=False, default=str)) if filled else "{}"


@dataclass
class TurnPrompt:
    """The rendered system and user messages of one turn."""
    system: str
    user: str

    def messages(self) -> list[BaseMessage]:
        return [SystemMessage(self.system), HumanMessage(self.user)]

    def retry_messages(self, previous_output: str, errors: str) -> list[BaseMessage]:
        """Instructor-style correction: show the model its answer and what was wrong."""
        retry = prompts.render("retry_validation", {"errors": errors})
        return [*self.messages(), AIMessage(_clip(previous_output, 1500) or "(empty answer)"),
                HumanMessage(retry)]

    def estimated_tokens(self) -> int:
        return estimate_tokens(self.system) + estimate_tokens(self.user)


def build_prompt(req: TurnRequest, kind: TurnKind, extra_tokens: int = 0) -> TurnPrompt:
    """Render the turn; drop old history, then low-ranked passages, then clip the message to fit."""
    system = prompts.render(kind.prompt, {
        "today": f"{req.today.isoformat()} ({req.today.strftime('%A')})",
        "fields": describe_fields(kind.schema, kind.hints),
        "slots": ", ".join(kind.slots) or "(any)",
    })
    history = list(req.history)
    if history and history[-1].get("role") == "user" and history[-1].get("text") == req.text:
        history.pop()  # the service's history ends with this very message: it has its own section
    history = history[-HISTORY_MESSAGES:]
    passages = list(req.passages[:MAX_PASSAGES])
    message_chars = 4000
    while True:
        prompt = TurnPrompt(system, _user(req, kind, history, passages, message_chars))
        if prompt.estimated_tokens() + extra_tokens <= PROMPT_TOKEN_BUDGET:
            return prompt
        if history:
            history.pop(0)
        elif passages:
            passages.pop()
        elif message_chars > 400:
            message_chars //= 2
        else:
            return prompt  # the rules alone are over budget: send anyway, the bench will show it


def _user(req: TurnRequest, kind: TurnKind, history: list[dict], passages: list[Citation],
          message_chars: int) -> str:
    return prompts.render("turn_user", {
        "draft": draft_section(req.draft, kind.hidden),
        "expecting": _expecting(req),
        "missing": ", ".join(kind.missing(req.draft)) or "nothing",
        "settled": ", ".join(kind.settled(req.draft)) or "none",
        "history": history_section(history),
        "guidelines": guidelines_section(passages),
        "message": neutralise(req.text[:message_chars]),
    })


def _expecting(req: TurnRequest) -> str:
    if req.expecting:
        return req.expecting
    # A proposed goal asks no slot: the mentee confirms, rejects or changes it.
    return "the proposed goal" if req.draft.get("stage") == "confirming" else "nothing yet"
