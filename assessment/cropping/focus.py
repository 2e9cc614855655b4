"""An editor's subject point: the part of the picture every crop should frame instead.

The network's mask may find the wrong subject, or several where the story is about one. A
point the editor marks picks the subject: the mask's part under it (or within ``SNAP_SHARE`` of
the image's diagonal, for a click just beside a thin subject), or, where the mask has nothing
there, a disc of ``SPOT_RADIUS`` around the point. The crop search then frames that subject
alone; faces elsewhere are still never cut (``faces_of_subject`` says which faces are part of it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from assessment.geometry import Box
from assessment.semantics import OBJECT_THRESHOLD, check_foreground

#: A point this close to a part of the mask (share of the mask's diagonal) picks that part.
SNAP_SHARE = 0.03
#: Without a part near it, the subject is a disc of this radius (share of the short side).
SPOT_RADIUS = 0.12
#: The subject map is worked out at most this many pixels on its long side.
FOCUS_LONG_SIDE = 512


@dataclass(frozen=True)
class FocusedSubject:
    """The subject a point picks: its map (the mask's resolution, shrunk to ``FOCUS_LONG_SIDE``
    when larger), and whether it is a part of the network's mask (``picked_part``) or a disc
    around the point."""

    foreground: np.ndarray
    picked_part: bool


def check_point(point: Sequence[float], image_size: tuple[int, int]) -> tuple[float, float]:
    """``point`` as (x, y) floats inside the image; ValueError saying what is wrong otherwise."""
    try:
        x, y = (float(v) for v in point)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"a subject point is [x, y] in pixels, got {point!r}") from exc
    width, height = image_size
    if not (0 <= x < width and 0 <= y < height):
        raise ValueError(f"subject point [{x:g}, {y:g}] lies outside the {width}×{height} image")
    return x, y


def focus_subject(
    foreground: np.ndarray, point: Sequence[float], image_size: tuple[int, int]
) -> FocusedSubject:
    """The subject that ``point`` (x, y in image pixels) picks in ``foreground`` (any resolution
    of the image ``image_size`` = (W, H)); see the module's docstring."""
    mask = check_foreground(foreground)
    x, y = check_point(point, image_size)
    shrink = min(1.0, FOCUS_LONG_SIDE / max(mask.shape))
    if shrink < 1.0:
        size = (max(1, round(mask.shape[1] * shrink)), max(1, round(mask.shape[0] * shrink)))
        mask = np.clip(cv2.resize(mask, size, interpolation=cv2.INTER_AREA), 0.0, 1.0)
    height, width = mask.shape
    mx, my = x * width / image_size[0], y * height / image_size[1]
    binary = (mask >= OBJECT_THRESHOLD).astype(np.uint8)
    part = _part_near(binary, (mx, my), SNAP_SHARE * float(np.hypot(width, height)))
    if part is not None:
        # the part's soft rim (values under the threshold) belongs to it too
        rim = cv2.dilate(part, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
        return FocusedSubject(mask * rim.astype(np.float32), picked_part=True)
    spot = np.zeros((height, width), np.float32)
    radius = max(1, round(SPOT_RADIUS * min(width, height)))
    cv2.circle(spot, (int(mx), int(my)), radius, 1.0, thickness=-1)
    return FocusedSubject(spot, picked_part=False)


def faces_of_subject(
    faces: Sequence[Box], subject: FocusedSubject, point: Sequence[float],
    image_size: tuple[int, int],
) -> list[bool]:
    """Per face: True when it belongs to the picked subject (the point lies on it, or it
    overlaps the picked part), so it steers the crop; the others are only kept uncut."""
    x, y = point
    mask = subject.foreground
    sx, sy = mask.shape[1] / image_size[0], mask.shape[0] / image_size[1]
    belongs = []
    for face in faces:
        on_face = face.x <= x < face.right and face.y <= y < face.bottom
        x0, y0 = int(face.x * sx), int(face.y * sy)
        x1, y1 = max(x0 + 1, round(face.right * sx)), max(y0 + 1, round(face.bottom * sy))
        on_part = subject.picked_part and bool(
            (mask[y0:y1, x0:x1] >= OBJECT_THRESHOLD).any())
        belongs.append(on_face or on_part)
    return belongs


def _part_near(binary: np.ndarray, point: tuple[float, float], reach: float) -> np.ndarray | None:
    """(H, W) uint8 of the connected part within ``reach`` pixels of ``point``, or None."""
    if not binary.any():
        return None
    # distance from every pixel to the nearest object pixel, and which object pixel that is
    distance, nearest = cv2.distanceTransformWithLabels(
        1 - binary, cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL)
    px = min(int(point[0]), binary.shape[1] - 1)
    py = min(int(point[1]), binary.shape[0] - 1)
    if distance[py, px] > reach:
        return None
    _, labels = cv2.connectedComponents(binary, connectivity=8)
    object_labels = labels[binary > 0]  # object pixels in row-major order: DIST_LABEL_PIXEL's
    part = object_labels[nearest[py, px] - 1]
    return (labels == part).astype(np.uint8)
