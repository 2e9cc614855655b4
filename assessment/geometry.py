"""Integer pixel boxes shared by semantics, faces, cropping and ranking.

Coordinates are pixels of the image a box refers to, ``x, y`` the top-left corner, ``w, h`` the
width and height; the box covers columns ``x .. x + w - 1`` and rows ``y .. y + h - 1``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in pixels (x, y = top-left corner; w, h >= 0)."""

    x: int
    y: int
    w: int
    h: int

    def __post_init__(self) -> None:
        if self.w < 0 or self.h < 0:
            raise ValueError(f"Box width and height must be >= 0, got w={self.w}, h={self.h}")

    @property
    def right(self) -> int:
        """First column after the box (x + w)."""
        return self.x + self.w

    @property
    def bottom(self) -> int:
        """First row after the box (y + h)."""
        return self.y + self.h

    @property
    def area(self) -> int:
        """Area in square pixels."""
        return self.w * self.h

    @property
    def center(self) -> tuple[float, float]:
        """Centre (x, y) in pixels."""
        return (self.x + self.w / 2, self.y + self.h / 2)

    def intersection(self, other: Box) -> Box | None:
        """The overlap of two boxes, or None when they do not overlap."""
        x0, y0 = max(self.x, other.x), max(self.y, other.y)
        x1, y1 = min(self.right, other.right), min(self.bottom, other.bottom)
        if x1 <= x0 or y1 <= y0:
            return None
        return Box(x0, y0, x1 - x0, y1 - y0)

    def union(self, other: Box) -> Box:
        """The smallest box holding both boxes."""
        x0, y0 = min(self.x, other.x), min(self.y, other.y)
        x1, y1 = max(self.right, other.right), max(self.bottom, other.bottom)
        return Box(x0, y0, x1 - x0, y1 - y0)

    def contains(self, other: Box) -> bool:
        """True when ``other`` lies wholly inside this box."""
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def fits_in(self, size: tuple[int, int]) -> bool:
        """True when a box of ``size`` (w, h) can hold this one."""
        return self.w <= size[0] and self.h <= size[1]

    def iou(self, other: Box) -> float:
        """Intersection over union with ``other`` (0 where they do not overlap)."""
        overlap = self.intersection(other)
        if overlap is None or overlap.area == 0:
            return 0.0
        return overlap.area / (self.area + other.area - overlap.area)

    def overlap_share(self, other: Box) -> float:
        """Share (0..1) of ``other``'s area that lies inside this box (0 for an empty ``other``)."""
        if other.area == 0:
            return 0.0
        overlap = self.intersection(other)
        return 0.0 if overlap is None else overlap.area / other.area

    def clamp(self, width: int, height: int) -> Box:
        """This box cut to the image ``width`` x ``height`` (may become empty, never negative)."""
        x0, y0 = min(max(self.x, 0), width), min(max(self.y, 0), height)
        x1, y1 = min(max(self.right, x0), width), min(max(self.bottom, y0), height)
        return Box(x0, y0, x1 - x0, y1 - y0)

    def scaled(self, sx: float, sy: float) -> Box:
        """This box in another image's pixels (x scaled by ``sx``, y by ``sy``), grown outwards."""
        x0, y0 = math.floor(self.x * sx), math.floor(self.y * sy)
        x1, y1 = math.ceil(self.right * sx), math.ceil(self.bottom * sy)
        return Box(x0, y0, x1 - x0, y1 - y0)

    def expanded(self, share: float) -> Box:
        """This box grown by ``share`` of its width on the left and right and of its height on the
        top and bottom, outwards to whole pixels (may reach past an image: ``clamp`` it)."""
        if share < 0:
            raise ValueError(f"a box can only be expanded by a share >= 0, got {share}")
        dx, dy = share * self.w, share * self.h
        x0, y0 = math.floor(self.x - dx), math.floor(self.y - dy)
        x1, y1 = math.ceil(self.right + dx), math.ceil(self.bottom + dy)
        return Box(x0, y0, x1 - x0, y1 - y0)

    def shifted(self, dx: int, dy: int) -> Box:
        """This box moved ``dx`` pixels right and ``dy`` down (into another frame's pixels)."""
        return Box(self.x + dx, self.y + dy, self.w, self.h)

    def as_list(self) -> list[int]:
        """``[x, y, w, h]`` (JSON-able)."""
        return [self.x, self.y, self.w, self.h]

    @classmethod
    def from_list(cls, values: object) -> Box:
        """A box from ``[x, y, w, h]``; raises ValueError naming the expected form."""
        if not isinstance(values, list | tuple) or len(values) != 4:
            raise ValueError(f"a box must be [x, y, w, h] in pixels, got {values!r}")
        try:
            x, y, w, h = (int(v) for v in values)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"a box must hold four integers [x, y, w, h], got {values!r}") from exc
        return cls(x, y, w, h)


def bounding_box(boxes: Iterable[Box]) -> Box | None:
    """The smallest box holding all ``boxes``, or None when there are none."""
    result = None
    for box in boxes:
        result = box if result is None else result.union(box)
    return result


def boxes_within(boxes: Iterable[Box], area: Box) -> list[Box]:
    """``boxes`` in the pixels of the part ``area`` of their image, cut to it; those wholly outside
    it are dropped."""
    moved = (box.shifted(-area.x, -area.y).clamp(area.w, area.h) for box in boxes)
    return [box for box in moved if box.area > 0]


def shown(box: Box, boxes: Iterable[Box]) -> int:
    """How many of ``boxes`` ``box`` shows any part of."""
    return sum(box.intersection(other) is not None for other in boxes)
