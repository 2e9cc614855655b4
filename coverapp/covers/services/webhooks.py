"""Registering team webhooks and delivering signed events to them: "article.assessed" (no
candidate of the article is queued or running any more) and "article.cover_chosen" (the cover,
or a crop it shows, changed).

The receiver checks `X-CoverApp-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw request
body under the webhook's secret (compare with `hmac.compare_digest`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coverapp.covers.models import Article, Assessment, CoverChoice, Team, Webhook, WebhookDelivery
from coverapp.covers.selectors import candidate_focal_point
from coverapp.covers.services.addresses import internal_address
from coverapp.covers.services.queueing import NOTIFY_ARTICLE, enqueue_on_commit

SIGNATURE_HEADER = "X-CoverApp-Signature"
EVENT_HEADER = "X-CoverApp-Event"
ARTICLE_ASSESSED = "article.assessed"
COVER_CHOSEN = "article.cover_chosen"
PING = "ping"
#: Seconds a worker's send may last past the receiver's timeout before another may take it over.
SEND_GRACE_S = 30


class DeliveryFailed(Exception):
    """The receiver could not be reached or answered with an error; worth retrying later."""


class SendingElsewhere(Exception):
    """Another worker took the delivery and may be sending it now (a task delivered twice); the
    task retries later, and sends it then if that worker died before it could."""


def webhook_register(*, team: Team, url: str) -> Webhook:
    """Register `url` for `team` with a fresh random signing secret.

    Refuses (`ValidationError`) a URL whose host is a loopback, private or link-local address
    unless `COVERAPP_WEBHOOK_ALLOW_PRIVATE`, so a team cannot make the server call its own
    network. A host that does not resolve yet is accepted: deliveries retry.
    """
    _check_url(url)
    return Webhook.objects.create(team=team, url=url, secret=secrets.token_hex(32))


def webhook_update(*, webhook: Webhook, url: str | None = None,
                   active: bool | None = None) -> Webhook:
    """Change a webhook's URL (checked as in `webhook_register`) or pause/resume it."""
    if url is not None:
        _check_url(url)
        webhook.url = url
    if active is not None:
        webhook.active = active
    webhook.save()
    return webhook


def webhook_delete(*, webhook: Webhook) -> None:
    """Remove a webhook with its delivery records; events not yet sent to it are not sent."""
    webhook.delete()


def _check_url(url: str) -> None:
    if settings.COVERAPP_WEBHOOK_ALLOW_PRIVATE:
        return
    host = urlsplit(url).hostname or ""
    ip = internal_address(host)
    if ip is not None:
        raise ValidationError(
            f"webhook host {host!r} is an internal address ({ip}); use a public URL, or set "
            "COVERAPP_WEBHOOK_ALLOW_PRIVATE=true when the CMS is on this network")


