"""People and pairs: the coordinator's use cases (and the CLI acting as one)."""
from __future__ import annotations

from assistant.auth import normalize_username
from assistant.clock import local
from assistant.models import Pairing, Role, User
from assistant.service.access import AccessDenied, NotFound, require_role

# The CLI runs on the server with direct database access: it acts as this coordinator.
SYSTEM = User(name="system", role="coordinator", display_name="Waypoint CLI")


class AdminService:
    """Mixin of Service: needs self.deps."""

    def user(self, name: str) -> User:
        user = self.deps.store.get_user(name)
        if user is None:
            raise NotFound(f"No user named {name!r}. Add them with `waypoint users add {name} --role ROLE` "
                           f"(mentee, mentor or coordinator).")
        return user

    def add_user(self, actor: User, name: str, role: Role, *, mentor: str | None = None,
                 display_name: str = "") -> User:
        require_role(actor, "coordinator")
        name = normalize_username(name)
        if any(u.name.lower() == name for u in self.deps.store.list_users()):  # older names may have capitals
            raise ValueError(f"A user named {name!r} already exists.")
        if mentor is not None and role != "mentee":
            raise ValueError("Only a mentee can be given a mentor.")
        if mentor is not None and self.user(mentor).role != "mentor":  # checked before anyone is added
            raise ValueError(f"{mentor!r} is not a mentor.")
        user = self.deps.store.add_user(User(name=name, role=role, display_name=display_name or name))
        if mentor is not None:
            self.pair(actor, mentor, name)
        return user

    def users(self, actor: User, role: Role | None = None) -> list[User]:
        require_role(actor, "coordinator")
        return self.deps.store.list_users(role=role)

    def pair(self, actor: User, mentor: str, mentee: str) -> Pairing:
        require_role(actor, "coordinator")
        if self.user(mentor).role != "mentor":
            raise ValueError(f"{mentor!r} is not a mentor.")
        if self.user(mentee).role != "mentee":
            raise ValueError(f"{mentee!r} is not a mentee.")
        return self.deps.store.pair(mentor, mentee)

    def unpair(self, actor: User, mentor: str, mentee: str) -> None:
        require_role(actor, "coordinator")
        self._end_pair(mentor, mentee)

    def _end_pair(self, mentor: str, mentee: str) -> None:
        """The pair ends, and so do its meetings still ahead: neither would see the other's side
        of them any more (its past meetings stay, as history)."""
        store = self.deps.store
        store.unpair(mentor, mentee)
        today = self.deps.today()
        for meeting in store.list_meetings(mentee=mentee, mentor=mentor, status="scheduled"):
            if local(meeting.starts_at, self.deps.settings.tz).date() >= today:
                store.update_meeting(meeting.model_copy(update={"status": "cancelled"}))

    def pairs(self, actor: User) -> list[Pairing]:
        require_role(actor, "coordinator")
        return self.deps.store.list_pairings()


__all__ = ["AdminService", "SYSTEM", "AccessDenied"]
