"""What a foreground mask says about a picture's subject: size, place, parts, border contact.

Everything is judged on the mask's *mass* (the sum of its values), never on one argmax point, so
that a subject made of several parts is described as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from assessment.geometry import Box, bounding_box

SIDES = ("left", "right", "top", "bottom")

#: Mask values at or above this count as the object (the network's and the data's convention).
OBJECT_THRESHOLD = 0.5
#: A connected part counts as a component of the subject when it holds at least this share of
#: the object's mass (smaller specks are noise of the mask).
MIN_COMPONENT_SHARE = 0.02
#: A side counts as touched when object pixels cover at least this share of that border line.
MIN_BORDER_SHARE = 0.02


@dataclass(frozen=True)
class Component:
    """One connected part of the subject (pixels of the mask)."""

    box: Box
    mass_share: float  # share (0..1) of the object's mass in this component
    centroid: tuple[float, float]  # mass centroid (x, y) in pixels

    def as_dict(self) -> dict:
        return {
            "box": self.box.as_list(),
            "mass_share": round(self.mass_share, 4),
            "centroid": [round(self.centroid[0], 1), round(self.centroid[1], 1)],
        }


@dataclass(frozen=True)
class Semantics:
    """Description of a foreground mask of ``size`` (width, height) pixels.

    ``components`` are the significant parts, largest mass first; ``bbox`` holds all of them;
    ``centroid`` is the mass centroid of the object (None when the mask is empty);
    ``touches`` names the image sides the object touches.
    """

    size: tuple[int, int]
    object_proportion: float
    centroid: tuple[float, float] | None
    bbox: Box | None
    components: tuple[Component, ...] = ()
    touches: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        """True when no object was found."""
        return self.bbox is None

    def shifted(self, dx: int, dy: int) -> Semantics:
        """The same description with its points and boxes moved ``dx`` pixels right and ``dy``
        down: a picture's subject in the pixels of a larger image holding it (``size``,
        ``object_proportion`` and ``touches`` stay the picture's)."""
        return replace(
            self,
            centroid=None if self.centroid is None else _moved(self.centroid, dx, dy),
            bbox=None if self.bbox is None else self.bbox.shifted(dx, dy),
            components=tuple(
                Component(c.box.shifted(dx, dy), c.mass_share, _moved(c.centroid, dx, dy))
                for c in self.components
            ),
        )

    def as_dict(self) -> dict:
        """JSON-able form (boxes as [x, y, w, h], sides sorted)."""
        return {
            "size": list(self.size),
            "object_proportion": round(self.object_proportion, 4),
            "centroid": None
            if self.centroid is None
            else [round(self.centroid[0], 1), round(self.centroid[1], 1)],
            "bbox": None if self.bbox is None else self.bbox.as_list(),
            "components": [c.as_dict() for c in self.components],
            "touches": sorted(self.touches),
        }


def _moved(point: tuple[float, float], dx: int, dy: int) -> tuple[float, float]:
    return (point[0] + dx, point[1] + dy)


def check_foreground(foreground: np.ndarray) -> np.ndarray:
    """The mask as float32 (H, W) in [0, 1]; raises ValueError saying what is wrong with it."""
    mask = np.asarray(foreground)
    if mask.ndim != 2 or mask.shape[0] == 0 or mask.shape[1] == 0:
        raise ValueError(f"foreground must be a non-empty (H, W) array, got shape {mask.shape}")
    if not np.issubdtype(mask.dtype, np.number) and mask.dtype != bool:
        raise ValueError(f"foreground must hold numbers in [0, 1], got dtype {mask.dtype}")
    mask = mask.astype(np.float32, copy=False)
    if not np.isfinite(mask).all():
        raise ValueError("foreground holds NaN or infinite values; expected numbers in [0, 1]")
    low, high = float(mask.min()), float(mask.max())
    if low < -1e-3 or high > 1 + 1e-3:
        raise ValueError(
            f"foreground values must lie in [0, 1], got {low:.3g}..{high:.3g} "
            "(divide an 8-bit mask by 255)"
        )
    return np.clip(mask, 0.0, 1.0)


def describe_foreground(foreground: np.ndarray) -> Semantics:
    """Describe the subject in a foreground mask.

    ``foreground``: (H, W) float in [0, 1] (1 = object). Pixels at or above ``OBJECT_THRESHOLD``
    are the object; its connected parts holding at least ``MIN_COMPONENT_SHARE`` of the object's
    mass (sum of mask values) are its components. Coordinates are pixels of the mask.
    """
    mask = check_foreground(foreground)
    height, width = mask.shape
    binary = (mask >= OBJECT_THRESHOLD).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        return Semantics(size=(width, height), object_proportion=0.0, centroid=None, bbox=None)
    labelled = np.flatnonzero(labels)  # only object pixels: masks are mostly background
    label_ids = labels.ravel()[labelled]
    values = mask.ravel()[labelled].astype(np.float64)
    mass = np.bincount(label_ids, weights=values, minlength=count)[1:]
    mass_x = np.bincount(label_ids, weights=values * (labelled % width), minlength=count)[1:]
    mass_y = np.bincount(label_ids, weights=values * (labelled // width), minlength=count)[1:]
    share = mass / mass.sum()
    keep = np.flatnonzero(share >= MIN_COMPONENT_SHARE)
    keep = keep[np.argsort(-share[keep])]
    components = tuple(
        Component(
            box=Box(*(int(v) for v in stats[i + 1, :4])),
            mass_share=float(share[i]),
            centroid=(float(mass_x[i] / mass[i]) + 0.5, float(mass_y[i] / mass[i]) + 0.5),
        )
        for i in keep
    )
    kept_mass = mass[keep].sum()
    centroid = (
        float(mass_x[keep].sum() / kept_mass) + 0.5,
        float(mass_y[keep].sum() / kept_mass) + 0.5,
    )
    significant = np.zeros(count, bool)
    significant[keep + 1] = True
    return Semantics(
        size=(width, height),
        object_proportion=float(binary.mean()),
        centroid=centroid,
        bbox=bounding_box(c.box for c in components),
        components=components,
        touches=_touched_sides(significant, labels),
    )


def _touched_sides(significant: np.ndarray, labels: np.ndarray) -> frozenset[str]:
    """Sides of the (H, W) label map whose border line significant components cover enough of.

    ``significant``: (labels + 1,) bool, True for the labels of significant components.
    """
    lines = {
        "left": significant[labels[:, 0]],
        "right": significant[labels[:, -1]],
        "top": significant[labels[0, :]],
        "bottom": significant[labels[-1, :]],
    }
    return frozenset(
        side for side in SIDES if lines[side].sum() >= max(1.0, MIN_BORDER_SHARE * lines[side].size)
    )
