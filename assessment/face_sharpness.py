"""A blurred face: the main face soft where the rest of the photo may be sharp.

A person who moved, or a focus that fell behind them, leaves the face of a news photo blurred
while the scene stays sharp; the clarity, read across the frame, calls such a photo sharp
(`benchmarks/face_blur.py`: against WIDER FACE's people's blur labels its AUC is under 0.5 on the
whole photo). So the largest face the Haar cascades find (`faces.detect_faces`) is measured
apart; the network's face map, which the crops also heed, is left out here, as it also marks
smooth round things (a bun, a waffle, the back of a child's head) that would read as blurred faces:

- the face's box, in grey, is scaled so that its longer side is `FACE_SIDE` px (a face's detail
  is judged at one size, whatever the photo's resolution);
- its sharpness is the log ratio of its fine detail's energy to its middle detail's
  (`missed_focus.detail_bands`, over the whole face): blur takes the fine band away first,
  whatever the face's features, as `assessment.missed_focus` reads each place of a photo;
- a face under `MIN_FACE` px is too small to judge (None); one whose sharpness is under
  `FACE_BLURRED` is called blurred.

`FACE_BLURRED` lies at the 2nd percentile of the faces people labelled clear (`blur` 0 in
`faces/face_attributes.json`) of `MIN_FACE` px or more on the WIDER photos that `train
--face-hints` learns from (`sources.face_split(..., "train")`): about 1 clear face in 50 is called
blurred. `benchmarks/face_blur.py` measures how many of the faces labelled blurred it calls.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from assessment.geometry import Box
from assessment.missed_focus import detail_bands, detail_ratio

FACE_SIDE = 64  # px: the face's longer side when it is judged
MIN_FACE = 40  # px: smaller faces are not judged
FACE_BLURRED = -1.5


def face_sharpness(image: np.ndarray, face: Box) -> float | None:
    """The sharpness of `face` (a box in `image`'s pixels) in `image` ((H, W, 3) uint8 RGB): the
    log ratio of its fine to its middle detail at `FACE_SIDE` px; None for a face under
    `MIN_FACE` px (or left with less once clipped to the image)."""
    height, width = image.shape[:2]
    box = face.clamp(width, height)
    if max(box.w, box.h) < MIN_FACE or min(box.w, box.h) < 1:
        return None
    grey = cv2.cvtColor(np.ascontiguousarray(image[box.y : box.bottom, box.x : box.right]),
                        cv2.COLOR_RGB2GRAY).astype(np.float32)
    scale = FACE_SIDE / max(box.w, box.h)
    size = (max(1, round(box.w * scale)), max(1, round(box.h * scale)))
    grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    fine, middle = detail_bands(grey)
    return float(detail_ratio(np.mean(fine), np.mean(middle)))


def main_face_sharpness(image: np.ndarray, faces: Sequence[Box]) -> float | None:
    """`face_sharpness` of the largest of `faces` (None where there is none, or it is too small)."""
    if not faces:
        return None
    return face_sharpness(image, max(faces, key=lambda face: face.area))


def face_blurred(sharpness: float | None) -> bool:
    """Whether a `face_sharpness` says the face is blurred."""
    return sharpness is not None and sharpness < FACE_BLURRED
