"""Prompt files in prompts/ with named `$variables`, rendered strictly.

A prompt is a text file (`prompts/<name>.md`) using `string.Template` syntax:
`$name` or `${name}`; `$$` is a literal dollar. Rendering is strict both ways:
a variable the file uses but the caller did not pass is an error, and so is a
variable the caller passed that the file does not use (a renamed placeholder
would otherwise silently drop data from the prompt). Values are inserted
verbatim and never re-scanned, so a `$` inside a guideline passage is harmless.
"""
from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


class PromptError(ValueError):
    """A prompt file is missing, malformed, or was given the wrong variables."""


@lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int) -> string.Template:
    # mtime in the key: an edited prompt file is picked up without a restart.
    template = string.Template(path.read_text(encoding="utf-8"))
    if not template.is_valid():
        raise PromptError(f"{path.name}: invalid placeholder (use $name, ${{name}} or $$)")
    return template


def load(name: str, prompts_dir: Path | None = None) -> string.Template:
    """The template `prompts/<name>.md` (or `.txt`)."""
    folder = prompts_dir or PROMPTS_DIR
    for suffix in (".md", ".txt"):
        path = folder / f"{name}{suffix}"
        if path.is_file():
            return _load(path, path.stat().st_mtime_ns)
    raise PromptError(f"no prompt file {name}.md or {name}.txt in {folder}")


def variables(name: str, prompts_dir: Path | None = None) -> set[str]:
    """The variable names a prompt file uses."""
    return set(load(name, prompts_dir).get_identifiers())


def render(name: str, values: dict[str, object], prompts_dir: Path | None = None) -> str:
    """Fill every variable of prompt `name`; PromptError on missing or unknown names."""
    template = load(name, prompts_dir)
    wanted = set(template.get_identifiers())
    missing = sorted(wanted - values.keys())
    unknown = sorted(values.keys() - wanted)
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown {', '.join(unknown)}")
        raise PromptError(f"prompt {name}: {'; '.join(parts)}")
    return template.substitute({key: str(value) for key, value in values.items()})
