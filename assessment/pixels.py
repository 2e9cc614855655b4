"""Small array helpers the image measures share: checking an RGB array, shrinking a copy."""

from __future__ import annotations

import cv2
import numpy as np


def checked_rgb(rgb: np.ndarray) -> np.ndarray:
    """``rgb`` when it is a non-empty (h, w, 3) uint8 array; ValueError otherwise."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8 or rgb.size == 0:
        raise ValueError(f"the image must be (h, w, 3) uint8, got {rgb.shape} {rgb.dtype}")
    return rgb


def shrunk(image: np.ndarray, long_side: int) -> tuple[np.ndarray, float]:
    """An area-averaged copy of ``image`` at most ``long_side`` pixels on its long side, and its
    scale (the image itself and 1.0 when it is no larger)."""
    height, width = image.shape[:2]
    scale = long_side / max(height, width)
    if scale >= 1:
        return image, 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), scale


def colour_deviation(pixels: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """Per pixel of (..., 3) ``pixels``, how far it is from ``colour`` (one colour, or one per
    pixel): the largest difference of a channel (three maxima, faster than ``max(axis=-1)``)."""
    d = np.abs(pixels.astype(np.int16) - colour)
    return np.maximum(np.maximum(d[..., 0], d[..., 1]), d[..., 2])
