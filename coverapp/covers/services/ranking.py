"""Ranking an article's assessed candidates and telling the team's webhooks when all are done."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from assessment.exposure import Exposure
from assessment.framing import bars_of
from assessment.geometry import Box
from assessment.ranking import CandidateFeatures, RankingWeights, picture_features, rank_candidates
from coverapp.covers.models import Article, Assessment, CropProposal, Team
from coverapp.covers.selectors import article_slot_widths
from coverapp.covers.services.crops import (
    stored_content,
    stored_foreground,
    stored_overlays,
    stored_panels,
)
from coverapp.covers.services.queueing import NOTIFY_ARTICLE, enqueue_on_commit
from coverapp.covers.services.remeasure import Upgraded, assessments_upgrade
from coverapp.covers.services.webhooks import ARTICLE_ASSESSED

FINISHED = (Assessment.Status.DONE, Assessment.Status.FAILED)
#: How far back a change of a team's ranking settings ranks its articles without a cover again
#: (older ones are mostly abandoned; they keep their ranking).
RERANK_DAYS = 14


def article_rank_and_notify(*, article_id: int) -> None:
    """Re-rank the article's done candidates (score, rank, reasons on each assessment) and, when
    none is queued or running any more, queue the webhook notification for this set of results."""
    with transaction.atomic():
        article, assessments = _rank_locked(article_id)
        finished = assessments and all(a.status in FINISHED for a in assessments)
        if finished and article.team.webhooks.filter(active=True).exists():
            enqueue_on_commit(NOTIFY_ARTICLE, article.pk, ARTICLE_ASSESSED,
                              assessed_event_key(assessments))


def open_articles_rerank(*, team: Team | None = None, days: float = RERANK_DAYS,
                         upgrade: bool = False) -> tuple[int, Upgraded]:
    """Rank again the team's (None: every team's) articles of the last `days` that have no cover
    yet (after its ranking settings, or an upgrade's ranking, changed), telling no webhook. With
    `upgrade`, first bring their assessments up to what an upgrade added
    (`remeasure.assessments_upgrade`). Returns (articles ranked, what the upgrade did)."""
    since = timezone.now() - timedelta(days=days)
    articles = Article.objects.filter(created_at__gte=since)
    if team is not None:
        articles = articles.filter(team=team)
    open_ids = list(articles.exclude(cover_choices__isnull=False).values_list("pk", flat=True))
    upgraded = Upgraded()
    for article_id in open_ids:
        if upgrade:
            upgraded += assessments_upgrade(
                Assessment.objects.filter(candidate__article_id=article_id)
                .select_related("candidate__article"))
        with transaction.atomic():
            _rank_locked(article_id)
    return len(open_ids), upgraded


def _rank_locked(article_id: int) -> tuple[Article, list[Assessment]]:
    """Lock the article and rank its done candidates; returns it and all its assessments."""
    article = Article.objects.select_for_update().select_related("team").get(pk=article_id)
    assessments = list(Assessment.objects.filter(candidate__article=article)
                       .select_related("candidate").order_by("pk")
                       .prefetch_related(Prefetch("candidate__crops", to_attr="model_crops",
                                                  queryset=CropProposal.objects.filter(
                                                      source=CropProposal.Source.MODEL))))
    _rank(article, [a for a in assessments if a.status == Assessment.Status.DONE])
    return article, assessments


def assessed_event_key(assessments: list[Assessment]) -> str:
    """A stable id for "these candidates finished with these outcomes": the same set of results
    notified twice has the same key, a new upload gives a new key."""
    outcome = ",".join(f"{a.pk}:{a.status}" for a in sorted(assessments, key=lambda a: a.pk))
    return hashlib.sha256(outcome.encode()).hexdigest()


def _rank(article: Article, done: list[Assessment]) -> None:
    if not done:
        return
    features = [_features(assessment) for assessment in done]
    ranked = rank_candidates(features,
                             weights=RankingWeights.from_dict(article.team.ranking_weights),
                             slot_ratios=tuple(article.slot_ratios),
                             slot_widths=article_slot_widths(article))
    by_key = {assessment.candidate_id: assessment for assessment in done}
    for result in ranked:
        assessment = by_key[result.key]
        assessment.cover_score = float(result.score)
        assessment.rank = int(result.rank)
        assessment.reasons = list(result.reasons)
    Assessment.objects.bulk_update(done, ["cover_score", "rank", "reasons"])


def _features(assessment: Assessment) -> CandidateFeatures:
    """What the ranking knows of the candidate's picture (inside any bars or blurred fill), and of
    the model's crops (`model_crops`, prefetched by `_rank_locked`)."""
    candidate = assessment.candidate
    size = (candidate.width, candidate.height)
    picture = stored_content(assessment) or Box(0, 0, *size)
    return picture_features(
        candidate.pk, assessment.clarity, stored_foreground(assessment), picture,
        [Box(*face) for face in assessment.faces],
        overlays=stored_overlays(assessment),
        crops={crop.ratio: Box(crop.x, crop.y, crop.width, crop.height)
               for crop in candidate.model_crops},
        detail_scale=assessment.detail_scale,
        sharpness_contrast=assessment.sharpness_contrast,
        face_sharpness=assessment.face_sharpness,
        near_duplicate_of=candidate.near_duplicate_of_id,
        bars=bars_of(picture, size),
        exposure=None if assessment.exposure is None else Exposure.from_dict(assessment.exposure),
        graphic=assessment.graphic,
        panels=stored_panels(assessment),
    )
