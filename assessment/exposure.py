"""Exposure of a cover: whether anything in it is bright, and how much of it is pure white.

A cover shown small in a feed reads as a dark patch when even its brightest parts are dim, and
melts into a white page where much of it is clipped to white, however sharp it is.
``measure_exposure(rgb)`` reads two numbers off the picture: ``highlights``, the 95th percentile
of each pixel's brightest channel (HSV's value, so a deep red or blue is not taken for a dark
one), and ``blown``, the share of pixels white in every channel. A dark-coloured subject (a black
dress, a silhouette against the sky) leaves the highlights bright; a photo a stop or two too dark
does not. Thresholds, measured on the val photos made darker and lighter: README "Ranking and
crops", "Exposure".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assessment.pixels import checked_rgb, shrunk

#: The picture is measured at most this many pixels on its long side (area average).
MEASURE_SIDE = 512
#: The percentile of the brightest channel that stands for the photo's highlights.
HIGHLIGHTS_PERCENTILE = 95
#: Highlights below this (of 1) make a photo dark.
DIM_HIGHLIGHTS = 0.55
#: A pixel is pure white (blown out) when every channel is at least this (of 1).
BLOWN_LEVEL = 250 / 255
#: From this share of pure white pixels the reasons name it.
WHITE_SHARE = 0.10


@dataclass(frozen=True)
class Exposure:
    """highlights: the 95th percentile of the pixels' brightest channel, 0..1; blown: the share
    of pixels white in every channel."""

    highlights: float
    blown: float

    def as_dict(self) -> dict[str, float]:
        return {"highlights": round(self.highlights, 4), "blown": round(self.blown, 4)}

    @classmethod
    def from_dict(cls, values: dict) -> Exposure:
        """The inverse of ``as_dict``; raises ValueError for anything else."""
        try:
            return cls(float(values["highlights"]), float(values["blown"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"an exposure is {{'highlights': h, 'blown': b}}, got {values!r}"
                             ) from exc


def measure_exposure(rgb: np.ndarray) -> Exposure:
    """The exposure of ``rgb``, an (h, w, 3) uint8 picture; raises ValueError for anything else."""
    small, _ = shrunk(checked_rgb(rgb), MEASURE_SIDE)
    pixels = small.astype(np.float32) / 255.0
    highlights = float(np.percentile(pixels.max(axis=2), HIGHLIGHTS_PERCENTILE))
    blown = float(np.mean(pixels.min(axis=2) >= BLOWN_LEVEL))
    return Exposure(highlights=highlights, blown=blown)


def exposure_reasons(exposure: Exposure) -> list[str]:
    """What an editor reads of a dark photo and of one with much pure white (blown-out sky or a
    white backdrop, which the score leaves alone: it is as often a choice as a fault)."""
    reasons = []
    if exposure.highlights < DIM_HIGHLIGHTS:
        reasons.append("dark: even its brightest parts are dim")
    if exposure.blown >= WHITE_SHARE:
        reasons.append(f"{exposure.blown:.0%} of the picture pure white "
                       "(blown out, or a white backdrop)")
    return reasons


def exposure_term(exposure: Exposure) -> float:
    """1 for a photo whose highlights are bright, else their share of ``DIM_HIGHLIGHTS`` (0 for
    a black one)."""
    return min(1.0, exposure.highlights / DIM_HIGHLIGHTS)


def exposed(rgb: np.ndarray, stops: float) -> np.ndarray:
    """``rgb`` (uint8 sRGB) as a camera set ``stops`` brighter (darker, when negative) would have
    recorded it: scaled in linear light by 2 ** stops and clipped to white."""
    x = rgb.astype(np.float64) / 255.0
    linear = np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)
    linear = np.clip(linear * 2.0**stops, 0.0, 1.0)
    encoded = np.where(linear <= 0.0031308, linear * 12.92,
                       1.055 * linear ** (1 / 2.4) - 0.055)
    return (encoded * 255.0 + 0.5).astype(np.uint8)
