"""describe_foreground: size, place, parts and border contact of the subject, judged on mass."""

import json

import numpy as np
import pytest

from assessment.geometry import Box
from assessment.semantics import describe_foreground


def mask_with(shape, *boxes, value=1.0):
    mask = np.zeros(shape, np.float32)
    for x, y, w, h in boxes:
        mask[y : y + h, x : x + w] = value
    return mask


@pytest.mark.parametrize(
    ("mask", "proportion", "bbox", "parts", "touches"),
    [
        (mask_with((100, 200)), 0.0, None, 0, set()),
        (mask_with((100, 200), (50, 20, 40, 50)), 0.1, Box(50, 20, 40, 50), 1, set()),
        (mask_with((100, 200), (0, 10, 20, 50)), 0.05, Box(0, 10, 20, 50), 1, {"left"}),
        (mask_with((100, 200), (150, 50, 50, 50)), 0.125, Box(150, 50, 50, 50), 1,
         {"right", "bottom"}),
        (mask_with((100, 200), (10, 10, 20, 20), (100, 40, 40, 40)), 0.1, Box(10, 10, 130, 70),
         2, set()),
        # a speck of 1 px (< 2% of the mass) is noise: not a component, not in the box
        (mask_with((100, 200), (10, 10, 30, 30), (190, 90, 1, 1)), 0.04505, Box(10, 10, 30, 30),
         1, set()),
        # values below 0.5 are background
        (mask_with((100, 200), (10, 10, 30, 30), value=0.4), 0.0, None, 0, set()),
    ],
)
def test_describe_foreground(mask, proportion, bbox, parts, touches):
    semantics = describe_foreground(mask)
    assert semantics.size == (200, 100)
    assert semantics.object_proportion == pytest.approx(proportion, abs=1e-4)
    assert semantics.bbox == bbox
    assert len(semantics.components) == parts
    assert semantics.touches == touches
    assert semantics.is_empty is (bbox is None)


def test_centroid_and_shares_follow_the_mass_not_the_biggest_blob():
    # a 20x20 square and a 40x40 square: the centroid lies between them, nearer the big one
    semantics = describe_foreground(mask_with((100, 200), (10, 10, 20, 20), (100, 40, 40, 40)))
    big, small = semantics.components
    assert big.box == Box(100, 40, 40, 40)
    assert big.mass_share == pytest.approx(0.8)
    assert small.mass_share == pytest.approx(0.2)
    assert big.centroid == pytest.approx((120.0, 60.0))
    assert semantics.centroid == pytest.approx((0.8 * 120 + 0.2 * 20, 0.8 * 60 + 0.2 * 20))


def test_as_dict_is_json():
    semantics = describe_foreground(mask_with((60, 80), (0, 0, 30, 20)))
    data = json.loads(json.dumps(semantics.as_dict()))
    assert data["bbox"] == [0, 0, 30, 20]
    assert data["touches"] == ["left", "top"]
    assert data["components"][0]["mass_share"] == 1.0


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.zeros((4, 4, 3), np.float32), "shape"),
        (np.zeros((0, 4), np.float32), "shape"),
        (np.full((4, 4), 255.0), "divide an 8-bit mask by 255"),
        (np.full((4, 4), np.nan), "NaN"),
        (np.array([["a", "b"]]), "numbers"),
    ],
)
def test_bad_masks_get_clear_errors(bad, message):
    with pytest.raises(ValueError, match=message):
        describe_foreground(bad)
