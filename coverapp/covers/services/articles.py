"""Creating articles and changing them."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from assessment.cropping import parse_ratio
from coverapp.covers.models import Article, Assessment, CoverChoice, CropProposal, Team
from coverapp.covers.services.crops import cover_choose, crops_propose_stored
from coverapp.covers.services.ranking import article_rank_and_notify
from coverapp.covers.services.uploads import files_delete_on_commit
from coverapp.covers.services.webhooks import cover_changed_announce

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


def new_article_slot_ratios(team: Team) -> list[str]:
    """The slots a new article of `team` starts with: the team's setting, else 16:9, 4:3, 1:1."""
    return list(team.slot_ratios or DEFAULT_SLOT_RATIOS)


def article_create(*, team: Team, created_by: AbstractBaseUser | None, title: str,
                   external_id: str = "", slot_ratios: Sequence[str] | None = None) -> Article:
    """Create an article of `team` that wants a cover in each of `slot_ratios` (default: the
    team's `new_article_slot_ratios`)."""
    _check_external_id_free(team, external_id)
    ratios = new_article_slot_ratios(team) if slot_ratios is None else slot_ratios
    return Article.objects.create(team=team, created_by=created_by, title=title,
                                  external_id=external_id, slot_ratios=slot_ratios_clean(ratios))


def article_update(*, article: Article, title: str | None = None,
                   external_id: str | None = None,
                   slot_ratios: Sequence[str] | None = None) -> Article:
    """Change what is given of the title, the CMS id and the slot ratios.

    A slot ratio added gets the model's crop of every assessed candidate at once (from its stored
    mask and faces; a candidate still queued or running gets it from its worker), and the
    candidates are ranked again for the new slots; a chosen cover fills the new slot too, with its
    proposed crop. A slot ratio dropped loses its cover choice; its crops, an editor's included,
    are kept should it come back.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if title is not None:
            article.title = title
        if external_id is not None:
            _check_external_id_free(article.team, external_id, besides=article)
            article.external_id = external_id
        added: list[str] = []
        if slot_ratios is not None:
            ratios = slot_ratios_clean(slot_ratios)
            added = [ratio for ratio in ratios if ratio not in article.slot_ratios]
            dropped, _ = CoverChoice.objects.filter(article=article).exclude(
                ratio__in=ratios).delete()
            article.slot_ratios = ratios
        article.save()
        if slot_ratios is not None:
            done = (Assessment.objects.select_related("candidate")
                    .filter(candidate__article=article, status=Assessment.Status.DONE))
            for assessment in done if added else ():
                _propose_missing_crops(assessment, added)
            cover = CoverChoice.objects.filter(article=article).select_related("candidate").first()
            if cover is not None and added:  # announces the change too
                cover_choose(article=article, candidate=cover.candidate, ratios=added,
                             chosen_by=cover.chosen_by, record=False)
            elif dropped:
                cover_changed_announce(article=article)
            article_rank_and_notify(article_id=article.pk)
    return article


def article_delete(*, article: Article) -> None:
    """Delete `article` with its candidates, assessments, crops, cover choices and stored files.
    A worker still assessing one of its candidates finds the row gone and drops its result."""
    with transaction.atomic():
        # The assessments, then the article: the order workers lock them in.
        assessments = list(Assessment.objects.select_for_update()
                           .filter(candidate__article=article).order_by("pk"))
        article = Article.objects.select_for_update().get(pk=article.pk)
        files = [candidate.file for candidate in article.candidates.all()]
        files += [assessment.mask for assessment in assessments if assessment.mask]
        CoverChoice.objects.filter(article=article).delete()  # they protect the crops they show
        article.delete()
        files_delete_on_commit(files)


def _propose_missing_crops(assessment: Assessment, ratios: Sequence[str]) -> None:
    have = set(CropProposal.objects.filter(candidate=assessment.candidate_id, ratio__in=ratios,
                                           source=CropProposal.Source.MODEL)
               .values_list("ratio", flat=True))
    missing = [ratio for ratio in ratios if ratio not in have]
    if missing:
        crops_propose_stored(assessment=assessment, ratios=missing)


def _check_external_id_free(team: Team, external_id: str, *,
                            besides: Article | None = None) -> None:
    others = Article.objects.filter(team=team, external_id=external_id)
    if besides is not None:
        others = others.exclude(pk=besides.pk)
    if external_id and others.exists():
        raise ValidationError(f"an article with external_id {external_id!r} already exists")
