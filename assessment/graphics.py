"""Graphics (charts, text cards, drawings) told from photographs, whose clarity the network misjudges.

The clarity network learnt from photographs: a crisp bar chart or a "BREAKING" card scored 6 to 8
("slightly soft"), and it barely moved when the graphic was blurred by a pixel or two. A graphic is
a few flat colours: ``is_graphic(rgb)`` says so when its 8 most common colours (exact 8-bit
values) cover at least ``PALETTE_SHARE`` of a 512-px copy, at least ``FLAT_SHARE`` of its pixels
sit in flat 3 × 3 neighbourhoods (a range of at most 2 grey levels), and it is not a photo saved at
a very low JPEG quality (``blockiness``). On the 1,843 shared photos, as they are and 2 or 3 stops
darker (where a sky's gradient falls into few colours), the 8 colours cover at most 0.64, while
drawn charts, cards and maps keep at least 0.74 even saved as JPEG at quality 15: a flat area
stays one exact colour through JPEG, a photo's sky does not (``benchmarks/graphics.py``; README
"Ranking and crops", "Graphics"). The predictors give a graphic the clarity of its edges
(``classical.laplacian_clarity``), which falls with every pixel of blur.
"""

from __future__ import annotations

import cv2
import numpy as np

from assessment.pixels import checked_rgb, shrunk

#: The copy judged: at most this many pixels on its long side (area average).
JUDGE_SIDE = 512
#: The most common colours (exact 8-bit values) whose share is measured, and the share that makes
#: a graphic.
PALETTE_COLOURS = 8
PALETTE_SHARE = 0.7
#: A pixel is flat when its 3 × 3 neighbourhood spans at most ``FLAT_RANGE`` grey levels; a
#: graphic has at least ``FLAT_SHARE`` of them (drawn ones 0.85 to 0.93; a tower against a flat
#: sky saved at the second-worst JPEG level of `degrade`, 0.77).
FLAT_RANGE = 2
FLAT_SHARE = 0.8
#: A photo saved at a very low JPEG quality is flat 8 × 8 blocks of few colours too; its steps
#: between blocks are many times those within them (``blockiness``: 2 to 8 and more on the val
#: photos of few colours at the worst JPEG levels, at most 1.8 on drawn graphics, JPEG q15
#: included).
MAX_BLOCKINESS = 2.5
#: Blockiness is read on at most this square of the image at full size, on the 8-px grid.
BLOCK_WINDOW = 1024


def palette_share(rgb: np.ndarray) -> float:
    """The share of ``rgb``'s pixels (judged copy) in its ``PALETTE_COLOURS`` most common colours."""
    return _palette_share(_judged(rgb))


def flat_share(rgb: np.ndarray) -> float:
    """The share of ``rgb``'s pixels (judged copy) whose 3 × 3 neighbourhood is flat."""
    return _flat_share(_judged(rgb))


def blockiness(rgb: np.ndarray) -> float:
    """The mean step between neighbouring pixels across JPEG's 8-px block edges over the mean step
    within blocks (1 for an image without blocks), on a central window at full size."""
    height, width = checked_rgb(rgb).shape[:2]
    y0 = max(0, (height - BLOCK_WINDOW) // 2) // 8 * 8
    x0 = max(0, (width - BLOCK_WINDOW) // 2) // 8 * 8
    window = rgb[y0 : y0 + BLOCK_WINDOW, x0 : x0 + BLOCK_WINDOW]
    grey = cv2.cvtColor(np.ascontiguousarray(window), cv2.COLOR_RGB2GRAY).astype(np.float32)
    ratios = []
    for steps in (np.abs(np.diff(grey, axis=1)), np.abs(np.diff(grey, axis=0)).T):
        across = np.arange(steps.shape[1]) % 8 == 7
        if across.any() and (~across).any():
            ratios.append((steps[:, across].mean() + 1e-3) / (steps[:, ~across].mean() + 1e-3))
    return float(np.mean(ratios)) if ratios else 1.0


def is_graphic(rgb: np.ndarray) -> bool:
    """Whether ``rgb`` ((h, w, 3) uint8) is a graphic rather than a photograph."""
    small = _judged(rgb)
    return (_palette_share(small) >= PALETTE_SHARE and _flat_share(small) >= FLAT_SHARE
            and blockiness(rgb) < MAX_BLOCKINESS)


def _palette_share(small: np.ndarray) -> float:
    pixels = small.astype(np.int32)
    codes = (pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2]
    counts = np.unique(codes, return_counts=True)[1]
    return float(np.sort(counts)[-PALETTE_COLOURS:].sum() / codes.size)


def _flat_share(small: np.ndarray) -> float:
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    kernel = np.ones((3, 3), np.uint8)
    spread = cv2.dilate(grey, kernel).astype(np.int16) - cv2.erode(grey, kernel).astype(np.int16)
    return float(np.mean(spread <= FLAT_RANGE))


def _judged(rgb: np.ndarray) -> np.ndarray:
    return shrunk(checked_rgb(rgb), JUDGE_SIDE)[0]
