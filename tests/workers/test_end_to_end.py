"""Upload through the API, assess in a real Celery worker over Redis, read the ranking back."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from coverapp.covers.models import Assessment, Webhook
from coverapp.covers.services.teams import membership_add, team_create
from tests.conftest import encode, photo
from tests.workers.conftest import wait_for

pytestmark = pytest.mark.slow


def token_client(team) -> APIClient:
    user = get_user_model().objects.create_user("perry", password="pw-for-tests-1")
    membership_add(team=team, user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_three_uploads_are_assessed_ranked_cropped_and_notified(start_worker, webhook_receiver,
                                                                settings):
    network_ready = settings.COVERAPP_CHECKPOINT.is_file()
    team = team_create(name="Metropolis Times")
    api = token_client(team)
    api.post("/api/webhooks/", {"url": webhook_receiver.url}, format="json")
    article = api.post("/api/articles/", {"title": "Rescue at sea",
                                          "slot_ratios": ["16:9", "1:1"]}, format="json").json()
    files = [SimpleUploadedFile(f"{seed}.jpg", encode(photo(480, 360, seed=seed,
                                                            subject=(0.25 * (seed + 1), 0.5))))
             for seed in range(3)]
    uploaded = api.post(f"/api/articles/{article['id']}/upload/", {"files": files},
                        format="multipart")
    assert uploaded.status_code == 201, uploaded.json()

    worker = start_worker()
    wait_for(lambda: Assessment.objects.filter(status="done").count() == 3, timeout=240,
             what="3 done assessments", worker=worker)
    wait_for(lambda: len(webhook_receiver.requests) == 1, timeout=60,
             what="the webhook POST", worker=worker)

    ranked = api.get(f"/api/articles/{article['id']}/ranked/").json()["results"]
    assert sorted(row["assessment"]["rank"] for row in ranked) == [1, 2, 3]
    for row in ranked:
        assert row["assessment"]["status"] == "done"
        assert api.get(row["assessment"]["mask_url"]).status_code == 200
        # COVERAPP_ASSESSOR=auto: the network once its checkpoint exists, else the classical one.
        assert (row["assessment"]["model_name"] == "classical") != network_ready
        assert sorted(crop["ratio"] for crop in row["crops"]) == ["16:9", "1:1"]
        assert row["assessment"]["reasons"]
    [(headers, body)] = webhook_receiver.requests
    secret = Webhook.objects.get().secret.encode()
    signature = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    assert headers["X-CoverApp-Signature"] == signature
    assert [c["status"] for c in json.loads(body)["candidates"]] == ["done"] * 3
