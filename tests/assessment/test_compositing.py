import numpy as np
import pytest

from assessment.compositing import paste_object


@pytest.mark.parametrize("seed", range(6))
def test_pasted_object_and_mask_stay_aligned(seed):
    rng = np.random.default_rng(seed)
    background = np.full((120, 160, 3), (0, 0, 255), np.uint8)  # blue
    donor = np.zeros((80, 60, 3), np.uint8)
    donor[20:60, 10:50] = (255, 0, 0)  # a red object ...
    mask = np.zeros((80, 60), np.uint8)
    mask[20:60, 10:50] = 255  # ... and its human mask
    image, label = paste_object(background, donor, mask, rng)
    inside = label == 255
    assert inside.any() and set(np.unique(label)) <= {0, 255}
    # Away from the 1-px feathered seam, labelled pixels are the object and the rest background.
    core = (
        inside
        & np.roll(inside, 2, 0)
        & np.roll(inside, -2, 0)
        & np.roll(inside, 2, 1)
        & np.roll(inside, -2, 1)
    )
    assert (image[core][:, 0] > 200).all() and (image[core][:, 2] < 55).all()
    far = (
        ~inside
        & ~np.roll(inside, 3, 0)
        & ~np.roll(inside, -3, 0)
        & ~np.roll(inside, 3, 1)
        & ~np.roll(inside, -3, 1)
    )
    np.testing.assert_array_equal(image[far], background[far])


def test_empty_mask_changes_nothing():
    background = np.random.default_rng(0).integers(0, 255, (40, 50, 3), dtype=np.uint8)
    image, label = paste_object(
        background, background, np.zeros((40, 50), np.uint8), np.random.default_rng(0)
    )
    np.testing.assert_array_equal(image, background)
    assert not label.any()
