import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from assessment.imageio import UnreadableImage, load_rgb
from tests.assessment.conftest import encode


def test_exif_orientation_is_applied(gradient):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise
    image = load_rgb(encode(gradient, "JPEG", exif=exif))
    assert image.size == (43, 61)


@pytest.mark.parametrize("mode", ["CMYK", "L", "P", "I;16"])
def test_other_modes_become_rgb(gradient, mode):
    source = gradient.convert("L").convert(mode) if mode == "I;16" else gradient.convert(mode)
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    image = load_rgb(encode(source, fmt))
    assert image.mode == "RGB" and image.size == gradient.size
    assert np.asarray(image).max() > 200  # 16-bit is scaled, not clipped to black


def test_transparency_is_composited_on_white(gradient):
    rgba = gradient.convert("RGBA")
    rgba.putalpha(0)
    image = load_rgb(encode(rgba, "PNG"))
    assert np.asarray(image).min() == 255


def test_animation_gives_its_first_frame():
    frames = [Image.new("RGB", (20, 10), colour) for colour in ("red", "blue")]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    assert load_rgb(data).getpixel((5, 5)) == (255, 0, 0)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"this is not an image", "not a readable image"),
        (b"", "not a readable image"),
    ],
)
def test_garbage_is_refused_with_a_reason(data, reason):
    with pytest.raises(UnreadableImage, match=reason):
        load_rgb(data)


def test_truncated_file_is_refused(gradient):
    data = encode(gradient.resize((300, 200)), "PNG")
    with pytest.raises(UnreadableImage, match="damaged or truncated"):
        load_rgb(data[: len(data) // 2])


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width×height pixels, with almost no pixel data behind it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [9000, 30000])  # over our limit; over Pillow's own bomb guard
def test_pixel_bomb_is_refused_before_decoding(side):
    with pytest.raises(UnreadableImage, match="limit"):
        load_rgb(png_claiming(side, side))
