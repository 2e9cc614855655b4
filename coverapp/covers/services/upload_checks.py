"""Checks an uploaded file must pass before it becomes a candidate image.

Each refusal is an `UploadRejected` carrying the HTTP status the API answers with and a reason an
editor can act on: 415 for a file that is not a JPEG, PNG, WebP, AVIF or HEIC image, 413 for one too large in
bytes or pixels, 400 for a damaged one or one too small to be a cover (an icon).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import BinaryIO

import imagehash
import numpy as np
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from assessment.framing import content_box
from assessment.imageio import UnreadableImage, load_rgb
from coverapp.covers.services.photo_metadata import PhotoText, embedded_text

ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp",
                    "AVIF": "image/avif", "HEIF": "image/heic"}
#: Formats a browser can show as they are; the others (HEIC) are shown converted to JPEG.
BROWSER_FORMATS = {"JPEG", "PNG", "WEBP", "AVIF"}
ACCEPTED_NAMES = "a JPEG, PNG, WebP, AVIF or HEIC"


class UploadRejected(Exception):
    """An upload that cannot be accepted; `status` is the HTTP status, `code` a stable slug."""

    def __init__(self, *, status: int, code: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed: its bytes and what we learned decoding them."""

    content: bytes
    sha256: str
    format: str
    width: int  # pixels, upright (EXIF orientation applied)
    height: int
    phash: str  # 64-bit perceptual hash of the upright picture, inside any bars, 16 hex digits
    text: PhotoText  # the credit, caption and alt text embedded in the file


def check_upload(stream: BinaryIO, *, name: str = "") -> CheckedImage:
    """Read `stream` fully and verify it is an image we accept; raise `UploadRejected` if not."""
    label = f"“{name}”" if name else "the file"
    content = _read_limited(stream, label=label)
    image_format = _sniff_format(content, label=label)
    try:
        image = load_rgb(content, max_pixels=settings.COVERAPP_MAX_IMAGE_PIXELS)
    except UnreadableImage as error:
        raise UploadRejected(status=400, code="unreadable", reason=f"{label}: {error}") from error
    return CheckedImage(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        format=image_format,
        width=image.width,
        height=image.height,
        phash=picture_hash(image),
        text=embedded_text(content),
    )


def picture_hash(image: Image.Image) -> str:
    """The perceptual hash of the picture inside any plain bars, frame, blurred fill or caption
    strip of the upright RGB ``image`` (``framing.content_box``): a screenshot of a photo with
    bars above and below looks the same as the photo."""
    box = content_box(np.asarray(image))
    return str(imagehash.phash(image.crop((box.x, box.y, box.right, box.bottom))))


def phash_distance(first: str, second: str) -> int:
    """Hamming distance in bits between two hex perceptual hashes (0 = same picture); integer
    arithmetic, as fast as a selector comparing a page of candidates with a month of covers
    needs."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def _read_limited(stream: BinaryIO, *, label: str) -> bytes:
    limit = settings.COVERAPP_MAX_UPLOAD_BYTES
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise UploadRejected(
            status=413, code="too_many_bytes",
            reason=f"{label} is larger than the {limit / 2**20:.0f} MB limit: "
                   "export it at a lower quality or size",
        )
    if not content:
        raise UploadRejected(status=400, code="empty", reason=f"{label} is empty")
    return content


def _sniff_format(content: bytes, *, label: str) -> str:
    """The format Pillow recognises from the header (the file name is ignored); a pixel count
    over the limit is refused here, before anything is decoded."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format or ""
            width, height = image.size
    except Image.DecompressionBombError as error:
        raise UploadRejected(status=413, code="too_many_pixels",
                             reason=f"{label}: {error}") from error
    except (UnidentifiedImageError, OSError) as error:
        raise UploadRejected(
            status=415, code="unsupported_format",
            reason=f"{label} is not an image Pillow can read; upload {ACCEPTED_NAMES} file",
        ) from error
    if image_format not in ACCEPTED_FORMATS:
        raise UploadRejected(
            status=415, code="unsupported_format",
            reason=f"{label} is {image_format or 'an unknown format'}; upload {ACCEPTED_NAMES} image",
        )
    limit = settings.COVERAPP_MAX_IMAGE_PIXELS
    if width * height > limit:
        raise UploadRejected(
            status=413, code="too_many_pixels",
            reason=f"{label} is {width}×{height} = {width * height / 1e6:.1f} megapixels; the "
                   f"limit is {limit / 1e6:.0f}: downscale it before uploading",
        )
    least = settings.COVERAPP_MIN_IMAGE_SIDE
    if min(width, height) < least:
        raise UploadRejected(
            status=400, code="too_small",
            reason=f"{label} is {width}×{height} px, too small for a cover (an icon or a "
                   f"tracking pixel?): a candidate is at least {least} px on each side",
        )
    return image_format
