"""Every API object belongs to the caller's team; this module decides which team that is."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.utils.functional import cached_property
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from coverapp.covers.models import Team
from coverapp.covers.selectors import user_team

TEAM_HEADER = "X-CoverApp-Team"
SESSION_TEAM_KEY = "coverapp_team"


def request_team(request) -> Team | None:
    """The team a request acts for: the `X-CoverApp-Team` header (id or slug), else the team the
    browser session picked, else the user's first team."""
    requested = request.headers.get(TEAM_HEADER)
    if requested is None and hasattr(request, "session"):
        requested = request.session.get(SESSION_TEAM_KEY)
    return user_team(request.user, requested=requested)


class HasTeam(BasePermission):
    """The caller is signed in and sits in the team the request acts for."""

    message = "You are not a member of any team (or of the team named in X-CoverApp-Team)."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated
                    and request_team(request) is not None)


class TeamScopedMixin:
    """Views whose queryset is limited to `self.team`: another team's ids answer 404.

    Subclasses set `model` (for the schema generator, which has no user) and implement
    `team_queryset(team)`.
    """

    permission_classes = [HasTeam]
    model: type[Model]

    def team_queryset(self, team: Team) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.team_queryset(self.team)

    @cached_property
    def team(self) -> Team:
        team = request_team(self.request)
        if team is None:
            raise PermissionDenied(HasTeam.message)
        return team
