"""Running the `assessment` package on a candidate: the only door from Django to the science.

The predictor is loaded once per worker process (`predictor()`); `assessment_run` is idempotent,
so a task delivered twice (a worker died after finishing, say) does the work only once.
"""

from __future__ import annotations

import functools
import io
import logging
import time

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from assessment.cropping import propose_crops
from assessment.detail import detail_scale
from assessment.exposure import Exposure, measure_exposure
from assessment.face_sharpness import main_face_sharpness
from assessment.faces import detect_faces
from assessment.framing import predict_framed
from assessment.imageio import load_rgb
from assessment.missed_focus import sharpness_contrast
from assessment.predictor import Prediction, load_predictor
from coverapp.covers.models import Article, Assessment
from coverapp.covers.services.crops import crops_propose, crops_store
from coverapp.covers.services.ranking import article_rank_and_notify

logger = logging.getLogger(__name__)


@functools.cache
def predictor():
    """The configured assessor, built on first use and kept for the life of the process.

    `COVERAPP_ASSESSOR` "auto" picks the network when `COVERAPP_CHECKPOINT` exists, otherwise the
    classical assessor (variance of the Laplacian + spectral-residual saliency).
    `COVERAPP_MIRROR` false serves the network's one-pass masks, at half the compute;
    `COVERAPP_REFINE` false leaves them unrefined by GrabCut.
    """
    kind = settings.COVERAPP_ASSESSOR
    if kind == "auto":
        kind = "network" if settings.COVERAPP_CHECKPOINT.is_file() else "classical"
    loaded = load_predictor(checkpoint=settings.COVERAPP_CHECKPOINT,
                            device=settings.COVERAPP_DEVICE, kind=kind,
                            mirror=settings.COVERAPP_MIRROR, refine=settings.COVERAPP_REFINE)
    logger.info("assessor loaded: %s %s", loaded.name, loaded.version)
    return loaded


def assessment_run(*, assessment_id: int) -> Assessment | None:
    """Assess one candidate: clarity, foreground mask, faces, one crop per slot ratio; then rank
    the article again. A finished assessment is returned untouched; None when an editor removed
    the candidate before or while it was assessed (the result is dropped).

    A failure of the science (an undecodable file, a model error) marks the row failed with the
    reason and does not raise; database errors do raise, so the task can retry.
    """
    assessment = _claim(assessment_id)
    if assessment is None:
        return None
    if assessment.status in (Assessment.Status.DONE, Assessment.Status.FAILED):
        return assessment
    if settings.COVERAPP_ASSESS_PAUSE_S:
        time.sleep(settings.COVERAPP_ASSESS_PAUSE_S)
    candidate = assessment.candidate
    try:
        with candidate.file.open("rb") as stream:
            image = load_rgb(stream.read())
        rgb = np.asarray(image)
        assessor = predictor()
        faces = detect_faces(rgb)
        started = time.perf_counter()  # inference only: the first call also loads the model
        prediction = predict_framed(assessor, [image], faces=[faces])[0]
        inference_ms = (time.perf_counter() - started) * 1000.0
        content = prediction.content
        crops = propose_crops(prediction.foreground, faces=prediction.faces,
                              ratios=candidate.article.slot_ratios, image_size=image.size,
                              focus=candidate.focus, content=content,  # kept by a redo
                              panels=prediction.panels, overlays=prediction.overlays)
        inside = np.s_[content.y : content.bottom, content.x : content.right]
        picture = rgb[inside]
        detail = detail_scale(picture)
        exposure = measure_exposure(picture, subject=prediction.foreground[inside])
        focus = sharpness_contrast(picture, prediction.foreground[inside])
        face = main_face_sharpness(rgb, faces)  # the cascades' faces only
    except Exception as error:  # noqa: BLE001 - any science failure is reported, not retried
        logger.exception("assessment %s failed", assessment_id)
        return _fail(assessment, error)
    # One transaction: a worker dying part-way leaves the row unfinished, so the redelivered
    # task redoes all of it, ranking and notification included.
    with transaction.atomic():
        if not _still_there(assessment):
            return None
        # The slot ratios as they are now: an editor may have added one while this ran.
        ratios = (Article.objects.select_for_update().values_list("slot_ratios", flat=True)
                  .get(pk=candidate.article_id))
        _record(assessment, prediction=prediction, model=assessor, inference_ms=inference_ms,
                detail=detail, exposure=exposure, focus=focus, face=face)
        crops_store(candidate=candidate, crops=crops)
        added = [ratio for ratio in ratios if ratio not in crops]
        if added:
            crops_propose(candidate=candidate, foreground=prediction.foreground,
                          faces=prediction.faces, content=content, panels=prediction.panels,
                          overlays=prediction.overlays, ratios=added)
        article_rank_and_notify(article_id=candidate.article_id)
    assessment.refresh_from_db()
    return assessment


