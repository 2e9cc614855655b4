"""Signed webhook delivery to a real local HTTP server."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.core.exceptions import ValidationError

from coverapp.covers.models import WebhookDelivery
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.webhooks import (
    DeliveryFailed,
    article_assessed_notify,
    webhook_register,
)


@pytest.fixture
def article(team):
    return article_create(team=team, created_by=None, title="Eclipse", external_id="cms-42")


def test_post_is_signed_with_hmac_of_the_body(team, article, webhook_receiver):
    webhook = webhook_register(team=team, url=webhook_receiver.url)

    assert article_assessed_notify(article_id=article.pk, event_key="k1") == 1

    [(headers, body)] = webhook_receiver.requests
    expected = hmac.new(webhook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-CoverApp-Signature"] == f"sha256={expected}"
    assert headers["X-CoverApp-Event"] == "article.assessed"
    assert json.loads(body)["article"] == {"id": article.pk, "external_id": "cms-42",
                                           "title": "Eclipse"}


def test_the_same_event_is_delivered_once(team, article, webhook_receiver):
    webhook_register(team=team, url=webhook_receiver.url)

    article_assessed_notify(article_id=article.pk, event_key="k1")
    article_assessed_notify(article_id=article.pk, event_key="k1")
    article_assessed_notify(article_id=article.pk, event_key="k2")

    assert len(webhook_receiver.requests) == 2


def test_a_failing_receiver_raises_for_retry_and_is_recorded(team, article, webhook_receiver):
    webhook_register(team=team, url=webhook_receiver.url)
    webhook_receiver.status = 503

    with pytest.raises(DeliveryFailed, match="HTTP 503"):
        article_assessed_notify(article_id=article.pk, event_key="k1")
    webhook_receiver.status = 200
    article_assessed_notify(article_id=article.pk, event_key="k1")

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

    assert article_assessed_notify(article_id=article.pk, event_key="k1") == 0
    assert webhook_receiver.requests == []
