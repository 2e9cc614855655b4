"""Creating teams and seating users in them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from assessment.cropping import parse_ratio
from assessment.ranking import RankingWeights
from coverapp.covers.models import Membership, Team
from coverapp.covers.selectors import team_role
from coverapp.covers.services.articles import slot_ratios_clean
from coverapp.covers.services.ranking import open_articles_rerank


def team_create(*, name: str, slug: str = "") -> Team:
    """Create a team; the slug defaults to the slugified name."""
    return Team.objects.create(name=name, slug=slug or slugify(name))


def membership_add(*, team: Team, user: AbstractBaseUser,
                   role: str = Membership.Role.EDITOR) -> Membership:
    """Seat `user` in `team` (idempotent: an existing seat keeps its role)."""
    membership, _ = Membership.objects.get_or_create(team=team, user=user,
                                                     defaults={"role": role})
    return membership


def ranking_weights_clean(values: Mapping[str, object] | None) -> dict:
    """Check a team's ranking-weight overrides (names and defaults: `RankingWeights`); raises
    `ValidationError` naming the bad entry and the valid names."""
    if values is not None and not isinstance(values, Mapping):
        raise ValidationError('ranking weights must be an object, e.g. {"clarity": 0.5}')
    try:
        RankingWeights.from_dict(values or {})
    except ValueError as error:
        raise ValidationError(str(error)) from error
    return dict(values or {})


SLOT_WIDTH_RANGE = (16, 20000)


def slot_widths_clean(values: Mapping[str, object] | None) -> dict:
    """Check a team's slot widths, {"W:H" or "free": pixels}; raises `ValidationError` naming the
    bad entry."""
    if values is not None and not isinstance(values, Mapping):
        raise ValidationError('slot widths must be an object, e.g. {"16:9": 1200, "1:1": 400}')
    low, high = SLOT_WIDTH_RANGE
    for ratio, width in (values or {}).items():
        try:
            parse_ratio(ratio)
        except ValueError as error:
            raise ValidationError(f"slot width for {ratio!r}: not a ratio: {error}") from error
        if isinstance(width, bool) or not isinstance(width, int) or not low <= width <= high:
            raise ValidationError(f"slot width for {ratio!r} must be whole pixels from {low} to "
                                  f"{high}, got {width!r}")
    return dict(values or {})


def team_settings_update(*, team: Team, by: AbstractBaseUser,
                         slot_widths: Mapping[str, object] | None = None,
                         ranking_weights: Mapping[str, object] | None = None,
                         slot_ratios: Sequence[str] | None = None) -> Team:
    """Replace the team's slot widths, ranking weights or new articles' slot ratios (None leaves
    one as it is), checked as in the admin; after a change of widths or weights its recent
    articles without a cover are ranked again under them (`open_articles_rerank`). Only a
    team admin may (`PermissionDenied` otherwise)."""
    if team_role(team, by) != Membership.Role.ADMIN:
        raise PermissionDenied(f"only an admin of {team.name} can change its settings")
    changes = {}  # both checked before either is set
    if slot_widths is not None:
        changes["slot_widths"] = slot_widths_clean(slot_widths)
    if ranking_weights is not None:
        changes["ranking_weights"] = ranking_weights_clean(ranking_weights)
    if slot_ratios is not None:
        changes["slot_ratios"] = slot_ratios_clean(slot_ratios) if slot_ratios else []
    if changes:
        for name, value in changes.items():
            setattr(team, name, value)
        with transaction.atomic():
            team.save(update_fields=list(changes))
            if {"slot_widths", "ranking_weights"} & set(changes):
                open_articles_rerank(team=team)
    return team
