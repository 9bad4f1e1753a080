"""Reading a model's raw answer: the JSON it holds, validated by our own pydantic models.

Whatever the structured-output method (tool-call arguments or message content),
the answer is validated here against the turn schema, so errors are uniform and
phrased for the model's corrective retry. Pure: no I/O.
"""
from __future__ import annotations

import json
import re
from typing import Any

import openai
from pydantic import BaseModel, ValidationError


def truncated_message(exc: "openai.LengthFinishReasonError") -> Any:
    from langchain_core.messages import AIMessage

    usage = getattr(exc.completion, "usage", None)
    meta = {"input_tokens": getattr(usage, "prompt_tokens", 0) or 0,
            "output_tokens": getattr(usage, "completion_tokens", 0) or 0}
    meta["total_tokens"] = meta["input_tokens"] + meta["output_tokens"]
    choices = getattr(exc.completion, "choices", None) or []
    content = (choices[0].message.content or "") if choices else ""
    return AIMessage(content=content, usage_metadata=meta, response_metadata={"finish_reason": "length"})


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


def raw_text(raw: Any) -> str:
    """The model's answer as text: tool-call arguments, or the message content."""
    if raw is None:
        return ""
    for call in getattr(raw, "tool_calls", None) or []:  # arguments LangChain could parse
        return json.dumps(call.get("args") or {}, ensure_ascii=False)
    for call in getattr(raw, "invalid_tool_calls", None) or []:  # arguments that are not JSON
        if call.get("args"):
            return str(call["args"])
    for call in (getattr(raw, "additional_kwargs", None) or {}).get("tool_calls") or []:
        arguments = (call.get("function") or {}).get("arguments")
        if arguments:
            return str(arguments)
    content = getattr(raw, "content", "")
    if isinstance(content, list):  # content blocks
        content = "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content or "")


def _json_part(text: str) -> str:
    """Lenient about wrapping only: code fences or prose around one JSON object."""
    stripped = _FENCE.sub("", text.strip())
    start, end = stripped.find("{"), stripped.rfind("}")
    return stripped[start:end + 1] if 0 <= start < end else stripped


def validate_turn(schema: type[BaseModel], raw: Any, parsed: Any) -> tuple[BaseModel | None, str, str]:
    """(turn, raw text, error message for the model). Our own pydantic check, whatever the method."""
    text = raw_text(raw)
    if isinstance(parsed, schema):
        return parsed, text, ""
    finish = (getattr(raw, "response_metadata", None) or {}).get("finish_reason")
    if finish == "length":
        return None, text, ("the answer was cut off at the length limit and is incomplete JSON; "
                            "answer again with a shorter reply")
    if not text.strip():
        return None, text, "the answer was empty; answer with the JSON object"
    try:
        return schema.model_validate_json(_json_part(text)), text, ""
    except ValidationError as exc:
        return None, text, format_errors(exc)


def format_errors(exc: ValidationError, limit: int = 8) -> str:
    """Errors a model can act on: where, what was wrong, what was given."""
    parts = []
    for error in exc.errors(include_url=False)[:limit]:
        where = ".".join(str(p) for p in error["loc"]) or "(the whole answer)"
        given = error.get("input")
        shown = "" if error["type"] == "missing" else f" (got {json.dumps(given, default=str)[:80]})"
        parts.append(f"{where}: {error['msg']}{shown}")
    more = len(exc.errors()) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
