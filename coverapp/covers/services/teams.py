"""Creating teams and seating users in them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils.text import slugify

from coverapp.covers.models import Membership, Team


def team_create(*, name: str, slug: str = "") -> Team:
    """Create a team; the slug defaults to the slugified name."""
    return Team.objects.create(name=name, slug=slug or slugify(name))


def membership_add(*, team: Team, user: AbstractBaseUser,
                   role: str = Membership.Role.EDITOR) -> Membership:
    """Seat `user` in `team` (idempotent: an existing seat keeps its role)."""
    membership, _ = Membership.objects.get_or_create(team=team, user=user,
                                                     defaults={"role": role})
    return membership
