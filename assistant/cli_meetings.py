"""`waypoint meetings add|list`, `waypoint prep`, `waypoint agenda export`, `waypoint goals export`.

Who the CLI acts as: `meetings add` as one side of the pair (the mentee unless
--by names their mentor), `meetings list` and `prep` as the named user, and
the exports as the server's operator (`Service.export_as_operator`): whoever
runs the CLI already holds the database, so the exports check no web role.
"""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo

import typer

from assistant.clock import from_local, show

meetings_app = typer.Typer(help="Mentoring meetings.", no_args_is_help=True)
agenda_app = typer.Typer(help="Meeting agendas.", no_args_is_help=True)
REFUSED = (ValueError, LookupError, PermissionError)
AGENDA_FORMATS = ("md", "pdf", "ics")
GOAL_FORMATS = ("csv", "md", "json")


def parse_at(value: str, tz: ZoneInfo) -> datetime:
    """A start time typed on the program's clock (WAYPOINT_TIMEZONE), as a UTC instant."""
    try:
        wall = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise typer.BadParameter(f'--at must be "YYYY-MM-DD HH:MM" ({tz.key}), not {value!r}') from None
    return from_local(wall.date(), wall.time(), tz)


def write_export(export, out: Optional[Path], binary: bool) -> None:
    """To --out if given; else text to stdout, and a binary file (PDF) under its own name here."""
    if out is None and binary:
        out = Path(export.filename)
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(export.data)  # the exact bytes: BOM, CRLF and all
        sys.stdout.buffer.flush()
        return
    out.write_bytes(export.data)
    typer.echo(f"Wrote {out} ({len(export.data)} bytes, {export.mime})")


def register(app: typer.Typer, goals_app: typer.Typer, service, fail, echo_json) -> None:
    """Add the commands to the CLI; `service`, `fail` and `echo_json` are cli.py's helpers."""
    from assistant.cli import _script_lines, _today, converse  # cli.py is loaded by now

    @meetings_app.command("add")
    def meetings_add(mentee: str = typer.Option(..., "--mentee", help="The mentee's name."),
                     at: str = typer.Option(..., "--at", help='Start, "YYYY-MM-DD HH:MM" in WAYPOINT_TIMEZONE (default UTC).'),
                     minutes: int = typer.Option(45, "--minutes", min=15, max=240, help="Length."),
                     by: Optional[str] = typer.Option(None, "--by", help="Who books it: the mentee "
                                                      "(default) or their mentor."),
                     today: Optional[str] = typer.Option(None, help="YYYY-MM-DD (default: today).")):
        """Book a meeting for a mentee and their mentor."""
        svc = service(_today(today))
        tz = svc.deps.settings.tz
        starts = parse_at(at, tz)
        try:
            actor = svc.user(by or mentee)
            meeting = svc.schedule_meeting(actor, mentee, starts, minutes)
        except REFUSED as exc:
            fail(str(exc))
        typer.echo(f"Scheduled meeting #{meeting.id}: {meeting.mentee} & {meeting.mentor}, "
                   f"{show(meeting.starts_at, tz, '%Y-%m-%d %H:%M')}, {meeting.minutes} min")

    @meetings_app.command("list")
    def meetings_list(user: str = typer.Option(..., "--user", help="A mentee or a mentor."),
                      as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
        """A mentee's meetings, or a mentor's with their mentees, oldest first."""
        svc = service()
        try:
            actor = svc.user(user)
            found = svc.meetings(actor, user)
            versions = {m.id: svc.agenda(actor, m.id) for m in found}
        except REFUSED as exc:
            fail(str(exc))
        if as_json:
            echo_json([{**m.model_dump(mode="json"),
                        "agenda_version": versions[m.id].version if versions[m.id] else None}
                       for m in found])
            return
        for m in found:
            agenda = f"agenda v{versions[m.id].version}" if versions[m.id] else "no agenda"
            typer.echo(f"#{m.id} {show(m.starts_at, svc.deps.settings.tz, '%Y-%m-%d %H:%M')} {m.minutes} min  "
                       f"{m.mentee} & {m.mentor}  [{m.status}, {agenda}]")
        if not found:
            typer.echo("No meetings yet.")

    @app.command("prep")
    def prep(user: str = typer.Option(..., "--user", help="The mentee preparing."),
             script: Optional[Path] = typer.Option(None, "--script", help="One mentee message per line."),
             today: Optional[str] = typer.Option(None, help="YYYY-MM-DD (default: today)."),
             as_json: bool = typer.Option(False, "--json", help="Print the transcript as JSON.")):
        """Prepare the next meeting with the coach (interactive, or scripted with --script)."""
        svc = service(_today(today))
        lines = _script_lines(script) if script else None
        try:
            actor = svc.user(user)
            if actor.role != "mentee":
                fail(f"{user!r} is a {actor.role}; only mentees prepare meetings.")
            conv = svc.prep_conversation(actor)
        except REFUSED as exc:
            fail(str(exc))
        opening = conv.messages[-1].text
        if conv.state.get("stage") == "left" and len(conv.messages) >= 3:
            opening = "Welcome back! " + conv.messages[-3].text  # the question pending when they left
        transcript = [{"role": "assistant", "text": opening, "step": "open"}]
        if not as_json:
            typer.echo(f"coach> {opening}\n")
        def turn(text: str):
            try:
                return svc.prep_chat(actor, text)
            except REFUSED as exc:
                fail(str(exc))

        converse(turn, lines, as_json, transcript,
                 lambda reply: {"meeting_id": reply.meeting.id,
                                "agenda_version": reply.agenda.version if reply.agenda else None})

    @agenda_app.command("export")
    def agenda_export(meeting: int = typer.Option(..., "--meeting", help="Meeting id."),
                      fmt: str = typer.Option(..., "--format", help="md, pdf or ics."),
                      out: Optional[Path] = typer.Option(None, "--out", help="File to write.")):
        """A meeting's agenda as Markdown or PDF, or the meeting as an ICS calendar event."""
        if fmt not in AGENDA_FORMATS:
            fail(f"--format must be one of {', '.join(AGENDA_FORMATS)}")
        try:
            export = service().export_as_operator("agenda", fmt, meeting_id=meeting)
        except REFUSED as exc:
            fail(str(exc))
        write_export(export, out, binary=fmt == "pdf")

    @goals_app.command("export")
    def goals_export(user: str = typer.Option(..., "--user", help="The mentee."),
                     fmt: str = typer.Option(..., "--format", help="csv, md or json."),
                     out: Optional[Path] = typer.Option(None, "--out", help="File to write.")):
        """A mentee's goals as CSV, Markdown or JSON."""
        if fmt not in GOAL_FORMATS:
            fail(f"--format must be one of {', '.join(GOAL_FORMATS)}")
        try:
            export = service().export_as_operator("goals", fmt, mentee=user)
        except REFUSED as exc:
            fail(str(exc))
        write_export(export, out, binary=False)

    app.add_typer(meetings_app, name="meetings")
    app.add_typer(agenda_app, name="agenda")
