"""Face detection for face-safe crops and the ranking's face reasons.

Uses the frontal-face Haar cascade (Viola & Jones 2001) that ships inside opencv-python-headless
(``cv2.data.haarcascades``): nothing is downloaded at run time. A network trained with a face map
(``train --face-head``) finds faces too: ``faces_from_map`` reads its boxes from that map, and
``merge_faces`` joins them with the cascades'.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from assessment.geometry import Box

CASCADE_FILE = "haarcascade_frontalface_default.xml"
PROFILE_CASCADE_FILE = "haarcascade_profileface.xml"
#: Images are searched at most this long side (px); boxes are mapped back to the input's pixels.
DETECTION_LONG_SIDE = 1024
#: Smallest face searched for, in pixels of the searched image.
MIN_FACE_PX = 20
#: The part of a face box surely on the person, whatever the box's margins: an ellipse about the
#: box's centre with these shares of its width and height as semi-axes.
CORE_AXES = (0.35, 0.4)
#: Below a face, the part of the person's chest surely on them: an ellipse whose centre lies this
#: many face heights under the face box's bottom, with these shares of the face box's width and
#: height as semi-axes (shoulders span about three face widths, so it stays inside the body).
TORSO_DROP = 1.2
TORSO_AXES = (0.8, 1.0)
#: A face map's region smaller than this (pixels of the map) is not taken for a face.
FACE_MAP_MIN_CORE_PX = 6
#: Nor is one whose most certain pixel is below this. Chosen on the WIDER photos training sees
#: and the `sod/train` + `fg/train` photos (phase 16's map, README "Phase 16"): of the regions at
#: 0.5, it keeps 73% of those on a person's face box and 17% of those on the mask photos.
FACE_MAP_MIN_PEAK = 0.9
#: Nor is one that fills less than this share of the ellipse in its bounding box: the map learns
#: elliptic cores, and a sprawling region is a body or a thing. Chosen on the same kind of training
#: photos (the map of phase 17's run B, README "Phase 17"): with the 0.9 rule it keeps 126 of the
#: 129 regions on a person's face and 103 of the 149 others (46 of 73 on people photos, 57 of 76
#: on photos seen to show no face).
FACE_MAP_MIN_FILL = 0.7
#: A face map's region at 0.5 is this many times the core ellipse it was taught, in width and in
#: height: the map's edge is soft and reaches past the core. Fitted on the 458 regions of the
#: committed map matched to a person's face box on the WIDER photos training sees (median width
#: ratio 1.33, height 1.31, centres within 3% of a face height), so a region's box comes out the
#: size of the people's boxes (README "A margin round each face, and face-map boxes the people's
#: size").
FACE_MAP_REGION_GROWTH = 1.3
#: Where a person may be, from their face box: this many face widths to each side of the box (arms
#: held out, a shoulder turned), from this many face heights above it (hair, a hat) down to the
#: image's bottom edge. Outside every boxed face's reach a people photo shows no person.
PERSON_SIDE = 1.5
PERSON_ABOVE = 1.0
#: A standing person reaches about this many face heights below the face's box.
BODY_FACE_HEIGHTS = 6.0
#: A face whose centre lies from this many face heights below another face's box down to the
#: other's ``BODY_FACE_HEIGHTS``, within ``ON_BODY_SIDE`` of its widths of its centre line, lies on
#: that face's person's body: a chest, a lap, knees, the floor between the feet (``on_a_body``).
ON_BODY_BELOW = 0.5
ON_BODY_SIDE = 1.0


@lru_cache(maxsize=2)
def _cascade(name: str = CASCADE_FILE) -> cv2.CascadeClassifier:
    path = Path(cv2.data.haarcascades) / name
    cascade = cv2.CascadeClassifier(str(path))
    if cascade.empty():
        raise RuntimeError(f"cannot load OpenCV's face cascade from {path}; reinstall opencv")
    return cascade


def detect_faces(image: np.ndarray, *, min_neighbors: int = 5, profiles: bool = True) -> list[Box]:
    """Faces in an RGB image, largest first.

    ``image``: (H, W, 3) uint8 RGB. Returns boxes in the image's pixels, clamped to it.
    ``min_neighbors``: the cascade's vote threshold (higher: fewer false faces, more misses).
    ``profiles``: also run the profile-face cascade on the image and its mirror (finds ~20% more
    of the WIDER faces in ``faces/``, at about five times the time); overlapping finds merge.
    """
    rgb = np.asarray(image)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(
            f"detect_faces expects an (H, W, 3) uint8 RGB array, got shape {rgb.shape} "
            f"dtype {rgb.dtype}"
        )
    height, width = rgb.shape[:2]
    scale = min(1.0, DETECTION_LONG_SIDE / max(height, width))
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if scale < 1.0:
        grey = cv2.resize(
            grey, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
        )
    grey = cv2.equalizeHist(grey)
    found = _search(grey, CASCADE_FILE, min_neighbors)
    if profiles:
        found += _search(grey, PROFILE_CASCADE_FILE, min_neighbors)
        mirrored = _search(np.ascontiguousarray(grey[:, ::-1]), PROFILE_CASCADE_FILE, min_neighbors)
        found += [Box(grey.shape[1] - b.right, b.y, b.w, b.h) for b in mirrored]
    boxes = [b.scaled(1 / scale, 1 / scale).clamp(width, height) for b in found]
    return _merge_overlapping(sorted((b for b in boxes if b.area > 0), key=lambda b: -b.area))


def face_cores(shape: tuple[int, int], faces: Iterable[Box]) -> np.ndarray:
    """An (H, W) bool map of `shape`, true inside the core ellipse (`CORE_AXES`) of each face."""
    return _ellipses(shape, faces, drop=-0.5, axes=CORE_AXES)


def torso_cores(shape: tuple[int, int], faces: Iterable[Box]) -> np.ndarray:
    """An (H, W) bool map of `shape`, true inside the chest ellipse under each face (`TORSO_DROP`,
    `TORSO_AXES`); cut by the image's edges."""
    return _ellipses(shape, faces, drop=TORSO_DROP, axes=TORSO_AXES)


