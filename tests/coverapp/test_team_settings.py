"""A team admin sets how wide each slot is shown and the ranking weights through the API; the
team's recent articles without a cover are ranked again under them. Editors may read them only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from coverapp.covers.models import Article, Assessment, Membership
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.crops import cover_choose
from coverapp.covers.services.teams import membership_add
from tests.coverapp.conftest import two_assessed_candidates

pytestmark = pytest.mark.usefixtures("classical_assessor", "sent")


@pytest.fixture
def admin_api(team):
    user = get_user_model().objects.create_user(username="perry", password="pw-for-tests-1")
    membership_add(team=team, user=user, role=Membership.Role.ADMIN)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def square_reasons(article) -> list[list[str]]:
    return sorted([reason for reason in a.reasons if "1:1" in reason]
                  for a in Assessment.objects.filter(candidate__article=article))


def test_an_admin_sets_slot_widths_and_open_articles_are_ranked_again(admin_api, team, editor):
    open_article = article_create(team=team, created_by=editor, title="Open",
                                  slot_ratios=["16:9", "1:1"])
    two_assessed_candidates(open_article, editor)  # 400 × 300: too small at 1200 px
    covered = article_create(team=team, created_by=editor, title="Covered",
                             slot_ratios=["16:9", "1:1"])
    cover, _ = two_assessed_candidates(covered, editor)
    cover_choose(article=covered, candidate=cover, chosen_by=editor)
    before = square_reasons(covered)
    stale = article_create(team=team, created_by=editor, title="Abandoned",
                           slot_ratios=["16:9", "1:1"])
    two_assessed_candidates(stale, editor)
    Article.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=15))

    response = admin_api.patch(f"/api/teams/{team.pk}/", {"slot_widths": {"1:1": 300}},
                               format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["slot_widths"] == {"1:1": 300}
    assert response.json()["role"] == "admin"
    assert square_reasons(open_article) == [[], []]  # 300 px fits a 300-px thumbnail now
    assert square_reasons(covered) == before == [["too small for 1:1 at 1200 px"]] * 2
    assert square_reasons(stale) == before  # older than RERANK_DAYS: left as it was
    assert admin_api.get(f"/api/articles/{open_article.pk}/").json()["slot_widths"] == {
        "16:9": 1200, "1:1": 300}


def test_weights_are_checked_and_a_bad_request_changes_nothing(admin_api, team):
    bad_widths = admin_api.patch(f"/api/teams/{team.pk}/", {"slot_widths": {"1:1": "wide"}},
                                 format="json")
    bad_weights = admin_api.patch(f"/api/teams/{team.pk}/", {"slot_widths": {"1:1": 400},
                                                             "ranking_weights": {"beauty": 1}},
                                  format="json")
    good = admin_api.patch(f"/api/teams/{team.pk}/", {"ranking_weights": {"clarity": 0.5}},
                           format="json")

    assert bad_widths.status_code == 400 and "whole pixels" in bad_widths.json()["detail"]
    assert bad_weights.status_code == 400 and "unknown ranking weight" in bad_weights.json()[
        "detail"]
    assert good.status_code == 200
    team.refresh_from_db()
    assert (team.slot_widths, team.ranking_weights) == ({}, {"clarity": 0.5})


def test_editors_and_other_teams_cannot_change_settings(api, other_api, team):
    mine = api.get("/api/teams/").json()[0]
    refused = api.patch(f"/api/teams/{team.pk}/", {"slot_widths": {"1:1": 300}}, format="json")
    hidden = other_api.patch(f"/api/teams/{team.pk}/", {"slot_widths": {"1:1": 300}},
                             format="json")

    assert mine["role"] == "editor"
    assert refused.status_code == 403 and "only an admin" in refused.json()["detail"]
    assert hidden.status_code == 404
    team.refresh_from_db()
    assert team.slot_widths == {}


def test_an_admin_sets_the_slots_new_articles_start_with(admin_api, api, team):
    response = admin_api.patch(f"/api/teams/{team.pk}/", {"slot_ratios": ["1:1", "16:9"]},
                               format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["slot_ratios"] == ["1:1", "16:9"]

    created = api.post("/api/articles/", {"title": "Ferry strike"}, format="json").json()
    assert created["slot_ratios"] == ["1:1", "16:9"]
    chosen = api.post("/api/articles/", {"title": "Budget", "slot_ratios": ["4:3"]},
                      format="json").json()
    assert chosen["slot_ratios"] == ["4:3"]  # an article's own choice wins

    bad = admin_api.patch(f"/api/teams/{team.pk}/", {"slot_ratios": ["1:1", "wide"]},
                          format="json")
    assert bad.status_code == 400 and "wide" in bad.json()["detail"]
    assert admin_api.patch(f"/api/teams/{team.pk}/", {"slot_ratios": []},
                           format="json").json()["slot_ratios"] == []
    assert api.post("/api/articles/", {"title": "Storm"}, format="json").json()["slot_ratios"] == [
        "16:9", "4:3", "1:1"]  # none set: the default


def test_an_editor_cannot_set_the_slots(api, team):
    assert api.patch(f"/api/teams/{team.pk}/", {"slot_ratios": ["1:1"]},
                     format="json").status_code == 403
