"""Text laid over the picture: captions, subtitles, a channel's name and watermarks found, and
crops that keep each line whole or leave it out."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from assessment.geometry import Box
from assessment.overlays import overlay_text
from tests.assessment.conftest import jpeg_copy
from tests.conftest import photo


def written(image: Image.Image, text: str, at: tuple[int, int], *, size: int = 16,
            band: tuple[int, int, int] | None = None, outline: bool = False) -> Box:
    """``text`` drawn in white on ``image`` at ``at`` (on a ``band`` of colour behind it, or with
    a black outline); returns the box of its letters."""
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size)
    left, top, right, bottom = draw.textbbox(at, text, font=font)
    if band is not None:
        draw.rectangle([left - 6, top - 5, right + 6, bottom + 5], fill=band)
    draw.text(at, text, font=font, fill="white", stroke_width=2 if outline else 0,
              stroke_fill="black")
    return Box(left, top, right - left, bottom - top)


def covers(found: list[Box], letters: Box) -> bool:
    """Whether one block found holds the letters whole, with no more than its margin round them."""
    return any(b.contains(letters) and b.area <= 2.5 * letters.area for b in found)


def test_a_lower_third_caption_is_found():
    image = photo(480, 320, seed=1)
    letters = written(image, "Minister resigns over storm", (20, 262), band=(20, 40, 110))
    assert covers(overlay_text(np.asarray(jpeg_copy(image, 85))), letters)


def test_subtitles_with_an_outline_are_found():
    image = photo(480, 320, seed=2)
    letters = written(image, "we will rebuild the bridge", (110, 280), outline=True)
    assert covers(overlay_text(np.asarray(jpeg_copy(image, 85))), letters)


def test_a_channels_name_in_a_corner_is_found():
    image = photo(480, 320, seed=3)
    letters = written(image, "NEWS 24", (400, 12), size=14, band=(180, 20, 20))
    assert covers(overlay_text(np.asarray(jpeg_copy(image, 85))), letters)


def test_two_lines_of_a_caption_are_one_block():
    image = photo(480, 320, seed=4)
    first = written(image, "Floods close the coast road", (20, 250), band=(20, 40, 110))
    second = written(image, "Police say it may take days", (20, 272), band=(20, 40, 110))
    found = overlay_text(np.asarray(jpeg_copy(image, 85)))
    assert len(found) == 1 and found[0].contains(first.union(second))


def test_a_large_image_gets_the_text_in_its_own_pixels():
    image = photo(480, 320, seed=5)
    letters = written(image, "Election night results", (20, 262), band=(20, 40, 110))
    large = image.resize((2400, 1600), Image.BICUBIC)
    found = overlay_text(np.asarray(jpeg_copy(large, 90)))
    assert covers(found, letters.scaled(5, 5))


def test_text_in_the_middle_of_the_picture_is_not_taken_for_a_caption():
    """A sign or a shirt's print in the middle of the frame is part of the scene."""
    image = photo(480, 320, seed=6)
    written(image, "Harbour market", (150, 150), band=(20, 40, 110))
    assert overlay_text(np.asarray(jpeg_copy(image, 85))) == []


@pytest.mark.parametrize("case", ["plain", "noise", "stripes", "tiles"])
def test_pictures_without_text_have_none(case):
    rng = np.random.default_rng(0)
    ys, xs = np.mgrid[0:320, 0:480]
    pictures = {
        "plain": np.full((320, 480, 3), 128.0),
        "noise": rng.normal(128, 40, (320, 480, 3)),
        # a zebra's coat, along the whole frame
        "stripes": np.repeat((127 + 120 * np.sin(xs / 4.0 + np.sin(ys / 20.0)))[..., None], 3, -1),
        # windows of an office block, row on row
        "tiles": np.repeat(np.where((xs % 16 < 9) & (ys % 24 < 14), 230.0, 40.0)[..., None], 3, -1),
    }
    rgb = np.clip(pictures[case], 0, 255).astype(np.uint8)
    assert overlay_text(np.asarray(jpeg_copy(Image.fromarray(rgb), 85))) == []


@pytest.mark.parametrize(("name", "at"), [("cake08_000000485972", "top"), ("apple04_000000562059", "bottom")])
def test_a_photographers_name_on_a_shared_photo_is_found(data_root, name, at):
    """Two COCO photos carry their photographer's blog address across the top, or name in the
    bottom left corner."""
    path = data_root / f"objects/train/images/cocomval_{name}.jpg"
    rgb = np.asarray(Image.open(path).convert("RGB"))
    found = overlay_text(rgb)
    height = rgb.shape[0]
    assert len(found) == 1
    assert (found[0].bottom < 0.15 * height) if at == "top" else (found[0].y > 0.85 * height)


def test_a_shared_photo_without_text_has_none(data_root):
    path = next((data_root / "sod/val/images").glob("*.jpg"))
    assert overlay_text(np.asarray(Image.open(path).convert("RGB"))) == []


def test_overlay_text_refuses_what_is_not_an_rgb_image():
    with pytest.raises(ValueError, match="uint8"):
        overlay_text(np.zeros((20, 20), np.uint8))
