"""The service layer: every use case, each taking the acting user. Pages and the CLI call only this."""
from __future__ import annotations

from assistant.deps import Deps
from assistant.service.access import AccessDenied, NotFound
from assistant.service.accounts import AccountService, LoginFailed
from assistant.service.admin import SYSTEM, AdminService
from assistant.service.goal_edits import GoalEditService
from assistant.service.goals import ChatReply, GoalService
from assistant.service.knowledge import KnowledgeService
from assistant.service.meetings import MeetingService
from assistant.service.program import ProgramService

__all__ = ["Service", "AccessDenied", "NotFound", "LoginFailed", "ChatReply", "SYSTEM"]


class Service(GoalService, GoalEditService, MeetingService, KnowledgeService, AccountService, ProgramService, AdminService):
    def __init__(self, deps: Deps):
        self.deps = deps
