import cv2
import numpy as np
import pytest

from assessment.degrade import KINDS, LEVELS, PRISTINE, degrade


@pytest.fixture(scope="module")
def photo():
    # Fine random texture in every direction: detail that each kind of damage destroys.
    noise = np.random.default_rng(7).integers(0, 255, (96, 128, 3)).astype(np.uint8)
    return cv2.normalize(cv2.GaussianBlur(noise, (0, 0), 1.0), None, 0, 255, cv2.NORM_MINMAX)


@pytest.mark.parametrize("kind", KINDS)
def test_damage_grows_as_the_level_falls(kind, photo):
    errors = []
    for level in sorted(LEVELS, reverse=True):
        damaged = degrade(photo, kind, level, np.random.default_rng(0))
        errors.append(((damaged.astype(float) - photo) ** 2).mean())
    assert errors[0] == 0.0  # level 10 is pristine
    assert all(b > a for a, b in zip(errors, errors[1:], strict=False)), errors


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_damage(kind, photo):
    first = degrade(photo, kind, 4, np.random.default_rng(3))
    second = degrade(photo, kind, 4, np.random.default_rng(3))
    assert first.shape == photo.shape and first.dtype == np.uint8
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(
    ("kind", "level", "message"),
    [
        ("fog", 3, "unknown damage kind"),
        ("jpeg", 0, "1..10"),
        ("jpeg", PRISTINE + 1, "1..10"),
    ],
)
def test_bad_arguments_say_what_is_allowed(kind, level, message, photo):
    with pytest.raises(ValueError, match=message):
        degrade(photo, kind, level, np.random.default_rng(0))
