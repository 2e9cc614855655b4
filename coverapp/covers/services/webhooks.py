"""Registering team webhooks and delivering signed "article assessed" events to them.

The receiver checks `X-CoverApp-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw request
body under the webhook's secret (compare with `hmac.compare_digest`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coverapp.covers.models import Article, Assessment, Team, Webhook, WebhookDelivery

SIGNATURE_HEADER = "X-CoverApp-Signature"
EVENT_HEADER = "X-CoverApp-Event"
ARTICLE_ASSESSED = "article.assessed"


class DeliveryFailed(Exception):
    """The receiver could not be reached or answered with an error; worth retrying later."""


def webhook_register(*, team: Team, url: str) -> Webhook:
    """Register `url` for `team` with a fresh random signing secret."""
    return Webhook.objects.create(team=team, url=url, secret=secrets.token_hex(32))


def sign(body: bytes, secret: str) -> str:
    """The signature header value for `body`: "sha256=" + hex HMAC-SHA256 under `secret`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def article_assessed_notify(*, article_id: int, event_key: str) -> int:
    """POST the article's results to each active webhook of its team that has not had this
    `event_key` yet; returns how many were delivered now.

    Raises `DeliveryFailed` when any receiver failed, after trying all of them, so the task
    retries only the undelivered ones.
    """
    article = Article.objects.select_related("team").get(pk=article_id)
    body = json.dumps(_payload(article), sort_keys=True).encode()
    delivered, failures = 0, []
    for webhook in article.team.webhooks.filter(active=True):
        with transaction.atomic():
            delivery, _ = WebhookDelivery.objects.select_for_update().get_or_create(
                webhook=webhook, event_key=event_key, defaults={"article": article})
            if delivery.delivered_at is not None:
                continue
            delivery.attempts += 1
            try:
                response = requests.post(
                    webhook.url, data=body, timeout=settings.COVERAPP_WEBHOOK_TIMEOUT_S,
                    headers={"Content-Type": "application/json", EVENT_HEADER: ARTICLE_ASSESSED,
                             SIGNATURE_HEADER: sign(body, webhook.secret)})
            except requests.RequestException as error:
                delivery.error = f"{type(error).__name__}: {error}"[:2000]
                failures.append(f"{webhook.url}: {delivery.error}")
            else:
                delivery.response_status = response.status_code
                if response.ok:
                    delivery.delivered_at, delivery.error = timezone.now(), ""
                    delivered += 1
                else:
                    delivery.error = f"HTTP {response.status_code}"
                    failures.append(f"{webhook.url}: HTTP {response.status_code}")
            delivery.save()
    if failures:
        raise DeliveryFailed("; ".join(failures))
    return delivered


def _payload(article: Article) -> dict:
    assessments = (Assessment.objects.filter(candidate__article=article)
                   .order_by("rank", "pk").values("candidate_id", "status", "rank",
                                                 "cover_score", "error"))
    return {
        "event": ARTICLE_ASSESSED,
        "article": {"id": article.pk, "external_id": article.external_id, "title": article.title},
        "candidates": [
            {"id": row["candidate_id"], "status": row["status"], "rank": row["rank"],
             "cover_score": row["cover_score"], "error": row["error"]}
            for row in assessments
        ],
    }
