"""Reads: which rows a caller may see, and the ranked view of an article."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from assessment.cropping import FREE, focal_point, parse_ratio
from assessment.geometry import Box
from coverapp.covers.models import (
    Article,
    Assessment,
    CandidateImage,
    CoverChange,
    CoverChoice,
    CropProposal,
    Membership,
    Team,
    Webhook,
)
from coverapp.covers.services.upload_checks import phash_distance


def user_teams(user: AbstractBaseUser) -> QuerySet[Team]:
    """The teams `user` sits in, oldest membership first."""
    return Team.objects.filter(memberships__user=user).order_by("memberships__created_at")


def user_team(user: AbstractBaseUser, *, requested: str | int | None = None) -> Team | None:
    """The team a request of `user` acts for: `requested` (a team id or slug) when the user is a
    member of it, otherwise the user's first team; None when the user has no (such) team."""
    teams = user_teams(user)
    if requested in (None, ""):
        return teams.first()
    text = str(requested)
    return (teams.filter(pk=int(text)) if text.isdigit() else teams.filter(slug=text)).first()


def team_role(team: Team, user: AbstractBaseUser) -> str:
    """`user`'s role in `team` ("editor" or "admin"); "" when not a member."""
    membership = Membership.objects.filter(team=team, user=user).first()
    return membership.role if membership else ""


def suggested_candidates() -> QuerySet[CandidateImage]:
    """Each article's suggested cover: its assessed candidate ranked first (one per article; the
    lowest id should a ranking ever tie)."""
    return CandidateImage.objects.filter(assessment__status=Assessment.Status.DONE,
                                         assessment__rank=1).order_by("pk")


def team_articles(team: Team) -> QuerySet[Article]:
    """The team's articles, each annotated with `candidate_count`, `progress`: "waiting" (no
    candidates), "assessing" (some queued or running), "ready", or "cover_chosen", and
    `suggested_id`: the ranking's top candidate, or None."""
    pending = Q(candidates__assessment__status__in=[Assessment.Status.QUEUED,
                                                    Assessment.Status.RUNNING])
    return (Article.objects.filter(team=team).select_related("team")
            .annotate(candidate_count=Count("candidates", distinct=True),
                      pending_count=Count("candidates", filter=pending, distinct=True),
                      has_cover=Exists(CoverChoice.objects.filter(article=OuterRef("pk"))),
                      suggested_id=Subquery(suggested_candidates().filter(
                          article=OuterRef("pk")).values("pk")[:1]))
            .annotate(progress=Case(
                When(has_cover=True, then=Value("cover_chosen")),
                When(candidate_count=0, then=Value("waiting")),
                When(pending_count__gt=0, then=Value("assessing")),
                default=Value("ready"), output_field=CharField()))
            .order_by("-created_at", "-pk")
            .prefetch_related(Prefetch("cover_choices",
                                       queryset=CoverChoice.objects.select_related(
                                           "crop", "chosen_by", "candidate__assessment"))))


def article_slot_widths(article: Article) -> dict[str, int]:
    """The width in pixels each of the article's slots is shown at: its team's
    `slot_widths`, else `COVERAPP_SLOT_WIDTH`."""
    team_widths = {_ratio_key(ratio): width for ratio, width in article.team.slot_widths.items()}
    return {ratio: team_widths.get(_ratio_key(ratio), settings.COVERAPP_SLOT_WIDTH)
            for ratio in article.slot_ratios}


def _ratio_key(ratio: str) -> str:
    """One spelling per ratio ("16x9" and "16:9" alike), so a team's widths match any slot."""
    parsed = parse_ratio(ratio)
    return FREE if parsed is None else str(parsed)


def team_candidates(team: Team) -> QuerySet[CandidateImage]:
    return (CandidateImage.objects.filter(article__team=team)
            .select_related("assessment", "article").prefetch_related("crops"))


def team_webhooks(team: Team) -> QuerySet[Webhook]:
    return Webhook.objects.filter(team=team)


def article_ranked_candidates(article: Article) -> QuerySet[CandidateImage]:
    """The article's candidates best first: ranked ones by rank, then the rest (queued, running,
    failed) in upload order."""
    return (team_candidates(article.team).filter(article=article)
            .order_by(F("assessment__rank").asc(nulls_last=True), "uploaded_at", "pk"))


def candidate_focal_point(candidate: CandidateImage) -> list[float] | None:
    """[x, y], shares 0..1 of the upright picture, of the point any crop of it should keep
    (`assessment.cropping.focal_point`: the editor's marked subject, else the main faces, else
    the subject's centroid); None until the assessment is done."""
    assessment = getattr(candidate, "assessment", None)
    if assessment is None or assessment.status != Assessment.Status.DONE:
        return None
    centroid = None if assessment.centroid_x is None else (assessment.centroid_x,
                                                            assessment.centroid_y)
    x, y = focal_point((candidate.width, candidate.height), centroid=centroid,
                       faces=[Box(*map(round, face)) for face in assessment.faces],
                       focus=candidate.focus)
    return [round(x, 4), round(y, 4)]


def article_cover_history(article: Article) -> QuerySet[CoverChange]:
    """The article's cover changes, latest first, with who made them and whether each was
    undone."""
    return article.cover_changes.select_related("changed_by", "undone_by")


def candidate_current_crop(candidate: CandidateImage, ratio: str) -> CropProposal | None:
    """The crop in force for `ratio`: the editor's override if any, else the model's proposal."""
    crops = [crop for crop in candidate.crops.all() if crop.ratio == ratio]
    for source in (CropProposal.Source.EDITOR, CropProposal.Source.MODEL):
        for crop in crops:
            if crop.source == source:
                return crop
    return None


@dataclass(frozen=True)
class EarlierCover:
    """Another article of the team whose cover looks like a candidate."""

    article_id: int
    title: str
    chosen_at: datetime


def earlier_covers(candidates: Sequence[CandidateImage]) -> dict[int, list[EarlierCover]]:
    """Candidate id -> the other articles of its team whose cover, chosen in the last
    `COVERAPP_EARLIER_COVER_DAYS`, looks the same (perceptual hash within
    `COVERAPP_NEAR_DUPLICATE_DISTANCE`: the same photo, re-encoded or resized), latest first, so
    a feed does not show one picture on two stories. One query for the whole list."""
    if not candidates:
        return {}
    since = timezone.now() - timedelta(days=settings.COVERAPP_EARLIER_COVER_DAYS)
    covers = list(CoverChoice.objects
                  .filter(article__team__in={c.article.team_id for c in candidates},
                          chosen_at__gte=since)
                  .order_by("-chosen_at")
                  .values_list("article_id", "article__title", "article__team_id",
                               "candidate__phash", "chosen_at"))
    limit = settings.COVERAPP_NEAR_DUPLICATE_DISTANCE
    found: dict[int, list[EarlierCover]] = {}
    for candidate in candidates:
        seen: dict[int, EarlierCover] = {}
        for article_id, title, team_id, phash, chosen_at in covers:
            if (team_id == candidate.article.team_id and article_id != candidate.article_id
                    and article_id not in seen and phash_distance(phash, candidate.phash) <= limit):
                seen[article_id] = EarlierCover(article_id, title, chosen_at)
        found[candidate.pk] = list(seen.values())
    return found
