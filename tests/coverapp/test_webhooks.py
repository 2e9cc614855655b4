"""Signed webhook delivery to a real local HTTP server."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from coverapp.covers.models import CropProposal, WebhookDelivery
from coverapp.covers.services.articles import article_create, article_update
from coverapp.covers.services.crops import cover_choose, crop_override, crop_reset
from coverapp.covers.services.queueing import NOTIFY_ARTICLE
from coverapp.covers.services.webhooks import (
    ARTICLE_ASSESSED,
    COVER_CHOSEN,
    SEND_GRACE_S,
    DeliveryFailed,
    article_notify,
    sign,
    webhook_register,
)
from tests.coverapp.conftest import two_assessed_candidates


@pytest.fixture
def article(team):
    return article_create(team=team, created_by=None, title="Eclipse", external_id="cms-42")


def test_post_is_signed_with_hmac_of_the_body(team, article, webhook_receiver):
    webhook = webhook_register(team=team, url=webhook_receiver.url)

    assert article_notify(article_id=article.pk, event=ARTICLE_ASSESSED, event_key="k1") == 1

    [(headers, body)] = webhook_receiver.requests
    expected = hmac.new(webhook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-CoverApp-Signature"] == f"sha256={expected}"
    assert headers["X-CoverApp-Event"] == "article.assessed"
    assert json.loads(body)["article"] == {"id": article.pk, "external_id": "cms-42",
                                           "title": "Eclipse"}


def test_the_same_event_is_delivered_once(team, article, webhook_receiver):
    webhook_register(team=team, url=webhook_receiver.url)

    article_notify(article_id=article.pk, event=ARTICLE_ASSESSED, event_key="k1")
    article_notify(article_id=article.pk, event=ARTICLE_ASSESSED, event_key="k1")
    article_notify(article_id=article.pk, event=ARTICLE_ASSESSED, event_key="k2")

    assert len(webhook_receiver.requests) == 2


def test_no_transaction_is_open_while_the_receiver_answers(team, article, webhook_receiver):
    # on SQLite an open write transaction locks the whole database: every editor's save would
    # wait on a slow receiver, then fail with "database is locked"
    webhook_register(team=team, url=webhook_receiver.url)
    sender = connections["default"]  # this thread's connection, read from the receiver's thread
    depth = len(sender.atomic_blocks)  # pytest-django's own test transaction
    seen = []
    webhook_receiver.on_request = lambda: seen.append(len(sender.atomic_blocks))

    assert article_notify(article_id=article.pk, event=ARTICLE_ASSESSED, event_key="k1") == 1

    assert seen == [depth]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.sending_since) == (1, None)


def test_a_delivery_another_worker_is_sending_waits_for_it_then_is_taken_over(
        team, article, webhook_receiver, settings):
    webhook = webhook_register(team=team, url=webhook_receiver.url)
    taken = WebhookDelivery.objects.create(webhook=webhook, article=article, event_key="k1",
                                           attempts=1, sending_since=timezone.now())

    with pytest.raises(DeliveryFailed, match="being sent by another worker"):
        article_notify(article_id=article.pk, event=ARTICLE_ASSESSED, event_key="k1")
    assert webhook_receiver.requests == []

    # that worker died mid-send: once a send's time has passed, the retry sends it
    lease = settings.COVERAPP_WEBHOOK_TIMEOUT_S + SEND_GRACE_S
    WebhookDelivery.objects.filter(pk=taken.pk).update(
        sending_since=timezone.now() - timedelta(seconds=lease + 1))
    assert article_notify(article_id=article.pk, event=ARTICLE_ASSESSED, event_key="k1") == 1
    taken.refresh_from_db()
    assert (taken.attempts, taken.sending_since, len(webhook_receiver.requests)) == (2, None, 1)
    assert taken.delivered_at is not None


def test_a_failing_receiver_raises_for_retry_and_is_recorded(team, article, webhook_receiver):
    webhook_register(team=team, url=webhook_receiver.url)
    webhook_receiver.status = 503

    with pytest.raises(DeliveryFailed, match="HTTP 503"):
        article_notify(article_id=article.pk, event=ARTICLE_ASSESSED, event_key="k1")
    webhook_receiver.status = 200
    article_notify(article_id=article.pk, event=ARTICLE_ASSESSED, event_key="k1")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.response_status) == (2, 200)
    assert delivery.delivered_at is not None


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/hook", "http://10.1.2.3/hook",
                                 "http://[::1]/hook", "http://169.254.169.254/latest/meta-data"])
def test_internal_addresses_are_refused_unless_allowed(team, settings, url):
    settings.COVERAPP_WEBHOOK_ALLOW_PRIVATE = False

    with pytest.raises(ValidationError, match="internal address"):
        webhook_register(team=team, url=url)


def test_other_teams_webhooks_are_not_called(team, other_team, article, webhook_receiver):
    webhook_register(team=other_team, url=webhook_receiver.url)

    assert article_notify(article_id=article.pk, event=ARTICLE_ASSESSED, event_key="k1") == 0
    assert webhook_receiver.requests == []


@pytest.fixture
def assessed(article, editor, classical_assessor):
    article_update(article=article, slot_ratios=["16:9", "1:1"])
    article.refresh_from_db()
    return two_assessed_candidates(article, editor)


def test_a_cover_choice_is_announced_with_its_crops(team, article, assessed, editor, sent,
                                                    webhook_receiver,
                                                    django_capture_on_commit_callbacks):
    webhook = webhook_register(team=team, url=webhook_receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        cover_choose(article=article, candidate=assessed[1], chosen_by=editor)

    [(task, article_id, event, key)] = sent
    assert (task, article_id, event) == (NOTIFY_ARTICLE, article.pk, COVER_CHOSEN)
    assert article_notify(article_id=article_id, event=event, event_key=key) == 1
    [(headers, body)] = webhook_receiver.requests
    assert headers["X-CoverApp-Event"] == "article.cover_chosen"
    assert headers["X-CoverApp-Signature"] == sign(body, webhook.secret)
    cover = json.loads(body)["cover"]
    assert [(row["ratio"], row["candidate"], row["source"]) for row in cover] == [
        ("16:9", assessed[1].pk, "model"), ("1:1", assessed[1].pk, "model")]
    square = CropProposal.objects.get(candidate=assessed[1], ratio="1:1", source="model")
    assert cover[1]["box"] == [square.x, square.y, square.width, square.height]
    assert cover[1]["image_path"] == f"/api/candidates/{assessed[1].pk}/rendered/?ratio=1%3A1"
    assert {row["chosen_by"] for row in cover} == {editor.username}
    assert all(row["chosen_at"].startswith(str(timezone.now().year)) for row in cover)


def test_only_changes_to_the_cover_are_announced(team, article, assessed, editor, sent,
                                                 webhook_receiver,
                                                 django_capture_on_commit_callbacks):
    cover_choose(article=article, candidate=assessed[0], chosen_by=editor)  # nobody listens yet
    webhook_register(team=team, url=webhook_receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        crop_override(candidate=assessed[1], ratio="1:1", box=[0, 0, 300, 300], edited_by=editor)
        assert sent == []  # not the cover
        crop_override(candidate=assessed[0], ratio="1:1", box=[0, 0, 300, 300], edited_by=editor)
        crop_reset(candidate=assessed[0], ratio="1:1")
        article_update(article=article, slot_ratios=["16:9"])  # the 1:1 slot's cover goes
        article_update(article=article, title="Eclipse tonight")

    announced = [key for _, _, event, key in sent if event == COVER_CHOSEN]
    assert len(announced) == len(set(announced)) == 3  # each change is a new event


def test_a_ping_is_signed_and_says_how_the_receiver_answered(api, team, webhook_receiver):
    webhook = webhook_register(team=team, url=webhook_receiver.url)
    url = f"/api/webhooks/{webhook.pk}/ping/"

    answered = api.post(url).json()
    webhook_receiver.status = 500
    failed = api.post(url).json()
    webhook_receiver.close()
    unreachable = api.post(url).json()

    assert answered == {"delivered": True, "status": 204, "error": ""}
    assert failed == {"delivered": False, "status": 500, "error": "HTTP 500"}
    assert not unreachable["delivered"] and unreachable["status"] is None
    assert "ConnectionError" in unreachable["error"]
    headers, body = webhook_receiver.requests[0]
    assert headers["X-CoverApp-Event"] == "ping"
    assert headers["X-CoverApp-Signature"] == sign(body, webhook.secret)
    assert json.loads(body)["webhook"] == webhook.pk
    assert not WebhookDelivery.objects.exists()  # a test event: nothing recorded or retried
