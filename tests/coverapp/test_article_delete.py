"""Deleting an article: its candidates, assessments, crops, cover and stored files all go."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coverapp.covers.models import Article, Assessment, CandidateImage, CoverChoice, CropProposal
from coverapp.covers.services import assessment_run as service
from coverapp.covers.services.articles import article_create, article_delete
from coverapp.covers.services.crops import cover_choose
from coverapp.covers.services.uploads import candidate_upload
from tests.conftest import encode, photo
from tests.coverapp.conftest import two_assessed_candidates

pytestmark = pytest.mark.usefixtures("classical_assessor")


@pytest.fixture
def article(team, editor):
    return article_create(team=team, created_by=editor, title="Harbour", slot_ratios=["16:9"])


def stored_files(article) -> list:
    files = []
    for candidate in CandidateImage.objects.filter(article=article):
        files.append(candidate.file)
        if candidate.assessment.mask:
            files.append(candidate.assessment.mask)
    return files


def test_deleting_drops_every_row_and_file_the_cover_included(
        api, article, editor, django_capture_on_commit_callbacks):
    candidates = two_assessed_candidates(article, editor)
    cover_choose(article=article, candidate=candidates[0], chosen_by=editor)
    files = stored_files(article)
    assert len(files) == 4 and all(f.storage.exists(f.name) for f in files)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(f"/api/articles/{article.pk}/")

    assert response.status_code == 204
    assert not Article.objects.filter(pk=article.pk).exists()
    for model in (CandidateImage, Assessment, CropProposal, CoverChoice):
        assert not model.objects.exists(), model.__name__
    assert not any(f.storage.exists(f.name) for f in files)
    assert api.get(f"/api/articles/{article.pk}/").status_code == 404


def test_a_worker_still_assessing_a_deleted_articles_candidate_drops_its_result(
        article, editor):
    [outcome] = candidate_upload(article=article, uploaded_by=editor, files=[
        SimpleUploadedFile("late.jpg", encode(photo(320, 240)))])
    assessment_id = outcome.candidate.assessment.pk

    article_delete(article=article)

    assert service.assessment_run(assessment_id=assessment_id) is None
    assert not Assessment.objects.exists()


def test_another_teams_article_is_not_found_and_kept(other_api, article):
    assert other_api.delete(f"/api/articles/{article.pk}/").status_code == 404
    assert Article.objects.filter(pk=article.pk).exists()
