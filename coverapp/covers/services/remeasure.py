"""What an upgrade changed in the assessment, brought to the assessments made before it."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from assessment.collages import collage_panels
from assessment.exposure import measure_exposure
from assessment.face_sharpness import main_face_sharpness
from assessment.faces import detect_faces
from assessment.framing import content_box
from assessment.geometry import Box
from assessment.imageio import load_rgb
from assessment.missed_focus import sharpness_contrast
from assessment.overlays import overlay_text
from assessment.predictor import graphic_clarity
from coverapp.covers.models import Assessment
from coverapp.covers.services.crops import (
    crops_propose_stored,
    stored_content,
    stored_foreground,
)
from coverapp.covers.services.queueing import assessment_redo

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upgraded:
    """How many assessments were measured for exposure, graphics, a collage, text over the picture
    or the sharpness of their subject or largest face, queued again (their picture found anew),
    and given the model's crops anew."""

    measured: int = 0
    redone: int = 0
    cropped: int = 0

    def __add__(self, other: Upgraded) -> Upgraded:
        return Upgraded(self.measured + other.measured, self.redone + other.redone,
                        self.cropped + other.cropped)


def assessments_upgrade(assessments: Iterable[Assessment]) -> Upgraded:
    """Bring each done assessment up to what `assessment_run` does now, reading its file again:

    * where the picture inside bars, a blurred fill or a caption strip is found where it was not
      (or elsewhere), the assessment is queued again: clarity, mask and crops were of the bars;
    * otherwise one made before exposure and graphics were measured gets its exposure and graphic
      flag, read off its picture, and a graphic the clarity of its edges; one made before the
      subject's burnt-out share was measured, that share, read off its picture under its stored
      mask; one made before collages were looked for, the photos of its collage (none for one
      photo); one made before text laid over the picture was looked for, its blocks of such text;
      one without the sharpness of its subject against its background (made before it was
      measured, or where it could not be judged), that contrast where it can be judged now; one
      without the sharpness of its largest face, that of the largest face the cascades find in
      its file now, where one can be judged;
    * and the model's crop of every slot is proposed again from the stored mask and faces (the
      crop rules may have changed; an editor's crops stay in force).

    A file that can no longer be read is logged and left as it was."""
    upgraded = Upgraded()
    for assessment in assessments:
        if assessment.status != Assessment.Status.DONE:
            continue
        candidate = assessment.candidate
        try:
            with candidate.file.open("rb") as stream:
                rgb = np.asarray(load_rgb(stream.read()))
        except (OSError, ValueError):
            logger.exception("assessment %s: its file could not be read again", assessment.pk)
            continue
        content = stored_content(assessment) or Box(0, 0, rgb.shape[1], rgb.shape[0])
        if content_box(rgb) != content:  # the whole image's box and None say the same
            assessment_redo(assessment=assessment)
            upgraded += Upgraded(redone=1)
            continue
        inside = np.s_[content.y : content.bottom, content.x : content.right]
        picture = rgb[inside]
        measured = []
        if assessment.exposure is None:
            assessment.clarity, assessment.graphic = graphic_clarity(picture, assessment.clarity)
            measured += ["graphic", "clarity"]
        unclipped = assessment.exposure is None or "subject_clipped" not in assessment.exposure
        if unclipped or assessment.sharpness_contrast is None:  # both read under the stored mask
            subject = stored_foreground(assessment)[inside]
        if unclipped:
            assessment.exposure = measure_exposure(picture, subject=subject).as_dict()
            measured.append("exposure")
        if assessment.sharpness_contrast is None:  # stays None where it cannot be judged
            assessment.sharpness_contrast = sharpness_contrast(picture, subject)
            if assessment.sharpness_contrast is not None:
                measured.append("sharpness_contrast")
        if assessment.face_sharpness is None and assessment.faces:  # None: no face judged
            assessment.face_sharpness = main_face_sharpness(rgb, detect_faces(rgb))
            if assessment.face_sharpness is not None:
                measured.append("face_sharpness")
        if assessment.panels is None:
            assessment.panels = [panel.shifted(content.x, content.y).as_list()
                                 for panel in collage_panels(picture)]
            measured.append("panels")
        if assessment.overlays is None:
            assessment.overlays = [block.shifted(content.x, content.y).as_list()
                                   for block in overlay_text(picture)]
            measured.append("overlays")
        if measured:
            assessment.save(update_fields=measured)
            upgraded += Upgraded(measured=1)
        crops_propose_stored(assessment=assessment, ratios=candidate.article.slot_ratios)
        upgraded += Upgraded(cropped=1)
    return upgraded
