"""Fixtures for the `assessment` tests: the data folder and small in-memory images."""

import io

import numpy as np
import pytest
from PIL import Image

from assessment.sources import data_dir


@pytest.fixture(scope="session")
def data_root():
    """The shared data folder ($COVERAPP_DATA or ../shared/data); tests read only a few files."""
    return data_dir()


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg_copy(image: Image.Image, quality: int) -> Image.Image:
    """``image`` as it reads back after being saved as JPEG at ``quality``."""
    return Image.open(io.BytesIO(encode(image, "JPEG", quality=quality))).convert("RGB")


@pytest.fixture
def gradient():
    """A 61×43 RGB gradient image (odd sizes on purpose)."""
    x = np.linspace(0, 255, 61, dtype=np.uint8)
    y = np.linspace(0, 255, 43, dtype=np.uint8)
    rgb = np.stack(
        np.broadcast_arrays(x[None, :], y[:, None], np.full((43, 61), 90, np.uint8)), axis=-1
    )
    return Image.fromarray(np.ascontiguousarray(rgb))
