"""People and pairs: the coordinator's use cases (and the CLI acting as one)."""
from __future__ import annotations

from assistant.models import Pairing, Role, User
from assistant.service.access import AccessDenied, NotFound, require_role

# The CLI runs on the server with direct database access: it acts as this coordinator.
SYSTEM = User(name="system", role="coordinator", display_name="Waypoint CLI")


class AdminService:
    """Mixin of Service: needs self.deps."""

    def user(self, name: str) -> User:
        user = self.deps.store.get_user(name)
        if user is None:
            raise NotFound(f"No user named {name!r}. Add one with `waypoint users add {name} --role mentee`.")
        return user

    def add_user(self, actor: User, name: str, role: Role, *, mentor: str | None = None,
                 display_name: str = "") -> User:
        require_role(actor, "coordinator")
        if self.deps.store.get_user(name) is not None:
            raise ValueError(f"A user named {name!r} already exists.")
        if mentor is not None and role != "mentee":
            raise ValueError("Only a mentee can be given a mentor.")
        user = self.deps.store.add_user(User(name=name, role=role, display_name=display_name or name))
        if mentor is not None:
            self.pair(actor, mentor, name)
        return user

    def mentee_for_cli(self, name: str) -> User:
        """The named user, created as a mentee if missing (`waypoint chat --user NEW`)."""
        user = self.deps.store.get_user(name)
        return user or self.add_user(SYSTEM, name, "mentee")

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
        self.deps.store.unpair(mentor, mentee)

    def pairs(self, actor: User) -> list[Pairing]:
        require_role(actor, "coordinator")
        return self.deps.store.list_pairings()


__all__ = ["AdminService", "SYSTEM", "AccessDenied"]
