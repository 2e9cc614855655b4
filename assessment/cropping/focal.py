"""The focal point: the one point of a picture that any crop of it should keep, for a CMS that
crops for itself (responsive images, an app's own slot shapes) instead of taking our boxes.

The editor's marked subject wins. Otherwise the main faces: the centre of the box round the
faces at least ``MAIN_FACE_SHARE`` the size of the largest, as a reader's eye goes to faces and a
body's centroid sits at the chest, where a wide strip would cut the head off. Otherwise the
subject's centroid, and with no subject the middle of the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce

from assessment.geometry import Box

#: Faces at least this share of the largest face's area are the picture's main people.
MAIN_FACE_SHARE = 0.25


def focal_point(
    image_size: tuple[int, int],
    *,
    centroid: Sequence[float] | None = None,
    faces: Sequence[Box] = (),
    focus: Sequence[float] | None = None,
) -> tuple[float, float]:
    """(x, y) as shares 0..1 of the width and height of the picture ``image_size`` = (W, H);
    ``centroid``, ``faces`` and ``focus`` in its pixels (see the module's docstring)."""
    width, height = image_size
    if width <= 0 or height <= 0:
        raise ValueError(f"an image has a positive size, not {width}×{height}")
    x, y = _pixel_point(width, height, centroid, [f for f in faces if f.area > 0], focus)
    return min(max(x / width, 0.0), 1.0), min(max(y / height, 0.0), 1.0)


def _pixel_point(width, height, centroid, faces: list[Box], focus) -> tuple[float, float]:
    if focus is not None:
        return float(focus[0]), float(focus[1])
    if faces:
        largest = max(face.area for face in faces)
        main = [face for face in faces if face.area >= MAIN_FACE_SHARE * largest]
        return reduce(Box.union, main).center
    if centroid is not None:
        return float(centroid[0]), float(centroid[1])
    return width / 2, height / 2
