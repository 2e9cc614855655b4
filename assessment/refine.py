"""Completing the network's foreground map from the photo's own colours with GrabCut.

The network's misses on val are whole regions (a part of the subject left out) more than blurred
edges, which is why a guided filter did not help. GrabCut (Rother et al., 2004) fits a colour model
to what the map is sure of and lets a graph cut decide the rest, so a part of the subject in the
subject's own colours that the map half-marked joins it. Seeds: pixels the map is sure of
(p ≤ `sure` or p ≥ 1 − `sure`) are fixed, the rest start on their side of 0.5.

Where the cut says subject the map is raised halfway to 1; where it says background the map is
lowered by `LOWER` of the way to 0, except in the head and chest ellipses of the faces known
(`faces.face_cores`, `faces.torso_cores`), which the cut may never take away. The first version
only added: a cut that could also remove, before faces were known to the refinement, dropped faces
and heads whose colours the background shares (people photos: faces the map left unmarked rose
from 8 % to 17 %; phase-9 checkpoint, README "GrabCut refinement"). With the faces guarded it
lowers the maps' over-marking instead (phase 30 in docs/training-history.md; `LOWER` chosen on the
training masks). The other defaults were chosen on `sod/val` and `fg/val` among working sides
128–384, `sure` 0.02–0.1 and 1–10 iterations: more iterations than one, or a side above 256 px,
cost time and gave no more.

Faces found in the photo (`faces`, in its pixels) are subject for sure: the core of each
(`faces.face_cores`) is set to 1 before the cut, so it is kept, seeds the subject's colour model,
and the cut may grow from it into the pixels the map was not sure of. On the held-out WIDER people
photos the share of human face boxes the served mask leaves out fell from 7.8 % to 2.4 % with Haar
faces (README "Faces in the refinement").
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from assessment.faces import face_cores, torso_cores
from assessment.geometry import Box

SURE = 0.02
WORKING_SIDE = 256
ITERATIONS = 1
LOWER = 0.5  # of the way to 0 where the cut says background (phase 30)
# GrabCut fits a 5-component colour mixture to each side and needs at least that many pixels.
_MIN_SIDE_PIXELS = 5


def grabcut_refine(
    image: np.ndarray,
    probability: np.ndarray,
    *,
    faces: Sequence[Box] = (),
    sure: float = SURE,
    side: int = WORKING_SIDE,
    iterations: int = ITERATIONS,
    lower: float = LOWER,
    seed: int = 0,
) -> np.ndarray:
    """`probability` ((H, W) float in [0, 1]) raised halfway to 1 where GrabCut's cut of `image`
    ((H, W, 3) uint8), seeded from it, finds the subject, and lowered by `lower` of the way to 0
    where it finds background, except in the head and chest ellipses of `faces`; (H, W) float32.
    The cut runs with the image shrunk to a `side`-px long side, seeded with `seed` (the same input
    always gives the same map). The cores of `faces` (boxes in the image's pixels) are 1 in the
    map the cut starts from and in the result. A map with too few pixels on either side of 0.5 for
    a colour model comes back unchanged (with its faces' cores)."""
    if not 0.0 <= sure < 0.5:
        raise ValueError(f"sure must lie in [0, 0.5), got {sure}")
    if not 0.0 <= lower <= 1.0:
        raise ValueError(f"lower must lie in [0, 1], got {lower}")
    if image.shape[:2] != probability.shape or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(
            f"need an (H, W, 3) image and an (H, W) map, got {image.shape} and {probability.shape}"
        )
    probability = probability.astype(np.float32, copy=False)
    cores = face_cores(probability.shape, faces)  # all false without faces
    probability = np.maximum(probability, cores)
    height, width = probability.shape
    scale = min(1.0, side / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small_image = cv2.resize(image, size, interpolation=cv2.INTER_AREA) if scale < 1 else image
    small_map = cv2.resize(probability, size, interpolation=cv2.INTER_AREA) if scale < 1 else probability
    seeds = np.where(small_map >= 0.5, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    seeds[small_map >= 1.0 - sure] = cv2.GC_FGD
    seeds[small_map <= sure] = cv2.GC_BGD
    foreground = int(np.count_nonzero(small_map >= 0.5))
    if min(foreground, small_map.size - foreground) < _MIN_SIDE_PIXELS:
        return probability
    cv2.setRNGSeed(seed)
    cv2.grabCut(
        np.ascontiguousarray(small_image),
        seeds,
        None,
        np.zeros((1, 65), np.float64),
        np.zeros((1, 65), np.float64),
        iterations,
        cv2.GC_INIT_WITH_MASK,
    )
    cut = ((seeds == cv2.GC_FGD) | (seeds == cv2.GC_PR_FGD)).astype(np.float32)
    if scale < 1:
        cut = cv2.resize(cut, (width, height), interpolation=cv2.INTER_LINEAR)
    background = 1.0 - cut
    background[cores | torso_cores(probability.shape, faces)] = 0  # a known face is never lowered
    return probability + cut * (1.0 - probability) / 2 - background * probability * lower
