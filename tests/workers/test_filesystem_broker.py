"""`make run`'s defaults: kombu's filesystem broker (no server) with a real worker process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coverapp.covers.models import Assessment
from coverapp.covers.services.articles import article_create
from coverapp.covers.services.teams import team_create
from coverapp.covers.services.uploads import candidate_upload
from tests.conftest import encode, photo
from tests.workers.conftest import REPO, wait_for, worker_database_url

pytestmark = pytest.mark.slow

SEND = "from workers.celery import app; import sys; app.send_task({task!r}, args=[int(sys.argv[1])])"


def test_a_task_sent_through_the_filesystem_broker_is_done(start_worker, settings, tmp_path):
    article = article_create(team=team_create(name="Daily Star"), created_by=None, title="Fog",
                             slot_ratios=["1:1"])
    upload = SimpleUploadedFile("fog.jpg", encode(photo(seed=4)))
    candidate = candidate_upload(article=article, files=[upload], uploaded_by=None)[0].candidate
    defaults = {"DJANGO_SETTINGS_MODULE": "coverapp.settings.base",
                "CELERY_BROKER_URL": "filesystem://",
                "COVERAPP_VAR_DIR": str(tmp_path / "var"), "COVERAPP_ASSESSOR": "classical"}

    worker = start_worker(**defaults)
    subprocess.run(
        [sys.executable, "-c", SEND.format(task="workers.tasks.assess_image"),
         str(candidate.assessment.pk)],
        cwd=REPO, check=True, timeout=120,
        env={**os.environ, **defaults, "DATABASE_URL": worker_database_url()})

    wait_for(lambda: Assessment.objects.get(pk=candidate.assessment.pk).status == "done",
             timeout=120, what="the assessment over the filesystem broker", worker=worker)
    assert "filesystem://" in worker.log.read_text()
