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


def portrait(skin: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """A face-coloured subject on a white backdrop, and its map."""
    image = np.full((300, 400, 3), 255, np.uint8)
    subject = np.zeros((300, 400), np.float32)
    subject[60:300, 120:280] = 1.0
    image[60:300, 120:280] = skin
    return image, subject


def test_a_burnt_out_subject_is_named_and_scored_a_white_backdrop_around_it_is_not():
    image, subject = portrait((225, 180, 150))
    well = measure_exposure(image, subject=subject)
    assert well.subject_clipped == 0.0 and exposure_term(well) == 1.0
    assert not any(r.startswith("overexposed") for r in exposure_reasons(well))

    burnt = measure_exposure(exposed(image, 1.5), subject=subject)
    assert burnt.subject_clipped == 1.0 and exposure_term(burnt) == 0.0
    assert "overexposed: 100% of the subject burnt out to white" in exposure_reasons(burnt)
    half = measure_exposure(exposed(image, 0.5), subject=subject)  # skin at 253, 201, 168
    assert half.subject_clipped == 0.0


def test_one_clipped_channel_is_a_saturated_colour_not_a_burnt_out_subject():
    red = np.zeros((300, 200, 3), np.uint8)  # a red flower filling the frame, its red at 255
    red[..., 0], red[..., 1] = 255, 60
    exposure = measure_exposure(red, subject=np.ones((300, 200), np.float32))
    assert exposure.subject_clipped == 0.0 and exposure_term(exposure) == 1.0


def test_a_subject_map_marking_almost_nothing_leaves_the_whole_picture_to_judge():
    image, _ = portrait((255, 255, 250))
    speck = np.zeros((300, 400), np.float32)
    speck[0, :10] = 1.0  # ten pixels of the white backdrop
    assert measure_exposure(image, subject=speck).subject_clipped == 1.0
    with pytest.raises(ValueError, match="subject's map"):
        measure_exposure(image, subject=np.ones((30, 40), np.float32))


def test_a_large_photo_reads_as_its_smaller_copy(val_photo):
    image = Image.fromarray(val_photo)
    large = np.asarray(image.resize((image.width * 4, image.height * 4), Image.BICUBIC))
    small, big = measure_exposure(val_photo), measure_exposure(large)
    assert big.highlights == pytest.approx(small.highlights, abs=0.02)
    assert big.blown == pytest.approx(small.blown, abs=0.01)


def test_round_trip_and_bad_input():
    for exposure in (Exposure(highlights=0.4, blown=0.125),
                     Exposure(highlights=0.4, blown=0.125, subject_clipped=0.0625)):
        assert Exposure.from_dict(exposure.as_dict()) == exposure
    assert Exposure.from_dict({"highlights": 0.4, "blown": 0.1}).subject_clipped is None
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
