"""Clarity labels by the protocol of Sun et al. (KDD'19 workshop), extended to the damage real covers
suffer. Every schedule lives here, in one table.

Each clean image is degraded at one of 10 levels; its clarity label is the level: 10 is pristine
(no damage), 1 the worst. Level L < 10 applies `SCHEDULES[kind][L - 1]`:

| kind           | parameter                          | level 9 (mild) … level 1 (worst)          |
|----------------|------------------------------------|-------------------------------------------|
| gaussian_blur  | Gaussian σ, px                      | 0.6 0.9 1.2 1.6 2.0 2.6 3.3 4.2 5.5 (rev.) |
| motion_blur    | line length, px (random angle)      | 3 5 7 9 12 15 19 24 30 (rev.)              |
| jpeg           | JPEG quality                        | 60 40 28 20 15 11 8 5 2 (rev.)             |
| noise          | Gaussian σ on 0..255 (per pixel RGB)| 3 5 8 11 15 20 26 33 42 (rev.)             |
| downscale      | scale down then back up (bicubic)   | 0.8 0.67 0.55 0.45 0.37 0.3 0.24 0.18 0.13 |

Parameters are for images whose long side is about 384 px, the size the network sees. Every kind
lowers the label with its strength, noise included: a detector that reads high frequencies as
sharpness (the variance of the Laplacian) rises with noise, ours is taught that noise is damage.

Focus (`defocus`, drawn in training with `--focus`, only on photos with a human subject mask): a
cover is as sharp as its subject. Half such samples have their background alone blurred
(Gaussian σ drawn from `BACKGROUND_SIGMAS`, a shallow depth of field), which is no damage: the
label is unchanged. The other half have their subject alone blurred at a level of the
`gaussian_blur` schedule (focus missed on the subject), and the label is at most that level.
The subject's edge is softened by `FOCUS_FEATHER` px, as a lens's is.
"""

from __future__ import annotations

import cv2
import numpy as np

PRISTINE = 10
LEVELS = tuple(range(1, PRISTINE + 1))

# Index 0 is level 1 (worst), index 8 is level 9 (mildest).
SCHEDULES: dict[str, tuple[float, ...]] = {
    "gaussian_blur": (5.5, 4.2, 3.3, 2.6, 2.0, 1.6, 1.2, 0.9, 0.6),
    "motion_blur": (30, 24, 19, 15, 12, 9, 7, 5, 3),
    "jpeg": (2, 5, 8, 11, 15, 20, 28, 40, 60),
    "noise": (42, 33, 26, 20, 15, 11, 8, 5, 3),
    "downscale": (0.13, 0.18, 0.24, 0.3, 0.37, 0.45, 0.55, 0.67, 0.8),
}
KINDS = tuple(SCHEDULES)
BACKGROUND_SIGMAS = (2.0, 10.0)  # the range of a shallow depth of field's background blur, px
FOCUS_FEATHER = 2.0  # sigma, px, of the blend between the subject's blur and the background's


def degrade(image: np.ndarray, kind: str, level: int, rng: np.random.Generator) -> np.ndarray:
    """Return `image` ((H, W, 3) uint8 RGB) damaged by `kind` at clarity `level` (1..10, 10 = untouched).

    `rng` draws the random parts (noise, motion direction), so a seeded generator gives the same
    result every time.
    """
    if kind not in SCHEDULES:
        raise ValueError(f"unknown damage kind {kind!r}; choose one of {', '.join(KINDS)}")
    if level not in LEVELS:
        raise ValueError(f"clarity level must be an integer 1..{PRISTINE}, got {level!r}")
    if level == PRISTINE:
        return image.copy()
    strength = SCHEDULES[kind][level - 1]
    return _DAMAGE[kind](image, strength, rng)


def defocus(
    image: np.ndarray, subject: np.ndarray, on_subject: float, on_background: float
) -> np.ndarray:
    """`image` ((H, W, 3) uint8 RGB) with its subject and its background blurred apart: Gaussian
    σ `on_subject` within `subject` ((H, W), nonzero on the subject) and `on_background` beyond
    it (0: left sharp), blended across a `FOCUS_FEATHER`-px edge."""
    if subject.shape != image.shape[:2]:
        raise ValueError(f"the subject map is {subject.shape}, its image {image.shape[:2]}")
    weight = (subject > 0).astype(np.float32)
    weight = cv2.GaussianBlur(weight, (0, 0), FOCUS_FEATHER)[..., None]
    pixels = image.astype(np.float32)

    def blurred(sigma: float) -> np.ndarray:
        if sigma <= 0:
            return pixels
        return cv2.GaussianBlur(pixels, (0, 0), sigma)

    blend = weight * blurred(on_subject) + (1 - weight) * blurred(on_background)
    return np.clip(blend + 0.5, 0, 255).astype(np.uint8)


def _gaussian_blur(image: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    return cv2.GaussianBlur(image, (0, 0), sigmaX=sigma, borderType=cv2.BORDER_REFLECT)


def _motion_blur(image: np.ndarray, length: float, rng: np.random.Generator) -> np.ndarray:
    size = int(length) | 1
    kernel = np.zeros((size, size), np.float32)
    kernel[size // 2, :] = 1.0
    rotation = cv2.getRotationMatrix2D((size / 2 - 0.5, size / 2 - 0.5), rng.uniform(0, 180), 1.0)
    kernel = cv2.warpAffine(kernel, rotation, (size, size))
    kernel /= kernel.sum()
    return cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_REFLECT)


def _jpeg(image: np.ndarray, quality: float, rng: np.random.Generator) -> np.ndarray:
    bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("OpenCV failed to encode a JPEG")
    return cv2.cvtColor(cv2.imdecode(encoded, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _noise(image: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    noisy = image.astype(np.float32) + rng.normal(0.0, sigma, image.shape).astype(np.float32)
    return np.clip(noisy + 0.5, 0, 255).astype(np.uint8)


def _downscale(image: np.ndarray, factor: float, rng: np.random.Generator) -> np.ndarray:
    height, width = image.shape[:2]
    small = (max(1, round(width * factor)), max(1, round(height * factor)))
    reduced = cv2.resize(image, small, interpolation=cv2.INTER_AREA)
    return cv2.resize(reduced, (width, height), interpolation=cv2.INTER_CUBIC)


_DAMAGE = {
    "gaussian_blur": _gaussian_blur,
    "motion_blur": _motion_blur,
    "jpeg": _jpeg,
    "noise": _noise,
    "downscale": _downscale,
}
