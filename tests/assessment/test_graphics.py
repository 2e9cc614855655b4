"""Graphics told from photographs; the predictors give them the clarity of their edges."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from assessment.classical import ClassicalPredictor, laplacian_clarity
from assessment.exposure import exposed
from assessment.graphics import MAX_BLOCKINESS, blockiness, is_graphic
from assessment.predictor import load_predictor
from tests.assessment.conftest import jpeg_copy


def card(width: int = 960, height: int = 540) -> Image.Image:
    """A news card: white headline on a flat colour, a red bar under it."""
    image = Image.new("RGB", (width, height), (40, 60, 110))
    draw = ImageDraw.Draw(image)
    draw.text((60, 120), "Storm closes", fill="white", font=ImageFont.load_default(size=80))
    draw.text((60, 230), "the harbour", fill="white", font=ImageFont.load_default(size=80))
    draw.rectangle([60, 350, 500, 370], fill=(200, 30, 30))
    return image


def chart() -> Image.Image:
    image = Image.new("RGB", (800, 450), "white")
    draw = ImageDraw.Draw(image)
    for i, value in enumerate((120, 300, 210, 380, 90)):
        draw.rectangle([60 + i * 140, 420 - value, 150 + i * 140, 420], fill=(30, 90 + 30 * i, 160))
    draw.line([40, 420, 760, 420], fill="black", width=2)
    return image


@pytest.fixture(scope="module")
def val_photo(data_root) -> Image.Image:
    return Image.open(data_root / "sod/val/images/135069.jpg").convert("RGB")  # an eagle, sky


def test_cards_and_charts_are_graphics_as_png_and_jpeg():
    for image in (card(), chart(), jpeg_copy(card(), 40), jpeg_copy(chart(), 40)):
        assert is_graphic(np.asarray(image))


def test_a_dark_sky_and_a_jpeg_damaged_one_are_not_graphics(val_photo, data_root):
    """A sky's gradient falls into few colours when the photo is dark, and into flat blocks when
    it is saved at a very low quality; neither is flat enough nor free of blocks."""
    assert not is_graphic(np.asarray(jpeg_copy(Image.fromarray(exposed(np.asarray(val_photo), -3)),
                                           90)))
    tower = Image.open(data_root / "objects/val/images/cocomval_clock03_000000519491.jpg")
    for quality in (5, 8):  # `degrade`'s JPEG levels 2 and 3
        assert not is_graphic(np.asarray(jpeg_copy(tower.convert("RGB"), quality)))


def test_photos_and_a_photo_saved_at_the_lowest_quality_are_not(val_photo):
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, size=(300, 400, 3), dtype=np.uint8)
    ramp = np.repeat(np.linspace(0, 255, 400, dtype=np.uint8)[None, :, None], 300, 0)
    ramp = np.repeat(ramp, 3, 2)
    blocky = np.asarray(jpeg_copy(val_photo, 2))
    for rgb in (np.asarray(val_photo), noise, ramp, blocky):
        assert not is_graphic(rgb)
    assert blockiness(blocky) > MAX_BLOCKINESS > blockiness(np.asarray(jpeg_copy(card(), 40)))
    assert blockiness(np.asarray(val_photo)) < MAX_BLOCKINESS


def test_the_network_gives_a_graphic_the_clarity_of_its_edges():
    predictor = load_predictor()
    sharp, blurred = card(), card().filter(ImageFilter.GaussianBlur(3))
    raw = predictor.predict_arrays([np.asarray(sharp)])[0][0]
    graphic, soft = predictor.predict([sharp, blurred])

    assert graphic.graphic and soft.graphic
    assert graphic.clarity == pytest.approx(laplacian_clarity(sharp))
    assert graphic.clarity >= 9.0 > raw  # the network alone calls a crisp card soft
    assert soft.clarity < graphic.clarity - 2


def test_photos_keep_the_networks_clarity(val_photo):
    predictor = load_predictor()
    (prediction,) = predictor.predict([val_photo])
    assert not prediction.graphic
    assert prediction.clarity == pytest.approx(predictor.predict_arrays([np.asarray(val_photo)])
                                               [0][0])


def test_the_classical_assessor_says_which_are_graphics(val_photo):
    drawn, photographed = ClassicalPredictor().predict([card(), val_photo])
    assert drawn.graphic and not photographed.graphic


def test_bad_input_is_refused():
    for bad in (np.zeros((10, 10), np.uint8), np.zeros((10, 10, 3), np.float32)):
        with pytest.raises(ValueError, match="uint8"):
            is_graphic(bad)
        with pytest.raises(ValueError, match="uint8"):
            blockiness(bad)
