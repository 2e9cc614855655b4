"""Focus missed: a subject softer than its background.

An autofocus that found the background leaves the subject soft and the scene behind it sharp.
The network's clarity reads such a photo as sharp (it sees sharp detail across the frame, the
subject's edges included), so it is measured apart, on the picture at the size the network sees
it (`SIDE` px on the long side):

- each place's sharpness is the log ratio of its fine detail (the grey picture minus its
  Gaussian blur of σ `FINE_SIGMA`) to its middle detail (that blur minus one of σ
  `COARSE_SIGMA`), their energies summed over a `LOCAL_SIGMA` window: blur takes the fine band
  away first, whatever the texture, so the ratio says how sharp a place is rather than how busy;
- `sharpness_contrast` is the median sharpness of the subject's interior (the map over 0.5,
  eroded by `EDGE` px, as the bands reach across the outline) less the median of the background
  beyond the same margin, there only where it holds structure (middle-band energy over
  `STRUCTURE_FLOOR`: a clear sky's noise would read as the sharpest detail of all). Medians,
  because a served map holds some background and misses some subject;
- about 0 for a photo in focus throughout, above 0 for a shallow depth of field, below
  `MISSED_FOCUS` where the subject is markedly softer than its background.

`MISSED_FOCUS` lies just under the lowest contrast of the 195 `sod/train` and `fg/train` photos
(with their human masks, as shot) that can be judged: −1.88. `benchmarks/missed_focus.py`
measures it on held-out photos with the map the product serves.
"""

from __future__ import annotations

import cv2
import numpy as np

SIDE = 384
FINE_SIGMA = 1.0
COARSE_SIGMA = 3.0
LOCAL_SIGMA = 4.0  # px at SIDE: the window over which each place's band energies are summed
ENERGY_FLOOR = 0.05  # grey levels²: keeps the log ratio of a flat place finite
EDGE = 10  # px at SIDE: about 3 × COARSE_SIGMA, the reach of the bands across an outline
STRUCTURE_FLOOR = 4.0  # middle-band energy (grey levels²) that counts as structure
MIN_PIXELS = 300  # at SIDE: fewer in either region and there is nothing to compare
MISSED_FOCUS = -2.0


def sharpness_contrast(image: np.ndarray, subject: np.ndarray) -> float | None:
    """The subject's sharpness less its background's (log ratios), for `image` ((H, W, 3) uint8
    RGB) and its subject map (`subject`, (H, W) in 0..1); None where the subject's interior or
    the background's structure is too small to compare (no subject, a subject filling the frame,
    a plain background)."""
    if subject.shape != image.shape[:2]:
        raise ValueError(f"the subject map is {subject.shape}, its image {image.shape[:2]}")
    height, width = subject.shape
    scale = min(1.0, SIDE / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    grey = cv2.cvtColor(cv2.resize(image, size, interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY)
    grey = grey.astype(np.float32)
    on_subject = cv2.resize(subject.astype(np.float32), size, interpolation=cv2.INTER_AREA) > 0.5
    fine, middle = (cv2.GaussianBlur(band, (0, 0), LOCAL_SIGMA) for band in detail_bands(grey))
    sharpness = detail_ratio(fine, middle)
    margin = np.ones((2 * EDGE + 1, 2 * EDGE + 1), np.uint8)
    inner = cv2.erode(on_subject.astype(np.uint8), margin) > 0
    outer = (cv2.dilate(on_subject.astype(np.uint8), margin) == 0) & (middle > STRUCTURE_FLOOR)
    if np.count_nonzero(inner) < MIN_PIXELS or np.count_nonzero(outer) < MIN_PIXELS:
        return None
    return float(np.median(sharpness[inner]) - np.median(sharpness[outer]))


def detail_bands(grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's fine detail energy (`grey` less its Gaussian blur of σ `FINE_SIGMA`, squared)
    and middle detail energy (that blur less one of σ `COARSE_SIGMA`, squared), for a float32
    grey picture."""
    fine_blur = cv2.GaussianBlur(grey, (0, 0), FINE_SIGMA)
    middle = (fine_blur - cv2.GaussianBlur(grey, (0, 0), COARSE_SIGMA)) ** 2
    return (grey - fine_blur) ** 2, middle


def detail_ratio(fine: np.ndarray | float, middle: np.ndarray | float) -> np.ndarray | float:
    """log(fine / middle) of detail energies, kept finite on flat places by `ENERGY_FLOOR`."""
    return np.log((fine + ENERGY_FLOOR) / (middle + ENERGY_FLOOR))


def focus_missed(contrast: float | None) -> bool:
    """Whether a `sharpness_contrast` says the focus missed the subject and found the background."""
    return contrast is not None and contrast < MISSED_FOCUS
