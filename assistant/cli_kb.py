"""`waypoint kb ...`: the coordinator's commands for the guideline knowledge base.

Mounted by the root CLI with `app.add_typer(kb_app, name="kb")`; the root sets
WAYPOINT_HOME from --home before these run, so Settings() finds the right index.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from assistant.config import Settings
from assistant.kb import KBError, KnowledgeBase

kb_app = typer.Typer(help="Manage the guideline knowledge base that the coach cites.",
                     no_args_is_help=True)
console = Console()
errors = Console(stderr=True)


@contextmanager
def _knowledge_base() -> Iterator[KnowledgeBase]:
    """The knowledge base of the configured home; its errors end the command with exit 1."""
    from assistant.cli import require_data  # loaded by now when run as `waypoint kb`
    settings = Settings()
    require_data(settings, kb_only=True)  # not a new empty index in whatever folder this runs from
    try:
        yield KnowledgeBase(settings)
    except KBError as exc:
        errors.print(f"[red]Error:[/red] {exc}", markup=True, highlight=False)
        raise typer.Exit(1) from exc
    except (OSError, ConnectionError, TimeoutError) as exc:  # e.g. the Chroma server went away
        errors.print(f"[red]Error:[/red] {type(exc).__name__}: {exc}", markup=True, highlight=False)
        raise typer.Exit(1) from exc


@kb_app.command("add")
def add(paths: list[Path] = typer.Argument(..., help="Files or folders (.md .txt .html .pdf .docx).")) -> None:
    """Add guideline files; a folder adds its supported files. A changed file replaces its old version."""
    with _knowledge_base() as kb:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=errors, transient=True) as progress:
            task = progress.add_task("Adding", total=None)
            results = kb.add_paths(paths, lambda done, total, name: progress.update(
                task, completed=done, total=total, description=name))
    table = Table("status", "file", "passages", "doc id / problem")
    for r in results:
        colour = {"added": "green", "replaced": "cyan", "unchanged": "dim", "error": "red"}[r.status]
        table.add_row(f"[{colour}]{r.status}[/{colour}]", r.source, str(r.chunks), r.error or r.doc_id)
    console.print(table if results else "No supported files found.")
    if not results or any(r.status == "error" for r in results):
        raise typer.Exit(1)


@kb_app.command("list")
def list_documents(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the documents in the knowledge base."""
    with _knowledge_base() as kb:
        docs = kb.list_documents()
    if as_json:
        typer.echo(json.dumps([d.model_dump(mode="json") for d in docs], indent=2, ensure_ascii=False))
        return
    if not docs:
        console.print("The knowledge base is empty. Add guidelines with `waypoint kb add PATH`.")
        return
    table = Table("title", "file", "passages", "added (UTC)")
    table.add_column("doc id", no_wrap=True, min_width=16)  # never cut: `kb remove` needs it whole
    for d in docs:
        table.add_row(d.title, d.source, str(d.chunks), d.added_at.strftime("%Y-%m-%d %H:%M"), d.doc_id)
    console.print(table)


@kb_app.command("remove")
def remove(doc_id: str = typer.Argument(..., help="Id shown by `waypoint kb list`.")) -> None:
    """Remove a document and all its passages."""
    with _knowledge_base() as kb:
        removed = kb.remove(doc_id)
    if not removed:
        errors.print(f"[red]Error:[/red] no document with id {doc_id!r} (see `waypoint kb list`)",
                     markup=True, highlight=False)
        raise typer.Exit(1)
    console.print(f"Removed {doc_id}.")


@kb_app.command("reindex")
def reindex() -> None:
    """Rebuild the index with the configured embedding model (after changing WAYPOINT_EMBEDDING)."""
    with _knowledge_base() as kb:
        count = kb.reindex()
    console.print(f"Reindexed {count} passages with {kb.embedder.model_id}.")


@kb_app.command("search")
def search(query: str = typer.Argument(..., help="A question, e.g. 'how often should we meet?'"),
           k: int = typer.Option(3, "-k", min=1, max=50, help="How many passages."),
           as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the passages that best answer a question, best first."""
    if not query.strip():
        raise typer.BadParameter("give a question to search for", param_hint="QUERY")
    with _knowledge_base() as kb:
        hits = kb.search(query, k)
    if as_json:
        keys = ("doc_id", "source", "title", "section", "text", "score")
        typer.echo(json.dumps([{key: getattr(c, key) for key in keys} for c in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        console.print("Nothing found: the knowledge base is empty or has no matching passage.")
    for rank, c in enumerate(hits, start=1):
        console.print(f"[bold]{rank}. {c.label()}[/bold]  ({c.source}, score {c.score:.2f})", highlight=False)
        console.print(c.text, markup=False, highlight=False)
        console.print()
