"""measure_exposure: dim highlights and pure white, read off the picture."""

import numpy as np
import pytest
from PIL import Image

from assessment.exposure import (
    DIM_HIGHLIGHTS,
    Exposure,
    exposed,
    exposure_reasons,
    exposure_term,
    measure_exposure,
)


@pytest.fixture(scope="module")
def val_photo(data_root):
    """A well-exposed val photo of the shared data (an eagle against a blue sky)."""
    return np.asarray(Image.open(data_root / "sod/val/images/135069.jpg").convert("RGB"))


def test_a_well_exposed_photo_reads_well_and_two_stops_darker_reads_dark(val_photo):
    well = measure_exposure(val_photo)
    assert well.highlights >= DIM_HIGHLIGHTS and exposure_reasons(well) == []
    assert exposure_term(well) == 1.0

    dark = measure_exposure(exposed(val_photo, -2))
    assert dark.highlights < DIM_HIGHLIGHTS
    assert exposure_reasons(dark) == ["dark: even its brightest parts are dim"]
    assert 0.5 < exposure_term(dark) < 1.0
    darker = measure_exposure(exposed(val_photo, -4))
    assert exposure_term(darker) < exposure_term(dark)


def test_a_dark_coloured_or_saturated_subject_is_not_a_dark_photo():
    rng = np.random.default_rng(3)
    dress = np.full((300, 200, 3), 20, np.uint8)  # a black dress against a light wall
    dress[:, :40] = dress[:, 160:] = 200
    red = np.zeros((300, 200, 3), np.uint8)  # a red flower filling the frame: luma about 0.2
    red[..., 0] = rng.integers(180, 230, size=(300, 200))
    for image in (dress, red):
        assert exposure_reasons(measure_exposure(image)) == []


def test_pure_white_is_named_but_not_scored():
    backdrop = np.full((200, 300, 3), 255, np.uint8)
    backdrop[:, :210] = 120  # 30% white backdrop on the right
    exposure = measure_exposure(backdrop)
    assert exposure.blown == pytest.approx(0.3)
    assert exposure_reasons(exposure) == [
        "30% of the picture pure white (blown out, or a white backdrop)"]
    assert exposure_term(exposure) == 1.0


def test_a_large_photo_reads_as_its_smaller_copy(val_photo):
    image = Image.fromarray(val_photo)
    large = np.asarray(image.resize((image.width * 4, image.height * 4), Image.BICUBIC))
    small, big = measure_exposure(val_photo), measure_exposure(large)
    assert big.highlights == pytest.approx(small.highlights, abs=0.02)
    assert big.blown == pytest.approx(small.blown, abs=0.01)


def test_round_trip_and_bad_input():
    exposure = Exposure(highlights=0.4, blown=0.125)
    assert Exposure.from_dict(exposure.as_dict()) == exposure
    with pytest.raises(ValueError, match="highlights"):
        Exposure.from_dict({"blown": 0.1})
    for bad in (np.zeros((10, 10), np.uint8), np.zeros((10, 10, 3), np.float32),
                np.zeros((0, 10, 3), np.uint8)):
        with pytest.raises(ValueError, match="uint8"):
            measure_exposure(bad)


def test_exposed_by_stops():
    grey = np.full((2, 2, 3), 118, np.uint8)  # 18% grey in linear light
    assert exposed(grey, 0)[0, 0, 0] == 118
    assert exposed(grey, 1)[0, 0, 0] > 118 > exposed(grey, -1)[0, 0, 0]
    assert exposed(grey, 3)[0, 0, 0] == 255  # 1.44 in linear light: clipped
