"""Retention: the candidates an article did not use, removed once its cover has long been chosen
(a desk uploads several photos a story, most never shown; their files are what fills storage)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from coverapp.covers.models import Article, Assessment, CandidateImage, CoverChoice
from coverapp.covers.services.uploads import files_delete_on_commit


@dataclass(frozen=True)
class PruneReport:
    """What a prune removed (or, in a dry run, would remove)."""

    articles: int
    candidates: int
    bytes: int


def prunable_articles(*, older_than: timedelta) -> QuerySet[Article]:
    """Articles created more than `older_than` ago whose cover is chosen: their other candidates
    will not be needed again. Articles without a cover keep everything (no one has decided)."""
    return (Article.objects.filter(created_at__lt=timezone.now() - older_than)
            .filter(Exists(CoverChoice.objects.filter(article=OuterRef("pk"))))
            .order_by("pk"))


def unused_candidates(article: Article) -> QuerySet[CandidateImage]:
    """The article's candidates that are not the cover of any slot."""
    return article.candidates.exclude(
        Exists(CoverChoice.objects.filter(candidate=OuterRef("pk")))).order_by("pk")


def article_prune(*, article: Article, dry_run: bool = False) -> PruneReport:
    """Remove `article`'s unused candidates with their assessments, crops and stored files (the
    cover, its crops and the cover history stay). Nothing is ranked again or announced: the
    article's choice is long made."""
    with transaction.atomic():
        Article.objects.select_for_update().get(pk=article.pk)  # not while it is being changed
        unused = list(unused_candidates(article))
        size = sum(candidate.byte_size for candidate in unused)
        if unused and not dry_run:
            masks = Assessment.objects.filter(candidate__in=unused).exclude(mask="")
            files = [c.file for c in unused] + [a.mask for a in masks]
            CandidateImage.objects.filter(near_duplicate_of__in=unused).update(
                near_duplicate_of=None)
            CandidateImage.objects.filter(pk__in=[c.pk for c in unused]).delete()
            files_delete_on_commit(files)
    return PruneReport(articles=int(bool(unused)), candidates=len(unused), bytes=size)
