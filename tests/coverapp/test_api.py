"""The REST API: each endpoint, authentication, and isolation between teams."""

from __future__ import annotations

import io

import numpy as np
import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image, ImageCms
from rest_framework.test import APIClient

from coverapp.covers.models import Assessment, CoverChoice, CropProposal, Webhook
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.assessment_run import assessment_run, predictor
from coverapp.covers.services.uploads import candidate_upload
from tests.conftest import encode, photo
from tests.coverapp.conftest import store_mask


@pytest.fixture
def article(team, editor):
    return article_create(team=team, created_by=editor, title="Election night",
                          external_id="cms-1", slot_ratios=["16:9", "1:1"])


@pytest.fixture
def assessed(article, editor, settings):
    """A candidate of `article` assessed in-process by the classical assessor."""
    settings.COVERAPP_ASSESSOR = "classical"
    predictor.cache_clear()
    upload = SimpleUploadedFile("crowd.jpg", encode(photo(480, 320)))
    candidate = candidate_upload(article=article, files=[upload], uploaded_by=editor)[0].candidate
    assessment_run(assessment_id=candidate.assessment.pk)
    predictor.cache_clear()
    return candidate


def test_create_and_list_articles_with_filters(api):
    created = api.post("/api/articles/", {"title": "Flood warning", "external_id": "cms-9",
                                          "slot_ratios": ["4:3"]}, format="json")
    api.post("/api/articles/", {"title": "Budget"}, format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["slot_ratios"] == ["4:3"]
    assert created.json()["progress"] == "waiting"
    listing = api.get("/api/articles/", {"title": "flood"}).json()
    assert [row["title"] for row in listing["results"]] == ["Flood warning"]
    assert api.get("/api/articles/", {"external_id": "cms-9"}).json()["count"] == 1
    assert api.get("/api/articles/", {"page_size": 1}).json()["next"] is not None


@pytest.mark.parametrize("payload", [{"title": "x", "slot_ratios": ["16-9"]},
                                     {"title": "x", "slot_ratios": []}])
def test_bad_slot_ratios_are_refused_with_the_expected_form(api, payload):
    response = api.post("/api/articles/", payload, format="json")

    assert response.status_code == 400
    assert "16:9" in str(response.json())


def test_duplicate_external_id_is_refused(api, article):
    response = api.post("/api/articles/", {"title": "again", "external_id": "cms-1"},
                        format="json")

    assert response.status_code == 400
    assert "cms-1" in response.json()["detail"]


def test_upload_then_ranked_list_shows_scores_reasons_and_crops(api, article, assessed):
    response = api.get(f"/api/articles/{article.pk}/ranked/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == assessed.pk
    assert row["assessment"]["status"] == "done"
    assert row["assessment"]["rank"] == 1 and row["assessment"]["reasons"]
    assert row["assessment"]["mask_url"] == f"http://testserver/api/candidates/{assessed.pk}/mask/"
    assert sorted(crop["ratio"] for crop in row["crops"]) == ["16:9", "1:1"]
    assert api.get(f"/api/articles/{article.pk}/").json()["progress"] == "ready"


def test_each_slot_is_judged_at_the_width_its_team_shows_it(api, team, editor, settings):
    team.slot_widths = {"1x1": 300}  # any spelling of the ratio
    team.save()
    settings.COVERAPP_ASSESSOR = "classical"
    predictor.cache_clear()
    article = article_create(team=team, created_by=editor, title="Budget day",
                             slot_ratios=["16:9", "1:1"])
    upload = SimpleUploadedFile("small.jpg", encode(photo(480, 320)))
    candidate = candidate_upload(article=article, files=[upload], uploaded_by=editor)[0].candidate
    assessment_run(assessment_id=candidate.assessment.pk)
    predictor.cache_clear()

    shown = api.get(f"/api/articles/{article.pk}/").json()
    reasons = api.get(f"/api/candidates/{candidate.pk}/").json()["assessment"]["reasons"]

    assert shown["slot_widths"] == {"16:9": 1200, "1:1": 300}
    assert "too small for 16:9 at 1200 px" in reasons  # 480 px wide at most
    assert not [reason for reason in reasons if "1:1" in reason]  # 320 px: enough for 300
    assert api.get("/api/teams/").json()[0]["slot_widths"] == {"1x1": 300}


def test_candidates_filter_by_status(api, article, assessed):
    assert api.get("/api/candidates/", {"status": "done"}).json()["count"] == 1
    assert api.get("/api/candidates/", {"status": "queued"}).json()["count"] == 0
    assert api.get(f"/api/candidates/{assessed.pk}/").json()["format"] == "JPEG"


def test_image_and_mask_files_are_served_to_the_team_only(api, other_api, assessed):
    image = api.get(f"/api/candidates/{assessed.pk}/image/", HTTP_ACCEPT="image/webp,*/*")
    mask = api.get(f"/api/candidates/{assessed.pk}/mask/", HTTP_ACCEPT="image/png")

    assert (image.status_code, image["Content-Type"]) == (200, "image/jpeg")
    assert image["Cache-Control"] == mask["Cache-Control"] == (
        "private, max-age=31536000, immutable")
    assert b"".join(image.streaming_content) == assessed.file.open("rb").read()
    assert Image.open(io.BytesIO(b"".join(mask.streaming_content))).size == (480, 320)
    missing = other_api.get(f"/api/candidates/{assessed.pk}/mask/", HTTP_ACCEPT="image/png")
    assert missing.status_code == 404 and missing.json()["detail"]
    assert "Cache-Control" not in missing  # an answer that will change is not kept


def test_crop_override_and_reset(api, assessed):
    url = f"/api/candidates/{assessed.pk}/crop/"

    response = api.post(url, {"ratio": "1:1", "box": [10, 20, 300, 300]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["source"] == "editor"
    current = api.get(f"/api/candidates/{assessed.pk}/").json()["crops"]
    assert {"ratio": "1:1", "box": [10, 20, 300, 300]}.items() <= next(
        crop for crop in current if crop["ratio"] == "1:1").items()

    assert api.delete(f"{url}?ratio=1:1").status_code == 204
    assert not CropProposal.objects.filter(source="editor").exists()


def test_an_editors_crop_says_what_it_keeps_and_which_faces_it_cuts(api, assessed):
    store_mask(assessed, [(100, 100, 100, 100)])
    Assessment.objects.filter(candidate=assessed).update(faces=[[120, 110, 40, 40]])
    url = f"/api/candidates/{assessed.pk}/crop/"

    cutting = api.post(url, {"ratio": "1:1", "box": [140, 0, 300, 300]}, format="json").json()
    whole = api.post(url, {"ratio": "1:1", "box": [0, 0, 300, 300]}, format="json").json()

    assert cutting["reasons"] == ["chosen by an editor", "keeps 60% of the subject",
                                  "0 faces kept whole", "1 face cut"]
    assert whole["reasons"] == ["chosen by an editor", "keeps the whole subject",
                                "1 face kept whole"]


@pytest.mark.parametrize(("box", "reason"), [([0, 0, 300, 200], "not 1:1"),
                                              ([300, 0, 300, 300], "outside"),
                                              ([0, 0, 0, 0], "positive")])
def test_crop_override_refuses_bad_boxes(api, assessed, box, reason):
    response = api.post(f"/api/candidates/{assessed.pk}/crop/", {"ratio": "1:1", "box": box},
                        format="json")

    assert response.status_code == 400
    assert reason in response.json()["detail"]


def test_choose_cover_uses_the_current_crop_for_each_ratio(api, article, assessed):
    api.post(f"/api/candidates/{assessed.pk}/crop/", {"ratio": "1:1", "box": [0, 0, 320, 320]},
             format="json")

    response = api.post(f"/api/articles/{article.pk}/cover/", {"candidate": assessed.pk},
                        format="json")

    assert response.status_code == 200, response.json()
    by_ratio = {row["ratio"]: row for row in response.json()}
    assert by_ratio["1:1"]["crop"]["source"] == "editor"
    assert by_ratio["16:9"]["crop"]["source"] == "model"
    article_view = api.get(f"/api/articles/{article.pk}/").json()
    assert article_view["progress"] == "cover_chosen"
    assert {row["candidate"] for row in article_view["cover"]} == {assessed.pk}


def test_choosing_a_candidate_before_its_assessment_is_refused(api, article, editor):
    upload = SimpleUploadedFile("late.jpg", encode(photo(seed=3)))
    candidate = candidate_upload(article=article, files=[upload], uploaded_by=editor)[0].candidate

    response = api.post(f"/api/articles/{article.pk}/cover/", {"candidate": candidate.pk},
                        format="json")

    assert response.status_code == 400
    assert "no 16:9 crop yet" in response.json()["detail"]


def test_webhooks_are_registered_with_a_secret_paused_and_removed(api):
    response = api.post("/api/webhooks/", {"url": "https://cms.example/hooks/coverapp"},
                        format="json")
    url = f"/api/webhooks/{response.json()['id']}/"

    assert response.status_code == 201
    assert len(response.json()["secret"]) == 64
    assert api.get("/api/webhooks/").json()["count"] == 1
    assert api.patch(url, {"active": False}, format="json").json()["active"] is False
    assert api.delete(url).status_code == 204
    assert not Webhook.objects.exists()


def test_a_webhook_cannot_be_moved_to_an_internal_address(api, settings):
    created = api.post("/api/webhooks/", {"url": "https://cms.example/h"}, format="json").json()
    settings.COVERAPP_WEBHOOK_ALLOW_PRIVATE = False

    response = api.patch(f"/api/webhooks/{created['id']}/", {"url": "http://127.0.0.1/h"},
                         format="json")

    assert response.status_code == 400
    assert "internal address" in response.json()["detail"]
    assert Webhook.objects.get().url == "https://cms.example/h"


def test_a_webhook_needs_a_valid_url(api):
    response = api.post("/api/webhooks/", {"url": "not a url"}, format="json")

    assert response.status_code == 400
    assert "url" in response.json()


def test_teams_lists_only_mine(api, team, other_team):
    assert [row["slug"] for row in api.get("/api/teams/").json()] == [team.slug]


@pytest.mark.parametrize("url", ["/api/articles/", "/api/candidates/", "/api/webhooks/",
                                 "/api/teams/"])
def test_every_endpoint_needs_authentication(db, url):
    assert APIClient().get(url).status_code == 401


def test_a_user_without_a_team_is_refused(db, django_user_model):
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user("drifter"))

    response = client.get("/api/articles/")

    assert response.status_code == 403
    assert "not a member" in response.json()["detail"]


def test_session_auth_works_for_the_browser(editor, article):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="lois", password="pw-for-tests-1")

    assert client.get("/api/articles/").json()["count"] == 1


def test_token_is_issued_for_username_and_password(editor):
    response = APIClient().post("/api/auth/token/", {"username": "lois",
                                                    "password": "pw-for-tests-1"})

    assert response.status_code == 200 and len(response.json()["token"]) == 40


def cross_team_requests(article, candidate, webhook):
    return [
        ("get", f"/api/articles/{article.pk}/", None),
        ("get", f"/api/articles/{article.pk}/ranked/", None),
        ("get", f"/api/candidates/{candidate.pk}/", None),
        ("get", f"/api/webhooks/{webhook.pk}/", None),
        ("post", f"/api/articles/{article.pk}/upload/",
         {"files": [SimpleUploadedFile("x.jpg", encode(photo(seed=9)))]}),
        ("post", f"/api/articles/{article.pk}/cover/", {"candidate": candidate.pk}),
        ("post", f"/api/candidates/{candidate.pk}/crop/", {"ratio": "1:1", "box": [0, 0, 9, 9]}),
        ("delete", f"/api/candidates/{candidate.pk}/crop/?ratio=1:1", None),
        ("delete", f"/api/candidates/{candidate.pk}/", None),
        ("post", f"/api/candidates/{candidate.pk}/retry/", None),
        ("get", f"/api/candidates/{candidate.pk}/rendered/?ratio=1:1", None),
        ("patch", f"/api/candidates/{candidate.pk}/", {"alt_text": "Not yours"}),
        ("patch", f"/api/articles/{article.pk}/", {"slot_ratios": ["4:3"]}),
        ("patch", f"/api/webhooks/{webhook.pk}/", {"active": False}),
        ("post", f"/api/webhooks/{webhook.pk}/ping/", None),
        ("delete", f"/api/webhooks/{webhook.pk}/", None),
    ]


def test_another_teams_ids_answer_404_on_read_and_write(other_api, article, assessed, team):
    webhook = Webhook.objects.create(team=team, url="https://cms.example/h", secret="s" * 64)

    for method, url, payload in cross_team_requests(article, assessed, webhook):
        kwargs = {"format": "multipart" if "upload" in url else "json"} if payload else {}
        response = getattr(other_api, method)(url, payload, **kwargs)
        assert response.status_code == 404, (method, url, response.status_code)
    assert other_api.get("/api/articles/").json()["count"] == 0
    assert Webhook.objects.get().active and not CoverChoice.objects.exists()
    assert assessed.article.candidates.count() == 1
    assert assessed.article.candidates.get().alt_text == ""


def test_own_article_with_another_teams_candidate_answers_404(other_api, other_team, assessed):
    own = article_create(team=other_team, created_by=None, title="Mine")

    response = other_api.post(f"/api/articles/{own.pk}/cover/", {"candidate": assessed.pk},
                              format="json")

    assert response.status_code == 404


def test_api_docs_page_uses_local_swagger_ui(api):
    page = api.get("/api/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn." not in page


def test_openapi_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    assert paths["/api/articles/{id}/ranked/"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]["$ref"].endswith("/PaginatedCandidateList")
    assert paths["/api/articles/{id}/upload/"]["post"]["responses"]["201"]["content"][
        "application/json"]["schema"]["type"] == "array"
    for path in ("/api/articles/{id}/upload/", "/api/articles/{id}/ranked/",
                 "/api/articles/{id}/cover/", "/api/candidates/{id}/crop/", "/api/webhooks/"):
        assert path in paths


def test_a_member_of_two_teams_picks_one_with_the_team_header(api, editor, team, other_team):
    from coverapp.covers.services.teams import membership_add

    membership_add(team=other_team, user=editor)
    article_create(team=other_team, created_by=editor, title="Bugle story")

    default = api.get("/api/articles/").json()["results"]
    by_slug = api.get("/api/articles/", HTTP_X_COVERAPP_TEAM=other_team.slug).json()["results"]
    by_id = api.get("/api/articles/", HTTP_X_COVERAPP_TEAM=str(other_team.pk)).json()["results"]

    assert default == []
    assert [row["title"] for row in by_slug] == [row["title"] for row in by_id] == ["Bugle story"]


def test_the_team_header_cannot_reach_a_team_you_are_not_in(api, other_team):
    response = api.get("/api/articles/", HTTP_X_COVERAPP_TEAM=other_team.slug)

    assert response.status_code == 403
    assert "X-CoverApp-Team" in response.json()["detail"]


def test_a_crop_is_rendered_as_a_ready_jpeg_of_the_crop_in_force(api, article, assessed):
    api.post(f"/api/candidates/{assessed.pk}/crop/", {"ratio": "1:1", "box": [40, 20, 240, 240]},
             format="json")
    crops = {c["ratio"]: c for c in api.get(f"/api/candidates/{assessed.pk}/").json()["crops"]}

    full = api.get(crops["1:1"]["image_url"], HTTP_ACCEPT="image/jpeg")
    small = api.get(f"{crops['1:1']['image_url']}&width=100")
    wide = api.get(f"{crops['16:9']['image_url']}&width=5000")

    assert (full.status_code, full["Content-Type"]) == (200, "image/jpeg")
    assert 'filename="crowd-1x1.jpg"' in full["Content-Disposition"]
    rendered = Image.open(io.BytesIO(full.content))
    assert rendered.size == (240, 240)
    source = Image.open(assessed.file.open("rb")).convert("RGB").crop((40, 20, 280, 260))
    difference = np.abs(np.asarray(rendered, float) - np.asarray(source, float)).mean()
    assert difference < 6.0  # the same pixels, up to JPEG's loss
    assert Image.open(io.BytesIO(small.content)).size == (100, 100)
    box = crops["16:9"]["box"]
    assert Image.open(io.BytesIO(wide.content)).size == (box[2], box[3])  # never enlarged
    cover = api.post(f"/api/articles/{article.pk}/cover/", {"candidate": assessed.pk},
                     format="json").json()
    assert {row["crop"]["image_url"] for row in cover} == {c["image_url"] for c in crops.values()}


def test_a_rendered_crop_is_revalidated_until_the_crop_changes(api, assessed):
    url = f"/api/candidates/{assessed.pk}/rendered/?ratio=1:1"
    first = api.get(url)

    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    api.post(f"/api/candidates/{assessed.pk}/crop/", {"ratio": "1:1", "box": [0, 0, 200, 200]},
             format="json")
    edited = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Cache-Control"] == "private, no-cache"
    assert (again.status_code, again.content) == (304, b"")
    assert edited.status_code == 200 and edited["ETag"] != first["ETag"]
    assert Image.open(io.BytesIO(edited.content)).size == (200, 200)
    assert api.get(f"{url}&width=50", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize(("query", "reason"), [({}, "ratio"), ({"ratio": "4:3"}, "slot ratios"),
                                                ({"ratio": "1:1", "width": 0}, "width")])
def test_a_render_of_a_bad_ratio_or_width_explains_why(api, assessed, query, reason):
    response = api.get(f"/api/candidates/{assessed.pk}/rendered/", query,
                       HTTP_ACCEPT="image/jpeg")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert reason in str(response.json())


def test_a_render_before_the_assessment_is_refused(api, article, editor):
    upload = SimpleUploadedFile("late.jpg", encode(photo(seed=3)))
    candidate = candidate_upload(article=article, files=[upload], uploaded_by=editor)[0].candidate

    response = api.get(f"/api/candidates/{candidate.pk}/rendered/", {"ratio": "16:9"})

    assert response.status_code == 400
    assert "no 16:9 crop yet" in response.json()["detail"]


def test_a_render_keeps_the_uploads_colour_profile(api, article, editor, settings):
    settings.COVERAPP_ASSESSOR = "classical"
    predictor.cache_clear()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = SimpleUploadedFile("tagged.jpg", encode(photo(480, 320), icc_profile=profile))
    candidate = candidate_upload(article=article, files=[upload], uploaded_by=editor)[0].candidate
    assessment_run(assessment_id=candidate.assessment.pk)
    predictor.cache_clear()

    response = api.get(f"/api/candidates/{candidate.pk}/rendered/", {"ratio": "16:9"})

    assert Image.open(io.BytesIO(response.content)).info.get("icc_profile") == profile
