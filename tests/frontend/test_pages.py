"""The editor pages through Django's test client: sign-in, team scoping and switching, the
articles list's search and status filter, the new-article form, and the article page's wiring."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from coverapp.covers.models import Article, Membership, Webhook
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.assessment_run import assessment_run, predictor
from coverapp.covers.services.captions import candidate_describe
from coverapp.covers.services.crops import cover_choose
from coverapp.covers.services.teams import membership_add
from coverapp.covers.services.uploads import candidate_upload
from frontend.views import COVER_THUMBNAIL_WIDTH
from tests.conftest import encode, photo
from tests.frontend.conftest import PASSWORD


@pytest.fixture
def signed_in(client, editor):
    client.login(username=editor.username, password=PASSWORD)
    return client


def titles(response) -> list[str]:
    return [article.title for article in response.context["articles"]]


@pytest.mark.parametrize("name, kwargs", [
    ("frontend:article-list", {}),
    ("frontend:article-create", {}),
    ("frontend:article-detail", {"pk": 1}),
    ("frontend:article-edit", {"pk": 1}),
    ("frontend:article-delete", {"pk": 1}),
    ("frontend:team-settings", {}),
])
def test_pages_send_anonymous_visitors_to_sign_in(client, db, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response.url.startswith(reverse("frontend:login"))


def test_sign_in_with_the_form_lands_on_the_articles(client, editor):
    response = client.post(reverse("frontend:login"),
                           {"username": editor.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["current_team"].name == "Daily Planet"


def test_wrong_password_is_refused_with_a_message(client, editor):
    response = client.post(reverse("frontend:login"),
                           {"username": editor.username, "password": "nope"})
    assert response.status_code == 200
    assert b"correct username and password" in response.content


def test_user_without_a_team_is_told_what_to_do(client, django_user_model):
    django_user_model.objects.create_user("drifter", password=PASSWORD)
    client.login(username="drifter", password=PASSWORD)
    response = client.get(reverse("frontend:article-list"))
    assert response.status_code == 403
    assert b"Ask an administrator" in response.content


def test_list_searches_titles_and_filters_by_progress(signed_in, team, other_team, editor):
    article_create(team=team, created_by=editor, title="Storm over the harbour")
    article_create(team=team, created_by=editor, title="Budget vote")
    article_create(team=other_team, created_by=None, title="Storm in the other newsroom")

    assert sorted(titles(signed_in.get("/"))) == ["Budget vote", "Storm over the harbour"]
    assert titles(signed_in.get("/", {"title": "storm"})) == ["Storm over the harbour"]
    assert titles(signed_in.get("/", {"progress": "ready"})) == []
    waiting = signed_in.get("/", {"progress": "waiting"})
    assert len(titles(waiting)) == 2
    assert b'<span class="badge waiting">Waiting</span>' in waiting.content


def test_list_shows_the_chosen_cover_as_a_small_crop(signed_in, team, editor, settings):
    settings.COVERAPP_ASSESSOR = "classical"
    predictor.cache_clear()
    article = article_create(team=team, created_by=editor, title="Storm", slot_ratios=["4:3"])
    article_create(team=team, created_by=editor, title="Budget")
    upload = SimpleUploadedFile("storm.jpg", encode(photo(640, 480)))
    candidate = candidate_upload(article=article, files=[upload], uploaded_by=editor)[0].candidate
    assessment_run(assessment_id=candidate.assessment.pk)
    predictor.cache_clear()
    cover_choose(article=article, candidate=candidate, chosen_by=editor)

    page = signed_in.get("/").content.decode()

    assert page.count('class="cover-thumbnail"') == 1  # Budget has no cover yet
    src = page.split('class="cover-thumbnail" src="')[1].split('"')[0].replace("&amp;", "&")
    assert src.startswith(f"/api/candidates/{candidate.pk}/rendered/?ratio=4%3A3&width=")
    assert 'alt="Cover of Storm"' in page
    assert page.count("No alt text") == 1  # the cover has none yet
    thumbnail = Image.open(io.BytesIO(signed_in.get(src).content))
    assert thumbnail.width == COVER_THUMBNAIL_WIDTH
    assert abs(thumbnail.width / thumbnail.height - 4 / 3) < 0.02

    candidate_describe(candidate=candidate, alt_text="Waves over the harbour wall")
    described = signed_in.get("/").content.decode()
    assert 'alt="Waves over the harbour wall"' in described and "No alt text" not in described


@pytest.fixture
def ready_article(team, editor, settings):
    """An article whose two candidates are assessed and ranked, without a cover yet."""
    settings.COVERAPP_ASSESSOR = "classical"
    predictor.cache_clear()
    article = article_create(team=team, created_by=editor, title="Harbour", slot_ratios=["1:1"])
    files = [SimpleUploadedFile(f"{seed}.jpg", encode(photo(400, 300, seed=seed)))
             for seed in range(2)]
    for outcome in candidate_upload(article=article, files=files, uploaded_by=editor):
        assessment_run(assessment_id=outcome.candidate.assessment.pk)
    yield article
    predictor.cache_clear()


def test_a_ready_article_offers_its_suggested_cover_in_one_click(signed_in, ready_article,
                                                                 team, editor):
    article_create(team=team, created_by=editor, title="Budget")  # nothing to suggest
    top = ready_article.candidates.get(assessment__rank=1)

    page = signed_in.get("/?title=har").content.decode()

    assert page.count("Use suggested") == 1
    assert 'alt="Suggested cover of Harbour"' in page
    assert f"/api/candidates/{top.pk}/rendered/?ratio=1%3A1" in page
    response = signed_in.post(f"/articles/{ready_article.pk}/use-suggested/",
                              {"list_query": "title=har"}, follow=True)
    assert response.redirect_chain == [("/?title=har", 302)]
    shown = response.content.decode()
    assert f"its suggested cover, {top.original_name}, is chosen" in shown
    assert "Use suggested" not in shown and 'alt="Cover of Harbour"' in shown
    assert [(c.ratio, c.candidate_id, c.chosen_by) for c in ready_article.cover_choices.all()] == [
        ("1:1", top.pk, editor)]
    assert ready_article.cover_changes.get().action == "chosen"  # undoable on its page


def test_use_suggested_explains_when_nothing_is_assessed(signed_in, team, editor):
    article = article_create(team=team, created_by=editor, title="Budget")

    response = signed_in.post(f"/articles/{article.pk}/use-suggested/", follow=True)

    assert "has no assessed candidate to suggest yet" in response.content.decode()
    assert not article.cover_choices.exists()


def test_another_teams_suggestion_cannot_be_used(signed_in, other_team):
    article = article_create(team=other_team, created_by=None, title="Theirs")
    assert signed_in.post(f"/articles/{article.pk}/use-suggested/").status_code == 404
    assert signed_in.get(f"/articles/{article.pk}/use-suggested/").status_code == 405


def test_new_article_form_creates_it_and_opens_it(signed_in, team):
    response = signed_in.post(reverse("frontend:article-create"),
                              {"title": "Ferry strike", "external_id": "cms-42",
                               "slot_ratios": "16:9, 1:1, 16:9"})
    article = Article.objects.get(title="Ferry strike")
    assert response.url == reverse("frontend:article-detail", kwargs={"pk": article.pk})
    assert (article.team, article.external_id, article.slot_ratios) == (
        team, "cms-42", ["16:9", "1:1"])


@pytest.mark.parametrize("ratios, message", [
    ("16:9, wide", "slot ratio"),
    (" , ", "at least one slot ratio"),
])
def test_new_article_form_explains_bad_ratios_and_keeps_the_input(signed_in, ratios, message):
    response = signed_in.post(reverse("frontend:article-create"),
                              {"title": "Ferry strike", "slot_ratios": ratios})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["slot_ratios"])
    assert b'value="Ferry strike"' in response.content
    assert not Article.objects.exists()


def test_duplicate_cms_id_is_a_form_error(signed_in, team, editor):
    article_create(team=team, created_by=editor, title="First", external_id="cms-1")
    response = signed_in.post(reverse("frontend:article-create"),
                              {"title": "Second", "external_id": "cms-1", "slot_ratios": "1:1"})
    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["form"].non_field_errors())


def test_edit_form_shows_the_article_and_saves_changes(signed_in, team, editor):
    article = article_create(team=team, created_by=editor, title="Ferry strike",
                             external_id="cms-42", slot_ratios=["16:9"])
    url = reverse("frontend:article-edit", kwargs={"pk": article.pk})
    form = signed_in.get(url)
    assert b'value="Ferry strike"' in form.content and b'value="16:9"' in form.content
    assert b"Save changes" in form.content

    response = signed_in.post(url, {"title": "Ferry strike ends", "external_id": "cms-42",
                                    "slot_ratios": "16:9, 4:3"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("frontend:article-detail",
                                                     kwargs={"pk": article.pk})
    assert b"Article saved." in response.content
    article.refresh_from_db()
    assert (article.title, article.slot_ratios) == ("Ferry strike ends", ["16:9", "4:3"])


def test_edit_form_explains_a_taken_cms_id_and_changes_nothing(signed_in, team, editor):
    article_create(team=team, created_by=editor, title="First", external_id="cms-1")
    article = article_create(team=team, created_by=editor, title="Second", slot_ratios=["1:1"])
    response = signed_in.post(reverse("frontend:article-edit", kwargs={"pk": article.pk}),
                              {"title": "Renamed", "external_id": "cms-1", "slot_ratios": "1:1"})
    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["form"].non_field_errors())
    article.refresh_from_db()
    assert article.title == "Second"


def test_another_teams_article_cannot_be_edited(signed_in, other_team):
    article = article_create(team=other_team, created_by=None, title="Theirs")
    url = reverse("frontend:article-edit", kwargs={"pk": article.pk})
    assert signed_in.post(url, {"title": "Mine", "slot_ratios": "1:1"}).status_code == 404
    article.refresh_from_db()
    assert article.title == "Theirs"


def test_delete_asks_first_then_deletes_and_says_so(signed_in, team, editor, settings):
    settings.COVERAPP_ASSESSOR = "classical"
    article = article_create(team=team, created_by=editor, title="Ferry strike")
    candidate_upload(article=article, uploaded_by=editor, files=[
        SimpleUploadedFile("quay.jpg", encode(photo(320, 240)))])
    page = signed_in.get(reverse("frontend:article-detail", kwargs={"pk": article.pk}))
    url = reverse("frontend:article-delete", kwargs={"pk": article.pk})
    assert f'href="{url}"'.encode() in page.content

    question = signed_in.get(url)

    assert "Delete “Ferry strike”?" in question.content.decode()
    assert b"Its 1 candidate image, their assessments and crops are deleted" in question.content
    assert Article.objects.filter(pk=article.pk).exists()  # asking deletes nothing

    response = signed_in.post(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("frontend:article-list")
    assert "Article “Ferry strike” deleted." in response.content.decode()
    assert not Article.objects.filter(pk=article.pk).exists()


def test_another_teams_article_cannot_be_deleted(signed_in, other_team):
    article = article_create(team=other_team, created_by=None, title="Theirs")
    url = reverse("frontend:article-delete", kwargs={"pk": article.pk})
    assert signed_in.post(url).status_code == 404
    assert Article.objects.filter(pk=article.pk).exists()


def test_article_page_points_its_scripts_at_this_articles_api(signed_in, team, editor):
    article = article_create(team=team, created_by=editor, title="Storm")
    response = signed_in.get(reverse("frontend:article-detail", kwargs={"pk": article.pk}))
    api = response.context["api"]
    assert api["ranked"].startswith(f"/api/articles/{article.pk}/ranked/")
    assert api["upload"] == f"/api/articles/{article.pk}/upload/"
    assert api["upload_urls"] == f"/api/articles/{article.pk}/upload-urls/"
    assert api["choose"] == f"/api/articles/{article.pk}/cover/"
    assert api["crop"] == "/api/candidates/{candidate}/crop/"
    assert api["candidate"] == "/api/candidates/{candidate}/"
    assert api["focus"] == "/api/candidates/{candidate}/focus/"
    script = response.content.decode().split('id="article-api" type="application/json">')[1]
    assert json.loads(script.split("</script>")[0]) == api
    assert b"vendor/cropperjs/cropper.min.js" in response.content


def test_another_teams_article_is_not_found(signed_in, other_team):
    article = article_create(team=other_team, created_by=None, title="Theirs")
    response = signed_in.get(reverse("frontend:article-detail", kwargs={"pk": article.pk}))
    assert response.status_code == 404


def test_team_switcher_changes_the_team_of_pages_and_api(signed_in, editor, team, other_team):
    membership_add(team=other_team, user=editor)
    article_create(team=other_team, created_by=None, title="Bugle story")
    page = signed_in.get("/")
    assert b'id="team-select"' in page.content
    assert titles(page) == []

    signed_in.post(reverse("frontend:team-switch"), {"team": other_team.pk})
    assert titles(signed_in.get("/")) == ["Bugle story"]
    assert [a["title"] for a in signed_in.get("/api/articles/").json()["results"]] == [
        "Bugle story"]


def test_team_switcher_refuses_a_team_the_user_is_not_in(signed_in, team, other_team):
    response = signed_in.post(reverse("frontend:team-switch"), {"team": other_team.pk},
                              follow=True)
    assert response.context["current_team"] == team
    assert b"You are not a member of that team." in response.content


def test_single_team_users_see_no_switcher(signed_in):
    assert b'id="team-select"' not in signed_in.get("/").content


def test_a_team_admin_sets_slot_widths_on_the_settings_page(signed_in, team, editor):
    Membership.objects.filter(user=editor).update(role=Membership.Role.ADMIN)
    url = reverse("frontend:team-settings")
    assert 'name="slot_widths"' in signed_in.get(url).content.decode()

    bad = signed_in.post(url, {"slot_widths": "16:9 1200\n1:1 wide"})
    saved = signed_in.post(url, {"slot_widths": "1:1 = 400\n\n16:9 1200\n"})

    assert "line 2, “1:1 wide”: write a ratio and a width" in bad.content.decode()
    assert saved.status_code == 302
    team.refresh_from_db()
    assert team.slot_widths == {"16:9": 1200, "1:1": 400}
    page = signed_in.get(url).content.decode()
    assert "16:9 1200\n1:1 400" in page and "Save settings" in page  # widest first


def test_a_team_sets_the_slots_new_articles_start_with(signed_in, team, editor):
    Membership.objects.filter(user=editor).update(role=Membership.Role.ADMIN)
    url = reverse("frontend:team-settings")
    new_article = reverse("frontend:article-create")
    assert 'value="16:9, 4:3, 1:1"' in signed_in.get(new_article).content.decode()  # the default

    bad = signed_in.post(url, {"slot_ratios": "16:9, wide"})
    saved = signed_in.post(url, {"slot_ratios": "1:1, 16:9", "slot_widths": ""})

    assert "slot ratio &#x27;wide&#x27;" in bad.content.decode()
    assert saved.status_code == 302
    team.refresh_from_db()
    assert team.slot_ratios == ["1:1", "16:9"]
    assert 'value="1:1, 16:9"' in signed_in.get(new_article).content.decode()
    created = signed_in.post(new_article, {"title": "Ferry", "slot_ratios": "1:1, 16:9"})
    assert Article.objects.get(title="Ferry").slot_ratios == ["1:1", "16:9"]
    assert created.status_code == 302


@pytest.mark.parametrize("name", ["frontend:team-settings", "frontend:article-create"])
def test_each_fields_help_is_the_text_its_control_names_for_screen_readers(signed_in, team,
                                                                          editor, name):
    Membership.objects.filter(user=editor).update(role=Membership.Role.ADMIN)
    page = signed_in.get(reverse(name)).content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert described
    for ids in described:
        for id_ in ids.split():
            assert f'id="{id_}"' in page, id_


def test_a_data_desk_lets_graphics_compete_with_photos(signed_in, team, editor):
    Membership.objects.filter(user=editor).update(role=Membership.Role.ADMIN)
    team.ranking_weights = {"faces": 0.2}
    team.save()
    url = reverse("frontend:team-settings")
    checkbox = 'name="graphics_compete"'
    assert "checked" not in signed_in.get(url).content.decode().split(checkbox)[1].split(">")[0]

    signed_in.post(url, {"slot_widths": "", "graphics_compete": "on"})
    team.refresh_from_db()
    ticked = team.ranking_weights
    page = signed_in.get(url).content.decode()
    signed_in.post(url, {"slot_widths": ""})
    team.refresh_from_db()

    assert ticked == {"faces": 0.2, "graphic": 0}
    assert "checked" in page.split(checkbox)[1].split(">")[0]
    assert team.ranking_weights == {"faces": 0.2}  # the other weights stay as they were
    team.ranking_weights = {"graphic": 0.1}  # set through the API: not a choice of this box
    team.save()
    signed_in.post(url, {"slot_widths": ""})
    team.refresh_from_db()
    assert team.ranking_weights == {"graphic": 0.1}


def test_a_team_admin_adds_pings_pauses_and_removes_a_webhook(signed_in, team, editor,
                                                              webhook_receiver):
    Membership.objects.filter(user=editor).update(role=Membership.Role.ADMIN)
    settings_url = reverse("frontend:team-settings")

    def act(action: str) -> str:
        url = reverse("frontend:team-webhook-action", args=[webhook.pk, action])
        return signed_in.post(url, follow=True).content.decode()

    bad = signed_in.post(reverse("frontend:team-webhook-add"), {"url": "not a url"},
                         follow=True).content.decode()
    added = signed_in.post(reverse("frontend:team-webhook-add"), {"url": webhook_receiver.url},
                           follow=True).content.decode()
    [webhook] = Webhook.objects.filter(team=team)
    pinged = act("ping")
    paused = act("pause")
    webhook.refresh_from_db()
    was_active = webhook.active
    act("resume")
    webhook.refresh_from_db()

    assert "Enter a valid URL." in bad
    assert "Webhook added" in added and webhook.secret in added
    assert f"Ping delivered: {webhook_receiver.url} answered 204." in pinged
    assert webhook_receiver.requests[0][0]["X-CoverApp-Event"] == "ping"
    assert "Paused" in paused and not was_active and webhook.active
    assert "removed" in act("delete") and not Webhook.objects.exists()
    assert "No webhooks yet." in signed_in.get(settings_url).content.decode()


def test_editors_read_the_team_settings_but_cannot_change_them(signed_in, team):
    team.slot_widths = {"1:1": 400}
    team.save()
    url = reverse("frontend:team-settings")

    page = signed_in.get(url).content.decode()
    refused = signed_in.post(url, {"slot_widths": "1:1 300"})

    assert "Only a team admin can change these." in page and "Save settings" not in page
    assert "disabled" in page.split('name="slot_widths"')[1].split(">")[0]
    assert refused.status_code == 403
    team.refresh_from_db()
    assert team.slot_widths == {"1:1": 400}
    webhook = Webhook.objects.create(team=team, url="https://cms.example/hook", secret="s" * 64)
    assert "Webhooks" not in page and "s" * 64 not in signed_in.get(url).content.decode()
    add = signed_in.post(reverse("frontend:team-webhook-add"), {"url": "https://cms.example/2"})
    remove = signed_in.post(reverse("frontend:team-webhook-action", args=[webhook.pk, "delete"]))
    assert (add.status_code, remove.status_code) == (403, 403)
    assert list(Webhook.objects.values_list("url", flat=True)) == ["https://cms.example/hook"]
