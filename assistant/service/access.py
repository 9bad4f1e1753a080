"""Who may see what: checked here, in the service layer, for every read and write."""
from __future__ import annotations

from assistant.models import Role, User


class AccessDenied(PermissionError):
    """The acting user may not do this. The message is safe to show."""


class NotFound(LookupError):
    """No such record (or one the actor may not know exists)."""


def require_role(actor: User, *roles: Role) -> None:
    if not actor.active:
        raise AccessDenied("This account is deactivated.")
    if actor.role not in roles:
        raise AccessDenied(f"A {actor.role} can't do this; it needs the role {' or '.join(roles)}.")


def require_mentee_access(store, actor: User, mentee: str, *, write: bool = False) -> None:
    """A mentee's records are theirs and their (active) mentor's; mentors never write goals."""
    if not actor.active:
        raise AccessDenied("This account is deactivated.")
    if actor.role == "mentee" and actor.name == mentee:
        return
    if actor.role == "mentor" and not write and store.mentor_of(mentee) == actor.name:
        return
    target = store.get_user(mentee)
    if target is not None and target.role != "mentee":  # a role is no secret; "you can only see…" misleads
        raise AccessDenied(f"{mentee!r} is a {target.role}; goals, chats and meetings belong to mentees.")
    raise AccessDenied("You can only see your own records or those of the mentees you are paired with.")
