"""`waypoint`: the command line over the service layer (renders and calls, nothing else)."""
from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup


class _Commands(TyperGroup):
    """Every command's refusals, bad input and setup problems (settings, an unreachable database or
    Chroma server, an unwritable data folder) end in one `Error: ...` line and exit 1, never a
    traceback; anything else is a bug and keeps its traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (ValueError, LookupError, PermissionError, OSError) as exc:  # pydantic's errors are ValueErrors
            message = _message(exc)
        except Exception as exc:  # KBError, a database gone away: known ones only
            from assistant.deps import setup_problem
            message = setup_problem(exc)
            if message is None:
                raise
        typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


def _message(exc: Exception) -> str:
    from pydantic import ValidationError
    if isinstance(exc, (ValidationError, OSError)):  # a setting named, a file's path shown
        from assistant.deps import setup_problem
        if problem := setup_problem(exc):
            return problem
    if isinstance(exc, UnicodeDecodeError):
        return "the file is not UTF-8 text; save it as UTF-8 and try again"
    return str(exc).strip("'\"") if isinstance(exc, KeyError) else str(exc)


app = typer.Typer(help="Waypoint: turn mentoring wishes into SMART goals.", no_args_is_help=True, cls=_Commands)
smart_app = typer.Typer(help="SMART analysis of a goal statement.", no_args_is_help=True)
goals_app = typer.Typer(help="Saved goals.", no_args_is_help=True)
users_app = typer.Typer(help="People and their roles.", no_args_is_help=True)
app.add_typer(smart_app, name="smart")
app.add_typer(goals_app, name="goals")
app.add_typer(users_app, name="users")


@app.callback()
def main(home: Optional[Path] = typer.Option(None, "--home", help="Data folder (default: $WAYPOINT_HOME or ./.waypoint).")):
    if home is not None:
        os.environ["WAYPOINT_HOME"] = str(home)


def _today(value: Optional[str]) -> date:
    """--today as given, else today on the program's clock (WAYPOINT_TIMEZONE), as the app's."""
    if not value:
        from assistant.config import Settings
        return datetime.now(Settings().tz).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"--today must be YYYY-MM-DD, not {value!r}") from None


def _service(today: Optional[date] = None, *, create: bool = False):
    """The service on the configured data; unless `create` (init), refuse data that isn't there."""
    from assistant.config import Settings
    from assistant.deps import build_deps
    from assistant.service import Service
    settings = Settings()
    if not create:
        require_data(settings)
    return Service(build_deps(settings, today=(lambda: today) if today else None))


def require_data(settings, kb_only: bool = False) -> None:
    """Stop unless `waypoint init` prepared the configured data. A database URL decides by its
    contents; a data folder given relative to the current directory (the default ./.waypoint)
    must hold a database (for `kb` commands: an index), or running elsewhere would start a new,
    empty one. An absolute folder is taken as chosen on purpose."""
    from assistant.store import has_data
    if settings.database_url and not kb_only:
        if not has_data(settings.database_url):
            from sqlalchemy.engine import make_url
            url = make_url(settings.database_url)
            where = f"{url.host or 'localhost'}:{url.port or 5432}/{url.database}" if url.host else url.database
            _fail(f"No Waypoint data in the database {where} (WAYPOINT_DATABASE_URL): run `waypoint init` "
                  "with this WAYPOINT_DATABASE_URL first, or point it at your database.")
        return
    if settings.home.is_absolute():
        return
    if (settings.chroma_path.is_dir() or settings.chroma_url) if kb_only else has_data(settings.db_url):
        return
    _fail(f"No Waypoint data in {settings.home.resolve()}: run `waypoint init` there first, "
          "or set WAYPOINT_HOME (or --home) to your data folder.")


def _fail(message: str) -> None:
    typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@smart_app.command("assess")
