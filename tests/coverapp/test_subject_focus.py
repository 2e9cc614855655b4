"""An editor marks a candidate's subject: every slot's model crop frames it, at once."""

from __future__ import annotations

import pytest

from coverapp.covers.models import CoverChoice, CropProposal
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import cover_choose, crop_override
from coverapp.covers.services.queueing import NOTIFY_ARTICLE
from coverapp.covers.services.webhooks import COVER_CHOSEN, webhook_register
from tests.coverapp.conftest import store_mask, two_assessed_candidates

pytestmark = pytest.mark.usefixtures("classical_assessor")

LEFT, RIGHT = (20, 100, 60, 80), (260, 80, 120, 140)  # two parts of the 400 × 300 photo's mask


@pytest.fixture
def article(team, editor):
    return article_create(team=team, created_by=editor, title="Harbour",
                          slot_ratios=["1:1", "16:9"])


@pytest.fixture
def candidate(article, editor):
    """An assessed candidate whose stored mask holds LEFT and the larger RIGHT, and no faces."""
    candidate = two_assessed_candidates(article, editor)[0]
    store_mask(candidate, [LEFT, RIGHT])
    return candidate


def box_of(crop: dict) -> tuple[int, int, int, int]:
    x, y, w, h = crop["box"]
    return x, y, x + w, y + h


def holds(crop: dict, part: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box_of(crop)
    return x0 <= part[0] and y0 <= part[1] and part[0] + part[2] <= x1 and part[1] + part[3] <= y1


def crops_by_ratio(data: dict) -> dict[str, dict]:
    return {crop["ratio"]: crop for crop in data["crops"]}


def test_marking_the_smaller_part_reframes_every_slot_and_clearing_returns(api, candidate):
    url = f"/api/candidates/{candidate.pk}/focus/"

    marked = api.post(url, {"point": [50, 140]}, format="json")

    assert marked.status_code == 200, marked.json()
    assert marked.json()["focus"] == [50.0, 140.0]
    crops = crops_by_ratio(marked.json())
    assert holds(crops["1:1"], LEFT) and not holds(crops["1:1"], RIGHT)
    assert all(crop["reasons"][0] == "framed on the subject an editor marked"
               for crop in crops.values())
    assert api.get(f"/api/candidates/{candidate.pk}/").json()["focus"] == [50.0, 140.0]

    cleared = api.delete(url)

    assert cleared.status_code == 200 and cleared.json()["focus"] is None
    square = crops_by_ratio(cleared.json())["1:1"]
    assert holds(square, RIGHT) and "framed on the subject an editor marked" not in square["reasons"]


def test_a_cover_showing_the_proposal_follows_the_mark_and_is_announced(
        api, candidate, team, editor, django_capture_on_commit_callbacks, sent):
    webhook_register(team=team, url="http://127.0.0.1:9/hook")
    cover_choose(article=candidate.article, candidate=candidate, chosen_by=editor)

    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/api/candidates/{candidate.pk}/focus/", {"point": [50, 140]}, format="json")

    cover = CoverChoice.objects.get(article=candidate.article, ratio="1:1").crop
    assert cover.x <= LEFT[0] and cover.x + cover.width < RIGHT[0] + RIGHT[2]
    assert [(name, event) for name, _, event, _ in sent] == [(NOTIFY_ARTICLE, COVER_CHOSEN)]


def test_an_editors_own_crop_stays_in_force(api, candidate, editor):
    crop_override(candidate=candidate, ratio="1:1", box=[100, 0, 300, 300], edited_by=editor)

    data = api.post(f"/api/candidates/{candidate.pk}/focus/", {"point": [50, 140]},
                    format="json").json()

    square = crops_by_ratio(data)["1:1"]
    assert square["source"] == "editor" and square["box"] == [100, 0, 300, 300]
    model = CropProposal.objects.get(candidate=candidate, ratio="1:1", source="model")
    assert model.x + model.width < RIGHT[0] + RIGHT[2]  # the proposal moved, for a reset


def test_a_slot_added_later_frames_the_marked_subject(api, candidate):
    api.post(f"/api/candidates/{candidate.pk}/focus/", {"point": [50, 140]}, format="json")

    api.patch(f"/api/articles/{candidate.article_id}/", {"slot_ratios": ["1:1", "16:9", "9:16"]},
              format="json")

    tall = CropProposal.objects.get(candidate=candidate, ratio="9:16", source="model")
    assert tall.x <= LEFT[0] and LEFT[0] + LEFT[2] <= tall.x + tall.width
    assert tall.reasons[0] == "framed on the subject an editor marked"


@pytest.mark.parametrize(("body", "message"), [
    ({"point": [400, 10]}, "outside the 400×300 image"),
    ({"point": [10, 300]}, "outside the 400×300 image"),
    ({"point": [10]}, "point"),
    ({"point": "middle"}, "point"),
    ({}, "point"),
])
def test_a_bad_point_is_refused_and_changes_nothing(api, candidate, body, message):
    before = list(CropProposal.objects.order_by("pk").values_list("x", "y", "width", "height"))

    response = api.post(f"/api/candidates/{candidate.pk}/focus/", body, format="json")

    assert response.status_code == 400
    assert message in str(response.json())
    candidate.refresh_from_db()
    assert candidate.focus is None
    assert list(CropProposal.objects.order_by("pk")
                .values_list("x", "y", "width", "height")) == before


def test_a_candidate_not_assessed_yet_is_refused(api, candidate):
    candidate.assessment.status = "running"
    candidate.assessment.save()

    response = api.post(f"/api/candidates/{candidate.pk}/focus/", {"point": [50, 140]},
                        format="json")

    assert response.status_code == 400
    assert "not assessed yet" in response.json()["detail"]


def test_another_teams_candidate_is_not_found(other_api, candidate):
    response = other_api.post(f"/api/candidates/{candidate.pk}/focus/", {"point": [50, 140]},
                              format="json")
    assert response.status_code == 404
