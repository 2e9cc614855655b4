"""How much detail a photo holds: the factor by which it was enlarged, or is soft, at full size.

A photo enlarged k times (a 600-px agency preview saved at 2400 px), or as soft at full size
(missed focus, heavy noise reduction), loses almost nothing when shrunk by k and enlarged back,
while a photo with detail in its own pixels loses much. Its cover then shows no more detail
than a k times narrower image would: a 16:9 hero shown at 1200 px looks soft. The network's
clarity cannot see this, since it judges the photo shrunk to a 384-px long side.

`detail_scale` measures it with `E(s)`, the mean squared difference between the grey photo and
the photo shrunk by `s` (area average) and enlarged back (bicubic): k is the largest tried `s`
with `E(s) < THRESHOLD · E(2s)`. A photo with its own detail loses a good share of `E(2s)`
already at `s` (the ratio stays above 0.2 on the shared val photos); one enlarged k times loses
next to nothing up to k (below 0.1), JPEG-saved or not. `benchmarks/detail.py` measures it.
"""

from __future__ import annotations

import cv2
import numpy as np

#: Enlargement factors tried; an image enlarged between two is reported at the lower.
SCALES = (1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 16.0)
#: `E(s) / E(2s)` below this: shrinking by `s` lost (next to) nothing.
THRESHOLD = 0.12
#: The measure reads the most detailed window of this side at full size (speed; a photo's
#: subject is often sharp where its background is soft on purpose).
WINDOW = 768
#: A tried factor must leave at least this many pixels on the shrunk window's short side.
MIN_SHRUNK_SIDE = 24
#: Below this mean squared loss (grey levels²) at 2s the window is too plain to tell at s.
MIN_LOSS = 1.0


def detail_scale(image: np.ndarray) -> float:
    """k >= 1: ``image`` (H x W or H x W x 3, uint8) holds about the detail of an image k times
    narrower; 1.0 when it holds detail of its own pixels' worth (or is too small to tell)."""
    window = _most_detailed_window(_grey(image), WINDOW).astype(np.float32)
    found = 1.0
    energies: dict[float, float] = {}
    for scale in SCALES:
        if min(window.shape) / (2 * scale) < MIN_SHRUNK_SIDE:
            break
        reference = _lost(window, 2 * scale, energies)
        if reference >= MIN_LOSS and _lost(window, scale, energies) < THRESHOLD * reference:
            found = scale
    return found


def _grey(image: np.ndarray) -> np.ndarray:
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim == 3:
        array = cv2.cvtColor(array[..., :3], cv2.COLOR_RGB2GRAY)
    if array.ndim != 2 or array.size == 0:
        raise ValueError(f"expected an H x W or H x W x 3 image, got shape {array.shape}")
    return array


def _most_detailed_window(grey: np.ndarray, side: int) -> np.ndarray:
    """The ``side`` x ``side`` window (on a half-window grid) with the most gradient energy,
    judged on the photo shrunk 4 times (the choice only needs where the detail is)."""
    height, width = grey.shape
    if height <= side and width <= side:
        return grey
    wh, ww = min(side, height), min(side, width)
    small = cv2.resize(grey, (max(1, width // 4), max(1, height // 4)),
                       interpolation=cv2.INTER_AREA)
    energy = cv2.integral(np.abs(cv2.Laplacian(small.astype(np.float32), cv2.CV_32F))
                          .astype(np.float64))
    best, best_energy = (0, 0), -1.0
    for y in _starts(height, wh):
        for x in _starts(width, ww):
            y0, x0, y1, x1 = y // 4, x // 4, (y + wh) // 4, (x + ww) // 4
            total = energy[y1, x1] - energy[y0, x1] - energy[y1, x0] + energy[y0, x0]
            if total > best_energy:
                best, best_energy = (y, x), total
    y, x = best
    return grey[y:y + wh, x:x + ww]


def _starts(length: int, window: int) -> list[int]:
    step = max(1, window // 2)
    return sorted({*range(0, length - window + 1, step), length - window})


def _lost(grey: np.ndarray, scale: float, cache: dict[float, float]) -> float:
    """Mean squared difference between ``grey`` and it shrunk by ``scale`` and enlarged back."""
    if scale not in cache:
        height, width = grey.shape
        small = cv2.resize(grey, (max(1, round(width / scale)), max(1, round(height / scale))),
                           interpolation=cv2.INTER_AREA)
        back = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
        cache[scale] = float(np.mean((grey - back) ** 2))
    return cache[scale]
