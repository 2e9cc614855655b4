"""Creating articles."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from assessment.cropping import parse_ratio
from coverapp.covers.models import Article, Team

DEFAULT_SLOT_RATIOS = ("16:9", "4:3", "1:1")


def slot_ratios_clean(ratios: Sequence[str]) -> list[str]:
    """Validate slot ratios such as "16:9" or "free"; duplicates are dropped, order kept.

    Raises `ValidationError` naming the bad entry and the expected form.
    """
    cleaned: list[str] = []
    for ratio in ratios:
        try:
            parse_ratio(ratio)
        except ValueError as error:
            raise ValidationError(f"slot ratio {ratio!r}: {error}") from error
        if ratio not in cleaned:
            cleaned.append(ratio)
    if not cleaned:
        raise ValidationError('give at least one slot ratio, e.g. ["16:9"]')
    return cleaned


def article_create(*, team: Team, created_by: AbstractBaseUser | None, title: str,
                   external_id: str = "", slot_ratios: Sequence[str] = DEFAULT_SLOT_RATIOS
                   ) -> Article:
    """Create an article of `team` that wants a cover in each of `slot_ratios`."""
    if external_id and Article.objects.filter(team=team, external_id=external_id).exists():
        raise ValidationError(f"an article with external_id {external_id!r} already exists")
    return Article.objects.create(team=team, created_by=created_by, title=title,
                                  external_id=external_id,
                                  slot_ratios=slot_ratios_clean(slot_ratios))