def _claim(assessment_id: int) -> Assessment | None:
    """Mark the assessment running (unless finished) and count the attempt, committed at once so
    the UI sees progress and a crashed attempt stays visible. None if the candidate is gone."""
    with transaction.atomic():
        assessment = (Assessment.objects.select_for_update()
                      .select_related("candidate__article").filter(pk=assessment_id).first())
        if assessment is None:
            logger.info("assessment %s: its candidate was removed, nothing to do", assessment_id)
            return None
        if assessment.status in (Assessment.Status.DONE, Assessment.Status.FAILED):
            return assessment
        assessment.status = Assessment.Status.RUNNING
        assessment.attempts += 1
        assessment.started_at = timezone.now()
        assessment.save(update_fields=["status", "attempts", "started_at"])
    return assessment


def _record(assessment: Assessment, *, prediction: Prediction, model,
            inference_ms: float, detail: float, exposure: Exposure,
            focus: float | None, face: float | None) -> None:
    semantics = prediction.semantics
    mask = Image.fromarray(np.clip(prediction.foreground * 255.0 + 0.5, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    mask.save(buffer, format="PNG")
    # Replace, not add: a crashed attempt may have written this file without committing the row.
    name = assessment.mask.field.generate_filename(assessment, f"{assessment.pk}.png")
    assessment.mask.storage.delete(name)
    assessment.mask.save(f"{assessment.pk}.png", ContentFile(buffer.getvalue()), save=False)
    assessment.model_name = str(model.name)
    assessment.model_version = str(model.version)
    assessment.clarity = float(prediction.clarity)
    assessment.graphic = prediction.graphic
    assessment.detail_scale = detail
    assessment.sharpness_contrast = focus
    assessment.face_sharpness = face
    assessment.exposure = exposure.as_dict()
    assessment.object_proportion = float(semantics.object_proportion)
    assessment.centroid_x, assessment.centroid_y = (
        semantics.centroid if semantics.centroid is not None else (None, None))
    assessment.bbox = semantics.bbox.as_list() if semantics.bbox is not None else None
    assessment.faces = [face.as_list() for face in prediction.faces]
    assessment.content_box = prediction.content.as_list()
    assessment.panels = [panel.as_list() for panel in prediction.panels]
    assessment.overlays = [block.as_list() for block in prediction.overlays]
    assessment.inference_ms = inference_ms
    assessment.status = Assessment.Status.DONE
    assessment.error = ""
    assessment.finished_at = timezone.now()
    assessment.save()


def _still_there(assessment: Assessment) -> bool:
    """Lock the row for the result about to be saved; False if the candidate was removed
    meanwhile (`candidate_remove` takes the same lock)."""
    if Assessment.objects.select_for_update().filter(pk=assessment.pk).exists():
        return True
    logger.info("assessment %s: its candidate was removed while assessed, result dropped",
                assessment.pk)
    return False


def _fail(assessment: Assessment, error: Exception) -> Assessment | None:
    assessment.status = Assessment.Status.FAILED
    assessment.error = f"{type(error).__name__}: {error}"[:2000]
    assessment.finished_at = timezone.now()
    with transaction.atomic():
        if not _still_there(assessment):
            return None
        assessment.save(update_fields=["status", "error", "finished_at"])
        article_rank_and_notify(article_id=assessment.candidate.article_id)
    return assessment
