"""Exposure of a cover: whether anything in it is bright, and how much of it is pure white.

A cover shown small in a feed reads as a dark patch when even its brightest parts are dim, and
melts into a white page where much of it is clipped to white, however sharp it is.
``measure_exposure(rgb)`` reads two numbers off the picture: ``highlights``, the 95th percentile
of each pixel's brightest channel (HSV's value, so a deep red or blue is not taken for a dark
one), and ``blown``, the share of pixels white in every channel. A dark-coloured subject (a black
dress, a silhouette against the sky) leaves the highlights bright; a photo a stop or two too dark
does not. Pure white around the subject is as often a backdrop as a fault, but on the subject it
is a face or a shirt burnt out: given the subject's map, ``subject_clipped`` is the share of the
subject's pixels clipped in at least two channels (one clipped channel is a saturated colour, a
red flower). Thresholds, measured on the val photos made darker and lighter: README "Ranking and
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
#: A subject's pixel is burnt out when at least two of its channels are at least this (of 255).
CLIPPED_LEVEL = 250
#: The subject is looked at where its map is at least this; a map marking fewer pixels than
#: ``SUBJECT_MIN_PIXELS`` leaves the whole picture to be looked at.
SUBJECT_LEVEL = 0.5
SUBJECT_MIN_PIXELS = 50
#: From this share of the subject burnt out the reasons name it and the exposure term falls, to 0
#: at ``CLIPPED_FULL``. A white subject well exposed (a collar, a penguin's belly, a zebra's
#: stripes) clips 0.12 to 0.14 of itself and loses little; nineteen in twenty clean photos stay
#: under it (README "Exposure").
CLIPPED_SHARE = 0.10
CLIPPED_FULL = 0.30


@dataclass(frozen=True)
class Exposure:
    """highlights: the 95th percentile of the pixels' brightest channel, 0..1; blown: the share
    of pixels white in every channel; subject_clipped: the share of the subject's pixels clipped
    in two channels or more (None: not measured, as before it was)."""

    highlights: float
    blown: float
    subject_clipped: float | None = None

    def as_dict(self) -> dict[str, float]:
        values = {"highlights": round(self.highlights, 4), "blown": round(self.blown, 4)}
        if self.subject_clipped is not None:
            values["subject_clipped"] = round(self.subject_clipped, 4)
        return values

    @classmethod
    def from_dict(cls, values: dict) -> Exposure:
        """The inverse of ``as_dict``; raises ValueError for anything else."""
        try:
            clipped = values.get("subject_clipped")
            return cls(float(values["highlights"]), float(values["blown"]),
                       None if clipped is None else float(clipped))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError("an exposure is {'highlights': h, 'blown': b, 'subject_clipped': c "
                             f"(optional)}}, got {values!r}") from exc


def measure_exposure(rgb: np.ndarray, subject: np.ndarray | None = None) -> Exposure:
    """The exposure of ``rgb``, an (h, w, 3) uint8 picture, and with ``subject`` (its (h, w)
    foreground map, 0..1) how much of the subject is burnt out, all read off a copy at most
    ``MEASURE_SIDE`` on its long side; raises ValueError for anything else."""
    image = checked_rgb(rgb)
    if subject is not None and np.shape(subject) != image.shape[:2]:
        raise ValueError(f"the subject's map is {np.shape(subject)}, the picture {image.shape[:2]}")
    small, _ = shrunk(image, MEASURE_SIDE)
    pixels = small.astype(np.float32) / 255.0
    highlights = float(np.percentile(pixels.max(axis=2), HIGHLIGHTS_PERCENTILE))
    blown = float(np.mean(pixels.min(axis=2) >= BLOWN_LEVEL))
    if subject is None:
        return Exposure(highlights=highlights, blown=blown)
    small_subject, _ = shrunk(np.asarray(subject, np.float32), MEASURE_SIDE)
    return Exposure(highlights=highlights, blown=blown,
                    subject_clipped=_subject_clipped(small, small_subject))


def _subject_clipped(rgb: np.ndarray, subject: np.ndarray) -> float:
    on_subject = subject >= SUBJECT_LEVEL
    pixels = rgb[on_subject] if on_subject.sum() >= SUBJECT_MIN_PIXELS else rgb.reshape(-1, 3)
    return float(np.mean((pixels >= CLIPPED_LEVEL).sum(axis=1) >= 2))


def exposure_reasons(exposure: Exposure) -> list[str]:
    """What an editor reads of a dark photo and of one with much pure white (blown-out sky or a
    white backdrop, which the score leaves alone: it is as often a choice as a fault)."""
    reasons = []
    if exposure.highlights < DIM_HIGHLIGHTS:
        reasons.append("dark: even its brightest parts are dim")
    if exposure.blown >= WHITE_SHARE:
        reasons.append(f"{exposure.blown:.0%} of the picture pure white "
                       "(blown out, or a white backdrop)")
    if exposure.subject_clipped is not None and exposure.subject_clipped >= CLIPPED_SHARE:
        reasons.append(f"overexposed: {exposure.subject_clipped:.0%} of the subject burnt out "
                       "to white")
    return reasons


def exposure_term(exposure: Exposure) -> float:
    """1 for a photo whose highlights are bright, else their share of ``DIM_HIGHLIGHTS`` (0 for
    a black one); times what is left of 1 as the burnt-out share of its subject goes from
    ``CLIPPED_SHARE`` to ``CLIPPED_FULL``."""
    dim = min(1.0, exposure.highlights / DIM_HIGHLIGHTS)
    if exposure.subject_clipped is None:
        return dim
    burnt = (exposure.subject_clipped - CLIPPED_SHARE) / (CLIPPED_FULL - CLIPPED_SHARE)
    return dim * (1.0 - min(1.0, max(0.0, burnt)))


def exposed(rgb: np.ndarray, stops: float) -> np.ndarray:
    """``rgb`` (uint8 sRGB) as a camera set ``stops`` brighter (darker, when negative) would have
    recorded it: scaled in linear light by 2 ** stops and clipped to white."""
    x = rgb.astype(np.float64) / 255.0
    linear = np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)
    linear = np.clip(linear * 2.0**stops, 0.0, 1.0)
    encoded = np.where(linear <= 0.0031308, linear * 12.92,
                       1.055 * linear ** (1 / 2.4) - 0.055)
    return (encoded * 255.0 + 0.5).astype(np.uint8)