def smart_assess(text: str, today: Optional[str] = typer.Option(None, help="YYYY-MM-DD (default: today)."),
                 as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Judge a goal statement against the SMART criteria."""
    from assistant.smart import assess
    result = assess(text, _today(today))
    if as_json:
        out = {name: {"met": c.met, "reason": c.reason} for name, c in result.criteria().items()}
        out["deadline"] = result.deadline.isoformat() if result.deadline else None
        out["questions"] = result.questions
        _echo_json(out)
        return
    for name, c in result.criteria().items():
        mark = {True: "✔", False: "✘", None: "?"}[c.met]
        typer.echo(f"{mark} {name.replace('_', '-'):12} {c.reason}")
    typer.echo(f"deadline: {result.deadline or '—'}")
    for q in result.questions:
        typer.echo(f"  • {q}")


@app.command()
def chat(user: str = typer.Option(..., "--user", help="Mentee name (see `waypoint users add`)."),
         script: Optional[Path] = typer.Option(None, "--script", help="One mentee message per line."),
         today: Optional[str] = typer.Option(None, help="YYYY-MM-DD (default: today)."),
         as_json: bool = typer.Option(False, "--json", help="Print the transcript as JSON.")):
    """Draft a SMART goal with the coach (interactive, or scripted with --script)."""
    service = _service(_today(today))
    actor = service.user(user)
    if actor.role != "mentee":
        _fail(f"{user!r} is a {actor.role}; only mentees draft goals.")
    lines = _script_lines(script) if script else None
    converse(lambda text: service.chat(actor, text), lines, as_json, [],
             lambda reply: {"goal_id": reply.goal.id if reply.goal else None})


def converse(turn, lines: Optional[list[str]], as_json: bool, transcript: list[dict], extra) -> None:
    """Feed the mentee's lines (a script, or typed at the prompt) to `turn`, a service call;
    print the conversation, or the whole transcript as JSON at the end. `extra` adds the
    fields of a reply that only this conversation has (goal id, agenda version...)."""
    for text in (lines if lines is not None else _prompt_lines()):
        reply = turn(text)
        transcript.append({"role": "user", "text": text})
        transcript.append({"role": "assistant", "text": reply.text, "backend": reply.backend,
                           "step": reply.step.kind, **extra(reply)})
        if not as_json:
            if lines is not None:
                typer.echo(f"you> {text}")
            typer.echo(f"coach> {reply.text}\n")
        if reply.step.kind == "left":
            break
    if as_json:
        _echo_json(transcript)


def _script_lines(path: Path) -> list[str]:
    if not path.is_file():
        _fail(f"no such script file: {path}")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _prompt_lines():
    typer.echo("coach> What would you like to work on? (type 'quit' to leave; your draft is kept)")
    while True:
        try:
            text = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            return
        if text:
            yield text


def _goal_json(goal) -> dict:
    return goal.model_dump(mode="json")


@goals_app.command("list")
def goals_list(user: str = typer.Option(..., "--user"), as_json: bool = typer.Option(False, "--json")):
    """List a mentee's goals."""
    from assistant.service import NotFound
    service = _service()
    try:
        goals = service.goals(service.user(user))
    except (NotFound, PermissionError) as exc:
        _fail(str(exc))
    if as_json:
        _echo_json([_goal_json(g) for g in goals])
        return
    for g in goals:
        typer.echo(f"#{g.id} [{g.status} {g.progress}%] {g.statement} (due {g.deadline})")
    if not goals:
        typer.echo("No goals yet.")


@users_app.command("add")
def users_add(name: str, role: str = typer.Option(..., "--role", help="mentee, mentor or coordinator"),
              mentor: Optional[str] = typer.Option(None, "--mentor", help="Pair the new mentee with this mentor."),
              password_stdin: bool = typer.Option(False, "--password-stdin", help="Read an initial password from stdin."),
              temporary: bool = typer.Option(True, "--temporary/--permanent",
                                             help="With --password-stdin: must they change it at first sign-in?")):
    """Add a person (without --password-stdin they can't sign in until `waypoint users passwd`)."""
    from assistant.cli_accounts import read_password
    from assistant.service import SYSTEM
    if role not in ("mentee", "mentor", "coordinator"):
        _fail("--role must be mentee, mentor or coordinator")
    try:
        if password_stdin:
            user = _service().create_account(SYSTEM, name, role, read_password(),  # type: ignore[arg-type]
                                             mentor=mentor, must_change=temporary)
        else:
            user = _service().add_user(SYSTEM, name, role, mentor=mentor)  # type: ignore[arg-type]
    except (ValueError, LookupError) as exc:
        _fail(str(exc))
    typer.echo(f"Added {user.role} {user.name}" + (f", paired with {mentor}" if mentor else ""))
    if not password_stdin:
        typer.echo(f"{user.name} can't sign in yet: set a password with "
                   f"`waypoint users passwd {user.name}` (read from stdin).")


@users_app.command("list")
def users_list(as_json: bool = typer.Option(False, "--json")):
    """List people."""
    from assistant.service import SYSTEM
    users = _service().users(SYSTEM)
    if as_json:
        _echo_json([u.model_dump(mode="json") for u in users])
        return
    for u in users:
        typer.echo(f"{u.name:20} {u.role:12} {'active' if u.active else 'inactive'}")


@app.command()
def init():
    """Prepare the data folder: database schema, the first coordinator `admin`, default guidelines.

    `make run` calls this before starting the app, so a one-time admin password shows in the
    terminal at once and the first page doesn't wait for the guidelines to be indexed."""
    from assistant.auth import PasswordPolicyError, check_password
    from assistant.service.accounts import ADMIN
    service = _service(create=True)
    settings = service.deps.settings
    try:
        if settings.admin_password:  # refused before the slow part, not after it
            check_password(settings.admin_password, ADMIN)
    except PasswordPolicyError as exc:
        _fail(f"WAYPOINT_ADMIN_PASSWORD was not accepted: {exc}")
    # The guidelines first (first use ingests knowledge/ if the index is empty): if the Chroma
    # server can't be reached, no admin exists yet and the next `init` still shows its password.
    docs = service.deps.kb.list_documents()
    generated = service.ensure_admin(settings.admin_password)
    if generated:
        typer.echo("=" * 72 + "\nFirst start: sign in as 'admin' with the one-time password\n\n"
                   f"    {generated}\n\nYou will be asked to choose your own password. It is shown only once.\n"
                   "Lost it? Set a new one with `waypoint users passwd admin`.\n" + "=" * 72)
    typer.echo(f"Data folder ready: {settings.home.resolve()} ({len(docs)} guideline documents)")


def _mount_optional() -> None:
    """Sub-commands that live in their own modules."""
    from assistant.cli_kb import kb_app
    app.add_typer(kb_app, name="kb")
    from assistant.cli_accounts import register
    register(app, users_app, _service, _fail, _echo_json)  # users deactivate/passwd, pairs
    from assistant.cli_meetings import register as register_meetings
    register_meetings(app, goals_app, _service, _fail, _echo_json)  # meetings, prep, exports


_mount_optional()
