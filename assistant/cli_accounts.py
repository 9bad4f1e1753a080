"""`waypoint users deactivate|passwd` and `waypoint pairs add|remove|list`: the coordinator's
People page on the command line. The CLI runs on the server and acts as SYSTEM (a coordinator).
Passwords are read from stdin, never from arguments (they would land in shell history and `ps`)."""
from __future__ import annotations

import sys

import typer

pairs_app = typer.Typer(help="Mentor-mentee pairs.", no_args_is_help=True)


def read_password(prompt: str = "Password: ") -> str:
    """One line from stdin; typed without echo when stdin is a terminal."""
    if sys.stdin.isatty():
        import getpass
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def register(app: typer.Typer, users_app: typer.Typer, service, fail, echo_json) -> None:
    """Add the commands to the CLI; `service`, `fail` and `echo_json` are cli.py's helpers."""
    refused = (ValueError, LookupError, PermissionError)

    @users_app.command("deactivate")
    def users_deactivate(name: str):
        """Deactivate an account: no more sign-ins, sessions end, pairs end; records stay."""
        from assistant.service import SYSTEM
        try:
            service().deactivate(SYSTEM, name)
        except refused as exc:
            fail(str(exc))
        typer.echo(f"Deactivated {name}; their records stay.")

    @users_app.command("passwd")
    def users_passwd(name: str, temporary: bool = typer.Option(
            True, "--temporary/--permanent",
            help="Temporary (default): they must choose their own at the next sign-in.")):
        """Set someone's password, read from stdin."""
        from assistant.service import SYSTEM
        try:
            service().reset_password(SYSTEM, name, read_password(f"New password for {name}: "),
                                     must_change=temporary)
        except refused as exc:
            fail(str(exc))
        typer.echo(f"Password of {name} set; their sessions were signed out.")

    @pairs_app.command("add")
    def pairs_add(mentor: str, mentee: str):
        """Pair a mentor with a mentee."""
        from assistant.service import SYSTEM
        try:
            service().pair(SYSTEM, mentor, mentee)
        except refused as exc:
            fail(str(exc))
        typer.echo(f"Paired {mentor} with {mentee}.")

    @pairs_app.command("remove")
    def pairs_remove(mentor: str, mentee: str):
        """End a pair (it stays in the history)."""
        from assistant.service import SYSTEM
        try:
            service().unpair(SYSTEM, mentor, mentee)
        except refused as exc:
            fail(str(exc))
        typer.echo(f"Unpaired {mentor} and {mentee}.")

    @pairs_app.command("list")
    def pairs_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
        """List the active pairs."""
        from assistant.service import SYSTEM
        pairs = service().pairs(SYSTEM)
        if as_json:
            echo_json([{"mentor": p.mentor, "mentee": p.mentee, "since": p.created_at.isoformat()}
                       for p in pairs])
            return
        for p in pairs:
            typer.echo(f"{p.mentor:20} → {p.mentee}")
        if not pairs:
            typer.echo("No pairs yet.")

    app.add_typer(pairs_app, name="pairs")