def sign(body: bytes, secret: str) -> str:
    """The signature header value for `body`: "sha256=" + hex HMAC-SHA256 under `secret`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def cover_changed_announce(*, article: Article) -> None:
    """Queue an "article.cover_chosen" event, once the change commits, if the team listens."""
    if article.team.webhooks.filter(active=True).exists():
        enqueue_on_commit(NOTIFY_ARTICLE, article.pk, COVER_CHOSEN, uuid.uuid4().hex)


def article_notify(*, article_id: int, event: str, event_key: str) -> int:
    """POST `event` with the article's current state to each active webhook of its team that has
    not had this `event_key` yet; returns how many were delivered now.

    Raises `DeliveryFailed` when any receiver failed, after trying all of them, so the task
    retries only the undelivered ones.
    """
    article = Article.objects.select_related("team").get(pk=article_id)
    body = json.dumps(PAYLOADS[event](article), sort_keys=True).encode()
    delivered, failures = 0, []
    for webhook in article.team.webhooks.filter(active=True):
        try:
            delivery = _claim(webhook, article, event_key)
        except SendingElsewhere:
            failures.append(f"{webhook.url}: being sent by another worker")
            continue
        if delivery is None:
            continue
        try:
            response = _post(webhook, event, body)
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
        delivery.sending_since = None
        delivery.save(update_fields=["response_status", "error", "delivered_at", "sending_since"])
    if failures:
        raise DeliveryFailed("; ".join(failures))
    return delivered


def _claim(webhook: Webhook, article: Article, event_key: str) -> WebhookDelivery | None:
    """Take the delivery of `event_key` to `webhook` for this worker to send, in a short
    transaction: the POST then runs outside any, so a slow receiver holds no lock (on SQLite a
    write lock on the whole database) while editors work. None when it was delivered already.
    Raises `SendingElsewhere` when another worker took it within the time a send takes."""
    now = timezone.now()
    taken_after = now - timedelta(seconds=settings.COVERAPP_WEBHOOK_TIMEOUT_S + SEND_GRACE_S)
    with transaction.atomic():
        delivery, _ = WebhookDelivery.objects.select_for_update().get_or_create(
            webhook=webhook, event_key=event_key, defaults={"article": article})
        if delivery.delivered_at is not None:
            return None
        if delivery.sending_since is not None and delivery.sending_since > taken_after:
            raise SendingElsewhere(delivery.pk)
        delivery.attempts += 1
        delivery.sending_since = now
        delivery.save(update_fields=["attempts", "sending_since"])
    return delivery


@dataclass(frozen=True)
class PingResult:
    """How a test event went: `delivered` when the receiver answered 2xx."""

    delivered: bool
    status: int | None  # the receiver's HTTP status, None when it could not be reached
    error: str


def webhook_ping(*, webhook: Webhook) -> PingResult:
    """Send a signed "ping" event to `webhook` now, as every event is sent, and say how the
    receiver answered: for a CMS developer checking the URL and the signature check. Nothing is
    recorded or retried."""
    body = json.dumps({"event": PING, "webhook": webhook.pk,
                       "sent_at": timezone.now().isoformat()}, sort_keys=True).encode()
    try:
        response = _post(webhook, PING, body)
    except requests.RequestException as error:
        return PingResult(delivered=False, status=None, error=f"{type(error).__name__}: {error}")
    return PingResult(delivered=response.ok, status=response.status_code,
                      error="" if response.ok else f"HTTP {response.status_code}")


def _post(webhook: Webhook, event: str, body: bytes) -> requests.Response:
    return requests.post(webhook.url, data=body, timeout=settings.COVERAPP_WEBHOOK_TIMEOUT_S,
                         headers={"Content-Type": "application/json", EVENT_HEADER: event,
                                  SIGNATURE_HEADER: sign(body, webhook.secret)})


def _article(article: Article) -> dict:
    return {"id": article.pk, "external_id": article.external_id, "title": article.title}


def _assessed_payload(article: Article) -> dict:
    assessments = (Assessment.objects.filter(candidate__article=article)
                   .order_by("rank", "pk").values("candidate_id", "status", "rank",
                                                 "cover_score", "error"))
    return {
        "event": ARTICLE_ASSESSED,
        "article": _article(article),
        "candidates": [
            {"id": row["candidate_id"], "status": row["status"], "rank": row["rank"],
             "cover_score": row["cover_score"], "error": row["error"]}
            for row in assessments
        ],
    }


def _cover_payload(article: Article) -> dict:
    """The cover as it is at delivery: per slot ratio the candidate, the crop box in its upright
    pixels, the focal point for a CMS that crops for itself, the API path of the ready JPEG
    (`rendered`, token-authenticated), the credit, caption and alt text to show with it, and who
    chose it when."""
    choices = (CoverChoice.objects.filter(article=article)
               .select_related("crop", "candidate__assessment", "chosen_by").order_by("ratio"))
    return {
        "event": COVER_CHOSEN,
        "article": _article(article),
        "cover": [
            {"ratio": choice.ratio, "candidate": choice.candidate_id,
             "box": [choice.crop.x, choice.crop.y, choice.crop.width, choice.crop.height],
             "source": choice.crop.source,
             "focal_point": candidate_focal_point(choice.candidate),
             "image_path": reverse("candidate-rendered", args=[choice.candidate_id])
             + "?" + urlencode({"ratio": choice.ratio}),
             "credit": choice.candidate.credit, "caption": choice.candidate.caption,
             "alt_text": choice.candidate.alt_text,
             "chosen_by": choice.chosen_by.get_username() if choice.chosen_by else None,
             "chosen_at": choice.chosen_at.isoformat()}
            for choice in choices
        ],
    }


PAYLOADS = {ARTICLE_ASSESSED: _assessed_payload, COVER_CHOSEN: _cover_payload}
