"""Removing a candidate: its rows and files go, the rest are ranked again, the cover is kept."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coverapp.covers.models import Assessment, CandidateImage, CropProposal
from coverapp.covers.services import assessment_run as service
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import cover_choose
from coverapp.covers.services.uploads import CandidateIsCover, candidate_remove, candidate_upload
from tests.conftest import encode, photo

pytestmark = pytest.mark.usefixtures("classical_assessor")


@pytest.fixture
def article(team, editor):
    return article_create(team=team, created_by=editor, title="Harbour", slot_ratios=["16:9"])


def upload(article, editor, *images):
    files = [SimpleUploadedFile(f"{name}.jpg", encode(image, quality=quality))
             for name, image, quality in images]
    return [outcome.candidate for outcome in
            candidate_upload(article=article, files=files, uploaded_by=editor)]


@pytest.fixture
def assessed(article, editor):
    """Three assessed candidates of `article` that look different, best first."""
    candidates = upload(article, editor, *[
        (f"photo{seed}", photo(400, 300, seed=seed, subject=(0.25 + 0.25 * seed, 0.5)), 90)
        for seed in range(3)])
    assert not any(candidate.near_duplicate_of for candidate in candidates)
    for candidate in candidates:
        service.assessment_run(assessment_id=candidate.assessment.pk)
    return sorted(candidates, key=lambda c: Assessment.objects.get(candidate=c).rank)


def test_removing_drops_rows_and_files_and_ranks_the_rest_again(
        api, assessed, django_capture_on_commit_callbacks):
    best = assessed[0]
    best.assessment.refresh_from_db()
    image, mask = best.file, best.assessment.mask
    assert image.storage.exists(image.name) and mask.storage.exists(mask.name)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(f"/api/candidates/{best.pk}/")

    assert response.status_code == 204
    assert not CandidateImage.objects.filter(pk=best.pk).exists()
    assert not CropProposal.objects.filter(candidate_id=best.pk).exists()
    assert not image.storage.exists(image.name) and not mask.storage.exists(mask.name)
    ranks = sorted(Assessment.objects.values_list("rank", flat=True))
    assert ranks == [1, 2]  # the runner-up is now first
    assert Assessment.objects.get(candidate=assessed[1]).rank == 1
    assert api.get(f"/api/candidates/{best.pk}/").status_code == 404


def test_the_chosen_cover_cannot_be_removed(api, article, assessed, editor):
    cover_choose(article=article, candidate=assessed[1], chosen_by=editor)

    response = api.delete(f"/api/candidates/{assessed[1].pk}/")

    assert response.status_code == 409
    assert response.json()["code"] == "cover_chosen"
    assert "choose another cover first" in response.json()["detail"]
    assert "16:9" in response.json()["detail"]
    assert CandidateImage.objects.filter(pk=assessed[1].pk).exists()
    assert api.delete(f"/api/candidates/{assessed[0].pk}/").status_code == 204


def test_copies_of_a_removed_photo_point_to_the_earliest_copy_left(article, editor):
    original = photo(400, 300, seed=5)
    first, second, third = upload(article, editor, ("a", original, 95), ("b", original, 60),
                                  ("c", original, 40))
    assert second.near_duplicate_of == first and third.near_duplicate_of == first

    candidate_remove(candidate=first)

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.near_duplicate_of is None  # now the original
    assert third.near_duplicate_of == second


def test_a_candidate_removed_before_its_worker_runs_is_skipped(article, editor):
    [candidate] = upload(article, editor, ("late", photo(seed=1), 90))
    assessment_id = candidate.assessment.pk

    candidate_remove(candidate=candidate)

    assert service.assessment_run(assessment_id=assessment_id) is None


def test_a_candidate_removed_while_assessed_leaves_no_result(article, editor, monkeypatch):
    [candidate] = upload(article, editor, ("gone", photo(seed=2), 90))
    detect = service.detect_faces

    def remove_meanwhile(image):
        candidate_remove(candidate=CandidateImage.objects.get(pk=candidate.pk))
        return detect(image)

    monkeypatch.setattr(service, "detect_faces", remove_meanwhile)

    assert service.assessment_run(assessment_id=candidate.assessment.pk) is None
    assert not Assessment.objects.exists() and not CropProposal.objects.exists()


def test_removing_the_chosen_cover_is_refused_in_the_service(article, assessed, editor):
    cover_choose(article=article, candidate=assessed[0], chosen_by=editor)

    with pytest.raises(CandidateIsCover, match="choose another cover first"):
        candidate_remove(candidate=assessed[0])
