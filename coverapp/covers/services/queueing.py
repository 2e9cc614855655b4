"""Hand work to Celery only once the rows it needs are committed, and hand it again when a
broker lost it or an editor retries a failure."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from coverapp.covers.models import Assessment

ASSESS_IMAGE = "workers.tasks.assess_image"
NOTIFY_ARTICLE = "workers.tasks.notify_article"

logger = logging.getLogger(__name__)


def enqueue_on_commit(task_name: str, *args: object) -> None:
    """Send `task_name(*args)` to its queue after the current transaction commits (at once when
    none is open), so a worker never reads a row that was rolled back.

    An unreachable broker is logged, not raised: the rows are safe and `assessments_requeue`
    sends the work again."""
    transaction.on_commit(lambda: _send(task_name, args))


def assessment_retry(*, assessment: Assessment) -> Assessment:
    """Queue a failed assessment again (after a passing fault, or once its cause is fixed).
    Refused with a `ValidationError` unless it failed: finished work is not redone."""
    return _queue_again(assessment, Assessment.Status.FAILED,
                        "only a failed assessment can be retried")


def assessment_redo(*, assessment: Assessment) -> Assessment:
    """Queue a done assessment again from the start (an upgrade finds more in its picture than
    the assessment could: see `remeasure.assessments_upgrade`). Refused with a
    `ValidationError` unless it is done."""
    return _queue_again(assessment, Assessment.Status.DONE, "only a done assessment can be redone")


def _queue_again(assessment: Assessment, status: str, refusal: str) -> Assessment:
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status != status:
            raise ValidationError(f"{refusal}; this one is {locked.status}")
        locked.status, locked.error = Assessment.Status.QUEUED, ""
        locked.queued_at, locked.finished_at = timezone.now(), None
        locked.save(update_fields=["status", "error", "queued_at", "finished_at"])
        enqueue_on_commit(ASSESS_IMAGE, locked.pk)
    return locked


def assessments_requeue(*, older_than: timedelta) -> list[int]:
    """Send again every assessment queued, or running, for longer than `older_than` (its task
    was lost: broker down at upload time, or a worker died on a broker that cannot redeliver).
    Safe to repeat: `assessment_run` skips finished work. Returns the assessment ids sent."""
    cutoff = timezone.now() - older_than
    stale = Assessment.objects.filter(
        Q(status=Assessment.Status.QUEUED, queued_at__lt=cutoff)
        | Q(status=Assessment.Status.RUNNING, started_at__lt=cutoff))
    ids = list(stale.order_by("pk").values_list("pk", flat=True))
    for assessment_id in ids:
        _send(ASSESS_IMAGE, (assessment_id,))
    return ids


def _send(task_name: str, args: tuple) -> None:
    from workers.celery import app

    try:
        app.send_task(task_name, args=args)
    except BrokerUnreachable:
        logger.exception("could not queue %s%s; run `manage.py assessments_requeue` once the "
                         "broker is back", task_name, args)
