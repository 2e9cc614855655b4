"""Task options and routing, run in-process (no broker)."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from workers import tasks
from workers.celery import app


@pytest.mark.parametrize(("task", "queue"), [(tasks.assess_image, "gpu"),
                                             (tasks.notify_article, "default")])
def test_tasks_survive_a_dead_worker_and_go_to_their_queue(task, queue):
    assert task.acks_late and task.reject_on_worker_lost
    assert app.amqp.router.route({}, task.name)["queue"].name == queue


def test_worker_takes_one_task_at_a_time(settings):
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_a_database_outage_is_retried_then_given_up(monkeypatch):
    calls = []

    def unavailable(**kwargs):
        calls.append(kwargs)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(tasks, "assessment_run", unavailable)

    result = tasks.assess_image.apply(args=[1])  # eager: the retries run at once, in turn

    assert len(calls) == tasks.assess_image.max_retries + 1
    assert result.state == "FAILURE"


def test_an_id_that_is_gone_ends_quietly(db):
    result = tasks.assess_image.apply(args=[987654])  # a removed candidate's task

    assert (result.state, result.result) == ("SUCCESS", "removed")
