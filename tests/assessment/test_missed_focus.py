"""Focus missed: a subject softer than its background, and the cases that cannot be judged."""

import numpy as np
import pytest

from assessment.degrade import defocus
from assessment.missed_focus import MISSED_FOCUS, focus_missed, sharpness_contrast
from tests.conftest import textured


@pytest.fixture(scope="module")
def scene():
    """A textured photo and a square subject in it."""
    subject = np.zeros((300, 400), np.uint8)
    subject[70:230, 120:280] = 255
    return textured(400, 300, seed=5), subject


def test_a_photo_in_focus_throughout_is_not_called(scene):
    image, subject = scene
    contrast = sharpness_contrast(image, subject / 255.0)
    assert contrast is not None and abs(contrast) < 0.5
    assert not focus_missed(contrast)


@pytest.mark.parametrize("sigma", [1.5, 3.0])
def test_a_soft_subject_before_a_sharp_background_is_called(scene, sigma):
    image, subject = scene
    contrast = sharpness_contrast(defocus(image, subject, sigma, 0), subject / 255.0)
    assert contrast < MISSED_FOCUS and focus_missed(contrast)


def test_a_shallow_depth_of_field_reads_the_other_way_or_leaves_nothing_to_compare(scene):
    image, subject = scene
    softened = sharpness_contrast(defocus(image, subject, 0, 1.5), subject / 255.0)
    assert softened > 1.0 and not focus_missed(softened)
    assert sharpness_contrast(defocus(image, subject, 0, 6), subject / 255.0) is None  # no structure


def test_no_subject_a_full_frame_or_a_plain_background_cannot_be_judged(scene):
    image, subject = scene
    assert sharpness_contrast(image, np.zeros(subject.shape)) is None
    assert sharpness_contrast(image, np.ones(subject.shape)) is None
    plain = image.copy()
    plain[subject == 0] = 128  # a clear sky's worth of background
    assert sharpness_contrast(plain, subject / 255.0) is None
    assert not focus_missed(None)


def test_the_subject_map_must_match_the_image(scene):
    image, _ = scene
    with pytest.raises(ValueError, match="subject map"):
        sharpness_contrast(image, np.zeros((10, 10)))
