"""Thin tasks: take ids, call one service, retry on transient errors.

Both are `acks_late` (a task is acknowledged only after it returns, so a worker killed mid-task
leaves it on the broker to run again) and idempotent (the services skip work already done).
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from coverapp.covers.services.assessment_run import assessment_run
from coverapp.covers.services.webhooks import DeliveryFailed, article_notify

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(name="workers.tasks.assess_image", acks_late=True, reject_on_worker_lost=True,
             autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def assess_image(assessment_id: int) -> str:
    """Assess one candidate image (queue `gpu`); returns the assessment's final status, or
    "removed" when an editor removed the candidate first."""
    assessment = assessment_run(assessment_id=assessment_id)
    return assessment.status if assessment is not None else "removed"


@shared_task(name="workers.tasks.notify_article", acks_late=True,
             reject_on_worker_lost=True, autoretry_for=(*TRANSIENT, DeliveryFailed),
             retry_backoff=True, retry_backoff_max=600, max_retries=8)
def notify_article(article_id: int, event: str, event_key: str) -> int:
    """POST an article's `event` to its team's webhooks (queue `default`); returns how many
    receivers got it this time."""
    return article_notify(article_id=article_id, event=event, event_key=event_key)
