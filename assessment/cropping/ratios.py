"""Slot aspect ratios ("16:9", "free") and the exact crop sizes they give on an image."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

FREE = "free"
_RATIO_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Ratio:
    """An aspect ratio width:height (both > 0)."""

    width: float
    height: float

    @property
    def value(self) -> float:
        """width / height."""
        return self.width / self.height

    def __str__(self) -> str:
        return f"{self.width:g}:{self.height:g}"


def parse_ratio(text: str) -> Ratio | None:
    """``"16:9"`` -> Ratio(16, 9); ``"free"`` -> None (any aspect ratio).

    Also accepts ``16x9`` and ``16/9`` and decimals (``1.91:1``). Raises ValueError with the
    expected form for anything else.
    """
    if not isinstance(text, str):
        raise ValueError(f"a crop ratio must be a string like '16:9' or 'free', got {text!r}")
    if text.strip().lower() == FREE:
        return None
    match = _RATIO_PATTERN.match(text)
    if match is None:
        raise ValueError(
            f"invalid crop ratio {text!r}: expected 'W:H' with positive numbers "
            "(e.g. '16:9', '4:3', '1.91:1') or 'free'"
        )
    width, height = float(match.group(1)), float(match.group(2))
    if width <= 0 or height <= 0 or not math.isfinite(width / height):
        raise ValueError(f"invalid crop ratio {text!r}: both sides must be greater than 0")
    if not 0.01 <= width / height <= 100:
        raise ValueError(f"invalid crop ratio {text!r}: W/H must lie between 1:100 and 100:1")
    return Ratio(width, height)


def crop_size(ratio: float, width: int, height: int, scale: float = 1.0) -> tuple[int, int]:
    """Integer (w, h) of a ``ratio`` (w/h) crop ``scale`` times the largest one in the image.

    The result fits ``width`` x ``height``, is at least 1 x 1, and is within one pixel of an
    exact-ratio box (the free side is rounded from the limiting side).
    """
    if width / height >= ratio:  # the image is wider than the ratio: its height limits the crop
        h = max(1, round(height * scale))
        return max(1, min(width, round(h * ratio))), h
    w = max(1, round(width * scale))
    return w, max(1, min(height, round(w / ratio)))
