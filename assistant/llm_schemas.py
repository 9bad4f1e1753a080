"""What the model must answer per conversation kind: a registry of turn schemas.

One model call per mentee turn returns a *turn*: the structured update the flow
applies, plus an optional phrased reply and the slot that reply asks for. The
update model is the same one the offline engine produces (GoalUpdate for goal
drafting, PrepUpdate for meeting prep), so the flow validates both alike.

Pure: no I/O. The prep kind plugs in lazily (its module may not exist yet) or
explicitly through `register_kind`.
"""
from __future__ import annotations

import importlib
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, create_model

from assistant.coach.types import GoalDraft, GoalSlot, GoalUpdate


@dataclass(frozen=True)
class TurnKind:
    """The pieces that differ between goal drafting and meeting prep."""
    update: type[BaseModel]
    slots: tuple[str, ...]
    schema: type[BaseModel]
    prompt: str  # name of the system prompt file in prompts/
    hints: dict[str, str]  # descriptions for update fields that have none
    missing: Callable[[dict], list[str]]  # slots still empty in a serialised draft, in asking order
    wire: dict  # the function schema sent to the server (see wire_schema)
    settled: Callable[[dict], list[str]]  # slots declined or kept as they are: never asked again
    hidden: frozenset[str]  # the flow's bookkeeping in the draft: shown on lines of their own, or not at all


_REGISTRY: dict[str, TurnKind] = {}


def turn_schema(name: str, update: type[BaseModel], slots: tuple[str, ...],
                asks_literal: bool = True) -> type[BaseModel]:
    """A strict {update, reply, asks} model around an update model."""
    asks_type: Any = Literal[slots] if (slots and asks_literal) else str  # type: ignore[valid-type]
    return create_model(
        name,
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"One mentee turn understood: the {update.__name__} plus the coach's reply.",
        update=(update, Field(description="Only what THIS mentee message says; leave the rest null.")),
        reply=(str, Field("", max_length=1200, description="Your short reply to the mentee (1-3 sentences).")),
        asks=(asks_type | None, Field(None, description="The slot your reply asks about, or null.")),
    )


# Length limits stay in our own pydantic validation: sent to llama.cpp they turn into
# grammars so large its server fails to parse them (and exits); titles/defaults are noise.
_WIRE_DROP = {"maxLength", "minLength", "title", "default"}


def wire_schema(model: type[BaseModel]) -> dict:
    """The model as an OpenAI function spec, minus keys that only cost tokens or break grammars."""
    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: clean(v) for k, v in node.items()
                    if not (k in _WIRE_DROP and not isinstance(v, dict))}
        if isinstance(node, list):
            return [clean(v) for v in node]
        return node
    description = (model.__doc__ or "").strip()
    parameters = clean(model.model_json_schema())
    if parameters.get("description") == description:
        del parameters["description"]  # the function's own description already says it
    return {"name": model.__name__, "description": description, "parameters": parameters}


def register_kind(kind: str, update: type[BaseModel], slots: tuple[str, ...], prompt: str,
                  hints: dict[str, str] | None = None, asks_literal: bool = True,
                  missing: Callable[[dict], list[str]] | None = None, settled: str | None = None,
                  hidden: tuple[str, ...] = ()) -> TurnKind:
    """Register (or replace) a conversation kind; the prep module may call this itself.

    `settled` names the draft's list of slots the mentee declined or kept (never asked again);
    `hidden` the other bookkeeping keys of the draft the model needn't see.
    """
    schema = turn_schema(f"{kind.capitalize()}Turn", update, tuple(slots), asks_literal)
    empty = missing or (lambda draft: [s for s in slots if not draft.get(s)])
    done = (lambda draft: list(draft.get(settled) or [])) if settled else (lambda draft: [])
    entry = TurnKind(update, tuple(slots), schema, prompt, dict(hints or {}), empty, wire_schema(schema), done,
                     frozenset({*hidden, *([settled] if settled else [])}))
    _REGISTRY[kind] = entry
    return entry


def _load_prep() -> TurnKind | None:
    """Find PrepUpdate (and its list slots) in assistant.coach.prep*.

    Prep slots are partly dynamic ("goal:12", "action:3"), so `asks` is free text there.
    """
    for module_name in ("assistant.coach.prep_models", "assistant.coach.prep"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        update = getattr(module, "PrepUpdate", None)
        if update is None:
            continue
        slots = ("goal:<id>", "action:<id>", *getattr(module, "LIST_SLOTS", ()))
        return register_kind("prep", update, slots, "prep_system", asks_literal=False,
                             missing=_prep_missing, settled="answered", hidden=("stage", "asked", "retries"))
    return None


def kind_for(kind: str) -> TurnKind:
    """The registered kind; KeyError when it is unknown (the caller falls back)."""
    if kind not in _REGISTRY and kind == "prep":
        _load_prep()
    return _REGISTRY[kind]


def describe_fields(model: type[BaseModel], hints: dict[str, str] | None = None, indent: str = "") -> str:
    """A compact, prompt-sized description of a model's fields (no $defs noise).

    Small local models do not see the tool schema in their prompt (llama.cpp
    only uses it as a grammar), so the system prompt carries this instead.
    """
    lines = []
    for name, info in model.model_fields.items():
        nested = _nested_model(info.annotation) if name == "update" else None
        kind = "object" if nested is not None else _type_name(info.annotation)  # its fields follow
        text = info.description or (hints or {}).get(name, "")
        desc = f": {text}" if text else ""
        lines.append(f"{indent}- {name} ({kind}){desc}")
        if nested is not None:
            lines.append(describe_fields(nested, hints, indent + "  "))
    return "\n".join(lines)


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = get_args(annotation)
    if origin is Literal:
        return " | ".join(f'"{a}"' for a in args)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join(_type_name(a) for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}" if args else "list"
    if annotation is type(None):
        return "null"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        inner = ", ".join(annotation.model_fields)
        return f"object {{{inner}}}"
    names = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if annotation in names:
        return names[annotation]
    if getattr(annotation, "__name__", "") == "date":
        return "date YYYY-MM-DD"
    return getattr(annotation, "__name__", str(annotation))


def _goal_missing(draft: dict) -> list[str]:
    try:
        from assistant.coach.flow import missing  # the flow's own rule: the model predicts its next question
        return list(missing(GoalDraft.model_validate(draft)))
    except (ImportError, ValueError):
        return [slot for slot in get_args(GoalSlot) if not draft.get(slot)]


def _prep_missing(draft: dict) -> list[str]:
    """Goals without a report, actions without a status, then empty list topics."""
    reported = {r.get("goal_id") for r in draft.get("reports", [])}
    statused = {r.get("action_id") for r in draft.get("action_reports", [])}
    answered = set(draft.get("answered", []))
    gaps = [f"goal:{g.get('id')}" for g in draft.get("goals", []) if g.get("id") not in reported]
    gaps += [f"action:{a.get('id')}" for a in draft.get("actions", []) if a.get("id") not in statused]
    gaps += [s for s in ("wins", "blockers", "questions", "wants") if not draft.get(s) and s not in answered]
    return [g for g in gaps if g not in answered]


register_kind("goal", GoalUpdate, tuple(get_args(GoalSlot)), "goal_system",
              hints={name: f.description for name, f in GoalDraft.model_fields.items() if f.description},
              missing=_goal_missing, settled="settled", hidden=("stage", "asked", "tries", "saved_goal_id"))
