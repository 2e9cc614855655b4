"""A worker killed in the middle of a task loses nothing: a new worker finishes it, once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coverapp.covers.models import Assessment, CropProposal, WebhookDelivery
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.teams import team_create
from coverapp.covers.services.uploads import candidate_upload
from coverapp.covers.services.webhooks import webhook_register
from tests.conftest import encode, photo
from tests.workers.conftest import wait_for

pytestmark = pytest.mark.slow

# Short enough that the second worker restores the dead worker's unacknowledged task quickly.
REDELIVER_AFTER_S = "3"


def test_killed_worker_task_is_finished_exactly_once_by_the_next(start_worker, broker,
                                                                 webhook_receiver):
    team = team_create(name="Gotham Gazette")
    webhook_register(team=team, url=webhook_receiver.url)
    article = article_create(team=team, created_by=None, title="Blackout",
                             slot_ratios=["16:9", "4:3"])
    upload = SimpleUploadedFile("street.jpg", encode(photo(400, 300)))
    candidate = candidate_upload(article=article, files=[upload], uploaded_by=None)[0].candidate
    assessment = Assessment.objects.get(candidate=candidate)

    def state() -> tuple[str, int]:
        assessment.refresh_from_db()
        return assessment.status, assessment.attempts

    doomed = start_worker(pool="solo", COVERAPP_ASSESS_PAUSE_S="600",
                          COVERAPP_ASSESSOR="classical",
                          COVERAPP_BROKER_VISIBILITY_TIMEOUT_S=REDELIVER_AFTER_S)
    wait_for(lambda: state() == ("running", 1), timeout=120, what="the first worker to start",
             worker=doomed)
    doomed.kill()

    rescuer = start_worker(pool="solo", COVERAPP_ASSESSOR="classical",
                           COVERAPP_BROKER_VISIBILITY_TIMEOUT_S=REDELIVER_AFTER_S)
    wait_for(lambda: state()[0] == "done", timeout=120, what="the second worker to finish",
             worker=rescuer)
    wait_for(lambda: len(webhook_receiver.requests) == 1, timeout=60, what="the webhook",
             worker=rescuer)
    wait_for(broker.holds_no_task, timeout=30, what="the broker to hold no task", worker=rescuer)

    assert state() == ("done", 2)
    assert sorted(CropProposal.objects.values_list("ratio", flat=True)) == ["16:9", "4:3"]
    assert assessment.mask.storage.exists(assessment.mask.name)
    assert WebhookDelivery.objects.get().attempts == 1
    assert len(webhook_receiver.requests) == 1
