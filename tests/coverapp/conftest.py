"""Fixtures and helpers of the domain tests."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from coverapp.covers.models import Article, CandidateImage
from coverapp.covers.services import assessment_run
from coverapp.covers.services.crops import crops_propose
from coverapp.covers.services.uploads import candidate_upload
from tests.conftest import encode, photo


@pytest.fixture
def classical_assessor(settings):
    """The fast classical assessor, in-process; the network is exercised by the end-to-end test."""
    settings.COVERAPP_ASSESSOR = "classical"
    assessment_run.predictor.cache_clear()
    yield
    assessment_run.predictor.cache_clear()


@pytest.fixture
def sent(monkeypatch) -> list[tuple]:
    """The tasks sent to the broker, as (task name, *args), instead of sending them."""
    calls: list[tuple] = []
    monkeypatch.setattr("workers.celery.app.send_task",
                        lambda name, args: calls.append((name, *args)))
    return calls


def uploaded_and_assessed(article: Article, editor, files) -> list[CandidateImage]:
    """The candidates of `files` uploaded to `article`, each assessed in-process in turn (use
    with `classical_assessor`), their assessments read back."""
    candidates = [outcome.candidate for outcome in
                  candidate_upload(article=article, files=files, uploaded_by=editor)]
    for candidate in candidates:
        assessment_run.assessment_run(assessment_id=candidate.assessment.pk)
    for candidate in candidates:
        candidate.assessment.refresh_from_db()
    return candidates


def two_assessed_candidates(article: Article, editor) -> list[CandidateImage]:
    """Two different-looking photos uploaded to `article` and assessed in-process (use with
    `classical_assessor`)."""
    files = [SimpleUploadedFile(f"{seed}.jpg", encode(photo(400, 300, seed=seed,
                                                            subject=(0.3 + 0.4 * seed, 0.5))))
             for seed in range(2)]
    return uploaded_and_assessed(article, editor, files)


def store_mask(candidate: CandidateImage, parts: list[tuple[int, int, int, int]]) -> None:
    """Replace the assessed `candidate`'s stored mask with `parts` ([x, y, w, h] boxes of
    foreground) and its faces with none, and propose its crops from them: crops to predict."""
    candidate.refresh_from_db()
    assessment = candidate.assessment
    assert assessment.status == "done", assessment.error
    mask = np.zeros((candidate.height, candidate.width), np.uint8)
    for x, y, w, h in parts:
        mask[y:y + h, x:x + w] = 255
    buffer = io.BytesIO()
    Image.fromarray(mask).save(buffer, format="PNG")
    assessment.mask.save("parts.png", ContentFile(buffer.getvalue()), save=False)
    assessment.faces = []
    assessment.save()
    crops_propose(candidate=candidate, foreground=mask / 255.0, faces=[], content=None,
                  ratios=candidate.article.slot_ratios)
