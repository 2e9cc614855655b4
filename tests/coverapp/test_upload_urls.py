"""The CMS names candidate images by URL: the server downloads them from a real (local) HTTP
server and checks them as uploaded files; any failure refuses the batch and stores nothing."""

from __future__ import annotations

import socket

import pytest

from coverapp.covers.models import CandidateImage
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.queueing import ASSESS_IMAGE
from tests.conftest import PIER, QUAY


@pytest.fixture
def article(team, editor):
    return article_create(team=team, created_by=editor, title="Quay collapse",
                          slot_ratios=["16:9"])


def upload(api, article, urls):
    return api.post(f"/api/articles/{article.pk}/upload-urls/", {"urls": urls}, format="json")


def test_urls_become_candidates_queued_for_assessment(api, article, media, sent,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(api, article, [f"{media.base}/media/quay.jpg",
                                         f"{media.base}/media/pier%20head.png"])

    assert response.status_code == 201, response.json()
    outcomes = response.json()
    assert [o["created"] for o in outcomes] == [True, True]
    assert [o["candidate"]["original_name"] for o in outcomes] == ["quay.jpg", "pier head.png"]
    assert [(o["candidate"]["format"], o["candidate"]["width"]) for o in outcomes] == [
        ("JPEG", 320), ("PNG", 300)]
    stored = CandidateImage.objects.get(original_name="quay.jpg")
    with stored.file.open("rb") as stream:
        assert stream.read() == QUAY  # kept byte for byte, as a sent file is
    assert [name for name, _ in sent] == [ASSESS_IMAGE, ASSESS_IMAGE]


def test_the_same_image_again_or_through_a_redirect_is_the_same_candidate(api, article, media):
    first = upload(api, article, [f"{media.base}/media/quay.jpg"]).json()[0]["candidate"]

    again = upload(api, article, [f"{media.base}/latest"])

    assert again.status_code == 200
    assert again.json()[0] == {"created": False, "candidate": again.json()[0]["candidate"]}
    assert again.json()[0]["candidate"]["id"] == first["id"]
    assert CandidateImage.objects.count() == 1


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(("path", "status", "code", "says"), [
    ("/gone.jpg", 400, "fetch_failed", "the server answered 404 Not Found"),
    ("/loop", 400, "fetch_failed", "more than 3 redirects"),
    ("/slow", 400, "fetch_failed", "no answer within 0.5 s"),
    ("/notes.jpg", 415, "unsupported_format", "JPEG, PNG, WebP, AVIF or HEIC"),
    ("/media/pier%20head.png", 413, "too_many_bytes", "larger than the"),
    ("ftp://127.0.0.1/quay.jpg", 400, "bad_url", "give an http or https URL"),
    ("quay.jpg", 400, "bad_url", "give an http or https URL"),
    ("closed", 400, "fetch_failed", "the server could not be reached"),
])
def test_one_bad_url_refuses_the_batch_and_says_why(api, article, media, settings, path, status,
                                                    code, says):
    settings.COVERAPP_FETCH_TIMEOUT_S = 0.5
    settings.COVERAPP_MAX_UPLOAD_BYTES = len(PIER) - 1  # the PNG is the larger file
    bad = {"closed": f"http://127.0.0.1:{closed_port()}/quay.jpg"}.get(
        path, path if not path.startswith("/") else media.base + path)

    response = upload(api, article, [f"{media.base}/media/quay.jpg", bad])

    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert says in response.json()["detail"] and bad in response.json()["detail"]
    assert not CandidateImage.objects.exists()


def test_internal_hosts_are_refused_unless_allowed(api, article, media, settings):
    settings.COVERAPP_FETCH_ALLOW_PRIVATE = False

    response = upload(api, article, [f"{media.base}/media/quay.jpg"])

    assert response.status_code == 400
    assert response.json()["code"] == "bad_url"
    assert "internal address (127.0.0.1)" in response.json()["detail"]
    assert "COVERAPP_FETCH_ALLOW_PRIVATE" in response.json()["detail"]
    assert not CandidateImage.objects.exists()


@pytest.mark.parametrize("body", [{}, {"urls": []}, {"urls": "http://x/a.jpg"},
                                  {"urls": ["http://x/a.jpg"] * 21}])
def test_a_malformed_request_is_refused(api, article, body):
    response = api.post(f"/api/articles/{article.pk}/upload-urls/", body, format="json")
    assert response.status_code == 400
    assert "urls" in response.json()


def test_another_teams_article_is_not_found(other_api, article, media):
    response = upload(other_api, article, [f"{media.base}/media/quay.jpg"])
    assert response.status_code == 404
    assert not CandidateImage.objects.exists()
