"""Work is never lost to the broker: an unreachable broker is survived, lost tasks re-sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError

from coverapp.covers.models import Assessment
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.queueing import ASSESS_IMAGE
from coverapp.covers.services.uploads import candidate_upload
from tests.conftest import encode, photo


@pytest.fixture
def assessments(team, editor):
    article = article_create(team=team, created_by=editor, title="Drought")
    files = [SimpleUploadedFile(f"{seed}.jpg", encode(photo(seed=seed))) for seed in range(3)]
    candidate_upload(article=article, files=files, uploaded_by=editor)
    return list(Assessment.objects.order_by("pk"))


def test_an_upload_survives_an_unreachable_broker(api, team, editor, monkeypatch,
                                                  django_capture_on_commit_callbacks, caplog):
    def broker_down(name, args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("workers.celery.app.send_task", broker_down)
    article = article_create(team=team, created_by=editor, title="Wildfire")

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/articles/{article.pk}/upload/",
                            {"files": [SimpleUploadedFile("a.jpg", encode(photo()))]},
                            format="multipart")

    assert response.status_code == 201
    assert Assessment.objects.get().status == "queued"
    assert "assessments_requeue" in caplog.text


def test_requeue_sends_only_stale_unfinished_assessments(assessments, sent, capsys):
    stale_queued, stale_running, fresh = assessments
    hour_ago = timezone.now() - timedelta(hours=1)
    Assessment.objects.filter(pk=stale_queued.pk).update(queued_at=hour_ago)
    Assessment.objects.filter(pk=stale_running.pk).update(status="running", started_at=hour_ago,
                                                          queued_at=hour_ago)
    Assessment.objects.filter(pk=fresh.pk).update(status="done", queued_at=hour_ago)

    call_command("assessments_requeue", "--minutes", "30")

    assert sent == [(ASSESS_IMAGE, stale_queued.pk), (ASSESS_IMAGE, stale_running.pk)]
    assert "queued again: 2" in capsys.readouterr().out


def test_a_failed_assessment_is_queued_again_on_retry(api, assessments, sent,
                                                      django_capture_on_commit_callbacks):
    failed = assessments[0]
    Assessment.objects.filter(pk=failed.pk).update(status="failed", error="MemoryError: ",
                                                   finished_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/candidates/{failed.candidate_id}/retry/")

    assert response.status_code == 202, response.json()
    assert response.json()["assessment"]["status"] == "queued"
    failed.refresh_from_db()
    assert (failed.status, failed.error, failed.finished_at) == ("queued", "", None)
    assert sent == [(ASSESS_IMAGE, failed.pk)]


def test_only_a_failed_assessment_can_be_retried(api, assessments, sent):
    response = api.post(f"/api/candidates/{assessments[1].candidate_id}/retry/")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "only a failed assessment can be retried; this one is queued")
    assert sent == []
