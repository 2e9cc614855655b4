"""Hand work to Celery only once the rows it needs are committed."""

from __future__ import annotations

from django.db import transaction

ASSESS_IMAGE = "workers.tasks.assess_image"
NOTIFY_ARTICLE_ASSESSED = "workers.tasks.notify_article_assessed"


def enqueue_on_commit(task_name: str, *args: object) -> None:
    """Send `task_name(*args)` to its queue after the current transaction commits (at once when
    none is open), so a worker never reads a row that was rolled back."""
    from workers.celery import app

    transaction.on_commit(lambda: app.send_task(task_name, args=args))
