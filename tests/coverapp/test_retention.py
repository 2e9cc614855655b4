"""Pruning the candidates that old articles did not use."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from coverapp.covers.models import Article, Assessment, CandidateImage, CropProposal
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import cover_choose
from tests.coverapp.conftest import two_assessed_candidates

pytestmark = pytest.mark.usefixtures("classical_assessor")


def article_with_candidates(team, editor, title: str, *, age_days: float, cover: bool):
    article = article_create(team=team, created_by=editor, title=title, slot_ratios=["16:9"])
    candidates = two_assessed_candidates(article, editor)
    if cover:
        cover_choose(article=article, candidate=candidates[1], chosen_by=editor)
    Article.objects.filter(pk=article.pk).update(
        created_at=timezone.now() - timedelta(days=age_days))
    return article, candidates


def prune(*options: str) -> str:
    out = StringIO()
    call_command("prune_candidates", *options, stdout=out, verbosity=0)
    return out.getvalue()


@pytest.fixture
def articles(team, editor):
    return {
        "old": article_with_candidates(team, editor, "Old", age_days=120, cover=True),
        "recent": article_with_candidates(team, editor, "Recent", age_days=5, cover=True),
        "undecided": article_with_candidates(team, editor, "Undecided", age_days=120, cover=False),
    }


def test_old_articles_lose_only_the_candidates_they_did_not_use(articles, django_capture_on_commit_callbacks):
    (old, (unused, cover)), _, _ = articles.values()
    files = [unused.file.name, Assessment.objects.get(candidate=unused).mask.name]
    storage = unused.file.storage
    assert all(name and storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        said = prune("--days", "90")

    assert said.startswith("removed 1 unused candidate(s) of 1 article(s) older than 90 days")
    assert list(old.candidates.all()) == [cover]  # the cover stays, with its crop and choice
    assert CropProposal.objects.filter(candidate=cover).exists()
    assert old.cover_choices.get().candidate == cover
    assert not Assessment.objects.filter(candidate_id=unused.pk).exists()
    assert [name for name in files if storage.exists(name)] == []
    assert CandidateImage.objects.filter(article__title="Recent").count() == 2
    assert CandidateImage.objects.filter(article__title="Undecided").count() == 2


def test_a_dry_run_says_what_would_go_and_removes_nothing(articles):
    (_, (unused, _)), _, _ = articles.values()

    said = prune("--days", "90", "--dry-run")

    assert said.startswith("would remove 1 unused candidate(s) of 1 article(s)")
    assert f"{unused.byte_size / 1e6:.1f} MB" in said
    assert CandidateImage.objects.count() == 6


def test_a_near_duplicate_of_a_pruned_candidate_keeps_standing(articles):
    (old, (unused, cover)), _, _ = articles.values()
    CandidateImage.objects.filter(pk=cover.pk).update(near_duplicate_of=unused)

    prune("--days", "90")

    cover.refresh_from_db()
    assert cover.near_duplicate_of is None


def test_negative_days_are_refused():
    with pytest.raises(CommandError, match="--days must be 0 or more"):
        prune("--days", "-1")