def person_reach(shape: tuple[int, int], faces: Iterable[Box]) -> np.ndarray:
    """An (H, W) bool map of `shape`, true where the person of some face may be (`PERSON_SIDE`,
    `PERSON_ABOVE`): a band under each face down to the image's bottom edge."""
    height, width = shape
    reach = np.zeros(shape, bool)
    for face in faces:
        left = max(0, math.floor(face.x - PERSON_SIDE * face.w))
        right = min(width, math.ceil(face.right + PERSON_SIDE * face.w))
        top = max(0, math.floor(face.y - PERSON_ABOVE * face.h))
        reach[top:, left:right] = True
    return reach


def on_a_body(faces: Sequence[Box], panels: Sequence[Box] = ()) -> list[bool]:
    """Per face: whether it lies on the body of another face's person (``ON_BODY_BELOW``,
    ``ON_BODY_SIDE``), below that face's box and in the same photo of a collage of ``panels``.
    A detector's false faces lie there (a backpack, an abdomen, boots, a patch of floor; README
    "Faces on a body"), as do a child held and, now and then, a front row's face; a crop keeps
    such a face whole or leaves it out, but does not steer by it. The topmost face is never on a
    body."""
    def photo(face: Box) -> int:
        x, y = face.center
        return next((i for i, p in enumerate(panels) if p.x <= x < p.right and p.y <= y < p.bottom),
                    -1)

    return [any(other is not face and face.y >= other.bottom and photo(face) == photo(other)
                and other.bottom + ON_BODY_BELOW * other.h <= face.center[1]
                <= other.bottom + BODY_FACE_HEIGHTS * other.h
                and abs(face.center[0] - other.center[0]) <= ON_BODY_SIDE * other.w
                for other in faces)
            for face in faces]


