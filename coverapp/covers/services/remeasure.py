"""Measures added to the assessment by an upgrade, taken for the assessments made before it."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np

from assessment.exposure import measure_exposure
from assessment.imageio import load_rgb
from assessment.predictor import graphic_clarity
from coverapp.covers.models import Assessment
from coverapp.covers.services.crops import stored_content

logger = logging.getLogger(__name__)


def assessments_measure_missing(assessments: Iterable[Assessment]) -> int:
    """Give each done assessment made before exposure and graphics were measured its exposure and
    graphic flag, read off its picture (inside any bars), and a graphic the clarity of its edges,
    as `assessment_run` does now; returns how many were measured. A file that can no longer be
    read is logged and left as it was."""
    measured = 0
    for assessment in assessments:
        if assessment.status != Assessment.Status.DONE or assessment.exposure is not None:
            continue
        candidate = assessment.candidate
        try:
            with candidate.file.open("rb") as stream:
                rgb = np.asarray(load_rgb(stream.read()))
        except (OSError, ValueError):
            logger.exception("assessment %s: its file could not be read again", assessment.pk)
            continue
        content = stored_content(assessment)
        if content is not None:
            rgb = rgb[content.y : content.bottom, content.x : content.right]
        assessment.exposure = measure_exposure(rgb).as_dict()
        assessment.clarity, assessment.graphic = graphic_clarity(rgb, assessment.clarity)
        assessment.save(update_fields=["exposure", "graphic", "clarity"])
        measured += 1
    return measured
