"""A candidate that is another article's recent cover (the same photo, even re-encoded) says so,
so a feed does not show one picture on two stories."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coverapp.covers.models import CoverChoice
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import cover_choose
from coverapp.covers.services.uploads import candidate_upload
from tests.conftest import encode, photo
from tests.coverapp.conftest import two_assessed_candidates

pytestmark = pytest.mark.usefixtures("classical_assessor", "sent")


@pytest.fixture
def storm(team, editor):
    """An article whose cover is photo seed 0 (400 × 300, two candidates assessed)."""
    article = article_create(team=team, created_by=editor, title="Storm hits the coast",
                             slot_ratios=["16:9", "1:1"])
    cover, _ = two_assessed_candidates(article, editor)
    cover_choose(article=article, candidate=cover, chosen_by=editor)
    return article


def upload(article, editor, image, name):
    file = SimpleUploadedFile(name, image)
    return candidate_upload(article=article, files=[file], uploaded_by=editor)[0].candidate


def test_the_same_photo_re_encoded_names_the_article_it_covered(api, storm, team, editor):
    article = article_create(team=team, created_by=editor, title="Clean-up begins")
    same = upload(article, editor, encode(photo(400, 300, seed=0, subject=(0.3, 0.5)),
                                          quality=60), "again.jpg")  # seed 0's photo, re-encoded
    other = upload(article, editor, encode(photo(400, 300, seed=5, subject=(0.8, 0.2))),
                   "other.jpg")

    ranked = {c["id"]: c for c in api.get(f"/api/articles/{article.pk}/ranked/").json()["results"]}
    listed = {c["id"]: c for c in api.get("/api/candidates/", {"article": article.pk}).json()[
        "results"]}
    detail = api.get(f"/api/candidates/{same.pk}/").json()

    for answer in (ranked[same.pk], listed[same.pk], detail):
        [earlier] = answer["earlier_covers"]
        assert (earlier["article"], earlier["title"]) == (storm.pk, "Storm hits the coast")
    assert ranked[other.pk]["earlier_covers"] == listed[other.pk]["earlier_covers"] == []


def test_the_article_itself_old_covers_and_other_teams_do_not_count(api, other_api, storm, team,
                                                                     other_team, editor):
    own = api.get(f"/api/articles/{storm.pk}/ranked/").json()["results"]
    assert [c["earlier_covers"] for c in own] == [[], []]  # its own cover is no earlier cover

    elsewhere = article_create(team=other_team, created_by=None, title="Another newsroom")
    theirs = upload(elsewhere, None, encode(photo(400, 300, seed=0, subject=(0.3, 0.5))),
                    "same.jpg")
    assert other_api.get(f"/api/candidates/{theirs.pk}/").json()["earlier_covers"] == []

    article = article_create(team=team, created_by=editor, title="A month later")
    later = upload(article, editor, encode(photo(400, 300, seed=0, subject=(0.3, 0.5)),
                                           quality=70), "same.jpg")
    assert len(api.get(f"/api/candidates/{later.pk}/").json()["earlier_covers"]) == 1
    CoverChoice.objects.filter(article=storm).update(chosen_at=timezone.now() - timedelta(days=31))
    assert api.get(f"/api/candidates/{later.pk}/").json()["earlier_covers"] == []


def test_a_page_of_candidates_costs_one_query_for_its_earlier_covers(
        api, storm, team, editor, django_assert_max_num_queries):
    article = article_create(team=team, created_by=editor, title="Clean-up begins")
    for seed in range(6):
        upload(article, editor, encode(photo(200, 150, seed=seed)), f"{seed}.jpg")

    with django_assert_max_num_queries(10):  # 15 when each candidate looks its own up
        response = api.get(f"/api/articles/{article.pk}/ranked/")

    assert len(response.json()["results"]) == 6