def _ellipses(
    shape: tuple[int, int], faces: Iterable[Box], *, drop: float, axes: tuple[float, float]
) -> np.ndarray:
    """True inside one ellipse per face: centred on the face's vertical axis, `drop` face heights
    below its bottom edge, with semi-axes of `axes` times its width and height."""
    cores = np.zeros(shape, np.uint8)
    for face in faces:
        centre = (round(face.x + face.w / 2), round(face.bottom + drop * face.h))
        semi = (max(1, round(face.w * axes[0])), max(1, round(face.h * axes[1])))
        cv2.ellipse(cores, centre, semi, 0, 0, 360, 1, thickness=-1)
    return cores.astype(bool)


def faces_from_map(
    probability: np.ndarray,
    *,
    threshold: float = 0.5,
    min_core_px: int = FACE_MAP_MIN_CORE_PX,
    min_peak: float = FACE_MAP_MIN_PEAK,
    min_fill: float = FACE_MAP_MIN_FILL,
) -> list[Box]:
    """The faces of a face map, largest first, in the map's pixels.

    ``probability``: (H, W) in [0, 1], the chance each pixel lies in a face's core (the map a
    network learns from ``face_cores``). Every connected region at or above ``threshold`` of at
    least ``min_core_px`` pixels that reaches ``min_peak`` somewhere and fills at least ``min_fill``
    of the ellipse inscribed in its bounding box (a quarter of a face cut by the image's corner
    fills its box's quarter ellipse) is one face; its box is the one whose core ellipse has the
    region's bounding box shrunk by `FACE_MAP_REGION_GROWTH`, so a face box of the people's kind
    comes back.
    """
    if probability.ndim != 2:
        raise ValueError(f"faces_from_map expects an (H, W) map, got shape {probability.shape}")
    height, width = probability.shape
    found = (np.asarray(probability) >= threshold).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(found, connectivity=8)
    peaks = np.zeros(count)
    np.maximum.at(peaks, labels.ravel(), np.asarray(probability, np.float64).ravel())
    boxes = []
    for (x, y, w, h, area), peak in zip(stats[1:count], peaks[1:count], strict=True):
        if area < min_core_px or peak < min_peak or area < min_fill * np.pi / 4 * w * h:
            continue
        core_w, core_h = w / FACE_MAP_REGION_GROWTH, h / FACE_MAP_REGION_GROWTH
        face_w, face_h = core_w / (2 * CORE_AXES[0]), core_h / (2 * CORE_AXES[1])
        x0, y0 = round(x + (w - face_w) / 2), round(y + (h - face_h) / 2)
        x1, y1 = round(x + (w + face_w) / 2), round(y + (h + face_h) / 2)
        boxes.append(Box(x0, y0, x1 - x0, y1 - y0).clamp(width, height))
    return sorted((b for b in boxes if b.area > 0), key=lambda b: -b.area)


def merge_faces(trusted: Iterable[Box], *others: Iterable[Box]) -> list[Box]:
    """One list of the faces several detectors found, largest first. Every `trusted` box is kept;
    a box of `others` is added unless it and a kept box mostly lie one inside the other (the same
    face found twice, or a loose region swallowing a face already known)."""
    kept = list(trusted)
    for box in sorted((box for found in others for box in found), key=lambda b: -b.area):
        if all(k.overlap_share(box) < 0.5 and box.overlap_share(k) < 0.5 for k in kept):
            kept.append(box)
    return sorted(kept, key=lambda b: -b.area)


def _search(grey: np.ndarray, cascade: str, min_neighbors: int) -> list[Box]:
    found = _cascade(cascade).detectMultiScale(
        grey, scaleFactor=1.1, minNeighbors=min_neighbors, minSize=(MIN_FACE_PX, MIN_FACE_PX)
    )
    return [Box(*(int(v) for v in face)) for face in np.asarray(found).reshape(-1, 4)]


def _merge_overlapping(boxes: list[Box]) -> list[Box]:
    """Largest-first boxes without those mostly inside a larger one (one face found twice)."""
    kept: list[Box] = []
    for box in boxes:
        if all(k.overlap_share(box) < 0.5 for k in kept):
            kept.append(box)
    return kept
