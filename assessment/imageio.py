"""Reading candidate images safely: every decoder quirk a newsroom upload can carry, in one place.

`load_rgb` is used by the predict CLI, the training data and the web upload validation, so an
image that one accepts the others read identically.
"""

from __future__ import annotations

import io
from os import PathLike
from typing import BinaryIO

import numpy as np
import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

ImageSource = str | PathLike[str] | BinaryIO | bytes

# HEIC, the format phones save photos in, decodes like any other once its opener is registered
# (AVIF is Pillow's own).
pillow_heif.register_heif_opener()

# Pillow's own guard raises DecompressionBombError above twice this; we refuse at the limit itself.
MAX_PIXELS = 64_000_000


class UnreadableImage(ValueError):
    """The bytes are not an image we can decode; the message says why in words an editor understands."""


def load_rgb(source: ImageSource, *, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Decode `source` into an upright 8-bit RGB image.

    EXIF orientation is applied, animated files give their first frame, 16-bit greyscale is scaled
    to 8 bits, CMYK is converted, and transparency (alpha or a palette's transparent index) is
    composited onto white, the colour a transparent cover shows on a news page.

    Raises `UnreadableImage` for anything that is not a complete, decodable image or that has more
    than `max_pixels` pixels.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with Image.open(stream) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise UnreadableImage(
                    f"image is {width}×{height} = {width * height:,} pixels; the limit is "
                    f"{max_pixels:,}: downscale it before uploading"
                )
            image.seek(0)
            image.load()
            return _to_rgb(ImageOps.exif_transpose(image))
    except UnreadableImage:
        raise
    except Image.DecompressionBombError as error:
        raise UnreadableImage(
            f"image has too many pixels to decode safely; the limit is {max_pixels:,}: "
            "downscale it before uploading"
        ) from error
    except (UnidentifiedImageError, FileNotFoundError) as error:
        raise UnreadableImage(f"not a readable image: {error}") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise UnreadableImage(f"image data is damaged or truncated: {error}") from error


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in {"I;16", "I;16B", "I;16L", "I"}:
        pixels = np.asarray(image, dtype=np.float64)
        scale = 65535.0 if pixels.max() > 255 else 255.0
        image = Image.fromarray(np.clip(pixels / scale * 255.0 + 0.5, 0, 255).astype(np.uint8))
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in {"RGBA", "LA", "PA"}:
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    return image.convert("RGB")
