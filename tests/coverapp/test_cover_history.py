"""The cover history (every choice, clearing and undo of an article's cover), undo itself, and
the ranking's suggestion the articles list offers in one click."""

from __future__ import annotations

import pytest

from coverapp.covers.models import CoverChange
from coverapp.covers.services.articles import article_create, article_update
from coverapp.covers.services.crops import cover_choose
from coverapp.covers.services.uploads import candidate_remove
from coverapp.covers.services.webhooks import COVER_CHOSEN, webhook_register
from tests.coverapp.conftest import two_assessed_candidates

pytestmark = pytest.mark.usefixtures("classical_assessor")


@pytest.fixture
def article(team, editor):
    return article_create(team=team, created_by=editor, title="Harbour",
                          slot_ratios=["16:9", "1:1"])


@pytest.fixture
def candidates(article, editor):
    return two_assessed_candidates(article, editor)


def cover(api, article) -> dict[str, int]:
    return {row["ratio"]: row["candidate"]
            for row in api.get(f"/api/articles/{article.pk}/").json()["cover"]}


def choose(api, article, candidate, ratios=None):
    body = {"candidate": candidate.pk} | ({"ratios": ratios} if ratios else {})
    response = api.post(f"/api/articles/{article.pk}/cover/", body, format="json")
    assert response.status_code == 200, response.json()


def undo(api, article):
    return api.post(f"/api/articles/{article.pk}/cover/undo/")


def test_undo_steps_back_through_the_choices_one_at_a_time(api, article, candidates):
    first, second = candidates
    choose(api, article, first)
    choose(api, article, second)

    response = undo(api, article)
    assert response.status_code == 200, response.json()
    assert {row["ratio"]: row["candidate"] for row in response.json()} == {
        "16:9": first.pk, "1:1": first.pk}
    assert cover(api, article) == {"16:9": first.pk, "1:1": first.pk}

    assert undo(api, article).status_code == 200
    assert cover(api, article) == {}  # before the first choice there was none

    refused = undo(api, article)
    assert refused.status_code == 409
    assert refused.json()["code"] == "cannot_undo"
    assert "every change to the cover has been undone" in refused.json()["detail"]


def test_an_unchanged_cover_has_nothing_to_undo(api, article):
    refused = undo(api, article)
    assert refused.status_code == 409
    assert refused.json()["detail"] == "nothing to undo: the cover has not been changed yet"


def test_the_history_says_who_changed_what_latest_first(api, article, candidates, editor):
    first, second = candidates
    choose(api, article, first)
    choose(api, article, second, ratios=["1:1"])
    undo(api, article)

    history = api.get(f"/api/articles/{article.pk}/cover-history/").json()["results"]

    assert [(h["action"], h["before"], h["after"], h["undone"]) for h in history] == [
        ("undone", {"1:1": second.pk}, {"1:1": first.pk}, False),
        ("chosen", {"1:1": first.pk}, {"1:1": second.pk}, True),
        ("chosen", {"16:9": None, "1:1": None}, {"16:9": first.pk, "1:1": first.pk}, False),
    ]
    assert history[0]["undoes"] == history[1]["id"]
    assert {h["changed_by"] for h in history} == {editor.username}


def test_clearing_a_slot_leaves_the_others_and_undo_brings_it_back(api, article, candidates):
    first, _ = candidates
    choose(api, article, first)

    response = api.delete(f"/api/articles/{article.pk}/cover/?ratio=1:1")
    assert response.status_code == 200, response.json()
    assert [row["ratio"] for row in response.json()] == ["16:9"]
    assert cover(api, article) == {"16:9": first.pk}

    undo(api, article)
    assert cover(api, article) == {"16:9": first.pk, "1:1": first.pk}


def test_clearing_every_slot_and_bad_slots(api, article, candidates):
    choose(api, article, candidates[0])
    bad = api.delete(f"/api/articles/{article.pk}/cover/?ratio=4:3")
    assert bad.status_code == 400 and "4:3" in bad.json()["detail"]
    assert len(cover(api, article)) == 2

    assert api.delete(f"/api/articles/{article.pk}/cover/").json() == []
    assert api.get(f"/api/articles/{article.pk}/").json()["progress"] == "ready"


def test_nothing_changed_records_nothing(api, article, candidates, editor):
    choose(api, article, candidates[0])
    choose(api, article, candidates[0])  # the same cover again
    api.delete(f"/api/articles/{article.pk}/cover/")
    api.delete(f"/api/articles/{article.pk}/cover/")  # already clear

    assert list(CoverChange.objects.values_list("action", flat=True)) == ["cleared", "chosen"]


def test_a_slot_added_filled_with_the_cover_is_not_a_change(article, candidates, editor):
    cover_choose(article=article, candidate=candidates[0], chosen_by=editor)

    article_update(article=article, slot_ratios=["16:9", "1:1", "4:3"])

    assert CoverChange.objects.count() == 1


def test_undo_skips_a_slot_dropped_since(api, article, candidates):
    first, second = candidates
    choose(api, article, first)
    choose(api, article, second)
    article_update(article=article, slot_ratios=["16:9"])

    undo(api, article)

    assert cover(api, article) == {"16:9": first.pk}


def test_undo_refuses_to_bring_back_a_removed_candidate_and_changes_nothing(api, article,
                                                                            candidates):
    first, second = candidates
    choose(api, article, first)
    choose(api, article, second)
    candidate_remove(candidate=first)

    refused = undo(api, article)

    assert refused.status_code == 409
    assert refused.json()["code"] == "cannot_undo"
    assert "has been removed" in refused.json()["detail"]
    assert cover(api, article) == {"16:9": second.pk, "1:1": second.pk}
    assert not CoverChange.objects.filter(action="undone").exists()


def test_undo_and_clearing_tell_the_cms(api, article, candidates, team, sent, webhook_receiver,
                                        django_capture_on_commit_callbacks):
    choose(api, article, candidates[0])
    webhook_register(team=team, url=webhook_receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        api.delete(f"/api/articles/{article.pk}/cover/")
        undo(api, article)

    assert [event for _, _, event, _ in sent] == [COVER_CHOSEN, COVER_CHOSEN]


def test_another_teams_article_is_not_found(other_api, article, candidates):
    assert other_api.get(f"/api/articles/{article.pk}/cover-history/").status_code == 404
    assert undo(other_api, article).status_code == 404
    assert other_api.delete(f"/api/articles/{article.pk}/cover/").status_code == 404


def test_the_admin_lists_the_history_and_cannot_alter_it(admin_client, api, article, candidates):
    choose(api, article, candidates[0])

    listing = admin_client.get("/admin/covers/coverchange/")
    assert listing.status_code == 200
    assert "Harbour" in listing.content.decode()
    assert admin_client.get("/admin/covers/coverchange/add/").status_code == 403


def test_the_article_names_its_suggested_candidate_once_ranked(api, team, editor, article):
    assert api.get(f"/api/articles/{article.pk}/").json()["suggested"] is None
    two_assessed_candidates(article, editor)
    top = article.candidates.get(assessment__rank=1)
    listed = api.get("/api/articles/").json()["results"]
    assert [row["suggested"] for row in listed] == [top.pk]
