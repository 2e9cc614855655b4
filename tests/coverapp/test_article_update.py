"""Changing an article: title, CMS id and slot ratios, with crops for a slot added at once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coverapp.covers.models import CoverChoice, CropProposal
from coverapp.covers.services import assessment_run as service
from coverapp.covers.services.articles import article_create, article_update
from coverapp.covers.services.crops import cover_choose, crop_override
from coverapp.covers.services.uploads import candidate_upload
from tests.conftest import encode, photo
from tests.coverapp.conftest import two_assessed_candidates

pytestmark = pytest.mark.usefixtures("classical_assessor")


@pytest.fixture
def article(team, editor):
    return article_create(team=team, created_by=editor, title="Harbour", external_id="cms-1",
                          slot_ratios=["16:9", "1:1"])


@pytest.fixture
def assessed(article, editor):
    return two_assessed_candidates(article, editor)


def crop_ratios(api, article) -> list[list[str]]:
    ranked = api.get(f"/api/articles/{article.pk}/ranked/").json()["results"]
    return [sorted(crop["ratio"] for crop in row["crops"]) for row in ranked]


def test_a_slot_added_gets_every_assessed_candidates_crop_at_once(api, article, assessed):
    response = api.patch(f"/api/articles/{article.pk}/", {"slot_ratios": ["16:9", "1:1", "4:3"]},
                         format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["slot_ratios"] == ["16:9", "1:1", "4:3"]
    assert crop_ratios(api, article) == [["16:9", "1:1", "4:3"]] * 2
    card = CropProposal.objects.get(candidate=assessed[0], ratio="4:3")
    assert card.source == "model" and abs(card.width / card.height - 4 / 3) < 0.02
    assert card.x + card.width <= 400 and card.y + card.height <= 300


def test_a_chosen_cover_fills_a_slot_added(api, article, assessed, editor):
    cover_choose(article=article, candidate=assessed[1], chosen_by=editor)

    article_update(article=article, slot_ratios=["16:9", "1:1", "4:3"])

    cover = api.get(f"/api/articles/{article.pk}/").json()["cover"]
    assert [(row["ratio"], row["candidate"]) for row in cover] == [
        ("16:9", assessed[1].pk), ("1:1", assessed[1].pk), ("4:3", assessed[1].pk)]
    assert next(row for row in cover if row["ratio"] == "4:3")["crop"]["source"] == "model"


def test_a_slot_dropped_loses_its_cover_choice_but_keeps_the_editors_crop(article, assessed,
                                                                           editor):
    crop_override(candidate=assessed[0], ratio="1:1", box=[0, 0, 300, 300], edited_by=editor)
    cover_choose(article=article, candidate=assessed[0], chosen_by=editor)

    article_update(article=article, slot_ratios=["16:9"])

    assert list(CoverChoice.objects.values_list("ratio", flat=True)) == ["16:9"]
    article_update(article=article, slot_ratios=["16:9", "1:1"])
    kept = CropProposal.objects.get(candidate=assessed[0], ratio="1:1", source="editor")
    assert [kept.x, kept.y, kept.width, kept.height] == [0, 0, 300, 300]


def test_title_and_cms_id_change_and_a_taken_cms_id_is_refused(api, team, editor, article):
    article_create(team=team, created_by=editor, title="Other", external_id="cms-2")

    renamed = api.patch(f"/api/articles/{article.pk}/", {"title": "Harbour reopens",
                                                         "external_id": "cms-1b"}, format="json")
    taken = api.patch(f"/api/articles/{article.pk}/", {"external_id": "cms-2"}, format="json")

    assert renamed.status_code == 200
    assert (renamed.json()["title"], renamed.json()["external_id"]) == ("Harbour reopens",
                                                                        "cms-1b")
    assert renamed.json()["slot_ratios"] == ["16:9", "1:1"]  # not given: unchanged
    assert taken.status_code == 400 and "cms-2" in taken.json()["detail"]
    article.refresh_from_db()
    assert article.external_id == "cms-1b"


@pytest.mark.parametrize("ratios", [["16-9"], []])
def test_bad_slot_ratios_are_refused_and_change_nothing(api, article, ratios):
    response = api.patch(f"/api/articles/{article.pk}/", {"slot_ratios": ratios}, format="json")

    assert response.status_code == 400
    assert "16:9" in str(response.json())
    article.refresh_from_db()
    assert article.slot_ratios == ["16:9", "1:1"]


def test_a_slot_added_while_a_candidate_is_assessed_gets_its_crop(article, editor,
                                                                 monkeypatch):
    upload = SimpleUploadedFile("late.jpg", encode(photo(400, 300, seed=4)))
    [outcome] = candidate_upload(article=article, files=[upload], uploaded_by=editor)
    detect = service.detect_faces

    def add_a_slot_meanwhile(image):
        article_update(article=article, slot_ratios=["16:9", "1:1", "9:16"])
        return detect(image)

    monkeypatch.setattr(service, "detect_faces", add_a_slot_meanwhile)
    service.assessment_run(assessment_id=outcome.candidate.assessment.pk)

    ratios = CropProposal.objects.filter(candidate=outcome.candidate).values_list("ratio",
                                                                                 flat=True)
    assert sorted(ratios) == ["16:9", "1:1", "9:16"]
