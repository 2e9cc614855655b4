"""The focal point the API gives a CMS that crops for itself."""

from __future__ import annotations

import json

import pytest

from coverapp.covers.models import Assessment
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import cover_choose
from coverapp.covers.services.webhooks import article_notify, webhook_register
from tests.coverapp.conftest import store_mask, two_assessed_candidates

pytestmark = pytest.mark.usefixtures("classical_assessor")


@pytest.fixture
def article(team, editor):
    return article_create(team=team, created_by=editor, title="Harbour", slot_ratios=["16:9"])


@pytest.fixture
def candidate(article, editor):
    """An assessed 400 × 300 candidate whose subject is the box [240, 60, 80, 120]."""
    candidate = two_assessed_candidates(article, editor)[0]
    store_mask(candidate, [(240, 60, 80, 120)])
    Assessment.objects.filter(candidate=candidate).update(centroid_x=280.0, centroid_y=120.0)
    return candidate


def focal(api, candidate):
    return api.get(f"/api/candidates/{candidate.pk}/").json()["focal_point"]


def test_the_subjects_centre_then_the_faces_then_the_editors_mark(api, candidate):
    assert focal(api, candidate) == [0.7, 0.4]

    Assessment.objects.filter(candidate=candidate).update(faces=[[60, 30, 40, 40]])
    assert focal(api, candidate) == [0.2, 0.1667]

    response = api.post(f"/api/candidates/{candidate.pk}/focus/", {"point": [100, 150]},
                        format="json")
    assert response.status_code == 200, response.json()
    assert focal(api, candidate) == [0.25, 0.5]


def test_none_before_the_assessment_is_done(api, candidate):
    Assessment.objects.filter(candidate=candidate).update(status=Assessment.Status.RUNNING)
    assert focal(api, candidate) is None


def test_the_cover_and_its_webhook_carry_it(api, article, candidate, editor, team,
                                            webhook_receiver):
    cover_choose(article=article, candidate=candidate, chosen_by=editor)
    [slot] = api.get(f"/api/articles/{article.pk}/").json()["cover"]
    assert slot["focal_point"] == [0.7, 0.4]

    webhook_register(team=team, url=webhook_receiver.url)
    article_notify(article_id=article.pk, event="article.cover_chosen", event_key="focal")
    [(_, body)] = webhook_receiver.requests
    assert json.loads(body)["cover"][0]["focal_point"] == [0.7, 0.4]
